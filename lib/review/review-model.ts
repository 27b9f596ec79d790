/**
 * What the review shows for one environment: the stack's inspection (lib/inspection), the
 * guardrail findings on it, and every resource in words for reading a plan.
 */
import type { GuardrailFinding } from '../guardrails/finding';
import type { StackInspection } from '../inspection/inspection';

export interface EnvironmentReview {
  /** The stack's name (the environment). */
  readonly environment: string;
  /** Everything the stack declares. */
  readonly inspection: StackInspection;
  /** Guardrail findings, suppressed ones included. Paths are relative to the stack. */
  readonly findings: readonly GuardrailFinding[];
  /** Every resource of the stack, in words, for reading a plan. */
  readonly resources: readonly ResourceLabel[];
}

/** A Terraform resource in the reviewer's words. */
export interface ResourceLabel {
  /** `azuread_application.itsm-mail_application_DE9ACE3A` (data sources: `data.…`). */
  readonly address: string;
  /** Construct path below the stack. */
  readonly path: string;
  /** e.g. `application "Pandora ITSM mail"`. */
  readonly label: string;
}
