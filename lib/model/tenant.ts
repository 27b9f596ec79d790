/**
 * A tenant's conditional access: the policy set and the named locations it uses, declared once per
 * tenant however many environments use it, in a stack of its own (`tenant-<name>`). The model
 * behind the config's `tenants.<name>` section and the `TenantStack` (`lib/stack/tenant-stack.ts`).
 */
import { ENVIRONMENT_REFERENCE, NAMED_LOCATION_KEY } from './conditional-access-lists';
import {
  atFormerNames,
  conditionalAccessPolicyProblems,
  formerNameProblems,
  CONDITIONAL_ACCESS_POLICY_DEFAULTS,
  policyGroup,
  type ConditionalAccessPolicyProps,
} from './conditional-access-policy';
import {
  emptiedPresetListProblems,
  expandPolicyEntry,
  CONDITIONAL_ACCESS_PRESETS,
  PRESET_NAMES,
  type ConditionalAccessPolicyEntry,
  type ConditionalAccessPreset,
} from './conditional-access-presets';
import { LOCATION_KEYWORDS } from './conditional-access-values';
import { isUuid } from './ids';
import { MAX_IP_NAMED_LOCATIONS, namedLocationProblems, type NamedLocationProps } from './named-location';
import { NOTHING_UNRESOLVED, show, type IsUnresolved, type Problem } from './problem';
import { eachEntry, runRules, type RuleSet } from './rules';
import { STACK_RULES, type ItsmMailStackProps } from './stack';
import { lookAlikeNote, sameDisplayName } from './text';
import { didYouMean } from '../private/did-you-mean';

/** The config's `tenants.<name>` section and the props of a tenant's conditional access. */
export interface TenantProps extends ItsmMailStackProps {
  /**
   * Named locations, by a key the policies use (`includeLocations: [itsm-server]`).
   * @default {}
   */
  readonly namedLocations?: Readonly<Record<string, NamedLocationProps>>;
  /**
   * The tenant's conditional access policies, by a key that is part of their Terraform address
   * (renaming a key replaces the policy). Each is a preset with changes, or settings alone.
   * @default {}
   */
  readonly conditionalAccessPolicies?: Readonly<Record<string, ConditionalAccessPolicyEntry>>;
}

/** What a key of namedLocations or conditionalAccessPolicies may look like: part of a Terraform address. */
export const TENANT_KEY = NAMED_LOCATION_KEY;

/** The tenant's rules, one entry per field, and those across fields. */
export const TENANT_RULES: RuleSet<TenantProps> = {
  fields: {
    tenantId: STACK_RULES.fields.tenantId,
    provider: STACK_RULES.fields.provider,
    backend: STACK_RULES.fields.backend,
    namedLocations: eachEntry(
      (loc: NamedLocationProps, key, u) => [...keyProblems(key, 'named location'), ...namedLocationProblems(loc, u)],
      (p) => p.namedLocations,
    ),
    conditionalAccessPolicies: eachEntry(
      (entry: ConditionalAccessPolicyEntry, key, u) => [...keyProblems(key, 'policy'), ...policyEntryProblems(entry, u)],
      (p) => p.conditionalAccessPolicies,
    ),
  },
  across: [
    { reads: ['namedLocations'], check: (p) => locationNameProblems(p) },
    { reads: ['namedLocations'], check: (p) => ipLocationCountProblems(p) },
    { reads: ['namedLocations', 'conditionalAccessPolicies'], check: (p, u) => locationReferenceProblems(p, u) },
    { reads: ['conditionalAccessPolicies'], check: (p) => duplicateNameProblems(p) },
  ],
};

/** Every problem of a tenant's props, paths relative to the section. */
export function tenantProblems(props: TenantProps, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  return runRules(TENANT_RULES, props, isUnresolved);
}

/** A policy entry: its preset exists, the settings the preset needs are given, and the policy's own rules. */
export function policyEntryProblems(entry: ConditionalAccessPolicyEntry, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  const problems: Problem[] = [];
  if (entry.preset !== undefined) {
    const preset = (CONDITIONAL_ACCESS_PRESETS as Record<string, ConditionalAccessPreset | undefined>)[entry.preset];
    if (!preset) {
      const hint = didYouMean(entry.preset, PRESET_NAMES);
      return [
        {
          path: ['preset'],
          message: `${show(entry.preset)} is not a preset${hint ? ` (did you mean "${hint}"?)` : ''}; the presets are ${PRESET_NAMES.join(', ')} (docs/conditional-access.md)`,
        },
      ];
    }
    for (const key of preset.needs) {
      const v = entry[key];
      if (v === undefined || (Array.isArray(v) && v.length === 0))
        problems.push({ path: [key], message: `is needed by the preset ${entry.preset}: ${preset.summary}` });
    }
    // Issue 21: a list of the preset set to [] would silently make another policy.
    const emptied = atFormerNames(emptiedPresetListProblems(entry), entry);
    if (emptied.length > 0) return [...problems, ...emptied];
  }
  return [...problems, ...formerNameProblems(entry), ...atFormerNames(conditionalAccessPolicyProblems(expandPolicyEntry(entry), isUnresolved), entry)];
}

function keyProblems(key: string, what: string): Problem[] {
  return TENANT_KEY.test(key)
    ? []
    : [
        {
          path: [],
          message: `${show(key)} cannot be the key of a ${what}: use lower-case letters, digits and hyphens, starting with a letter (it becomes part of the Terraform address)`,
        },
      ];
}

/**
 * Named locations of one display name in a tenant. An existing named location is read by its
 * display name (the data source filters on `displayName eq`, and fails when more than one matches):
 * a location declared here under the same name makes every plan after its creation fail. Two
 * declared ones cannot be told apart in the portal or in a policy's sign-in logs, and two existing
 * ones read the same location twice. Compared without regard to case, as Graph's filter.
 */
function locationNameProblems(p: TenantProps): Problem[] {
  const entries = Object.entries(p.namedLocations ?? {}).filter(([, l]) => typeof l?.displayName === 'string');
  const problems: Problem[] = [];
  entries.forEach(([key, loc], i) => {
    const same = (l: NamedLocationProps) => l.displayName.trim().toLowerCase() === loc.displayName.trim().toLowerCase();
    // Declared names that only read the same (look-alike characters) cannot be told apart either.
    const readsSame = (l: NamedLocationProps) => sameDisplayName(l.displayName, loc.displayName);
    if (loc.existing) {
      const declared = entries.find(([k, l]) => k !== key && !l.existing && same(l));
      const earlier = entries.slice(0, i).find(([, l]) => l.existing && same(l));
      if (declared) {
        problems.push({
          path: ['namedLocations', key, 'displayName'],
          message: `is also the display name of namedLocations.${declared[0]}, declared here: once it exists, the lookup by display name finds two named locations and every plan fails; name them apart, or drop existing and use ${declared[0]}`,
        });
      } else if (earlier) {
        problems.push({
          path: ['namedLocations', key, 'displayName'],
          message: `names the same existing location as namedLocations.${earlier[0]}: use that key in the policies and remove this one`,
        });
      }
      return;
    }
    const earlier = entries.slice(0, i).find(([, l]) => !l.existing && readsSame(l));
    if (earlier) {
      problems.push({
        path: ['namedLocations', key, 'displayName'],
        message: `is the display name of namedLocations.${earlier[0]} too${lookAlikeNote(loc.displayName, earlier[1].displayName)}: two named locations of one name cannot be told apart in the portal or the sign-in logs; give each its own name`,
      });
    }
  });
  return problems;
}

/** At most MAX_IP_NAMED_LOCATIONS IP ranges locations in a tenant (Entra ID's limit; see named-location.ts). */
function ipLocationCountProblems(p: TenantProps): Problem[] {
  const declared = Object.values(p.namedLocations ?? {}).filter((l) => l !== null && typeof l === 'object' && !l.existing && l.ipRanges !== undefined).length;
  if (declared <= MAX_IP_NAMED_LOCATIONS) return [];
  return [
    {
      path: ['namedLocations'],
      message: `declares ${declared} IP ranges locations; Entra ID holds no more than ${MAX_IP_NAMED_LOCATIONS} in a tenant (Microsoft Learn, "Conditional Access: Network assignment"), counting those made in the portal: put ranges together in fewer locations (each takes up to 2000 ranges)`,
    },
  ];
}

/** Location names in the policies must be keys of namedLocations (a deploy-time reference is an object ID). */
function locationReferenceProblems(p: TenantProps, isUnresolved: IsUnresolved): Problem[] {
  const keys = Object.keys(p.namedLocations ?? {});
  const problems: Problem[] = [];
  for (const [key, entry] of Object.entries(p.conditionalAccessPolicies ?? {})) {
    const policy = expandPolicyEntry(entry);
    for (const list of ['includeLocations', 'excludeLocations'] as const) {
      (policy[list] ?? []).forEach((v, i) => {
        if (isUnresolved(v) || isUuid(v) || (LOCATION_KEYWORDS as readonly string[]).includes(v) || keys.includes(v)) return;
        const hint = didYouMean(v, keys);
        problems.push({
          path: ['conditionalAccessPolicies', key, list, i],
          message: `${show(v)} is not a key of this tenant's namedLocations${hint ? ` (did you mean "${hint}"?)` : ''}; declared: ${keys.length > 0 ? keys.join(', ') : 'none'}`,
        });
      });
    }
  }
  return problems;
}

/**
 * Two policies of one name in a tenant cannot be told apart in the portal; two groups of one name
 * cannot both be created (the second fails the apply with preventDuplicateNames, the default).
 * Entra ID compares names without regard to case.
 */
function duplicateNameProblems(p: TenantProps): Problem[] {
  // Names are compared as they read (sameDisplayName): look-alike characters do not make two names.
  const seen: { readonly name: string; readonly key: string }[] = [];
  const groups: { readonly name: string; readonly key: string }[] = [];
  const problems: Problem[] = [];
  for (const [key, entry] of Object.entries(p.conditionalAccessPolicies ?? {})) {
    const policy = expandPolicyEntry(entry);
    const name = policy.displayName ?? CONDITIONAL_ACCESS_POLICY_DEFAULTS.displayName;
    const earlier = seen.find((s) => sameDisplayName(s.name, name));
    if (earlier !== undefined)
      problems.push({
        path: ['conditionalAccessPolicies', key, 'displayName'],
        message: `is the display name of policy ${show(earlier.key)} too${lookAlikeNote(name, earlier.name)}: give each policy its own name`,
      });
    else seen.push({ name, key });
    const group = policyGroup(policy);
    if (!group || !('create' in group)) continue;
    const groupName = group.create.displayName;
    const creator = groups.find((g) => sameDisplayName(g.name, groupName))?.key;
    if (creator !== undefined) {
      problems.push({
        path: ['conditionalAccessPolicies', key, 'group', 'create', 'displayName'],
        message: `${show(group.create.displayName)} is the name of the group policy ${show(creator)} creates too, and two groups of one name cannot both be created: give this group its own name, or target the existing group by group.existingObjectId`,
      });
    } else groups.push({ name: groupName, key });
  }
  return problems;
}

/** The environments a tenant's policies name (as service principals of their applications). */
export function environmentReferences(p: TenantProps): { readonly path: readonly (string | number)[]; readonly environment: string }[] {
  const out: { path: (string | number)[]; environment: string }[] = [];
  for (const [key, entry] of Object.entries(p.conditionalAccessPolicies ?? {})) {
    const policy: ConditionalAccessPolicyProps = expandPolicyEntry(entry);
    for (const list of ['includeServicePrincipals', 'excludeServicePrincipals'] as const) {
      (policy[list] ?? []).forEach((v, i) => {
        if (!isUuid(v) && ENVIRONMENT_REFERENCE.test(v)) out.push({ path: ['conditionalAccessPolicies', key, list, i], environment: v });
      });
    }
  }
  return out;
}

/** Construct ID of a named location in its tenant's stack (its Terraform address is `azuread_named_location.<id>`). */
export function locationConstructId(key: string): string {
  return `location-${key}`;
}

/** Construct ID of a policy in its tenant's stack (its Terraform address is `azuread_conditional_access_policy.<id>`). */
export function policyConstructId(key: string): string {
  return `policy-${key}`;
}

/** The top-level construct IDs a tenant's stack declares: a suppression's resource path starts with one. */
export function tenantConstructRoots(p: TenantProps): string[] {
  return [...Object.keys(p.namedLocations ?? {}).map(locationConstructId), ...Object.keys(p.conditionalAccessPolicies ?? {}).map(policyConstructId)].sort();
}

/** The stack of a tenant's conditional access: `tenant-<name>` (cdktf deploy tenant-<name>). */
export function tenantStackName(tenant: string): string {
  return `tenant-${tenant}`;
}

/** Tenants that state one tenant ID: a tenant's conditional access is declared once, in one stack. */
export function tenantsOfOneTenantId(
  tenants: readonly { readonly name: string; readonly tenantId?: string }[],
): { readonly name: string; readonly message: string }[] {
  const seen = new Map<string, string>();
  const out: { name: string; message: string }[] = [];
  for (const t of tenants) {
    if (t.tenantId === undefined) continue;
    const earlier = seen.get(t.tenantId.toLowerCase());
    if (earlier === undefined) seen.set(t.tenantId.toLowerCase(), t.name);
    else
      out.push({
        name: t.name,
        message: `is the tenantId of tenants.${earlier} too: a tenant's conditional access is declared once; merge the two tenants into one`,
      });
  }
  return out;
}
