import type { GuardrailSubject, SubjectKind, SubjectOf } from './subjects';

/** `error` fails synthesis, `warning` is printed, `info` is a reminder for the reviewer. */
export type GuardrailSeverity = 'error' | 'warning' | 'info';

/** One thing a rule found on one subject. */
export interface RuleHit {
  /** What exactly is wrong here, in a phrase ("client secret valid 400 days"). */
  readonly detail: string;
  /** Construct path the finding belongs to, when not the subject's own. */
  readonly path?: string;
}

/**
 * A guardrail rule: a small pure function over one kind of subject, with the words a reviewer
 * needs. The ID is stable: suppressions name it.
 */
export interface GuardrailRule<K extends SubjectKind = SubjectKind> {
  /** Stable ID, `ITSM-<AREA>-<NNN>`. */
  readonly id: string;
  readonly severity: GuardrailSeverity;
  /** What the rule checks, as a short title. */
  readonly title: string;
  /** Why it matters, in a sentence. */
  readonly explanation: string;
  /** Where the rule comes from (baseline control, Maester test, Microsoft guidance). */
  readonly source: string;
  /** How to fix it, in a sentence. */
  readonly fix: string;
  /** The kind of subject it checks. */
  readonly appliesTo: K;
  /** The hits on one subject; empty when it passes. Pure: same subject, same hits. */
  check(subject: SubjectOf<K>): readonly RuleHit[];
}

/** Runs a rule on a subject of any kind: no hits when the rule does not apply to it. */
export function applyRule(rule: GuardrailRule, subject: GuardrailSubject): readonly RuleHit[] {
  return rule.appliesTo === subject.kind ? rule.check(subject as never) : [];
}

/** A hit on the subject itself. */
export function hit(detail: string, path?: string): RuleHit {
  return path === undefined ? { detail } : { detail, path };
}
