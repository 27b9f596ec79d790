// The one command, `entra-itsm-mail` (package.json "bin" → dist/cli.js), as a user runs it from their
// own repository: subcommands, one flag parser, one --help each with its exit codes, the exit-code
// scheme of README.md, and command-line values that are refused without being echoed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_CODE_WORDS, ExitCode } from '../lib/cli/exit-codes';
import { ROOT, workdir } from '../test-support/cli';

const BIN = join(ROOT, 'dist', 'cli.js');
const APP =
  '  prod:\n    application:\n      displayName: ITSM prod\n      redirectUris: [https://itsm.example.com/mail/]\n      mail:\n        flow: delegated\n';
const CONFIG = `environments:\n${APP}`;

/** A value shaped like an Entra ID client secret, built from clearly fake parts. */
const FAKE_SECRET = `FAK${8}Q~${'not-a-secret-'.repeat(3).slice(0, 34)}`;

function run(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No part of the secret of 8 characters or more appears in the text. */
function echoesPartOf(text: string, secret: string): string | undefined {
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return secret.slice(i, i + 8);
  return undefined;
}

describe('package.json bin', () => {
  it('names dist/cli.js, which starts with a node shebang', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ 'entra-itsm-mail': 'dist/cli.js' });
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});

describe('entra-itsm-mail from a user repository', () => {
  it('synthesizes the config named relative to the working directory into cdktf.out there', () => {
    const dir = workdir();
    mkdirSync(join(dir, 'infra'));
    writeFileSync(join(dir, 'infra/mail.yaml'), CONFIG);
    const r = run(dir, ['synth', '--config', 'infra/mail.yaml']);
    expect(r.status).toBe(ExitCode.ok);
    expect(r.stdout).toBe('infra/mail.yaml: synthesized 1 stack(s) into cdktf.out/stacks: prod\n');
    expect(existsSync(join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'))).toBe(true);
  });

  it('reads itsm-mail.yaml in the working directory when no config is named, and says so when it is missing', () => {
    const dir = workdir({ 'itsm-mail.yaml': CONFIG });
    expect(run(dir, ['synth']).status).toBe(ExitCode.ok);
    const empty = workdir();
    const r = run(empty, ['synth']);
    expect(r.status).toBe(ExitCode.input);
    expect(r.stderr).toContain('itsm-mail.yaml: error: (file): file not found');
    expect(r.stderr).toContain('No config was named, so itsm-mail.yaml in the working directory');
    // Never this repository's example: the installed command does not depend on its layout.
    expect(r.stderr).not.toContain('config/example.yaml');
  });

  it('writes the review into review/ of the working directory', () => {
    const dir = workdir({ 'c.yaml': CONFIG });
    const r = run(dir, ['review', '-c', 'c.yaml']);
    expect(r.status).toBe(ExitCode.ok);
    expect(readFileSync(join(dir, 'review/prod.md'), 'utf8').startsWith('<!-- entra-itsm-mail:review:prod -->\n## Entra ID review: `prod`')).toBe(true);
  });

  it('prints the config schema, the suppressions schema and the report schema', () => {
    const dir = workdir();
    const config = run(dir, ['schema']);
    expect(config.status).toBe(0);
    expect(JSON.parse(config.stdout)).toEqual(JSON.parse(readFileSync(join(ROOT, 'schema/itsm-mail-config.schema.json'), 'utf8')));
    const report = run(dir, ['schema', '--of', 'report']);
    expect(JSON.parse(report.stdout)).toEqual(JSON.parse(readFileSync(join(ROOT, 'schema/report-v1.schema.json'), 'utf8')));
    const suppressions = run(dir, ['schema', '--of', 'suppressions']);
    expect(JSON.parse(suppressions.stdout)).toEqual(JSON.parse(readFileSync(join(ROOT, 'schema/review-suppressions.schema.json'), 'utf8')));
  });

  it('names its commands, and refuses an unknown one with exit 2', () => {
    const dir = workdir();
    const help = run(dir, ['--help']);
    expect(help.status).toBe(0);
    for (const c of ['synth', 'review', 'verify', 'adopt', 'schema']) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const bad = run(dir, ['synht']);
    expect(bad.status).toBe(ExitCode.usage);
    expect(bad.stderr.split('\n')[0]).toBe('error: unknown command "synht"');
  });
});

describe('one --help per subcommand', () => {
  const codes: Record<string, readonly number[]> = {
    synth: [0, 1, 2, 3, 4],
    review: [0, 1, 2, 3, 4, 5],
    verify: [0, 1, 2, 6],
    adopt: [0, 1, 2, 3, 6],
    schema: [0, 1, 2],
  };
  it.each(Object.entries(codes))('%s --help lists its flags and exactly its exit codes', (command, expected) => {
    const r = run(workdir(), [command, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(`usage: entra-itsm-mail ${command} [flags]\n`)).toBe(true);
    expect(r.stdout).toMatch(/^Flags:$/m);
    const listed = r.stdout
      .split('Exit codes:\n')[1]
      .trimEnd()
      .split('\n')
      .map((l) => Number(/^ {2}(\d) /.exec(l)?.[1]));
    expect(listed).toEqual(expected);
    const words = new Map(EXIT_CODE_WORDS);
    for (const c of expected) expect(r.stdout).toContain(`  ${c}  ${words.get(c as never)}`);
  });
});

describe('the exit-code table of README.md', () => {
  it('is the one the commands use', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.split('### Exit codes')[1]?.split('\n\n')[1] ?? '';
    const rows = table
      .split('\n')
      .filter((l) => /^\| \d /.test(l))
      .map((l) => Number(l.split('|')[1].trim()));
    expect(rows).toEqual(EXIT_CODE_WORDS.map(([c]) => c));
    expect(Object.values(ExitCode).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('command-line values are checked before any work, and never echoed raw', () => {
  it.each([
    ['synth', ['synth', '--config', FAKE_SECRET]],
    ['synth (inline)', ['synth', `--config=${FAKE_SECRET}`]],
    ['synth as an unknown flag', ['synth', `--${FAKE_SECRET}`]],
    ['synth as a stray argument', ['synth', FAKE_SECRET]],
    ['review', ['review', '--env', FAKE_SECRET]],
    ['verify', ['verify', '--mailbox', FAKE_SECRET, '--env', 'prod']],
    ['adopt', ['adopt', '--env', 'prod', '--client-id', FAKE_SECRET]],
    ['a boolean switch given a value', ['verify', '--env', 'prod', `--json=${FAKE_SECRET}`]],
  ])('a secret given to %s: usage error (2) that repeats none of it', (_name, args) => {
    const dir = workdir();
    const r = run(dir, args);
    expect(r.status).toBe(ExitCode.usage);
    expect(echoesPartOf(r.stdout + r.stderr, FAKE_SECRET)).toBeUndefined();
    expect(r.stderr).toMatch(/looks like (an Entra ID client secret|a credential)/);
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  it('a secret in ITSM_MAIL_CONFIG is refused the same way', () => {
    const r = run(workdir(), ['synth'], { ITSM_MAIL_CONFIG: FAKE_SECRET });
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stderr.split('\n')[0]).toBe(
      'error: ITSM_MAIL_CONFIG: the value looks like an Entra ID client secret (not repeated here). A secret never goes on the command line, where shell history and process lists keep it: ITSM_MAIL_CONFIG takes no secret; secrets are read from the environment (see --help)',
    );
    expect(echoesPartOf(r.stdout + r.stderr, FAKE_SECRET)).toBeUndefined();
  });

  it('a value that is not a client ID is not repeated either (it may be a secret of a shape not known)', () => {
    const odd = 'not-a-known-shape-but-private-0123456789';
    const r = run(workdir(), ['adopt', '--env', 'prod', '--client-id', odd]);
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stderr).toContain('--client-id: the value given (40 characters, not repeated here) is not a client ID');
    expect(echoesPartOf(r.stderr, odd)).toBeUndefined();
  });

  it.each([
    [
      'a terminal escape',
      'verify',
      ['verify', '--env', 'prod', '--mailbox', '\u001b[2Jhelpdesk@example.com'],
      '--mailbox "\\u{1b}[2Jhelpdesk@example.com" holds a control',
    ],
    ['a line break', 'synth', ['synth', '--config', 'c.yaml\r\nforged: line'], '--config "c.yaml\\u{d}\\u{a}forged: line" holds a control'],
    ['a bidi override', 'review', ['review', '--out', 'rev\u202eiew'], '--out "rev\\u{202e}iew" holds a control or invisible formatting character'],
    ['an escape in an unknown flag', 'synth', ['synth', '--x\u001b[31m'], 'error: unknown flag "--x\\u{1b}[31m"'],
  ])('%s in a value: usage error that shows it escaped, on one line', (_name, _cmd, args, shown) => {
    const r = run(workdir(), args);
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stderr).toContain(shown);
    expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(r.stderr.split('\n')).toHaveLength(3);
  });

  it.each([
    [['synth', '--config'], 'error: --config needs a value: --config FILE'],
    [['synth', '--config', '--format', 'json'], 'error: --config needs a value, but it is followed by the flag "--format"'],
    [['synth', '--format', 'xml'], 'error: --format "xml" is not one of text, json, sarif, github'],
    [['synth', '-c', 'a.yaml', '-c', 'b.yaml'], 'error: --config is given twice: give it once'],
    [['review', '--fail-on', 'danger'], 'error: --fail-on "danger" is not one of dangerous, attention, never (did you mean dangerous?)'],
    [['verify', '--env', 'prod', '--timeout', 'soon'], 'error: --timeout "soon": takes seconds between 1 and 600'],
  ])('%j: %s', (args, message) => {
    const r = run(workdir(), args);
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stderr.split('\n')[0]).toContain(message);
    expect(r.stderr).toContain(`Run "entra-itsm-mail ${args[0]} --help" for its flags and exit codes.`);
  });
});

describe('review --out', () => {
  it('naming an existing file is a usage error naming --out, and nothing is written', () => {
    const dir = workdir({ 'c.yaml': CONFIG, 'notes.md': 'mine\n' });
    const r = run(dir, ['review', '-c', 'c.yaml', '--out', 'notes.md']);
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stderr.split('\n')[0]).toBe(
      'error: --out "notes.md" is a file, not a folder: --out names the folder the review files (<stack>.md) go into; name a folder, or move the file',
    );
    expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toBe('mine\n');
  });
});

describe("the review marker that finds each stack's pull-request comment again", () => {
  const stacks = (names: readonly string[], displayName = (n: string) => `ITSM ${n}`) =>
    `environments:\n${names.map((n) => `  ${n}:\n    application:\n      displayName: "${displayName(n)}"\n      redirectUris: [https://itsm.example.com/mail/]\n      mail: { flow: delegated }\n`).join('')}`;

  it("starts each stack's review, once, and only that stack's", () => {
    const names = ['prod', 'staging', 'test'];
    const dir = workdir({ 'c.yaml': stacks(names) });
    expect(run(dir, ['review', '-c', 'c.yaml']).status).toBe(0);
    const markers = names.map((n) => {
      const text = readFileSync(join(dir, 'review', `${n}.md`), 'utf8');
      const first = text.split('\n')[0];
      expect(first).toBe(`<!-- entra-itsm-mail:review:${n} -->`);
      expect(text.split('<!-- entra-itsm-mail:review:').length - 1).toBe(1);
      return first;
    });
    expect(new Set(markers).size).toBe(names.length);
  });

  it("cannot be forged by a display name that holds another stack's marker", () => {
    const dir = workdir({ 'c.yaml': stacks(['prod', 'staging'], (n) => (n === 'staging' ? 'x <!-- entra-itsm-mail:review:prod --> y' : 'ITSM prod')) });
    expect(run(dir, ['review', '-c', 'c.yaml']).status).toBe(0);
    const staging = readFileSync(join(dir, 'review/staging.md'), 'utf8');
    expect(staging.startsWith('<!-- entra-itsm-mail:review:staging -->\n')).toBe(true);
    expect(staging).not.toContain('<!-- entra-itsm-mail:review:prod -->');
    expect(staging).toContain('x <!-- entra-itsm-mail:review\\:prod --> y');
    // The pipelines' test (docs/review.md): the body starts with the marker.
    const prodMarker = '<!-- entra-itsm-mail:review:prod -->';
    expect(['prod', 'staging'].filter((n) => readFileSync(join(dir, 'review', `${n}.md`), 'utf8').startsWith(prodMarker))).toEqual(['prod']);
  });

  it('the recipes in docs/review.md find comments by the marker at the start of the body, never with --edit-last', () => {
    const doc = readFileSync(join(ROOT, 'docs/review.md'), 'utf8');
    for (const ci of ['### GitHub Actions', '### Azure DevOps', '### GitLab CI']) expect(doc).toContain(ci);
    const recipes = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```/gm)]
      .map((m) => m[1])
      .filter((y) => y.includes('entra-itsm-mail review') && y.includes('for stack in'));
    expect(recipes).toHaveLength(3);
    for (const r of recipes) {
      expect(r).toMatch(/for stack in \$STACKS/);
      expect(r).toMatch(/STACKS: prod staging tenant-contoso/);
      expect(r).toMatch(/marker=\$\(head -n 1 "\$file"\)/);
      expect(r).toMatch(/startswith\(/);
      expect(r).not.toContain('--edit-last');
    }
  });
});
