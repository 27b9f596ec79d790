import { checkGuardrailsConfig } from '../guardrails/config';
import { checkApplicationConfig } from './application-checks';
import { checkMfaPolicyConfig } from './mfa-policy-from-config';
import type { ItsmMailConfig } from './schema';

/** A problem found after the shape is valid: the path is relative to the top of the file. */
export interface SemanticProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * Checks that need more than one field or outside knowledge (the permission catalogue, the
 * break-glass rule). The same rules guard the constructs when they are used without a file.
 */
export function checkSemantics(config: ItsmMailConfig): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  for (const [name, env] of Object.entries(config.environments)) {
    const base = ['environments', name];
    if (!env.application && !env.mfaPolicy) {
      problems.push({ path: base, message: 'declares nothing: add an "application" section, an "mfaPolicy" section, or both' });
    }
    if (env.application) {
      for (const p of checkApplicationConfig(env.application)) problems.push({ path: [...base, 'application', ...p.path], message: p.message });
    }
    if (env.mfaPolicy) {
      for (const p of checkMfaPolicyConfig(env.mfaPolicy)) problems.push({ path: [...base, 'mfaPolicy', ...p.path], message: p.message });
    }
    for (const p of checkGuardrailsConfig(env, name)) problems.push({ path: [...base, 'guardrails', ...p.path], message: p.message });
  }
  return problems;
}
