/**
 * The values `azuread_conditional_access_policy` accepts, as the azuread provider v3.7.0 validates
 * them (`validation.StringInSlice(..., false)`: case-sensitive) with the `PossibleValuesFor...`
 * lists of hashicorp/go-azure-sdk `microsoft-graph/common-types/stable`. The provider's
 * documentation also lists `unknownFutureValue` in places; its code rejects it, and so do we.
 *
 * Every list is `as const` so its type is derived from it: the type and the runtime check can
 * never disagree.
 */

import { AZURE_MANAGEMENT } from './ids';
export { UNKNOWN_FUTURE_VALUE } from './ids';

/** `state` of a policy as the provider and Graph spell it. */
export const POLICY_STATES = ['enabled', 'disabled', 'enabledForReportingButNotEnforced'] as const;
/** `state` of a policy as the provider and Graph spell it. */
export type PolicyState = (typeof POLICY_STATES)[number];

/** The portal's "Enable policy" switch, in the words an admin knows. */
export const POLICY_STATE_WORDS = ['reportOnly', 'on', 'off'] as const;
/**
 * The portal's "Enable policy" switch: `reportOnly` (evaluated and logged, never enforced), `on`
 * (enforced) or `off`.
 */
export type PolicyStateWord = (typeof POLICY_STATE_WORDS)[number];

/** The provider value for each word of the portal's "Enable policy" switch. */
export const PROVIDER_POLICY_STATE: Readonly<Record<PolicyStateWord, PolicyState>> = {
  reportOnly: 'enabledForReportingButNotEnforced',
  on: 'enabled',
  off: 'disabled',
};

/** `conditions.client_app_types`: the portal's "Client apps" condition. */
export const CLIENT_APP_TYPES = ['all', 'browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'easSupported', 'other'] as const;
/** One of the portal's "Client apps": `all`, `browser`, `mobileAppsAndDesktopClients`, `exchangeActiveSync`, `easSupported`, `other`. */
export type ClientAppType = (typeof CLIENT_APP_TYPES)[number];

/** `grant_controls.built_in_controls`: the portal's "Grant" check boxes. */
export const BUILT_IN_CONTROLS = [
  'block',
  'mfa',
  'compliantDevice',
  'domainJoinedDevice',
  'approvedApplication',
  'compliantApplication',
  'passwordChange',
] as const;
/** One of the portal's "Grant" check boxes, as Graph spells it. */
export type BuiltInControl = (typeof BUILT_IN_CONTROLS)[number];

/**
 * The grant controls an MFA policy may offer besides MFA. `block` turns the policy into a block
 * policy (a lockout risk, not an MFA policy); `mfa` has its own switch; `passwordChange` only works
 * in a user-risk policy for all resources (a different policy).
 */
export const ADDITIONAL_GRANT_CONTROLS = ['compliantDevice', 'domainJoinedDevice', 'compliantApplication', 'passwordChange'] as const;
/**
 * A grant control besides MFA: "Require device to be marked as compliant" (`compliantDevice`),
 * "Require Microsoft Entra hybrid joined device" (`domainJoinedDevice`), "Require app protection
 * policy" (`compliantApplication`), "Require password change" (`passwordChange`, only with MFA,
 * operator AND, a user risk condition and all resources). "Require approved client app"
 * (`approvedApplication`) is retired by Microsoft and refused.
 */
export type AdditionalGrantControl = (typeof ADDITIONAL_GRANT_CONTROLS)[number];

/** `grant_controls.operator`: "Require all the selected controls" (AND) or "Require one of the selected controls" (OR). */
export const GRANT_OPERATORS = ['AND', 'OR'] as const;
/** `AND`: require all the selected controls; `OR`: require one of them. */
export type GrantOperator = (typeof GRANT_OPERATORS)[number];

/** Sign-in, user and service-principal risk levels (Microsoft Entra ID Protection, P2 licence). */
export const RISK_LEVELS = ['low', 'medium', 'high', 'hidden', 'none'] as const;
/** A risk level of Microsoft Entra ID Protection. */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** `conditions.insider_risk_levels` (Microsoft Purview Insider Risk Management): one level, a string in the provider. */
export const INSIDER_RISK_LEVELS = ['minor', 'moderate', 'elevated'] as const;
/** An insider risk level. */
export type InsiderRiskLevel = (typeof INSIDER_RISK_LEVELS)[number];

/** `guest_or_external_user_types`, in the order Graph returns them (the provider sends them joined by commas). */
export const GUEST_OR_EXTERNAL_USER_TYPES = [
  'internalGuest',
  'b2bCollaborationGuest',
  'b2bCollaborationMember',
  'b2bDirectConnectUser',
  'otherExternalUser',
  'serviceProvider',
] as const;
/** A kind of guest or external user, as the portal lists them under "Guest or external users". */
export type GuestOrExternalUserType = (typeof GUEST_OR_EXTERNAL_USER_TYPES)[number];
/** The portal's words for each kind (Users > Include > Guest or external users). */
export const GUEST_OR_EXTERNAL_USER_TYPE_WORDS: Readonly<Record<GuestOrExternalUserType, string>> = {
  internalGuest: 'local guest users',
  b2bCollaborationGuest: 'B2B collaboration guest users',
  b2bCollaborationMember: 'B2B collaboration member users',
  b2bDirectConnectUser: 'B2B direct connect users',
  otherExternalUser: 'other external users',
  serviceProvider: 'service provider users',
};

/** `conditions.authentication_flow_transfer_methods`: the portal's "Authentication flows" condition. */
export const AUTHENTICATION_FLOWS = ['deviceCodeFlow', 'authenticationTransfer'] as const;
/** `deviceCodeFlow` or `authenticationTransfer`. */
export type AuthenticationFlow = (typeof AUTHENTICATION_FLOWS)[number];

/** "User actions" the portal offers instead of target resources, by name, with the value Graph takes. */
export const USER_ACTIONS = {
  registerSecurityInformation: 'urn:user:registersecurityinfo',
  registerOrJoinDevices: 'urn:user:registerdevice',
} as const;
/** What each user action is, in the portal's words (Target resources > User actions), by Graph's value. */
export const USER_ACTION_WORDS: Readonly<Record<(typeof USER_ACTIONS)[keyof typeof USER_ACTIONS], string>> = {
  'urn:user:registersecurityinfo': 'register security information',
  'urn:user:registerdevice': 'register or join devices',
};
/** `registerSecurityInformation` or `registerOrJoinDevices`. */
export type UserAction = keyof typeof USER_ACTIONS;

/** Keywords among named location IDs in `included_locations` / `excluded_locations`. */
export const LOCATION_KEYWORDS = ['All', 'AllTrusted'] as const;
/** Keyword among service principal IDs in `included_service_principals`. */
export const SERVICE_PRINCIPAL_KEYWORD = 'ServicePrincipalsInMyTenant';

/** `filter.mode` of a device or service principal filter. */
export const FILTER_MODES = ['include', 'exclude'] as const;
/** `include` or `exclude`. */
export type FilterMode = (typeof FILTER_MODES)[number];

/** `session_controls.cloud_app_security_policy` ("Use Conditional Access App Control"). */
export const CLOUD_APP_SECURITY_POLICIES = ['monitorOnly', 'blockDownloads', 'mcasConfigured'] as const;
/** `monitorOnly`, `blockDownloads` or `mcasConfigured`. */
export type CloudAppSecurityPolicy = (typeof CLOUD_APP_SECURITY_POLICIES)[number];

/** `session_controls.persistent_browser_mode` ("Persistent browser session"). */
export const PERSISTENT_BROWSER_MODES = ['always', 'never'] as const;
/** `always` or `never`. */
export type PersistentBrowserMode = (typeof PERSISTENT_BROWSER_MODES)[number];

/** `session_controls.sign_in_frequency_authentication_type`. */
export const SIGN_IN_FREQUENCY_AUTHENTICATION_TYPES = ['primaryAndSecondaryAuthentication', 'secondaryAuthentication'] as const;
/** Which factors sign-in frequency asks again: both (`primaryAndSecondaryAuthentication`) or the second only. */
export type SignInFrequencyAuthenticationType = (typeof SIGN_IN_FREQUENCY_AUTHENTICATION_TYPES)[number];

/** `conditions.platforms`: the portal's "Device platforms" condition. */
export const DEVICE_PLATFORMS = ['all', 'android', 'iOS', 'linux', 'macOS', 'windows', 'windowsPhone'] as const;
/** One of the portal's "Device platforms". */
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

/** Keywords Graph accepts among user object IDs in `included_users` / `excluded_users`. */
export const USER_KEYWORDS = ['All', 'None', 'GuestsOrExternalUsers'] as const;
/** `All` (all users), `None`, or `GuestsOrExternalUsers`. */
export type UserKeyword = (typeof USER_KEYWORDS)[number];

/** Keywords Graph accepts among client IDs in `included_applications` / `excluded_applications`. */
export const APPLICATION_KEYWORDS = ['All', 'None', 'Office365', 'MicrosoftAdminPortals'] as const;
/** `All` (all resources), `None`, `Office365`, or `MicrosoftAdminPortals`. */
export type ApplicationKeyword = (typeof APPLICATION_KEYWORDS)[number];

/**
 * Friendly names this library accepts for well-known first-party applications, with the client ID
 * they stand for. Graph itself only takes the client ID.
 */
export const APPLICATION_ALIASES = {
  /**
   * "Microsoft Azure Management" in the conditional access app picker, the manual's choice: the
   * Windows Azure Service Management API (Azure portal, Azure CLI, Azure PowerShell, ARM).
   */
  MicrosoftAzureManagement: {
    clientId: AZURE_MANAGEMENT.clientId,
    displayNames: ['Microsoft Azure Management', AZURE_MANAGEMENT.displayName],
  },
} as const;
/** A friendly name this library maps to a first-party client ID. */
export type ApplicationAlias = keyof typeof APPLICATION_ALIASES;

/** Display names admins type for the Graph keywords, so an error can name the keyword to use. */
export const APPLICATION_KEYWORD_DISPLAY_NAMES: Readonly<Record<ApplicationKeyword, readonly string[]>> = {
  All: ['All cloud apps', 'All resources', 'All apps'],
  None: ['No resources'],
  Office365: ['Office 365'],
  MicrosoftAdminPortals: ['Microsoft Admin Portals'],
};

/** Prefix of an authentication strength policy ID, as `authentication_strength_policy_id` takes it. */
export const AUTHENTICATION_STRENGTH_ID_PREFIX = '/policies/authenticationStrengthPolicies/';

/**
 * Microsoft's built-in authentication strengths (the same IDs in every tenant), by the name this
 * library gives them. Phishing-resistant MFA is the CISA SCuBA MS.AAD.3.1 target.
 */
export const BUILT_IN_AUTHENTICATION_STRENGTHS = {
  multifactor: { policyId: `${AUTHENTICATION_STRENGTH_ID_PREFIX}00000000-0000-0000-0000-000000000002`, displayName: 'Multifactor authentication' },
  passwordlessMfa: { policyId: `${AUTHENTICATION_STRENGTH_ID_PREFIX}00000000-0000-0000-0000-000000000003`, displayName: 'Passwordless MFA' },
  phishingResistantMfa: { policyId: `${AUTHENTICATION_STRENGTH_ID_PREFIX}00000000-0000-0000-0000-000000000004`, displayName: 'Phishing-resistant MFA' },
} as const;
/** `multifactor`, `passwordlessMfa` or `phishingResistantMfa`. */
export type BuiltInAuthenticationStrength = keyof typeof BUILT_IN_AUTHENTICATION_STRENGTHS;

/** `session_controls.sign_in_frequency_period`. */
export const SIGN_IN_FREQUENCY_UNITS = ['hours', 'days'] as const;
/** `hours` or `days`. */
export type SignInFrequencyUnit = (typeof SIGN_IN_FREQUENCY_UNITS)[number];
/** The range the portal offers for each sign-in frequency unit. */
export const SIGN_IN_FREQUENCY_RANGE: Readonly<Record<SignInFrequencyUnit, { readonly min: number; readonly max: number }>> = {
  hours: { min: 1, max: 23 },
  days: { min: 1, max: 365 },
};

/** The defaults of the manual's policy ("Doble autenticación en Azure"). */
export const MANUAL_DEFAULTS = {
  policyDisplayName: 'MFA Pilot',
  groupDisplayName: 'MFA-Test-Group',
} as const;
