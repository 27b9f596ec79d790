/**
 * `review --plan` without a config: the plan's review in words, its drift, its dangerous changes,
 * and the guardrails on what it leaves. Pure: a parsed plan in, the review and its markdown out.
 */
import type { GuardrailFinding, GuardrailSuppression } from '../guardrails/finding';
import { checkPlanInspection } from '../guardrails/plan-check';
import { inspectPlan } from '../inspection/from-plan';
import { reviewAnyPlan, type AnyPlanReview } from './any-plan';
import type { Plan } from './plan';
import { PlanNames } from './plan-names';
import { renderAnyPlanReview } from './render-any-plan';

export interface PlanAloneReview {
  readonly review: AnyPlanReview;
  readonly findings: readonly GuardrailFinding[];
  /** The markdown. */
  readonly text: string;
}

/**
 * Reviews a plan on its own; `planFile` names it in the header and as the inspection's stack.
 * `suppressions` accept findings on plan addresses (a suppressions file, lib/config/plan-suppressions.ts).
 */
export function reviewPlanAlone(plan: Plan, planFile: string, suppressions: readonly GuardrailSuppression[] = [], suppressionsFile?: string): PlanAloneReview {
  const review = reviewAnyPlan(plan);
  const names = new PlanNames(plan);
  const findings = checkPlanInspection(inspectPlan(plan, planFile, 'after', names.wellKnownServicePrincipals()), suppressions).map((f) => ({
    ...f,
    detail: names.explain(f.detail),
    message: names.explain(f.message),
  }));
  return { review, findings, text: renderAnyPlanReview(review, { planFile, findings, ...(suppressionsFile !== undefined ? { suppressionsFile } : {}) }) };
}
