/**
 * A tenant's conditional access, in this project's words: every named location and every policy
 * Graph returned, as the `tenants.<name>` section (`TenantProps`) with an `import` on each, and what
 * the section cannot say, by object and field. Pure: Graph objects in, plain data out; the model's
 * rules (`tenantProblems`) judge the section as the config loader and the constructs judge it.
 *
 * Choices, each for a first plan that imports and changes only what adopt lists:
 * - keys are derived from display names (lower case, hyphens; `-2`, `-3` for names that give the
 *   same key), assigned in the order of (display name, ID), so the same tenant gives the same keys
 *   whatever order Graph pages in; a key is part of the Terraform address, so it is stable;
 * - a policy names an adopted named location by its key (resolved to the location's object ID at
 *   plan time, the same GUID Graph holds); any other location stays by ID;
 * - groups, users, roles and service principals are named by ID: they are not conditional access
 *   objects, so none is declared or imported here (`group.existingObjectId` for the first group);
 * - an object the project's rules refuse (an enforced policy without a break-glass exclusion, two
 *   policies of one name, a grant left empty by what cannot be declared) is left out of the section
 *   and listed with the rule: it stays as it is in the tenant, not managed; the rest is adopted;
 * - a field of Graph's JSON that this project does not read is listed by policy and path: azuread
 *   3.7.0 neither reads nor writes it (token protection, continuous access evaluation…).
 */
import { COUNTRY_LOOKUP_METHODS, type CountryLookupMethod, type NamedLocationProps } from '../model/named-location';
import type { ConditionalAccessPolicyEntry } from '../model/conditional-access-presets';
import { RESERVED_KEYS } from '../config/load-config';
import { formatPath } from '../private/file-problem';
import { TENANT_KEY, tenantProblems, type TenantProps } from '../model/tenant';
import { inShapeRead, type GraphConditionalAccessPolicy, type GraphNamedLocation, type TenantSnapshot } from './portal';
import { AdoptionError, policyOf, type NotExpressed } from './translate';

/** Something said about one adopted (or left out) object: the object, in words, and the statement. */
export interface AboutObject {
  /** e.g. `policy "Block legacy authentication" (block-legacy-authentication)`. */
  readonly subject: string;
  readonly text: string;
}

/** An object of the tenant that the section leaves out, and why. */
export interface LeftOut {
  readonly subject: string;
  readonly id: string;
  /** The rules it breaks, `field: message`. */
  readonly problems: readonly string[];
  /** What it holds that the project cannot declare (often why a rule refuses what is left). */
  readonly notExpressed: readonly string[];
}

export interface TenantAdoption {
  /** The `tenants.<name>` section. */
  readonly tenant: TenantProps;
  /** What the first plan changes although the project can express it. */
  readonly changes: readonly AboutObject[];
  /** What the section cannot say, by object: kept as it is, or removed by the first plan. */
  readonly notExpressed: readonly (NotExpressed & { readonly subject: string })[];
  /** Objects the project's rules refuse: not in the section, untouched in the tenant. */
  readonly leftOut: readonly LeftOut[];
  /** The keys given, by Graph ID. */
  readonly keys: { readonly policies: Readonly<Record<string, string>>; readonly namedLocations: Readonly<Record<string, string>> };
  readonly read: { readonly policies: number; readonly namedLocations: number };
}

export interface TenantAdoptContext {
  readonly tenantId: string;
  /** Policy IDs the config already imports elsewhere (an environment's mfaPolicy): left out, by where. */
  readonly alreadyAdopted?: Readonly<Record<string, string>>;
}

const q = (s: string) => JSON.stringify(s);

/**
 * The key of an object named `displayName`: lower-case letters, digits and hyphens, starting with a
 * letter (`fallback-` is put in front otherwise), at most 56 characters before a `-N` that makes it
 * unique among `taken` (which it joins) and other than a key the config loader refuses
 * (`RESERVED_KEYS`: a policy named "Constructor" is `constructor-2`).
 */
export function keyFor(displayName: string, taken: Set<string>, fallback: string): string {
  const words = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  let base = /^[a-z]/.test(words) ? words : `${fallback}${words ? `-${words}` : ''}`;
  base = base.slice(0, 56).replace(/-+$/, '');
  let key = base;
  for (let n = 2; taken.has(key) || RESERVED_KEYS.includes(key); n++) key = `${base}-${n}`;
  if (!TENANT_KEY.test(key)) throw new Error(`internal: derived key ${q(key)} is not a valid key`);
  taken.add(key);
  return key;
}

/** Objects in the order their keys are given: by display name, then ID (not Graph's paging order). */
function byName<T extends { readonly id: string; readonly displayName?: string | null }>(items: readonly T[]): T[] {
  const name = (x: T) => x.displayName ?? '';
  return [...items].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const IP_TYPE = '#microsoft.graph.ipNamedLocation';
const COUNTRY_TYPE = '#microsoft.graph.countryNamedLocation';

/** The named location's props, or why it cannot be declared. */
function namedLocationOf(l: GraphNamedLocation): { readonly props: NamedLocationProps } | { readonly why: string } {
  const displayName = l.displayName ?? '';
  const type = l['@odata.type'] ?? (l.ipRanges ? IP_TYPE : l.countriesAndRegions ? COUNTRY_TYPE : '');
  if (type === IP_TYPE) {
    const ipRanges = (l.ipRanges ?? []).map((r) => r.cidrAddress ?? '').filter((r) => r !== '');
    return { props: { displayName, ipRanges, ...(l.isTrusted ? { trusted: true } : {}), import: { namedLocationId: l.id } } };
  }
  if (type === COUNTRY_TYPE) {
    const method = l.countryLookupMethod ?? 'clientIpAddress';
    if (!(COUNTRY_LOOKUP_METHODS as readonly string[]).includes(method))
      return { why: `its country lookup method ${q(method)} is not one azuread 3.7.0 declares (${COUNTRY_LOOKUP_METHODS.join(', ')})` };
    return {
      props: {
        displayName,
        countries: [...(l.countriesAndRegions ?? [])],
        ...(l.includeUnknownCountriesAndRegions ? { includeUnknownCountries: true } : {}),
        ...(method !== 'clientIpAddress' ? { countryLookup: method as CountryLookupMethod } : {}),
        import: { namedLocationId: l.id },
      },
    };
  }
  return {
    why: `it is a ${type || 'named location of no known type'}: azuread_named_location declares IP ranges and countries locations only; policies keep naming it by ID`,
  };
}

/**
 * The fields of Graph's conditionalAccessPolicy (v1.0) that adopt reads, as a tree: `true` is a leaf
 * whose whole value is read. Anything else Graph returns with a value is listed as not expressed.
 */
type Known = { readonly [field: string]: true | Known };
const GUESTS: Known = { guestOrExternalUserTypes: true, externalTenants: true };
const FILTER: Known = { mode: true, rule: true };
const POLICY_FIELDS: Known = {
  id: true,
  displayName: true,
  state: true,
  // Read-only facts Graph adds: not settings.
  createdDateTime: true,
  modifiedDateTime: true,
  templateId: true,
  conditions: {
    clientAppTypes: true,
    signInRiskLevels: true,
    userRiskLevels: true,
    servicePrincipalRiskLevels: true,
    insiderRiskLevels: true,
    applications: {
      includeApplications: true,
      excludeApplications: true,
      includeUserActions: true,
      includeAuthenticationContextClassReferences: true,
      applicationFilter: true,
    },
    users: {
      includeUsers: true,
      excludeUsers: true,
      includeGroups: true,
      excludeGroups: true,
      includeRoles: true,
      excludeRoles: true,
      includeGuestsOrExternalUsers: GUESTS,
      excludeGuestsOrExternalUsers: GUESTS,
    },
    platforms: { includePlatforms: true, excludePlatforms: true },
    locations: { includeLocations: true, excludeLocations: true },
    devices: { deviceFilter: FILTER, includeDevices: true, excludeDevices: true, includeDeviceStates: true, excludeDeviceStates: true },
    clientApplications: { includeServicePrincipals: true, excludeServicePrincipals: true, servicePrincipalFilter: FILTER },
    authenticationFlows: { transferMethods: true },
  },
  grantControls: { operator: true, builtInControls: true, customAuthenticationFactors: true, termsOfUse: true, authenticationStrength: true },
  sessionControls: {
    signInFrequency: { isEnabled: true, type: true, value: true, frequencyInterval: true, authenticationType: true },
    persistentBrowser: { isEnabled: true, mode: true },
    cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: true },
    applicationEnforcedRestrictions: { isEnabled: true },
    disableResilienceDefaults: true,
  },
};

/** What some fields are in the portal's words (Graph v1.0 / beta names). */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  'sessionControls.secureSignInSession': 'token protection ("Require token protection for sign-in sessions")',
  'sessionControls.continuousAccessEvaluation': 'customized continuous access evaluation (strict location enforcement, or CAE disabled)',
  'sessionControls.globalSecureAccessFilteringProfile': 'a Global Secure Access filtering profile',
  'sessionControls.networkAccessSecurity': 'Global Secure Access network security',
  'conditions.times': 'a time condition',
  'conditions.deviceStates': 'device states',
  'conditions.insiderRiskLevels': 'insider risk levels',
};

/** A value that says something: not null, empty, false or an object of such. */
function meaningful(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).some(([k, x]) => !k.startsWith('@odata.') && meaningful(x));
  return true;
}

/** The paths of Graph's answer that adopt does not read and that hold a value. */
export function unreadFields(value: unknown, known: Known = POLICY_FIELDS, path = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.startsWith('@odata.')) continue;
    const here = path ? `${path}.${k}` : k;
    const rule = known[k];
    if (rule === undefined) {
      if (meaningful(v)) out.push(here);
    } else if (rule !== true) out.push(...unreadFields(v, rule, here));
  }
  return out;
}

/** An empty condition block Graph returned: the provider reads it into the state as a block of empty lists, which no config says. */
function emptyBlocks(p: GraphConditionalAccessPolicy): string[] {
  const c = p.conditions ?? {};
  const out: string[] = [];
  if (c.locations && (c.locations.includeLocations ?? []).length === 0) out.push('locations');
  if (c.platforms && (c.platforms.includePlatforms ?? []).length === 0) out.push('platforms');
  if (c.clientApplications && (c.clientApplications.includeServicePrincipals ?? []).length === 0 && meaningful(c.clientApplications))
    out.push('client applications');
  return out;
}

const DELETED_WHY =
  'Graph has no such object any more (deleted since the policy named it); the plan reads each object a policy names through a data source, which fails on one it does not find, so the section leaves it out and the first plan removes it from the policy';

/** `p` without the users, groups and service principals Graph no longer has, each reported. */
function withoutDeleted(
  p: GraphConditionalAccessPolicy,
  missing: ReadonlySet<string> | undefined,
  report: (name: string) => void,
): GraphConditionalAccessPolicy {
  if (!missing || missing.size === 0) return p;
  const copy = structuredClone(p) as { conditions?: Record<string, Record<string, unknown> | null> | null };
  const strip = (block: string, field: string, what: string, side: string) => {
    const holder = copy.conditions?.[block];
    const list = holder?.[field];
    if (!holder || !Array.isArray(list)) return;
    holder[field] = list.filter((x: unknown) => {
      const gone = typeof x === 'string' && missing.has(x.toLowerCase());
      if (gone) report(`the deleted ${what} ${x} the policy ${side} (${block}.${field})`);
      return !gone;
    });
  };
  for (const [field, what, side] of [
    ['includeUsers', 'user', 'includes'],
    ['excludeUsers', 'user', 'excludes'],
    ['includeGroups', 'group', 'includes'],
    ['excludeGroups', 'group', 'excludes'],
  ] as const)
    strip('users', field, what, side);
  strip('clientApplications', 'includeServicePrincipals', 'service principal', 'includes');
  strip('clientApplications', 'excludeServicePrincipals', 'service principal', 'excludes');
  return copy as GraphConditionalAccessPolicy;
}

/** The tenant's section and what it cannot say. @throws AdoptionError when nothing of the tenant can be declared */
export function tenantAdoptionOf(s: TenantSnapshot, ctx: TenantAdoptContext): TenantAdoption {
  const r: TenantReports = { changes: [], notExpressed: [], leftOut: [] };
  const locations = namedLocationsOf(s, r);
  const policies = policiesOf(s, ctx, locations, r);

  const left = new Set(r.leftOut.map((l) => l.subject));
  // By key, as the stack declares them and a reader looks them up.
  const sorted = <T>(o: Record<string, T>) =>
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]] as const),
    );
  const tenant: TenantProps = {
    tenantId: ctx.tenantId,
    ...(Object.keys(locations.entries).length > 0 ? { namedLocations: sorted(locations.entries) } : {}),
    ...(Object.keys(policies.entries).length > 0 ? { conditionalAccessPolicies: sorted(policies.entries) } : {}),
  };
  const problems = tenantProblems(tenant);
  if (problems.length > 0)
    throw new AdoptionError(
      `the adopted section breaks rules adopt cannot leave out: ${problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join('; ')}`,
    );
  return {
    tenant,
    changes: r.changes.filter((c) => !left.has(c.subject)),
    notExpressed: r.notExpressed.filter((n) => !left.has(n.subject)),
    // A left-out object with what it holds that cannot be declared (often why the rest is refused).
    leftOut: r.leftOut.map((l) => ({ ...l, notExpressed: [...l.notExpressed, ...r.notExpressed.filter((n) => n.subject === l.subject).map((n) => n.name)] })),
    keys: { policies: { ...policies.keys }, namedLocations: { ...locations.keys } },
    read: { policies: s.policies.length, namedLocations: s.namedLocations.length },
  };
}

/** What the translation says, by object. */
interface TenantReports {
  readonly changes: AboutObject[];
  readonly notExpressed: (NotExpressed & { subject: string })[];
  readonly leftOut: LeftOut[];
}

/** Adopted entries by key, and the keys by Graph ID (lower case). */
interface Keyed<T> {
  readonly entries: Record<string, T>;
  readonly keys: Record<string, string>;
}

/** The named locations: keys, props; then the rules, leaving out what they refuse. */
function namedLocationsOf(s: TenantSnapshot, r: TenantReports): Keyed<NamedLocationProps> {
  const keys: Record<string, string> = {};
  const taken = new Set<string>();
  const entries: Record<string, NamedLocationProps> = {};
  const subject = (l: GraphNamedLocation, key?: string) => `named location ${q(l.displayName ?? l.id)}${key ? ` (${key})` : ''}`;
  for (const l of byName(s.namedLocations)) {
    const adopted = inShapeRead(`the named location ${l.id}`, () => namedLocationOf(l));
    if ('why' in adopted) {
      r.notExpressed.push({ subject: subject(l), name: `the named location ${l.id}`, effect: 'kept', why: adopted.why });
      continue;
    }
    const key = keyFor(l.displayName ?? '', taken, 'location');
    entries[key] = adopted.props;
    keys[l.id.toLowerCase()] = key;
  }
  const byId = new Map(s.namedLocations.map((l) => [l.id.toLowerCase(), l] as const));
  const kept = leaveOut(
    entries,
    'namedLocations',
    (t) => ({ namedLocations: t }),
    (key) => {
      const id = Object.keys(keys).find((i) => keys[i] === key)!;
      delete keys[id];
      return { subject: subject(byId.get(id)!, key), id };
    },
    r.leftOut,
  );
  return { entries: kept, keys };
}

/** The policies, naming the adopted locations by key; then the rules, leaving out what they refuse. */
function policiesOf(s: TenantSnapshot, ctx: TenantAdoptContext, locations: Keyed<NamedLocationProps>, r: TenantReports): Keyed<ConditionalAccessPolicyEntry> {
  const keys: Record<string, string> = {};
  const taken = new Set<string>();
  const entries: Record<string, ConditionalAccessPolicyEntry> = {};
  const subjectOf = (p: GraphConditionalAccessPolicy, key?: string) => `policy ${q(p.displayName ?? p.id)}${key ? ` (${key})` : ''}`;
  for (const p of byName(s.policies)) {
    const where = ctx.alreadyAdopted?.[p.id.toLowerCase()];
    if (where !== undefined) {
      r.leftOut.push({
        subject: subjectOf(p),
        id: p.id,
        problems: [`is already imported by ${where}: one object is managed by one declaration only`],
        notExpressed: [],
      });
      continue;
    }
    const key = keyFor(p.displayName ?? '', taken, 'policy');
    const subject = subjectOf(p, key);
    const said = (name: string, effect: NotExpressed['effect'], why: string) => r.notExpressed.push({ subject, name, effect, why });
    const own: string[] = [];
    inShapeRead(`the conditional access policy ${p.id}`, () => {
      entries[key] = policyOf(
        { policy: withoutDeleted(p, s.missing, (name) => said(name, 'removed', DELETED_WHY)), groups: [] },
        own,
        (name, why) => said(name, 'removed', why),
        (name, why) => said(name, 'kept', why),
        { mode: 'tenant', locationKey: (id) => locations.keys[id.toLowerCase()] },
      );
      keys[p.id.toLowerCase()] = key;
      for (const c of own) r.changes.push({ subject, text: c });
      if (!p.conditions?.clientAppTypes?.length)
        r.changes.push({ subject, text: 'sets the client app types to all: Graph returned none, and the provider requires them' });
      for (const b of emptyBlocks(p))
        r.changes.push({
          subject,
          text: `removes the empty ${b} condition Graph returned (no value in it): the provider reads it as a block the config does not declare`,
        });
      for (const field of unreadFields(p)) said(`${FIELD_WORDS[field] ? `${FIELD_WORDS[field]}: ` : ''}${field}`, 'kept', UNREAD_WHY);
    });
  }
  const byId = new Map(s.policies.map((p) => [p.id.toLowerCase(), p] as const));
  const kept = leaveOut(
    entries,
    'conditionalAccessPolicies',
    (t) => ({ namedLocations: locations.entries, conditionalAccessPolicies: t }),
    (key) => {
      const id = Object.keys(keys).find((i) => keys[i] === key)!;
      delete keys[id];
      return { subject: subjectOf(byId.get(id)!, key), id };
    },
    r.leftOut,
  );
  return { entries: kept, keys };
}

const UNREAD_WHY =
  'azuread 3.7.0 neither reads nor writes this field: the plan shows nothing and Terraform does not manage it; an update of the policy by the provider may drop it, so check it in the portal after an apply that changes the policy';

/**
 * `entries` without those the tenant's rules refuse (each added to `leftOut` with its problems),
 * checked again until none is refused: leaving one out can settle another's problem (two of one name).
 */
function leaveOut<T>(
  entries: Record<string, T>,
  section: 'namedLocations' | 'conditionalAccessPolicies',
  tenantOf: (entries: Record<string, T>) => TenantProps,
  describe: (key: string) => { readonly subject: string; readonly id: string },
  leftOut: LeftOut[],
): Record<string, T> {
  let current = { ...entries };
  for (let round = 0; round < 100; round++) {
    const problems = tenantProblems(tenantOf(current)).filter((p) => p.path[0] === section && typeof p.path[1] === 'string' && p.path[1] in current);
    if (problems.length === 0) return current;
    // One entry at a time, the last in key order first: of two policies of one name, the first keeps it.
    const keys = [...new Set(problems.map((p) => String(p.path[1])))].sort();
    const key = keys[keys.length - 1];
    const { subject, id } = describe(key);
    leftOut.push({
      subject,
      id,
      problems: problems.filter((p) => p.path[1] === key).map((p) => `${formatPath(p.path.slice(2)) || '(the entry)'}: ${p.message}`),
      notExpressed: [],
    });
    const { [key]: _dropped, ...rest } = current;
    current = rest;
  }
  return current;
}
