/**
 * Pure checks of a conditional access policy and its group. The constructs throw on them (for
 * library users) and the config loader reports them with the field's path: one implementation of
 * each rule. Nothing here imports cdktf, so a bad config file is reported without loading it.
 *
 * Every problem's path is relative to the policy (or group) and uses the construct props' names,
 * which are also the config file's keys.
 */
import { UUID_PATTERN } from '../private/uuid-pattern';
import { didYouMean } from '../private/did-you-mean';
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
  POLICY_STATE_WORDS,
  RISK_LEVELS,
  SIGN_IN_FREQUENCY_RANGE,
  SIGN_IN_FREQUENCY_UNITS,
  UNKNOWN_FUTURE_VALUE,
  USER_KEYWORDS,
} from './values';

/** One thing wrong: the field's path (relative to the policy or group) and what to do about it. */
export interface PolicyProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Tells a value that is only known at deploy time (a cdktf token) from a literal. Rules skip such
 * values; the break-glass rule counts an unresolved exclusion as present. Pure callers (the config
 * file) never have any.
 */
export type IsUnresolved = (value: unknown) => boolean;
const NOTHING_UNRESOLVED: IsUnresolved = () => false;

const EXAMPLE_UUID = '00000000-0000-0000-0000-000000000000';
/** The shared prefix of obviously fake IDs, such as the example config's break-glass placeholder. */
const PLACEHOLDER_PREFIX = '00000000-0000-0000-0000-';
/** Minimum length of the written reason that allows enforcing without a break-glass exclusion. */
export const MIN_OVERRIDE_REASON_LENGTH = 20;

/** What kind of directory object an ID list holds; it words the error. */
export type ObjectIdKind = 'user' | 'group' | 'role' | 'member' | 'owner';

const KIND: Record<ObjectIdKind, { readonly what: string; readonly where: string }> = {
  user: { what: 'a user object ID', where: "copy the Object ID from the user's Overview page in the Entra admin center" },
  group: { what: 'a group object ID', where: "copy the Object ID from the group's Overview page (display names are not accepted)" },
  role: {
    what: 'a directory role template ID',
    where: 'find it under Roles and administrators > the role > Description, e.g. 62e90394-69f5-4237-9190-012177145e10 for Global Administrator',
  },
  member: { what: 'the object ID of a user, group, device or service principal', where: 'copy the Object ID from its Overview page' },
  owner: { what: 'the object ID of a user or service principal', where: 'copy the Object ID from its Overview page' },
};

/** True for an ID in Entra ID's 8-4-4-4-12 hex form. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** True for an obviously fake ID such as 00000000-0000-0000-0000-00000000b001. */
export function isPlaceholderId(value: string): boolean {
  return isUuid(value) && value.toLowerCase().startsWith(PLACEHOLDER_PREFIX);
}

/** Why `value` is not an object ID of that kind, or undefined. */
export function objectIdProblem(value: string, kind: ObjectIdKind): string | undefined {
  if (isUuid(value)) return undefined;
  if (value === UNKNOWN_FUTURE_VALUE) return unknownFutureValueMessage(`${KIND[kind].what}`);
  const upn = value.includes('@') ? ' (a sign-in name is not an ID)' : '';
  return `${show(value)} is not ${KIND[kind].what}${upn}: expected a UUID such as ${EXAMPLE_UUID}; ${KIND[kind].where}`;
}

/** Problems of a list of object IDs (groups, roles, group members or owners); paths are indexes. */
export function objectIdListProblems(values: readonly string[], kind: ObjectIdKind, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  values.forEach((v, i) => {
    if (isUnresolved(v)) return;
    const p = objectIdProblem(v, kind);
    if (p) problems.push({ path: [i], message: p });
  });
  return problems;
}

/**
 * Problems of `includeUsers` / `excludeUsers`: object IDs or the keywords All, None,
 * GuestsOrExternalUsers (case-sensitive). All and None stand alone, and make no sense excluded.
 */
export function userListProblems(values: readonly string[], list: 'include' | 'exclude', isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const keywords: readonly string[] = USER_KEYWORDS;
  values.forEach((v, i) => {
    if (isUnresolved(v) || isUuid(v)) return;
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
  return problems;
}

/**
 * True when `includeUsers` holds All or None: like the portal's "All users" / "None" choice, the
 * keyword then stands for the whole user selection and the target group is not included.
 */
export function includesAllOrNoUsers(includeUsers: readonly string[]): boolean {
  return includeUsers.some((u) => u === 'All' || u === 'None');
}

/** Resolves an application alias (MicrosoftAzureManagement) to its client ID; other values pass through. */
export function resolveApplication(value: string): string {
  const alias = (APPLICATION_ALIASES as Record<string, { clientId: string } | undefined>)[value];
  return alias ? alias.clientId : value;
}

/**
 * Problems of `applications` / `excludeApplications`: client IDs, the keywords All, Office365,
 * MicrosoftAdminPortals (case-sensitive), or the alias MicrosoftAzureManagement. Graph rejects
 * display names and object IDs; a display name gets the client ID or keyword to use instead.
 */
export function applicationListProblems(
  values: readonly string[],
  list: 'include' | 'exclude',
  isUnresolved: IsUnresolved = NOTHING_UNRESOLVED,
): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
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
  return problems;
}

/** Resolves a built-in strength's name (phishingResistantMfa) to its policy ID; other values pass through. */
export function resolveAuthenticationStrength(value: string): string {
  const builtIn = (BUILT_IN_AUTHENTICATION_STRENGTHS as Record<string, { policyId: string } | undefined>)[value];
  return builtIn ? builtIn.policyId : value;
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

/** Why `value` is not one of `allowed` (a closed list of the provider), or undefined. */
export function allowedValueProblem(value: string, allowed: readonly string[]): string | undefined {
  if (allowed.includes(value)) return undefined;
  const list = allowed.map((a) => `"${a}"`).join(', ');
  if (value === UNKNOWN_FUTURE_VALUE) return unknownFutureValueMessage(`allowed: ${list}`);
  const hint = didYouMean(value, allowed);
  return `${show(value)} is not allowed; allowed: ${list}${hint ? ` (did you mean "${hint}"?)` : ''}`;
}

/** Problems of a list of closed-list values; `all` (when `soleKeyword` is given) must stand alone. */
export function allowedListProblems(values: readonly string[], allowed: readonly string[], name: string, soleKeyword?: string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  values.forEach((v, i) => {
    const p = allowedValueProblem(v, allowed);
    if (p) problems.push({ path: [i], message: p });
    else if (soleKeyword !== undefined && v === soleKeyword && values.length > 1) {
      problems.push({ path: [i], message: `"${v}" must be the only entry of ${name}; remove the other entries or "${v}"` });
    }
  });
  return problems;
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

/** Why the written reason for enforcing without a break-glass exclusion is not enough, or undefined. */
export function overrideReasonProblem(reason: string): string | undefined {
  const text = reason.trim();
  const words = text.split(/\s+/).filter((w) => /[A-Za-z\u00c0-\u024f]/.test(w));
  if (text.length < MIN_OVERRIDE_REASON_LENGTH || words.length < 4) {
    return `must say in a sentence (at least ${MIN_OVERRIDE_REASON_LENGTH} characters) how emergency access is kept without an exclusion here, e.g. "Break-glass accounts are excluded by tenant policy CA000, owned by the identity team"`;
  }
  return undefined;
}

/**
 * A policy's settings as the rules see them: plain strings, defaults applied. Both the construct
 * (from its props) and the config file (from its `mfaPolicy` section) produce one.
 */
export interface MfaPolicyRuleInput {
  readonly displayName: string;
  readonly state: string;
  /** The object ID of the target group, when it is known before deployment. */
  readonly targetGroupObjectId?: string;
  readonly includeUsers: readonly string[];
  readonly excludeUsers: readonly string[];
  readonly includeGroups: readonly string[];
  readonly excludeGroups: readonly string[];
  readonly includeRoles: readonly string[];
  readonly excludeRoles: readonly string[];
  readonly applications: readonly string[];
  readonly excludeApplications: readonly string[];
  readonly clientAppTypes: readonly string[];
  readonly signInRiskLevels: readonly string[];
  readonly userRiskLevels: readonly string[];
  readonly includePlatforms: readonly string[];
  readonly excludePlatforms: readonly string[];
  readonly grant: {
    readonly mfa?: boolean;
    readonly authenticationStrength?: string;
    readonly additionalControls: readonly string[];
    readonly operator: string;
  };
  readonly signInFrequency?: 'everyTime' | { readonly value: number; readonly unit: string };
  readonly allowEnforcedWithoutBreakGlassExclusion?: { readonly reason: string };
}

/**
 * Checks of single fields: IDs, keywords, closed lists, formats. The config schema runs each of
 * them on its field; the construct runs them all through this function.
 */
export function mfaPolicyFieldProblems(input: MfaPolicyRuleInput, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const at = (prefix: readonly (string | number)[], ps: readonly PolicyProblem[]) => {
    for (const p of ps) problems.push({ path: [...prefix, ...p.path], message: p.message });
  };
  const one = (path: readonly (string | number)[], value: unknown, check: (v: string) => string | undefined) => {
    if (typeof value !== 'string' || isUnresolved(value)) return;
    const m = check(value);
    if (m) problems.push({ path, message: m });
  };

  one(['displayName'], input.displayName, (v) => (v.trim() === '' ? 'must not be empty' : undefined));
  one(['state'], input.state, (v) => allowedValueProblem(v, POLICY_STATE_WORDS));
  at(['includeUsers'], userListProblems(input.includeUsers, 'include', isUnresolved));
  at(['excludeUsers'], userListProblems(input.excludeUsers, 'exclude', isUnresolved));
  at(['includeGroups'], objectIdListProblems(input.includeGroups, 'group', isUnresolved));
  at(['excludeGroups'], objectIdListProblems(input.excludeGroups, 'group', isUnresolved));
  at(['includeRoles'], objectIdListProblems(input.includeRoles, 'role', isUnresolved));
  at(['excludeRoles'], objectIdListProblems(input.excludeRoles, 'role', isUnresolved));
  at(['applications'], applicationListProblems(input.applications, 'include', isUnresolved));
  at(['excludeApplications'], applicationListProblems(input.excludeApplications, 'exclude', isUnresolved));
  at(['clientAppTypes'], clientAppTypeProblems(input.clientAppTypes));
  at(['signInRiskLevels'], allowedListProblems(input.signInRiskLevels, RISK_LEVELS, 'signInRiskLevels'));
  at(['userRiskLevels'], allowedListProblems(input.userRiskLevels, RISK_LEVELS, 'userRiskLevels'));
  at(['includePlatforms'], allowedListProblems(input.includePlatforms, DEVICE_PLATFORMS, 'includePlatforms', 'all'));
  at(['excludePlatforms'], excludePlatformProblems(input.excludePlatforms));
  if (input.grant.authenticationStrength !== undefined) {
    one(['grant', 'authenticationStrength'], input.grant.authenticationStrength, authenticationStrengthProblem);
  }
  at(['grant', 'additionalControls'], additionalControlProblems(input.grant.additionalControls));
  one(['grant', 'operator'], input.grant.operator, (v) => allowedValueProblem(v, GRANT_OPERATORS));
  const sif = input.signInFrequency;
  if (sif !== undefined && sif !== 'everyTime' && !isUnresolved(sif.value)) {
    const m = signInFrequencyProblem(sif.value, sif.unit);
    if (m) problems.push({ path: ['signInFrequency'], message: m });
  }
  const override = input.allowEnforcedWithoutBreakGlassExclusion;
  if (override) one(['allowEnforcedWithoutBreakGlassExclusion', 'reason'], override.reason, overrideReasonProblem);
  return problems;
}

/** `clientAppTypes`: at least one, from the provider's list, `all` alone. */
export function clientAppTypeProblems(values: readonly string[]): PolicyProblem[] {
  if (values.length === 0) {
    return [{ path: [], message: 'must list at least one client app type; "all" is what the portal uses when the condition is not configured' }];
  }
  return allowedListProblems(values, CLIENT_APP_TYPES, 'clientAppTypes', 'all');
}

/** `excludePlatforms`: platforms other than `all`. */
export function excludePlatformProblems(values: readonly string[]): PolicyProblem[] {
  const problems = allowedListProblems(values, DEVICE_PLATFORMS, 'excludePlatforms');
  values.forEach((v, i) => {
    if (v === 'all') problems.push({ path: [i], message: '"all" cannot be excluded: the policy would apply to no device; list the platforms to exclude' });
  });
  return problems;
}

/** `grant.additionalControls`: the controls an MFA policy may combine with MFA; says why others are refused. */
export function additionalControlProblems(values: readonly string[]): PolicyProblem[] {
  const why: Record<string, string> = {
    mfa: 'set grant.mfa: true instead',
    block: 'block turns this MFA policy into a block policy, which can lock users out; declare a block policy separately',
    passwordChange: 'passwordChange only works in a user-risk policy for all resources with operator AND; declare such a policy separately',
  };
  const problems: PolicyProblem[] = [];
  values.forEach((v, i) => {
    const m = why[v] ? `"${v}" is not an additional control of an MFA policy: ${why[v]}` : allowedValueProblem(v, ADDITIONAL_GRANT_CONTROLS);
    if (m) problems.push({ path: [i], message: m });
  });
  return problems;
}

/**
 * Checks across fields: MFA xor authentication strength, the break-glass exclusion, lists that
 * contradict each other. The config file runs this after its shape is valid.
 */
export function mfaPolicyCombinationProblems(input: MfaPolicyRuleInput, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): PolicyProblem[] {
  return [
    ...grantProblems(input.grant),
    ...breakGlassProblems(input, isUnresolved),
    ...overlapProblems(input, isUnresolved),
    ...userKeywordProblems(input),
    ...(input.excludePlatforms.length > 0 && input.includePlatforms.length === 0
      ? [{ path: ['excludePlatforms'], message: 'needs includePlatforms as well (the provider requires it): add includePlatforms: [all] to apply to every platform but these' }]
      : []),
  ];
}

/** Every check of a policy: what the construct runs in its constructor. */
export function mfaPolicyProblems(input: MfaPolicyRuleInput, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): PolicyProblem[] {
  return [...mfaPolicyFieldProblems(input, isUnresolved), ...mfaPolicyCombinationProblems(input, isUnresolved)];
}

/** MFA or an authentication strength: exactly one (Graph error 1108 for both). */
export function grantProblems(grant: MfaPolicyRuleInput['grant']): PolicyProblem[] {
  const strength = grant.authenticationStrength !== undefined;
  if (grant.mfa === true && strength) {
    return [
      {
        path: ['grant', 'authenticationStrength'],
        message:
          'cannot be combined with grant.mfa: Graph rejects a policy that requires both multifactor authentication and an authentication strength (error 1108): keep mfa: true (the manual\'s choice) or remove it and keep the strength (multifactor is equivalent; phishingResistantMfa is the CISA SCuBA MS.AAD.3.1 target)',
      },
    ];
  }
  if (grant.mfa !== true && !strength) {
    return [
      {
        path: ['grant'],
        message: 'requires no multifactor authentication: set mfa: true (the manual\'s "Require multifactor authentication") or authenticationStrength (e.g. phishingResistantMfa)',
      },
    ];
  }
  return [];
}

/**
 * An enforced policy must exclude an emergency-access (break-glass) account or group (Microsoft's
 * guidance; Maester MT.1005), unless a written reason says how emergency access is kept.
 * Placeholders do not count; unresolved values (deploy-time tokens) do.
 */
export function breakGlassProblems(
  input: Pick<MfaPolicyRuleInput, 'state' | 'excludeUsers' | 'excludeGroups' | 'allowEnforcedWithoutBreakGlassExclusion'>,
  isUnresolved: IsUnresolved = NOTHING_UNRESOLVED,
): PolicyProblem[] {
  if (input.state !== 'on') return [];
  // A placeholder in an enforced policy is always a mistake, even beside a real exclusion.
  const placeholders: PolicyProblem[] = [];
  for (const list of ['excludeUsers', 'excludeGroups'] as const) {
    input[list].forEach((v, i) => {
      if (!isUnresolved(v) && isPlaceholderId(v)) {
        placeholders.push({
          path: [list, i],
          message: `${v} is a placeholder, not an emergency-access account: replace it with the object ID of your break-glass ${list === 'excludeUsers' ? 'account' : 'group'} before setting state: on`,
        });
      }
    });
  }
  const real = (v: string) => isUnresolved(v) || (isUuid(v) && !isPlaceholderId(v));
  if (input.excludeUsers.some(real) || input.excludeGroups.some(real)) return placeholders;
  if (input.allowEnforcedWithoutBreakGlassExclusion) return placeholders;
  if (placeholders.length > 0) return placeholders;
  return [
    {
      path: ['state'],
      message:
        '"on" enforces the policy with no emergency-access (break-glass) exclusion, which can lock every admin out of the tenant (Microsoft guidance; Maester MT.1005): ' +
        'add the object ID of a break-glass account to excludeUsers or of their group to excludeGroups, or keep state: reportOnly; ' +
        'if emergency access is guaranteed another way, say how in allowEnforcedWithoutBreakGlassExclusion.reason',
    },
  ];
}

/** All or None in includeUsers is the whole user selection: no further groups or roles. */
export function userKeywordProblems(input: Pick<MfaPolicyRuleInput, 'includeUsers' | 'includeGroups' | 'includeRoles'>): PolicyProblem[] {
  const i = input.includeUsers.findIndex((u) => u === 'All' || u === 'None');
  if (i < 0 || (input.includeGroups.length === 0 && input.includeRoles.length === 0)) return [];
  const keyword = input.includeUsers[i];
  return [
    {
      path: ['includeUsers', i],
      message: `"${keyword}" is the whole user selection (the target group is then not included either): remove includeGroups and includeRoles, or the keyword`,
    },
  ];
}

/** An entry both included and excluded: exclusion wins, so it is almost certainly a mistake. */
export function overlapProblems(input: MfaPolicyRuleInput, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const withTarget = input.targetGroupObjectId !== undefined && !includesAllOrNoUsers(input.includeUsers);
  const includedGroups = withTarget ? [input.targetGroupObjectId!, ...input.includeGroups] : input.includeGroups;
  const pairs = [
    ['includeUsers', input.includeUsers, 'excludeUsers', input.excludeUsers],
    ['includeGroups', includedGroups, 'excludeGroups', input.excludeGroups],
    ['includeRoles', input.includeRoles, 'excludeRoles', input.excludeRoles],
    ['applications', input.applications.map(resolveApplication), 'excludeApplications', input.excludeApplications],
  ] as const;
  for (const [incName, inc, excName, exc] of pairs) {
    const included = new Set(inc.filter((v) => !isUnresolved(v)).map((v) => v.toLowerCase()));
    exc.forEach((v, i) => {
      if (isUnresolved(v) || !included.has(resolveApplication(v).toLowerCase())) return;
      const target = withTarget && incName === 'includeGroups' && v.toLowerCase() === input.targetGroupObjectId!.toLowerCase() ? 'the target group' : incName;
      problems.push({ path: [excName, i], message: `${show(v)} is also included (${target}); exclusion wins, so the policy would not apply to it: remove it from one of the lists` });
    });
  }
  return problems;
}

/** Problems of a security group's settings (display name, members, owners). */
export function securityGroupProblems(
  input: { readonly displayName: string; readonly members: readonly string[]; readonly owners: readonly string[] },
  isUnresolved: IsUnresolved = NOTHING_UNRESOLVED,
): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (!isUnresolved(input.displayName) && input.displayName.trim() === '') problems.push({ path: ['displayName'], message: 'must not be empty' });
  for (const p of objectIdListProblems(input.members, 'member', isUnresolved)) problems.push({ path: ['members', ...p.path], message: p.message });
  for (const p of objectIdListProblems(input.owners, 'owner', isUnresolved)) problems.push({ path: ['owners', ...p.path], message: p.message });
  return problems;
}

/** Renders problems as the lines of a construct's error. */
export function formatPolicyProblems(owner: string, problems: readonly PolicyProblem[]): string {
  const lines = problems.map((p) => `  ${renderPath(p.path)}: ${p.message}`);
  return `${owner} has ${problems.length} invalid setting(s):\n${lines.join('\n')}`;
}

function renderPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out || '(props)';
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

function unknownFutureValueMessage(allowed: string): string {
  return `"${UNKNOWN_FUTURE_VALUE}" is a Graph placeholder that the azuread provider rejects; ${allowed}`;
}

function show(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}
