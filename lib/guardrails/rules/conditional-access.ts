import type { InspectedPolicy } from '../../inspection/inspection';
import { breakGlassExclusionGap, BREAK_GLASS_MISSING } from '../../model/conditional-access-policy';
import { directoryRoleTemplate } from '../../model/ids';
import { hit, type GuardrailRule, type RuleHit } from '../rule';
import { isDeferred, literal, type TfString } from '../subjects';

const text = (v: TfString): string => (isDeferred(v) ? v.expression : v);
/** Deferred entries count as real (they are references to objects of this stack). */
const deferredAsReal = (v: unknown) => isDeferred(v);

function named(p: InspectedPolicy): string {
  const name = literal(p.displayName);
  return name === undefined ? 'the policy' : `policy "${name}"`;
}

const controls = (p: InspectedPolicy) => (p.grantControls?.builtInControls ?? []).map(text);

/** ITSM-CA-001: an enforced policy that excludes no emergency-access account or group. */
export const enforcedWithoutBreakGlass: GuardrailRule<'conditionalAccess'> = {
  id: 'ITSM-CA-001',
  severity: 'error',
  title: 'Enforced policy without a break-glass exclusion',
  explanation: `it ${BREAK_GLASS_MISSING}.`,
  source: 'Maester MT.1005 (exclude at least one emergency/break-glass account or group); Microsoft Learn: manage emergency access accounts',
  fix: 'exclude the break-glass account (excludeUsers) or its group (excludeGroups) by real object ID, or keep state: reportOnly; if emergency access is kept another way, say how (allowEnforcedWithoutBreakGlassExclusion.reason or a suppression).',
  appliesTo: 'conditionalAccess',
  check: ({ policy: p }) => {
    const users = p.conditions.users;
    const gap = breakGlassExclusionGap(p.state === 'enabled', { users: users.excludedUsers, groups: users.excludedGroups }, deferredAsReal);
    if (!gap.missing) return [];
    const what = gap.placeholders.length > 0 ? `excludes only placeholder IDs (${gap.placeholders.map((x) => x.id).join(', ')})` : 'excludes no user or group';
    return [hit(`${named(p)} is enforced and ${what}`)];
  },
};

/**
 * The Directory Synchronization Accounts role: Microsoft's templates exclude it from policies for
 * all users ("If you use hybrid identity solutions like Microsoft Entra Connect or Microsoft Entra
 * Connect Cloud Sync, select Directory roles, then select Directory Synchronization Accounts"), since
 * the sync account cannot do MFA or present a compliant device.
 */
export const DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE = 'd29b2b05-8046-44ba-8758-1e26182fcf32';

/** A directory role in words, its template ID beside it. */
function roleWords(id: TfString): string {
  const v = text(id);
  const role = isDeferred(id) ? undefined : directoryRoleTemplate(v);
  return role ? `${role.displayName} (${v})` : v;
}

/** ITSM-CA-002: directory roles excluded from the policy (Microsoft's own exclusion of the sync accounts aside). */
export const excludedDirectoryRoles: GuardrailRule<'conditionalAccess'> = {
  id: 'ITSM-CA-002',
  severity: 'warning',
  title: 'Directory roles excluded from the policy',
  explanation:
    "excluding a role exempts everyone who holds it, now or later, usually the most privileged accounts; exclude named emergency-access accounts instead. The Directory Synchronization Accounts role is not reported: Microsoft's templates exclude it (the sync account cannot complete MFA).",
  source:
    'Microsoft Learn: Conditional Access deployment planning (user exclusions); the templates "Require multifactor authentication for all users" (policy-all-users-mfa-strength) and "Require device compliance" (policy-all-users-device-compliance), which exclude the Directory Synchronization Accounts role',
  fix: 'remove excludeRoles and exclude the emergency-access accounts by object ID (keep the Directory Synchronization Accounts role if Microsoft Entra Connect or Cloud Sync runs in the tenant).',
  appliesTo: 'conditionalAccess',
  check: ({ policy: p }) => {
    const roles = p.conditions.users.excludedRoles.filter((r) => isDeferred(r) || r.toLowerCase() !== DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE);
    return roles.length > 0 ? [hit(`${named(p)} excludes ${roles.length} directory role(s): ${roles.map(roleWords).join(', ')}`)] : [];
  },
};

/** ITSM-CA-003: `block` with All resources, for whom it may lock out. */
export const blockAllApplications: GuardrailRule<'conditionalAccess'> = {
  id: 'ITSM-CA-003',
  severity: 'error',
  title: 'Block access to all resources',
  explanation:
    "a block policy on All resources, for users who may include the administrators, also blocks the portals needed to undo it: a tenant lockout. A block of guests and external users only, or one that leaves the Microsoft Admin Portals out, is not reported: the tenant's own administrators keep their way in.",
  source:
    'Microsoft Learn: Conditional Access: Block access ("Misconfiguration of a block policy can lead to organizations being locked out"); Microsoft Learn: Conditional Access target resources (Microsoft Admin Portals); Microsoft Learn: users and groups in Conditional Access (guest or external users)',
  fix: 'target specific resources, leave the Microsoft Admin Portals out (excludeApplications: [MicrosoftAdminPortals]), narrow the users to guests and external users, or use a grant control (mfa) instead of block.',
  appliesTo: 'conditionalAccess',
  check: ({ policy: p }) =>
    controls(p).includes('block') && p.conditions.applications.includedApplications.includes('All') && !narrowed(p) && !guestsOnly(p) && !keepsAdminPortals(p)
      ? [hit(`${named(p)} blocks access to All resources under every condition, for ${blockedWho(p)}`)]
      : [],
};

/**
 * True when a policy applies only under a condition that leaves admins a way in: some client app
 * types (legacy authentication), authentication flows (device code), locations, platforms, risk
 * levels, a device filter, or workload identities instead of users.
 */
function narrowed(p: InspectedPolicy): boolean {
  const c = p.conditions;
  const apps = c.clientAppTypes.map(text);
  return (
    (apps.length > 0 && !apps.includes('all')) ||
    c.authenticationFlowTransferMethods.length > 0 ||
    c.locations !== undefined ||
    c.platforms !== undefined ||
    c.devices !== undefined ||
    c.signInRiskLevels.length > 0 ||
    c.userRiskLevels.length > 0 ||
    c.servicePrincipalRiskLevels.length > 0 ||
    c.insiderRiskLevels !== undefined ||
    (c.clientApplications?.includedServicePrincipals.length ?? 0) > 0
  );
}

/** True when the policy includes only guests and external users (members, and so the administrators, keep access). */
function guestsOnly(p: InspectedPolicy): boolean {
  const u = p.conditions.users;
  const users = u.includedUsers;
  const keywordOnly = users.every((x) => !isDeferred(x) && x === 'GuestsOrExternalUsers');
  return keywordOnly && u.includedGroups.length === 0 && u.includedRoles.length === 0 && (users.length > 0 || u.includedGuestsOrExternalUsers.length > 0);
}

/** True when the Microsoft Admin Portals (the Entra admin center among them) are left out of the block. */
function keepsAdminPortals(p: InspectedPolicy): boolean {
  return p.conditions.applications.excludedApplications.some((a) => !isDeferred(a) && a === 'MicrosoftAdminPortals');
}

function blockedWho(p: InspectedPolicy): string {
  const u = p.conditions.users;
  const parts = [
    ...(u.includedUsers.some((x) => x === 'All') ? ['all users'] : []),
    ...(u.includedUsers.some((x) => x !== 'All' && x !== 'GuestsOrExternalUsers' && x !== 'None') ? ['listed users'] : []),
    ...(u.includedGroups.length > 0 ? ['members of the included groups'] : []),
    ...(u.includedRoles.length > 0 ? [`holders of ${u.includedRoles.map(roleWords).join(', ')}`] : []),
  ];
  return parts.length > 0 ? `${parts.join(' and ')}, who may include the administrators` : 'users who may include the administrators';
}

/** ITSM-CA-004: the deprecated "Require approved client app" grant. */
export const approvedApplicationGrant: GuardrailRule<'conditionalAccess'> = {
  id: 'ITSM-CA-004',
  severity: 'warning',
  title: 'Deprecated "Require approved client app" grant',
  explanation: 'Microsoft retires the approvedApplication grant control; a policy relying on it stops protecting what it promised.',
  source: 'Maester MT.1072 (policies should not use the deprecated Approved Client App grant)',
  fix: 'replace approvedApplication with compliantApplication ("Require app protection policy").',
  appliesTo: 'conditionalAccess',
  check: ({ policy: p }) => (controls(p).includes('approvedApplication') ? [hit(`${named(p)} grants with approvedApplication`)] : []),
};

/** ITSM-CA-005: `mfa` together with an authentication strength. */
export const mfaWithAuthenticationStrength: GuardrailRule<'conditionalAccess'> = {
  id: 'ITSM-CA-005',
  severity: 'error',
  title: 'MFA and an authentication strength in one policy',
  explanation: 'Graph refuses a policy that requires both (error 1108): the apply fails.',
  source: 'Microsoft Graph conditionalAccessGrantControls (error 1108)',
  fix: 'keep grant.mfa: true, or remove it and keep the authentication strength (phishingResistantMfa is the CISA SCuBA MS.AAD.3.1 target).',
  appliesTo: 'conditionalAccess',
  check: ({ policy: p }) => {
    const strength = p.grantControls?.authenticationStrengthPolicyId;
    return controls(p).includes('mfa') && strength !== undefined ? [hit(`${named(p)} requires mfa and the authentication strength ${text(strength)}`)] : [];
  },
};

/** ITSM-CA-006: a policy that targets no users or no resources. */
export const noTarget: GuardrailRule<'conditionalAccess'> = {
  id: 'ITSM-CA-006',
  severity: 'warning',
  title: 'Policy without a target',
  explanation: 'a policy that includes no users or no resources applies to nothing: it gives a false sense of protection.',
  source: 'Microsoft Learn: building a Conditional Access policy (assignments)',
  fix: 'include the pilot group (group) or users, and the resources to protect (applications).',
  appliesTo: 'conditionalAccess',
  check: ({ policy: p }) => {
    const hits: RuleHit[] = [];
    const u = p.conditions.users;
    const users = [
      ...u.includedUsers.filter((x) => x !== 'None'),
      ...u.includedGroups,
      ...u.includedRoles,
      ...u.includedGuestsOrExternalUsers,
      ...(p.conditions.clientApplications?.includedServicePrincipals ?? []),
    ];
    if (users.length === 0) hits.push(hit(`${named(p)} includes no users, groups, roles or service principals`));
    const apps = p.conditions.applications;
    if (apps.includedApplications.filter((a) => a !== 'None').length === 0 && apps.includedUserActions.length === 0)
      hits.push(hit(`${named(p)} includes no resources`));
    return hits;
  },
};

/** ITSM-CA-007: a policy still in report-only. */
export const reportOnly: GuardrailRule<'conditionalAccess'> = {
  id: 'ITSM-CA-007',
  severity: 'info',
  title: 'Policy is report-only',
  explanation: 'report-only evaluates and logs the policy but enforces nothing yet: what it requires or blocks is only recorded in the sign-in logs.',
  source: 'Microsoft Learn: Conditional Access report-only mode',
  fix: 'check Sign-in logs → Report-only for the users it covers, then set state: on (with a break-glass exclusion).',
  appliesTo: 'conditionalAccess',
  check: ({ policy: p }) => (p.state === 'enabledForReportingButNotEnforced' ? [hit(`${named(p)} is report-only`)] : []),
};

/** ITSM-CA-008: a setting written under its former name. */
export const formerSettingName: GuardrailRule<'conditionalAccess'> = {
  id: 'ITSM-CA-008',
  severity: 'warning',
  title: 'Setting under its former name',
  explanation:
    "the policy settings took Microsoft Graph's names (conditionalAccessPolicy resource type); the former names are still read, but a later release may drop them, and a reader comparing the config with Graph or the portal's JSON finds other words.",
  source: 'Microsoft Graph v1.0: conditionalAccessApplications (includeApplications, includeUserActions), conditionalAccessConditionSet (insiderRiskLevels)',
  fix: 'rename the setting as the finding says; nothing else changes (the Terraform is the same).',
  appliesTo: 'conditionalAccess',
  check: ({ policy: p }) => (p.formerSettingNames ?? []).map((r) => hit(`${named(p)} sets ${r.from}, the former name of ${r.to}: rename it to ${r.to}`)),
};

/** ITSM-GRP-001: a group used by a policy that is not a security group. */
export const policyGroupNotSecurityEnabled: GuardrailRule<'policyGroup'> = {
  id: 'ITSM-GRP-001',
  severity: 'warning',
  title: 'Group used by a policy is not security-enabled',
  explanation:
    'membership of a Microsoft 365 or distribution group is often managed by its owners or users themselves, so who the policy covers escapes IT control.',
  source: 'Microsoft Learn: Conditional Access users and groups (security groups recommended)',
  fix: 'use a security group (SecurityGroup construct, or security_enabled = true and mail_enabled = false).',
  appliesTo: 'policyGroup',
  check: (g) =>
    g.securityEnabled === true ? [] : [hit(`group "${text(g.displayName)}" used by ${g.usedBy.map((n) => `"${n}"`).join(', ')} is not security-enabled`)],
};
