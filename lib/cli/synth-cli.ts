import { existsSync } from 'node:fs';
import { ConfigError } from '../config/problems';
import type { ItsmMailConfig } from '../config/schema';
import type { GuardrailFinding } from '../guardrails/finding';
import { runByCdktfCli } from '../private/cdktf-cli-env';
import { printable } from '../private/printable';
import { helpText, parseCommandLine, valueProblem, type CommandSpec } from './args';
import { ExitCode } from './exit-codes';
import { FORMATS, findingLine, type Format, type ReportedFinding, type SynthReport } from './report';

/**
 * The config used when neither --config nor ITSM_MAIL_CONFIG names one: `itsm-mail.yaml` in the
 * working directory. (This repository's own `npm run synth` and cdktf.json's app pass
 * config/example.yaml instead: see main.ts.)
 */
export const DEFAULT_CONFIG = 'itsm-mail.yaml';
/** Environment variable that selects the config file (for `cdktf synth` / `cdktf deploy`). */
export const CONFIG_ENV = 'ITSM_MAIL_CONFIG';

export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

/** What the caller of a command line decides (this repository's wrappers, the installed command). */
export interface CliOptions {
  /** The config file when neither --config nor $ITSM_MAIL_CONFIG names one (default itsm-mail.yaml). */
  readonly defaultConfig?: string;
}

export const SYNTH_COMMAND: CommandSpec = {
  name: 'synth',
  summary: 'Synthesizes one Terraform stack per environment (and tenant) of the config into <outdir>/stacks/<name>/, after the guardrails.',
  flags: {
    config: { type: 'string', short: 'c', value: 'FILE', help: `the config file (default: $${CONFIG_ENV}, then ${DEFAULT_CONFIG})` },
    format: { type: 'string', value: 'FORMAT', help: 'how findings and config problems are printed (default text)', choices: FORMATS },
  },
  description: `Paths are relative to the working directory: FILE, and the output folder <outdir> =
$CDKTF_OUTDIR or cdktf.out. Nothing is written when the config has a problem or a guardrail error.
--format text prints each problem and finding as FILE:LINE:COL: SEVERITY: … on stderr (editors
and problem matchers read it); json (schema/report-v1.schema.json) and sarif (SARIF 2.1.0) print
one document on stdout; github prints GitHub Actions annotations on stdout.`,
  exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.input, ExitCode.guardrail],
};

/**
 * `entra-itsm-mail synth`: validates the whole config first and writes nothing when it is invalid.
 * @returns the process exit code (lib/cli/exit-codes.ts)
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, io: CliIo = defaultIo, options: CliOptions = {}): number {
  const parsed = parseCommandLine(SYNTH_COMMAND, args);
  if (parsed.kind === 'help') {
    io.stdout(helpText(SYNTH_COMMAND));
    return ExitCode.ok;
  }
  if (parsed.kind === 'usage') return usageError(io, parsed.message);
  const format = (parsed.values.format as Format | undefined) ?? 'text';
  const fromEnv = env[CONFIG_ENV] || undefined;
  if (parsed.values.config === undefined && fromEnv !== undefined) {
    const problem = valueProblem(CONFIG_ENV, fromEnv);
    if (problem) return usageError(io, problem);
  }
  const configFile = (parsed.values.config as string | undefined) ?? fromEnv ?? options.defaultConfig ?? DEFAULT_CONFIG;
  const shown = printable(configFile);
  const outdir = env.CDKTF_OUTDIR || 'cdktf.out';
  const underCdktf = runByCdktfCli(env);
  const report = (r: Omit<SynthReport, 'command' | 'configFile'>): number => emit(io, format, { command: 'synth', configFile, ...r }, underCdktf);
  // Notes (a recovered output folder, a wait for a lock) are not errors: under cdktf-cli, stdout.
  const note = (line: string) => (underCdktf ? io.stdout(line) : io.stderr(line));
  let config: ItsmMailConfig | undefined;
  try {
    const { loadConfigFile } = require('../config/load-config') as typeof import('../config/load-config');
    config = loadConfigFile(configFile);
    // Loaded only for a valid config: a bad one is reported without paying for cdktf's start-up.
    const { synthesizeConfig } = require('./synthesize') as typeof import('./synthesize');
    const { withoutTokenStackTraces } = require('../private/token-stack-traces') as typeof import('../private/token-stack-traces');
    // This process prints no stack traces, so cdktf's per-token captures are skipped (see there).
    const loaded = config;
    const { stacks, findings } = withoutTokenStackTraces(() =>
      synthesizeConfig(loaded, outdir, { onNote: (n) => note(printable(`${configFile}: ${n}`)), ...lockWait(env) }),
    );
    const names = stacks.length <= 10 ? stacks.join(', ') : `${stacks.slice(0, 10).join(', ')} and ${stacks.length - 10} more`;
    return report({
      outcome: 'synthesized',
      exitCode: ExitCode.ok,
      outdir,
      stacks,
      problems: [],
      findings: located(findings, loaded, configFile),
      summary: `${shown}: synthesized ${stacks.length} stack(s) into ${printable(outdir)}/stacks: ${names}`,
    });
  } catch (e) {
    if (e instanceof Error && e.name === 'GuardrailError' && config !== undefined) {
      const findings = (e as Error & { findings: readonly GuardrailFinding[] }).findings;
      return report({
        outcome: 'guardrail-errors',
        exitCode: ExitCode.guardrail,
        stacks: [],
        problems: [],
        findings: located(findings, config, configFile),
        summary: `${shown}: ${e.message}; nothing was written. Fix them, or suppress one with a written reason (see README).`,
      });
    }
    if (e instanceof Error && e.name === 'OutputFolderError') {
      io.stderr(printable(`${configFile}: ${e.message}`));
      return ExitCode.unexpected;
    }
    if (e instanceof ConfigError) {
      // The guardrails of the valid part too, so that one run reports everything to fix.
      const guardrailErrors = e.valid ? guardrailErrorsOfValidPart(e.valid) : [];
      const also = guardrailErrors.length > 0 ? ` and ${guardrailErrors.length} guardrail error(s)` : '';
      return report({
        outcome: 'input-problems',
        exitCode: ExitCode.input,
        stacks: [],
        problems: e.problems,
        findings: e.valid ? located(guardrailErrors, e.valid, configFile) : [],
        summary: `${shown}: ${e.problems.length} problem(s)${also}; nothing was written.${defaultNote(parsed.values.config === undefined && fromEnv === undefined, configFile)}`,
      });
    }
    // A bug or an environment failure, not a config problem: still no stack trace for users,
    // unless they ask for one to report it.
    const err = e as Error;
    io.stderr(printable(`${configFile}: synthesis failed: ${err.message}`));
    if (env.ITSM_MAIL_DEBUG) io.stderr(printable(String(err.stack)).replace(/\\u\{a\}/g, '\n'));
    else io.stderr('Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this. Nothing was written.');
    return ExitCode.unexpected;
  }
}

/** When the default config was read and is missing: where it was looked for and how to name one. */
export function defaultNote(isDefault: boolean, configFile: string): string {
  if (!isDefault || existsSync(configFile)) return '';
  return ` No config was named, so ${printable(configFile)} in the working directory (${printable(process.cwd())}) was read: name yours with --config FILE or $${CONFIG_ENV}.`;
}

/** Findings with the config setting each points at. */
function located(findings: readonly GuardrailFinding[], config: ItsmMailConfig, file: string): ReportedFinding[] {
  if (findings.length === 0) return [];
  const { locateFinding } = require('./finding-location') as typeof import('./finding-location');
  const { configLocationOf } = require('../config/locate') as typeof import('../config/locate');
  const { reportFinding } = require('./report') as typeof import('./report');
  const where = configLocationOf(config);
  return findings.map((f) => reportFinding(f, locateFinding(f, config, where, file)));
}

/**
 * Prints a synth report in its format; returns its exit code.
 *
 * Under cdktf-cli (`cdktf synth|diff|deploy` running cdktf.json's app), the text format is quiet:
 * cdktf-cli prints every annotation of the synthesized stacks itself, once, at its level (INFO,
 * WARN, ERROR; lib/guardrails/aspect.ts annotates each finding), and it logs every line the app
 * writes on stderr as `[ERROR]`. So a synthesis that succeeded prints only its summary, on stdout;
 * one stopped by guardrail errors prints those errors alone (they are errors), on stderr.
 */
function emit(io: CliIo, format: Format, r: SynthReport, underCdktf = false): number {
  if (format === 'text') {
    const { textLines, findingLine } = require('./report') as typeof import('./report');
    if (underCdktf) {
      if (r.outcome === 'synthesized') io.stdout(r.summary);
      else {
        for (const p of r.problems) io.stderr((require('../private/file-problem') as typeof import('../private/file-problem')).formatProblemLine(p));
        for (const f of r.findings.filter((x) => x.blocking)) io.stderr(findingLine(f));
        io.stderr(r.summary);
      }
      return r.exitCode;
    }
    for (const l of textLines(r)) io.stderr(l);
    if (r.outcome === 'synthesized') io.stdout(r.summary);
    else io.stderr(r.summary);
    return r.exitCode;
  }
  const report = require('./report') as typeof import('./report');
  if (format === 'json') io.stdout(report.jsonReport(r));
  else if (format === 'sarif') {
    const { GUARDRAIL_RULES, UNMATCHED_SUPPRESSION, IDLE_SUPPRESSION } = require('../guardrails/pack') as typeof import('../guardrails/pack');
    io.stdout(report.sarifReport(r, [...GUARDRAIL_RULES, UNMATCHED_SUPPRESSION, IDLE_SUPPRESSION]));
  } else for (const l of report.githubLines(r)) io.stdout(l);
  io.stderr(r.summary);
  return r.exitCode;
}

function guardrailErrorsOfValidPart(valid: NonNullable<ConfigError['valid']>): readonly GuardrailFinding[] {
  const { guardrailErrorsOf } = require('./synthesize') as typeof import('./synthesize');
  const { withoutTokenStackTraces } = require('../private/token-stack-traces') as typeof import('../private/token-stack-traces');
  return withoutTokenStackTraces(() => guardrailErrorsOf(valid));
}

/**
 * One finding as a line of text: `FILE:LINE:COL: SEVERITY: config.path: RULE-ID severity: message
 * [construct path]`; a suppressed finding is one short note with its reason.
 */
export function formatFinding(file: string, f: GuardrailFinding, config: ItsmMailConfig): string {
  const { locateFinding } = require('./finding-location') as typeof import('./finding-location');
  const { configLocationOf } = require('../config/locate') as typeof import('../config/locate');
  const { reportFinding } = require('./report') as typeof import('./report');
  return findingLine(reportFinding(f, locateFinding(f, config, configLocationOf(config), file)));
}

/** ITSM_MAIL_LOCK_WAIT_SECONDS: how long to wait for another run on the same output folder (default 120). */
function lockWait(env: NodeJS.ProcessEnv): { lockWaitMs?: number } {
  const seconds = Number(env.ITSM_MAIL_LOCK_WAIT_SECONDS);
  return env.ITSM_MAIL_LOCK_WAIT_SECONDS !== undefined && Number.isFinite(seconds) && seconds >= 0 ? { lockWaitMs: seconds * 1000 } : {};
}

/** `error: …` and where to read more, on stderr; the usage exit code. */
export function usageError(io: CliIo, message: string, command = 'synth'): number {
  io.stderr(`error: ${message}`);
  io.stderr(`Run "entra-itsm-mail ${command} --help" for its flags and exit codes.`);
  return ExitCode.usage;
}

const defaultIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};
