import type { ItsmMailStack } from '../itsm-mail-stack';
import type { MfaPolicyConfig } from './mfa-policy-schema';
import type { SemanticProblem } from './semantic-checks';

// Placeholder wiring; the conditional access work (issue #4) fills these in.

/** Cross-field checks of one environment's `mfaPolicy` section; paths are relative to it. */
export function checkMfaPolicyConfig(_config: MfaPolicyConfig): SemanticProblem[] {
  return [];
}

/** Declares the group and the conditional access policy of one environment. */
export function addMfaPolicyFromConfig(_stack: ItsmMailStack, _config: MfaPolicyConfig): void {}
