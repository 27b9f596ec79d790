/**
 * A named location of conditional access ("Named locations" in the Entra admin center): IP ranges
 * or countries, declared here, or an existing one found by its display name. The model behind an
 * entry of a tenant's `namedLocations` and the `NamedLocation` construct.
 *
 * The provider's rules at v3.7.0 (`azuread_named_location`): exactly one of `ip` and `country`
 * (switching replaces the location); each IP range a prefix Go's `netip.ParsePrefix` accepts with a
 * length of at least 8; country codes are not checked by the provider (Graph takes ISO 3166-1
 * alpha-2, checked here against i18n-iso-countries' list); `country_lookup_method` defaults to
 * `clientIpAddress`. Entra ID's own limits (public ranges only, 2000 per location, 195 locations)
 * are below, with their source. A named location can be looked up
 * by display name only (the data source has no object ID argument).
 */
import { countryCodeMeant, isCountryCode } from '../private/countries';
import { ipVersion, nonPublicBlock } from '../private/ip-address';
import { NAMED_LOCATION_IMPORT_RULES, type NamedLocationImportProps } from './adoption';
import { graphId } from './ids';
import { NOTHING_UNRESOLVED, problemAt, repeated, show, type IsUnresolved, type Problem } from './problem';
import { nested, runRules, type RuleSet } from './rules';
import { textProblem } from './text';

/*
 * Entra ID's limits of IP ranges locations (Microsoft Learn, "Conditional Access: Network
 * assignment", https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-assignment-network):
 * "Named locations defined by IPv4 or IPv6 address ranges have these limitations: No more than 195
 * named locations. No more than 2000 IP ranges per named location. Only CIDR masks greater than /8
 * are allowed when defining an IP range." and "To define a named location by public IPv4 or IPv6
 * address ranges, provide: … One or more public IP ranges." (the earlier version of the page:
 * "Private IP ranges cannot be configured").
 */
/** IP ranges in one named location. */
export const MAX_IP_RANGES_PER_LOCATION = 2000;
/** IP ranges locations in one tenant (checked per tenant, `lib/model/tenant.ts`). */
export const MAX_IP_NAMED_LOCATIONS = 195;

/** How the country of a sign-in is determined. */
export const COUNTRY_LOOKUP_METHODS = ['clientIpAddress', 'authenticatorAppGps'] as const;
/** `clientIpAddress` (the default) or `authenticatorAppGps` (the Authenticator app's GPS). */
export type CountryLookupMethod = (typeof COUNTRY_LOOKUP_METHODS)[number];

/** An entry of a tenant's `namedLocations` and the props of `NamedLocation`. */
export interface NamedLocationProps {
  /** The name shown in the Entra admin center; for an existing location, the one to find. */
  readonly displayName: string;
  /**
   * An existing named location of the tenant, found by its display name at plan time: nothing is
   * declared, and a wrong name fails the plan.
   * @default false
   */
  readonly existing?: boolean;
  /** "IP ranges location": IPv4 or IPv6 ranges in CIDR notation (prefix length at least 8). */
  readonly ipRanges?: readonly string[];
  /**
   * "Mark as trusted location" (IP ranges only): counts for AllTrusted.
   * @default false
   */
  readonly trusted?: boolean;
  /** "Countries location": ISO 3166-1 alpha-2 codes such as ES, PT. */
  readonly countries?: readonly string[];
  /**
   * "Include unknown countries/regions" (countries only).
   * @default false
   */
  readonly includeUnknownCountries?: boolean;
  /**
   * How the country is determined (countries only).
   * @default 'clientIpAddress'
   */
  readonly countryLookup?: CountryLookupMethod;
  /**
   * The named location made in the portal that this declaration takes over: synthesis writes a
   * Terraform `import` block for it. `npm run adopt --tenant` writes this section.
   * @default - the named location is created
   */
  readonly import?: NamedLocationImportProps;
}

/** `NamedLocationProps` with defaults applied, in the provider's terms. */
export type NamedLocationModel =
  | { readonly kind: 'existing'; readonly displayName: string }
  | {
      readonly kind: 'ip';
      readonly displayName: string;
      readonly ipRanges: readonly string[];
      readonly trusted: boolean;
      readonly import?: NamedLocationImportProps;
    }
  | {
      readonly kind: 'country';
      readonly displayName: string;
      readonly countries: readonly string[];
      readonly includeUnknownCountries: boolean;
      readonly countryLookup: CountryLookupMethod;
      readonly import?: NamedLocationImportProps;
    };

/** Applies the defaults; call it on props without problems. */
export function normalizeNamedLocation(p: NamedLocationProps): NamedLocationModel {
  if (p.existing) return { kind: 'existing', displayName: p.displayName };
  const adopted = p.import !== undefined ? { import: { namedLocationId: graphId(p.import.namedLocationId) } } : {};
  if (p.ipRanges !== undefined) return { kind: 'ip', displayName: p.displayName, ipRanges: [...p.ipRanges], trusted: p.trusted ?? false, ...adopted };
  return {
    kind: 'country',
    displayName: p.displayName,
    countries: [...(p.countries ?? [])],
    includeUnknownCountries: p.includeUnknownCountries ?? false,
    countryLookup: p.countryLookup ?? 'clientIpAddress',
    ...adopted,
  };
}

/** Why `range` is not an IP range the provider and Graph accept as written, or undefined. */
export function ipRangeProblem(range: string): string | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(range);
  if (!m) return `${show(range)} is not an IP range in CIDR notation: write an address and a prefix length, e.g. 203.0.113.10/32 or 2001:db8::/48`;
  const [, address, lengthText] = m;
  const version = ipVersion(address);
  if (version === 0) return `${show(range)}: ${show(address)} is not an IPv4 or IPv6 address`;
  const length = Number(lengthText);
  // Go's netip.ParsePrefix, which the provider validates with, refuses a leading zero ("/08").
  if (lengthText.length > 1 && lengthText.startsWith('0'))
    return `${show(range)}: write the prefix length without a leading zero, ${address}/${length} (the provider refuses it)`;
  const max = version === 4 ? 32 : 128;
  if (length > max) return `${show(range)}: the prefix length is at most ${max} for IPv${version}`;
  if (length < 8)
    return `${show(range)}: the prefix length must be at least 8 (the provider refuses shorter prefixes, which would cover a large part of the internet)`;
  const canonical = networkAddress(address, version, length);
  if (canonical === address) return undefined;
  // The same address written another way (upper case, leading zeros, unshortened zero groups, an
  // IPv4 tail) is not a host-bits mistake. The provider waits until Graph returns the ranges as
  // written (ipNamedLocationWait) and the next plan compares the text, so only Graph's form passes.
  if (networkAddress(address, version, max) === canonical)
    return `${show(range)} is written differently from the way Graph stores it: write it as ${canonical}/${length}${canonical !== address.toLowerCase() ? '' : ' (IPv6 in lower case)'}`;
  return `${show(range)} has host bits set: write the network address, ${canonical}/${length}, which is what Graph stores`;
}

/** Why a valid range is not a public one, which Entra ID requires in an IP ranges location, or undefined. */
export function nonPublicRangeProblem(range: string): string | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(range);
  if (!m) return undefined;
  const found = nonPublicBlock(m[1], Number(m[2]));
  if (!found) return undefined;
  const where = found.block === range ? 'is' : found.covers ? `covers ${found.block},` : `lies in ${found.block},`;
  return `${show(range)} ${where} ${found.what}: Entra ID takes public ranges only and sees the public address a network connects from (its NAT or proxy), never a private one; list that public address instead`;
}

/** The network address of `address/length`, in the canonical text form. */
function networkAddress(address: string, version: 4 | 6, length: number): string {
  if (version === 4) {
    const n = address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
    const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
    const net = (n & mask) >>> 0;
    return [24, 16, 8, 0].map((shift) => (net >>> shift) & 255).join('.');
  }
  const words = expandIpv6(address);
  const out = words.map((w, i) => {
    const bits = Math.max(0, Math.min(16, length - i * 16));
    return bits === 16 ? w : bits === 0 ? 0 : w & ((0xffff << (16 - bits)) & 0xffff);
  });
  return compressIpv6(out);
}

function expandIpv6(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').filter((x) => x !== '') : []);
  const h = parse(head);
  const t = parse(tail);
  // An embedded IPv4 tail counts as two words.
  const words = (xs: string[]) => xs.flatMap((x) => (x.includes('.') ? ipv4Words(x) : [parseInt(x, 16)]));
  const hw = words(h);
  const tw = words(t);
  return tail === undefined ? hw : [...hw, ...Array(8 - hw.length - tw.length).fill(0), ...tw];
}

function ipv4Words(x: string): number[] {
  const [a, b, c, d] = x.split('.').map(Number);
  return [a * 256 + b, c * 256 + d];
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero words as `::`. */
function compressIpv6(words: readonly number[]): string {
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { at: i, len: j - i };
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** The rules of `NamedLocationProps`, one entry per field, and those across fields. */
export const NAMED_LOCATION_RULES: RuleSet<NamedLocationProps> = {
  fields: {
    displayName: (p, u) =>
      u(p.displayName) ? [] : problemAt(['displayName'], p.displayName.trim() === '' ? 'must not be empty' : textProblem(p.displayName, 256)),
    existing: null,
    ipRanges: (p, u) => {
      const ranges = p.ipRanges;
      if (ranges === undefined) return [];
      const problems: Problem[] = ranges.length === 0 ? [{ path: ['ipRanges'], message: 'is empty: list at least one IP range, e.g. 203.0.113.10/32' }] : [];
      if (ranges.length > MAX_IP_RANGES_PER_LOCATION) {
        problems.push({
          path: ['ipRanges'],
          message: `has ${ranges.length} ranges; Entra ID takes no more than ${MAX_IP_RANGES_PER_LOCATION} in one named location (Microsoft Learn, "Conditional Access: Network assignment"): split them over several locations, or merge adjacent ranges into shorter prefixes`,
        });
      }
      ranges.forEach((r, i) => {
        if (!u(r)) problems.push(...problemAt(['ipRanges', i], ipRangeProblem(r) ?? nonPublicRangeProblem(r)));
      });
      return [...problems, ...repeated(ranges, ['ipRanges'], 'IP range')];
    },
    trusted: null,
    countries: (p) => {
      const cs = p.countries;
      if (cs === undefined) return [];
      const problems: Problem[] = cs.length === 0 ? [{ path: ['countries'], message: 'is empty: list at least one country code, e.g. ES' }] : [];
      cs.forEach((c, i) => {
        if (isCountryCode(c)) return;
        const meant = countryCodeMeant(c);
        problems.push({
          path: ['countries', i],
          message: `${show(c)} is not a country code of ISO 3166-1 alpha-2${meant ? ` (${meant.startsWith('(') ? `meant: ${meant.slice(1, -1)}` : `write ${meant}`})` : ''}: write the two capital letters ISO 3166-1 gives the country, e.g. ES, PT, GB`,
        });
      });
      return [...problems, ...repeated(cs, ['countries'], 'country')];
    },
    includeUnknownCountries: null,
    import: nested(NAMED_LOCATION_IMPORT_RULES, (p) => p.import),
    countryLookup: (p) =>
      p.countryLookup === undefined || (COUNTRY_LOOKUP_METHODS as readonly string[]).includes(p.countryLookup)
        ? []
        : [{ path: ['countryLookup'], message: `${show(p.countryLookup)} is not allowed; allowed: ${COUNTRY_LOOKUP_METHODS.join(', ')}` }],
  },
  across: [
    {
      reads: ['existing', 'ipRanges', 'countries', 'trusted', 'includeUnknownCountries', 'countryLookup', 'import'],
      check: (p) => {
        const kinds = [p.ipRanges !== undefined ? 'ipRanges' : undefined, p.countries !== undefined ? 'countries' : undefined].filter((k) => k !== undefined);
        if (p.existing) {
          const extra = (['ipRanges', 'countries', 'trusted', 'includeUnknownCountries', 'countryLookup'] as const).filter((k) => p[k] !== undefined);
          return [
            ...extra.map((k) => ({ path: [k], message: 'cannot be set for an existing location: it is found by its display name and left as it is' })),
            ...(p.import !== undefined
              ? [
                  {
                    path: ['import'],
                    message:
                      'cannot be set for an existing location: an existing location is read, not managed; remove existing to take it over with the import, or remove import',
                  },
                ]
              : []),
          ];
        }
        if (kinds.length !== 1) {
          return [
            {
              path: [],
              message:
                kinds.length === 0
                  ? 'sets neither ipRanges nor countries: a named location is one or the other (or existing: true to use one of the tenant by its display name)'
                  : 'sets both ipRanges and countries: a named location is one or the other (the provider replaces it when it changes kind)',
            },
          ];
        }
        const problems: Problem[] = [];
        if (p.ipRanges !== undefined) {
          for (const k of ['includeUnknownCountries', 'countryLookup'] as const)
            if (p[k] !== undefined) problems.push({ path: [k], message: 'applies to a countries location only' });
        } else if (p.trusted !== undefined) {
          problems.push({ path: ['trusted'], message: 'applies to an IP ranges location only: countries cannot be marked trusted' });
        }
        return problems;
      },
    },
  ],
};

/** Problems of a named location's props (paths relative to them). */
export function namedLocationProblems(props: NamedLocationProps, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  return runRules(NAMED_LOCATION_RULES, props, isUnresolved);
}
