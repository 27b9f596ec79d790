/**
 * An Entra ID conditional access policy, in Microsoft Graph's names (`conditionalAccessPolicy`),
 * with the manual's "Doble autenticación en Azure" policy as its defaults: the model behind the
 * config's `mfaPolicy` section, a tenant's `conditionalAccessPolicies` entries and the
 * `ConditionalAccessPolicy` construct (same keys, same words). Each setting's Graph path,
 * Terraform attributes and review row are declared in `conditional-access-fields.ts`. Defaults are written once in `CONDITIONAL_ACCESS_POLICY_DEFAULTS`, rules once in
 * `conditionalAccessPolicyProblems`; the break-glass rule is shared with guardrail ITSM-CA-001
 * (`breakGlassExclusionGap`). The checks of single lists (users, applications, closed lists of
 * the provider) are in `conditional-access-lists.ts`. Nothing here imports cdktf.
 */
import {
  additionalControlProblems,
  allowedListProblems,
  allowedValueProblem,
  applicationListProblems,
  authenticationStrengthProblem,
  clientAppTypeProblems,
  ENVIRONMENT_REFERENCE,
  excludePlatformProblems,
  locationListProblems,
  NAMED_LOCATION_KEY,
  resolveApplication,
  resolveAuthenticationStrength,
  servicePrincipalListProblems,
  signInFrequencyProblem,
  userListProblems,
} from './conditional-access-lists';
import { CONDITIONAL_ACCESS_POLICY_IMPORT_RULES, type ConditionalAccessPolicyImportProps } from './adoption';
import {
  AUTHENTICATION_FLOWS,
  AUTHENTICATION_STRENGTH_ID_PREFIX,
  CLOUD_APP_SECURITY_POLICIES,
  FILTER_MODES,
  GUEST_OR_EXTERNAL_USER_TYPES,
  INSIDER_RISK_LEVELS,
  PERSISTENT_BROWSER_MODES,
  SIGN_IN_FREQUENCY_AUTHENTICATION_TYPES,
  USER_ACTIONS,
  DEVICE_PLATFORMS,
  GRANT_OPERATORS,
  MANUAL_DEFAULTS,
  POLICY_STATE_WORDS,
  PROVIDER_POLICY_STATE,
  RISK_LEVELS,
  type AdditionalGrantControl,
  type ApplicationAlias,
  type AuthenticationFlow,
  type CloudAppSecurityPolicy,
  type FilterMode,
  type GuestOrExternalUserType,
  type InsiderRiskLevel,
  type PersistentBrowserMode,
  type SignInFrequencyAuthenticationType,
  type UserAction,
  type ApplicationKeyword,
  type BuiltInAuthenticationStrength,
  type BuiltInControl,
  type ClientAppType,
  type DevicePlatform,
  type GrantOperator,
  type PolicyState,
  type PolicyStateWord,
  type RiskLevel,
  type SignInFrequencyUnit,
  type UserKeyword,
} from './conditional-access-values';
import { graphId, isPlaceholderId, isUuid, objectIdProblem, wellKnownIdProblem } from './ids';
import { NOTHING_UNRESOLVED, problemAt, repeated, show, under, type IsUnresolved, type Problem } from './problem';
import { normalizeSecurityGroup, objectIdListProblems, securityGroupProblems, type SecurityGroupModel, type SecurityGroupProps } from './security-group';
import { reasonProblem, textProblem } from './text';
import { nested, runRules, type RuleSet, type ShapeIssues } from './rules';

/** "Grant access": Require multifactor authentication, or an authentication strength, with other controls. */
export interface ConditionalAccessGrantProps {
  /**
   * "Require multifactor authentication" (the manual's choice). Not together with
   * authenticationStrength (Graph error 1108).
   * @default true when authenticationStrength is not set
   */
  readonly mfa?: boolean;
  /**
   * "Require authentication strength" instead of mfa: `multifactor`, `passwordlessMfa`,
   * `phishingResistantMfa` (CISA SCuBA MS.AAD.3.1), or `/policies/authenticationStrengthPolicies/<uuid>`.
   * @default - none
   */
  readonly authenticationStrength?: BuiltInAuthenticationStrength | (string & {});
  /**
   * Other grant controls: with operator OR any one of them lets a user in without MFA.
   * @default []
   */
  readonly additionalControls?: readonly (AdditionalGrantControl | (string & {}))[];
  /**
   * "Block access" instead of granting: no other control goes with it, and mfa is then false.
   * @default false
   */
  readonly block?: boolean;
  /**
   * "Terms of use" the user must accept, by their IDs (Entra ID Governance > Terms of use).
   * @default []
   */
  readonly termsOfUse?: readonly string[];
  /**
   * OR: require one of the selected controls (the portal's default); AND: require all of them.
   * @default 'OR'
   */
  readonly operator?: GrantOperator;
}

/** "Sign-in frequency": `everyTime`, or a period of 1-23 hours or 1-365 days. */
export type SignInFrequencyProps = 'everyTime' | { readonly value: number; readonly unit: SignInFrequencyUnit };

/** "Guest or external users" of a policy's users condition. */
export interface GuestsOrExternalUsersProps {
  /** The kinds of guests and external users, as the portal lists them. */
  readonly types: readonly GuestOrExternalUserType[];
  /**
   * Their home tenants: `all`, or the tenant IDs.
   * @default 'all'
   */
  readonly externalTenants?: 'all' | readonly string[];
}

/** A filter for devices or service principals: a rule in Entra ID's filter syntax, including or excluding what matches. */
export interface FilterProps {
  readonly mode: FilterMode;
  /** E.g. `device.operatingSystem eq "Windows"`. */
  readonly rule: string;
}

/** The target group: declare a new one, or use an existing one by object ID. Exactly one. */
export interface PolicyGroupProps {
  /** Declare a new security group; its display name defaults to the manual's `MFA-Test-Group`. */
  readonly create?: Omit<SecurityGroupProps, 'displayName'> & { readonly displayName?: string };
  /** Use an existing group of the tenant, by object ID (or a deploy-time reference). */
  readonly existingObjectId?: string;
}

/** The explicit, written decision to enforce a policy that excludes no emergency-access account. */
export interface EnforcedWithoutBreakGlassExclusion {
  /** How emergency access is kept without an exclusion in this policy, in a sentence. */
  readonly reason: string;
}

/** The config's `mfaPolicy` section and the props of `ConditionalAccessPolicy`. */
export interface ConditionalAccessPolicyProps {
  /**
   * Name of the policy in the Conditional Access list.
   * @default 'MFA Pilot' (the manual's example)
   */
  readonly displayName?: string;
  /**
   * The "Enable policy" switch: `reportOnly` (evaluated and logged, not enforced: Microsoft's
   * guidance is to start so and check the sign-in logs), `on` (enforced; needs a break-glass
   * exclusion) or `off`.
   * @default 'reportOnly'
   */
  readonly state?: PolicyStateWord;
  /**
   * The group of users the policy targets (always included, unless includeUsers is All or None).
   * @default { create: { displayName: 'MFA-Test-Group' } } (the manual's example; members managed in the portal)
   */
  readonly group?: PolicyGroupProps;
  /**
   * Further users by object ID, or `All`, `None`, `GuestsOrExternalUsers`. `All` and `None` are the
   * whole selection, as in the portal: the group is then not included.
   * @default []
   */
  readonly includeUsers?: readonly (UserKeyword | (string & {}))[];
  /**
   * Users to exclude by object ID (or `GuestsOrExternalUsers`): the emergency-access (break-glass)
   * accounts (Maester MT.1005). `state: on` needs one here or in excludeGroups; placeholder IDs
   * (00000000-0000-0000-0000-...) do not count.
   * @default []
   */
  readonly excludeUsers?: readonly (UserKeyword | (string & {}))[];
  /** Further groups by object ID. @default [] */
  readonly includeGroups?: readonly string[];
  /** Groups to exclude by object ID, e.g. the group of break-glass accounts. @default [] */
  readonly excludeGroups?: readonly string[];
  /** Directory roles to include, by role template ID. @default [] */
  readonly includeRoles?: readonly string[];
  /** Directory roles to exclude, by role template ID. @default [] */
  readonly excludeRoles?: readonly string[];
  /**
   * Target resources: client (application) IDs, or `All`, `Office365`, `MicrosoftAdminPortals`,
   * `MicrosoftAzureManagement` (the alias of 797f4846-ba00-4fd7-ba43-dac1f8f63013). Not display names.
   * Graph: `conditions.applications.includeApplications`.
   * @default ['MicrosoftAzureManagement'] (the manual's "Microsoft Azure Management")
   */
  readonly includeApplications?: readonly (ApplicationKeyword | ApplicationAlias | (string & {}))[];
  /** @deprecated The former name of `includeApplications` (Graph's name); still read, with a warning. */
  readonly applications?: readonly (ApplicationKeyword | ApplicationAlias | (string & {}))[];
  /** Resources to exclude from the targeted ones. @default [] */
  readonly excludeApplications?: readonly (ApplicationKeyword | ApplicationAlias | (string & {}))[];
  /**
   * Conditions > Client apps. The portal hides it until configured, but the provider requires it.
   * @default ['all']
   */
  readonly clientAppTypes?: readonly ClientAppType[];
  /** Apply only at these sign-in risk levels (Entra ID P2). @default [] (any) */
  readonly signInRiskLevels?: readonly RiskLevel[];
  /** Apply only at these user risk levels (Entra ID P2). @default [] (any) */
  readonly userRiskLevels?: readonly RiskLevel[];
  /** Conditions > Device platforms. @default [] (the condition is not configured: every platform) */
  readonly includePlatforms?: readonly DevicePlatform[];
  /** Device platforms to leave out; needs includePlatforms. @default [] */
  readonly excludePlatforms?: readonly DevicePlatform[];
  /** Users > Include > "Guest or external users". @default - none */
  readonly includeGuestsOrExternalUsers?: GuestsOrExternalUsersProps;
  /** Users > Exclude > "Guest or external users". @default - none */
  readonly excludeGuestsOrExternalUsers?: GuestsOrExternalUsersProps;
  /**
   * Target resources > "User actions" instead of resources: `registerSecurityInformation`,
   * `registerOrJoinDevices`. Not together with includeApplications. Graph:
   * `conditions.applications.includeUserActions`.
   * @default [] (the policy targets applications)
   */
  readonly includeUserActions?: readonly UserAction[];
  /** @deprecated The former name of `includeUserActions` (Graph's name); still read, with a warning. */
  readonly userActions?: readonly UserAction[];
  /**
   * Conditions > Locations to include: named locations by object ID (in a tenant's policy set,
   * by the key of one of its namedLocations), or `All`, `AllTrusted`.
   * @default [] (the condition is not configured: any location)
   */
  readonly includeLocations?: readonly string[];
  /** Locations to leave out; needs includeLocations. @default [] */
  readonly excludeLocations?: readonly string[];
  /** Conditions > Filter for devices. @default - none */
  readonly deviceFilter?: FilterProps;
  /**
   * Workload identities: service principals the policy applies to (object IDs, or
   * `ServicePrincipalsInMyTenant`) instead of users. Needs Workload Identities Premium; the only
   * grant is block.
   * @default [] (the policy applies to users)
   */
  readonly includeServicePrincipals?: readonly string[];
  /** Service principals to leave out (object IDs). @default [] */
  readonly excludeServicePrincipals?: readonly string[];
  /** A filter on the service principals' custom security attributes. @default - none */
  readonly servicePrincipalFilter?: FilterProps;
  /** Apply only at these service principal risk levels (Workload Identities Premium). @default [] (any) */
  readonly servicePrincipalRiskLevels?: readonly RiskLevel[];
  /**
   * Apply only at this insider risk level (Microsoft Purview). Graph: `conditions.insiderRiskLevels`
   * (one level; the provider's `insider_risk_levels` is one string).
   * @default - any
   */
  readonly insiderRiskLevels?: InsiderRiskLevel;
  /** @deprecated The former name of `insiderRiskLevels` (Graph's name); still read, with a warning. */
  readonly insiderRiskLevel?: InsiderRiskLevel;
  /** Conditions > Authentication flows: `deviceCodeFlow`, `authenticationTransfer`. @default [] (any) */
  readonly authenticationFlows?: readonly AuthenticationFlow[];
  /**
   * Access controls > Grant.
   * @default { mfa: true, operator: 'OR' } ("Require multifactor authentication")
   */
  readonly grant?: ConditionalAccessGrantProps;
  /**
   * Session > Sign-in frequency.
   * @default - not configured: Entra ID's rolling 90-day session
   */
  readonly signInFrequency?: SignInFrequencyProps;
  /**
   * Which factors sign-in frequency asks for again; needs signInFrequency.
   * @default 'primaryAndSecondaryAuthentication'
   */
  readonly signInFrequencyAuthenticationType?: SignInFrequencyAuthenticationType;
  /** Session > "Use app enforced restrictions" (Exchange Online and SharePoint Online only). @default false */
  readonly applicationEnforcedRestrictions?: boolean;
  /** Session > "Use Conditional Access App Control". @default - not configured */
  readonly cloudAppSecurity?: CloudAppSecurityPolicy;
  /** Session > "Persistent browser session". @default - not configured */
  readonly persistentBrowser?: PersistentBrowserMode;
  /** Session > "Disable resilience defaults". @default false */
  readonly disableResilienceDefaults?: boolean;
  /**
   * Allows `state: on` without any break-glass exclusion.
   *
   * RISK: a policy enforced on every user and admin with no exclusion can lock everyone out of the
   * tenant (a lost phone, an MFA outage). Set it only when emergency access is guaranteed another
   * way, and say how.
   * @default - not allowed
   */
  readonly allowEnforcedWithoutBreakGlassExclusion?: EnforcedWithoutBreakGlassExclusion;
  /**
   * The policy (and target group) made in the portal that this declaration takes over: synthesis
   * writes a Terraform `import` block for each. `npm run adopt` writes this section.
   * @default - nothing is imported: the policy and the group are created
   */
  readonly import?: ConditionalAccessPolicyImportProps;
}

/** The policy's defaults, written once. */
export const CONDITIONAL_ACCESS_POLICY_DEFAULTS = {
  displayName: MANUAL_DEFAULTS.policyDisplayName,
  state: 'reportOnly',
  group: { create: {} } as PolicyGroupProps,
  includeApplications: ['MicrosoftAzureManagement'],
  clientAppTypes: ['all'],
  grantOperator: 'OR',
} as const;

/** The grant in the provider's terms. */
export interface ConditionalAccessGrantModel {
  /** `grant_controls.built_in_controls`: `block` alone, or `mfa` first when required, then the additional controls. */
  readonly builtInControls: readonly BuiltInControl[];
  /** `grant_controls.authentication_strength_policy_id`, built-in names resolved. */
  readonly authenticationStrengthPolicyId?: string;
  /** `grant_controls.terms_of_use`. */
  readonly termsOfUse: readonly string[];
  readonly operator: GrantOperator;
}

/** Guests or external users in the provider's terms. */
export interface GuestsOrExternalUsersModel {
  /** In Graph's order. */
  readonly types: readonly GuestOrExternalUserType[];
  readonly externalTenants: 'all' | readonly string[];
}

/** Session controls in the provider's terms; every field unset means no session_controls block. */
export interface SessionControlsModel {
  readonly signInFrequency?: SignInFrequencyControls;
  readonly applicationEnforcedRestrictions: boolean;
  readonly cloudAppSecurity?: CloudAppSecurityPolicy;
  readonly persistentBrowser?: PersistentBrowserMode;
  readonly disableResilienceDefaults: boolean;
}

/** `ConditionalAccessPolicyProps` with every default applied and aliases resolved, in the provider's terms; IDs in lower case, as Graph returns them. */
export interface ConditionalAccessPolicyModel {
  readonly displayName: string;
  readonly state: PolicyStateWord;
  /** `state` as the provider spells it. */
  readonly providerState: PolicyState;
  /** The target group; none when the users are All or None, or service principals are targeted, and no group is given. */
  readonly group?: { readonly create: SecurityGroupModel } | { readonly existingObjectId: string };
  readonly includeUsers: readonly string[];
  readonly excludeUsers: readonly string[];
  readonly includeGroups: readonly string[];
  readonly excludeGroups: readonly string[];
  readonly includeRoles: readonly string[];
  readonly excludeRoles: readonly string[];
  readonly includeGuestsOrExternalUsers?: GuestsOrExternalUsersModel;
  readonly excludeGuestsOrExternalUsers?: GuestsOrExternalUsersModel;
  /** Client IDs or keywords (aliases resolved); empty when the policy targets user actions. */
  readonly includeApplications: readonly string[];
  readonly excludeApplications: readonly string[];
  /** `included_user_actions`, as Graph spells them (`urn:user:…`). */
  readonly includeUserActions: readonly string[];
  readonly clientAppTypes: readonly ClientAppType[];
  readonly signInRiskLevels: readonly RiskLevel[];
  readonly userRiskLevels: readonly RiskLevel[];
  readonly servicePrincipalRiskLevels: readonly RiskLevel[];
  readonly insiderRiskLevels?: InsiderRiskLevel;
  readonly includePlatforms: readonly DevicePlatform[];
  readonly excludePlatforms: readonly DevicePlatform[];
  readonly includeLocations: readonly string[];
  readonly excludeLocations: readonly string[];
  readonly deviceFilter?: FilterProps;
  readonly includeServicePrincipals: readonly string[];
  readonly excludeServicePrincipals: readonly string[];
  readonly servicePrincipalFilter?: FilterProps;
  readonly authenticationFlows: readonly AuthenticationFlow[];
  /** The grant; undefined for a session-only policy (no grant_controls block). */
  readonly grant?: ConditionalAccessGrantModel;
  readonly session: SessionControlsModel;
  /** The sign-in frequency as given (the session's provider arguments are in `session`). */
  readonly signInFrequency?: SignInFrequencyProps;
  /** The written reason for enforcing without a break-glass exclusion, when given. */
  readonly allowEnforcedWithoutBreakGlassExclusion?: EnforcedWithoutBreakGlassExclusion;
  /** What is imported, when adopting a policy made in the portal. */
  readonly import?: ConditionalAccessPolicyImportProps;
}

/** True when the session controls set nothing: no session_controls block is written. */
export function sessionIsEmpty(session: SessionControlsModel): boolean {
  return (
    session.signInFrequency === undefined &&
    !session.applicationEnforcedRestrictions &&
    session.cloudAppSecurity === undefined &&
    session.persistentBrowser === undefined &&
    !session.disableResilienceDefaults
  );
}

/** Applies the defaults; call it on props without problems. */
export function normalizeConditionalAccessPolicy(given: ConditionalAccessPolicyProps): ConditionalAccessPolicyModel {
  const props = withGraphNames(given);
  const d = CONDITIONAL_ACCESS_POLICY_DEFAULTS;
  const state = props.state ?? d.state;
  const g = props.grant ?? {};
  const strength = g.authenticationStrength;
  const block = g.block ?? false;
  const mfa = g.mfa ?? (!block && strength === undefined && (g.termsOfUse ?? []).length === 0 && (g.additionalControls ?? []).length === 0);
  const group = policyGroup(props);
  const builtInControls: BuiltInControl[] = block
    ? ['block']
    : [...(mfa ? (['mfa'] as const) : []), ...((g.additionalControls ?? []) as readonly AdditionalGrantControl[])];
  const termsOfUse = (g.termsOfUse ?? []).map(graphId);
  const declaresGrant = builtInControls.length > 0 || strength !== undefined || termsOfUse.length > 0;
  const userActions = (props.includeUserActions ?? []).map((a) => USER_ACTIONS[a]);
  const sif = props.signInFrequency;
  const servicePrincipals = [...(props.includeServicePrincipals ?? [])];
  return {
    displayName: props.displayName ?? d.displayName,
    state,
    providerState: PROVIDER_POLICY_STATE[state],
    ...(group ? { group } : {}),
    includeUsers: (props.includeUsers ?? (servicePrincipals.length > 0 ? ['None'] : [])).map(graphId),
    excludeUsers: (props.excludeUsers ?? []).map(graphId),
    includeGroups: (props.includeGroups ?? []).map(graphId),
    excludeGroups: (props.excludeGroups ?? []).map(graphId),
    includeRoles: (props.includeRoles ?? []).map(graphId),
    excludeRoles: (props.excludeRoles ?? []).map(graphId),
    ...(props.includeGuestsOrExternalUsers ? { includeGuestsOrExternalUsers: normalizeGuests(props.includeGuestsOrExternalUsers) } : {}),
    ...(props.excludeGuestsOrExternalUsers ? { excludeGuestsOrExternalUsers: normalizeGuests(props.excludeGuestsOrExternalUsers) } : {}),
    includeApplications: userActions.length > 0 ? [] : (props.includeApplications ?? d.includeApplications).map((a) => graphId(resolveApplication(a))),
    excludeApplications: (props.excludeApplications ?? []).map((a) => graphId(resolveApplication(a))),
    includeUserActions: userActions,
    clientAppTypes: [...(props.clientAppTypes ?? d.clientAppTypes)],
    signInRiskLevels: [...(props.signInRiskLevels ?? [])],
    userRiskLevels: [...(props.userRiskLevels ?? [])],
    servicePrincipalRiskLevels: [...(props.servicePrincipalRiskLevels ?? [])],
    ...(props.insiderRiskLevels !== undefined ? { insiderRiskLevels: props.insiderRiskLevels } : {}),
    includePlatforms: [...(props.includePlatforms ?? [])],
    excludePlatforms: [...(props.excludePlatforms ?? [])],
    includeLocations: (props.includeLocations ?? []).map(graphId),
    excludeLocations: (props.excludeLocations ?? []).map(graphId),
    ...(props.deviceFilter ? { deviceFilter: { ...props.deviceFilter } } : {}),
    includeServicePrincipals: servicePrincipals.map(graphId),
    excludeServicePrincipals: (props.excludeServicePrincipals ?? []).map(graphId),
    ...(props.servicePrincipalFilter ? { servicePrincipalFilter: { ...props.servicePrincipalFilter } } : {}),
    authenticationFlows: [...(props.authenticationFlows ?? [])],
    ...(declaresGrant
      ? {
          grant: {
            builtInControls,
            ...(strength !== undefined ? { authenticationStrengthPolicyId: strengthPolicyId(resolveAuthenticationStrength(strength)) } : {}),
            termsOfUse,
            operator: g.operator ?? d.grantOperator,
          },
        }
      : {}),
    session: {
      ...(sif !== undefined ? { signInFrequency: signInFrequencyControls(sif, props.signInFrequencyAuthenticationType) } : {}),
      applicationEnforcedRestrictions: props.applicationEnforcedRestrictions ?? false,
      ...(props.cloudAppSecurity !== undefined ? { cloudAppSecurity: props.cloudAppSecurity } : {}),
      ...(props.persistentBrowser !== undefined ? { persistentBrowser: props.persistentBrowser } : {}),
      disableResilienceDefaults: props.disableResilienceDefaults ?? false,
    },
    ...(sif !== undefined ? { signInFrequency: sif } : {}),
    ...(props.allowEnforcedWithoutBreakGlassExclusion ? { allowEnforcedWithoutBreakGlassExclusion: props.allowEnforcedWithoutBreakGlassExclusion } : {}),
    ...(props.import !== undefined
      ? {
          import: {
            policyId: graphId(props.import.policyId),
            ...(props.import.groupObjectId !== undefined ? { groupObjectId: graphId(props.import.groupObjectId) } : {}),
          },
        }
      : {}),
  };
}

/**
 * The target group. The manual's MFA-Test-Group is declared by default, unless the policy already
 * targets a whole selection (All or None users), directory roles, guests or service principals:
 * then no group is declared unless one is given.
 */
export function policyGroup(
  props: Pick<ConditionalAccessPolicyProps, 'group' | 'includeUsers' | 'includeRoles' | 'includeGuestsOrExternalUsers' | 'includeServicePrincipals'>,
): ConditionalAccessPolicyModel['group'] {
  const given = props.group;
  const targetsOthers =
    includesAllOrNoUsers(props.includeUsers ?? []) ||
    (props.includeRoles ?? []).length > 0 ||
    props.includeGuestsOrExternalUsers !== undefined ||
    (props.includeServicePrincipals ?? []).length > 0;
  if (given === undefined && targetsOthers) return undefined;
  const group = given ?? CONDITIONAL_ACCESS_POLICY_DEFAULTS.group;
  return group.existingObjectId !== undefined
    ? { existingObjectId: graphId(group.existingObjectId) }
    : { create: normalizeSecurityGroup({ ...group.create, displayName: group.create?.displayName ?? MANUAL_DEFAULTS.groupDisplayName }) };
}

function normalizeGuests(g: GuestsOrExternalUsersProps): GuestsOrExternalUsersModel {
  // Graph returns the types in its own order; writing them so keeps the second plan clean.
  const types = GUEST_OR_EXTERNAL_USER_TYPES.filter((t) => g.types.includes(t));
  const tenants = g.externalTenants ?? 'all';
  return { types, externalTenants: tenants === 'all' ? 'all' : tenants.map(graphId) };
}

/** The strength's policy ID as the provider reads it back (`flattenConditionalAccessGrantControls`): its GUID in lower case. */
function strengthPolicyId(id: string): string {
  return id.startsWith(AUTHENTICATION_STRENGTH_ID_PREFIX)
    ? AUTHENTICATION_STRENGTH_ID_PREFIX + graphId(id.slice(AUTHENTICATION_STRENGTH_ID_PREFIX.length))
    : id;
}

/** True when `includeUsers` holds All or None: the whole user selection, the target group not included. */
export function includesAllOrNoUsers(includeUsers: readonly string[]): boolean {
  return includeUsers.some((u) => u === 'All' || u === 'None');
}

// ---------------------------------------------------------------------------------------------
// Rules

const string = (key: 'displayName' | 'state', check: (v: string) => string | undefined) => (p: ConditionalAccessPolicyProps, isUnresolved: IsUnresolved) => {
  const v = p[key];
  return typeof v !== 'string' || isUnresolved(v) ? [] : problemAt([key], check(v));
};
const ids =
  (key: 'includeGroups' | 'excludeGroups' | 'includeRoles' | 'excludeRoles', kind: 'group' | 'role') => (p: ConditionalAccessPolicyProps, u: IsUnresolved) =>
    objectIdListProblems(p[key], [key], kind, u);

/** The policy's rules, one entry per field, and those across fields. */
export const CONDITIONAL_ACCESS_POLICY_RULES: RuleSet<ConditionalAccessPolicyProps> = {
  fields: {
    displayName: string('displayName', (v) => (v.trim() === '' ? 'must not be empty' : textProblem(v, 256))),
    state: string('state', (v) => allowedValueProblem(v, POLICY_STATE_WORDS)),
    group: (p, u) => groupProblems(p.group, u),
    includeUsers: (p, u) => under(['includeUsers'], userListProblems(p.includeUsers ?? [], 'include', u)),
    excludeUsers: (p, u) => under(['excludeUsers'], userListProblems(p.excludeUsers ?? [], 'exclude', u)),
    includeGroups: ids('includeGroups', 'group'),
    excludeGroups: ids('excludeGroups', 'group'),
    includeRoles: ids('includeRoles', 'role'),
    excludeRoles: ids('excludeRoles', 'role'),
    includeApplications: (p, u) =>
      p.includeApplications === undefined ? [] : under(['includeApplications'], applicationListProblems(p.includeApplications, 'include', u)),
    // The former names: the rules run on the props with Graph's names (withGraphNames).
    applications: null,
    userActions: null,
    insiderRiskLevel: null,
    excludeApplications: (p, u) => under(['excludeApplications'], applicationListProblems(p.excludeApplications ?? [], 'exclude', u)),
    clientAppTypes: (p) => (p.clientAppTypes === undefined ? [] : under(['clientAppTypes'], clientAppTypeProblems(p.clientAppTypes))),
    signInRiskLevels: (p) => under(['signInRiskLevels'], allowedListProblems(p.signInRiskLevels ?? [], RISK_LEVELS, 'signInRiskLevels', 'risk level')),
    userRiskLevels: (p) => under(['userRiskLevels'], allowedListProblems(p.userRiskLevels ?? [], RISK_LEVELS, 'userRiskLevels', 'risk level')),
    includePlatforms: (p) =>
      under(['includePlatforms'], allowedListProblems(p.includePlatforms ?? [], DEVICE_PLATFORMS, 'includePlatforms', 'platform', 'all')),
    excludePlatforms: (p) => under(['excludePlatforms'], excludePlatformProblems(p.excludePlatforms ?? [])),
    grant: (p, isUnresolved) => {
      const grant = p.grant ?? {};
      const problems: Problem[] = [];
      if (typeof grant.authenticationStrength === 'string' && !isUnresolved(grant.authenticationStrength)) {
        problems.push(...problemAt(['grant', 'authenticationStrength'], authenticationStrengthProblem(grant.authenticationStrength)));
      }
      problems.push(...under(['grant', 'additionalControls'], additionalControlProblems(grant.additionalControls ?? [])));
      (grant.termsOfUse ?? []).forEach((id, i) => {
        if (!isUnresolved(id) && !isUuid(id))
          problems.push({
            path: ['grant', 'termsOfUse', i],
            message: `${show(id)} is not a terms of use ID: expected a UUID (Entra ID Governance > Terms of use)`,
          });
      });
      if (typeof grant.operator === 'string') problems.push(...problemAt(['grant', 'operator'], allowedValueProblem(grant.operator, GRANT_OPERATORS)));
      return [...problems, ...grantProblems(grant)];
    },
    includeGuestsOrExternalUsers: (p, u) => guestProblems(p.includeGuestsOrExternalUsers, 'includeGuestsOrExternalUsers', u),
    excludeGuestsOrExternalUsers: (p, u) => guestProblems(p.excludeGuestsOrExternalUsers, 'excludeGuestsOrExternalUsers', u),
    includeUserActions: (p) =>
      under(['includeUserActions'], allowedListProblems(p.includeUserActions ?? [], Object.keys(USER_ACTIONS), 'includeUserActions', 'user action')),
    includeLocations: (p, u) => under(['includeLocations'], locationListProblems(p.includeLocations ?? [], 'include', u)),
    excludeLocations: (p, u) => under(['excludeLocations'], locationListProblems(p.excludeLocations ?? [], 'exclude', u)),
    deviceFilter: (p, u) => filterProblems(p.deviceFilter, 'deviceFilter', u),
    includeServicePrincipals: (p, u) => under(['includeServicePrincipals'], servicePrincipalListProblems(p.includeServicePrincipals ?? [], 'include', u)),
    excludeServicePrincipals: (p, u) => under(['excludeServicePrincipals'], servicePrincipalListProblems(p.excludeServicePrincipals ?? [], 'exclude', u)),
    servicePrincipalFilter: (p, u) => filterProblems(p.servicePrincipalFilter, 'servicePrincipalFilter', u),
    servicePrincipalRiskLevels: (p) =>
      under(['servicePrincipalRiskLevels'], allowedListProblems(p.servicePrincipalRiskLevels ?? [], RISK_LEVELS, 'servicePrincipalRiskLevels', 'risk level')),
    insiderRiskLevels: (p) =>
      p.insiderRiskLevels === undefined ? [] : problemAt(['insiderRiskLevels'], allowedValueProblem(p.insiderRiskLevels, INSIDER_RISK_LEVELS)),
    authenticationFlows: (p) =>
      under(['authenticationFlows'], allowedListProblems(p.authenticationFlows ?? [], AUTHENTICATION_FLOWS, 'authenticationFlows', 'authentication flow')),
    signInFrequency: (p, isUnresolved) => {
      const sif = p.signInFrequency;
      return sif === undefined || sif === 'everyTime' || isUnresolved(sif.value)
        ? []
        : problemAt(['signInFrequency'], signInFrequencyProblem(sif.value, sif.unit));
    },
    signInFrequencyAuthenticationType: (p) =>
      p.signInFrequencyAuthenticationType === undefined
        ? []
        : problemAt(['signInFrequencyAuthenticationType'], allowedValueProblem(p.signInFrequencyAuthenticationType, SIGN_IN_FREQUENCY_AUTHENTICATION_TYPES)),
    applicationEnforcedRestrictions: null,
    cloudAppSecurity: (p) =>
      p.cloudAppSecurity === undefined ? [] : problemAt(['cloudAppSecurity'], allowedValueProblem(p.cloudAppSecurity, CLOUD_APP_SECURITY_POLICIES)),
    persistentBrowser: (p) =>
      p.persistentBrowser === undefined ? [] : problemAt(['persistentBrowser'], allowedValueProblem(p.persistentBrowser, PERSISTENT_BROWSER_MODES)),
    disableResilienceDefaults: null,
    allowEnforcedWithoutBreakGlassExclusion: (p, isUnresolved) => {
      const reason = p.allowEnforcedWithoutBreakGlassExclusion?.reason;
      return typeof reason !== 'string' || isUnresolved(reason)
        ? []
        : problemAt(['allowEnforcedWithoutBreakGlassExclusion', 'reason'], waiverReasonProblem(reason));
    },
    import: nested(CONDITIONAL_ACCESS_POLICY_IMPORT_RULES, (p) => p.import),
  },
  across: [
    { reads: ['state', 'excludeUsers', 'excludeGroups', 'allowEnforcedWithoutBreakGlassExclusion'], check: (p, u) => breakGlassProblems(p, u) },
    {
      reads: [
        'group',
        'includeUsers',
        'excludeUsers',
        'includeGroups',
        'excludeGroups',
        'includeRoles',
        'excludeRoles',
        'includeApplications',
        'excludeApplications',
        'includeLocations',
        'excludeLocations',
        'includePlatforms',
        'excludePlatforms',
        'includeServicePrincipals',
        'excludeServicePrincipals',
      ],
      check: (p, u) => overlapProblems(p, u),
    },
    { reads: ['includeUsers', 'includeGroups', 'includeRoles'], check: (p) => userKeywordProblems(p) },
    {
      reads: ['grant', 'signInFrequency', 'applicationEnforcedRestrictions', 'cloudAppSecurity', 'persistentBrowser', 'disableResilienceDefaults'],
      check: (p) => effectProblems(p),
    },
    { reads: ['grant', 'userRiskLevels', 'includeApplications', 'includeUserActions'], check: (p) => passwordChangeProblems(p) },
    { reads: ['includeApplications', 'excludeApplications', 'includeUserActions'], check: (p) => userActionProblems(p) },
    {
      reads: ['signInFrequency', 'signInFrequencyAuthenticationType', 'applicationEnforcedRestrictions', 'disableResilienceDefaults'],
      check: (p) => sessionProblems(p),
    },
    {
      reads: [
        'includeServicePrincipals',
        'excludeServicePrincipals',
        'servicePrincipalFilter',
        'servicePrincipalRiskLevels',
        'includeUsers',
        'includeGroups',
        'includeRoles',
        'includeGuestsOrExternalUsers',
        'grant',
        'group',
      ],
      check: (p) => workloadIdentityProblems(p),
    },
    {
      reads: ['includeLocations', 'excludeLocations'],
      check: (p) =>
        (p.excludeLocations ?? []).length > 0 && (p.includeLocations ?? []).length === 0
          ? [
              {
                path: ['excludeLocations'],
                message: 'needs includeLocations as well (the provider requires it): add includeLocations: [All] to apply everywhere but these',
              },
            ]
          : [],
    },
    {
      reads: ['includePlatforms', 'excludePlatforms'],
      check: (p) =>
        (p.excludePlatforms ?? []).length > 0 && (p.includePlatforms ?? []).length === 0
          ? [
              {
                path: ['excludePlatforms'],
                message: 'needs includePlatforms as well (the provider requires it): add includePlatforms: [all] to apply to every platform but these',
              },
            ]
          : [],
    },
    {
      reads: ['import', 'group'],
      check: (p) =>
        p.import?.groupObjectId !== undefined && (p.group ?? CONDITIONAL_ACCESS_POLICY_DEFAULTS.group).create === undefined
          ? [
              {
                path: ['import', 'groupObjectId'],
                message:
                  'imports the target group, but group names an existing one (existingObjectId), so none is declared to import it into: use group.create, or remove groupObjectId',
              },
            ]
          : [],
    },
  ],
};

/**
 * Every problem of the policy's props, paths relative to the section (config keys). Deploy-time
 * values are skipped by the field rules and count as present for the break-glass rule.
 */
export function conditionalAccessPolicyProblems(
  props: ConditionalAccessPolicyProps,
  isUnresolved: IsUnresolved = NOTHING_UNRESOLVED,
  invalid: ShapeIssues = [],
): Problem[] {
  const renamed = formerNamesIn(props);
  if (renamed.length === 0) return runRules(CONDITIONAL_ACCESS_POLICY_RULES, props, isUnresolved, invalid);
  const forth = new Map(renamed.map((r) => [r.from as PropertyKey, r.to] as const));
  const found = runRules(
    CONDITIONAL_ACCESS_POLICY_RULES,
    withGraphNames(props),
    isUnresolved,
    invalid.map((p) => (forth.has(p[0]) ? [forth.get(p[0])!, ...p.slice(1)] : p)),
  );
  return [...formerNameProblems(props), ...atFormerNames(found, props)];
}

/** A setting given under both its former name and Graph's. */
export function formerNameProblems(props: ConditionalAccessPolicyProps): Problem[] {
  return formerNamesIn(props)
    .filter((r) => props[r.to] !== undefined)
    .map((r) => ({ path: [r.from], message: `is the former name of ${r.to}, which is set too: remove ${r.from}` }));
}

/** The rules speak Graph's names: a problem of a setting written under its former name is reported where it was written. */
export function atFormerNames(problems: readonly Problem[], props: ConditionalAccessPolicyProps): Problem[] {
  const back = new Map(
    formerNamesIn(props)
      .filter((r) => props[r.to] === undefined)
      .map((r) => [r.to as PropertyKey, r.from] as const),
  );
  return problems.map((p) => (back.has(p.path[0]) ? { ...p, path: [back.get(p.path[0])!, ...p.path.slice(1)] } : p));
}

/**
 * Settings renamed to Microsoft Graph's names (`conditionalAccessPolicy` resource type), by former
 * name. The former names are still read; the construct declares each one used, and guardrail
 * ITSM-CA-008 warns about it.
 */
export const FORMER_POLICY_KEYS = {
  applications: 'includeApplications',
  userActions: 'includeUserActions',
  insiderRiskLevel: 'insiderRiskLevels',
} as const satisfies Partial<Record<keyof ConditionalAccessPolicyProps, keyof ConditionalAccessPolicyProps>>;

type FormerKey = keyof typeof FORMER_POLICY_KEYS;

/** The former names `props` uses, each with its Graph name. */
export function formerNamesIn(props: ConditionalAccessPolicyProps): { readonly from: FormerKey; readonly to: (typeof FORMER_POLICY_KEYS)[FormerKey] }[] {
  if (props === null || typeof props !== 'object') return [];
  return (Object.keys(FORMER_POLICY_KEYS) as FormerKey[]).filter((k) => props[k] !== undefined).map((from) => ({ from, to: FORMER_POLICY_KEYS[from] }));
}

/** The props under Graph's names: a setting given by its former name moves to its new one (unless that is set too). */
export function withGraphNames<P extends ConditionalAccessPolicyProps>(props: P): P {
  const renamed = formerNamesIn(props);
  if (renamed.length === 0) return props;
  const out = { ...props } as Record<string, unknown>;
  for (const { from, to } of renamed) {
    if (out[to] === undefined) out[to] = out[from];
    delete out[from];
  }
  return out as P;
}

function groupProblems(group: PolicyGroupProps | undefined, isUnresolved: IsUnresolved): Problem[] {
  if (group === undefined) return [];
  const { create, existingObjectId } = group;
  if (create && existingObjectId !== undefined) {
    return [
      {
        path: ['group'],
        message: 'sets both create and existingObjectId: keep create to declare a new group, or existingObjectId to use a group of the tenant',
      },
    ];
  }
  if (!create && existingObjectId === undefined) {
    return [
      {
        path: ['group'],
        message: `sets neither create nor existingObjectId: add "create: {}" for a new group named "${MANUAL_DEFAULTS.groupDisplayName}", or existingObjectId: <group object ID>`,
      },
    ];
  }
  if (existingObjectId !== undefined)
    return isUnresolved(existingObjectId) ? [] : problemAt(['group', 'existingObjectId'], objectIdProblem(existingObjectId, 'group'));
  return under(['group', 'create'], securityGroupProblems({ ...create, displayName: create!.displayName ?? MANUAL_DEFAULTS.groupDisplayName }, isUnresolved));
}

/** Why the written reason for enforcing without a break-glass exclusion is not enough, or undefined. */
export function waiverReasonProblem(reason: string): string | undefined {
  return reasonProblem(
    reason,
    'how emergency access is kept without an exclusion here',
    'Break-glass accounts are excluded by tenant policy CA000, owned by the identity team',
  );
}

/** `session_controls` sign-in frequency arguments, in the provider's words. */
export interface SignInFrequencyControls {
  readonly signInFrequency?: number;
  readonly signInFrequencyPeriod?: SignInFrequencyUnit;
  readonly signInFrequencyInterval: 'everyTime' | 'timeBased';
  readonly signInFrequencyAuthenticationType: SignInFrequencyAuthenticationType;
}

/**
 * What the provider is given for a sign-in frequency. The interval and the authentication type
 * are Optional+Computed without default: left out, the value in state stays, so a switch from
 * everyTime to a period would keep "everyTime" and fail the plan. Both are always written.
 */
export function signInFrequencyControls(
  sif: SignInFrequencyProps,
  authenticationType: SignInFrequencyAuthenticationType = 'primaryAndSecondaryAuthentication',
): SignInFrequencyControls {
  const signInFrequencyAuthenticationType = authenticationType;
  return sif === 'everyTime'
    ? { signInFrequencyInterval: 'everyTime', signInFrequencyAuthenticationType }
    : { signInFrequency: sif.value, signInFrequencyPeriod: sif.unit, signInFrequencyInterval: 'timeBased', signInFrequencyAuthenticationType };
}

/** MFA and an authentication strength exclude each other (Graph error 1108); block goes alone. */
export function grantProblems(grant: ConditionalAccessGrantProps): Problem[] {
  const strength = grant.authenticationStrength !== undefined;
  if (grant.block === true) {
    const others = [
      grant.mfa === true ? 'mfa' : undefined,
      strength ? 'authenticationStrength' : undefined,
      (grant.additionalControls ?? []).length > 0 ? 'additionalControls' : undefined,
      (grant.termsOfUse ?? []).length > 0 ? 'termsOfUse' : undefined,
    ].filter((x) => x !== undefined);
    return others.length > 0
      ? [{ path: ['grant', 'block'], message: `goes with no other grant control (Graph refuses it): remove ${others.join(' and ')}, or block` }]
      : [];
  }
  const mfa = grant.mfa ?? (!strength && (grant.termsOfUse ?? []).length === 0 && (grant.additionalControls ?? []).length === 0);
  if (mfa && strength) {
    return [
      {
        path: ['grant', 'authenticationStrength'],
        message:
          "cannot be combined with grant.mfa: Graph rejects a policy that requires both multifactor authentication and an authentication strength (error 1108): keep mfa: true (the manual's choice) or remove it and keep the strength (multifactor is equivalent; phishingResistantMfa is the CISA SCuBA MS.AAD.3.1 target)",
      },
    ];
  }
  return [];
}

/** A policy must do something: grant controls, or session controls (the provider's AtLeastOneOf). */
export function effectProblems(p: ConditionalAccessPolicyProps): Problem[] {
  // Reads only the fields it names (the others may not have a valid shape).
  const g = p.grant ?? {};
  const strength = g.authenticationStrength !== undefined;
  const grants =
    g.block === true ||
    (g.mfa ?? (!strength && (g.termsOfUse ?? []).length === 0 && (g.additionalControls ?? []).length === 0)) ||
    strength ||
    (g.termsOfUse ?? []).length > 0 ||
    (g.additionalControls ?? []).length > 0;
  const session =
    p.signInFrequency !== undefined ||
    p.applicationEnforcedRestrictions === true ||
    p.cloudAppSecurity !== undefined ||
    p.persistentBrowser !== undefined ||
    p.disableResilienceDefaults === true;
  if (grants || session) return [];
  return [
    {
      path: ['grant'],
      message:
        'grants nothing and controls no session, so the policy would do nothing: set mfa: true, block: true, another control, or a session control such as signInFrequency',
    },
  ];
}

/** "Require password change" works only with MFA, operator AND, a user risk condition, and all resources (Microsoft Learn). */
export function passwordChangeProblems(p: ConditionalAccessPolicyProps): Problem[] {
  const controls = p.grant?.additionalControls ?? [];
  const i = controls.indexOf('passwordChange');
  if (i < 0) return [];
  const missing: string[] = [];
  if (p.grant?.mfa !== true && p.grant?.authenticationStrength === undefined) missing.push('mfa: true');
  if ((p.grant?.operator ?? CONDITIONAL_ACCESS_POLICY_DEFAULTS.grantOperator) !== 'AND') missing.push('operator: AND');
  if ((p.userRiskLevels ?? []).length === 0) missing.push('userRiskLevels');
  if ((p.includeUserActions ?? []).length > 0 || JSON.stringify(p.includeApplications ?? CONDITIONAL_ACCESS_POLICY_DEFAULTS.includeApplications) !== '["All"]')
    missing.push('includeApplications: [All]');
  return missing.length > 0
    ? [{ path: ['grant', 'additionalControls', i], message: `"passwordChange" works only in a user-risk policy: it needs ${missing.join(', ')}` }]
    : [];
}

/** User actions replace target resources (the provider's ExactlyOneOf). */
export function userActionProblems(p: ConditionalAccessPolicyProps): Problem[] {
  if ((p.includeUserActions ?? []).length === 0) return [];
  const problems: Problem[] = [];
  if (p.includeApplications !== undefined)
    problems.push({
      path: ['includeApplications'],
      message: 'cannot be set together with includeUserActions: a policy targets either resources or user actions',
    });
  if ((p.excludeApplications ?? []).length > 0)
    problems.push({
      path: ['excludeApplications'],
      message: 'cannot be set together with includeUserActions: a policy targets either resources or user actions',
    });
  return problems;
}

/** With everyTime, the provider never sends app-enforced restrictions nor resilience defaults: setting them would never apply. */
export function sessionProblems(p: ConditionalAccessPolicyProps): Problem[] {
  const problems: Problem[] = [];
  if (p.signInFrequencyAuthenticationType !== undefined && p.signInFrequency === undefined) {
    problems.push({
      path: ['signInFrequencyAuthenticationType'],
      message: 'needs signInFrequency: it says which factors the sign-in frequency asks for again',
    });
  }
  if (p.signInFrequency === 'everyTime') {
    for (const key of ['applicationEnforcedRestrictions', 'disableResilienceDefaults'] as const) {
      if (p[key] === true)
        problems.push({
          path: [key],
          message: 'cannot go with signInFrequency: everyTime: the provider does not send it then, so every plan would show it again',
        });
    }
  }
  return problems;
}

/** Policies for workload identities: service principals instead of users, and only block (Microsoft Learn). */
export function workloadIdentityProblems(p: ConditionalAccessPolicyProps): Problem[] {
  const sps = p.includeServicePrincipals ?? [];
  if (sps.length === 0) {
    const stray = (['excludeServicePrincipals', 'servicePrincipalFilter', 'servicePrincipalRiskLevels'] as const).filter((k) =>
      Array.isArray(p[k]) ? (p[k] as unknown[]).length > 0 : p[k] !== undefined,
    );
    return stray.map((k) => ({
      path: [k],
      message: 'needs includeServicePrincipals: it narrows the service principals a workload identity policy applies to',
    }));
  }
  const problems: Problem[] = [];
  const users = p.includeUsers ?? ['None'];
  if (
    users.length !== 1 ||
    users[0] !== 'None' ||
    (p.includeGroups ?? []).length > 0 ||
    (p.includeRoles ?? []).length > 0 ||
    p.includeGuestsOrExternalUsers !== undefined ||
    p.group !== undefined
  ) {
    problems.push({
      path: ['includeServicePrincipals'],
      message:
        'targets workload identities, so the policy applies to no user: leave includeUsers out (it is then None) and remove group, includeGroups, includeRoles and includeGuestsOrExternalUsers',
    });
  }
  if (p.grant?.block !== true)
    problems.push({ path: ['grant'], message: 'of a workload identity policy can only block (Microsoft Entra Workload ID): set grant: { block: true }' });
  return problems;
}

function guestProblems(g: GuestsOrExternalUsersProps | undefined, key: string, isUnresolved: IsUnresolved): Problem[] {
  if (g === undefined) return [];
  const problems: Problem[] = [];
  if (g.types.length === 0) problems.push({ path: [key, 'types'], message: `must list at least one kind: ${GUEST_OR_EXTERNAL_USER_TYPES.join(', ')}` });
  problems.push(...under([key, 'types'], allowedListProblems(g.types, GUEST_OR_EXTERNAL_USER_TYPES, 'types', 'guest type')));
  const tenants = g.externalTenants;
  if (tenants !== undefined && tenants !== 'all') {
    if (tenants.length === 0) problems.push({ path: [key, 'externalTenants'], message: 'is empty: write all, or list tenant IDs' });
    tenants.forEach((t, i) => {
      if (!isUnresolved(t) && !isUuid(t))
        problems.push({
          path: [key, 'externalTenants', i],
          message: `${show(t)} is not a tenant ID: expected a UUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301`,
        });
    });
    problems.push(...repeated(tenants, [key, 'externalTenants'], 'tenant'));
  }
  return problems;
}

/**
 * Values only a tenant's policy set can resolve: named-location keys and environment names (for a
 * service principal). A policy declared on its own must give object IDs instead.
 */
export function unresolvedNames(
  p: ConditionalAccessPolicyProps,
): { readonly path: readonly (string | number)[]; readonly value: string; readonly what: string }[] {
  const out: { path: (string | number)[]; value: string; what: string }[] = [];
  // A config may hold anything here (`mfaPolicy: null` is a shape problem reported elsewhere).
  if (p === null || typeof p !== 'object') return out;
  const scan = (
    key: 'includeLocations' | 'excludeLocations' | 'includeServicePrincipals' | 'excludeServicePrincipals',
    what: string,
    isName: (v: string) => boolean,
  ) =>
    (Array.isArray(p[key]) ? (p[key] as readonly unknown[]) : []).forEach((v, i) => {
      if (typeof v === 'string' && !/\$\{/.test(v) && isName(v)) out.push({ path: [key, i], value: v, what });
    });
  const location = (v: string) => NAMED_LOCATION_KEY.test(v) && !isUuid(v);
  const environment = (v: string) => ENVIRONMENT_REFERENCE.test(v) && !isUuid(v);
  scan('includeLocations', 'named location', location);
  scan('excludeLocations', 'named location', location);
  scan('includeServicePrincipals', "environment's service principal", environment);
  scan('excludeServicePrincipals', "environment's service principal", environment);
  return out;
}

/**
 * The problems of a policy declared on its own (an environment's `mfaPolicy`, the construct): its
 * rules, and no value that only a tenant's policy set can resolve. The loader and the construct
 * both call this, so a config the loader accepts synthesizes (found by the fuzzer, seed 460322103).
 */
export function standalonePolicyProblems(
  props: ConditionalAccessPolicyProps,
  isUnresolved: IsUnresolved = NOTHING_UNRESOLVED,
  invalid: ShapeIssues = [],
): Problem[] {
  return [
    ...conditionalAccessPolicyProblems(props, isUnresolved, invalid),
    ...unresolvedNames(props).map((u) => ({
      path: u.path,
      message: `${JSON.stringify(u.value)} names a ${u.what} only a tenant's policy set can resolve; give its object ID (or a reference to it) here`,
    })),
  ];
}

function filterProblems(f: FilterProps | undefined, key: string, isUnresolved: IsUnresolved): Problem[] {
  if (f === undefined) return [];
  return [
    ...problemAt([key, 'mode'], allowedValueProblem(f.mode, FILTER_MODES)),
    ...(isUnresolved(f.rule)
      ? []
      : problemAt(
          [key, 'rule'],
          f.rule.trim() === '' ? 'must not be empty: write a filter rule such as device.operatingSystem eq "Windows"' : textProblem(f.rule, 3072),
        )),
  ];
}

/**
 * What an enforced policy lacks in emergency access (Microsoft's guidance; Maester MT.1005): the
 * one rule behind both the config/construct check and guardrail ITSM-CA-001.
 *
 * - `placeholders`: excluded IDs that are obviously fake (00000000-0000-0000-0000-...);
 * - `missing`: true when no real account or group is excluded (an unresolved value counts as real).
 * Not enforced: nothing lacks.
 */
export function breakGlassExclusionGap(
  enforced: boolean,
  excluded: { readonly users: readonly unknown[]; readonly groups: readonly unknown[] },
  isUnresolved: IsUnresolved = NOTHING_UNRESOLVED,
): { readonly missing: boolean; readonly placeholders: readonly { readonly list: 'users' | 'groups'; readonly index: number; readonly id: string }[] } {
  if (!enforced) return { missing: false, placeholders: [] };
  const placeholders: { list: 'users' | 'groups'; index: number; id: string }[] = [];
  for (const list of ['users', 'groups'] as const) {
    excluded[list].forEach((id, index) => {
      if (typeof id === 'string' && !isUnresolved(id) && isPlaceholderId(id)) placeholders.push({ list, index, id });
    });
  }
  // A well-known constant (the nil UUID, a role template ID) is no account, whatever list it is in.
  const real = (v: unknown) =>
    isUnresolved(v) || (typeof v === 'string' && isUuid(v) && !isPlaceholderId(v) && wellKnownIdProblem(v, 'an account') === undefined);
  return { missing: !excluded.users.some(real) && !excluded.groups.some(real), placeholders };
}

/** The words of a missing break-glass exclusion, shared by the config check and ITSM-CA-001. */
export const BREAK_GLASS_MISSING =
  'enforces the policy with no emergency-access (break-glass) exclusion, which can lock every admin out of the tenant (Microsoft guidance; Maester MT.1005)';

/** The break-glass rule on props: placeholders are always refused; a missing exclusion unless waived. */
export function breakGlassProblems(props: ConditionalAccessPolicyProps, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  const gap = breakGlassExclusionGap(
    (props.state ?? CONDITIONAL_ACCESS_POLICY_DEFAULTS.state) === 'on',
    { users: props.excludeUsers ?? [], groups: props.excludeGroups ?? [] },
    isUnresolved,
  );
  const problems: Problem[] = gap.placeholders.map((p) => ({
    path: [p.list === 'users' ? 'excludeUsers' : 'excludeGroups', p.index],
    message: `${p.id} is a placeholder, not an emergency-access account: replace it with the object ID of your break-glass ${p.list === 'users' ? 'account' : 'group'} before setting state: on`,
  }));
  if (gap.missing && !props.allowEnforcedWithoutBreakGlassExclusion && problems.length === 0) {
    problems.push({
      path: ['state'],
      message:
        `"on" ${BREAK_GLASS_MISSING}: ` +
        'add the object ID of a break-glass account to excludeUsers or of their group to excludeGroups, or keep state: reportOnly; ' +
        'if emergency access is guaranteed another way, say how in allowEnforcedWithoutBreakGlassExclusion.reason',
    });
  }
  return problems;
}

/** All or None in includeUsers is the whole user selection: no further groups or roles. */
export function userKeywordProblems(props: Pick<ConditionalAccessPolicyProps, 'includeUsers' | 'includeGroups' | 'includeRoles'>): Problem[] {
  const users = props.includeUsers ?? [];
  const i = users.findIndex((u) => u === 'All' || u === 'None');
  if (i < 0 || ((props.includeGroups ?? []).length === 0 && (props.includeRoles ?? []).length === 0)) return [];
  return [
    {
      path: ['includeUsers', i],
      message: `"${users[i]}" is the whole user selection (the target group is then not included either): remove includeGroups and includeRoles, or the keyword`,
    },
  ];
}

/** An entry both included and excluded: exclusion wins, so it is almost certainly a mistake. */
export function overlapProblems(props: ConditionalAccessPolicyProps, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  const problems: Problem[] = [];
  const target = props.group?.existingObjectId;
  const withTarget = target !== undefined && !isUnresolved(target) && !includesAllOrNoUsers(props.includeUsers ?? []);
  const includedGroups = withTarget ? [target, ...(props.includeGroups ?? [])] : (props.includeGroups ?? []);
  const pairs = [
    ['includeUsers', props.includeUsers ?? [], 'excludeUsers', props.excludeUsers ?? []],
    ['includeGroups', includedGroups, 'excludeGroups', props.excludeGroups ?? []],
    ['includeRoles', props.includeRoles ?? [], 'excludeRoles', props.excludeRoles ?? []],
    [
      'includeApplications',
      (props.includeApplications ?? CONDITIONAL_ACCESS_POLICY_DEFAULTS.includeApplications).map(resolveApplication),
      'excludeApplications',
      props.excludeApplications ?? [],
    ],
    ['includeLocations', props.includeLocations ?? [], 'excludeLocations', props.excludeLocations ?? []],
    ['includePlatforms', props.includePlatforms ?? [], 'excludePlatforms', props.excludePlatforms ?? []],
    ['includeServicePrincipals', props.includeServicePrincipals ?? [], 'excludeServicePrincipals', props.excludeServicePrincipals ?? []],
  ] as const;
  for (const [incName, inc, excName, exc] of pairs) {
    const included = new Set(inc.filter((v) => !isUnresolved(v)).map((v) => v.toLowerCase()));
    exc.forEach((v, i) => {
      if (isUnresolved(v) || !included.has(resolveApplication(v).toLowerCase())) return;
      const what = withTarget && incName === 'includeGroups' && v.toLowerCase() === target!.toLowerCase() ? 'the target group' : incName;
      problems.push({
        path: [excName, i],
        message: `${show(v)} is also included (${what}); exclusion wins, so the policy would not apply to it: remove it from one of the lists`,
      });
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The names before the concept took its Entra ID name (kept so existing code compiles).

/** @deprecated Renamed `ConditionalAccessPolicyProps`: the policy is Entra ID's conditional access policy, not only MFA. */
export type MfaPolicyProps = ConditionalAccessPolicyProps;
/** @deprecated Renamed `ConditionalAccessPolicyModel`. */
export type MfaPolicyModel = ConditionalAccessPolicyModel;
/** @deprecated Renamed `ConditionalAccessGrantProps`. */
export type MfaGrantProps = ConditionalAccessGrantProps;
/** @deprecated Renamed `ConditionalAccessGrantModel`. */
export type MfaGrantModel = ConditionalAccessGrantModel;
