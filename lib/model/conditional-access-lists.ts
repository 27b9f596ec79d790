/**
 * The values a conditional access policy lists, one validator per kind of list: closed lists of the
 * provider (client app types, platforms, grant controls), users, applications, named locations,
 * service principals, authentication strengths and sign-in frequency periods. Each says what Graph
 * or the provider would refuse, and what to write instead. The policy's rules
 * (`conditional-access-policy.ts`) call them per field; nothing here knows the policy's shape.
 * Nothing here imports cdktf.
 */
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
  LOCATION_KEYWORDS,
  SERVICE_PRINCIPAL_KEYWORD,
  SIGN_IN_FREQUENCY_RANGE,
  SIGN_IN_FREQUENCY_UNITS,
  USER_KEYWORDS,
} from './conditional-access-values';
import { isUuid, objectIdProblem, UNKNOWN_FUTURE_VALUE, unknownFutureValueMessage } from './ids';
import { NOTHING_UNRESOLVED, problemAt, repeated, show, type IsUnresolved, type Problem } from './problem';
import { ENVIRONMENT_NAME_PATTERN } from './stack';

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
    problems.push({
      path: [],
      message: `must list at least one application: a client ID, All, Office365, MicrosoftAdminPortals or MicrosoftAzureManagement (the manual's choice)`,
    });
  }
  const words: string[] = [...APPLICATION_KEYWORDS, ...Object.keys(APPLICATION_ALIASES)];
  values.forEach((v, i) => {
    if (isUnresolved(v) || isUuid(v)) return;
    if (words.includes(v)) {
      if ((v === 'All' || v === 'None') && list === 'exclude') {
        problems.push({ path: [i], message: `"${v}" cannot be excluded: list the client IDs to exclude` });
      } else if ((v === 'All' || v === 'None') && values.length > 1) {
        problems.push({
          path: [i],
          message: `"${v}" must be the only entry of includeApplications; remove the other entries${v === 'All' ? ', or exclude them with excludeApplications' : ''}`,
        });
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

/** `grant.additionalControls`: controls besides MFA; says why others are refused. */
export function additionalControlProblems(values: readonly string[]): Problem[] {
  const why: Record<string, string> = {
    mfa: 'set grant.mfa: true instead',
    block: 'set grant.block: true instead (block goes with no other control)',
    approvedApplication: 'Microsoft has retired "Require approved client app"; use compliantApplication ("Require app protection policy")',
  };
  const problems: Problem[] = [];
  values.forEach((v, i) => {
    const m = why[v] ? `"${v}" is not allowed here: ${why[v]}` : allowedValueProblem(v, ADDITIONAL_GRANT_CONTROLS);
    if (m) problems.push({ path: [i], message: m });
  });
  return [...problems, ...repeated(values, [], 'control')];
}

/** A key of a tenant's namedLocations, as a policy names it. */
export const NAMED_LOCATION_KEY = /^[a-z][a-z0-9-]{0,63}$/;

export function locationListProblems(values: readonly string[], list: 'include' | 'exclude', isUnresolved: IsUnresolved): Problem[] {
  const problems: Problem[] = [];
  values.forEach((v, i) => {
    if (isUnresolved(v) || isUuid(v) || NAMED_LOCATION_KEY.test(v)) return;
    if ((LOCATION_KEYWORDS as readonly string[]).includes(v)) {
      if (v === 'All' && list === 'exclude') problems.push({ path: [i], message: '"All" cannot be excluded: the policy would apply nowhere' });
      else if (v === 'All' && values.length > 1) problems.push({ path: [i], message: '"All" must be the only entry of includeLocations' });
      return;
    }
    const hint = didYouMean(v, LOCATION_KEYWORDS);
    problems.push({
      path: [i],
      message: `${show(v)} is not a named location: use All, AllTrusted${hint ? ` (did you mean "${hint}"?)` : ''}, the key of one of the tenant's namedLocations (lower-case letters, digits, hyphens), or a named location's object ID`,
    });
  });
  return [...problems, ...repeated(values, [], 'location')];
}

/** An environment of the config, as a tenant's policy names the service principal of its application. */
export const ENVIRONMENT_REFERENCE = ENVIRONMENT_NAME_PATTERN;

export function servicePrincipalListProblems(values: readonly string[], list: 'include' | 'exclude', isUnresolved: IsUnresolved): Problem[] {
  const problems: Problem[] = [];
  values.forEach((v, i) => {
    if (isUnresolved(v) || ENVIRONMENT_REFERENCE.test(v)) return;
    if (isUuid(v)) {
      problems.push(...problemAt([i], objectIdProblem(v, 'principal')));
      return;
    }
    if (v === SERVICE_PRINCIPAL_KEYWORD) {
      if (list === 'exclude') problems.push({ path: [i], message: `"${v}" cannot be excluded: the policy would apply to no service principal` });
      return;
    }
    problems.push({
      path: [i],
      message: `${show(v)} is not a service principal: use its object ID, ${SERVICE_PRINCIPAL_KEYWORD}, or (in a tenant's policy set) the name of an environment whose application's service principal is meant`,
    });
  });
  return [...problems, ...repeated(values, [], 'service principal')];
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
