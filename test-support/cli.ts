import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..');
export const MAIN = join(ROOT, 'dist', 'main.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs the compiled command line in `cwd`, as `npm run synth -- ...args` would. */
export function runSynth(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const start = Date.now();
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - start };
}

/**
 * Runs a compiled script with this Node without blocking the event loop, so the test's own
 * loopback servers keep answering while it runs. The child's environment is PATH and HOME of this
 * process, then `env`.
 */
export function runNodeAsync(
  script: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * The first six lines of the smallest valid config, as many tests start theirs: an environment
 * `prod` whose application reads mail over IMAP with the delegated flow. Append its further keys.
 */
export const PROD_APPLICATION_LINES: readonly string[] = [
  'environments:',
  '  prod:',
  '    application:',
  '      displayName: Pandora ITSM mail',
  '      redirectUris: [https://itsm.example.com/mail/]',
  '      mail: { flow: delegated, protocols: [imap] }',
];

/** A fresh working folder, optionally with files in it. */
export function workdir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-mail-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Every file below `dir` with its size and modification time, to prove nothing changed. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out[relative(dir, p)] = `${s.size}:${s.mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

/** What this repository's entry points (dist/main.js, dist/review.js) pass to the command. */
const REPOSITORY_DEFAULTS = { defaultConfig: 'config/example.yaml' };

/** Runs a compiled command-line function in this process, in `cwd`, capturing its output. */
function inProcess(
  run: (
    args: readonly string[],
    env: NodeJS.ProcessEnv,
    io: { stdout: (l: string) => void; stderr: (l: string) => void },
    options: { defaultConfig?: string },
  ) => number,
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): CliResult {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const previous = process.cwd();
  const start = Date.now();
  process.chdir(cwd);
  try {
    const status = run(
      args,
      { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      {
        stdout: (l) => stdout.push(`${l}\n`),
        stderr: (l) => stderr.push(`${l}\n`),
      },
      REPOSITORY_DEFAULTS,
    );
    return { status, stdout: stdout.join(''), stderr: stderr.join(''), ms: Date.now() - start };
  } finally {
    process.chdir(previous);
  }
}

/**
 * The same command line in this process: the compiled `runCli` that dist/main.js calls, with the
 * same arguments, working folder and environment, minus the cost of starting Node and loading cdktf
 * again. Use `runSynth` where the process itself matters (exit code, stack traces, start-up).
 */
export function runSynthInProcess(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const { runCli } = require(join(ROOT, 'dist', 'lib', 'cli', 'synth-cli.js')) as typeof import('../lib/cli/synth-cli');
  return inProcess(runCli, cwd, args, env);
}

/** `npm run review` in this process: the compiled `runReviewCli` that dist/review.js calls. */
export function runReviewInProcess(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const { runReviewCli } = require(join(ROOT, 'dist', 'lib', 'cli', 'review-cli.js')) as typeof import('../lib/cli/review-cli');
  return inProcess(runReviewCli, cwd, args, env);
}
