/**
 * One declaration per setting of a conditional access policy: where Microsoft Graph holds it,
 * which Terraform attributes the construct writes for it, which row of the review shows it, and an
 * example value with what that value needs beside it.
 *
 * The table's type has one key per setting of `ConditionalAccessPolicyProps` (former names
 * aside), so the compiler asks for an entry when a setting is added; `__tests__/policy-fields.test.ts`
 * then takes each entry and fails unless the example changes the synthesized JSON at the attributes
 * named here, the review shows it in the row named here, and adopt reads it back from the Graph
 * path named here. The shape (zod) and the rules stay in `lib/config/schema.ts` and
 * `conditional-access-policy.ts`, tied to the same props type by the compiler
 * (`SHAPES_MATCH_MODELS`, `RuleSet`).
 *
 * Graph: https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy (v1.0).
 * Terraform: hashicorp/azuread 3.7.0, `azuread_conditional_access_policy`.
 */
import type { ConditionalAccessPolicyProps, FORMER_POLICY_KEYS } from './conditional-access-policy';

/** How a setting appears in Graph's conditionalAccessPolicy, for adopt. */
export interface GraphPlace {
  /** The dotted path in the policy object, e.g. `conditions.users.includeRoles`. */
  readonly path: string;
  /** The example as Graph holds it there, when it is written otherwise than in the config. */
  readonly value?: unknown;
  /** What adopt writes back for it, when it is not the example itself. */
  readonly adopted?: unknown;
}

/** The facts of one setting. */
export interface PolicyField<V> {
  /** Where Graph holds it, or null for a setting of this project only (with why in `note`). */
  readonly graph: GraphPlace | null;
  /**
   * The attributes of `azuread_conditional_access_policy` it writes, dotted from the resource
   * (`conditions.users.included_roles`); empty when it writes none (then `note` says what it does).
   */
  readonly terraform: readonly string[];
  /** The first column of the review's policy table where it shows, or `heading` (the policy's heading). */
  readonly reviewRow: string;
  /** A value other than the default. */
  readonly example: V;
  /** What the example needs beside it to be a valid policy. */
  readonly beside?: ConditionalAccessPolicyProps;
  /** False for the one setting that writes nothing into the Terraform JSON (`note` says where it goes). */
  readonly inJson?: false;
  readonly note?: string;
}

type FormerKey = keyof typeof FORMER_POLICY_KEYS;
type Settings = Required<Omit<ConditionalAccessPolicyProps, FormerKey>>;

const ROLE = '62e90394-69f5-4237-9190-012177145e10'; // Global Administrator (directory-roles.json)
const ID = (n: number) => `4d3c2b1a-0000-4000-8000-${String(n).padStart(12, '0')}`;
const WORKLOAD: ConditionalAccessPolicyProps = { includeServicePrincipals: ['ServicePrincipalsInMyTenant'], grant: { block: true } };
const GUESTS = { types: ['b2bCollaborationGuest'] } as const;
const GRAPH_GUESTS = { guestOrExternalUserTypes: 'b2bCollaborationGuest', externalTenants: { membershipKind: 'all' } };

/** Every setting of a policy, in the order of the props. */
export const POLICY_FIELDS: { readonly [K in keyof Settings]: PolicyField<Settings[K]> } = {
  displayName: { graph: { path: 'displayName' }, terraform: ['display_name'], reviewRow: 'heading', example: 'Another name' },
  state: { graph: { path: 'state', value: 'enabled' }, terraform: ['state'], reviewRow: 'State', example: 'on' },
  group: {
    graph: { path: 'conditions.users.includeGroups', value: [ID(1)], adopted: { existingObjectId: ID(1) } },
    terraform: ['conditions.users.included_groups'],
    reviewRow: 'Users',
    example: { existingObjectId: ID(1) },
    note: 'a group to create is an azuread_group of its own, the construct child `group`',
  },
  includeUsers: { graph: { path: 'conditions.users.includeUsers' }, terraform: ['conditions.users.included_users'], reviewRow: 'Users', example: [ID(2)] },
  excludeUsers: { graph: { path: 'conditions.users.excludeUsers' }, terraform: ['conditions.users.excluded_users'], reviewRow: 'Excluded', example: [ID(3)] },
  includeGroups: {
    graph: { path: 'conditions.users.includeGroups', value: [ID(9), ID(4)], adopted: [ID(4)] },
    terraform: ['conditions.users.included_groups'],
    reviewRow: 'Users',
    example: [ID(4)],
  },
  excludeGroups: {
    graph: { path: 'conditions.users.excludeGroups' },
    terraform: ['conditions.users.excluded_groups'],
    reviewRow: 'Excluded',
    example: [ID(5)],
  },
  includeRoles: { graph: { path: 'conditions.users.includeRoles' }, terraform: ['conditions.users.included_roles'], reviewRow: 'Users', example: [ROLE] },
  excludeRoles: { graph: { path: 'conditions.users.excludeRoles' }, terraform: ['conditions.users.excluded_roles'], reviewRow: 'Excluded', example: [ROLE] },
  includeApplications: {
    graph: { path: 'conditions.applications.includeApplications' },
    terraform: ['conditions.applications.included_applications'],
    reviewRow: 'Resources',
    example: ['Office365'],
  },
  excludeApplications: {
    graph: { path: 'conditions.applications.excludeApplications' },
    terraform: ['conditions.applications.excluded_applications'],
    reviewRow: 'Resources',
    example: ['Office365'],
    beside: { includeApplications: ['All'] },
  },
  clientAppTypes: { graph: { path: 'conditions.clientAppTypes' }, terraform: ['conditions.client_app_types'], reviewRow: 'Client apps', example: ['browser'] },
  signInRiskLevels: {
    graph: { path: 'conditions.signInRiskLevels' },
    terraform: ['conditions.sign_in_risk_levels'],
    reviewRow: 'Sign-in risk',
    example: ['high'],
  },
  userRiskLevels: { graph: { path: 'conditions.userRiskLevels' }, terraform: ['conditions.user_risk_levels'], reviewRow: 'User risk', example: ['high'] },
  includePlatforms: {
    graph: { path: 'conditions.platforms.includePlatforms' },
    terraform: ['conditions.platforms.included_platforms'],
    reviewRow: 'Device platforms',
    example: ['android'],
  },
  excludePlatforms: {
    graph: { path: 'conditions.platforms.excludePlatforms' },
    terraform: ['conditions.platforms.excluded_platforms'],
    reviewRow: 'Device platforms',
    example: ['iOS'],
    beside: { includePlatforms: ['all'] },
  },
  includeGuestsOrExternalUsers: {
    graph: { path: 'conditions.users.includeGuestsOrExternalUsers', value: GRAPH_GUESTS },
    terraform: ['conditions.users.included_guests_or_external_users'],
    reviewRow: 'Guests and external users',
    example: GUESTS,
  },
  excludeGuestsOrExternalUsers: {
    graph: { path: 'conditions.users.excludeGuestsOrExternalUsers', value: GRAPH_GUESTS },
    terraform: ['conditions.users.excluded_guests_or_external_users'],
    reviewRow: 'Excluded guests and external users',
    example: GUESTS,
  },
  includeUserActions: {
    graph: { path: 'conditions.applications.includeUserActions', value: ['urn:user:registersecurityinfo'] },
    terraform: ['conditions.applications.included_user_actions'],
    reviewRow: 'User actions',
    example: ['registerSecurityInformation'],
  },
  includeLocations: {
    graph: { path: 'conditions.locations.includeLocations' },
    terraform: ['conditions.locations.included_locations'],
    reviewRow: 'Locations',
    example: ['AllTrusted'],
  },
  excludeLocations: {
    graph: { path: 'conditions.locations.excludeLocations' },
    terraform: ['conditions.locations.excluded_locations'],
    reviewRow: 'Locations',
    example: [ID(6)],
    beside: { includeLocations: ['All'] },
  },
  deviceFilter: {
    graph: { path: 'conditions.devices.deviceFilter' },
    terraform: ['conditions.devices.filter.mode', 'conditions.devices.filter.rule'],
    reviewRow: 'Devices',
    example: { mode: 'exclude', rule: 'device.isCompliant -eq True' },
  },
  includeServicePrincipals: {
    graph: { path: 'conditions.clientApplications.includeServicePrincipals' },
    terraform: ['conditions.client_applications.included_service_principals'],
    reviewRow: 'Client applications (workload identities)',
    example: ['ServicePrincipalsInMyTenant'],
    beside: { grant: { block: true } },
  },
  excludeServicePrincipals: {
    graph: { path: 'conditions.clientApplications.excludeServicePrincipals' },
    terraform: ['conditions.client_applications.excluded_service_principals'],
    reviewRow: 'Client applications (workload identities)',
    example: [ID(7)],
    beside: WORKLOAD,
  },
  servicePrincipalFilter: {
    graph: { path: 'conditions.clientApplications.servicePrincipalFilter' },
    terraform: ['conditions.client_applications.filter.mode', 'conditions.client_applications.filter.rule'],
    reviewRow: 'Client applications (workload identities)',
    example: { mode: 'include', rule: 'CustomSecurityAttribute.Team_Name -eq "ITSM"' },
    beside: WORKLOAD,
  },
  servicePrincipalRiskLevels: {
    graph: { path: 'conditions.servicePrincipalRiskLevels' },
    terraform: ['conditions.service_principal_risk_levels'],
    reviewRow: 'Service principal risk',
    example: ['high'],
    beside: WORKLOAD,
  },
  insiderRiskLevels: {
    graph: { path: 'conditions.insiderRiskLevels' },
    terraform: ['conditions.insider_risk_levels'],
    reviewRow: 'Insider risk',
    example: 'elevated',
  },
  authenticationFlows: {
    graph: { path: 'conditions.authenticationFlows.transferMethods', value: 'deviceCodeFlow' },
    terraform: ['conditions.authentication_flow_transfer_methods'],
    reviewRow: 'Authentication flows',
    example: ['deviceCodeFlow'],
  },
  grant: {
    graph: { path: 'grantControls.builtInControls', value: ['block'], adopted: { block: true, operator: 'OR' } },
    terraform: ['grant_controls.built_in_controls'],
    reviewRow: 'Grant',
    example: { block: true },
  },
  signInFrequency: {
    graph: {
      path: 'sessionControls.signInFrequency',
      value: { isEnabled: true, value: 8, type: 'hours', frequencyInterval: 'timeBased', authenticationType: 'primaryAndSecondaryAuthentication' },
    },
    terraform: ['session_controls.sign_in_frequency', 'session_controls.sign_in_frequency_period', 'session_controls.sign_in_frequency_interval'],
    reviewRow: 'Sign-in frequency',
    example: { value: 8, unit: 'hours' },
  },
  signInFrequencyAuthenticationType: {
    graph: {
      path: 'sessionControls.signInFrequency',
      value: { isEnabled: true, value: 8, type: 'hours', frequencyInterval: 'timeBased', authenticationType: 'secondaryAuthentication' },
    },
    terraform: ['session_controls.sign_in_frequency_authentication_type'],
    reviewRow: 'Sign-in frequency',
    example: 'secondaryAuthentication',
    beside: { signInFrequency: { value: 8, unit: 'hours' } },
  },
  applicationEnforcedRestrictions: {
    graph: { path: 'sessionControls.applicationEnforcedRestrictions', value: { isEnabled: true } },
    terraform: ['session_controls.application_enforced_restrictions_enabled'],
    reviewRow: 'App enforced restrictions',
    example: true,
  },
  cloudAppSecurity: {
    graph: { path: 'sessionControls.cloudAppSecurity', value: { isEnabled: true, cloudAppSecurityType: 'monitorOnly' } },
    terraform: ['session_controls.cloud_app_security_policy'],
    reviewRow: 'Conditional Access App Control',
    example: 'monitorOnly',
  },
  persistentBrowser: {
    graph: { path: 'sessionControls.persistentBrowser', value: { isEnabled: true, mode: 'never' } },
    terraform: ['session_controls.persistent_browser_mode'],
    reviewRow: 'Persistent browser session',
    example: 'never',
  },
  disableResilienceDefaults: {
    graph: { path: 'sessionControls.disableResilienceDefaults', value: true },
    terraform: ['session_controls.disable_resilience_defaults'],
    reviewRow: 'Resilience defaults',
    example: true,
  },
  allowEnforcedWithoutBreakGlassExclusion: {
    graph: null,
    terraform: [],
    reviewRow: 'Enforced without break-glass exclusion',
    example: { reason: 'Break-glass accounts are excluded by tenant policy CA000, owned by the identity team' },
    beside: { state: 'on' },
    inJson: false,
    note: "this project's written waiver: a declaration that guardrail ITSM-CA-001 and the review read, never sent to Graph",
  },
  import: {
    graph: { path: 'id', value: ID(8), adopted: { policyId: ID(8) } },
    terraform: [],
    reviewRow: 'Terraform',
    example: { policyId: ID(8) },
    note: 'a Terraform import block (`import { to, id }`), not an attribute',
  },
};
