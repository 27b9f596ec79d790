/**
 * Conditional access presets: starting values for policies platform teams keep beside the
 * manual's MFA Pilot. A preset is the props it stands for, shown in the docs and the review; the
 * entry's own settings replace the preset's (key by key, at the top level), so nothing is hidden.
 * Every preset starts report-only, as Microsoft advises for any new policy.
 */
import { FORMER_POLICY_KEYS, withGraphNames, type ConditionalAccessPolicyProps } from './conditional-access-policy';
import administratorRoles from './data/administrator-roles.json';
import { directoryRoleIdByName } from './ids';
import type { Problem } from './problem';

/** What a preset is, where it comes from, and what the user must add to it. */
export interface ConditionalAccessPreset {
  /** What the policy does, in a sentence. */
  readonly summary: string;
  /** Where the policy comes from. */
  readonly source: string;
  /** Licences or roles beyond Entra ID P1 that the policy needs, when any. */
  readonly requires?: string;
  /** Settings the entry must give itself (the preset cannot know them). */
  readonly needs: readonly (keyof ConditionalAccessPolicyProps)[];
  /** The preset's settings. */
  readonly policy: ConditionalAccessPolicyProps;
}

/** A list of directory roles as one source gives it, with where and when it was read. */
export interface RoleListSource {
  readonly title: string;
  readonly url: string;
  /** The file read (repository and path) and its commit. */
  readonly file: string;
  readonly commit: string;
  /** The date the source was read (YYYY-MM-DD). */
  readonly read: string;
  readonly documentDate?: string;
  readonly license: string;
  /** The roles, by display name as Microsoft's list of built-in roles spells them. */
  readonly roles: readonly string[];
}

/**
 * The sources the preset `requirePhishingResistantMfaForAdmins` cites, each with its list of
 * roles (lib/model/data/administrator-roles.json, with provenance).
 */
export const ADMINISTRATOR_ROLE_SOURCES: { readonly microsoft: RoleListSource; readonly cisa: RoleListSource } = administratorRoles.sources;

/**
 * The directory roles of the preset: every role of every cited source, Microsoft's list first
 * (in its order), then the roles only CISA lists.
 */
export const ADMINISTRATOR_ROLES: readonly string[] = [...new Set([...ADMINISTRATOR_ROLE_SOURCES.microsoft.roles, ...ADMINISTRATOR_ROLE_SOURCES.cisa.roles])];

/** Template IDs of `ADMINISTRATOR_ROLES`, in the same order, from Microsoft's list of built-in roles. */
export const ADMINISTRATOR_ROLE_IDS: readonly string[] = ADMINISTRATOR_ROLES.map((name) => {
  const id = directoryRoleIdByName(name);
  if (id === undefined) throw new Error(`lib/model/data/administrator-roles.json names "${name}", which lib/model/data/directory-roles.json does not list`);
  return id;
});

/** The presets, by name. */
export const CONDITIONAL_ACCESS_PRESETS = {
  mfaPilot: {
    summary: "The manual's policy: require MFA of the members of MFA-Test-Group for Microsoft Azure Management.",
    source: 'Pandora FMS / Integria IMS manual, "Doble autenticación en Azure"',
    needs: [],
    policy: {
      displayName: 'MFA Pilot',
      group: { create: { displayName: 'MFA-Test-Group' } },
      includeApplications: ['MicrosoftAzureManagement'],
      grant: { mfa: true },
    },
  },
  blockLegacyAuthentication: {
    summary: 'Block Exchange ActiveSync and other legacy clients (basic-auth IMAP, POP, SMTP), which cannot do MFA and are what OAuth mail replaces.',
    source: 'Microsoft Learn, "Block legacy authentication" (Conditional Access common policies); CISA SCuBA MS.AAD.1.1',
    needs: [],
    policy: {
      displayName: 'Block legacy authentication',
      includeUsers: ['All'],
      includeApplications: ['All'],
      clientAppTypes: ['exchangeActiveSync', 'other'],
      grant: { block: true },
    },
  },
  requireMfaForSecurityInfoRegistration: {
    summary: 'Require MFA to register security information (authentication methods), so a stolen password cannot register an attacker’s method.',
    source: 'Microsoft Learn, "Require multifactor authentication for security info registration" (Conditional Access common policies)',
    needs: [],
    policy: {
      displayName: 'Require MFA to register security info',
      includeUsers: ['All'],
      includeUserActions: ['registerSecurityInformation'],
      grant: { mfa: true },
    },
  },
  blockDeviceCodeFlow: {
    summary: 'Block the device code flow, a phishing vector, for every user and resource.',
    source: 'Microsoft Learn, "Block authentication flows with Conditional Access policy" (device code flow)',
    needs: [],
    policy: {
      displayName: 'Block device code flow',
      includeUsers: ['All'],
      includeApplications: ['All'],
      authenticationFlows: ['deviceCodeFlow'],
      grant: { block: true },
    },
  },
  restrictServicePrincipalToLocations: {
    summary: "Block the ITSM tool's service principal (app-only flow) outside its named locations, so a leaked client secret is useless elsewhere.",
    source: 'Microsoft Learn, "Conditional Access for workload identities" (block outside known locations)',
    requires: 'Microsoft Entra Workload ID Premium licences',
    needs: ['includeServicePrincipals', 'excludeLocations'],
    policy: {
      displayName: 'Restrict the ITSM service principal to its locations',
      includeApplications: ['All'],
      includeLocations: ['All'],
      grant: { block: true },
    },
  },
  requirePhishingResistantMfaForAdmins: {
    summary: 'Require phishing-resistant MFA (FIDO2, Windows Hello, certificate) of the administrator roles Microsoft and CISA list, for every resource.',
    source: `Microsoft Learn, "Require phishing-resistant multifactor authentication for administrators" (${ADMINISTRATOR_ROLE_SOURCES.microsoft.roles.length} roles, read ${ADMINISTRATOR_ROLE_SOURCES.microsoft.read}); CISA SCuBA MS.AAD.3.6 (its ${ADMINISTRATOR_ROLE_SOURCES.cisa.roles.length} highly privileged roles, read ${ADMINISTRATOR_ROLE_SOURCES.cisa.read})`,
    needs: [],
    policy: {
      displayName: 'Require phishing-resistant MFA for administrators',
      includeRoles: [...ADMINISTRATOR_ROLE_IDS],
      includeApplications: ['All'],
      grant: { authenticationStrength: 'phishingResistantMfa' },
    },
  },
} as const satisfies Record<string, ConditionalAccessPreset>;

/** A preset's name. */
export type ConditionalAccessPresetName = keyof typeof CONDITIONAL_ACCESS_PRESETS;
/** The presets' names, in the order of the docs. */
export const PRESET_NAMES = Object.keys(CONDITIONAL_ACCESS_PRESETS) as ConditionalAccessPresetName[];

/** A policy of a tenant's set: a preset and the settings that replace its own, or settings alone. */
export interface ConditionalAccessPolicyEntry extends ConditionalAccessPolicyProps {
  /**
   * Start from this preset; every setting given here replaces the preset's.
   * @default - none: the settings alone (the defaults are the manual's MFA Pilot)
   */
  readonly preset?: ConditionalAccessPresetName;
}

/** The policy's props: the preset's settings, then the entry's own, key by key. */
export function expandPolicyEntry(entry: ConditionalAccessPolicyEntry): ConditionalAccessPolicyProps {
  const { preset, ...own } = entry;
  if (preset === undefined) return withGraphNames(own);
  const base = (CONDITIONAL_ACCESS_PRESETS as Record<string, ConditionalAccessPreset | undefined>)[preset]?.policy ?? {};
  // A setting given under its former name replaces the preset's under Graph's name.
  return { ...base, ...withGraphNames(own) };
}

/** The lists that say whom a policy applies to, and to what. */
const USER_TARGETS: readonly (keyof ConditionalAccessPolicyProps)[] = ['includeUsers', 'includeGroups', 'includeRoles', 'includeServicePrincipals'];
const RESOURCE_TARGETS: readonly (keyof ConditionalAccessPolicyProps)[] = ['includeApplications', 'includeUserActions'];

/** What the policy falls back to when a list the preset sets is left empty, in words. */
const EMPTIED_LIST_FALLBACK: Readonly<Partial<Record<keyof ConditionalAccessPolicyProps, string>>> = {
  includeUsers: "with no other user, group or role left it falls back to the manual's target: a new security group MFA-Test-Group",
  includeGroups: "with no other user, group or role left it falls back to the manual's target: a new security group MFA-Test-Group",
  includeRoles: "with no other user, group or role left it falls back to the manual's target: a new security group MFA-Test-Group",
  includeServicePrincipals: 'it then targets users instead of the service principal',
  includeApplications: "it falls back to the manual's resource, Microsoft Azure Management",
  clientAppTypes: 'it falls back to every client app, not only the ones the preset names',
  authenticationFlows: 'it then applies to every sign-in, not only to the flows the preset names',
  includeLocations: 'it then applies in every location',
  includeUserActions: "it then applies to resources (the manual's Microsoft Azure Management) instead of the user action",
};

/**
 * An entry that sets a list of its preset to `[]` with nothing in its place (no other user, group,
 * role or service principal for a user target; no other resource or user action for a resource):
 * an empty list does not remove the preset's target or condition, it leaves the policy without it,
 * and the defaults then make it another policy (a new group, another resource, every client).
 * Refused, with what it would become.
 */
export function emptiedPresetListProblems(entry: ConditionalAccessPolicyEntry): Problem[] {
  if (entry.preset === undefined) return [];
  const preset = (CONDITIONAL_ACCESS_PRESETS as Record<string, ConditionalAccessPreset | undefined>)[entry.preset];
  if (!preset) return [];
  const merged = expandPolicyEntry(entry);
  const nonEmpty = (k: keyof ConditionalAccessPolicyProps) => Array.isArray(merged[k]) && (merged[k] as readonly unknown[]).length > 0;
  // Another target in its place keeps the policy what the entry says: only a target left with nothing is refused.
  const replaced = (key: keyof ConditionalAccessPolicyProps) =>
    USER_TARGETS.includes(key)
      ? USER_TARGETS.some(nonEmpty) || merged.group !== undefined || merged.includeGuestsOrExternalUsers !== undefined
      : RESOURCE_TARGETS.includes(key) && RESOURCE_TARGETS.some(nonEmpty);
  // The entry's settings under Graph's names (applications → includeApplications), as the preset's are.
  const { preset: _name, ...given } = entry;
  const own = withGraphNames(given);
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(preset.policy) as [keyof ConditionalAccessPolicyProps, unknown][]) {
    const ownList = own[key];
    if (!Array.isArray(value) || value.length === 0 || !Array.isArray(ownList) || ownList.length > 0 || replaced(key)) continue;
    // Named as the entry writes it (a former name such as applications is still read).
    const written = Object.entries(FORMER_POLICY_KEYS).find(([from, to]) => to === key && (entry as Record<string, unknown>)[from] !== undefined)?.[0] ?? key;
    const shown = value.length <= 3 ? `[${value.join(', ')}]` : `${value.length} entries`;
    const fallback = EMPTIED_LIST_FALLBACK[key] ?? 'the policy loses that condition';
    problems.push({
      path: [key],
      message: `is empty, but the preset ${entry.preset} sets it (${shown}): an empty list does not narrow the preset, it leaves the policy without it, and ${fallback}, another policy than "${preset.summary}" List what the policy should apply to, leave ${written} out to keep the preset's, or drop the preset and write the policy in full`,
    });
  }
  return problems;
}
