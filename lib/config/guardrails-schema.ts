import { z } from 'zod';

// Placeholder: the guardrails work (issue #6) defines suppressions here.
export const guardrailsSchema = z.strictObject({});

export type GuardrailsConfig = z.infer<typeof guardrailsSchema>;
