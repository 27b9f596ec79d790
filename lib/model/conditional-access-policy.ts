/**
 * The conditional access policy of the manual's "Doble autenticación en Azure" section: the model
 * behind the config's `mfaPolicy` section and the `MfaConditionalAccessPolicy` construct (same
 * keys, same words). Defaults are written once in `MFA_POLICY_DEFAULTS`, rules once in
 * `mfaPolicyProblems`; the break-glass rule is shared with guardrail ITSM-CA-001
 * (`breakGlassExclusionGap`). Nothing here imports cdktf.
 */
import { didYouMean } from '../private/did-you-mean';
import { MFA_POLICY_IMPORT_RULES, type MfaPolicyImportProps } from './adoption';
import {
  ADDITIONAL_GRANT_CONTROLS,
  APPLICATION_ALIASES,
  APPLICATION_KEYWORD_DISPLAY_NAMES,
  APPLICATION_KEYWORDS,
  AUTHENTICATION_STRENGTH_ID_PREFIX,
  BUILT_IN_AUTHENTICATION_STRENGTHS,
  CLIENT_APP_TYPES,
  DEVICE_PLATFORMS,
  GRANT_OPERATORS,
  MANUAL_DEFAULTS,
  POLICY_STATE_WORDS,
  PROVIDER_POLICY_STATE,
  RISK_LEVELS,
  SIGN_IN_FREQUENCY_RANGE,
  SIGN_IN_FREQUENCY_UNITS,
  USER_KEYWORDS,
  type AdditionalGrantControl,
  type ApplicationAlias,
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
import { isPlaceholderId, isUuid, objectIdProblem, UNKNOWN_FUTURE_VALUE, unknownFutureValueMessage, wellKnownIdProblem } from './ids';
import { NOTHING_UNRESOLVED, problemAt, repeated, show, under, type IsUnresolved, type Problem } from './problem';
import { normalizeSecurityGroup, objectIdListProblems, securityGroupProblems, type SecurityGroupModel, type SecurityGroupProps } from './security-group';
import { reasonProblem, textProblem } from './text';
import { nested, runRules, type RuleSet } from './rules';

/** "Grant access": Require multifactor authentication, or an authentication strength, with other controls. */
export interface MfaGrantProps {
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
   * OR: require one of the selected controls (the portal's default); AND: require all of them.
   * @default 'OR'
   */
  readonly operator?: GrantOperator;
}

/** "Sign-in frequency": `everyTime`, or a period of 1-23 hours or 1-365 days. */
export type SignInFrequencyProps = 'everyTime' | { readonly value: number; readonly unit: SignInFrequencyUnit };

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

/** The config's `mfaPolicy` section and the props of `MfaConditionalAccessPolicy`. */
export interface MfaPolicyProps {
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
   * @default ['MicrosoftAzureManagement'] (the manual's "Microsoft Azure Management")
   */
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
  /**
   * Access controls > Grant.
   * @default { mfa: true, operator: 'OR' } ("Require multifactor authentication")
   */
  readonly grant?: MfaGrantProps;
  /**
   * Session > Sign-in frequency.
   * @default - not configured: Entra ID's rolling 90-day session
   */
  readonly signInFrequency?: SignInFrequencyProps;
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
  readonly import?: MfaPolicyImportProps;
}

/** The policy's defaults, written once. */
export const MFA_POLICY_DEFAULTS = {
  displayName: MANUAL_DEFAULTS.policyDisplayName,
  state: 'reportOnly',
  group: { create: {} } as PolicyGroupProps,
  applications: ['MicrosoftAzureManagement'],
  clientAppTypes: ['all'],
  grantOperator: 'OR',
} as const;

/** The grant in the provider's terms. */
export interface MfaGrantModel {
  /** `grant_controls.built_in_controls`: `mfa` first when required, then the additional controls. */
  readonly builtInControls: readonly BuiltInControl[];
  /** `grant_controls.authentication_strength_policy_id`, built-in names resolved. */
  readonly authenticationStrengthPolicyId?: string;
  readonly operator: GrantOperator;
}

/** `MfaPolicyProps` with every default applied and aliases resolved, in the provider's terms. */
export interface MfaPolicyModel {
  readonly displayName: string;
  readonly state: PolicyStateWord;
  /** `state` as the provider spells it. */
  readonly providerState: PolicyState;
  readonly group: { readonly create: SecurityGroupModel } | { readonly existingObjectId: string };
  readonly includeUsers: readonly string[];
  readonly excludeUsers: readonly string[];
  readonly includeGroups: readonly string[];
  readonly excludeGroups: readonly string[];
  readonly includeRoles: readonly string[];
  readonly excludeRoles: readonly string[];
  /** Client IDs or keywords (aliases resolved). */
  readonly applications: readonly string[];
  readonly excludeApplications: readonly string[];
  readonly clientAppTypes: readonly ClientAppType[];
  readonly signInRiskLevels: readonly RiskLevel[];
  readonly userRiskLevels: readonly RiskLevel[];
  readonly includePlatforms: readonly DevicePlatform[];
  readonly excludePlatforms: readonly DevicePlatform[];
  readonly grant: MfaGrantModel;
  readonly signInFrequency?: SignInFrequencyProps;
  /** The written reason for enforcing without a break-glass exclusion, when given. */
  readonly allowEnforcedWithoutBreakGlassExclusion?: EnforcedWithoutBreakGlassExclusion;
  /** What is imported, when adopting a policy made in the portal. */
  readonly import?: MfaPolicyImportProps;
}

/** Applies the defaults; call it on props without problems. */
export function normalizeMfaPolicy(props: MfaPolicyProps): MfaPolicyModel {
  const d = MFA_POLICY_DEFAULTS;
  const state = props.state ?? d.state;
  const g = props.grant ?? {};
  const strength = g.authenticationStrength;
  const mfa = g.mfa ?? strength === undefined;
  const group = props.group ?? d.group;
  return {
    displayName: props.displayName ?? d.displayName,
    state,
    providerState: PROVIDER_POLICY_STATE[state],
    group: group.existingObjectId !== undefined ? { existingObjectId: group.existingObjectId } : { create: normalizeSecurityGroup({ ...group.create, displayName: group.create?.displayName ?? MANUAL_DEFAULTS.groupDisplayName }) },
    includeUsers: [...(props.includeUsers ?? [])],
    excludeUsers: [...(props.excludeUsers ?? [])],
    includeGroups: [...(props.includeGroups ?? [])],
    excludeGroups: [...(props.excludeGroups ?? [])],
    includeRoles: [...(props.includeRoles ?? [])],
    excludeRoles: [...(props.excludeRoles ?? [])],
    applications: (props.applications ?? d.applications).map(resolveApplication),
    excludeApplications: (props.excludeApplications ?? []).map(resolveApplication),
    clientAppTypes: [...(props.clientAppTypes ?? d.clientAppTypes)],
    signInRiskLevels: [...(props.signInRiskLevels ?? [])],
    userRiskLevels: [...(props.userRiskLevels ?? [])],
    includePlatforms: [...(props.includePlatforms ?? [])],
    excludePlatforms: [...(props.excludePlatforms ?? [])],
    grant: {
      // additionalControlProblems refuses anything but the AdditionalGrantControl values.
      builtInControls: [...(mfa ? (['mfa'] as const) : []), ...((g.additionalControls ?? []) as readonly AdditionalGrantControl[])],
      ...(strength !== undefined ? { authenticationStrengthPolicyId: resolveAuthenticationStrength(strength) } : {}),
      operator: g.operator ?? d.grantOperator,
    },
    ...(props.signInFrequency !== undefined ? { signInFrequency: props.signInFrequency } : {}),
    ...(props.allowEnforcedWithoutBreakGlassExclusion ? { allowEnforcedWithoutBreakGlassExclusion: props.allowEnforcedWithoutBreakGlassExclusion } : {}),
    ...(props.import !== undefined ? { import: { ...props.import } } : {}),
  };
}

/** True when `includeUsers` holds All or None: the whole user selection, the target group not included. */
export function includesAllOrNoUsers(includeUsers: readonly string[]): boolean {
  return includeUsers.some((u) => u === 'All' || u === 'None');
}

/** Resolves an application alias (MicrosoftAzureManagement) to its client ID; other values pass through. */
export function resolveApplication(value: string): string {
  const alias = (APPLICATION_ALIASES as Record<string, { clientId: string } | undefined>)[value];
  return alias ? alias.clientId : value;
}

/** Resolves a built-in strength's name (phishingResistantMfa) to its policy ID; other values pass through. */
export function resolveAuthenticationStrength(value: string): string {
  const builtIn = (BUILT_IN_AUTHENTICATION_STRENGTHS as Record<string, { policyId: string } | undefined>)[value];
  return builtIn ? builtIn.policyId : value;
}

// ---------------------------------------------------------------------------------------------
// Rules

const string = (key: 'displayName' | 'state', check: (v: string) => string | undefined) => (p: MfaPolicyProps, isUnresolved: IsUnresolved) => {
  const v = p[key];
  return typeof v !== 'string' || isUnresolved(v) ? [] : problemAt([key], check(v));
};
const ids = (key: 'includeGroups' | 'excludeGroups' | 'includeRoles' | 'excludeRoles', kind: 'group' | 'role') => (p: MfaPolicyProps, u: IsUnresolved) => objectIdListProblems(p[key], [key], kind, u);

/** The policy's rules, one entry per field, and those across fields. */
export const MFA_POLICY_RULES: RuleSet<MfaPolicyProps> = {
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
    applications: (p, u) => (p.applications === undefined ? [] : under(['applications'], applicationListProblems(p.applications, 'include', u))),
    excludeApplications: (p, u) => under(['excludeApplications'], applicationListProblems(p.excludeApplications ?? [], 'exclude', u)),
    clientAppTypes: (p) => (p.clientAppTypes === undefined ? [] : under(['clientAppTypes'], clientAppTypeProblems(p.clientAppTypes))),
    signInRiskLevels: (p) => under(['signInRiskLevels'], allowedListProblems(p.signInRiskLevels ?? [], RISK_LEVELS, 'signInRiskLevels', 'risk level')),
    userRiskLevels: (p) => under(['userRiskLevels'], allowedListProblems(p.userRiskLevels ?? [], RISK_LEVELS, 'userRiskLevels', 'risk level')),
    includePlatforms: (p) => under(['includePlatforms'], allowedListProblems(p.includePlatforms ?? [], DEVICE_PLATFORMS, 'includePlatforms', 'platform', 'all')),
    excludePlatforms: (p) => under(['excludePlatforms'], excludePlatformProblems(p.excludePlatforms ?? [])),
    grant: (p, isUnresolved) => {
      const grant = p.grant ?? {};
      const problems: Problem[] = [];
      if (typeof grant.authenticationStrength === 'string' && !isUnresolved(grant.authenticationStrength)) {
        problems.push(...problemAt(['grant', 'authenticationStrength'], authenticationStrengthProblem(grant.authenticationStrength)));
      }
      problems.push(...under(['grant', 'additionalControls'], additionalControlProblems(grant.additionalControls ?? [])));
      if (typeof grant.operator === 'string') problems.push(...problemAt(['grant', 'operator'], allowedValueProblem(grant.operator, GRANT_OPERATORS)));
      return [...problems, ...grantProblems(grant)];
    },
    signInFrequency: (p, isUnresolved) => {
      const sif = p.signInFrequency;
      return sif === undefined || sif === 'everyTime' || isUnresolved(sif.value) ? [] : problemAt(['signInFrequency'], signInFrequencyProblem(sif.value, sif.unit));
    },
    allowEnforcedWithoutBreakGlassExclusion: (p, isUnresolved) => {
      const reason = p.allowEnforcedWithoutBreakGlassExclusion?.reason;
      return typeof reason !== 'string' || isUnresolved(reason) ? [] : problemAt(['allowEnforcedWithoutBreakGlassExclusion', 'reason'], waiverReasonProblem(reason));
    },
    import: nested(MFA_POLICY_IMPORT_RULES, (p) => p.import),
  },
  across: [
    { reads: ['state', 'excludeUsers', 'excludeGroups', 'allowEnforcedWithoutBreakGlassExclusion'], check: (p, u) => breakGlassProblems(p, u) },
    { reads: ['group', 'includeUsers', 'excludeUsers', 'includeGroups', 'excludeGroups', 'includeRoles', 'excludeRoles', 'applications', 'excludeApplications'], check: (p, u) => overlapProblems(p, u) },
    { reads: ['includeUsers', 'includeGroups', 'includeRoles'], check: (p) => userKeywordProblems(p) },
    {
      reads: ['includePlatforms', 'excludePlatforms'],
      check: (p) =>
        (p.excludePlatforms ?? []).length > 0 && (p.includePlatforms ?? []).length === 0
          ? [{ path: ['excludePlatforms'], message: 'needs includePlatforms as well (the provider requires it): add includePlatforms: [all] to apply to every platform but these' }]
          : [],
    },
    {
      reads: ['import', 'group'],
      check: (p) =>
        p.import?.groupObjectId !== undefined && (p.group ?? MFA_POLICY_DEFAULTS.group).create === undefined
          ? [{ path: ['import', 'groupObjectId'], message: 'imports the target group, but group names an existing one (existingObjectId), so none is declared to import it into: use group.create, or remove groupObjectId' }]
          : [],
    },
  ],
};

/**
 * Every problem of the policy's props, paths relative to the section (config keys). Deploy-time
 * values are skipped by the field rules and count as present for the break-glass rule.
 */
export function mfaPolicyProblems(props: MfaPolicyProps, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  return runRules(MFA_POLICY_RULES, props, isUnresolved);
}

function groupProblems(group: PolicyGroupProps | undefined, isUnresolved: IsUnresolved): Problem[] {
  if (group === undefined) return [];
  const { create, existingObjectId } = group;
  if (create && existingObjectId !== undefined) {
    return [{ path: ['group'], message: 'sets both create and existingObjectId: keep create to declare a new group, or existingObjectId to use a group of the tenant' }];
  }
  if (!create && existingObjectId === undefined) {
    return [{ path: ['group'], message: `sets neither create nor existingObjectId: add "create: {}" for a new group named "${MANUAL_DEFAULTS.groupDisplayName}", or existingObjectId: <group object ID>` }];
  }
  if (existingObjectId !== undefined) return isUnresolved(existingObjectId) ? [] : problemAt(['group', 'existingObjectId'], objectIdProblem(existingObjectId, 'group'));
  return under(['group', 'create'], securityGroupProblems({ ...create, displayName: create!.displayName ?? MANUAL_DEFAULTS.groupDisplayName }, isUnresolved));
}

/** Why the written reason for enforcing without a break-glass exclusion is not enough, or undefined. */
export function waiverReasonProblem(reason: string): string | undefined {
  return reasonProblem(reason, 'how emergency access is kept without an exclusion here', 'Break-glass accounts are excluded by tenant policy CA000, owned by the identity team');
}

/** Why `value` is not one of `allowed` (a closed list of the provider), or undefined. */
export function allowedValueProblem(value: string, allowed: readonly string[]): string | undefined {
  if (allowed.includes(value)) return undefined;
  const list = allowed.map((a) => `"${a}"`).join(', ');
  if (value === UNKNOWN_FUTURE_VALUE) return unknownFutureValueMessage(`allowed: ${list}`);
  const hint = didYouMean(value, allowed);
  return `${show(value)} is not allowed; allowed: ${list}${hint ? ` (did you mean "${hint}"?)` : ''}`;
}

/** Problems of a list of closed-list values; `soleKeyword` (e.g. `all`) must stand alone. */
export function allowedListProblems(values: readonly string[], allowed: readonly string[], name: string, what: string, soleKeyword?: string): Problem[] {
  const problems: Problem[] = [];
  values.forEach((v, i) => {
    const p = allowedValueProblem(v, allowed);
    if (p) problems.push({ path: [i], message: p });
    else if (soleKeyword !== undefined && v === soleKeyword && values.length > 1) {
      problems.push({ path: [i], message: `"${v}" must be the only entry of ${name}; remove the other entries or "${v}"` });
    }
  });
  return [...problems, ...repeated(values, [], what)];
}

/**
 * Problems of `includeUsers` / `excludeUsers`: object IDs or the keywords All, None,
 * GuestsOrExternalUsers (case-sensitive). All and None stand alone, and make no sense excluded.
 */
export function userListProblems(values: readonly string[], list: 'include' | 'exclude', isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  const problems: Problem[] = [];
  const keywords: readonly string[] = USER_KEYWORDS;
  values.forEach((v, i) => {
    if (isUnresolved(v)) return;
    if (isUuid(v)) {
      const wellKnown = objectIdProblem(v, 'user');
      if (wellKnown) problems.push({ path: [i], message: wellKnown });
      return;
    }
    if (keywords.includes(v)) {
      if (list === 'exclude' && (v === 'All' || v === 'None')) {
        problems.push({
          path: [i],
          message: `excluding "${v}" users leaves the policy nobody to apply to: exclude the break-glass accounts by object ID instead (GuestsOrExternalUsers is the only keyword allowed here)`,
        });
      } else if (list === 'include' && (v === 'All' || v === 'None') && values.length > 1) {
        problems.push({ path: [i], message: `"${v}" must be the only entry of includeUsers; remove the other entries or the keyword` });
      }
      return;
    }
    problems.push({ path: [i], message: keywordOrIdMessage(v, keywords, objectIdProblem(v, 'user')!, 'All, None, GuestsOrExternalUsers') });
  });
  return [...problems, ...repeated(values, [], 'user')];
}

/**
 * Problems of `applications` / `excludeApplications`: client IDs, the keywords All, Office365,
 * MicrosoftAdminPortals (case-sensitive), or the alias MicrosoftAzureManagement. Graph rejects
 * display names and object IDs; a display name gets the client ID or keyword to use instead.
 */
export function applicationListProblems(values: readonly string[], list: 'include' | 'exclude', isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  const problems: Problem[] = [];
  if (list === 'include' && values.length === 0) {
    problems.push({ path: [], message: `must list at least one application: a client ID, All, Office365, MicrosoftAdminPortals or MicrosoftAzureManagement (the manual's choice)` });
  }
  const words: string[] = [...APPLICATION_KEYWORDS, ...Object.keys(APPLICATION_ALIASES)];
  values.forEach((v, i) => {
    if (isUnresolved(v) || isUuid(v)) return;
    if (words.includes(v)) {
      if (v === 'All' && list === 'exclude') {
        problems.push({ path: [i], message: '"All" cannot be excluded: the policy would apply to nothing; list the client IDs to exclude' });
      } else if (v === 'All' && values.length > 1) {
        problems.push({ path: [i], message: '"All" must be the only entry of applications; remove the other entries, or exclude them with excludeApplications' });
      }
      return;
    }
    const named = applicationForDisplayName(v);
    if (named) {
      problems.push({ path: [i], message: `${show(v)} is a display name; Graph accepts only client (application) IDs and keywords here: use ${named}` });
      return;
    }
    const generic = `${show(v)} is not a client (application) ID or keyword: expected a UUID such as ${APPLICATION_ALIASES.MicrosoftAzureManagement.clientId} (the app's Application (client) ID, not its object ID)`;
    problems.push({ path: [i], message: keywordOrIdMessage(v, words, generic, words.join(', ')) });
  });
  return [...problems, ...repeated(values, [], 'application')];
}

/** Why `value` is not an accepted authentication strength (a built-in's name or a policy ID), or undefined. */
export function authenticationStrengthProblem(value: string): string | undefined {
  const words = Object.keys(BUILT_IN_AUTHENTICATION_STRENGTHS);
  if (words.includes(value)) return undefined;
  const allowed = `${words.join(', ')}, or ${AUTHENTICATION_STRENGTH_ID_PREFIX}<uuid> for a custom strength`;
  if (value.startsWith(AUTHENTICATION_STRENGTH_ID_PREFIX)) {
    const id = value.slice(AUTHENTICATION_STRENGTH_ID_PREFIX.length);
    if (isUuid(id)) return undefined;
    return `${show(value)} does not end in a UUID (${show(id)}): a custom authentication strength ID is ${AUTHENTICATION_STRENGTH_ID_PREFIX}<uuid>, the id of azuread_authentication_strength_policy`;
  }
  if (isUuid(value)) return `${show(value)} lacks the prefix: write ${AUTHENTICATION_STRENGTH_ID_PREFIX}${value}`;
  if (value === UNKNOWN_FUTURE_VALUE) return unknownFutureValueMessage(`allowed: ${allowed}`);
  const byName = Object.entries(BUILT_IN_AUTHENTICATION_STRENGTHS).find(([, s]) => s.displayName.toLowerCase() === value.toLowerCase());
  if (byName) return `${show(value)} is a display name: write ${byName[0]}`;
  const hint = didYouMean(value, words);
  return `${show(value)} is not an authentication strength${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${allowed}`;
}

/** `session_controls` sign-in frequency arguments, in the provider's words. */
export interface SignInFrequencyControls {
  readonly signInFrequency?: number;
  readonly signInFrequencyPeriod?: SignInFrequencyUnit;
  readonly signInFrequencyInterval: 'everyTime' | 'timeBased';
  readonly signInFrequencyAuthenticationType: 'primaryAndSecondaryAuthentication';
}

/**
 * What the provider is given for a sign-in frequency. The interval and the authentication type
 * are Optional+Computed without default: left out, the value in state stays, so a switch from
 * everyTime to a period would keep "everyTime" and fail the plan. Both are always written.
 */
export function signInFrequencyControls(sif: SignInFrequencyProps): SignInFrequencyControls {
  const signInFrequencyAuthenticationType = 'primaryAndSecondaryAuthentication';
  return sif === 'everyTime'
    ? { signInFrequencyInterval: 'everyTime', signInFrequencyAuthenticationType }
    : { signInFrequency: sif.value, signInFrequencyPeriod: sif.unit, signInFrequencyInterval: 'timeBased', signInFrequencyAuthenticationType };
}

/** Why a sign-in frequency period is out of the range the portal offers, or undefined. */
export function signInFrequencyProblem(value: number, unit: string): string | undefined {
  const range = (SIGN_IN_FREQUENCY_RANGE as Record<string, { min: number; max: number } | undefined>)[unit];
  if (!range) return allowedValueProblem(unit, SIGN_IN_FREQUENCY_UNITS);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    return `${value} ${unit} is out of range: use a whole number of ${unit} from ${range.min} to ${range.max}${unit === 'hours' ? ' (or days for longer periods)' : ''}`;
  }
  return undefined;
}

/** `clientAppTypes`: at least one, from the provider's list, `all` alone. */
export function clientAppTypeProblems(values: readonly string[]): Problem[] {
  if (values.length === 0) {
    return [{ path: [], message: 'must list at least one client app type; "all" is what the portal uses when the condition is not configured' }];
  }
  return allowedListProblems(values, CLIENT_APP_TYPES, 'clientAppTypes', 'client app type', 'all');
}

/** `excludePlatforms`: platforms other than `all`. */
export function excludePlatformProblems(values: readonly string[]): Problem[] {
  const problems = allowedListProblems(values, DEVICE_PLATFORMS, 'excludePlatforms', 'platform');
  values.forEach((v, i) => {
    if (v === 'all') problems.push({ path: [i], message: '"all" cannot be excluded: the policy would apply to no device; list the platforms to exclude' });
  });
  return problems;
}

/** `grant.additionalControls`: the controls an MFA policy may combine with MFA; says why others are refused. */
export function additionalControlProblems(values: readonly string[]): Problem[] {
  const why: Record<string, string> = {
    mfa: 'set grant.mfa: true instead',
    block: 'block turns this MFA policy into a block policy, which can lock users out; declare a block policy separately',
    passwordChange: 'passwordChange only works in a user-risk policy for all resources with operator AND; declare such a policy separately',
  };
  const problems: Problem[] = [];
  values.forEach((v, i) => {
    const m = why[v] ? `"${v}" is not an additional control of an MFA policy: ${why[v]}` : allowedValueProblem(v, ADDITIONAL_GRANT_CONTROLS);
    if (m) problems.push({ path: [i], message: m });
  });
  return [...problems, ...repeated(values, [], 'control')];
}

/** MFA or an authentication strength: exactly one (Graph error 1108 for both). */
export function grantProblems(grant: MfaGrantProps): Problem[] {
  const strength = grant.authenticationStrength !== undefined;
  const mfa = grant.mfa ?? !strength;
  if (mfa && strength) {
    return [
      {
        path: ['grant', 'authenticationStrength'],
        message:
          "cannot be combined with grant.mfa: Graph rejects a policy that requires both multifactor authentication and an authentication strength (error 1108): keep mfa: true (the manual's choice) or remove it and keep the strength (multifactor is equivalent; phishingResistantMfa is the CISA SCuBA MS.AAD.3.1 target)",
      },
    ];
  }
  if (!mfa && !strength) {
    return [{ path: ['grant'], message: 'requires no multifactor authentication: set mfa: true (the manual\'s "Require multifactor authentication") or authenticationStrength (e.g. phishingResistantMfa)' }];
  }
  return [];
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
  const real = (v: unknown) => isUnresolved(v) || (typeof v === 'string' && isUuid(v) && !isPlaceholderId(v) && wellKnownIdProblem(v, 'an account') === undefined);
  return { missing: !excluded.users.some(real) && !excluded.groups.some(real), placeholders };
}

/** The words of a missing break-glass exclusion, shared by the config check and ITSM-CA-001. */
export const BREAK_GLASS_MISSING =
  'enforces the policy with no emergency-access (break-glass) exclusion, which can lock every admin out of the tenant (Microsoft guidance; Maester MT.1005)';

/** The break-glass rule on props: placeholders are always refused; a missing exclusion unless waived. */
export function breakGlassProblems(props: MfaPolicyProps, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  const gap = breakGlassExclusionGap((props.state ?? MFA_POLICY_DEFAULTS.state) === 'on', { users: props.excludeUsers ?? [], groups: props.excludeGroups ?? [] }, isUnresolved);
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
export function userKeywordProblems(props: Pick<MfaPolicyProps, 'includeUsers' | 'includeGroups' | 'includeRoles'>): Problem[] {
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
export function overlapProblems(props: MfaPolicyProps, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  const problems: Problem[] = [];
  const target = props.group?.existingObjectId;
  const withTarget = target !== undefined && !isUnresolved(target) && !includesAllOrNoUsers(props.includeUsers ?? []);
  const includedGroups = withTarget ? [target, ...(props.includeGroups ?? [])] : (props.includeGroups ?? []);
  const pairs = [
    ['includeUsers', props.includeUsers ?? [], 'excludeUsers', props.excludeUsers ?? []],
    ['includeGroups', includedGroups, 'excludeGroups', props.excludeGroups ?? []],
    ['includeRoles', props.includeRoles ?? [], 'excludeRoles', props.excludeRoles ?? []],
    ['applications', (props.applications ?? MFA_POLICY_DEFAULTS.applications).map(resolveApplication), 'excludeApplications', props.excludeApplications ?? []],
  ] as const;
  for (const [incName, inc, excName, exc] of pairs) {
    const included = new Set(inc.filter((v) => !isUnresolved(v)).map((v) => v.toLowerCase()));
    exc.forEach((v, i) => {
      if (isUnresolved(v) || !included.has(resolveApplication(v).toLowerCase())) return;
      const what = withTarget && incName === 'includeGroups' && v.toLowerCase() === target!.toLowerCase() ? 'the target group' : incName;
      problems.push({ path: [excName, i], message: `${show(v)} is also included (${what}); exclusion wins, so the policy would not apply to it: remove it from one of the lists` });
    });
  }
  return problems;
}

function applicationForDisplayName(value: string): string | undefined {
  const lower = value.trim().toLowerCase();
  for (const [alias, app] of Object.entries(APPLICATION_ALIASES)) {
    if (app.displayNames.some((n) => n.toLowerCase() === lower)) return `${app.clientId} (or the alias ${alias})`;
  }
  for (const [keyword, names] of Object.entries(APPLICATION_KEYWORD_DISPLAY_NAMES)) {
    if (names.some((n) => n.toLowerCase() === lower)) return `the keyword ${keyword}`;
  }
  return undefined;
}

function keywordOrIdMessage(value: string, keywords: readonly string[], notAnId: string, allowed: string): string {
  if (value === UNKNOWN_FUTURE_VALUE) return unknownFutureValueMessage(`allowed: ${allowed}, or an ID`);
  const hint = didYouMean(value, keywords);
  if (hint) return `${show(value)} is not a keyword Graph knows (keywords are case-sensitive): did you mean "${hint}"? Allowed keywords: ${allowed}`;
  return `${notAnId}; or one of the keywords ${allowed}`;
}
