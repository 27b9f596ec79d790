/**
 * What `synth` and `review` report, in the four `--format`s a pipeline reads:
 *
 * - `text`: one line per item in the form compilers print (`FILE:LINE:COL: error: …`), which
 *   editors and problem matchers read (.github/itsm-mail-problem-matcher.json).
 * - `json`: one document, versioned (`formatVersion`), described by schema/report-v1.schema.json.
 * - `sarif`: SARIF 2.1.0 for code scanning: the rules with their help and source, one location per
 *   result (the config setting), suppressed findings as SARIF `suppressions` with their reason.
 * - `github`: GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`),
 *   escaped as GitHub's toolkit does.
 *
 * Every string taken from a config, a plan or a finding passes through `printable` on the text and
 * github paths (one line, no control characters, credentials redacted); JSON and SARIF carry
 * strings as JSON escapes them, credentials redacted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileProblem } from '../private/file-problem';
import { formatProblemLine } from '../private/file-problem';
import { redactCredentials } from '../private/credentials';
import { printable } from '../private/printable';
import type { GuardrailFinding } from '../guardrails/finding';
import type { GuardrailRuleInfo } from '../guardrails/pack';
import type { FindingLocation } from './finding-location';
import { PROGRAM } from './args';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

/** The JSON document's version: a new major version changes or removes a field; a minor one only adds. */
export const REPORT_FORMAT_VERSION = '1.0';
/** Where the JSON Schema of the document is (in the repository and the package). */
export const REPORT_SCHEMA_ID = 'https://example.invalid/entra-itsm-mail/report-v1.schema.json';

/** A guardrail finding as reported: the finding, where it is in the config, and whether it blocks. */
export interface ReportedFinding {
  readonly ruleId: string;
  readonly severity: GuardrailFinding['severity'];
  readonly title: string;
  readonly message: string;
  readonly detail: string;
  readonly fix: string;
  readonly source: string;
  /** The stack (environment, or tenant-<name>). */
  readonly stack: string;
  /** Construct path below the stack. */
  readonly constructPath: string;
  /** True for an unsuppressed error: synthesis stops on it. */
  readonly blocking: boolean;
  readonly suppressed?: { readonly reason: string; readonly by: string };
  readonly location: FindingLocation;
}

/** One item of the review's Attention list of a plan (lib/review/plan-review.ts). */
export interface ReportedAttention {
  readonly level: 'danger' | 'note';
  readonly address: string;
  readonly title: string;
  readonly text: string;
  readonly ruleId?: string;
}

/** The review of one stack. */
export interface ReportedReview {
  readonly stack: string;
  /** The markdown written, and its hidden marker (for finding the stack's PR comment again). */
  readonly markdownFile: string;
  readonly marker: string;
  /** The plan's Attention list; absent without a plan. */
  readonly attention?: readonly ReportedAttention[];
  readonly findings: readonly ReportedFinding[];
  /** Where the stack is declared in the config (its attention items point there), when known. */
  readonly location?: FindingLocation;
}

export interface SynthReport {
  readonly command: 'synth';
  readonly configFile: string;
  readonly outcome: 'synthesized' | 'input-problems' | 'guardrail-errors' | 'failed';
  readonly exitCode: number;
  readonly outdir?: string;
  readonly stacks: readonly string[];
  readonly problems: readonly FileProblem[];
  readonly findings: readonly ReportedFinding[];
  /** A one-line summary for people. */
  readonly summary: string;
}

export interface ReviewReport {
  readonly command: 'review';
  readonly configFile?: string;
  readonly planFile?: string;
  readonly outcome: 'reviewed' | 'input-problems' | 'failed';
  readonly exitCode: number;
  readonly failOn: 'dangerous' | 'attention' | 'never';
  readonly gateReached: boolean;
  readonly problems: readonly FileProblem[];
  readonly reviews: readonly ReportedReview[];
  readonly summary: string;
}

export type Report = SynthReport | ReviewReport;

/** A finding with where it is in the config. */
export function reportFinding(f: GuardrailFinding, location: FindingLocation): ReportedFinding {
  const [stack = '', ...rest] = f.path.split('/');
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    message: f.message,
    detail: f.detail,
    fix: f.fix,
    source: f.source,
    stack,
    constructPath: rest.join('/'),
    blocking: f.severity === 'error' && f.suppressedReason === undefined,
    ...(f.suppressedReason !== undefined ? { suppressed: { reason: f.suppressedReason, by: f.suppressedBy ?? 'config' } } : {}),
    location,
  };
}

// ---------------------------------------------------------------------------------------------
// text

/** `FILE:LINE:COL: SEVERITY: config.path: RULE severity: message [construct path]`, one line. */
export function findingLine(f: ReportedFinding): string {
  const l = f.location;
  const at = l.line !== undefined ? `${l.file}:${l.line}:${l.column ?? 1}` : l.file;
  const where = `[${f.constructPath}]`;
  if (f.suppressed) return printable(`${at}: note: ${l.configPath}: ${f.ruleId} ${f.severity} suppressed ${where}: ${f.suppressed.reason}`);
  return printable(`${at}: ${compilerSeverity(f.severity)}: ${l.configPath}: ${f.ruleId} ${f.severity}: ${f.message} ${where}`);
}

function compilerSeverity(s: GuardrailFinding['severity']): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/** The text lines of problems and findings (stderr in the text format). */
export function textLines(report: Report): string[] {
  const findings = report.command === 'synth' ? report.findings : report.reviews.flatMap((r) => r.findings);
  return [...report.problems.map(formatProblemLine), ...findings.map(findingLine)];
}

/**
 * A problem as every format shows it: a file's problem quotes what the file holds (a plan's value,
 * a key), which may hold control, invisible or bidirectional characters; they are escaped as on
 * stderr, so a JSON or SARIF reader (code scanning's page) shows what the text line shows.
 */
function shownProblem(p: FileProblem): FileProblem {
  return { ...p, file: printable(p.file), path: printable(p.path), message: printable(p.message) };
}

// ---------------------------------------------------------------------------------------------
// json

/** The JSON document (schema/report-v1.schema.json). */
export function jsonReport(report: Report): string {
  const doc = {
    $schema: REPORT_SCHEMA_ID,
    formatVersion: REPORT_FORMAT_VERSION,
    tool: { name: PROGRAM, version: toolVersion() },
    ...report,
    problems: report.problems.map(shownProblem),
  };
  return redactCredentials(JSON.stringify(doc, null, 2));
}

// ---------------------------------------------------------------------------------------------
// sarif

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://example.invalid/entra-itsm-mail';

/** Pseudo-rules for what is not a guardrail: config problems and the review's Attention items. */
const CONFIG_RULE: GuardrailRuleInfo = {
  id: 'ITSM-INPUT-001',
  severity: 'error',
  title: 'Invalid config or plan file',
  explanation: 'the file cannot be used as it is: nothing is synthesized or reviewed until it is fixed.',
  source: 'this project (the config file schema, docs/*.md)',
  fix: 'fix the field named in the message; the message says what is allowed.',
};
const DANGER_RULE: GuardrailRuleInfo = {
  id: 'ITSM-REVIEW-DANGER',
  severity: 'error',
  title: 'Dangerous plan change',
  explanation: 'the plan replaces, destroys or weakens something people sign in or send mail with (see the review).',
  source: 'this project (docs/review.md)',
  fix: 'read the Attention item in the review; apply only when the change is intended.',
};
const NOTE_RULE: GuardrailRuleInfo = {
  id: 'ITSM-REVIEW-NOTE',
  severity: 'warning',
  title: 'Plan change to read before applying',
  explanation: 'the plan changes something a reviewer should read (see the review).',
  source: 'this project (docs/review.md)',
  fix: 'read the Attention item in the review.',
};

interface SarifResult {
  ruleId: string;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: unknown[];
  suppressions?: { kind: 'inSource' | 'external'; justification: string }[];
  partialFingerprints?: Record<string, string>;
}

/**
 * The SARIF 2.1.0 log of a report: the rules (every guardrail, with help text and source), one
 * result per finding, config problem and Attention item, each with a physical location.
 */
export function sarifReport(report: Report, rules: readonly GuardrailRuleInfo[]): string {
  // A review's Attention items are results of their class of change (ITSM-PLAN-*), or of the
  // generic danger and note rules when the review gives them none.
  // (Loaded here, not at start-up: synthesis does not need it.)
  const planRules = report.command === 'review' ? (require('../review/plan-rules') as typeof import('../review/plan-rules')).PLAN_RULES : [];
  const all = [...rules, ...planRules, CONFIG_RULE, DANGER_RULE, NOTE_RULE];
  const index = new Map(all.map((r, i) => [r.id, i] as const));
  const results: (SarifResult & { ruleIndex?: number })[] = [];
  const withIndex = (r: SarifResult) => results.push(index.has(r.ruleId) ? { ...r, ruleIndex: index.get(r.ruleId)! } : r);
  for (const p of report.problems.map(shownProblem)) {
    withIndex({ ruleId: CONFIG_RULE.id, level: 'error', message: { text: `${p.path}: ${p.message}` }, locations: [physical(p.file, p.line, p.column)] });
  }
  const findings = report.command === 'synth' ? report.findings : report.reviews.flatMap((r) => r.findings);
  for (const f of findings) {
    withIndex({
      ruleId: f.ruleId,
      level: compilerSeverity(f.severity),
      message: { text: `${f.location.configPath}: ${f.message}` },
      locations: [
        {
          ...physical(f.location.file, f.location.line, f.location.column),
          logicalLocations: [{ fullyQualifiedName: `${f.stack}/${f.constructPath}`, kind: 'resource' }],
        },
      ],
      partialFingerprints: { 'itsmMailFinding/v1': `${f.ruleId}:${f.stack}/${f.constructPath}:${f.detail}` },
      ...(f.suppressed
        ? { suppressions: [{ kind: f.suppressed.by === 'code' ? ('external' as const) : ('inSource' as const), justification: f.suppressed.reason }] }
        : {}),
    });
  }
  if (report.command === 'review') {
    for (const r of report.reviews) {
      for (const a of r.attention ?? []) {
        const ruleId = a.ruleId !== undefined && index.has(a.ruleId) ? a.ruleId : a.level === 'danger' ? DANGER_RULE.id : NOTE_RULE.id;
        const loc = r.location ?? { file: report.planFile ?? r.markdownFile, configPath: '' };
        withIndex({
          ruleId,
          level: a.level === 'danger' ? 'error' : 'warning',
          message: { text: `${r.stack}: ${a.title}: ${a.text}` },
          locations: [{ ...physical(loc.file, loc.line, loc.column), logicalLocations: [{ fullyQualifiedName: a.address, kind: 'resource' }] }],
          partialFingerprints: { 'itsmMailAttention/v1': `${r.stack}:${a.address}:${a.title}` },
        });
      }
    }
  }
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: PROGRAM,
            version: toolVersion(),
            informationUri: INFORMATION_URI,
            rules: all.map((r) => ({
              id: r.id,
              name: r.id.replace(/[^A-Za-z0-9]/g, ''),
              shortDescription: { text: r.title },
              fullDescription: { text: `${capitalize(r.explanation)}` },
              help: { text: `${capitalize(r.fix)} Source: ${r.source}.`, markdown: `**Fix:** ${capitalize(r.fix)}\n\n**Source:** ${r.source}` },
              defaultConfiguration: { level: compilerSeverity(r.severity) },
              properties: { source: r.source, tags: ['security', 'entra-id'] },
            })),
          },
        },
        invocations: [{ executionSuccessful: report.outcome !== 'failed', exitCode: report.exitCode }],
        results,
      },
    ],
  };
  return redactCredentials(JSON.stringify(log, null, 2));
}

function physical(file: string, line?: number, column?: number): { physicalLocation: Record<string, unknown> } {
  return {
    physicalLocation: {
      artifactLocation: { uri: fileUri(file) },
      ...(line !== undefined ? { region: { startLine: line, ...(column !== undefined ? { startColumn: column } : {}) } } : {}),
    },
  };
}

/** A file name as a relative URI reference (forward slashes, each segment percent-encoded). */
export function fileUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function capitalize(s: string): string {
  return s.length > 0 ? s[0].toUpperCase() + s.slice(1) : s;
}

// ---------------------------------------------------------------------------------------------
// github

/** A workflow command's message, escaped as GitHub's toolkit does (`%`, CR, LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value, escaped as GitHub's toolkit does (also `:` and `,`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(level: 'error' | 'warning' | 'notice', props: { file?: string; line?: number; col?: number; title: string }, message: string): string {
  const parts = [
    ...(props.file !== undefined ? [`file=${escapeProperty(printable(props.file))}`] : []),
    ...(props.line !== undefined ? [`line=${props.line}`] : []),
    ...(props.col !== undefined ? [`col=${props.col}`] : []),
    `title=${escapeProperty(printable(props.title))}`,
  ];
  return `::${level} ${parts.join(',')}::${escapeData(printable(message))}`;
}

/**
 * GitHub Actions annotations: one per config problem, unsuppressed finding and Attention item.
 * Suppressed findings are accepted risks: they are counted in the summary, not annotated.
 */
export function githubLines(report: Report): string[] {
  const out: string[] = [];
  for (const p of report.problems)
    out.push(annotation('error', { file: p.file, ...(p.line !== undefined ? { line: p.line, col: p.column ?? 1 } : {}), title: `${p.path}` }, p.message));
  const findings = report.command === 'synth' ? report.findings : report.reviews.flatMap((r) => r.findings);
  for (const f of findings) {
    if (f.suppressed) continue;
    const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    const l = f.location;
    out.push(
      annotation(
        level,
        { file: l.file, ...(l.line !== undefined ? { line: l.line, col: l.column ?? 1 } : {}), title: `${f.ruleId} ${f.title}` },
        `${l.configPath}: ${f.message} [${f.stack}/${f.constructPath}]`,
      ),
    );
  }
  if (report.command === 'review') {
    for (const r of report.reviews) {
      for (const a of r.attention ?? []) {
        const l = r.location;
        out.push(
          annotation(
            a.level === 'danger' ? 'error' : 'warning',
            { ...(l ? { file: l.file, ...(l.line !== undefined ? { line: l.line, col: l.column ?? 1 } : {}) } : {}), title: `${r.stack}: ${a.title}` },
            `${a.text} (${a.address})`,
          ),
        );
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

let version: string | undefined;

/** This package's version, from its package.json (found upward from this file, in lib/ or dist/lib/). */
export function toolVersion(): string {
  if (version !== undefined) return version;
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === PROGRAM && typeof pkg.version === 'string') return (version = pkg.version);
      } catch {
        // not ours
      }
    }
    dir = dirname(dir);
  }
  return (version = '0.0.0');
}
