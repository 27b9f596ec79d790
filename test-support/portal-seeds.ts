import { randomBytes } from 'node:crypto';
import type { GraphAppRole, GraphPermissionScope, GraphServicePrincipal } from '../lib/adopt/portal';
import { lookupPermission, type ApiName, type PermissionType } from '../lib/permissions/catalogue';
import type { FakeDeployer, FakeTenant } from './fake-graph';

/*
 * Tenants as the portal leaves them after someone followed the Pandora ITSM / Integria IMS manual,
 * in the JSON shapes of Microsoft Graph v1.0 (the resource pages' "JSON representation" and the
 * examples of their GET pages): what a portal-made registration carries, including what the portal
 * adds by itself (the Microsoft Graph User.Read delegated permission on every new registration,
 * an Enterprise application tagged WindowsAzureActiveDirectoryIntegratedApp, a grant whose scope
 * starts with a space). IDs are fixed and obviously fake (ad0b… prefixes); permission IDs are the
 * catalogue's, as a real tenant's Microsoft Graph and Exchange Online service principals have them.
 */

export const TENANT_ID = 'ad0b0000-0000-4000-8000-00000000aa01';
export const DEPLOYER: FakeDeployer & { readonly secret: string } = {
  clientId: 'ad0b0000-0000-4000-8000-0000000dc001',
  objectId: 'ad0b0000-0000-4000-8000-0000000d5001',
  secret: `Dep${randomBytes(1)[0] % 10}Q~${randomBytes(24).toString('base64url').slice(0, 34)}`,
  federatedSubjects: ['repo:contoso/itsm-mail:environment:prod'],
};
export const ADMIN_USER = 'ad0b0000-0000-4000-8000-0000000a0001';
export const BREAK_GLASS_USER = 'ad0b0000-0000-4000-8000-0000000bb001';
export const BREAK_GLASS_GROUP = 'ad0b0000-0000-4000-8000-0000000bb002';
export const HELPDESK_GROUP = 'ad0b0000-0000-4000-8000-00000000e001';

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const EXO_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
export const GRAPH_SP_ID = 'ad0b0000-0000-4000-8000-000000009001';
export const EXO_SP_ID = 'ad0b0000-0000-4000-8000-000000009002';
/** A third-party resource API the project does not request permissions of. */
export const OTHER_API_APP_ID = 'ad0b0000-0000-4000-8000-0000000c0a01';
export const OTHER_API_SP_ID = 'ad0b0000-0000-4000-8000-0000000c0a02';

/** A permission the tenant's Microsoft Graph service principal has but the catalogue does not know. */
export const UNKNOWN_SCOPE = { id: 'ad0b0000-0000-4000-8000-00000000f001', value: 'Mail.Future.Preview' };

const id = (api: ApiName, type: PermissionType, name: string): string => {
  const r = lookupPermission(api, type, name);
  if (!r.ok) throw new Error(r.message);
  return r.permission.id;
};
const scope = (api: ApiName, name: string): GraphPermissionScope => ({
  id: id(api, 'delegated', name),
  value: name,
  type: 'User',
  isEnabled: true,
  adminConsentDisplayName: name,
  adminConsentDescription: `Allows ${name}.`,
  userConsentDisplayName: name,
  userConsentDescription: `Allows ${name}.`,
});
const role = (api: ApiName, name: string): GraphAppRole => ({
  id: id(api, 'application', name),
  value: name,
  displayName: name,
  isEnabled: true,
  allowedMemberTypes: ['Application'],
});

/** The tenant's Microsoft Graph and Exchange Online service principals (and one other API). */
function resourceServicePrincipals(): GraphServicePrincipal[] {
  return [
    {
      id: GRAPH_SP_ID,
      appId: GRAPH_APP_ID,
      displayName: 'Microsoft Graph',
      accountEnabled: true,
      oauth2PermissionScopes: [
        ...['IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'SMTP.Send', 'offline_access', 'openid', 'profile', 'email', 'User.Read'].map((n) =>
          scope('MicrosoftGraph', n),
        ),
        { ...UNKNOWN_SCOPE, type: 'User', isEnabled: true },
      ],
      appRoles: ['Mail.Read', 'Mail.Send', 'User.Read.All'].map((n) => role('MicrosoftGraph', n)),
    },
    {
      id: EXO_SP_ID,
      appId: EXO_APP_ID,
      displayName: 'Office 365 Exchange Online',
      accountEnabled: true,
      oauth2PermissionScopes: [scope('ExchangeOnline', 'EWS.AccessAsUser.All')],
      appRoles: ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp', 'full_access_as_app'].map((n) => role('ExchangeOnline', n)),
    },
    {
      id: OTHER_API_SP_ID,
      appId: OTHER_API_APP_ID,
      displayName: 'Contoso Ticket API',
      accountEnabled: true,
      oauth2PermissionScopes: [{ id: 'ad0b0000-0000-4000-8000-0000000c0a03', value: 'tickets.read', type: 'User', isEnabled: true }],
      appRoles: [],
    },
  ];
}

export interface SeededApp {
  readonly objectId: string;
  readonly appId: string;
  readonly spId: string;
  readonly scopeId?: string;
  readonly secretKeyId: string;
}

/** The manual's delegated setup: IMAP and SMTP as the signed-in user, Expose an API, admin consent. */
export const DELEGATED: SeededApp = {
  objectId: 'ad0b0000-0000-4000-8000-00000000a0b1',
  appId: 'ad0b0000-0000-4000-8000-00000000c1d1',
  spId: 'ad0b0000-0000-4000-8000-00000000595a',
  scopeId: 'ad0b0000-0000-4000-8000-000000005c01',
  secretKeyId: 'ad0b0000-0000-4000-8000-000000004e01',
};

/** The app-only setup: client credentials, Exchange Online app roles. */
export const APP_ONLY: SeededApp = {
  objectId: 'ad0b0000-0000-4000-8000-00000000a0b2',
  appId: 'ad0b0000-0000-4000-8000-00000000c1d2',
  spId: 'ad0b0000-0000-4000-8000-00000000595b',
  secretKeyId: 'ad0b0000-0000-4000-8000-000000004e02',
};

export const POLICY_ID = 'ad0b0000-0000-4000-8000-00000000ca01';
export const GROUP_ID = 'ad0b0000-0000-4000-8000-00000000e0f1';

/** A Graph appRoleAssignment / oAuth2PermissionGrant ID: base64url, 43 characters, as Graph makes them. */
export const graphKey = (seed: string): string =>
  Buffer.from(`${seed}-${'x'.repeat(40)}`)
    .toString('base64url')
    .slice(0, 43);

export interface SeedOptions {
  /** Add requests and consents the project cannot express (an unknown name, another API, SPA URIs, …). */
  readonly extras?: boolean;
  /** The policy's state. @default 'enabledForReportingButNotEnforced' */
  readonly policyState?: string;
  /** Leave the policy's break-glass exclusions out. */
  readonly noExclusions?: boolean;
  /** Extra owners, for paging. */
  readonly manyOwners?: number;
}

/** A tenant with the delegated and the app-only registrations, the MFA Pilot policy and its group. */
export function seededTenant(o: SeedOptions = {}): FakeTenant {
  const d = DELEGATED;
  const a = APP_ONLY;
  const extras = o.extras ?? false;
  const rra = (api: ApiName, perms: readonly [PermissionType, string][]) => ({
    resourceAppId: api === 'MicrosoftGraph' ? GRAPH_APP_ID : EXO_APP_ID,
    resourceAccess: perms.map(([type, name]) => ({ id: id(api, type, name), type: type === 'delegated' ? 'Scope' : 'Role' })),
  });
  const owners = (ids: readonly string[]) =>
    ids.map((x) => ({ '@odata.type': x === DEPLOYER.objectId ? '#microsoft.graph.servicePrincipal' : '#microsoft.graph.user', id: x }));
  const extraOwners = Array.from({ length: o.manyOwners ?? 0 }, (_, i) => `ad0b0000-0000-4000-8000-0000${String(1000 + i).padStart(8, '0')}`);
  return {
    tenantId: TENANT_ID,
    deployers: [DEPLOYER],
    applications: [
      {
        id: d.objectId,
        appId: d.appId,
        displayName: 'Pandora ITSM mail',
        description: null,
        notes: null,
        signInAudience: 'AzureADMyOrg',
        identifierUris: [`api://${d.appId}`],
        tags: [],
        groupMembershipClaims: null,
        isFallbackPublicClient: null,
        isDeviceOnlyAuthSupported: null,
        api: {
          requestedAccessTokenVersion: null,
          acceptMappedClaims: null,
          knownClientApplications: [],
          preAuthorizedApplications: [],
          oauth2PermissionScopes: [
            {
              id: d.scopeId!,
              value: 'access_as_user',
              type: 'Admin',
              isEnabled: true,
              adminConsentDisplayName: 'Access Pandora ITSM mail',
              adminConsentDescription: 'Allows Pandora ITSM to access the helpdesk mailbox on behalf of the signed-in user.',
              userConsentDisplayName: null,
              userConsentDescription: null,
            },
          ],
        },
        appRoles: [],
        web: {
          redirectUris: [
            'http://localhost/pandora',
            'http://localhost/pandoraitsm/godmode/godmode/setup/setup_mail',
            ...(extras ? ['http://itsm.contoso.local/setup_mail'] : []),
          ],
          homePageUrl: null,
          logoutUrl: null,
          implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: extras },
        },
        spa: { redirectUris: extras ? ['https://itsm.contoso.com/spa'] : [] },
        publicClient: { redirectUris: [] },
        info: { marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
        optionalClaims: null,
        requiredResourceAccess: [
          rra('MicrosoftGraph', [
            ['delegated', 'IMAP.AccessAsUser.All'],
            ['delegated', 'SMTP.Send'],
            ['delegated', 'offline_access'],
            ['delegated', 'User.Read'],
          ]),
          ...(extras
            ? [
                { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: UNKNOWN_SCOPE.id, type: 'Scope' }] },
                { resourceAppId: OTHER_API_APP_ID, resourceAccess: [{ id: 'ad0b0000-0000-4000-8000-0000000c0a03', type: 'Scope' }] },
              ]
            : []),
        ],
        passwordCredentials: [
          { keyId: d.secretKeyId, displayName: 'Pandora ITSM', hint: 'Xy7', startDateTime: '2025-06-01T10:00:00Z', endDateTime: '2026-12-01T10:00:00Z' },
        ],
        keyCredentials: [],
      },
      {
        id: a.objectId,
        appId: a.appId,
        displayName: 'Integria IMS mail',
        description: 'Reads the helpdesk mailbox with client credentials.',
        signInAudience: 'AzureADMyOrg',
        identifierUris: [],
        api: { requestedAccessTokenVersion: null, oauth2PermissionScopes: [] },
        appRoles: [],
        web: { redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
        spa: { redirectUris: [] },
        publicClient: { redirectUris: [] },
        requiredResourceAccess: [
          rra('MicrosoftGraph', [['delegated', 'User.Read']]),
          rra('ExchangeOnline', [
            ['application', 'IMAP.AccessAsApp'],
            ['application', 'SMTP.SendAsApp'],
          ]),
        ],
        passwordCredentials: [{ keyId: a.secretKeyId, displayName: 'Integria', hint: 'Qw2', endDateTime: '2027-01-15T00:00:00Z' }],
        keyCredentials: [
          { keyId: 'ad0b0000-0000-4000-8000-000000004c01', displayName: 'CN=integria', type: 'AsymmetricX509Cert', endDateTime: '2027-03-01T00:00:00Z' },
        ],
      },
    ],
    servicePrincipals: [
      ...resourceServicePrincipals(),
      {
        id: d.spId,
        appId: d.appId,
        displayName: 'Pandora ITSM mail',
        accountEnabled: true,
        appRoleAssignmentRequired: false,
        alternativeNames: [],
        notificationEmailAddresses: [],
        preferredSingleSignOnMode: null,
        notes: null,
        description: null,
        loginUrl: null,
      },
      {
        id: a.spId,
        appId: a.appId,
        displayName: 'Integria IMS mail',
        accountEnabled: true,
        appRoleAssignmentRequired: true,
        alternativeNames: [],
        notificationEmailAddresses: [],
      },
    ],
    owners: {
      [d.objectId]: owners([ADMIN_USER, DEPLOYER.objectId, ...extraOwners]),
      [d.spId]: owners([ADMIN_USER, DEPLOYER.objectId, ...extraOwners]),
      [a.objectId]: owners([ADMIN_USER]),
      [a.spId]: [],
    },
    appRoleAssignments: [
      // App-only consent: the Exchange Online app roles, granted to the app's service principal.
      ...(['IMAP.AccessAsApp', 'SMTP.SendAsApp'] as const).map((n) => ({
        id: graphKey(`a-${n}`),
        appRoleId: id('ExchangeOnline', 'application', n),
        principalId: a.spId,
        principalType: 'ServicePrincipal',
        principalDisplayName: 'Integria IMS mail',
        resourceId: EXO_SP_ID,
        resourceDisplayName: 'Office 365 Exchange Online',
      })),
      // A group assigned to the app-only application ("Users and groups", the default access role).
      {
        id: graphKey('assigned-helpdesk'),
        appRoleId: '00000000-0000-0000-0000-000000000000',
        principalId: HELPDESK_GROUP,
        principalType: 'Group',
        principalDisplayName: 'Helpdesk',
        resourceId: a.spId,
        resourceDisplayName: 'Integria IMS mail',
      },
      ...(extras
        ? [
            {
              id: graphKey('d-mailread'),
              appRoleId: id('MicrosoftGraph', 'application', 'User.Read.All'),
              principalId: d.spId,
              principalType: 'ServicePrincipal',
              resourceId: GRAPH_SP_ID,
              resourceDisplayName: 'Microsoft Graph',
            },
          ]
        : []),
    ],
    permissionGrants: [
      {
        id: graphKey('g-delegated'),
        clientId: d.spId,
        consentType: 'AllPrincipals',
        principalId: null,
        resourceId: GRAPH_SP_ID,
        scope: ` IMAP.AccessAsUser.All SMTP.Send offline_access User.Read${extras ? ` ${UNKNOWN_SCOPE.value}` : ''}`,
      },
      { id: graphKey('g-apponly'), clientId: a.spId, consentType: 'AllPrincipals', principalId: null, resourceId: GRAPH_SP_ID, scope: 'User.Read' },
      ...(extras
        ? [{ id: graphKey('g-user'), clientId: d.spId, consentType: 'Principal', principalId: ADMIN_USER, resourceId: OTHER_API_SP_ID, scope: 'tickets.read' }]
        : []),
    ],
    policies: [
      {
        id: POLICY_ID,
        displayName: 'MFA Pilot',
        state: o.policyState ?? 'enabledForReportingButNotEnforced',
        conditions: {
          clientAppTypes: ['all'],
          signInRiskLevels: [],
          userRiskLevels: [],
          servicePrincipalRiskLevels: [],
          platforms: null,
          locations: extras ? { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } : null,
          devices: null,
          clientApplications: null,
          applications: {
            includeApplications: ['797f4846-ba00-4fd7-ba43-dac1f8f63013'],
            excludeApplications: [],
            includeUserActions: [],
            includeAuthenticationContextClassReferences: [],
          },
          users: {
            includeUsers: [],
            excludeUsers: o.noExclusions ? [] : [BREAK_GLASS_USER],
            includeGroups: [GROUP_ID],
            excludeGroups: o.noExclusions ? [] : [BREAK_GLASS_GROUP],
            includeRoles: [],
            excludeRoles: [],
          },
        },
        grantControls: { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
        sessionControls: null,
      },
    ],
    groups: [
      {
        id: GROUP_ID,
        displayName: 'MFA-Test-Group',
        description: 'Pilot users of the MFA policy',
        securityEnabled: true,
        mailEnabled: false,
        groupTypes: [],
        isAssignableToRole: false,
        membershipRule: null,
      },
      { id: HELPDESK_GROUP, displayName: 'Helpdesk', securityEnabled: true, mailEnabled: false, groupTypes: [] },
    ],
  };
}

/** What readPortal reads from `tenant` for one application (and policy), without HTTP: for the pure translation tests. */
export function snapshotOf(tenant: FakeTenant, appObjectId: string, policyId?: string): import('../lib/adopt/portal').PortalSnapshot {
  const application = tenant.applications.find((a) => a.id === appObjectId)!;
  const servicePrincipal = tenant.servicePrincipals.find((s) => s.appId === application.appId);
  const sp = servicePrincipal?.id;
  const policy = policyId ? tenant.policies.find((p) => p.id === policyId) : undefined;
  const target = policy?.conditions?.users?.includeGroups?.[0];
  const appRoleAssignments = tenant.appRoleAssignments.filter((a) => a.principalId === sp);
  const permissionGrants = tenant.permissionGrants.filter((g) => g.clientId === sp);
  const resourceIds = new Set([
    ...(application.requiredResourceAccess ?? []).map((r) => tenant.servicePrincipals.find((s) => s.appId === r.resourceAppId)?.id),
    ...appRoleAssignments.map((a) => a.resourceId),
    ...permissionGrants.map((g) => g.resourceId),
  ]);
  return {
    application,
    applicationOwners: tenant.owners[application.id] ?? [],
    ...(servicePrincipal ? { servicePrincipal } : {}),
    servicePrincipalOwners: sp ? (tenant.owners[sp] ?? []) : [],
    appRoleAssignments,
    appRoleAssignedTo: tenant.appRoleAssignments.filter((a) => a.resourceId === sp),
    permissionGrants,
    resources: tenant.servicePrincipals.filter((s) => resourceIds.has(s.id)),
    ...(policy ? { policy } : {}),
    groups: tenant.groups.filter((g) => g.id === target),
  };
}
