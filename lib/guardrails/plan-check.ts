/**
 * The guardrails on a plan: the same rules over the plan's inspection (lib/inspection/from-plan.ts),
 * with findings on plan addresses. Pure: no constructs, no cdktf.
 */
import type { StackInspection } from '../inspection/inspection';
import { evaluateGuardrails } from './engine';
import type { GuardrailFinding, GuardrailSuppression } from './finding';
import { subjectsOf } from './subjects';

/**
 * Every finding of every rule on what the plan leaves, suppressions applied. A suppression's path is
 * a plan address (`azuread_application.x`, `module.m.azuread_group.g`); findings there are suppressed.
 */
export function checkPlanInspection(inspection: StackInspection, suppressions: readonly GuardrailSuppression[] = []): GuardrailFinding[] {
  return evaluateGuardrails(subjectsOf(inspection), suppressions, {
    knownPaths: new Set(['', ...inspection.addresses.map((a) => a.path)]),
    pathNoun: 'resource address of the plan',
  });
}
