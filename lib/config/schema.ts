/**
 * The config file's shape, in zod: which keys exist, their types and closed lists. Nothing else:
 * defaults live in the models' `normalize` functions and rules in their `…Problems` functions
 * (lib/model), which the loader runs on every section whose shape is valid.
 *
 * Each section's input type is the model's props type: the `Same<…>` assertions at the end fail
 * to compile when a field is added to one and not the other.
 */
import { z } from 'zod';
import { SUPPRESSIBLE_RULE_IDS } from '../guardrails/pack';
import type {
  AppRoleAssignmentImport,
  ApplicationImportProps,
  DelegatedPermissionGrantImport,
  ConditionalAccessPolicyImportProps,
  NamedLocationImportProps,
  SignInAssignmentImport,
} from '../model/adoption';
import { APPLICATION_DEFAULTS, SIGN_IN_AUDIENCES, type ItsmMailApplicationProps } from '../model/application';
import { RECOMMENDED_SECRET_LIFETIME_DAYS, type ClientSecretProps } from '../model/client-secret';
import { CONDITIONAL_ACCESS_POLICY_DEFAULTS, type ConditionalAccessPolicyProps } from '../model/conditional-access-policy';
import {
  ADDITIONAL_GRANT_CONTROLS,
  APPLICATION_ALIASES,
  AUTHENTICATION_FLOWS,
  CLOUD_APP_SECURITY_POLICIES,
  FILTER_MODES,
  GUEST_OR_EXTERNAL_USER_TYPES,
  INSIDER_RISK_LEVELS,
  PERSISTENT_BROWSER_MODES,
  SIGN_IN_FREQUENCY_AUTHENTICATION_TYPES,
  USER_ACTIONS,
  type UserAction,
  CLIENT_APP_TYPES,
  DEVICE_PLATFORMS,
  GRANT_OPERATORS,
  MANUAL_DEFAULTS,
  POLICY_STATE_WORDS,
  RISK_LEVELS,
  SIGN_IN_FREQUENCY_UNITS,
} from '../model/conditional-access-values';
import { EXPOSED_SCOPE_DEFAULTS, WHO_CAN_CONSENT, type ExposedScopeProps } from '../model/exposed-scope';
import { DEFAULT_ITSM_TOOL, ITSM_TOOL_IDS, ITSM_TOOLS } from '../model/itsm-tool';
import { GRAPH_MAIL_PERMISSIONS, MAIL_ACCESS_DEFAULTS, MAIL_FLOWS, MAIL_PROTOCOLS, MAILBOX_ACCESS, type MailAccessProps } from '../model/mail-access';
import { API_NAMES, DEFAULT_PERMISSION_API, PERMISSION_TYPES, type PermissionRef } from '../model/permissions';
import { BACKEND_TYPES, ENVIRONMENT_NAME_PATTERN, PROVIDER_AUTHENTICATIONS, STACK_DEFAULTS, type ItsmMailStackProps } from '../model/stack';
import { PRESET_NAMES, type ConditionalAccessPolicyEntry, type ConditionalAccessPresetName } from '../model/conditional-access-presets';
import { COUNTRY_LOOKUP_METHODS, type NamedLocationProps } from '../model/named-location';
import type { TenantProps } from '../model/tenant';
import type { GuardrailsConfig } from './guardrails-config';

/** An optional field whose default is stated once, in the model; the JSON Schema shows it. */
function defaulted<T extends z.ZodType>(schema: T, value: unknown, description: string) {
  return schema.optional().meta({ default: value as never, description: `${description} Default ${JSON.stringify(value)}.` });
}

const str = (description: string) => z.string().describe(description);
const list = <T extends z.ZodType>(item: T) => z.array(item);

export const permissionRefSchema = z.strictObject({
  api: defaulted(z.enum(API_NAMES), DEFAULT_PERMISSION_API, 'The resource API.'),
  type: z.enum(PERMISSION_TYPES).describe('delegated (a scope, on behalf of a signed-in user) or application (an app role, no user).'),
  name: str('The permission name as Microsoft publishes it, e.g. User.Read or IMAP.AccessAsApp (case-sensitive).'),
  justification: str('Why this permission is needed; required by the guardrails for high-privilege permissions.').optional(),
});

export const mailSchema = z.strictObject({
  flow: z
    .enum(MAIL_FLOWS)
    .optional()
    .describe(
      "delegated: the ITSM tool signs in as the mailbox user (authorization code). app-only: client credentials, no user. Default: the ITSM tool's only flow; required when it supports both (pandora-itsm, znuny).",
    ),
  protocols: list(z.enum(MAIL_PROTOCOLS))
    .optional()
    .describe(
      `Mail protocols the ITSM tool uses. Default: the ITSM tool's (${DEFAULT_ITSM_TOOL}: ${JSON.stringify(ITSM_TOOLS[DEFAULT_ITSM_TOOL].defaultProtocols)}; see docs/itsm-tools.md).`,
    ),
  graphMailPermissions: defaulted(
    list(z.enum(GRAPH_MAIL_PERMISSIONS)),
    MAIL_ACCESS_DEFAULTS.graphMailPermissions,
    'Microsoft Graph mail application permissions, for tools that use the Graph API instead of IMAP/SMTP. They reach every mailbox unless Exchange scopes them.',
  ),
  graphMailJustification: str(
    'Why the Graph mail application permissions are needed (they reach every mailbox); required by guardrail ITSM-PERM-001 when graphMailPermissions is set.',
  ).optional(),
  mailboxes: defaulted(list(z.string()), MAIL_ACCESS_DEFAULTS.mailboxes, 'Mailboxes the ITSM tool reads or sends as (used in the Exchange Online runbook).'),
  mailboxAccess: defaulted(
    z.enum(MAILBOX_ACCESS),
    MAIL_ACCESS_DEFAULTS.mailboxAccess,
    "How the Exchange Online runbook scopes app-only access: rbac (RBAC for Applications, Microsoft's recommendation) or fullAccess (Add-MailboxPermission).",
  ),
});

export const clientSecretSchema = z.strictObject({
  lifetimeDays: defaulted(z.number(), RECOMMENDED_SECRET_LIFETIME_DAYS, 'How long each client secret is valid, in days; at most 730.'),
});

export const exposedScopeSchema = z.strictObject({
  id: str(
    "The scope ID: the existing scope's ID when adopting one made in the portal (npm run adopt writes it). Default: a UUIDv5 of the construct path and the value.",
  ).optional(),
  value: defaulted(z.string(), EXPOSED_SCOPE_DEFAULTS.value, 'Scope value (the name in the token).'),
  adminConsentDisplayName: str('Shown to admins in the consent prompt. Default "Access <display name>".').optional(),
  adminConsentDescription: str('Shown to admins in the consent prompt.').optional(),
  userConsentDisplayName: str('Shown to users in their consent prompt.').optional(),
  userConsentDescription: str('Shown to users in their consent prompt.').optional(),
  whoCanConsent: defaulted(z.enum(WHO_CAN_CONSENT), EXPOSED_SCOPE_DEFAULTS.whoCanConsent, 'Who can consent: admins or adminsAndUsers.'),
});

const api = defaulted(z.enum(API_NAMES), DEFAULT_PERMISSION_API, 'The resource API.');

export const appRoleAssignmentImportSchema = z.strictObject({
  api,
  permission: str('The application permission (app role) the assignment grants, e.g. IMAP.AccessAsApp.'),
  resourceServicePrincipalObjectId: str("Object ID of the resource API's service principal in this tenant."),
  assignmentId: str('The app role assignment ID Graph returns (base64url, not a UUID).'),
});

export const delegatedPermissionGrantImportSchema = z.strictObject({
  api,
  grantId: str('The oAuth2PermissionGrant ID Graph returns (base64url, not a UUID).'),
});

export const signInAssignmentImportSchema = z.strictObject({
  principal: str('The user or group object ID, as listed in assignedPrincipals.'),
  assignmentId: str('The app role assignment ID Graph returns.'),
});

export const applicationImportSchema = z
  .strictObject({
    applicationObjectId: str("The app registration's object ID (not its client ID)."),
    servicePrincipalObjectId: str("The service principal's object ID. Default: the service principal is created.").optional(),
    identifierUri: str('The identifier URI to import: api://<client ID>. Default: created.').optional(),
    permissionScopeId: str('The exposed scope to import, by ID; the same as exposedScope.id. Default: created.').optional(),
    appRoleAssignments: list(appRoleAssignmentImportSchema).optional().describe('Admin consents to application permissions to import.'),
    delegatedPermissionGrants: list(delegatedPermissionGrantImportSchema)
      .optional()
      .describe('Admin consents to delegated permissions to import, one per API.'),
    signInAssignments: list(signInAssignmentImportSchema).optional().describe('Users and groups assigned to the application to import.'),
  })
  .describe(
    'Objects made in the portal that this application takes over: each becomes a Terraform import block (Terraform 1.5+). Written by npm run adopt; may stay after the first apply.',
  );

export const applicationSchema = z.strictObject({
  displayName: str('Display name of the app registration.'),
  description: str('Description of the app registration.').optional(),
  notes: str('Notes on the app registration.').optional(),
  itsmTool: defaulted(
    z.enum(ITSM_TOOL_IDS),
    APPLICATION_DEFAULTS.itsmTool,
    "The ITSM tool that reads the mail: its preset sets the flow, protocols, sign-in audience and sign-in permissions it needs, checks the redirect URIs against its callback, and names the itsm_tool_settings output's fields as its forms do (docs/itsm-tools.md).",
  ),
  signInAudience: z
    .enum(SIGN_IN_AUDIENCES)
    .optional()
    .describe(
      "Supported account types (AzureADMyOrg: single tenant). Default: the ITSM tool's; AzureADMyOrg, or AzureADMultipleOrgs for freescout (it signs in at /common only).",
    ),
  owners: defaulted(list(z.string()), APPLICATION_DEFAULTS.owners, 'Extra owners (object IDs).'),
  assignedPrincipals: defaulted(
    list(z.string()),
    APPLICATION_DEFAULTS.assignedPrincipals,
    'Users or groups (object IDs) allowed to sign in to the app: sets "Assignment required". Empty: any user of the tenant may sign in.',
  ),
  includeDeployerAsOwner: defaulted(z.boolean(), APPLICATION_DEFAULTS.includeDeployerAsOwner, 'Make the identity that deploys an owner.'),
  preventDuplicateNames: defaulted(z.boolean(), APPLICATION_DEFAULTS.preventDuplicateNames, 'Fail rather than create a second application of the same name.'),
  redirectUris: defaulted(
    list(z.string()),
    APPLICATION_DEFAULTS.redirectUris,
    'Web redirect URIs for the authorization-code flow, e.g. https://itsm.example.com/integria/setup/setup_mail.',
  ),
  mail: mailSchema,
  permissions: defaulted(list(permissionRefSchema), APPLICATION_DEFAULTS.permissions, 'Extra API permissions by name.'),
  adminConsent: defaulted(z.boolean(), APPLICATION_DEFAULTS.adminConsent, 'Grant admin consent for every requested permission.'),
  clientSecret: clientSecretSchema.optional(),
  exposedScope: exposedScopeSchema.optional().describe('Expose an API: identifier URI api://<client id> and one scope. Default: exposed with defaults.'),
  exposeApi: z
    .boolean()
    .optional()
    .describe(
      '"Expose an API" (identifier URI api://<client id> and a scope). Default: true when exposedScope is given or for the delegated flow of pandora-itsm (its manual has the step); false otherwise (app-only has no user to request the scope, and no other tool asks for it).',
    ),
  import: applicationImportSchema.optional(),
});

const createGroupSchema = z.strictObject({
  displayName: defaulted(
    z.string(),
    MANUAL_DEFAULTS.groupDisplayName,
    "Display name of the new security group (the manual's example). Deployment fails if a group of that name exists.",
  ),
  description: str('Description shown in the Entra admin center.').optional(),
  members: list(z.string())
    .optional()
    .describe(
      'Members by object ID. When non-empty, Terraform owns the membership (members added in the portal are removed). Default: membership managed in the portal.',
    ),
  owners: list(z.string()).optional().describe('Owners by object ID (users or service principals). Default: the identity that deploys.'),
  assignableToRole: defaulted(
    z.boolean(),
    false,
    'Allow Entra ID role assignment to the group. Only at creation; needs a deployer with RoleManagement.ReadWrite.Directory.',
  ),
  preventDuplicateNames: defaulted(
    z.boolean(),
    true,
    "Fail rather than create a group whose name is taken (Terraform's own flag; an adopted group may leave it off).",
  ),
});

const groupSchema = z
  .strictObject({
    create: createGroupSchema.optional().describe('Declare a new security group (security-enabled, not mail-enabled).'),
    existingObjectId: str('Use an existing group of the tenant, by object ID, instead of creating one.').optional(),
  })
  .describe('The group of users the policy targets: create one, or name an existing one. Set exactly one of create and existingObjectId.');

const grantSchema = z
  .strictObject({
    mfa: z
      .boolean()
      .optional()
      .describe(
        '"Require multifactor authentication" (the manual\'s choice). Default true unless authenticationStrength is set; not together with it (Graph error 1108).',
      ),
    authenticationStrength: str(
      '"Require authentication strength" instead of mfa: multifactor, passwordlessMfa, phishingResistantMfa (CISA SCuBA MS.AAD.3.1), or /policies/authenticationStrengthPolicies/<uuid> for a custom one.',
    ).optional(),
    additionalControls: list(z.string())
      .optional()
      .describe(`Other grant controls: ${ADDITIONAL_GRANT_CONTROLS.join(', ')}. With operator OR any one of them replaces MFA. Default none.`),
    block: z.boolean().optional().describe('"Block access" instead of granting; goes with no other control. Default false.'),
    termsOfUse: list(z.string()).optional().describe('"Terms of use" to accept, by ID. Default none.'),
    operator: defaulted(
      z.enum(GRANT_OPERATORS),
      CONDITIONAL_ACCESS_POLICY_DEFAULTS.grantOperator,
      'OR: require one of the selected controls (as the portal); AND: require all of them.',
    ),
  })
  .describe('Access controls > Grant. Default { mfa: true }.');

const signInFrequencySchema = z
  .union([z.literal('everyTime'), z.strictObject({ value: z.number(), unit: z.enum(SIGN_IN_FREQUENCY_UNITS) })], {
    error: 'must be everyTime, or a mapping { value: N, unit: hours | days } (1-23 hours or 1-365 days)',
  })
  .describe('Session > Sign-in frequency: { value: 8, unit: hours } or everyTime. Default: not configured (rolling 90 days).');

const waiverSchema = z
  .strictObject({ reason: str('How emergency access is kept without an exclusion in this policy, in a sentence (at least 20 characters).') })
  .describe('RISK: allows state on with no break-glass exclusion, which can lock every admin out of the tenant. Set only with a written reason.');

const userAction = z.enum(Object.keys(USER_ACTIONS) as [UserAction, ...UserAction[]]);

const users = (description: string) => list(z.string()).optional().describe(description);

const guestsSchema = z
  .strictObject({
    types: list(z.enum(GUEST_OR_EXTERNAL_USER_TYPES)).describe(`Kinds of guests and external users: ${GUEST_OR_EXTERNAL_USER_TYPES.join(', ')}.`),
    externalTenants: z
      .union([z.literal('all'), list(z.string())])
      .optional()
      .describe('Their home tenants: all (default), or a list of tenant IDs.'),
  })
  .describe('Users > "Guest or external users".');

const filterSchema = z.strictObject({
  mode: z.enum(FILTER_MODES).describe('include or exclude what the rule matches.'),
  rule: str('The filter rule, e.g. device.operatingSystem eq "Windows".'),
});

export const policyImportSchema = z
  .strictObject({
    policyId: str('The policy ID (Conditional Access → the policy → Policy ID).'),
    groupObjectId: str("The target group's object ID, imported into group.create. Default: the group is created.").optional(),
  })
  .describe(
    'The policy (and target group) made in the portal that this declaration takes over: each becomes a Terraform import block. Written by npm run adopt.',
  );

/** The `mfaPolicy` section of an environment: the manual's "Doble autenticación en Azure" policy. */
export const conditionalAccessPolicySchema = z
  .strictObject({
    displayName: defaulted(z.string(), CONDITIONAL_ACCESS_POLICY_DEFAULTS.displayName, "Name of the conditional access policy (the manual's example)."),
    state: defaulted(
      z.enum(POLICY_STATE_WORDS),
      CONDITIONAL_ACCESS_POLICY_DEFAULTS.state,
      'reportOnly (evaluated and logged, not enforced; check the sign-in logs first), on (enforced; needs a break-glass exclusion) or off.',
    ),
    group: groupSchema.optional(),
    includeUsers: users(
      'Further users by object ID, or All, None, GuestsOrExternalUsers. All and None are the whole selection: the group is then not included. Default: only the group.',
    ),
    excludeUsers: users(
      'Users to exclude by object ID: the emergency-access (break-glass) accounts (Maester MT.1005). state on needs one here or in excludeGroups.',
    ),
    includeGroups: users('Further groups by object ID. Default: only the group.'),
    excludeGroups: users('Groups to exclude by object ID, e.g. the group of break-glass accounts.'),
    includeRoles: users('Directory roles to include, by role template ID.'),
    excludeRoles: users('Directory roles to exclude, by role template ID.'),
    includeApplications: defaulted(
      list(z.string()),
      CONDITIONAL_ACCESS_POLICY_DEFAULTS.includeApplications,
      `Target resources (Graph: includeApplications): client (application) IDs or All, Office365, MicrosoftAdminPortals, MicrosoftAzureManagement (= ${APPLICATION_ALIASES.MicrosoftAzureManagement.clientId}). Not display names.`,
    ),
    applications: list(z.string())
      .optional()
      .meta({ deprecated: true, description: 'Deprecated: the former name of includeApplications (still read, with a warning).' }),
    excludeApplications: users('Resources to exclude: client IDs, Office365, MicrosoftAdminPortals or MicrosoftAzureManagement.'),
    clientAppTypes: defaulted(
      list(z.enum(CLIENT_APP_TYPES)),
      CONDITIONAL_ACCESS_POLICY_DEFAULTS.clientAppTypes,
      'Conditions > Client apps (the portal hides it; the provider requires it).',
    ),
    signInRiskLevels: list(z.enum(RISK_LEVELS)).optional().describe('Apply only at these sign-in risk levels (Entra ID P2). Default: any.'),
    userRiskLevels: list(z.enum(RISK_LEVELS)).optional().describe('Apply only at these user risk levels (Entra ID P2). Default: any.'),
    includePlatforms: list(z.enum(DEVICE_PLATFORMS)).optional().describe('Conditions > Device platforms. Default: not configured (every platform).'),
    excludePlatforms: list(z.enum(DEVICE_PLATFORMS)).optional().describe('Device platforms to leave out; needs includePlatforms.'),
    includeGuestsOrExternalUsers: guestsSchema.optional(),
    excludeGuestsOrExternalUsers: guestsSchema.optional(),
    includeUserActions: list(userAction)
      .optional()
      .describe('Target "User actions" instead of resources (Graph: includeUserActions): registerSecurityInformation, registerOrJoinDevices.'),
    userActions: list(userAction)
      .optional()
      .meta({ deprecated: true, description: 'Deprecated: the former name of includeUserActions (still read, with a warning).' }),
    includeLocations: users("Conditions > Locations: keys of the tenant's namedLocations, All, AllTrusted, or named location object IDs."),
    excludeLocations: users('Locations to leave out; needs includeLocations.'),
    deviceFilter: filterSchema.optional().describe('Conditions > Filter for devices.'),
    includeServicePrincipals: users(
      'Workload identities: service principal object IDs, ServicePrincipalsInMyTenant, or an environment name (its application). Needs Workload Identities Premium; grant must be block.',
    ),
    excludeServicePrincipals: users('Service principals to leave out.'),
    servicePrincipalFilter: filterSchema.optional().describe('A filter on service principals (custom security attributes).'),
    servicePrincipalRiskLevels: list(z.enum(RISK_LEVELS)).optional().describe('Apply only at these service principal risk levels.'),
    insiderRiskLevels: z.enum(INSIDER_RISK_LEVELS).optional().describe('Apply only at this insider risk level (Microsoft Purview; Graph: insiderRiskLevels).'),
    insiderRiskLevel: z
      .enum(INSIDER_RISK_LEVELS)
      .optional()
      .meta({ deprecated: true, description: 'Deprecated: the former name of insiderRiskLevels (still read, with a warning).' }),
    authenticationFlows: list(z.enum(AUTHENTICATION_FLOWS)).optional().describe('Conditions > Authentication flows: deviceCodeFlow, authenticationTransfer.'),
    grant: grantSchema.optional(),
    signInFrequency: signInFrequencySchema.optional(),
    signInFrequencyAuthenticationType: z
      .enum(SIGN_IN_FREQUENCY_AUTHENTICATION_TYPES)
      .optional()
      .describe('Which factors sign-in frequency asks again. Default primaryAndSecondaryAuthentication.'),
    applicationEnforcedRestrictions: z.boolean().optional().describe('Session > Use app enforced restrictions. Default false.'),
    cloudAppSecurity: z.enum(CLOUD_APP_SECURITY_POLICIES).optional().describe('Session > Use Conditional Access App Control.'),
    persistentBrowser: z.enum(PERSISTENT_BROWSER_MODES).optional().describe('Session > Persistent browser session: always or never.'),
    disableResilienceDefaults: z.boolean().optional().describe('Session > Disable resilience defaults. Default false.'),
    allowEnforcedWithoutBreakGlassExclusion: waiverSchema.optional(),
    import: policyImportSchema.optional(),
  })
  .describe('A conditional access policy that requires MFA (the manual\'s "Doble autenticación en Azure"), and its target group.');

export const providerSchema = z.strictObject({
  authentication: defaulted(
    z.enum(PROVIDER_AUTHENTICATIONS),
    STACK_DEFAULTS.authentication,
    'environment: the provider reads ARM_* variables and falls back to the Azure CLI; azureCli, oidc (workload identity federation in CI) or managedIdentity force one method.',
  ),
  clientId: str('Client ID of the deploying identity for oidc or a user-assigned managed identity; otherwise ARM_CLIENT_ID.').optional(),
});

export const backendSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('local'),
      path: str(`State file path, relative to the project root. Default ${STACK_DEFAULTS.localStatePath('<environment>')}.`).optional(),
    }),
    z.strictObject({
      type: z.literal('azurerm'),
      storageAccountName: z.string(),
      containerName: z.string(),
      key: str(`Blob name of the state. Default ${STACK_DEFAULTS.azurermKey('<environment>')}.`).optional(),
      resourceGroupName: z.string().optional(),
      subscriptionId: z.string().optional(),
      tenantId: z.string().optional(),
      useOidc: z.boolean().optional().describe('Authenticate to the storage account with OIDC (CI). Default: the ARM_* environment.'),
    }),
    z.strictObject({
      type: z.literal('cloud'),
      organization: z.string(),
      workspace: str('HCP Terraform workspace name.'),
      hostname: str('Default app.terraform.io.').optional(),
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `type must be one of: ${BACKEND_TYPES.join(', ')}` : undefined) },
);

export const suppressionSchema = z.strictObject({
  rule: z.enum(SUPPRESSIBLE_RULE_IDS as [string, ...string[]]).describe('The rule ID, e.g. ITSM-SEC-003 (see docs/guardrails.md).'),
  resource: str(
    'Construct path below the stack, as printed in brackets after the finding (e.g. itsm-mail/client-secret); the construct and everything below it.',
  ),
  reason: str('Why the finding is accepted, in a sentence; shown in the review.'),
});

export const guardrailsSchema = z.strictObject({
  suppressions: list(suppressionSchema).optional().describe('Accepted guardrail findings, each with a written reason.'),
});

export const namedLocationImportSchema = z
  .strictObject({
    namedLocationId: str("The named location's ID (Graph namedLocation.id)."),
  })
  .describe('The named location made in the portal that this declaration takes over: a Terraform import block. Written by npm run adopt -- --tenant.');

const namedLocationSchema = z
  .strictObject({
    displayName: str('The name shown in the Entra admin center; for an existing location, the one to find.'),
    existing: z.boolean().optional().describe('Use an existing named location of the tenant, found by display name at plan time. Default false.'),
    ipRanges: list(z.string()).optional().describe('IP ranges in CIDR notation (prefix length at least 8), e.g. 203.0.113.10/32.'),
    trusted: z.boolean().optional().describe('Mark as trusted location (IP ranges only). Default false.'),
    countries: list(z.string()).optional().describe('ISO 3166-1 alpha-2 country codes, e.g. ES.'),
    includeUnknownCountries: z.boolean().optional().describe('Include unknown countries/regions (countries only). Default false.'),
    countryLookup: z.enum(COUNTRY_LOOKUP_METHODS).optional().describe('How the country is determined (countries only). Default clientIpAddress.'),
    import: namedLocationImportSchema.optional(),
  })
  .describe('A named location: IP ranges or countries, or an existing one by display name.');

export const policyEntrySchema = conditionalAccessPolicySchema
  .extend({
    preset: z
      .enum(PRESET_NAMES as [ConditionalAccessPresetName, ...ConditionalAccessPresetName[]])
      .optional()
      .describe(`Start from a preset: ${PRESET_NAMES.join(', ')}. Settings given here replace the preset's.`),
  })
  .describe("A conditional access policy of the tenant: a preset with changes, or settings alone (defaults: the manual's MFA Pilot).");

export const tenantSchema = z
  .strictObject({
    tenantId: str('Directory (tenant) ID. Default: ARM_TENANT_ID from the environment.').optional(),
    provider: providerSchema.optional(),
    backend: backendSchema.optional(),
    namedLocations: z
      .record(z.string(), namedLocationSchema)
      .optional()
      .describe('Named locations by key; policies name them by key in includeLocations / excludeLocations.'),
    conditionalAccessPolicies: z
      .record(z.string(), policyEntrySchema)
      .optional()
      .describe('Conditional access policies by key (part of their Terraform address).'),
    guardrails: guardrailsSchema
      .optional()
      .describe(
        "Suppressions of guardrail findings on this tenant's stack, each with a written reason; resource paths start with policy-<key> or location-<key>.",
      ),
  })
  .describe("A tenant's conditional access: declared once, in the stack tenant-<name>, however many environments use the tenant.");

export const environmentSchema = z.strictObject({
  tenant: str('The tenant (a key of tenants) this environment belongs to: its tenantId, and where conditional access is declared.').optional(),
  tenantId: str('Directory (tenant) ID. Default: ARM_TENANT_ID from the environment.').optional(),
  provider: providerSchema.optional(),
  backend: backendSchema.optional(),
  application: applicationSchema.optional(),
  mfaPolicy: conditionalAccessPolicySchema.optional(),
  guardrails: guardrailsSchema.optional().describe('Suppressions of guardrail findings, each with a written reason.'),
});

/** The whole config file: a map from environment name to that environment's settings. */
export const configSchema = z.strictObject({
  $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors.'),
  environments: z
    .record(z.string().regex(ENVIRONMENT_NAME_PATTERN), environmentSchema)
    .optional()
    .describe('One entry per environment; each becomes a Terraform stack of the same name (cdktf deploy <name>). Optional in a file that declares tenants.'),
  tenants: z
    .record(z.string().regex(ENVIRONMENT_NAME_PATTERN), tenantSchema)
    .optional()
    .describe('Tenant-wide conditional access, once per tenant; each becomes a stack named tenant-<name> (cdktf deploy tenant-<name>).'),
});

/** One environment of the config file: the stack's props and the sections it declares. */
export interface EnvironmentConfig extends ItsmMailStackProps {
  /** The key of the tenant (in `tenants`) this environment belongs to. */
  readonly tenant?: string;
  readonly application?: ItsmMailApplicationProps;
  readonly mfaPolicy?: ConditionalAccessPolicyProps;
  readonly guardrails?: GuardrailsConfig;
}

/** A tenant of the config file: the tenant's props and its guardrail suppressions. */
export interface TenantConfig extends TenantProps {
  readonly guardrails?: GuardrailsConfig;
}

/** A validated config file; a file of tenants only holds no environment (`environments` is then empty). */
export interface ItsmMailConfig {
  readonly $schema?: string;
  readonly environments: Readonly<Record<string, EnvironmentConfig>>;
  readonly tenants?: Readonly<Record<string, TenantConfig>>;
}

/** The config file as written: `environments` may be left out when it declares tenants. */
type ItsmMailConfigFile = Omit<ItsmMailConfig, 'environments'> & { readonly environments?: ItsmMailConfig['environments'] };

// ---------------------------------------------------------------------------------------------
// The compiler ties each section's shape to its model's props: adding a field to one and not the
// other fails here.

type DeepMutable<T> = T extends string | number | boolean
  ? T
  : T extends readonly (infer U)[]
    ? DeepMutable<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
      : T;
/** Every key path of a type (`grant.operator`), through lists and union members. */
type Paths<T, P extends string = ''> = T extends string | number | boolean
  ? never
  : T extends readonly (infer U)[]
    ? Paths<U, P>
    : T extends object
      ? { [K in keyof T & string]-?: `${P}${K}` | Paths<NonNullable<T[K]>, `${P}${K}.`> }[keyof T & string]
      : never;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The shape's input type is the props type: assignable both ways, with exactly the same keys. */
type Matches<S extends z.ZodType, Props> = Same<DeepMutable<z.input<S>>, DeepMutable<Props>> extends true ? Same<Paths<z.input<S>>, Paths<Props>> : false;

export const SHAPES_MATCH_MODELS: {
  permissionRef: Matches<typeof permissionRefSchema, PermissionRef>;
  appRoleAssignmentImport: Matches<typeof appRoleAssignmentImportSchema, AppRoleAssignmentImport>;
  delegatedPermissionGrantImport: Matches<typeof delegatedPermissionGrantImportSchema, DelegatedPermissionGrantImport>;
  signInAssignmentImport: Matches<typeof signInAssignmentImportSchema, SignInAssignmentImport>;
  applicationImport: Matches<typeof applicationImportSchema, ApplicationImportProps>;
  mfaPolicyImport: Matches<typeof policyImportSchema, ConditionalAccessPolicyImportProps>;
  namedLocationImport: Matches<typeof namedLocationImportSchema, NamedLocationImportProps>;
  mail: Matches<typeof mailSchema, MailAccessProps>;
  clientSecret: Matches<typeof clientSecretSchema, ClientSecretProps>;
  exposedScope: Matches<typeof exposedScopeSchema, ExposedScopeProps>;
  application: Matches<typeof applicationSchema, ItsmMailApplicationProps>;
  mfaPolicy: Matches<typeof conditionalAccessPolicySchema, ConditionalAccessPolicyProps>;
  namedLocation: Matches<typeof namedLocationSchema, NamedLocationProps>;
  policyEntry: Matches<typeof policyEntrySchema, ConditionalAccessPolicyEntry>;
  tenant: Matches<typeof tenantSchema, TenantConfig>;
  environment: Matches<typeof environmentSchema, EnvironmentConfig>;
  config: Matches<typeof configSchema, ItsmMailConfigFile>;
} = {
  permissionRef: true,
  appRoleAssignmentImport: true,
  delegatedPermissionGrantImport: true,
  signInAssignmentImport: true,
  applicationImport: true,
  mfaPolicyImport: true,
  namedLocationImport: true,
  mail: true,
  clientSecret: true,
  exposedScope: true,
  application: true,
  mfaPolicy: true,
  namedLocation: true,
  policyEntry: true,
  tenant: true,
  environment: true,
  config: true,
};
