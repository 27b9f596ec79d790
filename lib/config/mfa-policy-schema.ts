import { z } from 'zod';
import {
  additionalControlProblems,
  applicationListProblems,
  authenticationStrengthProblem,
  clientAppTypeProblems,
  allowedListProblems,
  excludePlatformProblems,
  objectIdListProblems,
  objectIdProblem,
  overrideReasonProblem,
  signInFrequencyProblem,
  userListProblems,
  type ObjectIdKind,
  type PolicyProblem,
} from '../conditional-access/rules';
import {
  APPLICATION_ALIASES,
  CLIENT_APP_TYPES,
  DEVICE_PLATFORMS,
  GRANT_OPERATORS,
  MANUAL_DEFAULTS,
  POLICY_STATE_WORDS,
  RISK_LEVELS,
  SIGN_IN_FREQUENCY_UNITS,
} from '../conditional-access/values';
import { text, uniqueList } from './common';

// Field rules come from lib/conditional-access/rules.ts, the same functions the constructs run, so
// the file and the library can never disagree. They run here (not only in checkMfaPolicyConfig)
// so that a file's every problem is reported in one pass.

/** Adds a rule's problems to zod's issues, at paths relative to the refined value. */
function report<T>(check: (value: T) => readonly PolicyProblem[]) {
  return (value: T, ctx: z.RefinementCtx) => {
    for (const p of check(value)) ctx.addIssue({ code: 'custom', message: p.message, path: [...p.path], input: value });
  };
}

/** Adds a single-value rule's problem to zod's issues. */
function reportOne(check: (value: string) => string | undefined) {
  return report((value: string) => {
    const message = check(value);
    return message ? [{ path: [], message }] : [];
  });
}

const idList = (kind: ObjectIdKind, what: string) =>
  uniqueList(z.string(), what).superRefine(report((xs: string[]) => objectIdListProblems(xs, kind)));

const createGroupSchema = z.strictObject({
  displayName: text(256)
    .default(MANUAL_DEFAULTS.groupDisplayName)
    .describe(`Display name of the new security group. Default ${MANUAL_DEFAULTS.groupDisplayName} (the manual's example). Deployment fails if a group of that name exists.`),
  description: text(1024).optional().describe('Description shown in the Entra admin center. Default: none.'),
  members: idList('member', 'member')
    .optional()
    .describe('Members by object ID. When non-empty, Terraform owns the membership (members added in the portal are removed). Default: membership managed in the portal.'),
  owners: idList('owner', 'owner').optional().describe('Owners by object ID (users or service principals). Default: the identity that deploys.'),
  assignableToRole: z
    .boolean()
    .default(false)
    .describe('Allow Entra ID role assignment to the group. Only at creation; needs a deployer with RoleManagement.ReadWrite.Directory. Default false.'),
});

const groupSchema = z
  .strictObject({
    create: createGroupSchema.optional().describe('Declare a new security group (security-enabled, not mail-enabled).'),
    existingObjectId: z
      .string()
      .superRefine(reportOne((v) => objectIdProblem(v, 'group')))
      .optional()
      .describe('Use an existing group of the tenant, by object ID, instead of creating one.'),
  })
  .describe('The group of users the policy targets: create one, or name an existing one. Set exactly one of create and existingObjectId.');

const grantSchema = z
  .strictObject({
    mfa: z
      .boolean()
      .optional()
      .describe('"Require multifactor authentication" (the manual\'s choice). Not together with authenticationStrength (Graph error 1108).'),
    authenticationStrength: z
      .string()
      .superRefine(reportOne(authenticationStrengthProblem))
      .optional()
      .describe(
        '"Require authentication strength" instead of mfa: multifactor, passwordlessMfa, phishingResistantMfa (CISA SCuBA MS.AAD.3.1), or /policies/authenticationStrengthPolicies/<uuid> for a custom one.',
      ),
    additionalControls: uniqueList(z.string(), 'control')
      .superRefine(report(additionalControlProblems))
      .default([])
      .describe('Other grant controls: compliantDevice, domainJoinedDevice, approvedApplication, compliantApplication. With operator OR any one of them replaces MFA. Default none.'),
    operator: z
      .enum(GRANT_OPERATORS)
      .default('OR')
      .describe('OR: require one of the selected controls (default, as the portal); AND: require all of them.'),
  })
  .describe('Access controls > Grant. Default { mfa: true }.');

const signInFrequencySchema = z
  .union([z.literal('everyTime'), z.strictObject({ value: z.number().int(), unit: z.enum(SIGN_IN_FREQUENCY_UNITS) })], {
    error: 'must be everyTime, or a mapping { value: N, unit: hours | days } (1-23 hours or 1-365 days)',
  })
  .superRefine((v, ctx) => {
    const message = typeof v === 'string' ? undefined : signInFrequencyProblem(v.value, v.unit);
    if (message) ctx.addIssue({ code: 'custom', message, input: v });
  })
  .describe('Session > Sign-in frequency: { value: 8, unit: hours } or everyTime. Default: not configured (rolling 90 days).');

const overrideSchema = z
  .strictObject({
    reason: text(1000)
      .superRefine(reportOne(overrideReasonProblem))
      .describe('How emergency access is kept without an exclusion in this policy, in a sentence (at least 20 characters).'),
  })
  .describe('RISK: allows state on with no break-glass exclusion, which can lock every admin out of the tenant. Set only with a written reason.');

/** The `mfaPolicy` section of an environment: the manual's "Doble autenticación en Azure" policy. */
export const mfaPolicySchema = z
  .strictObject({
    displayName: text(256)
      .default(MANUAL_DEFAULTS.policyDisplayName)
      .describe(`Name of the conditional access policy. Default ${MANUAL_DEFAULTS.policyDisplayName} (the manual's example).`),
    state: z
      .enum(POLICY_STATE_WORDS)
      .default('reportOnly')
      .describe(
        'reportOnly (default: evaluated and logged, not enforced; check the sign-in logs first), on (enforced; needs a break-glass exclusion) or off.',
      ),
    group: groupSchema.prefault({ create: {} }),
    includeUsers: uniqueList(z.string(), 'user')
      .superRefine(report((xs: string[]) => userListProblems(xs, 'include')))
      .default([])
      .describe('Further users by object ID, or All, None, GuestsOrExternalUsers. All and None are the whole selection: the group is then not included. Default: only the group.'),
    excludeUsers: uniqueList(z.string(), 'user')
      .superRefine(report((xs: string[]) => userListProblems(xs, 'exclude')))
      .default([])
      .describe('Users to exclude by object ID: the emergency-access (break-glass) accounts (Maester MT.1005). state on needs one here or in excludeGroups.'),
    includeGroups: idList('group', 'group').default([]).describe('Further groups by object ID. Default: only the group.'),
    excludeGroups: idList('group', 'group').default([]).describe('Groups to exclude by object ID, e.g. the group of break-glass accounts.'),
    includeRoles: idList('role', 'role').default([]).describe('Directory roles to include, by role template ID.'),
    excludeRoles: idList('role', 'role').default([]).describe('Directory roles to exclude, by role template ID.'),
    applications: uniqueList(z.string(), 'application')
      .superRefine(report((xs: string[]) => applicationListProblems(xs, 'include')))
      .default(['MicrosoftAzureManagement'])
      .describe(
        `Target resources: client (application) IDs or All, Office365, MicrosoftAdminPortals, MicrosoftAzureManagement (= ${APPLICATION_ALIASES.MicrosoftAzureManagement.clientId}). Not display names. Default [MicrosoftAzureManagement], the manual's choice.`,
      ),
    excludeApplications: uniqueList(z.string(), 'application')
      .superRefine(report((xs: string[]) => applicationListProblems(xs, 'exclude')))
      .default([])
      .describe('Resources to exclude: client IDs, Office365, MicrosoftAdminPortals or MicrosoftAzureManagement.'),
    clientAppTypes: uniqueList(z.enum(CLIENT_APP_TYPES), 'client app type')
      .superRefine(report(clientAppTypeProblems))
      .default(['all'])
      .describe('Conditions > Client apps. Default [all] (the portal hides it; the provider requires it).'),
    signInRiskLevels: uniqueList(z.enum(RISK_LEVELS), 'risk level')
      .default([])
      .describe('Apply only at these sign-in risk levels (Entra ID P2): low, medium, high, hidden, none. Default: any.'),
    userRiskLevels: uniqueList(z.enum(RISK_LEVELS), 'risk level')
      .default([])
      .describe('Apply only at these user risk levels (Entra ID P2): low, medium, high, hidden, none. Default: any.'),
    includePlatforms: uniqueList(z.enum(DEVICE_PLATFORMS), 'platform')
      .superRefine(report((xs: string[]) => allowedListProblems(xs, DEVICE_PLATFORMS, 'includePlatforms', 'all')))
      .default([])
      .describe('Conditions > Device platforms: all, android, iOS, linux, macOS, windows, windowsPhone. Default: not configured (every platform).'),
    excludePlatforms: uniqueList(z.enum(DEVICE_PLATFORMS), 'platform')
      .superRefine(report(excludePlatformProblems))
      .default([])
      .describe('Device platforms to leave out; needs includePlatforms.'),
    grant: grantSchema.prefault({ mfa: true }),
    signInFrequency: signInFrequencySchema.optional(),
    allowEnforcedWithoutBreakGlassExclusion: overrideSchema.optional(),
  })
  .describe('A conditional access policy that requires MFA (the manual\'s "Doble autenticación en Azure"), and its target group.');

export type MfaPolicyConfig = z.infer<typeof mfaPolicySchema>;
