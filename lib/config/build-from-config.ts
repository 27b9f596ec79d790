import type { Construct } from 'constructs';
import type { ItsmMailStack } from '../stack/itsm-mail-stack';
import { normalizeConditionalAccessPolicy } from '../model/conditional-access-policy';
import { applyGuardrailsConfig } from './guardrails-config';
import type { EnvironmentConfig, ItsmMailConfig } from './schema';
import { tenantStackName } from '../model/tenant';

/** Construct ID of the application in each stack: part of every Terraform address below it. */
export const APPLICATION_CONSTRUCT_ID = 'itsm-mail';
/**
 * Construct ID of the policy in each stack; its Terraform address is
 * `azuread_conditional_access_policy.mfa-policy`. Public API: renaming it recreates the policy.
 */
export const MFA_POLICY_CONSTRUCT_ID = 'mfa-policy';
/**
 * Construct ID of the target group in each stack; a created group's Terraform address is
 * `azuread_group.mfa-group`. Public API: renaming it recreates the group.
 */
export const MFA_GROUP_CONSTRUCT_ID = 'mfa-group';

/** The top-level construct IDs an environment of the config creates (suppressions start with one). */
export function configConstructRoots(env: Pick<EnvironmentConfig, 'application' | 'mfaPolicy'>): string[] {
  return [...(env.application ? [APPLICATION_CONSTRUCT_ID] : []), ...(env.mfaPolicy ? [MFA_POLICY_CONSTRUCT_ID, MFA_GROUP_CONSTRUCT_ID] : [])];
}

/**
 * Declares one stack per environment of a validated config, in sorted order. The stack's id is the
 * environment name, so `cdktf deploy <name>` selects it and the Terraform addresses stay stable.
 * cdktf is loaded here, not by the config loader: a bad file is reported without its start-up.
 */
export function buildStacksFromConfig(scope: Construct, config: ItsmMailConfig): ItsmMailStack[] {
  const { ItsmMailStack } = require('../stack/itsm-mail-stack') as typeof import('../stack/itsm-mail-stack');
  const { ItsmMailApplication } = require('../application/itsm-mail-application') as typeof import('../application/itsm-mail-application');
  const { addApplicationOutputs } = require('../application/application-outputs') as typeof import('../application/application-outputs');
  const { SecurityGroup } = require('../conditional-access/security-group') as typeof import('../conditional-access/security-group');
  const { ConditionalAccessPolicy } =
    require('../conditional-access/conditional-access-policy') as typeof import('../conditional-access/conditional-access-policy');
  const { addMfaPolicyOutputs } = require('../conditional-access/policy-outputs') as typeof import('../conditional-access/policy-outputs');

  const { TenantStack } = require('../stack/tenant-stack') as typeof import('../stack/tenant-stack');
  const tenants = config.tenants ?? {};
  const tenantStacks = Object.keys(tenants)
    .sort()
    .map((name) => {
      // The applications of this tenant's environments, for policies that name an environment's service principal.
      const applicationDisplayNames = Object.fromEntries(
        Object.entries(config.environments)
          .filter(([, e]) => e.tenant === name && e.application !== undefined)
          .map(([env, e]) => [env, e.application!.displayName]),
      );
      const { guardrails, ...props } = tenants[name];
      const stack = new TenantStack(scope, tenantStackName(name), props, { applicationDisplayNames });
      applyGuardrailsConfig(stack, guardrails);
      return stack;
    });
  const environmentStacks = Object.keys(config.environments)
    .sort()
    .map((name) => {
      const env = config.environments[name];
      const tenantId = env.tenantId ?? (env.tenant !== undefined ? tenants[env.tenant]?.tenantId : undefined);
      const stack = new ItsmMailStack(scope, name, { tenantId, provider: env.provider, backend: env.backend });
      if (env.application) addApplicationOutputs(stack, new ItsmMailApplication(stack, APPLICATION_CONSTRUCT_ID, env.application));
      if (env.mfaPolicy) {
        const p = env.mfaPolicy;
        const m = normalizeConditionalAccessPolicy(p);
        // The group is the stack's own construct (address azuread_group.mfa-group), handed to the policy by reference.
        let created: string | undefined;
        if (m.group && 'create' in m.group) {
          const declared = new SecurityGroup(stack, MFA_GROUP_CONSTRUCT_ID, m.group.create);
          if (m.import?.groupObjectId !== undefined) declared.importExisting(m.import.groupObjectId);
          created = declared.groupObjectId;
        }
        // The group is imported here, where it is declared; the policy imports only itself.
        const policyImport = m.import ? { import: { policyId: m.import.policyId } } : {};
        const policy = new ConditionalAccessPolicy(stack, MFA_POLICY_CONSTRUCT_ID, {
          ...p,
          ...(created !== undefined ? { group: { existingObjectId: created } } : {}),
          ...policyImport,
        });
        addMfaPolicyOutputs(stack, policy);
      }
      applyGuardrailsConfig(stack, env.guardrails);
      return stack;
    });
  return [...environmentStacks, ...tenantStacks];
}
