import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { helpText, parseCommandLine, quote, timeoutSeconds, type CommandSpec } from '../cli/args';
import { ExitCode } from '../cli/exit-codes';
import { nodeHttpClient } from './http';
import { renderCheck, renderJson, summaryLine } from './render';
import { runVerify } from './run';
import { makeScrubber } from './scrub';
import { MailboxMissingError, OutputsError, SECRET_ENV, isMailAddress, stackDirOf, targetFromOutputs, type TerraformOutputs } from './target-from-outputs';
import type { CheckResult, VerifyReport, VerifyTarget } from './types';

export interface VerifyCliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

export const VERIFY_COMMAND: CommandSpec = {
  name: 'verify',
  summary: `Checks that the ITSM tool can use the mailbox: reads the environment's Terraform outputs
(terraform output -json in $CDKTF_OUTDIR or cdktf.out/stacks/NAME, or FILE), gets a token, reads
its claims, and logs in over IMAP, POP and SMTP with XOAUTH2. One line per check, with the fix
when it fails.`,
  flags: {
    env: { type: 'string', value: 'NAME', help: 'the environment (stack) to check' },
    mailbox: { type: 'string', value: 'ADDRESS', help: 'the mailbox the ITSM tool logs in with (default: itsm_email_settings.mailbox)' },
    'send-test-to': { type: 'string', value: 'ADDRESS', help: 'also send a test message over SMTP (default: stop after MAIL FROM)' },
    'access-token-file': { type: 'string', value: 'FILE', help: "delegated flow: a user's access token, for the claims and mail checks" },
    outputs: { type: 'string', value: 'FILE', help: 'the JSON of terraform output -json, instead of running terraform' },
    json: { type: 'boolean', help: 'one JSON document on stdout' },
    timeout: { type: 'string', value: 'SECONDS', help: 'the time limit of each phase (token request; all mail checks together), default 20' },
  },
  description: `The client secret comes from $${SECRET_ENV} when set, else from the sensitive output client_secret;
it is never taken from the command line. Endpoints follow ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME
as for terraform. A delegated run without --access-token-file tests no mailbox: "not verified", a
failed check. A check that fails exits ${ExitCode.remote}; skips are allowed.`,
  exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.remote],
};

interface Options {
  environment?: string;
  outputsFile?: string;
  mailbox?: string;
  sendTestTo?: string;
  accessTokenFile?: string;
  json: boolean;
  timeoutS: number;
}

/**
 * The `npm run verify` command line.
 * @returns the process exit code (lib/cli/exit-codes.ts): 0 all passed (skips allowed), 6 a check failed, 1 unexpected, 2 usage
 */
export async function runVerifyCli(args: readonly string[], env: NodeJS.ProcessEnv, io: VerifyCliIo = defaultIo): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    io.stdout(helpText(VERIFY_COMMAND));
    return ExitCode.ok;
  }
  if (typeof parsed === 'string') return usage(io, parsed);
  const o = parsed;
  // Until the target is known, only the environment's secret can be named.
  let scrub = makeScrubber([env[SECRET_ENV]]);
  let scrubJson = makeScrubber([env[SECRET_ENV]], { escape: false });
  try {
    const read = readOutputs(o, env);
    if (!read.ok) {
      const report: VerifyReport = { ok: false, checks: [read.check] };
      print(io, o, report, scrub, scrubJson);
      return ExitCode.remote;
    }
    let target: VerifyTarget;
    try {
      target = targetFromOutputs(read.outputs, env, { ...(o.environment ? { environment: o.environment } : {}), ...(o.mailbox ? { mailbox: o.mailbox } : {}) });
    } catch (e) {
      if (e instanceof MailboxMissingError) return usage(io, e.message);
      if (!(e instanceof OutputsError)) throw e;
      print(
        io,
        o,
        {
          ok: false,
          checks: [
            {
              id: 'outputs',
              status: 'fail',
              detail: `${read.source}: ${e.message}`,
              causeId: 'outputs-unusable',
              cause: 'the outputs lack what verify needs',
              fix: 'run terraform apply for this environment (npx cdktf deploy), then verify again',
            },
          ],
        },
        scrub,
        scrubJson,
      );
      return ExitCode.remote;
    }
    let accessToken: string | undefined;
    if (o.accessTokenFile !== undefined) {
      if (target.flow !== 'delegated') return usage(io, '--access-token-file is for the delegated flow; app-only tokens are requested by verify itself');
      const t = readSmallFile(o.accessTokenFile);
      if (typeof t !== 'string') return usage(io, `cannot read --access-token-file ${quote(o.accessTokenFile)}: ${t.message}`);
      accessToken = t.trim();
      if (accessToken === '') return usage(io, `--access-token-file ${quote(o.accessTokenFile)} is empty`);
    }
    scrub = makeScrubber([target.clientSecret, accessToken]);
    scrubJson = makeScrubber([target.clientSecret, accessToken], { escape: false });
    const secretFrom = env[SECRET_ENV] ? SECRET_ENV : target.clientSecret ? 'the client_secret output' : 'nowhere (not found)';
    const outputsCheck: CheckResult = {
      id: 'outputs',
      status: 'pass',
      detail: `${read.source}: ${target.flow}, ${target.protocols.join(' ')}, mailbox ${target.mailbox}, client ${target.clientId}; secret from ${secretFrom}`,
    };
    const streamed = !o.json;
    const emit = (c: CheckResult) => {
      if (streamed) for (const l of renderCheck(c)) io.stdout(scrub(l));
    };
    emit(outputsCheck);
    const report = await runVerify(
      target,
      { ...(o.sendTestTo ? { sendTestTo: o.sendTestTo } : {}), ...(accessToken ? { accessToken } : {}) },
      { http: nodeHttpClient(), timeoutMs: o.timeoutS * 1000, now: () => Date.now() },
      emit,
    );
    const full: VerifyReport = { ok: report.ok, checks: [outputsCheck, ...report.checks] };
    if (o.json)
      io.stdout(renderJson(full, { ...(o.environment ? { environment: o.environment } : {}), flow: target.flow, mailbox: target.mailbox }, scrubJson));
    else io.stdout(summaryLine(full, o.environment));
    return full.ok ? ExitCode.ok : ExitCode.remote;
  } catch (e) {
    const err = e as Error;
    io.stderr(scrub(`verify failed unexpectedly: ${err.message}`));
    if (env.ITSM_MAIL_DEBUG) io.stderr(scrub(String(err.stack)));
    else io.stderr('Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this.');
    return ExitCode.unexpected;
  }
}

function print(io: VerifyCliIo, o: Options, report: VerifyReport, scrub: (s: string) => string, scrubJson: (s: string) => string): void {
  if (o.json) io.stdout(renderJson(report, o.environment ? { environment: o.environment } : {}, scrubJson));
  else {
    for (const c of report.checks) for (const l of renderCheck(c)) io.stdout(scrub(l));
    io.stdout(summaryLine(report, o.environment));
  }
}

function usage(io: VerifyCliIo, message: string): number {
  io.stderr(`error: ${message}`);
  io.stderr('Run "entra-itsm-mail verify --help" for its flags and exit codes.');
  return ExitCode.usage;
}

type ReadOutputs = { ok: true; outputs: TerraformOutputs; source: string } | { ok: false; check: CheckResult };

const MAX_OUTPUTS = 4 * 1024 * 1024;

function outputsFailure(detail: string, causeId: string, cause: string, fix: string): ReadOutputs {
  return { ok: false, check: { id: 'outputs', status: 'fail', detail, causeId, cause, fix } };
}

function readOutputs(o: Options, env: NodeJS.ProcessEnv): ReadOutputs {
  let text: string;
  let source: string;
  if (o.outputsFile !== undefined) {
    source = o.outputsFile;
    const t = readSmallFile(o.outputsFile);
    if (typeof t !== 'string')
      return outputsFailure(
        `cannot read ${o.outputsFile}: ${t.message}`,
        'outputs-unreadable',
        'the outputs file cannot be read',
        'write it with terraform output -json > FILE',
      );
    text = t;
  } else {
    const dir = stackDirOf(env, o.environment!);
    source = `${dir} (terraform output -json)`;
    if (!existsSync(dir)) {
      return outputsFailure(
        `no stack folder ${dir}`,
        'stack-missing',
        `environment ${o.environment} has not been synthesized here`,
        `run npm run synth (with the config that has environment ${o.environment}) and deploy it, or pass --outputs FILE`,
      );
    }
    const terraform = env.TERRAFORM_BINARY_NAME || 'terraform';
    const r = spawnSync(terraform, ['output', '-no-color', '-json'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: MAX_OUTPUTS,
      env: { ...env, TF_IN_AUTOMATION: '1' },
    });
    if (r.error) {
      const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
      return outputsFailure(
        missing ? `${terraform} is not installed here (or not on PATH)` : `${terraform} output -json failed: ${r.error.message}`,
        missing ? 'terraform-missing' : 'terraform-failed',
        missing ? 'verify reads the outputs with terraform' : 'terraform could not read the outputs',
        missing
          ? 'install terraform, set TERRAFORM_BINARY_NAME, or pass --outputs FILE (from terraform output -json elsewhere)'
          : 'run terraform output -json in that folder to see why',
      );
    }
    if (r.status !== 0) {
      // Terraform boxes its diagnostics (│ ...) and may put warnings first: quote its first Error line.
      const lines = (r.stderr || r.stdout || '')
        .split('\n')
        .map((l) => l.replace(/^[│╷╵\s]+/, '').trim())
        .filter((l) => l !== '');
      const why = lines.find((l) => l.startsWith('Error:')) ?? lines.slice(0, 2).join(' ');
      return outputsFailure(
        `${terraform} output -json exited with ${r.status}: ${why}`,
        'terraform-failed',
        'terraform could not read the outputs (not initialised, no access to the state backend?)',
        `run terraform init in ${dir} with access to the state backend, or pass --outputs FILE`,
      );
    }
    text = r.stdout;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return outputsFailure(
      `${source}: not JSON`,
      'outputs-unreadable',
      'the outputs are not the JSON of terraform output -json',
      'use terraform output -json (no -raw, no output name)',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return outputsFailure(
      `${source}: not an object of outputs`,
      'outputs-unreadable',
      'the outputs are not the JSON of terraform output -json',
      'use terraform output -json (no output name)',
    );
  }
  if (Object.keys(parsed).length === 0) {
    return outputsFailure(
      `${source}: no outputs`,
      'outputs-empty',
      `environment ${o.environment ?? ''} has no outputs: it has not been applied, or the state is elsewhere`.replace('  ', ' '),
      'run npx cdktf deploy (or terraform apply) for it first',
    );
  }
  return { ok: true, outputs: parsed as TerraformOutputs, source };
}

function readSmallFile(path: string): string | Error {
  try {
    const s = statSync(path);
    if (!s.isFile()) return new Error('not a file');
    if (s.size > MAX_OUTPUTS) return new Error(`larger than ${MAX_OUTPUTS} bytes`);
    return readFileSync(path, 'utf8');
  } catch (e) {
    return new Error((e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }
}

function parseArgs(args: readonly string[]): Options | 'help' | string {
  const parsed = parseCommandLine(VERIFY_COMMAND, args);
  if (parsed.kind === 'help') return 'help';
  if (parsed.kind === 'usage') return parsed.message;
  const v = parsed.values as Partial<Record<'env' | 'outputs' | 'mailbox' | 'send-test-to' | 'access-token-file' | 'timeout', string>> & { json?: boolean };
  const timeoutS = timeoutSeconds(v.timeout, 20);
  if (typeof timeoutS === 'string') return timeoutS;
  const o: Options = {
    ...(v.env !== undefined ? { environment: v.env } : {}),
    ...(v.outputs !== undefined ? { outputsFile: v.outputs } : {}),
    ...(v.mailbox !== undefined ? { mailbox: v.mailbox } : {}),
    ...(v['send-test-to'] !== undefined ? { sendTestTo: v['send-test-to'] } : {}),
    ...(v['access-token-file'] !== undefined ? { accessTokenFile: v['access-token-file'] } : {}),
    json: v.json === true,
    timeoutS,
  };
  if (o.environment === undefined && o.outputsFile === undefined) return 'name the environment (--env NAME) or an outputs file (--outputs FILE)';
  if (o.environment !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(o.environment)) return `--env ${quote(o.environment)} is not an environment name`;
  for (const [flag, value] of [
    ['--mailbox', o.mailbox],
    ['--send-test-to', o.sendTestTo],
  ] as const) {
    if (value !== undefined && !isMailAddress(value)) return `${flag} ${quote(value)} is not a mail address`;
  }
  return o;
}

const defaultIo: VerifyCliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};
