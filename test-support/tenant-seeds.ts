import type { GraphConditionalAccessPolicy, GraphNamedLocation } from '../lib/adopt/portal';
import type { FakeTenant } from './fake-graph';
import { ADMIN_USER, BREAK_GLASS_GROUP, BREAK_GLASS_USER, HELPDESK_GROUP, seededTenant } from './portal-seeds';

/*
 * A tenant's conditional access as an admin team builds it in the portal over time, in the JSON
 * shapes of Graph v1.0 (`conditionalAccessPolicy`, `ipNamedLocation`, `countryNamedLocation`):
 * policies after Microsoft's templates (admins' MFA, legacy authentication, countries, compliant
 * devices, risk, workload identities, guests, security info registration, device code flow,
 * insider risk, session controls), every condition and control the project declares, and what it
 * cannot: an authentication context, token protection, risk remediation, strict-location CAE, a
 * copy of a policy under the same name, an enforced policy without an exclusion, a named location
 * of a type azuread does not declare. IDs are fixed and obviously fake (ad0b… prefixes).
 */

const id = (n: number, kind: 'ca' | 'loc'): string => `ad0b0000-0000-4000-8000-0000${kind === 'ca' ? 'c0' : '10'}${String(n).padStart(6, '0')}`;
export const policyId = (n: number) => id(n, 'ca');
export const locationId = (n: number) => id(n, 'loc');

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const SECURITY_ADMINISTRATOR = '194ae4cb-b126-40b2-bd5b-6091b380977d';
export const DIRECTORY_SYNCHRONIZATION_ACCOUNTS = 'd29b2b05-8046-44ba-8758-1e26182fcf32';
export const TERMS_OF_USE = 'ad0b0000-0000-4000-8000-00000000070e';
export const WORKLOAD_SP = 'ad0b0000-0000-4000-8000-0000000005b1';
export const MFA_STRENGTH = '00000000-0000-0000-0000-000000000002';
export const OFFICE365 = 'Office365';
/** A user a policy names that was deleted since (Graph has no such user). */
export const DELETED_USER = 'ad0b0000-0000-4000-8000-0000000de1e7';

/** Named locations: IPv4 and IPv6 ranges (trusted or not), countries by IP and by GPS, one of a type azuread lacks, one name twice. */
export const NAMED_LOCATIONS: GraphNamedLocation[] = [
  {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    id: locationId(1),
    displayName: 'HQ Madrid',
    isTrusted: true,
    ipRanges: [
      { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' },
      { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8:10::/48' },
    ],
  },
  {
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    id: locationId(2),
    displayName: 'Allowed countries',
    countriesAndRegions: ['ES', 'PT'],
    includeUnknownCountriesAndRegions: true,
    countryLookupMethod: 'clientIpAddress',
  },
  {
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    id: locationId(3),
    displayName: 'France (GPS)',
    countriesAndRegions: ['FR'],
    includeUnknownCountriesAndRegions: false,
    countryLookupMethod: 'authenticatorAppGps',
  },
  {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    id: locationId(4),
    displayName: 'Branch office',
    isTrusted: false,
    ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '198.51.100.16/28' }],
  },
  {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    id: locationId(5),
    displayName: '1st floor VPN',
    isTrusted: false,
    ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '192.0.2.0/24' }],
  },
  { '@odata.type': '#microsoft.graph.compliantNetworkNamedLocation', id: locationId(6), displayName: 'Compliant network' },
  {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    id: locationId(7),
    displayName: 'Branch office',
    isTrusted: false,
    ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '198.51.100.32/28' }],
  },
];

const users = (u: Partial<NonNullable<NonNullable<GraphConditionalAccessPolicy['conditions']>['users']>>) => ({
  includeUsers: [],
  excludeUsers: [],
  includeGroups: [],
  excludeGroups: [],
  includeRoles: [],
  excludeRoles: [],
  ...u,
});
const apps = (include: string[], more: Record<string, unknown> = {}) => ({
  includeApplications: include,
  excludeApplications: [],
  includeUserActions: [],
  includeAuthenticationContextClassReferences: [],
  ...more,
});
const grant = (builtInControls: string[], more: Record<string, unknown> = {}) => ({
  operator: 'OR',
  builtInControls,
  customAuthenticationFactors: [],
  termsOfUse: [],
  authenticationStrength: null,
  ...more,
});
const policy = (
  n: number,
  displayName: string,
  state: string,
  conditions: Record<string, unknown>,
  grantControls: unknown,
  sessionControls: unknown = null,
): GraphConditionalAccessPolicy =>
  ({
    id: policyId(n),
    templateId: null,
    displayName,
    createdDateTime: '2025-03-01T09:00:00Z',
    modifiedDateTime: null,
    state,
    conditions: {
      clientAppTypes: ['all'],
      signInRiskLevels: [],
      userRiskLevels: [],
      servicePrincipalRiskLevels: [],
      platforms: null,
      locations: null,
      devices: null,
      clientApplications: null,
      ...conditions,
    },
    grantControls,
    sessionControls,
  }) as GraphConditionalAccessPolicy;
const breakGlass = { excludeUsers: [BREAK_GLASS_USER], excludeGroups: [BREAK_GLASS_GROUP] };

/** The policies, in the order Graph returns them (not by name). */
export const POLICIES: GraphConditionalAccessPolicy[] = [
  policy(
    1,
    'Require MFA for admins',
    'enabled',
    { users: users({ includeRoles: [GLOBAL_ADMINISTRATOR, SECURITY_ADMINISTRATOR], ...breakGlass }), applications: apps(['All']) },
    grant(['mfa']),
    {
      persistentBrowser: { isEnabled: true, mode: 'never' },
      disableResilienceDefaults: true,
      signInFrequency: null,
      cloudAppSecurity: null,
      applicationEnforcedRestrictions: null,
    },
  ),
  policy(
    2,
    'Block legacy authentication',
    'enabled',
    { users: users({ includeUsers: ['All'], ...breakGlass }), applications: apps(['All']), clientAppTypes: ['exchangeActiveSync', 'other'] },
    grant(['block']),
  ),
  policy(
    3,
    'Require MFA outside trusted locations',
    'enabledForReportingButNotEnforced',
    {
      users: users({ includeUsers: ['All'], ...breakGlass }),
      applications: apps([OFFICE365]),
      locations: { includeLocations: ['All'], excludeLocations: [locationId(1), 'AllTrusted'] },
    },
    grant(['mfa']),
    {
      continuousAccessEvaluation: { mode: 'strictLocation' },
      signInFrequency: null,
      persistentBrowser: null,
      cloudAppSecurity: null,
      applicationEnforcedRestrictions: null,
      disableResilienceDefaults: null,
    },
  ),
  policy(
    4,
    'Block access outside allowed countries',
    'enabled',
    {
      users: users({ includeUsers: ['All'], ...breakGlass }),
      applications: apps(['All']),
      locations: { includeLocations: ['All'], excludeLocations: [locationId(2), locationId(3), locationId(6)] },
    },
    grant(['block']),
  ),
  policy(
    5,
    'Require compliant or hybrid joined device',
    'enabledForReportingButNotEnforced',
    {
      users: users({ includeGroups: [HELPDESK_GROUP], excludeRoles: [DIRECTORY_SYNCHRONIZATION_ACCOUNTS] }),
      applications: apps(['All'], { excludeApplications: ['MicrosoftAdminPortals'] }),
      platforms: { includePlatforms: ['all'], excludePlatforms: ['linux'] },
    },
    grant(['compliantDevice', 'domainJoinedDevice']),
  ),
  policy(
    6,
    'Sign-in risk requires MFA strength',
    'enabledForReportingButNotEnforced',
    { users: users({ includeUsers: ['All'], ...breakGlass }), applications: apps(['All']), signInRiskLevels: ['high', 'medium'] },
    grant([], { authenticationStrength: { id: MFA_STRENGTH, displayName: 'Multifactor authentication' } }),
    { signInFrequency: { isEnabled: true, type: null, value: null, frequencyInterval: 'everyTime', authenticationType: 'primaryAndSecondaryAuthentication' } },
  ),
  policy(
    7,
    'High user risk requires password change',
    'enabledForReportingButNotEnforced',
    { users: users({ includeUsers: ['All'], ...breakGlass }), applications: apps(['All']), userRiskLevels: ['high'] },
    grant(['mfa', 'passwordChange'], { operator: 'AND' }),
    { signInFrequency: { isEnabled: true, type: null, value: null, frequencyInterval: 'everyTime', authenticationType: 'primaryAndSecondaryAuthentication' } },
  ),
  policy(
    8,
    'Block risky workload identities',
    'enabledForReportingButNotEnforced',
    {
      users: users({ includeUsers: ['None'] }),
      applications: apps(['All']),
      clientApplications: {
        includeServicePrincipals: [WORKLOAD_SP],
        excludeServicePrincipals: [],
        servicePrincipalFilter: { mode: 'include', rule: 'CustomSecurityAttribute.Team_Name -eq "itsm"' },
      },
      servicePrincipalRiskLevels: ['high'],
    },
    grant(['block']),
  ),
  policy(
    9,
    'Guests accept terms of use',
    'enabledForReportingButNotEnforced',
    {
      users: users({
        includeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'b2bCollaborationGuest,b2bCollaborationMember',
          externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' },
        },
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: 'serviceProvider',
          externalTenants: {
            '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
            membershipKind: 'enumerated',
            members: ['3f2504e0-4f89-41d3-9a0c-0305e82c3301'],
          },
        },
      }),
      applications: apps(['All']),
    },
    grant([], { termsOfUse: [TERMS_OF_USE] }),
  ),
  policy(
    10,
    'Register security info from trusted locations',
    'enabledForReportingButNotEnforced',
    {
      users: users({ includeUsers: ['All'], ...breakGlass }),
      applications: apps([], { includeUserActions: ['urn:user:registersecurityinfo'] }),
      locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted', locationId(5)] },
    },
    grant(['mfa']),
  ),
  policy(
    11,
    'Session limits on unmanaged devices',
    'enabledForReportingButNotEnforced',
    {
      users: users({ includeUsers: ['All'], ...breakGlass }),
      applications: apps([OFFICE365]),
      devices: { deviceFilter: { mode: 'exclude', rule: 'device.isCompliant -eq True' } },
    },
    null,
    {
      signInFrequency: { isEnabled: true, type: 'hours', value: 8, frequencyInterval: 'timeBased', authenticationType: 'primaryAndSecondaryAuthentication' },
      persistentBrowser: null,
      cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'monitorOnly' },
      applicationEnforcedRestrictions: { isEnabled: true },
      disableResilienceDefaults: false,
    },
  ),
  policy(
    12,
    'Block device code flow',
    'enabledForReportingButNotEnforced',
    { users: users({ includeUsers: ['All'], ...breakGlass }), applications: apps(['All']), authenticationFlows: { transferMethods: 'deviceCodeFlow' } },
    grant(['block']),
  ),
  policy(
    13,
    'Block elevated insider risk',
    'enabledForReportingButNotEnforced',
    { users: users({ includeUsers: ['All'], ...breakGlass }), applications: apps(['All']), insiderRiskLevels: 'elevated' },
    grant(['block']),
  ),
  policy(
    14,
    'Token protection for Exchange Online',
    'enabledForReportingButNotEnforced',
    {
      users: users({ includeGroups: [HELPDESK_GROUP] }),
      applications: apps(['00000002-0000-0ff1-ce00-000000000000']),
      clientAppTypes: ['mobileAppsAndDesktopClients'],
      platforms: { includePlatforms: ['windows'], excludePlatforms: [] },
    },
    null,
    {
      secureSignInSession: { isEnabled: true },
      signInFrequency: null,
      persistentBrowser: null,
      cloudAppSecurity: null,
      applicationEnforcedRestrictions: null,
      disableResilienceDefaults: null,
    },
  ),
  policy(
    15,
    'Step-up for sensitive actions',
    'enabledForReportingButNotEnforced',
    { users: users({ includeUsers: ['All'], ...breakGlass }), applications: apps([], { includeAuthenticationContextClassReferences: ['c1'] }) },
    grant(['mfa']),
  ),
  policy(
    16,
    'High user risk requires risk remediation',
    'enabledForReportingButNotEnforced',
    { users: users({ includeUsers: ['All'], ...breakGlass }), applications: apps(['All']), userRiskLevels: ['high'] },
    grant(['riskRemediation'], { operator: 'AND', authenticationStrength: { id: MFA_STRENGTH, displayName: 'Multifactor authentication' } }),
    { signInFrequency: { isEnabled: true, type: null, value: null, frequencyInterval: 'everyTime', authenticationType: 'primaryAndSecondaryAuthentication' } },
  ),
  policy(
    17,
    'Require MFA for admins',
    'enabledForReportingButNotEnforced',
    { users: users({ includeRoles: [GLOBAL_ADMINISTRATOR], ...breakGlass }), applications: apps(['All']) },
    grant(['mfa']),
  ),
  policy(
    18,
    'Block legacy authentication for pilots',
    'enabled',
    { users: users({ includeGroups: [HELPDESK_GROUP] }), applications: apps(['All']), clientAppTypes: ['exchangeActiveSync', 'other'] },
    grant(['block']),
  ),
  policy(
    20,
    'Compliant device or MFA for two pilot users',
    'enabledForReportingButNotEnforced',
    { users: users({ includeUsers: [ADMIN_USER] }), applications: apps([OFFICE365]) },
    grant(['compliantDevice', 'mfa']),
  ),
  policy(
    19,
    'MFA for the branch office',
    'enabledForReportingButNotEnforced',
    {
      users: users({ includeUsers: ['All'], excludeUsers: [BREAK_GLASS_USER, DELETED_USER], excludeGroups: [BREAK_GLASS_GROUP] }),
      applications: apps([OFFICE365]),
      locations: { includeLocations: [locationId(4), locationId(7)], excludeLocations: [] },
    },
    grant(['mfa']),
  ),
];

/** The directory objects the policies name (the plan reads each through a data source): users, the break-glass group, the workload. */
function withDirectory(t: FakeTenant): FakeTenant {
  return {
    ...t,
    users: [
      { id: BREAK_GLASS_USER, displayName: 'Break glass 1' },
      { id: ADMIN_USER, displayName: 'Admin' },
    ],
    groups: [...t.groups, { id: BREAK_GLASS_GROUP, displayName: 'Break glass', securityEnabled: true, mailEnabled: false, groupTypes: [] }],
    servicePrincipals: [...t.servicePrincipals, { id: WORKLOAD_SP, appId: 'ad0b0000-0000-4000-8000-0000000005a1', displayName: 'ITSM sync' }],
  };
}

/** The seeded tenant of portal-seeds.ts with this conditional access. */
export function tenantWithConditionalAccess(): FakeTenant {
  const t = withDirectory(seededTenant());
  return { ...t, policies: POLICIES.map((p) => structuredClone(p)), namedLocations: NAMED_LOCATIONS.map((l) => structuredClone(l)) };
}

/**
 * The example of docs/adopt.md: the seeded tenant with six of these policies (admins' MFA with
 * session controls, legacy authentication, MFA outside trusted locations with strict-location CAE,
 * countries, risk remediation, an enforced policy without an exclusion) and four named locations.
 */
export function exampleTenant(): FakeTenant {
  const t = withDirectory(seededTenant());
  const policies = [1, 2, 3, 4, 16, 18].map((n) => structuredClone(POLICIES.find((p) => p.id === policyId(n))!));
  const namedLocations = [1, 2, 3, 6].map((n) => structuredClone(NAMED_LOCATIONS.find((l) => l.id === locationId(n))!));
  return { ...t, policies, namedLocations };
}
