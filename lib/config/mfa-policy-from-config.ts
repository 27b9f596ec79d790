import { AuthenticationStrength } from '../conditional-access/authentication-strength';
import { CloudApplication } from '../conditional-access/cloud-application';
import type { MfaConditionalAccessPolicyProps, MfaGrant } from '../conditional-access/mfa-conditional-access-policy';
import { mfaPolicyProblems, resolveApplication, resolveAuthenticationStrength, type MfaPolicyRuleInput } from '../conditional-access/rules';
import type { ISecurityGroup } from '../conditional-access/security-group';
import { SignInFrequency } from '../conditional-access/sign-in-frequency';
import { MANUAL_DEFAULTS, type AdditionalGrantControl } from '../conditional-access/values';
import type { ItsmMailStack } from '../itsm-mail-stack';
import type { MfaPolicyConfig } from './mfa-policy-schema';
import type { SemanticProblem } from './semantic-checks';

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

/** Cross-field checks of one environment's `mfaPolicy` section; paths are relative to it. */
export function checkMfaPolicyConfig(config: MfaPolicyConfig): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const { create, existingObjectId } = config.group;
  if (create && existingObjectId !== undefined) {
    problems.push({ path: ['group'], message: 'sets both create and existingObjectId: keep create to declare a new group, or existingObjectId to use a group of the tenant' });
  } else if (!create && existingObjectId === undefined) {
    problems.push({ path: ['group'], message: `sets neither create nor existingObjectId: add "create: {}" for a new group named "${MANUAL_DEFAULTS.groupDisplayName}", or existingObjectId: <group object ID>` });
  }
  // The construct's rules, run on the file's values: the field rules already passed in the schema,
  // so in practice this adds the cross-field ones (grant, break-glass exclusion, overlaps).
  problems.push(...mfaPolicyProblems(ruleInputFromConfig(config)));
  return problems;
}

/** The rules' view of a validated `mfaPolicy` section. */
export function ruleInputFromConfig(config: MfaPolicyConfig): MfaPolicyRuleInput {
  return {
    displayName: config.displayName,
    state: config.state,
    targetGroupObjectId: config.group.existingObjectId,
    includeUsers: config.includeUsers,
    excludeUsers: config.excludeUsers,
    includeGroups: config.includeGroups,
    excludeGroups: config.excludeGroups,
    includeRoles: config.includeRoles,
    excludeRoles: config.excludeRoles,
    applications: config.applications,
    excludeApplications: config.excludeApplications,
    clientAppTypes: config.clientAppTypes,
    signInRiskLevels: config.signInRiskLevels,
    userRiskLevels: config.userRiskLevels,
    includePlatforms: config.includePlatforms,
    excludePlatforms: config.excludePlatforms,
    grant: config.grant,
    signInFrequency: config.signInFrequency,
    allowEnforcedWithoutBreakGlassExclusion: config.allowEnforcedWithoutBreakGlassExclusion,
  };
}

/** Maps a validated `mfaPolicy` section to the policy construct's props, given its target group. */
export function mfaPolicyProps(config: MfaPolicyConfig, group: ISecurityGroup): MfaConditionalAccessPolicyProps {
  // The schema ran additionalControlProblems on the list, so only the allowed controls remain.
  const options = { additionalControls: config.grant.additionalControls as AdditionalGrantControl[], operator: config.grant.operator };
  const grant: MfaGrant =
    config.grant.authenticationStrength !== undefined
      ? { ...options, authenticationStrength: AuthenticationStrength.fromPolicyId(resolveAuthenticationStrength(config.grant.authenticationStrength)) }
      : { ...options, mfa: true };
  const sif = config.signInFrequency;
  return {
    displayName: config.displayName,
    state: config.state,
    group,
    includeUsers: config.includeUsers,
    excludeUsers: config.excludeUsers,
    includeGroups: config.includeGroups,
    excludeGroups: config.excludeGroups,
    includeRoles: config.includeRoles,
    excludeRoles: config.excludeRoles,
    applications: config.applications.map(application),
    excludeApplications: config.excludeApplications.map(application),
    clientAppTypes: config.clientAppTypes,
    signInRiskLevels: config.signInRiskLevels,
    userRiskLevels: config.userRiskLevels,
    includePlatforms: config.includePlatforms,
    excludePlatforms: config.excludePlatforms,
    grant,
    signInFrequency:
      sif === undefined ? undefined : sif === 'everyTime' ? SignInFrequency.everyTime() : sif.unit === 'hours' ? SignInFrequency.hours(sif.value) : SignInFrequency.days(sif.value),
    allowEnforcedWithoutBreakGlassExclusion: config.allowEnforcedWithoutBreakGlassExclusion,
  };
}

/** Declares the group and the conditional access policy of one environment, and their outputs. */
export function addMfaPolicyFromConfig(stack: ItsmMailStack, config: MfaPolicyConfig): void {
  // Loaded here, not at the top: the config loader imports this file to check a file, and a bad
  // file must be reported without paying for cdktf and the provider bindings.
  const { TerraformOutput } = require('cdktf') as typeof import('cdktf');
  const { SecurityGroup } = require('../conditional-access/security-group') as typeof import('../conditional-access/security-group');
  const { MfaConditionalAccessPolicy } = require('../conditional-access/mfa-conditional-access-policy') as typeof import('../conditional-access/mfa-conditional-access-policy');

  const { create, existingObjectId } = config.group;
  const group =
    existingObjectId !== undefined
      ? SecurityGroup.fromGroupObjectId(stack, MFA_GROUP_CONSTRUCT_ID, existingObjectId)
      : new SecurityGroup(stack, MFA_GROUP_CONSTRUCT_ID, {
          displayName: create!.displayName,
          description: create!.description,
          members: create!.members,
          owners: create!.owners,
          assignableToRole: create!.assignableToRole,
        });
  const policy = new MfaConditionalAccessPolicy(stack, MFA_POLICY_CONSTRUCT_ID, mfaPolicyProps(config, group));

  const out = (id: string, value: unknown, description: string) => new TerraformOutput(stack, id, { value, description }).overrideLogicalId(id);
  out('mfa_policy_id', policy.policyId, `Object ID of the conditional access policy "${config.displayName}"`);
  out('mfa_policy_state', policy.state, 'reportOnly, on or off: the policy is enforced only when on');
  out('mfa_group_object_id', policy.groupObjectId, 'Object ID of the group the MFA policy targets: its members are the users who must use MFA');
}

function application(value: string): CloudApplication {
  if (value === 'All') return CloudApplication.ALL;
  if (value === 'Office365') return CloudApplication.OFFICE_365;
  if (value === 'MicrosoftAdminPortals') return CloudApplication.MICROSOFT_ADMIN_PORTALS;
  return CloudApplication.fromClientId(resolveApplication(value));
}
