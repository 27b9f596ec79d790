import type { IConstruct } from 'constructs';
import type { GuardrailSuppression } from './finding';
import { suppressionReasonProblem, unknownRuleIdProblem } from './pack';

/** Node metadata type under which suppressions are recorded (never synthesized). */
export const SUPPRESSION_METADATA = 'entra-itsm-mail:guardrails:suppression';

/**
 * Records a suppression on `scope`. `path` is absolute (findings at it and below are suppressed).
 * @throws Error when the rule is unknown or the reason is not a sentence
 */
export function recordSuppression(scope: IConstruct, suppression: GuardrailSuppression): void {
  const problems = [unknownRuleIdProblem(suppression.ruleId), suppressionReasonProblem(suppression.reason)].filter((p) => p !== undefined);
  if (problems.length > 0) {
    throw new Error(`Guardrails.suppress(${suppression.path || '(app)'}, ${JSON.stringify(suppression.ruleId)}): ${problems.join('; ')}`);
  }
  scope.node.addMetadata(SUPPRESSION_METADATA, { ...suppression, reason: suppression.reason.trim() }, { stackTrace: false });
}

/** Every suppression recorded at or below `scope`, or on its ancestors, without duplicates. */
export function collectSuppressions(scope: IConstruct): GuardrailSuppression[] {
  const nodes = [...scope.node.scopes, ...scope.node.findAll()];
  const seen = new Set<string>();
  const out: GuardrailSuppression[] = [];
  for (const n of nodes) {
    for (const m of n.node.metadata) {
      if (m.type !== SUPPRESSION_METADATA) continue;
      const s = m.data as GuardrailSuppression;
      const key = `${s.ruleId}\u0000${s.path}\u0000${s.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(s);
    }
  }
  return out;
}
