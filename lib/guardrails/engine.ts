/**
 * Runs the rule pack over subjects and applies suppressions. Pure: no constructs, no cdktf.
 */
import { compareFindings, type GuardrailFinding, type GuardrailSuppression } from './finding';
import { GUARDRAIL_RULES, IDLE_SUPPRESSION, UNMATCHED_SUPPRESSION, type GuardrailRuleInfo } from './pack';
import { applyRule, type GuardrailRule } from './rule';
import type { GuardrailSubject } from './subjects';

export interface EvaluateOptions {
  /** The rules to run. @default GUARDRAIL_RULES */
  readonly rules?: readonly GuardrailRule[];
  /**
   * Every construct path that exists; a suppression naming none of them is reported as
   * ITSM-GR-001. @default - not checked
   */
  readonly knownPaths?: ReadonlySet<string>;
  /** What a path names, in the message of a suppression that names none. @default 'construct' */
  readonly pathNoun?: string;
}

/** Every finding of every rule on every subject, suppressions applied, in a stable order. */
export function evaluateGuardrails(
  subjects: readonly GuardrailSubject[],
  suppressions: readonly GuardrailSuppression[] = [],
  options: EvaluateOptions = {},
): GuardrailFinding[] {
  const findings: GuardrailFinding[] = [];
  for (const rule of options.rules ?? GUARDRAIL_RULES) {
    for (const subject of subjects) {
      for (const h of applyRule(rule, subject)) findings.push(makeFinding(rule, h.path ?? subject.path, h.detail));
    }
  }
  const out = findings.map((f) => suppress(f, suppressions));
  for (const s of suppressions) {
    if (options.knownPaths && !options.knownPaths.has(s.path)) {
      out.push(
        makeFinding(
          UNMATCHED_SUPPRESSION,
          s.path,
          `suppression of ${s.ruleId} (${s.origin}) names "${s.path}", which is no ${options.pathNoun ?? 'construct'}`,
        ),
      );
    } else if (s.origin !== 'construct' && !findings.some((f) => f.ruleId === s.ruleId && isAtOrBelow(f.path, s.path))) {
      out.push(
        makeFinding(IDLE_SUPPRESSION, s.path, `suppression of ${s.ruleId} (${s.origin}) at "${s.path}" suppresses nothing: ${s.ruleId} finds nothing there`),
      );
    }
  }
  return dedupe(out).sort(compareFindings);
}

/** A finding of `rule` at `path`. */
export function makeFinding(rule: GuardrailRuleInfo, path: string, detail: string): GuardrailFinding {
  return {
    ruleId: rule.id,
    severity: rule.severity,
    path,
    message: `${detail}: ${rule.explanation} Fix: ${rule.fix} (${rule.source})`,
    title: rule.title,
    detail,
    fix: rule.fix,
    source: rule.source,
  };
}

/** True when `path` is `scope` or below it. */
export function isAtOrBelow(path: string, scope: string): boolean {
  return path === scope || path.startsWith(`${scope}/`) || scope === '';
}

function suppress(f: GuardrailFinding, suppressions: readonly GuardrailSuppression[]): GuardrailFinding {
  // The most specific suppression wins, so its reason is the one shown.
  const match = suppressions
    .filter((s) => s.ruleId === f.ruleId && isAtOrBelow(f.path, s.path))
    .sort((a, b) => b.path.length - a.path.length || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0))[0];
  return match ? { ...f, suppressedReason: match.reason, suppressedBy: match.origin } : f;
}

function dedupe(findings: GuardrailFinding[]): GuardrailFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\u0000${f.path}\u0000${f.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
