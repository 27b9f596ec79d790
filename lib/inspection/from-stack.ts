/**
 * The inspection of a stack of the construct tree: its Terraform JSON as cdktf synthesizes it
 * (`TerraformStack.toTerraform()`, the same document written to `cdk.tf.json`) and the
 * declarations recorded on its constructs. The one place that reads a stack for the guardrails and
 * the review. Call it once the tree is complete: cdktf fixes logical IDs when it renders them.
 */
import type { IConstruct } from 'constructs';
import { collectDeclarations } from './declarations';
import { inspectTerraform, type TerraformJson } from './inspect';
import type { StackInspection } from './inspection';

/** What this needs of a cdktf `TerraformStack`. */
export interface InspectableStack extends IConstruct {
  toTerraform(): unknown;
}

/** Inspects one stack. */
export function inspectStack(stack: InspectableStack): StackInspection {
  return inspectRendered(stack, stack.toTerraform());
}

/** Inspects one stack whose Terraform JSON is already rendered (`stack.toTerraform()`). */
export function inspectRendered(stack: IConstruct, json: unknown): StackInspection {
  return inspectTerraform(json as TerraformJson, collectDeclarations(stack), stack.node.id);
}
