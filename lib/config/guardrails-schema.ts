import { z } from 'zod';
import { SUPPRESSIBLE_RULE_IDS, suppressionReasonProblem } from '../guardrails/pack';
import { text } from './common';

/** One accepted finding: which rule, on which construct (and below), and why. */
export const suppressionSchema = z.strictObject({
  rule: z
    .enum(SUPPRESSIBLE_RULE_IDS as [string, ...string[]])
    .describe('The rule ID, e.g. ITSM-SEC-003 (see docs/guardrails.md).'),
  resource: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/, {
      error: 'must be a construct path below the stack, as printed in brackets after a finding, e.g. itsm-mail/client-secret',
    })
    .max(300, { error: 'is too long: at most 300 characters' })
    .describe('Construct path below the stack, as printed in brackets after the finding (e.g. itsm-mail/client-secret); the construct and everything below it.'),
  reason: text(1000)
    .refine((r) => suppressionReasonProblem(r) === undefined, { error: suppressionReasonProblem('') })
    .describe('Why the finding is accepted, in a sentence; shown in the review.'),
});

export const guardrailsSchema = z.strictObject({
  suppressions: z.array(suppressionSchema).default([]).describe('Accepted guardrail findings, each with a written reason.'),
});

export type GuardrailsConfig = z.infer<typeof guardrailsSchema>;
export type SuppressionConfig = z.infer<typeof suppressionSchema>;
