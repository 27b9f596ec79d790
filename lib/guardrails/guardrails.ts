import { Aspects, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { GuardrailsAspect } from './aspect';
import { checkGuardrails } from './check';
import type { GuardrailFinding } from './finding';
import { GUARDRAIL_RULES } from './pack';
import type { GuardrailRule } from './rule';
import { recordSuppression } from './suppressions';

/** The guardrail rule pack for library users: suppress a finding, check a tree, apply at synthesis. */
export class Guardrails {
  /** Every rule of the pack (IDs, severities, sources, fixes), as documented in docs/guardrails.md. */
  public static readonly rules: readonly GuardrailRule[] = GUARDRAIL_RULES;

  /**
   * Accepts the findings of one rule on `scope` and every construct below it, with a written reason
   * that the review and the synthesis output show.
   *
   * @param scope the construct the finding is reported on (the path in brackets), or an ancestor
   * @param ruleId e.g. `ITSM-SEC-003`
   * @param reason why the finding is accepted, in a sentence (at least 20 characters and 4 words)
   * @throws Error when the rule is unknown or the reason is not a sentence
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    // A construct's `Default` child (e.g. `policy.resource`) reports its findings on the construct.
    const target = scope.node.id === 'Default' && scope.node.scope ? scope.node.scope : scope;
    recordSuppression(scope, { ruleId, path: target.node.path, reason, origin: 'code' });
  }

  /**
   * Every finding below `scope`, suppressed ones included; see `checkGuardrails`. It renders the
   * stacks as synthesis does, which fixes their logical IDs: call it once the tree is complete (an
   * `overrideLogicalId` after it has no effect, as after synthesis).
   */
  public static check(scope: IConstruct): GuardrailFinding[] {
    return checkGuardrails(scope);
  }

  /**
   * Adds a `GuardrailsAspect` to every stack at or below `scope` (or to `scope`'s stack), so that
   * synthesis fails on an unsuppressed error and prints warnings.
   */
  public static applyTo(scope: IConstruct): void {
    const stacks = scope.node.findAll().filter((c) => TerraformStack.isStack(c));
    if (stacks.length === 0 && !scope.node.scopes.some((c) => TerraformStack.isStack(c))) {
      throw new Error(`Guardrails.applyTo(${scope.node.path || 'app'}): no stack at or above it yet; call it after declaring the stacks`);
    }
    for (const s of stacks.length > 0 ? stacks : [TerraformStack.of(scope)]) Aspects.of(s).add(new GuardrailsAspect());
  }
}
