/** The review's markdown of conditional access: a policy in a sentence and in a table, named locations, groups. */
import type { InspectedFilter, InspectedGroup, InspectedGuests, InspectedNamedLocation, InspectedPolicy, StackInspection } from '../inspection/inspection';
import { isDeferred, refersTo, type TfString } from '../inspection/values';
import { groupOf } from './collect';
import { at, list, yesNo } from './render-common';
import { directoryRoleTemplate } from '../model/ids';
import { GUEST_OR_EXTERNAL_USER_TYPE_WORDS, USER_ACTION_WORDS } from '../model/conditional-access-values';
import {
  andList,
  applicationName,
  authenticationStrengthName,
  cell,
  CLIENT_APP_WORDS,
  code,
  count,
  GRANT_CONTROL_WORDS,
  isPlaceholderId,
  md,
  plain,
  POLICY_STATE_WORDS,
  tf,
  tfText,
} from './words';
// ---------------------------------------------------------------------------------------------
// Conditional access

export function renderPolicy(s: StackInspection, p: InspectedPolicy): string[] {
  const out = [
    `### Conditional access policy ${p.displayName !== undefined ? `"${tfText(p.displayName)}"` : '(unnamed)'}`,
    '',
    `${policySentence(s, p)}.`,
    '',
    '| | in words | values |',
    '|---|---|---|',
  ];
  const row = (what: string, words: string, values: string) => out.push(`| ${what} | ${cell(words) || '—'} | ${cell(values) || '—'} |`);
  const c = p.conditions;
  const u = c.users;
  row(
    'Users',
    usersWords(s, u.includedUsers, u.includedGroups, u.includedRoles, u.includedGuestsOrExternalUsers, true) || 'no one',
    [...u.includedGroups.map((g) => groupIds(s, g)), ...u.includedUsers.map(tf), ...u.includedRoles.map(tf)].join(', '),
  );
  if (u.includedGuestsOrExternalUsers.length > 0)
    row('Guests and external users', u.includedGuestsOrExternalUsers.map((g) => guestWords(g, true)).join('; '), guestValues(u.includedGuestsOrExternalUsers));
  row(
    'Excluded',
    excludedWords(s, p, true) ?? 'no one',
    [
      ...u.excludedUsers.map((x) => `${tf(x)}${typeof x === 'string' && isPlaceholderId(x) ? ' (placeholder)' : ''}`),
      ...u.excludedGroups.map((g) => groupIds(s, g)),
      ...u.excludedRoles.map(tf),
    ].join(', '),
  );
  if (u.excludedGuestsOrExternalUsers.length > 0)
    row(
      'Excluded guests and external users',
      u.excludedGuestsOrExternalUsers.map((g) => guestWords(g, true)).join('; '),
      guestValues(u.excludedGuestsOrExternalUsers),
    );
  const actions = c.applications.includedUserActions;
  const resources =
    actions.length > 0 && c.applications.includedApplications.length === 0 && c.applications.excludedApplications.length === 0
      ? `none: the policy targets the user action${actions.length === 1 ? '' : 's'} below instead`
      : appsWords(c.applications.includedApplications, c.applications.excludedApplications);
  row('Resources', resources, [...c.applications.includedApplications.map(tf), ...c.applications.excludedApplications.map((a) => `not ${tf(a)}`)].join(', '));
  if (actions.length > 0) row('User actions', andList(actions.map((a) => userActionWords(a, true))), list(actions));
  row('Client apps', clientWords(c.clientAppTypes), list(c.clientAppTypes));
  if (c.clientApplications) {
    const ca = c.clientApplications;
    row(
      'Client applications (workload identities)',
      `${list(ca.includedServicePrincipals) || 'no service principal'}${ca.excludedServicePrincipals.length > 0 ? ` except ${list(ca.excludedServicePrincipals)}` : ''}${filterWords(ca.filter)}`,
      '',
    );
  }
  if (c.platforms)
    row(
      'Device platforms',
      `${andList(c.platforms.includedPlatforms.map(plain))}${c.platforms.excludedPlatforms.length > 0 ? ` except ${andList(c.platforms.excludedPlatforms.map(plain))}` : ''}`,
      [...c.platforms.includedPlatforms.map(tf), ...c.platforms.excludedPlatforms.map((x) => `not ${tf(x)}`)].join(', '),
    );
  if (c.locations)
    row(
      'Locations',
      `${andList(c.locations.includedLocations.map((l) => locationWords(s, l)))}${c.locations.excludedLocations.length > 0 ? ` except ${andList(c.locations.excludedLocations.map((l) => locationWords(s, l)))}` : ''}`,
      [...c.locations.includedLocations.map(tf), ...c.locations.excludedLocations.map((x) => `not ${tf(x)}`)].join(', '),
    );
  if (c.devices) row('Devices', `devices${filterWords(c.devices.filter)}`, '');
  if (c.signInRiskLevels.length > 0)
    row('Sign-in risk', `only at sign-in risk ${andList(c.signInRiskLevels.map(plain))} (Entra ID P2)`, list(c.signInRiskLevels));
  if (c.userRiskLevels.length > 0) row('User risk', `only at user risk ${andList(c.userRiskLevels.map(plain))} (Entra ID P2)`, list(c.userRiskLevels));
  if (c.servicePrincipalRiskLevels.length > 0)
    row(
      'Service principal risk',
      `only at service principal risk ${andList(c.servicePrincipalRiskLevels.map(plain))} (Workload Identities Premium)`,
      list(c.servicePrincipalRiskLevels),
    );
  if (c.insiderRiskLevels !== undefined)
    row('Insider risk', `only at insider risk ${tfText(c.insiderRiskLevels)} (Purview adaptive protection)`, tf(c.insiderRiskLevels));
  if (c.authenticationFlowTransferMethods.length > 0)
    row('Authentication flows', `only ${andList(c.authenticationFlowTransferMethods.map(flowWords))}`, list(c.authenticationFlowTransferMethods));
  const g = p.grantControls;
  row(
    'Grant',
    grantWords(p) || 'no grant control (session controls only)',
    g
      ? [
          ...g.builtInControls.map(tf),
          ...(g.authenticationStrengthPolicyId !== undefined ? [tf(g.authenticationStrengthPolicyId)] : []),
          ...g.customAuthenticationFactors.map((x) => `custom factor ${tf(x)}`),
          ...g.termsOfUse.map((x) => `terms of use ${tf(x)}`),
          ...(g.operator !== undefined ? [`operator ${tf(g.operator)}`] : []),
        ].join(', ')
      : '',
  );
  const session = sessionWords(p);
  if (session.length > 0) for (const [what, words, values] of session) row(what, words, values);
  const state = p.state;
  row('State', state === undefined ? '(unset)' : isDeferred(state) ? tf(state) : md(POLICY_STATE_WORDS[state] ?? state), state !== undefined ? tf(state) : '');
  if (p.preset !== undefined)
    row(
      'Preset',
      `${code(p.preset.name)}: ${md(p.preset.summary)} Source: ${md(p.preset.source)}.${p.preset.requires ? ` Needs ${md(p.preset.requires)}.` : ''} Settings given in the config replace the preset's.`,
      '',
    );
  if (p.breakGlassWaiver !== undefined) row('Enforced without break-glass exclusion', `allowed, because: ${md(p.breakGlassWaiver)}`, '');
  const imported = s.imports.find((i) => i.to === p.address);
  row(
    'Terraform',
    `construct ${at(p.owner)}${imported ? '; the first plan imports the policy made in the portal' : ''}`,
    `${code(p.address)}; ${imported ? `imports policy ID ${tf(imported.id)}` : 'policy ID *(known after apply)*'}`,
  );
  out.push('');
  return out;
}

/** The policy in one sentence, e.g. "Require MFA for members of MFA-Test-Group signing in to … ; report-only". */
export function policySentence(s: StackInspection, p: InspectedPolicy): string {
  const c = p.conditions;
  const excluded = excludedWords(s, p);
  const state = p.state === undefined ? 'state unset' : isDeferred(p.state) ? plain(p.state) : (POLICY_STATE_WORDS[p.state] ?? p.state);
  const conditions: string[] = [];
  const actionsOnly =
    c.applications.includedUserActions.length > 0 && c.applications.includedApplications.length === 0 && c.applications.excludedApplications.length === 0;
  if (c.applications.includedUserActions.length > 0 && !actionsOnly)
    conditions.push(`when they ${andList(c.applications.includedUserActions.map((a) => userActionWords(a)))}`);
  if (c.platforms)
    conditions.push(
      `on ${andList(c.platforms.includedPlatforms.map(plain))}${c.platforms.excludedPlatforms.length > 0 ? ` (not ${andList(c.platforms.excludedPlatforms.map(plain))})` : ''} devices`,
    );
  if (c.locations)
    conditions.push(
      `from ${andList(c.locations.includedLocations.map((l) => locationWords(s, l)))}${c.locations.excludedLocations.length > 0 ? ` (not ${andList(c.locations.excludedLocations.map((l) => locationWords(s, l)))})` : ''}`,
    );
  if (c.signInRiskLevels.length > 0) conditions.push(`at sign-in risk ${andList(c.signInRiskLevels.map(plain))}`);
  if (c.userRiskLevels.length > 0) conditions.push(`at user risk ${andList(c.userRiskLevels.map(plain))}`);
  if (c.servicePrincipalRiskLevels.length > 0) conditions.push(`at service principal risk ${andList(c.servicePrincipalRiskLevels.map(plain))}`);
  if (c.insiderRiskLevels !== undefined) conditions.push(`at insider risk ${plain(c.insiderRiskLevels)}`);
  if (c.authenticationFlowTransferMethods.length > 0) conditions.push(`using ${andList(c.authenticationFlowTransferMethods.map(flowWords))}`);
  if (c.devices?.filter) conditions.push(`for devices${filterWords(c.devices.filter)}`);
  const sif = p.sessionControls;
  const session =
    sif?.signInFrequencyInterval === 'everyTime'
      ? '; sign in again every time'
      : sif?.signInFrequency !== undefined
        ? `; sign in again ${every(typeof sif.signInFrequency === 'number' ? String(sif.signInFrequency) : plain(sif.signInFrequency), sif.signInFrequencyPeriod !== undefined ? plain(sif.signInFrequencyPeriod) : undefined)}`
        : '';
  const who = c.clientApplications
    ? `the service principals ${list(c.clientApplications.includedServicePrincipals)}`
    : usersWords(s, c.users.includedUsers, c.users.includedGroups, c.users.includedRoles, c.users.includedGuestsOrExternalUsers) || 'no one';
  const target = actionsOnly
    ? `when they ${andList(c.applications.includedUserActions.map((a) => userActionWords(a)))}`
    : `signing in to ${appsWords(c.applications.includedApplications, c.applications.excludedApplications)}`;
  return `${grantWords(p, true) || 'Apply session controls'} for ${who} ${target} from ${clientWords(c.clientAppTypes)}${conditions.length > 0 ? ` ${conditions.join(', ')}` : ''}${session}; ${excluded ? `excludes ${excluded}` : 'excludes no one'}; ${state}`;
}

function grantWords(p: InspectedPolicy, sentence = false): string {
  const g = p.grantControls;
  if (!g) return '';
  const controls = g.builtInControls.map(plain);
  if (controls.includes('block')) return sentence ? 'Block access' : 'block access';
  const strength =
    g.authenticationStrengthPolicyId !== undefined
      ? `the authentication strength ${authenticationStrengthName(plain(g.authenticationStrengthPolicyId)) ?? plain(g.authenticationStrengthPolicyId)}`
      : undefined;
  const words = [
    ...(controls.includes('mfa') ? [sentence ? 'MFA' : 'multifactor authentication'] : []),
    ...(strength ? [strength] : []),
    ...controls.filter((c) => c !== 'mfa').map((c) => GRANT_CONTROL_WORDS[c] ?? c),
    ...g.customAuthenticationFactors.map((f) => `the custom factor ${plain(f)}`),
    ...g.termsOfUse.map((t) => `accepting the terms of use ${plain(t)}`),
  ];
  if (words.length === 0) return sentence ? 'Grant access with no control' : 'no control';
  const operator = g.operator === undefined ? 'or' : plain(g.operator) === 'AND' ? 'and' : 'or';
  const joined = words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} ${operator} ${words[words.length - 1]}`;
  return `${sentence ? 'Require' : 'require'} ${joined}`;
}

function sessionWords(p: InspectedPolicy): [string, string, string][] {
  const x = p.sessionControls;
  if (!x) return [];
  const rows: [string, string, string][] = [];
  if (
    x.signInFrequencyInterval !== undefined ||
    x.signInFrequency !== undefined ||
    x.signInFrequencyPeriod !== undefined ||
    x.signInFrequencyAuthenticationType !== undefined
  ) {
    const frequency =
      x.signInFrequencyInterval === 'everyTime'
        ? 'every time'
        : x.signInFrequency !== undefined
          ? x.signInFrequencyPeriod !== undefined
            ? every(isDeferred(x.signInFrequency) ? tf(x.signInFrequency) : String(x.signInFrequency), plain(x.signInFrequencyPeriod))
            : `every ${isDeferred(x.signInFrequency) ? tf(x.signInFrequency) : x.signInFrequency} (no period)`
          : 'interval only';
    const auth =
      x.signInFrequencyAuthenticationType === undefined
        ? ''
        : plain(x.signInFrequencyAuthenticationType) === 'secondaryAuthentication'
          ? '; the second factor only'
          : '; both factors';
    rows.push([
      'Sign-in frequency',
      `${frequency}${auth}`,
      [
        ...(x.signInFrequency !== undefined ? [tf(x.signInFrequency)] : []),
        ...(x.signInFrequencyPeriod !== undefined ? [tf(x.signInFrequencyPeriod)] : []),
        ...(x.signInFrequencyInterval !== undefined ? [`interval ${tf(x.signInFrequencyInterval)}`] : []),
        ...(x.signInFrequencyAuthenticationType !== undefined ? [`authentication type ${tf(x.signInFrequencyAuthenticationType)}`] : []),
      ].join(', '),
    ]);
  }
  if (x.persistentBrowserMode !== undefined)
    rows.push([
      'Persistent browser session',
      plain(x.persistentBrowserMode) === 'never' ? 'never stay signed in' : 'always stay signed in',
      tf(x.persistentBrowserMode),
    ]);
  if (x.cloudAppSecurityPolicy !== undefined)
    rows.push(['Conditional Access App Control', `Defender for Cloud Apps: ${plain(x.cloudAppSecurityPolicy)}`, tf(x.cloudAppSecurityPolicy)]);
  if (x.applicationEnforcedRestrictionsEnabled !== undefined)
    rows.push(['App enforced restrictions', yesNo(x.applicationEnforcedRestrictionsEnabled, 'on', 'off', ''), tf(x.applicationEnforcedRestrictionsEnabled)]);
  if (x.disableResilienceDefaults !== undefined)
    rows.push([
      'Resilience defaults',
      yesNo(x.disableResilienceDefaults, 'disabled (sign-ins fail during an outage)', 'kept', ''),
      tf(x.disableResilienceDefaults),
    ]);
  return rows;
}

function usersWords(
  s: StackInspection,
  users: readonly TfString[],
  groups: readonly TfString[],
  roles: readonly TfString[],
  guests: readonly InspectedGuests[] = [],
  withIds = false,
): string {
  const parts: string[] = [];
  if (users.includes('All')) parts.push('all users');
  if (users.includes('GuestsOrExternalUsers')) parts.push('guests and external users');
  const ids = users.filter((u) => !['All', 'None', 'GuestsOrExternalUsers'].includes(plain(u)));
  if (groups.length > 0) parts.push(`members of ${andList(groups.map((g) => groupName(s, g)))}`);
  if (ids.length > 0) parts.push(count(ids.length, 'user'));
  if (roles.length > 0) parts.push(rolesWords(roles, withIds));
  for (const g of guests) parts.push(guestWords(g, withIds));
  return andList(parts);
}

/** "holders of the directory role Global Administrator", each role by name (its template ID beside it in the table). */
function rolesWords(roles: readonly TfString[], withIds: boolean): string {
  const named = roles.map((r) => {
    const role = isDeferred(r) ? undefined : directoryRoleTemplate(r);
    const name = role ? role.displayName : `the role ${plain(r)}`;
    return withIds && role ? `${name} (${code(plain(r))})` : name;
  });
  return `holders of the directory role${roles.length === 1 ? '' : 's'} ${andList(named)}`;
}

function excludedWords(s: StackInspection, p: InspectedPolicy, withIds = false): string | undefined {
  const u = p.conditions.users;
  const parts: string[] = [];
  const accounts = u.excludedUsers.filter((x) => x !== 'GuestsOrExternalUsers');
  if (accounts.length > 0) {
    const placeholders = accounts.filter((x) => typeof x === 'string' && isPlaceholderId(x)).length;
    const note =
      placeholders === 0
        ? ''
        : placeholders === accounts.length
          ? ` (${placeholders === 1 ? 'a placeholder ID' : 'placeholder IDs'}: replace before enforcing)`
          : ` (${placeholders} of them placeholders)`;
    parts.push(`${count(accounts.length, 'emergency-access account')}${note}`);
  }
  if (u.excludedUsers.includes('GuestsOrExternalUsers')) parts.push('guests and external users');
  if (u.excludedGroups.length > 0) parts.push(`members of ${andList(u.excludedGroups.map((g) => groupName(s, g)))}`);
  if (u.excludedRoles.length > 0) parts.push(rolesWords(u.excludedRoles, withIds));
  for (const g of u.excludedGuestsOrExternalUsers) parts.push(guestWords(g, withIds));
  return parts.length > 0 ? andList(parts) : undefined;
}

/** Guests and external users by kind, in the portal's words (Graph's value beside each in the table), and from which tenants. */
function guestWords(g: InspectedGuests, withIds = false): string {
  const types = andList(
    g.guestOrExternalUserTypes.map((t) => {
      const words = (GUEST_OR_EXTERNAL_USER_TYPE_WORDS as Readonly<Record<string, string>>)[plain(t)];
      return words === undefined ? `guest or external users of type ${plain(t)}` : withIds ? `${words} (${code(plain(t))})` : words;
    }),
  );
  const tenants = g.externalTenants.map((t) =>
    t.membershipKind === 'enumerated'
      ? `from the tenants ${list(t.members)}`
      : `from ${t.membershipKind !== undefined ? (plain(t.membershipKind) === 'all' ? 'any tenant' : tfText(t.membershipKind)) : 'unset tenants'}${t.members.length > 0 ? ` ${list(t.members)}` : ''}`,
  );
  return `${types || 'guest or external users of no kind'}${tenants.length > 0 ? ` ${tenants.join(', ')}` : ''}`;
}

function guestValues(guests: readonly InspectedGuests[]): string {
  return guests.map((g) => list(g.guestOrExternalUserTypes)).join('; ');
}

/** "every hour", "every 8 hours", "every day". */
function every(value: string, period: string | undefined): string {
  if (period === undefined) return `every ${value}`;
  return value === '1' ? `every ${period.replace(/s$/, '')}` : `every ${value} ${period}`;
}

function appsWords(included: readonly TfString[], excluded: readonly TfString[]): string {
  const name = (a: TfString) => (isDeferred(a) ? `an application of this stack (${plain(a)})` : (applicationName(a) ?? `application ${a}`));
  const inc = andList(included.map(name)) || 'no resource';
  return excluded.length > 0 ? `${inc} except ${andList(excluded.map(name))}` : inc;
}

function clientWords(types: readonly TfString[]): string {
  return andList(types.map((c) => CLIENT_APP_WORDS[plain(c)] ?? plain(c))) || 'no client app';
}

/** A user action in the portal's words (Graph's value beside it in the table). */
function userActionWords(a: TfString, withIds = false): string {
  const words = (USER_ACTION_WORDS as Readonly<Record<string, string>>)[plain(a)];
  if (words === undefined) return `perform ${plain(a)}`;
  return withIds ? `${words} (${code(plain(a))})` : words;
}

function flowWords(f: TfString): string {
  const words: Record<string, string> = { deviceCodeFlow: 'the device code flow', authenticationTransfer: 'authentication transfer' };
  return words[plain(f)] ?? plain(f);
}

function filterWords(f: InspectedFilter | undefined): string {
  if (!f) return '';
  const mode = f.mode === undefined ? undefined : plain(f.mode);
  const known = mode === 'include' || mode === 'exclude';
  return ` ${mode === 'exclude' ? 'except those matching' : 'matching'} ${f.rule !== undefined ? tf(f.rule) : '(no rule)'}${f.mode !== undefined && !known ? ` (mode ${tf(f.mode)})` : ''}`;
}

function locationWords(s: StackInspection, l: TfString): string {
  const address = refersTo(l, 'object_id');
  const loc = s.namedLocations.find((x) => x.address === address);
  if (loc) return `the named location "${loc.displayName !== undefined ? tfText(loc.displayName) : loc.address}"`;
  const words: Record<string, string> = { All: 'any location', AllTrusted: 'all trusted locations' };
  return words[plain(l)] ?? `location ${plain(l)}`;
}

function groupName(s: StackInspection, id: TfString): string {
  const g = groupOf(s, id);
  return g?.displayName ? md(g.displayName) : `group ${plain(id)}`;
}

function groupIds(s: StackInspection, id: TfString): string {
  const g = groupOf(s, id);
  return g ? `${g.displayName ? `${md(g.displayName)}: ` : ''}object ID *(known after apply)*, ${code(g.address)}` : tf(id);
}

export function renderNamedLocation(l: InspectedNamedLocation): string[] {
  const out = [`### Named location ${l.displayName !== undefined ? `"${tfText(l.displayName)}"` : '(unnamed)'}`, ''];
  if (l.ip) out.push(`- **IP ranges:** ${list(l.ip.ipRanges) || 'none'}; ${yesNo(l.ip.trusted, 'marked as trusted', 'not trusted', 'not trusted (default)')}`);
  if (l.country) {
    out.push(
      `- **Countries and regions:** ${list(l.country.countriesAndRegions) || 'none'}; unknown countries ${yesNo(l.country.includeUnknownCountriesAndRegions, 'included', 'not included', 'not included (default)')}; looked up by ${l.country.countryLookupMethod !== undefined ? tf(l.country.countryLookupMethod) : 'the client IP address (default)'}`,
    );
  }
  out.push(`- **Terraform:** ${code(l.address)} (construct ${at(l.owner)})`, '');
  return out;
}

export function renderGroups(s: StackInspection): string[] {
  const out = ['### Groups', ''];
  for (const g of s.groups) out.push(`- ${groupLine(g)}`);
  out.push('');
  return out;
}

function groupLine(g: InspectedGroup): string {
  const kind = `${yesNo(g.securityEnabled, 'security group', 'not security-enabled', 'security setting unset')}, ${yesNo(g.mailEnabled, 'mail-enabled', 'not mail-enabled', 'mail setting unset')}`;
  const members = g.members.length > 0 ? `members managed here: ${list(g.members)} (members added in the portal are removed)` : 'members managed in the portal';
  const owners = g.owners.length > 0 ? `owners ${list(g.owners)}` : 'owned by the identity that runs Terraform';
  return (
    `"${g.displayName !== undefined ? tfText(g.displayName) : '(unnamed)'}" (${code(g.address)}): ${kind}; ${members}; ${owners}; duplicate names ${yesNo(g.preventDuplicateNames, 'refused', 'allowed', 'allowed (default)')}; ` +
    `${yesNo(g.assignableToRole, 'roles can be assigned to it', 'not role-assignable', 'not role-assignable (default)')}${g.description !== undefined ? `; description: ${tfText(g.description)}` : ''}`
  );
}
