import { z } from 'zod';

// Placeholder: the MFA policy section is defined by the conditional access work (issue #4).
export const mfaPolicySchema = z.strictObject({});

export type MfaPolicyConfig = z.infer<typeof mfaPolicySchema>;
