import type { Construct } from 'constructs';
import { applyGuardrailsConfig } from '../guardrails/config';
import { ItsmMailStack } from '../itsm-mail-stack';
import { addApplicationFromConfig } from './application-from-config';
import { addMfaPolicyFromConfig } from './mfa-policy-from-config';
import type { ItsmMailConfig } from './schema';

/**
 * Declares one stack per environment of a validated config. The stack's id is the environment
 * name, so `cdktf deploy <name>` selects it and the Terraform addresses stay stable.
 */
export function buildStacksFromConfig(scope: Construct, config: ItsmMailConfig): ItsmMailStack[] {
  return Object.entries(config.environments)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, env]) => {
      const stack = new ItsmMailStack(scope, name, {
        tenantId: env.tenantId,
        authentication: env.provider?.authentication,
        deployerClientId: env.provider?.clientId,
        backend: env.backend,
      });
      if (env.application) addApplicationFromConfig(stack, env.application);
      if (env.mfaPolicy) addMfaPolicyFromConfig(stack, env.mfaPolicy);
      applyGuardrailsConfig(stack, env.guardrails);
      return stack;
    });
}
