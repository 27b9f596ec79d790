import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseFlags, timeoutSeconds } from '../private/flags';
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

const USAGE = `usage: npm run verify -- --env NAME [--mailbox ADDRESS] [--send-test-to ADDRESS] [--json]
                         [--outputs FILE] [--access-token-file FILE] [--timeout SECONDS]

Checks that the ITSM tool can use the mailbox: reads the environment's Terraform outputs
(terraform output -json in $CDKTF_OUTDIR/stacks/NAME, default cdktf.out, or FILE), gets a token,
reads its claims, and logs in over IMAP, POP and SMTP with XOAUTH2. One line per check, with
the fix when it fails.

  --mailbox ADDRESS          the mailbox the ITSM tool logs in with (default: itsm_email_settings.mailbox)
  --send-test-to ADDRESS     also send a test message over SMTP (default: stop after MAIL FROM)
  --access-token-file FILE   delegated flow: a user's access token, for the claims and mail checks
  --outputs FILE             the JSON of terraform output -json, instead of running terraform
  --json                     one JSON document on stdout
  --timeout SECONDS          the time limit of each phase (token request; all mail checks together), default 20

The client secret comes from $${SECRET_ENV} when set, else from the sensitive output client_secret.
Endpoints follow ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME as for terraform.
A delegated run without --access-token-file tests no mailbox: "not verified", a failed check.
Exit codes: 0 every check passed (skips allowed), 1 a check failed, 2 unexpected error, 64 usage.`;

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
 * @returns the process exit code: 0 all passed (skips allowed), 1 a check failed, 2 unexpected, 64 usage
 */
export async function runVerifyCli(args: readonly string[], env: NodeJS.ProcessEnv, io: VerifyCliIo = defaultIo): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    io.stdout(USAGE);
    return 0;
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
      return 1;
    }
    let target: VerifyTarget;
    try {
      target = targetFromOutputs(read.outputs, env, { ...(o.environment ? { environment: o.environment } : {}), ...(o.mailbox ? { mailbox: o.mailbox } : {}) });
    } catch (e) {
      if (e instanceof MailboxMissingError) return usage(io, e.message);
      if (!(e instanceof OutputsError)) throw e;
      print(io, o, { ok: false, checks: [{ id: 'outputs', status: 'fail', detail: `${read.source}: ${e.message}`, causeId: 'outputs-unusable', cause: 'the outputs lack what verify needs', fix: 'run terraform apply for this environment (npx cdktf deploy), then verify again' }] }, scrub, scrubJson);
      return 1;
    }
    let accessToken: string | undefined;
    if (o.accessTokenFile !== undefined) {
      if (target.flow !== 'delegated') return usage(io, '--access-token-file is for the delegated flow; app-only tokens are requested by verify itself');
      const t = readSmallFile(o.accessTokenFile);
      if (typeof t !== 'string') return usage(io, `cannot read --access-token-file ${o.accessTokenFile}: ${t.message}`);
      accessToken = t.trim();
      if (accessToken === '') return usage(io, `--access-token-file ${o.accessTokenFile} is empty`);
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
    if (o.json) io.stdout(renderJson(full, { ...(o.environment ? { environment: o.environment } : {}), flow: target.flow, mailbox: target.mailbox }, scrubJson));
    else io.stdout(summaryLine(full, o.environment));
    return full.ok ? 0 : 1;
  } catch (e) {
    const err = e as Error;
    io.stderr(scrub(`verify failed unexpectedly: ${err.message}`));
    if (env.ITSM_MAIL_DEBUG) io.stderr(scrub(String(err.stack)));
    else io.stderr('Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this.');
    return 2;
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
  io.stderr(USAGE);
  return 64;
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
    if (typeof t !== 'string') return outputsFailure(`cannot read ${o.outputsFile}: ${t.message}`, 'outputs-unreadable', 'the outputs file cannot be read', 'write it with terraform output -json > FILE');
    text = t;
  } else {
    const dir = stackDirOf(env, o.environment!);
    source = `${dir} (terraform output -json)`;
    if (!existsSync(dir)) {
      return outputsFailure(`no stack folder ${dir}`, 'stack-missing', `environment ${o.environment} has not been synthesized here`, `run npm run synth (with the config that has environment ${o.environment}) and deploy it, or pass --outputs FILE`);
    }
    const terraform = env.TERRAFORM_BINARY_NAME || 'terraform';
    const r = spawnSync(terraform, ['output', '-no-color', '-json'], { cwd: dir, encoding: 'utf8', timeout: 120_000, maxBuffer: MAX_OUTPUTS, env: { ...env, TF_IN_AUTOMATION: '1' } });
    if (r.error) {
      const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
      return outputsFailure(
        missing ? `${terraform} is not installed here (or not on PATH)` : `${terraform} output -json failed: ${r.error.message}`,
        missing ? 'terraform-missing' : 'terraform-failed',
        missing ? 'verify reads the outputs with terraform' : 'terraform could not read the outputs',
        missing ? 'install terraform, set TERRAFORM_BINARY_NAME, or pass --outputs FILE (from terraform output -json elsewhere)' : 'run terraform output -json in that folder to see why',
      );
    }
    if (r.status !== 0) {
      // Terraform boxes its diagnostics (│ ...) and may put warnings first: quote its first Error line.
      const lines = (r.stderr || r.stdout || '').split('\n').map((l) => l.replace(/^[│╷╵\s]+/, '').trim()).filter((l) => l !== '');
      const why = lines.find((l) => l.startsWith('Error:')) ?? lines.slice(0, 2).join(' ');
      return outputsFailure(`${terraform} output -json exited with ${r.status}: ${why}`, 'terraform-failed', 'terraform could not read the outputs (not initialised, no access to the state backend?)', `run terraform init in ${dir} with access to the state backend, or pass --outputs FILE`);
    }
    text = r.stdout;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return outputsFailure(`${source}: not JSON`, 'outputs-unreadable', 'the outputs are not the JSON of terraform output -json', 'use terraform output -json (no -raw, no output name)');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return outputsFailure(`${source}: not an object of outputs`, 'outputs-unreadable', 'the outputs are not the JSON of terraform output -json', 'use terraform output -json (no output name)');
  }
  if (Object.keys(parsed).length === 0) {
    return outputsFailure(`${source}: no outputs`, 'outputs-empty', `environment ${o.environment ?? ''} has no outputs: it has not been applied, or the state is elsewhere`.replace('  ', ' '), 'run npx cdktf deploy (or terraform apply) for it first');
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

function parseArgs(args: readonly string[]): Options | string {
  const parsed = parseFlags(
    args,
    { '--env': 'environment', '--outputs': 'outputsFile', '--mailbox': 'mailbox', '--send-test-to': 'sendTestTo', '--access-token-file': 'accessTokenFile', '--timeout': 'timeout' },
    { '--json': 'json' },
  );
  if (typeof parsed === 'string') return parsed;
  const timeoutS = timeoutSeconds(parsed.values.timeout, 20);
  if (typeof timeoutS === 'string') return timeoutS;
  const { timeout: _timeout, ...values } = parsed.values;
  const o: Options = { ...values, json: parsed.switches.has('json'), timeoutS };
  if (o.environment === undefined && o.outputsFile === undefined) return 'name the environment (--env NAME) or an outputs file (--outputs FILE)';
  if (o.environment !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(o.environment)) return `--env "${o.environment}" is not an environment name`;
  for (const [flag, v] of [['--mailbox', o.mailbox], ['--send-test-to', o.sendTestTo]] as const) {
    if (v !== undefined && !isMailAddress(v)) return `${flag} "${v}" is not a mail address`;
  }
  return o;
}

const defaultIo: VerifyCliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};
