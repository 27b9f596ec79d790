import type { IConstruct } from 'constructs';

// Placeholder wiring; the guardrails work (issue #6) fills this in.

/** One guardrail finding on one construct. */
export interface GuardrailFinding {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning' | 'info';
  /** Construct path, e.g. `prod/itsm-mail/application`. */
  readonly path: string;
  readonly message: string;
  /** Set when the finding is suppressed, with the written reason. */
  readonly suppressedReason?: string;
}

/** Runs every guardrail rule over the constructs below `scope` (stacks of an app, or one stack). */
export function checkGuardrails(_scope: IConstruct): GuardrailFinding[] {
  return [];
}
