import { ConfigError, formatProblem } from '../config/problems';
import type { GuardrailFinding } from '../guardrails/check';
import { printable } from '../private/printable';
import { tenantStackName } from '../model/tenant';

/** The config used when neither --config nor ITSM_MAIL_CONFIG names one. */
export const DEFAULT_CONFIG = 'config/example.yaml';
/** Environment variable that selects the config file (for `cdktf synth` / `cdktf deploy`). */
export const CONFIG_ENV = 'ITSM_MAIL_CONFIG';

const USAGE = `usage: npm run synth -- [--config FILE]

Synthesizes one Terraform stack per environment of FILE into cdktf.out/stacks/<environment>/.
FILE defaults to $${CONFIG_ENV}, then ${DEFAULT_CONFIG}.`;

export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

/**
 * The command line: validates the whole config first and writes nothing when it is invalid.
 * @returns the process exit code
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, io: CliIo = defaultIo): number {
  let configFile = env[CONFIG_ENV] || DEFAULT_CONFIG;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      io.stdout(USAGE);
      return 0;
    } else if (arg === '--config' || arg === '-c') {
      const value = args[++i];
      if (value === undefined || value === '') return usageError(io, `${arg} needs a file name`);
      configFile = value;
    } else if (arg.startsWith('--config=')) {
      configFile = arg.slice('--config='.length);
    } else {
      return usageError(io, `unknown argument "${arg}"`);
    }
  }
  let tenants: string[] = [];
  try {
    const { loadConfigFile } = require('../config/load-config') as typeof import('../config/load-config');
    const config = loadConfigFile(configFile);
    tenants = Object.keys(config.tenants ?? {});
    const outdir = env.CDKTF_OUTDIR || 'cdktf.out';
    // Loaded only for a valid config: a bad one is reported without paying for cdktf's start-up.
    const { synthesizeConfig } = require('./synthesize') as typeof import('./synthesize');
    const { withoutTokenStackTraces } = require('../private/token-stack-traces') as typeof import('../private/token-stack-traces');
    // This process prints no stack traces, so cdktf's per-token captures are skipped (see there).
    const { stacks, findings } = withoutTokenStackTraces(() => synthesizeConfig(config, outdir, { onNote: (note) => io.stderr(printable(`${configFile}: ${note}`)), ...lockWait(env) }));
    for (const f of findings) io.stderr(formatFinding(configFile, f, tenants));
    const names = stacks.length <= 10 ? stacks.join(', ') : `${stacks.slice(0, 10).join(', ')} and ${stacks.length - 10} more`;
    io.stdout(`${configFile}: synthesized ${stacks.length} stack(s) into ${outdir}/stacks: ${names}`);
    return 0;
  } catch (e) {
    if (e instanceof Error && e.name === 'GuardrailError') {
      const findings = (e as Error & { findings: readonly GuardrailFinding[] }).findings;
      for (const f of findings) io.stderr(formatFinding(configFile, f, tenants));
      io.stderr(`${configFile}: ${e.message}; nothing was written. Fix them, or suppress one with a written reason (see README).`);
      return 1;
    }
    if (e instanceof Error && e.name === 'OutputFolderError') {
      io.stderr(printable(`${configFile}: ${e.message}`));
      return 1;
    }
    if (e instanceof ConfigError) {
      for (const p of e.problems) io.stderr(formatProblem(p));
      // The guardrails of the valid part too, so that one run reports everything to fix.
      const guardrailErrors = e.valid ? guardrailErrorsOfValidPart(e.valid) : [];
      for (const f of guardrailErrors) io.stderr(formatFinding(configFile, f, Object.keys(e.valid?.tenants ?? {})));
      const also = guardrailErrors.length > 0 ? ` and ${guardrailErrors.length} guardrail error(s)` : '';
      io.stderr(`${configFile}: ${e.problems.length} problem(s)${also}; nothing was written.`);
      return 1;
    }
    // A bug or an environment failure, not a config problem: still no stack trace for users,
    // unless they ask for one to report it.
    const err = e as Error;
    io.stderr(printable(`${configFile}: synthesis failed: ${err.message}`));
    if (env.ITSM_MAIL_DEBUG) io.stderr(String(err.stack));
    else io.stderr('Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this. Nothing was written.');
    return 2;
  }
}

function guardrailErrorsOfValidPart(valid: NonNullable<ConfigError['valid']>): readonly GuardrailFinding[] {
  const { guardrailErrorsOf } = require('./synthesize') as typeof import('./synthesize');
  const { withoutTokenStackTraces } = require('../private/token-stack-traces') as typeof import('../private/token-stack-traces');
  return withoutTokenStackTraces(() => guardrailErrorsOf(valid));
}

/**
 * `FILE: environments.<env>: RULE-ID severity: message [construct path]`, one line per finding; a
 * suppressed finding is one short line with its reason, so the accepted ones stay visible.
 */
export function formatFinding(file: string, f: GuardrailFinding, tenants: readonly string[] = []): string {
  const [stack, ...rest] = f.path.split('/');
  const where = `[${rest.join('/')}]`;
  // A tenant's stack is tenant-<name>; the config names it tenants.<name>.
  const tenant = tenants.find((t) => tenantStackName(t) === stack);
  const section = tenant !== undefined ? `tenants.${tenant}` : `environments.${stack}`;
  if (f.suppressedReason !== undefined) {
    return printable(`${file}: ${section}: ${f.ruleId} ${f.severity} suppressed ${where}: ${f.suppressedReason}`);
  }
  return printable(`${file}: ${section}: ${f.ruleId} ${f.severity}: ${f.message} ${where}`);
}

/** ITSM_MAIL_LOCK_WAIT_SECONDS: how long to wait for another run on the same output folder (default 120). */
function lockWait(env: NodeJS.ProcessEnv): { lockWaitMs?: number } {
  const seconds = Number(env.ITSM_MAIL_LOCK_WAIT_SECONDS);
  return env.ITSM_MAIL_LOCK_WAIT_SECONDS !== undefined && Number.isFinite(seconds) && seconds >= 0 ? { lockWaitMs: seconds * 1000 } : {};
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`error: ${message}`);
  io.stderr(USAGE);
  return 64;
}

const defaultIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};
