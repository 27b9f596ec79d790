import type { Construct } from 'constructs';
import type { ItsmMailStack } from '../stack/itsm-mail-stack';
import { MANUAL_DEFAULTS } from '../model/conditional-access-values';
import { applyGuardrailsConfig } from './guardrails-config';
import type { EnvironmentConfig, ItsmMailConfig } from './schema';

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
  const { TerraformOutput } = require('cdktf') as typeof import('cdktf');
  const { ItsmMailStack } = require('../stack/itsm-mail-stack') as typeof import('../stack/itsm-mail-stack');
  const { ItsmMailApplication } = require('../application/itsm-mail-application') as typeof import('../application/itsm-mail-application');
  const { addApplicationOutputs } = require('../application/application-outputs') as typeof import('../application/application-outputs');
  const { SecurityGroup } = require('../conditional-access/security-group') as typeof import('../conditional-access/security-group');
  const { MfaConditionalAccessPolicy } = require('../conditional-access/mfa-conditional-access-policy') as typeof import('../conditional-access/mfa-conditional-access-policy');

  return Object.keys(config.environments)
    .sort()
    .map((name) => {
      const env = config.environments[name];
      const stack = new ItsmMailStack(scope, name, { tenantId: env.tenantId, provider: env.provider, backend: env.backend });
      if (env.application) addApplicationOutputs(stack, new ItsmMailApplication(stack, APPLICATION_CONSTRUCT_ID, env.application));
      if (env.mfaPolicy) {
        const p = env.mfaPolicy;
        // The group is the stack's own construct (address azuread_group.mfa-group), handed to the policy by reference.
        const existing = p.group?.existingObjectId;
        let groupObjectId = existing;
        if (groupObjectId === undefined) {
          const group = new SecurityGroup(stack, MFA_GROUP_CONSTRUCT_ID, { ...p.group?.create, displayName: p.group?.create?.displayName ?? MANUAL_DEFAULTS.groupDisplayName });
          if (p.import?.groupObjectId !== undefined) group.importExisting(p.import.groupObjectId);
          groupObjectId = group.groupObjectId;
        }
        // The group is imported here, where it is declared; the policy imports only itself.
        const policyImport = p.import ? { import: { policyId: p.import.policyId } } : {};
        const policy = new MfaConditionalAccessPolicy(stack, MFA_POLICY_CONSTRUCT_ID, { ...p, group: { existingObjectId: groupObjectId }, ...policyImport });
        const out = (id: string, value: unknown, description: string) => new TerraformOutput(stack, id, { value, description }).overrideLogicalId(id);
        out('mfa_policy_id', policy.policyId, `Object ID of the conditional access policy "${policy.model.displayName}"`);
        out('mfa_policy_state', policy.state, 'reportOnly, on or off: the policy is enforced only when on');
        out('mfa_group_object_id', policy.groupObjectId, 'Object ID of the group the MFA policy targets: its members are the users who must use MFA');
      }
      applyGuardrailsConfig(stack, env.guardrails);
      return stack;
    });
}
