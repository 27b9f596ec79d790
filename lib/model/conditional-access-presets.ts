/**
 * Conditional access presets: starting values for policies platform teams keep beside the
 * manual's MFA Pilot. A preset is the props it stands for, shown in the docs and the review; the
 * entry's own settings replace the preset's (key by key, at the top level), so nothing is hidden.
 * Every preset starts report-only, as Microsoft advises for any new policy.
 */
import { withGraphNames, type ConditionalAccessPolicyProps } from './conditional-access-policy';

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

/**
 * The directory roles of Microsoft's "Require phishing-resistant multifactor authentication for
 * administrators" policy, by display name; their template IDs come from Microsoft's list of
 * built-in roles (lib/model/data/directory-roles.json).
 */
export const ADMINISTRATOR_ROLES = [
  'Global Administrator',
  'Application Administrator',
  'Authentication Administrator',
  'Billing Administrator',
  'Cloud Application Administrator',
  'Conditional Access Administrator',
  'Exchange Administrator',
  'Helpdesk Administrator',
  'Password Administrator',
  'Privileged Authentication Administrator',
  'Privileged Role Administrator',
  'Security Administrator',
  'SharePoint Administrator',
  'User Administrator',
] as const;

/** Template IDs of `ADMINISTRATOR_ROLES`, in the same order (a test checks them against the role list). */
export const ADMINISTRATOR_ROLE_IDS: readonly string[] = [
  '62e90394-69f5-4237-9190-012177145e10',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  '158c047a-c907-4556-b7ef-446551a6b5f7',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  '29232cdf-9323-42fd-ade2-1d097af3e4de',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  '966707d0-3269-4727-9be2-8c3a10f19b9d',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  'e8611ab8-c189-46e8-94e1-60213ab1f814',
  '194ae4cb-b126-40b2-bd5b-6091b380977d',
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  'fe930be7-5e62-47db-91af-98c3a49a38b1',
];

/** The presets, by name. */
export const CONDITIONAL_ACCESS_PRESETS = {
  mfaPilot: {
    summary: "The manual's policy: require MFA of the members of MFA-Test-Group for Microsoft Azure Management.",
    source: 'Pandora FMS / Integria IMS manual, "Doble autenticación en Azure"',
    needs: [],
    policy: { displayName: 'MFA Pilot', group: { create: { displayName: 'MFA-Test-Group' } }, includeApplications: ['MicrosoftAzureManagement'], grant: { mfa: true } },
  },
  blockLegacyAuthentication: {
    summary: 'Block Exchange ActiveSync and other legacy clients (basic-auth IMAP, POP, SMTP), which cannot do MFA and are what OAuth mail replaces.',
    source: 'Microsoft Learn, "Block legacy authentication" (Conditional Access common policies); CISA SCuBA MS.AAD.1.1',
    needs: [],
    policy: { displayName: 'Block legacy authentication', includeUsers: ['All'], includeApplications: ['All'], clientAppTypes: ['exchangeActiveSync', 'other'], grant: { block: true } },
  },
  requireMfaForSecurityInfoRegistration: {
    summary: 'Require MFA to register security information (authentication methods), so a stolen password cannot register an attacker’s method.',
    source: 'Microsoft Learn, "Require multifactor authentication for security info registration" (Conditional Access common policies)',
    needs: [],
    policy: { displayName: 'Require MFA to register security info', includeUsers: ['All'], includeUserActions: ['registerSecurityInformation'], grant: { mfa: true } },
  },
  blockDeviceCodeFlow: {
    summary: 'Block the device code flow, a phishing vector, for every user and resource.',
    source: 'Microsoft Learn, "Block authentication flows with Conditional Access policy" (device code flow)',
    needs: [],
    policy: { displayName: 'Block device code flow', includeUsers: ['All'], includeApplications: ['All'], authenticationFlows: ['deviceCodeFlow'], grant: { block: true } },
  },
  restrictServicePrincipalToLocations: {
    summary: "Block the ITSM tool's service principal (app-only flow) outside its named locations, so a leaked client secret is useless elsewhere.",
    source: 'Microsoft Learn, "Conditional Access for workload identities" (block outside known locations)',
    requires: 'Microsoft Entra Workload ID Premium licences',
    needs: ['includeServicePrincipals', 'excludeLocations'],
    policy: { displayName: 'Restrict the ITSM service principal to its locations', includeApplications: ['All'], includeLocations: ['All'], grant: { block: true } },
  },
  requirePhishingResistantMfaForAdmins: {
    summary: 'Require phishing-resistant MFA (FIDO2, Windows Hello, certificate) of the administrator roles, for every resource.',
    source: 'Microsoft Learn, "Require phishing-resistant multifactor authentication for administrators"; CISA SCuBA MS.AAD.3.6',
    needs: [],
    policy: { displayName: 'Require phishing-resistant MFA for administrators', includeRoles: [...ADMINISTRATOR_ROLE_IDS], includeApplications: ['All'], grant: { authenticationStrength: 'phishingResistantMfa' } },
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
