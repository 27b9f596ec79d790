import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomically } from '../private/atomic-file';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CONFIG_ENV, DEFAULT_CONFIG, usageError, type CliIo, type CliOptions } from './synth-cli';
import { loadConfigFile } from '../config/load-config';
import { loadPlanSuppressionsFile } from '../config/plan-suppressions';
import { configLocationOf } from '../config/locate';
import { ConfigError, formatPath, formatProblemLine, type ConfigProblem } from '../config/problems';
import { GUARDRAIL_RULES, IDLE_SUPPRESSION, UNMATCHED_SUPPRESSION } from '../guardrails/pack';
import { printable } from '../private/printable';
import { helpText, parseCommandLine, quote, valueProblem, type CommandSpec } from './args';
import { ExitCode } from './exit-codes';
import { locateFinding } from './finding-location';
import { FORMATS, githubLines, jsonReport, reportFinding, sarifReport, type Format, type ReviewReport } from './report';
import type { ItsmMailConfig } from '../config/schema';
import { didYouMean } from '../private/did-you-mean';
import { withoutTokenStackTraces } from '../private/token-stack-traces';
import { PlanError, readPlanFile } from '../review/plan';
import { reviewPlan } from '../review/plan-review';
import { renderReview } from '../review/render';
import type { EnvironmentReview } from '../review/review-model';
import { tenantStackName } from '../model/tenant';

/** Where the review files go when --out is not given. */
/** The longest comment GitHub accepts, in characters. */
const GITHUB_COMMENT_LIMIT = 65_536;

export const DEFAULT_REVIEW_DIR = 'review';

/** `--fail-on`: the Attention level at which the review exits 5 (ExitCode.reviewGate). */
export const FAIL_ON = ['dangerous', 'attention', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const REVIEW_COMMAND: CommandSpec = {
  name: 'review',
  summary:
    'Writes a markdown review of each stack of the config to DIR/<stack>.md and prints it; with --plan, marks what the plan changes and calls out what needs attention.',
  flags: {
    config: { type: 'string', short: 'c', value: 'FILE', help: `the config file (default: $${CONFIG_ENV}, then ${DEFAULT_CONFIG})` },
    plan: { type: 'string', value: 'PLAN.json', help: 'the JSON of a saved plan (terraform show -json tfplan > plan.json)' },
    env: { type: 'string', value: 'NAME', help: 'review this stack only (needed with --plan when there are several)' },
    out: { type: 'string', value: 'DIR', help: `the folder for the review files (default ${DEFAULT_REVIEW_DIR})` },
    format: { type: 'string', value: 'FORMAT', help: 'what is printed on stdout (default text: the markdown)', choices: FORMATS },
    'fail-on': {
      type: 'string',
      value: 'LEVEL',
      help: `exit ${ExitCode.reviewGate} when the plan has a change at this level or above (default dangerous)`,
      choices: FAIL_ON,
    },
    suppressions: {
      type: 'string',
      value: 'FILE',
      help: 'with --plan and no config: accepted guardrail findings on plan addresses, each with a reason (docs/review.md)',
    },
  },
  description: `Paths are relative to the working directory. Each review starts with a hidden marker,
<!-- entra-itsm-mail:review:<stack> -->, by which a pipeline finds the stack's pull-request comment
again (docs/review.md). --plan without --config (and without $${CONFIG_ENV}) reviews any plan of
the azuread provider on its own (its changes, drift, dangerous ones and the guardrails on what it
leaves), written to DIR/<plan file name>.md; there an unsuppressed guardrail error exits
${ExitCode.guardrail} as at synthesis (unless --fail-on never), and --suppressions FILE accepts findings, each
with a written reason. --fail-on dangerous (the default) fails on a "Dangerous" item of the plan's
Attention list, attention on any item, never not at all; the review files are written first.
--format json (schema/report-v1.schema.json) and sarif (SARIF 2.1.0) print the Attention items and
guardrail findings as one document; github prints them as GitHub Actions annotations.`,
  exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.input, ExitCode.guardrail, ExitCode.reviewGate],
};

/** The hidden marker that starts each stack's review, so a pipeline finds its comment again. */
export function reviewMarker(stack: string): string {
  return `${MARKER_PREFIX}${stack} -->`;
}

/** What every marker starts with; pipelines match it at the start of a comment's body. */
export const MARKER_PREFIX = '<!-- entra-itsm-mail:review:';

/**
 * The review with its marker on the first line. The marker's text anywhere else (a display name
 * that holds it) is quoted with a backslash, so no review can pose as another stack's comment:
 * the pipelines match the marker at the start of a comment's body (docs/review.md).
 */
export function withMarker(stack: string, markdown: string): string {
  return `${reviewMarker(stack)}\n${markdown.split('entra-itsm-mail:review:').join('entra-itsm-mail:review\\:')}`;
}

interface Options {
  configFile: string;
  /** True when --config or $ITSM_MAIL_CONFIG named the config file. */
  configGiven: boolean;
  planFile?: string;
  environment?: string;
  outDir: string;
  format: Format;
  failOn: FailOn;
  /** --suppressions: accepted findings of a plan reviewed without a config. */
  suppressionsFile?: string;
}

/**
 * `entra-itsm-mail review`.
 * @returns the process exit code (lib/cli/exit-codes.ts)
 */
export function runReviewCli(args: readonly string[], env: NodeJS.ProcessEnv, io: CliIo = defaultIo, options: CliOptions = {}): number {
  const parsed = parseOptions(args, env, options);
  if (parsed === 'help') {
    io.stdout(helpText(REVIEW_COMMAND));
    return ExitCode.ok;
  }
  if (typeof parsed === 'string') return usageError(io, parsed, 'review');
  const o = parsed;
  // No config named: the plan is reviewed on its own (any azuread plan, from any tool).
  if (o.planFile !== undefined && !o.configGiven) return runPlanAlone(o, o.planFile, env, io);
  const shown = printable(o.configFile);
  try {
    const config = loadConfigFile(o.configFile);
    // Each environment's stack, and each tenant's (tenant-<name>).
    const names = [
      ...Object.keys(config.environments).sort(),
      ...Object.keys(config.tenants ?? {})
        .sort()
        .map(tenantStackName),
    ];
    if (o.environment !== undefined && !names.includes(o.environment)) {
      const hint = didYouMean(o.environment, names);
      throw new ConfigError([
        {
          file: o.configFile,
          path: 'environments',
          message: `has no environment or tenant stack "${o.environment}" (given to --env)${hint ? ` (did you mean "${hint}"?)` : ''}; it has ${names.join(', ')}`,
        },
      ]);
    }
    const selected = o.environment !== undefined ? [o.environment] : names;
    if (o.planFile !== undefined && selected.length > 1) {
      return usageError(
        io,
        `--plan needs --env NAME: ${shown} has ${selected.length} environments (${selected.join(', ')}) and a plan belongs to one`,
        'review',
      );
    }
    const plan = o.planFile !== undefined ? readPlanFile(o.planFile) : undefined;
    const reviews = buildReviews(config, selected);
    const planReviews = reviews.map((r) => (plan ? reviewPlan(plan, r) : undefined));
    const texts = reviews.map((r, i) =>
      withMarker(r.environment, renderReview(r, { configFile: o.configFile, ...(planReviews[i] ? { plan: planReviews[i], planFile: o.planFile } : {}) })),
    );
    mkdirSync(o.outDir, { recursive: true });
    // Atomically: a link planted at review/<env>.md (by a pull request) is replaced, not followed.
    reviews.forEach((r, i) => writeFileAtomically(join(o.outDir, `${r.environment}.md`), texts[i]));
    const attention = planReviews.flatMap((p) => p?.attention ?? []);
    const gateReached = o.failOn === 'dangerous' ? attention.some((a) => a.level === 'danger') : o.failOn === 'attention' ? attention.length > 0 : false;
    const exitCode = gateReached ? ExitCode.reviewGate : ExitCode.ok;
    const files = reviews.map((r) => join(o.outDir, `${r.environment}.md`));
    const where = configLocationOf(config);
    const report: ReviewReport = {
      command: 'review',
      configFile: o.configFile,
      ...(o.planFile !== undefined ? { planFile: o.planFile } : {}),
      outcome: 'reviewed',
      exitCode,
      failOn: o.failOn,
      gateReached,
      problems: [],
      reviews: reviews.map((r, i) => {
        const tenant = Object.keys(config.tenants ?? {}).find((t) => tenantStackName(t) === r.environment);
        const base = tenant !== undefined ? ['tenants', tenant] : ['environments', r.environment];
        const at = where?.locate(base);
        return {
          stack: r.environment,
          markdownFile: files[i],
          marker: reviewMarker(r.environment),
          ...(planReviews[i]
            ? {
                attention: planReviews[i]!.attention.map((a) => ({
                  level: a.level,
                  address: a.address,
                  title: a.title,
                  text: a.text,
                  ...((a as { ruleId?: string }).ruleId ? { ruleId: (a as { ruleId?: string }).ruleId } : {}),
                })),
              }
            : {}),
          // The review's findings are relative to the stack; the report names the stack.
          findings: r.findings.map((f) => {
            const full = { ...f, path: `${r.environment}/${f.path}` };
            return reportFinding(full, locateFinding(full, config, where, o.configFile));
          }),
          location: { file: o.configFile, configPath: formatPath(base), ...(at ? { line: at.line, column: at.column } : {}) },
        };
      }),
      summary: `${shown}: wrote ${files.map(printable).join(', ')}`,
    };
    if (o.format === 'text') io.stdout(texts.join('\n').trimEnd());
    else if (o.format === 'json') io.stdout(jsonReport(report));
    else if (o.format === 'sarif') io.stdout(sarifReport(report, [...GUARDRAIL_RULES, UNMATCHED_SUPPRESSION, IDLE_SUPPRESSION]));
    else for (const l of githubLines(report)) io.stdout(l);
    io.stderr(report.summary);
    // GitHub refuses a comment longer than 65,536 characters (docs/review.md posts one per environment).
    texts.forEach((t, i) => {
      if (t.length > GITHUB_COMMENT_LIMIT) {
        io.stderr(
          `${printable(files[i])}: ${t.length} characters, more than the ${GITHUB_COMMENT_LIMIT} a GitHub comment takes: post it as a file (an artifact or a gist) and link it, or split the plan`,
        );
      }
    });
    if (gateReached) {
      const dangers = attention.filter((a) => a.level === 'danger').length;
      io.stderr(
        `${shown}: the plan has ${dangers} dangerous change(s) and ${attention.length - dangers} more to read (--fail-on ${o.failOn}): exit ${ExitCode.reviewGate}. Read the Attention list; --fail-on never only reports.`,
      );
    }
    return exitCode;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof PlanError) {
      const problems: readonly ConfigProblem[] = e.problems;
      const summary = `${printable(problems[0]?.file ?? o.configFile)}: ${problems.length} problem(s); no review was written.`;
      const report: ReviewReport = {
        command: 'review',
        configFile: o.configFile,
        ...(o.planFile !== undefined ? { planFile: o.planFile } : {}),
        outcome: 'input-problems',
        exitCode: ExitCode.input,
        failOn: o.failOn,
        gateReached: false,
        problems,
        reviews: [],
        summary,
      };
      if (o.format === 'text') for (const p of problems) io.stderr(formatProblemLine(p));
      else if (o.format === 'json') io.stdout(jsonReport(report));
      else if (o.format === 'sarif') io.stdout(sarifReport(report, [...GUARDRAIL_RULES, UNMATCHED_SUPPRESSION, IDLE_SUPPRESSION]));
      else for (const l of githubLines(report)) io.stdout(l);
      io.stderr(summary);
      return ExitCode.input;
    }
    const err = e as Error;
    io.stderr(printable(`${o.configFile}: review failed: ${err.message}`));
    if (env.ITSM_MAIL_DEBUG) io.stderr(String(err.stack));
    else io.stderr('Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this.');
    return ExitCode.unexpected;
  }
}

/**
 * Builds the environments' constructs (nothing is synthesized) and reads their reviews. cdktf is
 * loaded only here, as on the synth path: a bad file or plan is reported without its start-up.
 */
export function buildReviews(config: ItsmMailConfig, environments: readonly string[]): EnvironmentReview[] {
  const { App } = require('cdktf') as typeof import('cdktf');
  const { buildStacksFromConfig } = require('../config/build-from-config') as typeof import('../config/build-from-config');
  const { collectReviews } = require('../review/collect') as typeof import('../review/collect');
  // The App creates its outdir; nothing is written into it.
  const outdir = mkdtempSync(join(tmpdir(), 'itsm-review-'));
  try {
    // Everything is built (a tenant's stack reads its environments' applications), then the
    // stacks asked for are reviewed. Suppressions are applied by buildStacksFromConfig, as on the synth path.
    return withoutTokenStackTraces(() => {
      const app = new App({ outdir, stackTraces: false });
      buildStacksFromConfig(app, config);
      return collectReviews(app).filter((r) => environments.includes(r.environment));
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function parseOptions(args: readonly string[], env: NodeJS.ProcessEnv, options: CliOptions): Options | 'help' | string {
  const parsed = parseCommandLine(REVIEW_COMMAND, args);
  if (parsed.kind === 'help') return 'help';
  if (parsed.kind === 'usage') return parsed.message;
  const v = parsed.values as Partial<Record<'config' | 'plan' | 'env' | 'out' | 'format' | 'fail-on' | 'suppressions', string>>;
  const fromEnv = env[CONFIG_ENV] || undefined;
  if (v.suppressions !== undefined) {
    if (v.plan === undefined)
      return "--suppressions is for a plan reviewed without a config: give --plan PLAN.json too (a config's suppressions go in its guardrails section)";
    if (v.config !== undefined || fromEnv !== undefined)
      return `--suppressions is for a plan reviewed without a config, and ${v.config !== undefined ? '--config' : `$${CONFIG_ENV}`} names one: write the suppressions in the config's guardrails section, or review the plan alone`;
  }
  if (v.config === undefined && fromEnv !== undefined) {
    const problem = valueProblem(CONFIG_ENV, fromEnv);
    if (problem) return problem;
  }
  const outDir = v.out ?? DEFAULT_REVIEW_DIR;
  // --out names a folder: a file there is a mistake in the command line, said before any work.
  try {
    if (!statSync(outDir).isDirectory())
      return `--out ${quote(outDir)} is a file, not a folder: --out names the folder the review files (<stack>.md) go into; name a folder, or move the file`;
  } catch {
    // missing: created on write
  }
  return {
    configFile: v.config ?? fromEnv ?? options.defaultConfig ?? DEFAULT_CONFIG,
    configGiven: v.config !== undefined || fromEnv !== undefined,
    ...(v.plan !== undefined ? { planFile: v.plan } : {}),
    ...(v.env !== undefined ? { environment: v.env } : {}),
    outDir,
    format: (v.format as Format | undefined) ?? 'text',
    failOn: (v['fail-on'] as FailOn | undefined) ?? 'dangerous',
    ...(v.suppressions !== undefined ? { suppressionsFile: v.suppressions } : {}),
  };
}

/** The gate: does the Attention list reach --fail-on? */
function gateOf(attention: readonly { readonly level: 'danger' | 'note' }[], failOn: FailOn): boolean {
  return failOn === 'dangerous' ? attention.some((a) => a.level === 'danger') : failOn === 'attention' ? attention.length > 0 : false;
}

/** The Attention items as reported (the review's own fields, and its rule ID when it has one). */
function reportedAttention(list: readonly { level: 'danger' | 'note'; address: string; title: string; text: string; ruleId?: string }[]) {
  return list.map((a) => ({ level: a.level, address: a.address, title: a.title, text: a.text, ...(a.ruleId ? { ruleId: a.ruleId } : {}) }));
}

/** Prints a review report in its format (the markdown in text). */
function emitReview(io: CliIo, o: Options, report: ReviewReport, markdown: string): void {
  if (o.format === 'text') {
    if (report.outcome === 'input-problems') for (const p of report.problems) io.stderr(formatProblemLine(p));
    else io.stdout(markdown);
  } else if (o.format === 'json') io.stdout(jsonReport(report));
  else if (o.format === 'sarif') io.stdout(sarifReport(report, [...GUARDRAIL_RULES, UNMATCHED_SUPPRESSION, IDLE_SUPPRESSION]));
  else for (const l of githubLines(report)) io.stdout(l);
}

/** `review --plan FILE` without a config: the plan alone, written to DIR/<plan name>.md and printed. */
function runPlanAlone(o: Options, planFile: string, env: NodeJS.ProcessEnv, io: CliIo): number {
  const { reviewPlanAlone } = require('../review/plan-alone') as typeof import('../review/plan-alone');
  const shown = printable(planFile);
  const base = { command: 'review' as const, planFile, failOn: o.failOn };
  try {
    const suppressions = o.suppressionsFile !== undefined ? loadPlanSuppressionsFile(o.suppressionsFile) : [];
    const plan = readPlanFile(planFile);
    // The plan file's name names the review file and its marker: only characters that can end neither.
    const name =
      basename(planFile)
        .replace(/\.json$/i, '')
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/-{2,}/g, '-')
        .replace(/^[.-]+|-+$/g, '') || 'plan';
    const alone = reviewPlanAlone(plan, basename(planFile), suppressions, o.suppressionsFile !== undefined ? basename(o.suppressionsFile) : undefined);
    const text = withMarker(name, alone.text);
    mkdirSync(o.outDir, { recursive: true });
    const out = join(o.outDir, `${name}.md`);
    writeFileAtomically(out, text);
    // The guardrails as at synthesis: an unsuppressed error fails (exit 4) unless --fail-on never.
    const blocking = o.failOn === 'never' ? [] : alone.findings.filter((f) => f.severity === 'error' && f.suppressedReason === undefined);
    const gateReached = gateOf(alone.review.attention, o.failOn);
    const exitCode = blocking.length > 0 ? ExitCode.guardrail : gateReached ? ExitCode.reviewGate : ExitCode.ok;
    const report: ReviewReport = {
      ...base,
      outcome: 'reviewed',
      exitCode,
      gateReached,
      problems: [],
      reviews: [
        {
          stack: name,
          markdownFile: out,
          marker: reviewMarker(name),
          attention: reportedAttention(alone.review.attention),
          // A plan has no config lines: a finding points at the plan file, by the resource it is on.
          findings: alone.findings.map((f) => reportFinding(f, { file: planFile, configPath: f.path })),
          location: { file: planFile, configPath: '(plan)' },
        },
      ],
      summary: `${shown}: wrote ${printable(out)}`,
    };
    emitReview(io, o, report, text.trimEnd());
    io.stderr(report.summary);
    if (text.length > GITHUB_COMMENT_LIMIT)
      io.stderr(
        `${printable(out)}: ${text.length} characters, more than the ${GITHUB_COMMENT_LIMIT} a GitHub comment takes: post it as a file (an artifact or a gist) and link it, or split the plan`,
      );
    if (gateReached)
      io.stderr(
        `${shown}: the plan has changes at or above --fail-on ${o.failOn}: exit ${ExitCode.reviewGate}. Read the Attention list; --fail-on never only reports.`,
      );
    if (blocking.length > 0)
      io.stderr(
        `${shown}: ${blocking.length} guardrail error(s) on the plan (${[...new Set(blocking.map((f) => f.ruleId))].join(', ')}): exit ${ExitCode.guardrail}. Fix them, or accept each with a reason in a --suppressions file (docs/review.md); --fail-on never only reports.`,
      );
    return exitCode;
  } catch (e) {
    if (e instanceof PlanError || e instanceof ConfigError) {
      const summary = `${printable(e.problems[0]?.file ?? planFile)}: ${e.problems.length} problem(s); no review was written.`;
      emitReview(io, o, { ...base, outcome: 'input-problems', exitCode: ExitCode.input, gateReached: false, problems: e.problems, reviews: [], summary }, '');
      io.stderr(summary);
      return ExitCode.input;
    }
    const err = e as Error;
    io.stderr(printable(`${planFile}: review failed: ${err.message}`));
    if (env.ITSM_MAIL_DEBUG) io.stderr(String(err.stack));
    else io.stderr('Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this.');
    return ExitCode.unexpected;
  }
}

const defaultIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};
