import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { inspectStack } from '../inspection/from-stack';
import type { StackInspection } from '../inspection/inspection';
import { evaluateGuardrails, isAtOrBelow } from './engine';
import { compareFindings, type GuardrailFinding, type GuardrailSuppression } from './finding';
import { subjectsOf } from './subjects';
import { collectSuppressions } from './suppressions';

export type { GuardrailFinding, GuardrailSuppression } from './finding';

/**
 * Runs every guardrail rule over the stacks at or below `scope` (or the part of the enclosing
 * stack below it), reading each stack's inspection, and applies the suppressions recorded on the
 * constructs. Reads the tree only: nothing is synthesized or written.
 *
 * @returns every finding, suppressed ones included (with `suppressedReason`), in a stable order
 */
export function checkGuardrails(scope: IConstruct): GuardrailFinding[] {
  const below = scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  if (below.length > 0) return below.flatMap((stack) => checkStack(stack, inspectStack(stack))).sort(compareFindings);
  const stack = TerraformStack.of(scope);
  return checkStack(stack, inspectStack(stack)).filter((f) => isAtOrBelow(f.path, scope.node.path));
}

/** The findings of one stack, given its inspection. */
export function checkStack(stack: IConstruct, inspection: StackInspection): GuardrailFinding[] {
  const suppressions: GuardrailSuppression[] = [...collectSuppressions(stack), ...waiverSuppressions(inspection)];
  // Ancestors count too: a suppression on the App covers every stack.
  const knownPaths = new Set([...stack.node.scopes, ...stack.node.findAll()].map((c) => c.node.path));
  return evaluateGuardrails(subjectsOf(inspection), suppressions, { knownPaths });
}

/** A policy's written waiver (allowEnforcedWithoutBreakGlassExclusion) accepts ITSM-CA-001 with its reason. */
export function waiverSuppressions(inspection: StackInspection): GuardrailSuppression[] {
  return inspection.policies
    .filter((p) => p.breakGlassWaiver !== undefined)
    .map((p) => ({ ruleId: 'ITSM-CA-001', path: p.owner, reason: p.breakGlassWaiver!, origin: 'construct' as const }));
}
