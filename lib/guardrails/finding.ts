import type { GuardrailSeverity } from './rule';

/** One guardrail finding on one construct. */
export interface GuardrailFinding {
  readonly ruleId: string;
  readonly severity: GuardrailSeverity;
  /** Construct path, e.g. `prod/itsm-mail/application`. */
  readonly path: string;
  /** The whole finding in one line: what, why, the fix and the source. */
  readonly message: string;
  /** Set when the finding is suppressed, with the written reason. */
  readonly suppressedReason?: string;
  /** Where the suppression was written: in code (`Guardrails.suppress`), in the config file, or a construct's own waiver prop. */
  readonly suppressedBy?: 'code' | 'config' | 'construct';
  /** The rule's title. */
  readonly title: string;
  /** What exactly was found here. */
  readonly detail: string;
  /** How to fix it. */
  readonly fix: string;
  /** Where the rule comes from. */
  readonly source: string;
}

/** A written decision to accept one rule's findings at a construct and below. */
export interface GuardrailSuppression {
  readonly ruleId: string;
  /** Absolute construct path (`prod/itsm-mail/client-secret`); findings there and below are suppressed. */
  readonly path: string;
  readonly reason: string;
  readonly origin: 'code' | 'config' | 'construct';
}

/** Orders findings by path, then rule, then detail: the same input always prints the same way. */
export function compareFindings(a: GuardrailFinding, b: GuardrailFinding): number {
  return cmp(a.path, b.path) || cmp(a.ruleId, b.ruleId) || cmp(a.detail, b.detail);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
