import type { IConstruct } from 'constructs';
import { evaluateGuardrails } from './engine';
import { compareFindings, type GuardrailFinding } from './finding';
import { buildStackModels } from './model';

export type { GuardrailFinding, GuardrailSuppression } from './finding';

/**
 * Runs every guardrail rule over the constructs below `scope` (stacks of an app, or one stack)
 * and applies the suppressions recorded on them. Reads the tree only: nothing is synthesized or
 * written, so callers can refuse to synthesize on an error.
 *
 * @returns every finding, suppressed ones included (with `suppressedReason`), in a stable order
 */
export function checkGuardrails(scope: IConstruct): GuardrailFinding[] {
  return buildStackModels(scope)
    .flatMap((m) => evaluateGuardrails(m.subjects, m.suppressions, { knownPaths: m.knownPaths }))
    .sort(compareFindings);
}
