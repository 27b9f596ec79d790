import type { CheckResult, VerifyReport } from './types';

const WORD = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' } as const;

/** `PASS|FAIL|SKIP <check>: <detail>`, then `  cause: ...` and, on FAIL, `  fix: ...`. */
export function renderCheck(c: CheckResult): string[] {
  const lines = [`${WORD[c.status]} ${c.id}: ${c.detail}`];
  if (c.cause) lines.push(`  cause: ${c.cause}`);
  if (c.status === 'fail' && c.fix) lines.push(`  fix: ${c.fix}`);
  return lines;
}

export function summaryLine(report: VerifyReport, environment?: string): string {
  const n = (s: CheckResult['status']) => report.checks.filter((c) => c.status === s).length;
  return `verify${environment ? ` ${environment}` : ''}: ${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped`;
}

export interface JsonMeta {
  readonly environment?: string;
  readonly flow?: string;
  readonly mailbox?: string;
}

/** One JSON document: `{ok, environment, flow, mailbox, checks: [{id, status, detail, causeId?, cause?, fix?, serverAnswer?}]}`. */
export function renderJson(report: VerifyReport, meta: JsonMeta, scrub: (s: string) => string = (s) => s): string {
  const checks = report.checks.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, typeof v === 'string' ? scrub(v) : v])));
  return JSON.stringify({ ok: report.ok, ...meta, checks }, null, 2);
}
