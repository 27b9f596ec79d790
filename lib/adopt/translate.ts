/**
 * What the portal made, in this project's words: the environment section (application, mfaPolicy,
 * their import sections) that declares the same objects, and what it cannot say. Pure: a snapshot
 * of Graph objects in, plain data out; the model functions decide every default and rule, so the
 * section is judged exactly as the config loader and the constructs judge it.
 *
 * The section is chosen so that the first plan imports the objects and changes only what the
 * project's settings choose (each such change is listed), and a second plan is clean:
 * - every value the project writes is the portal's value where the project can express it;
 * - Terraform-only flags that would show as a change of state only (`prevent_duplicate_names`)
 *   are written as the imported state has them (false);
 * - IDs that must not change (the scope ID) are carried in the concept itself.
 * What the project cannot express is listed by name with what the first plan does to it: it stays
 * as it is (Terraform does not manage it) or the first plan removes it (an attribute of a resource
 * the project manages, which it declares empty).
 */
import type {
  AppRoleAssignmentImport,
  ApplicationImportProps,
  DelegatedPermissionGrantImport,
  MfaPolicyImportProps,
  SignInAssignmentImport,
} from '../model/adoption';
import {
  allowsPersonalAccounts,
  normalizeApplication,
  requestedAccessTokenVersion,
  SIGN_IN_AUDIENCES,
  type ItsmMailApplicationProps,
  type SignInAudience,
} from '../model/application';
import {
  ADDITIONAL_GRANT_CONTROLS,
  APPLICATION_ALIASES,
  AUTHENTICATION_FLOWS,
  BUILT_IN_CONTROLS,
  BUILT_IN_AUTHENTICATION_STRENGTHS,
  AUTHENTICATION_STRENGTH_ID_PREFIX,
  CLOUD_APP_SECURITY_POLICIES,
  FILTER_MODES,
  GUEST_OR_EXTERNAL_USER_TYPES,
  INSIDER_RISK_LEVELS,
  MANUAL_DEFAULTS,
  PROVIDER_POLICY_STATE,
  PERSISTENT_BROWSER_MODES,
  RISK_LEVELS,
  SIGN_IN_FREQUENCY_AUTHENTICATION_TYPES,
  USER_ACTIONS,
  type AdditionalGrantControl,
  type AuthenticationFlow,
  type ClientAppType,
  type CloudAppSecurityPolicy,
  type FilterMode,
  type GuestOrExternalUserType,
  type InsiderRiskLevel,
  type PersistentBrowserMode,
  type PolicyStateWord,
  type RiskLevel,
  type SignInFrequencyAuthenticationType,
  type UserAction,
} from '../model/conditional-access-values';
import { identifierUriOf, type ExposedScopeProps } from '../model/exposed-scope';
import {
  APP_ONLY_BY_PROTOCOL,
  DELEGATED_BY_PROTOCOL,
  GRAPH_MAIL_PERMISSIONS,
  MAIL_PROTOCOLS,
  type GraphMailPermission,
  type MailAccessProps,
} from '../model/mail-access';
import {
  policyGroup,
  type FilterProps,
  type GuestsOrExternalUsersProps,
  type MfaPolicyProps,
  type SignInFrequencyProps,
} from '../model/conditional-access-policy';
import { ITSM_TOOLS } from '../model/itsm-tool';
import type { ApiName, PermissionRef, PermissionType } from '../model/permissions';
import { DEFAULT_ACCESS_APP_ROLE_ID } from '../model/ids';
import { redirectUriAudienceProblem, redirectUriProblem } from '../model/redirect-uri';
import { allPermissions, KnownApi, lookupPermission } from '../permissions/catalogue';
import type { EnvironmentConfig } from '../config/schema';
import type {
  GraphAppRoleAssignment,
  GraphApplication,
  GraphConditionalAccessFilter,
  GraphGuestsOrExternalUsers,
  GraphPermissionGrant,
  GraphPermissionScope,
  GraphServicePrincipal,
  PortalSnapshot,
} from './portal';

/** Something the portal made that the project cannot declare, by name, and what the first plan does to it. */
export interface NotExpressed {
  /** What it is, e.g. `Microsoft Graph delegated permission "Mail.Future.Preview"`. */
  readonly name: string;
  /** `kept`: it stays as it is in Entra ID (Terraform does not manage it); `removed`: the first plan removes it. */
  readonly effect: 'kept' | 'removed';
  readonly why: string;
}

/** A client secret made in the portal: never imported (its value cannot be read back). */
export interface PortalSecret {
  readonly keyId: string;
  readonly displayName?: string;
  readonly hint?: string;
  readonly endDateTime?: string;
}

export interface Adoption {
  /** The environment's section, in the config file's words (shape and rules of lib/config/schema.ts). */
  readonly environment: EnvironmentConfig;
  /** What the first plan changes although the project can express it: the project's settings differ. */
  readonly changes: readonly string[];
  readonly notExpressed: readonly NotExpressed[];
  readonly portalSecrets: readonly PortalSecret[];
  /** What to do before `npm run synth`, in the user's hands (a justification, a choice adopt cannot make). */
  readonly todo: readonly string[];
  /** Counts of what was read, for the summary line (singular words). */
  readonly read: Readonly<Record<string, number>>;
}

export interface AdoptContext {
  /** The tenant everything was read from (the config's tenantId). */
  readonly tenantId: string;
  /** The object ID of the identity that read it: the deployer, owner of what it creates. */
  readonly deployerObjectId?: string;
}

const API_BY_APP_ID = new Map((Object.keys(KnownApi) as ApiName[]).map((api) => [KnownApi[api].resourceAppId.toLowerCase(), api] as const));
const apiOf = (appId: string | undefined) => (appId === undefined ? undefined : API_BY_APP_ID.get(appId.toLowerCase()));
const nonEmpty = (s: string | null | undefined): s is string => typeof s === 'string' && s.trim() !== '';
const q = (s: string) => JSON.stringify(s);

/** A permission the application requests, named through its resource's service principal. */
interface Requested {
  readonly resourceAppId: string;
  readonly resource?: GraphServicePrincipal;
  readonly api?: ApiName;
  readonly type: PermissionType;
  readonly id: string;
  readonly name?: string;
}

/** A requested permission this project can declare: of an API it knows, named, and in its catalogue. */
type KnownPermission = Requested & { api: ApiName; name: string };

/** What the translation reports as it goes, each list in the order found: a policy's reports, and what is in the user's hands. */
interface Findings extends Reports {
  readonly notExpressed: NotExpressed[];
  /** What to do before `npm run synth` (Adoption.todo). */
  readonly todo: string[];
}

/** Admin consent as the portal left it: app role assignments of the service principal, delegated grants for all principals. */
interface Consent {
  /** Consents to application permissions: app role assignments whose principal is the service principal. */
  readonly assignments: readonly GraphAppRoleAssignment[];
  /** Admin consents to delegated permissions: grants whose consent type is AllPrincipals. */
  readonly allPrincipals: readonly GraphPermissionGrant[];
  readonly anyConsent: boolean;
}

/** Expose an API as this project declares it: the one scope adopted and the identifier URI api://<client ID>. */
interface ExposedApi {
  readonly scopesOfApp: readonly GraphPermissionScope[];
  readonly chosen: GraphPermissionScope | undefined;
  readonly exposedScope: ExposedScopeProps | undefined;
  readonly exposeApi: boolean | undefined;
  readonly ownUri: string;
  readonly hasOwnUri: boolean;
}

/** The application's owners: the deployer's place is includeDeployerAsOwner. */
interface Owners {
  /** Every owner of the application as read, by object ID. */
  readonly appOwners: string[];
  /** The owners the config declares: the application's, less the deployer. */
  readonly owners: string[];
  readonly deployerOwns: boolean;
}

/** Users and groups assigned to the Enterprise application (the default access role). */
interface AssignedUsersAndGroups {
  readonly assignedPrincipals: string[];
  readonly signInImports: SignInAssignmentImport[];
}

/** The import IDs of the admin consents the config declares. */
interface AdminConsentImports {
  readonly roleImports: AppRoleAssignmentImport[];
  readonly grantImports: DelegatedPermissionGrantImport[];
}

/** The section that declares what the portal made, and what it cannot say. */
export function adoptionOf(s: PortalSnapshot, ctx: AdoptContext): Adoption {
  const f = findings();
  const app = s.application;
  const resourcesById = new Map(s.resources.map((r) => [r.id, r] as const));
  const requested = requestedPermissionsOf(app, s.resources);
  const known = knownPermissionsOf(requested, f);
  const { mail, permissions } = mailPresetOf(app, known, f);
  const consent = consentOf(s, resourcesById, f);
  const { audience, redirectUris } = applicationSettingsOf(app, f);
  const owners = ownersOf(s, ctx, f);
  const assigned = assignedUsersAndGroupsOf(s, f);
  const exposed = exposedApiOf(app, mail, f);
  const declared = declaredPermissionsOf(app, mail, permissions, audience, exposed);
  requiredResourceAccessOrder(declared, known, f);
  const imports = adminConsentOf(declared, known, consent, resourcesById, f);
  const applicationImport = applicationImportOf(app, s.servicePrincipal, exposed, imports, assigned);
  const application = applicationOf(app, { audience, owners, redirectUris, assigned, mail, permissions, consent, exposed, applicationImport });
  const portalSecrets = portalSecretsOf(app);
  const mfaPolicy = s.policy ? policyOf({ ...s, policy: s.policy }, f.changes, f.removed, f.kept) : undefined;
  return {
    environment: { tenantId: ctx.tenantId, application, ...(mfaPolicy ? { mfaPolicy } : {}) },
    changes: f.changes,
    notExpressed: f.notExpressed,
    portalSecrets,
    todo: f.todo,
    read: readCountsOf(s, requested, consent, owners, exposed, portalSecrets),
  };
}

/** Empty findings, with `kept` and `removed` adding to notExpressed. */
function findings(): Findings {
  const notExpressed: NotExpressed[] = [];
  return {
    changes: [],
    notExpressed,
    todo: [],
    kept: (name: string, why: string) => notExpressed.push({ name, effect: 'kept', why }),
    removed: (name: string, why: string) => notExpressed.push({ name, effect: 'removed', why }),
  };
}

const label = (r: { api?: ApiName; resource?: GraphServicePrincipal; resourceAppId: string }) =>
  r.api ? KnownApi[r.api].displayName : (r.resource?.displayName ?? `the API ${r.resourceAppId}`);

// --- Requested permissions, named by the tenant's service principals of the APIs.
function requestedPermissionsOf(app: GraphApplication, resources: PortalSnapshot['resources']): Requested[] {
  const resourceByAppId = (appId: string) => resources.find((r) => r.appId.toLowerCase() === appId.toLowerCase());
  const requested: Requested[] = [];
  for (const rra of app.requiredResourceAccess ?? []) {
    const resource = resourceByAppId(rra.resourceAppId);
    // Graph may send null for an API entry the portal emptied: it asks for nothing.
    for (const ra of rra.resourceAccess ?? []) {
      const type: PermissionType = ra.type === 'Role' ? 'application' : 'delegated';
      const api = apiOf(rra.resourceAppId);
      // The tenant's service principal of the API names it; the catalogue, by ID, when that one could not be read.
      const name =
        (type === 'delegated' ? resource?.oauth2PermissionScopes : resource?.appRoles)?.find((x) => x.id.toLowerCase() === ra.id.toLowerCase())?.value ??
        (api && !resource ? allPermissions(api, type).find((p) => p.id.toLowerCase() === ra.id.toLowerCase())?.name : undefined);
      requested.push({
        resourceAppId: rra.resourceAppId,
        ...(resource ? { resource } : {}),
        ...(api ? { api } : {}),
        type,
        id: ra.id,
        ...(name ? { name } : {}),
      });
    }
  }
  return requested;
}

/** The requested permissions this project can declare; the others are removed by the first plan. */
function knownPermissionsOf(requested: readonly Requested[], f: Findings): KnownPermission[] {
  const known: KnownPermission[] = [];
  for (const r of requested) {
    const what = `${label(r)} ${r.type} permission ${r.name !== undefined ? q(r.name) : `with ID ${r.id}`}`;
    if (!r.api) {
      f.removed(what, 'this project requests permissions of Microsoft Graph and Office 365 Exchange Online only');
      continue;
    }
    if (r.name === undefined) {
      f.removed(
        what,
        `the tenant's service principal of ${KnownApi[r.api].displayName} has no ${r.type === 'delegated' ? 'scope' : 'app role'} with this ID, so it has no name to declare`,
      );
      continue;
    }
    const found = lookupPermission(r.api, r.type, r.name);
    if (!found.ok) {
      f.removed(
        what,
        `it is not in this project's permission catalogue (lib/permissions, from Microsoft's published list)${/did you mean/.test(found.message) ? `: ${found.message}` : ''}`,
      );
      continue;
    }
    if (r.api === 'MicrosoftGraph' && found.permission.id.toLowerCase() !== r.id.toLowerCase()) {
      f.changes.push(`requests ${what} by the catalogue's ID ${found.permission.id} instead of ${r.id}, the ID the portal wrote`);
    }
    known.push({ ...r, api: r.api, name: r.name });
  }
  return known;
}

// --- The mail preset: flow and protocols from the mail permissions; the rest stays "permissions".
function mailPresetOf(app: GraphApplication, known: readonly KnownPermission[], f: Findings): { mail: MailAccessProps; permissions: PermissionRef[] } {
  const has = (api: ApiName, type: PermissionType, name: string) => known.some((k) => k.api === api && k.type === type && k.name === name);
  const delegatedProtocols = MAIL_PROTOCOLS.filter((p) => has('MicrosoftGraph', 'delegated', DELEGATED_BY_PROTOCOL[p]));
  const appOnlyProtocols = MAIL_PROTOCOLS.filter((p) => has('ExchangeOnline', 'application', APP_ONLY_BY_PROTOCOL[p]));
  const graphMail = GRAPH_MAIL_PERMISSIONS.filter((n) => has('MicrosoftGraph', 'application', n));
  let mail: MailAccessProps;
  const presetNames = new Set<string>();
  if (delegatedProtocols.length > 0) {
    mail = { flow: 'delegated', protocols: delegatedProtocols };
    for (const p of delegatedProtocols) presetNames.add(`MicrosoftGraph/delegated/${DELEGATED_BY_PROTOCOL[p]}`);
    for (const n of ITSM_TOOLS['pandora-itsm'].signInPermissions) {
      presetNames.add(`MicrosoftGraph/delegated/${n}`);
      if (!has('MicrosoftGraph', 'delegated', n))
        f.changes.push(
          `adds the Microsoft Graph delegated permission ${n}: the delegated mail preset requests it (${n === 'offline_access' ? 'refresh tokens, so the ITSM tool stays signed in' : "the user's sign-in"})`,
        );
    }
  } else if (appOnlyProtocols.length > 0) {
    // SMTP.SendAsApp requested in Entra ID is what mailboxAccess fullAccess declares; rbac grants SMTP in Exchange instead.
    const smtpRole = appOnlyProtocols.includes('smtp');
    mail = { flow: 'app-only', protocols: appOnlyProtocols, ...(smtpRole ? { mailboxAccess: 'fullAccess' as const } : {}) };
    for (const p of appOnlyProtocols) presetNames.add(`ExchangeOnline/application/${APP_ONLY_BY_PROTOCOL[p]}`);
    if (!smtpRole) {
      f.todo.push(
        'if the ITSM tool sends mail over SMTP with RBAC for Applications (the role Application SMTP.SendAsApp in Exchange Online, not an Entra ID permission), add smtp to mail.protocols: the runbook then scopes it to the mailboxes',
      );
    }
  } else {
    throw new AdoptionError(
      `the application ${q(app.displayName ?? app.appId)} requests none of the mail permissions this project's mail preset declares (Microsoft Graph delegated IMAP.AccessAsUser.All, POP.AccessAsUser.All or SMTP.Send; Office 365 Exchange Online application IMAP.AccessAsApp, POP.AccessAsApp or SMTP.SendAsApp): it is not an ITSM mail registration this project can adopt`,
    );
  }
  if (graphMail.length > 0) {
    mail = { ...mail, graphMailPermissions: graphMail as GraphMailPermission[] };
    for (const n of graphMail) presetNames.add(`MicrosoftGraph/application/${n}`);
    f.todo.push(
      `write mail.graphMailJustification: why the Graph mail permissions ${graphMail.join(', ')} are needed (they reach every mailbox); guardrail ITSM-PERM-001 stops npm run synth until then`,
    );
  }
  const permissions: PermissionRef[] = known
    .filter((k) => !presetNames.has(`${k.api}/${k.type}/${k.name}`))
    .map((k) => ({ ...(k.api === 'MicrosoftGraph' ? {} : { api: k.api }), type: k.type, name: k.name }));
  return { mail, permissions };
}

// --- Consent: app role assignments of the service principal, delegated grants for all principals.
function consentOf(s: PortalSnapshot, resourcesById: ReadonlyMap<string, GraphServicePrincipal>, f: Findings): Consent {
  const sp = s.servicePrincipal;
  const assignments = s.appRoleAssignments.filter((a) => sp !== undefined && a.principalId === sp.id);
  const allPrincipals = s.permissionGrants.filter((g) => g.consentType === 'AllPrincipals');
  for (const g of s.permissionGrants.filter((g) => g.consentType !== 'AllPrincipals')) {
    f.kept(
      `user consent of ${g.principalId ?? 'a user'} to ${scopes(g).join(', ')} of ${nameOfResource(resourcesById.get(g.resourceId), g.resourceId)}`,
      'a user consented for themself; this project declares admin consent for all users only',
    );
  }
  const anyConsent = assignments.length > 0 || allPrincipals.length > 0;
  return { assignments, allPrincipals, anyConsent };
}

// App role IDs are unique: the resource is compared when its service principal was read.
const assignmentFor = (c: Consent, k: KnownPermission) =>
  c.assignments.find((a) => (k.resource === undefined || a.resourceId === k.resource.id) && a.appRoleId.toLowerCase() === k.id.toLowerCase());
const grantFor = (c: Consent, resourcesById: ReadonlyMap<string, GraphServicePrincipal>, api: ApiName) =>
  c.allPrincipals.find((g) => apiOf(resourcesById.get(g.resourceId)?.appId) === api);

// --- The application's own settings.
function applicationSettingsOf(app: GraphApplication, f: Findings): { audience: SignInAudience; redirectUris: string[] } {
  const { changes, removed, kept } = f;
  const audience = (SIGN_IN_AUDIENCES as readonly string[]).includes(app.signInAudience ?? '') ? (app.signInAudience as SignInAudience) : 'AzureADMyOrg';
  if (app.signInAudience && audience !== app.signInAudience)
    changes.push(`sets the sign-in audience to AzureADMyOrg instead of ${app.signInAudience}, which this project does not offer`);
  const personal = allowsPersonalAccounts(audience);
  const redirectUris: string[] = [];
  for (const uri of app.web?.redirectUris ?? []) {
    const why = redirectUriProblem(uri) ?? redirectUriAudienceProblem(uri, { personalAccounts: personal });
    if (why) removed(`the Web redirect URI ${uri}`, `this project refuses it: ${why}`);
    else redirectUris.push(uri);
  }
  for (const uri of app.spa?.redirectUris ?? []) removed(`the single-page application redirect URI ${uri}`, 'this project declares Web redirect URIs only');
  for (const uri of app.publicClient?.redirectUris ?? [])
    removed(`the public client (mobile and desktop) redirect URI ${uri}`, 'this project declares Web redirect URIs only (the ITSM tool is a web application)');
  if (nonEmpty(app.web?.homePageUrl)) removed(`the home page URL ${app.web!.homePageUrl}`, 'this project does not declare it');
  if (nonEmpty(app.web?.logoutUrl)) removed(`the front-channel logout URL ${app.web!.logoutUrl}`, 'this project does not declare it');
  if (app.web?.implicitGrantSettings?.enableAccessTokenIssuance)
    removed('implicit grant of access tokens', 'this project never enables the implicit flow (the authorization-code flow replaces it)');
  if (app.web?.implicitGrantSettings?.enableIdTokenIssuance) removed('implicit grant of ID tokens', 'this project never enables the implicit flow');
  for (const r of app.appRoles ?? []) removed(`the app role ${q(r.value ?? r.displayName ?? r.id)}`, 'this project declares no app roles of its own');
  if ((app.api?.knownClientApplications ?? []).length > 0)
    removed(`known client applications ${(app.api!.knownClientApplications ?? []).join(', ')}`, 'this project does not declare them');
  if (app.api?.acceptMappedClaims) removed('accepting mapped claims (api.acceptMappedClaims)', 'this project does not declare it');
  for (const p of app.api?.preAuthorizedApplications ?? [])
    kept(
      `the pre-authorized client application ${p.appId}`,
      'this project does not declare pre-authorized applications; the application resource leaves them alone',
    );
  const claims = app.optionalClaims;
  if (claims && [claims.accessToken, claims.idToken, claims.saml2Token].some((c) => (c ?? []).length > 0))
    removed('optional claims', 'this project does not declare them');
  // "None" too: the provider reads it into group_membership_claims (a set, not computed) as an element of its own, which the config leaves empty.
  if (nonEmpty(app.groupMembershipClaims))
    removed(
      `group membership claims (${app.groupMembershipClaims})`,
      app.groupMembershipClaims === 'None'
        ? 'this project does not declare them; the plan clears "None", which asks for no groups claim, as no value does'
        : 'this project does not declare them',
    );
  if (app.isFallbackPublicClient) removed('"Allow public client flows"', 'this project never enables public client flows (the ITSM tool holds a secret)');
  if (app.isDeviceOnlyAuthSupported) removed('device-only authentication', 'this project does not declare it');
  const INFO: Readonly<Record<string, string>> = {
    marketingUrl: 'marketing URL',
    privacyStatementUrl: 'privacy statement URL',
    supportUrl: 'support URL',
    termsOfServiceUrl: 'terms of service URL',
  };
  for (const [k, v] of Object.entries(app.info ?? {}))
    if (nonEmpty(v as string | null | undefined)) removed(`the ${INFO[k] ?? k} ${String(v)}`, 'this project does not declare it');
  if (nonEmpty(app.serviceManagementReference))
    removed(`the service management reference ${app.serviceManagementReference}`, 'this project does not declare it');
  for (const c of app.keyCredentials ?? [])
    kept(
      `the certificate ${q(c.displayName ?? c.keyId)} (key ID ${c.keyId})`,
      'certificates are not managed by this project; it stays until its end date or until it is removed',
    );
  const expectedVersion = requestedAccessTokenVersion(personal);
  const version = app.api?.requestedAccessTokenVersion ?? 1;
  if (version !== expectedVersion)
    changes.push(
      `sets the access token version of its own API (api.requestedAccessTokenVersion) to ${expectedVersion} instead of ${version}: this project derives it from the sign-in audience`,
    );
  return { audience, redirectUris };
}

// --- Owners: the deployer's place is includeDeployerAsOwner; service principal owners become the application's.
function ownersOf(s: PortalSnapshot, ctx: AdoptContext, f: Findings): Owners {
  const sp = s.servicePrincipal;
  const appOwners = s.applicationOwners.map((o) => o.id);
  const deployerOwns = ctx.deployerObjectId !== undefined && appOwners.some((o) => o.toLowerCase() === ctx.deployerObjectId!.toLowerCase());
  const owners = appOwners.filter((o) => !(deployerOwns && o.toLowerCase() === ctx.deployerObjectId!.toLowerCase()));
  if (!deployerOwns)
    f.todo.push(
      `the identity that deploys${ctx.deployerObjectId ? ` (${ctx.deployerObjectId})` : ''} is not an owner of the application; includeDeployerAsOwner is false so the first plan adds none. Set it to true to make it one (the plan then shows that change)`,
    );
  if (sp) {
    const spOwners = new Set(s.servicePrincipalOwners.map((o) => o.id.toLowerCase()));
    const wanted = new Set(appOwners.map((o) => o.toLowerCase()));
    const differ = spOwners.size !== wanted.size || [...spOwners].some((o) => !wanted.has(o));
    if (differ)
      f.changes.push(
        `gives the service principal the application's owners (${appOwners.length === 0 ? 'none' : appOwners.join(', ')}) instead of ${spOwners.size === 0 ? 'none' : [...spOwners].join(', ')}: this project declares one list of owners for both`,
      );
  }
  return { appOwners, owners, deployerOwns };
}

// --- Users and groups assigned to the Enterprise application.
function assignedUsersAndGroupsOf(s: PortalSnapshot, f: Findings): AssignedUsersAndGroups {
  const { changes, removed, kept } = f;
  const sp = s.servicePrincipal;
  const assignedPrincipals: string[] = [];
  const signInImports: SignInAssignmentImport[] = [];
  for (const a of s.appRoleAssignedTo) {
    if (a.appRoleId.toLowerCase() === DEFAULT_ACCESS_APP_ROLE_ID && (a.principalType === 'User' || a.principalType === 'Group')) {
      assignedPrincipals.push(a.principalId);
      signInImports.push({ principal: a.principalId, assignmentId: a.id });
    } else
      kept(
        `the assignment of ${a.principalDisplayName ?? a.principalId} (${a.principalType ?? 'principal'}) to the app role ${a.appRoleId}`,
        'this project assigns users and groups to the default access role only',
      );
  }
  if (sp?.appRoleAssignmentRequired && assignedPrincipals.length === 0)
    changes.push('turns "Assignment required" off: this project requires assignment only with assignedPrincipals, and the portal assigned no user or group');
  if (sp && !sp.appRoleAssignmentRequired && assignedPrincipals.length > 0)
    changes.push('turns "Assignment required" on: with assignedPrincipals, only they may sign in');
  if (sp && sp.accountEnabled === false)
    changes.push('enables the service principal ("Enabled for users to sign-in?" is No in the portal): this project does not declare a disabled one');
  for (const [k, v] of [
    ['notes', sp?.notes],
    ['description', sp?.description],
    ['login URL', sp?.loginUrl],
    ['single sign-on mode', sp?.preferredSingleSignOnMode],
  ] as const) {
    if (nonEmpty(v)) removed(`the service principal's ${k} ${q(v)}`, 'this project does not declare it');
  }
  for (const n of sp?.notificationEmailAddresses ?? [])
    removed(`the notification e-mail address ${n} of the service principal`, 'this project does not declare it');
  for (const n of sp?.alternativeNames ?? []) removed(`the alternative name ${n} of the service principal`, 'this project does not declare it');
  if (!sp) changes.push('creates the service principal (Enterprise application): the application has none in this tenant');
  return { assignedPrincipals, signInImports };
}

// --- Expose an API: the scope this project declares (one) and its identifier URI api://<client ID>.
function exposedApiOf(app: GraphApplication, mail: MailAccessProps, f: Findings): ExposedApi {
  const { changes, removed, kept } = f;
  const scopesOfApp = app.api?.oauth2PermissionScopes ?? [];
  const chosen = scopesOfApp.find((x) => x.value === 'access_as_user') ?? scopesOfApp.find((x) => x.isEnabled !== false) ?? scopesOfApp[0];
  let exposedScope: ExposedScopeProps | undefined;
  let exposeApi: boolean | undefined;
  const ownUri = identifierUriOf(app.appId);
  const hasOwnUri = (app.identifierUris ?? []).some((u) => u.toLowerCase() === ownUri.toLowerCase());
  if (chosen) {
    exposedScope = {
      id: chosen.id,
      ...(nonEmpty(chosen.value) ? { value: chosen.value } : {}),
      ...(nonEmpty(chosen.adminConsentDisplayName) ? { adminConsentDisplayName: chosen.adminConsentDisplayName } : {}),
      ...(nonEmpty(chosen.adminConsentDescription) ? { adminConsentDescription: chosen.adminConsentDescription } : {}),
      ...(nonEmpty(chosen.userConsentDisplayName) ? { userConsentDisplayName: chosen.userConsentDisplayName } : {}),
      ...(nonEmpty(chosen.userConsentDescription) ? { userConsentDescription: chosen.userConsentDescription } : {}),
      whoCanConsent: chosen.type === 'User' ? 'adminsAndUsers' : 'admins',
    };
    if (!nonEmpty(chosen.adminConsentDisplayName) || !nonEmpty(chosen.adminConsentDescription))
      changes.push(`writes the scope's admin consent texts, which the provider requires and the portal left empty (the project's defaults)`);
    if (chosen.type === 'User' && (!nonEmpty(chosen.userConsentDisplayName) || !nonEmpty(chosen.userConsentDescription))) {
      changes.push("writes the scope's user consent texts, which the portal left empty, from its admin consent texts (users may consent to it)");
    }
    if (chosen.isEnabled === false)
      kept(
        `the scope ${q(chosen.value ?? chosen.id)} is disabled`,
        'this project declares scopes enabled; the imported scope stays disabled until the scope is next changed',
      );
    for (const other of scopesOfApp.filter((x) => x !== chosen))
      kept(
        `the scope ${q(other.value ?? other.id)}`,
        'this project declares one scope; the application resource ignores the others (ignore_changes on its api scopes)',
      );
    for (const uri of (app.identifierUris ?? []).filter((u) => u.toLowerCase() !== ownUri.toLowerCase()))
      kept(
        `the identifier URI ${uri}`,
        'this project declares api://<client ID> only; the application resource ignores the others (ignore_changes on identifier_uris)',
      );
    if (!hasOwnUri) changes.push(`adds the identifier URI ${ownUri}: the one this project declares`);
  } else {
    // Without a scope, nothing is exposed: the delegated flow would otherwise add one.
    if (mail.flow === 'delegated') exposeApi = false;
    for (const uri of app.identifierUris ?? [])
      removed(
        `the identifier URI ${uri}`,
        'the application exposes no scope, and this project declares an identifier URI only with one: set exposeApi: true to keep api://<client ID> (it adds the scope access_as_user)',
      );
  }
  return { scopesOfApp, chosen, exposedScope, exposeApi, ownUri, hasOwnUri };
}

// --- Admin consent: everything requested, or nothing.
/** The permissions the section declares, as the model requests them (the mail preset's and the others). */
function declaredPermissionsOf(
  app: GraphApplication,
  mail: MailAccessProps,
  permissions: readonly PermissionRef[],
  audience: SignInAudience,
  { exposedScope, exposeApi }: ExposedApi,
) {
  const provisional: ItsmMailApplicationProps = {
    displayName: app.displayName ?? app.appId,
    mail,
    ...(permissions.length > 0 ? { permissions } : {}),
    signInAudience: audience,
    ...(exposedScope ? { exposedScope } : {}),
    ...(exposeApi !== undefined ? { exposeApi } : {}),
  };
  return normalizeApplication(provisional).requestedPermissions;
}

type DeclaredPermission = ReturnType<typeof declaredPermissionsOf>[number];

/** The change the first plan makes when an API's requested permissions are not in this project's order. */
function requiredResourceAccessOrder(declared: readonly DeclaredPermission[], known: readonly KnownPermission[], f: Findings): void {
  // required_resource_access is a set of one block per API (application_resource.go at v3.7.0:
  // TypeSet), but each block's resource_access is a TypeList, compared in order: this project writes
  // delegated then application, each by name (groupByApi), so the portal's order is kept only when it
  // is that order. Otherwise the first plan reorders the list, and adopt says so: the permissions
  // both lists hold, in another order, even when the plan also adds or removes some.
  for (const api of [...new Set(declared.map((p) => p.api))]) {
    const ours = ['delegated', 'application'].flatMap((t) => declared.filter((p) => p.api === api && p.type === t)).map((p) => `${p.type}/${p.name}`);
    const theirs = known.filter((k) => k.api === api).map((k) => `${k.type}/${k.name}`);
    const both = (xs: readonly string[], ys: readonly string[]) => xs.filter((x, i) => ys.includes(x) && xs.indexOf(x) === i);
    if (both(ours, theirs).join() !== both(theirs, ours).join()) {
      const names = (xs: readonly string[]) => xs.map((x) => x.split('/')[1]).join(', ');
      f.changes.push(
        `lists the ${KnownApi[api].displayName} permissions the registration requests in this project's order (${names(ours)}) instead of the portal's (${names(theirs)}): ` +
          'required_resource_access.resource_access is an ordered list in the provider, so the first plan shows the reorder',
      );
    }
  }
}

/** The admin consents the section imports, what the first plan grants or removes, and the consents it leaves alone. */
function adminConsentOf(
  declared: readonly DeclaredPermission[],
  known: readonly KnownPermission[],
  consent: Consent,
  resourcesById: ReadonlyMap<string, GraphServicePrincipal>,
  f: Findings,
): AdminConsentImports {
  const roleImports: AppRoleAssignmentImport[] = [];
  const grantImports: DelegatedPermissionGrantImport[] = [];
  const consumed = new Set<GraphAppRoleAssignment>();
  const consumedGrants = new Set<GraphPermissionGrant>();
  if (consent.anyConsent) {
    appRoleAssignmentImports(declared, known, consent, f, roleImports, consumed);
    delegatedPermissionGrantImports(declared, consent, resourcesById, f, grantImports, consumedGrants);
  } else if (declared.length > 0) {
    f.todo.push(
      'no permission has admin consent in the portal, so adminConsent is false; set it to true to grant consent to every requested permission (the first plan then shows the consents)',
    );
  }
  for (const a of consent.assignments.filter((x) => !consumed.has(x))) {
    const r = resourcesById.get(a.resourceId);
    const role = r?.appRoles?.find((x) => x.id.toLowerCase() === a.appRoleId.toLowerCase());
    f.kept(
      `the admin consent to ${nameOfResource(r, a.resourceId)} application permission ${q(role?.value ?? a.appRoleId)}`,
      'it is not among the permissions this project declares; the consent stays as it is',
    );
  }
  for (const g of consent.allPrincipals.filter((x) => !consumedGrants.has(x))) {
    f.kept(
      `the admin consent to ${scopes(g).join(', ')} of ${nameOfResource(resourcesById.get(g.resourceId), g.resourceId)}`,
      'it is not for a resource API whose delegated permissions this project declares',
    );
  }
  return { roleImports, grantImports };
}

/** Application permissions: the app role assignment of each is imported, or the first plan grants it. */
function appRoleAssignmentImports(
  declared: readonly DeclaredPermission[],
  known: readonly KnownPermission[],
  consent: Consent,
  f: Findings,
  roleImports: AppRoleAssignmentImport[],
  consumed: Set<GraphAppRoleAssignment>,
): void {
  for (const d of declared.filter((p) => p.type === 'application')) {
    const k = known.find((x) => x.api === d.api && x.type === 'application' && x.name === d.name);
    const a = k ? assignmentFor(consent, k) : undefined;
    if (a) {
      consumed.add(a);
      roleImports.push({
        ...(d.api === 'MicrosoftGraph' ? {} : { api: d.api }),
        permission: d.name,
        resourceServicePrincipalObjectId: a.resourceId,
        assignmentId: a.id,
      });
    } else
      f.changes.push(`grants admin consent to the ${KnownApi[d.api].displayName} application permission ${d.name}: requested, but not consented in the portal`);
  }
}

/** Delegated permissions: each API's grant for all principals is imported (its scopes made the declared ones), or the first plan grants it. */
function delegatedPermissionGrantImports(
  declared: readonly DeclaredPermission[],
  consent: Consent,
  resourcesById: ReadonlyMap<string, GraphServicePrincipal>,
  f: Findings,
  grantImports: DelegatedPermissionGrantImport[],
  consumedGrants: Set<GraphPermissionGrant>,
): void {
  for (const api of [...new Set(declared.filter((p) => p.type === 'delegated').map((p) => p.api))]) {
    const names = declared.filter((p) => p.type === 'delegated' && p.api === api).map((p) => p.name);
    const g = grantFor(consent, resourcesById, api);
    if (!g) {
      f.changes.push(`grants admin consent to the ${KnownApi[api].displayName} delegated permissions ${names.join(', ')}: not consented in the portal`);
      continue;
    }
    consumedGrants.add(g);
    grantImports.push({ ...(api === 'MicrosoftGraph' ? {} : { api }), grantId: g.id });
    const granted = scopes(g);
    const added = names.filter((n) => !granted.includes(n));
    const dropped = granted.filter((n) => !names.includes(n));
    if (added.length > 0)
      f.changes.push(`adds ${added.join(', ')} to the ${KnownApi[api].displayName} delegated grant: requested, but not consented in the portal`);
    for (const n of dropped)
      f.removed(
        `the admin consent to the ${KnownApi[api].displayName} delegated permission ${q(n)}`,
        "it is in the portal's delegated grant but not among the permissions this project declares, and the grant lists exactly those",
      );
  }
}

// --- The section: the application's import IDs, the application, the portal's secrets and what was read.
function applicationImportOf(
  app: GraphApplication,
  sp: GraphServicePrincipal | undefined,
  { exposedScope, hasOwnUri, ownUri, chosen }: ExposedApi,
  { roleImports, grantImports }: AdminConsentImports,
  { signInImports }: AssignedUsersAndGroups,
): ApplicationImportProps {
  return {
    applicationObjectId: app.id,
    ...(sp ? { servicePrincipalObjectId: sp.id } : {}),
    ...(exposedScope && hasOwnUri ? { identifierUri: ownUri } : {}),
    ...(exposedScope ? { permissionScopeId: chosen!.id } : {}),
    ...(roleImports.length > 0 ? { appRoleAssignments: roleImports } : {}),
    ...(grantImports.length > 0 ? { delegatedPermissionGrants: grantImports } : {}),
    ...(signInImports.length > 0 && sp ? { signInAssignments: signInImports } : {}),
  };
}

/** What the application section is made of, section by section. */
interface ApplicationParts {
  readonly audience: SignInAudience;
  readonly owners: Owners;
  readonly redirectUris: readonly string[];
  readonly assigned: AssignedUsersAndGroups;
  readonly mail: MailAccessProps;
  readonly permissions: readonly PermissionRef[];
  readonly consent: Consent;
  readonly exposed: ExposedApi;
  readonly applicationImport: ApplicationImportProps;
}

function applicationOf(app: GraphApplication, p: ApplicationParts): ItsmMailApplicationProps {
  const { owners, deployerOwns } = p.owners;
  const { assignedPrincipals } = p.assigned;
  const { redirectUris, mail, permissions } = p;
  const { exposedScope, exposeApi } = p.exposed;
  return {
    displayName: app.displayName ?? app.appId,
    ...(nonEmpty(app.description) ? { description: app.description } : {}),
    ...(nonEmpty(app.notes) ? { notes: app.notes } : {}),
    signInAudience: p.audience,
    ...(owners.length > 0 ? { owners } : {}),
    includeDeployerAsOwner: deployerOwns,
    preventDuplicateNames: false,
    ...(redirectUris.length > 0 ? { redirectUris } : {}),
    ...(assignedPrincipals.length > 0 ? { assignedPrincipals } : {}),
    mail,
    ...(permissions.length > 0 ? { permissions } : {}),
    adminConsent: p.consent.anyConsent,
    ...(exposedScope ? { exposedScope } : {}),
    ...(exposeApi !== undefined ? { exposeApi } : {}),
    import: p.applicationImport,
  };
}

function portalSecretsOf(app: GraphApplication): PortalSecret[] {
  return (app.passwordCredentials ?? []).map((p) => ({
    keyId: p.keyId,
    ...(nonEmpty(p.displayName) ? { displayName: p.displayName } : {}),
    ...(nonEmpty(p.hint) ? { hint: p.hint } : {}),
    ...(nonEmpty(p.endDateTime) ? { endDateTime: p.endDateTime } : {}),
  }));
}

/** Counts of what was read, for the summary line (Adoption.read). */
function readCountsOf(
  s: PortalSnapshot,
  requested: readonly Requested[],
  consent: Consent,
  { appOwners }: Owners,
  { scopesOfApp }: ExposedApi,
  portalSecrets: readonly PortalSecret[],
): Adoption['read'] {
  const app = s.application;
  return {
    'requested permission': requested.length,
    'admin consent': consent.assignments.length + consent.allPrincipals.length,
    owner: appOwners.length,
    'redirect URI': (app.web?.redirectUris ?? []).length + (app.spa?.redirectUris ?? []).length + (app.publicClient?.redirectUris ?? []).length,
    'identifier URI': (app.identifierUris ?? []).length,
    scope: scopesOfApp.length,
    'client secret': portalSecrets.length,
    certificate: (app.keyCredentials ?? []).length,
    'assigned user or group': s.appRoleAssignedTo.length,
  };
}

/** Adopting is not possible: what was read is not something this project declares. */
export class AdoptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdoptionError';
  }
}

function scopes(g: GraphPermissionGrant): string[] {
  return (g.scope ?? '').split(' ').filter((x) => x !== '');
}

function nameOfResource(r: GraphServicePrincipal | undefined, id: string): string {
  const api = apiOf(r?.appId);
  return api ? KnownApi[api].displayName : (r?.displayName ?? `the resource ${id}`);
}

const STATE_WORDS: ReadonlyMap<string, PolicyStateWord> = new Map(
  Object.entries(PROVIDER_POLICY_STATE).map(([word, state]) => [state, word as PolicyStateWord] as const),
);
const ALIAS_BY_CLIENT_ID = new Map(Object.entries(APPLICATION_ALIASES).map(([alias, a]) => [a.clientId.toLowerCase(), alias] as const));
const STRENGTH_BY_ID = new Map(
  Object.entries(BUILT_IN_AUTHENTICATION_STRENGTHS).map(([name, s]) => [s.policyId.split('/').pop()!.toLowerCase(), name] as const),
);

/** How a policy is translated: for an environment's mfaPolicy (the default) or for a tenant's policy set. */
export interface PolicyTranslation {
  /**
   * `environment`: the first included group is the policy's target group, declared (group.create) and
   * imported when it is a plain security group; `tenant`: every group is named by object ID, none is
   * managed (groups are not conditional access objects), and a target group the project would add is
   * named after the policy.
   * @default 'environment'
   */
  readonly mode?: 'environment' | 'tenant';
  /** A named location's ID → the key the tenant's section declares it under (tenant mode). */
  readonly locationKey?: (id: string) => string | undefined;
}

/** What a policy is read from: the policy, and (environment mode) its target group as read. */
export type PolicySource = Pick<PortalSnapshot, 'groups' | 'groupAdministrativeUnits'> & { readonly policy: NonNullable<PortalSnapshot['policy']> };

/** What a translation step reports: a change the first plan makes, a setting dropped, a setting left as it is. */
interface Reports {
  readonly changes: string[];
  readonly removed: (name: string, why: string) => void;
  readonly kept: (name: string, why: string) => void;
}

const list = (v: readonly string[] | null | undefined) => [...(v ?? [])];
// Graph writes flag enums as one text, joined by commas (flattenAuthenticationFlowTransferMethods splits it so).
const flags = (v: string | null | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
/** The values of a closed list the project declares; any other is reported as removed. */
const closedList =
  (r: Reports) =>
  <T extends string>(values: readonly string[], allowed: readonly T[], what: string): T[] =>
    values.flatMap((v) => {
      if ((allowed as readonly string[]).includes(v)) return [v as T];
      r.removed(`the ${what} ${v}`, `this project declares ${allowed.join(', ')}`);
      return [];
    });

/**
 * The policy, in the words of the mfaPolicy section (a tenant's conditionalAccessPolicies entry
 * takes the same props): the per-policy mapping from Graph's conditionalAccessPolicy.
 */
export function policyOf(
  s: PolicySource,
  changes: string[],
  removed: (name: string, why: string) => void,
  kept: (name: string, why: string) => void,
  o: PolicyTranslation = {},
): MfaPolicyProps {
  const r: Reports = { changes, removed, kept };
  const tenantMode = o.mode === 'tenant';
  const p = s.policy;
  const name = p.displayName ?? MANUAL_DEFAULTS.policyDisplayName;
  const c = p.conditions ?? {};
  const u = c.users ?? {};
  const includeUsers = list(u.includeUsers);
  const allOrNone = includeUsers.some((x) => x === 'All' || x === 'None');
  const [target, ...moreGroups] = list(u.includeGroups);
  // In a tenant's policy set every group is named by object ID: groups are not conditional access objects.
  const { group: groupProps, groupObjectId } = tenantMode ? (target === undefined ? {} : { group: { existingObjectId: target } }) : targetGroupOf(s, target, r);
  const policyImport: { policyId: string; groupObjectId?: string } = { policyId: p.id, ...(groupObjectId !== undefined ? { groupObjectId } : {}) };
  // In this order, so that what each step reports comes in the order of the policy's settings.
  // A named location the tenant's section declares is named by its key (resolved to its object ID at plan time).
  const conditions = conditionsOf(c, r, (id) => o.locationKey?.(id) ?? id);
  const grant = grantOf(p.grantControls ?? {}, r);
  const session = sessionOf(p.sessionControls ?? {}, r);
  const state = STATE_WORDS.get(p.state ?? '');
  if (!state) changes.push(`sets the policy's state to report-only: ${q(p.state ?? '')} is not a state this project knows`);
  const opt = <K extends string, V>(k: K, v: readonly V[]) => (v.length > 0 ? ({ [k]: [...v] } as { [P in K]: V[] }) : {});
  const props: MfaPolicyProps = {
    displayName: p.displayName ?? MANUAL_DEFAULTS.policyDisplayName,
    state: state ?? 'reportOnly',
    ...(groupProps ? { group: groupProps } : {}),
    ...opt('includeUsers', includeUsers),
    ...opt('excludeUsers', list(u.excludeUsers)),
    ...opt('includeGroups', allOrNone && target !== undefined ? [target, ...moreGroups] : moreGroups),
    ...opt('excludeGroups', list(u.excludeGroups)),
    ...opt('includeRoles', list(u.includeRoles)),
    ...opt('excludeRoles', list(u.excludeRoles)),
    ...conditions,
    grant,
    ...session,
    import: policyImport as MfaPolicyImportProps,
  };
  // With no target group, the project declares one only for a policy that targets users by group.
  if (tenantMode && target === undefined && policyGroup(props)) {
    // Named after the policy, so the groups of a tenant's policies do not share the manual's one name.
    const displayName = `${name} (policy group)`.slice(0, 256);
    changes.push(
      `creates the empty security group ${q(displayName)} and adds it to the users the policy applies to: the policy targets users by ID only, and this project declares a group for such a policy (the same users are targeted)`,
    );
    return { ...props, group: { create: { displayName } } };
  }
  const declared = policyGroup(props);
  if (target === undefined && declared && 'create' in declared) {
    changes.push(
      `creates the group ${declared.create.displayName} and adds it to the users the policy applies to: the policy targets no group, and this project declares one for a policy that targets users by group`,
    );
  }
  return props;
}

/** The target group (the first included group): declared (and imported) when it is a plain security group, else named by object ID. */
function targetGroupOf(s: PolicySource, target: string | undefined, r: Reports): { group?: MfaPolicyProps['group']; groupObjectId?: string } {
  // With no target group, whether the project declares one is decided at the end, from the users condition.
  if (target === undefined) return {};
  const group = s.groups.find((g) => g.id.toLowerCase() === target.toLowerCase());
  if (group && group.securityEnabled !== false && !group.mailEnabled && !(group.groupTypes ?? []).includes('Unified') && !nonEmpty(group.membershipRule)) {
    for (const unit of s.groupAdministrativeUnits ?? []) {
      r.removed(
        `the group's membership in the administrative unit ${unit.displayName ? q(unit.displayName) : unit.id}`,
        'the provider reads administrative_unit_ids back and this project does not declare administrative units, so the first plan takes the group out of it',
      );
    }
    return {
      group: {
        create: {
          displayName: group.displayName ?? MANUAL_DEFAULTS.groupDisplayName,
          ...(nonEmpty(group.description) ? { description: group.description } : {}),
          ...(group.isAssignableToRole ? { assignableToRole: true } : {}),
          preventDuplicateNames: false,
        },
      },
      groupObjectId: group.id,
    };
  }
  r.kept(
    `the group ${group?.displayName ? q(group.displayName) : target}`,
    group
      ? 'it is not a plain security group (a Microsoft 365, mail-enabled or dynamic group), which this project declares; the policy names it by object ID and leaves it as it is'
      : 'it could not be read; the policy names it by object ID and leaves it as it is',
  );
  return { group: { existingObjectId: target } };
}

/** The conditions beyond users, roles and groups: guests, resources or user actions, client apps, platforms, locations, filters, risks, flows. */
function conditionsOf(
  c: NonNullable<NonNullable<PortalSnapshot['policy']>['conditions']>,
  r: Reports,
  location: (id: string) => string = (id) => id,
): Partial<MfaPolicyProps> {
  const closed = closedList(r);
  const u = c.users ?? {};
  const apps = c.applications ?? {};
  const alias = (id: string) => ALIAS_BY_CLIENT_ID.get(id.toLowerCase()) ?? id;
  // User actions replace target resources (the provider's ExactlyOneOf).
  const userActions: UserAction[] = [];
  const actionByUrn = new Map(Object.entries(USER_ACTIONS).map(([k, urn]) => [urn.toLowerCase(), k as UserAction] as const));
  for (const a of list(apps.includeUserActions)) {
    const action = actionByUrn.get(a.toLowerCase());
    if (action) userActions.push(action);
    else r.removed(`the user action ${a} the policy targets`, `this project declares the user actions ${Object.values(USER_ACTIONS).join(' and ')}`);
  }
  for (const a of list(apps.includeAuthenticationContextClassReferences))
    r.removed(`the authentication context ${a}`, 'the provider does not declare authentication contexts');
  if (apps.applicationFilter) r.removed('the application filter', 'the provider does not declare it');
  const filterOf = (f: GraphConditionalAccessFilter | null | undefined, what: string): FilterProps | undefined => {
    if (!f) return undefined;
    if ((FILTER_MODES as readonly string[]).includes(f.mode ?? '') && nonEmpty(f.rule)) return { mode: f.mode as FilterMode, rule: f.rule! };
    r.removed(`the ${what}${f.mode ? ` (${f.mode})` : ''}`, `this project declares a filter that includes or excludes what matches a rule`);
    return undefined;
  };
  const deviceFilter = filterOf(c.devices?.deviceFilter, 'device filter');
  for (const k of ['includeDevices', 'excludeDevices', 'includeDeviceStates', 'excludeDeviceStates'] as const) {
    if (list(c.devices?.[k]).length > 0) r.removed(`the retired device condition ${k}`, 'Microsoft replaced it with the device filter');
  }
  const clientApps = c.clientApplications ?? undefined;
  const servicePrincipalFilter = filterOf(clientApps?.servicePrincipalFilter, 'service principal filter');
  const servicePrincipalRiskLevels = closed<RiskLevel>(list(c.servicePrincipalRiskLevels), RISK_LEVELS, 'service principal risk level');
  const authenticationFlows = closed<AuthenticationFlow>(flags(c.authenticationFlows?.transferMethods), AUTHENTICATION_FLOWS, 'authentication flow');
  const insider = flags(c.insiderRiskLevels);
  const insiderRiskLevel = insider.length === 1 ? closed<InsiderRiskLevel>(insider, INSIDER_RISK_LEVELS, 'insider risk level')[0] : undefined;
  if (insider.length > 1) r.removed(`insider risk levels ${insider.join(', ')}`, 'the provider declares one insider risk level');
  const guests = (v: GraphGuestsOrExternalUsers | null | undefined, side: 'includes' | 'excludes'): GuestsOrExternalUsersProps | undefined => {
    if (!v) return undefined;
    const types = closed<GuestOrExternalUserType>(
      flags(v.guestOrExternalUserTypes),
      GUEST_OR_EXTERNAL_USER_TYPES,
      `kind of guest or external user the policy ${side}`,
    );
    const t = v.externalTenants ?? undefined;
    const members = list(t?.members);
    const externalTenants =
      t === undefined || t.membershipKind === 'all' ? 'all' : t.membershipKind === 'enumerated' && members.length > 0 ? members : undefined;
    if (types.length === 0 || externalTenants === undefined) {
      r.removed(`the guests and external users the policy ${side}`, 'this project declares them by kind, from all or listed tenants');
      return undefined;
    }
    // The model writes the kinds in Graph's enum order (normalizeGuests); the provider compares the list in order.
    const ordered = GUEST_OR_EXTERNAL_USER_TYPES.filter((x) => types.includes(x));
    if (ordered.join() !== types.join())
      r.changes.push(`lists the kinds of guest or external user the policy ${side} as ${ordered.join(', ')} instead of ${types.join(', ')}; the same kinds`);
    return { types, ...(externalTenants === 'all' ? {} : { externalTenants }) };
  };
  const includeGuestsOrExternalUsers = guests(u.includeGuestsOrExternalUsers, 'includes');
  const excludeGuestsOrExternalUsers = guests(u.excludeGuestsOrExternalUsers, 'excludes');
  const opt = <K extends string, V>(k: K, v: readonly V[]) => (v.length > 0 ? ({ [k]: [...v] } as { [P in K]: V[] }) : {});
  return {
    ...(includeGuestsOrExternalUsers ? { includeGuestsOrExternalUsers } : {}),
    ...(excludeGuestsOrExternalUsers ? { excludeGuestsOrExternalUsers } : {}),
    ...(userActions.length > 0
      ? { includeUserActions: userActions }
      : { includeApplications: list(apps.includeApplications).map(alias), ...opt('excludeApplications', list(apps.excludeApplications).map(alias)) }),
    ...(c.locations
      ? {
          ...opt('includeLocations', list(c.locations.includeLocations).map(location)),
          ...opt('excludeLocations', list(c.locations.excludeLocations).map(location)),
        }
      : {}),
    ...(deviceFilter ? { deviceFilter } : {}),
    ...opt('includeServicePrincipals', list(clientApps?.includeServicePrincipals)),
    ...opt('excludeServicePrincipals', list(clientApps?.excludeServicePrincipals)),
    ...(servicePrincipalFilter ? { servicePrincipalFilter } : {}),
    ...opt('servicePrincipalRiskLevels', servicePrincipalRiskLevels),
    ...(insiderRiskLevel ? { insiderRiskLevels: insiderRiskLevel } : {}),
    ...opt('authenticationFlows', authenticationFlows),
    clientAppTypes: (list(c.clientAppTypes).length > 0 ? list(c.clientAppTypes) : ['all']) as ClientAppType[],
    ...opt('signInRiskLevels', list(c.signInRiskLevels) as NonNullable<MfaPolicyProps['signInRiskLevels']>),
    ...opt('userRiskLevels', list(c.userRiskLevels) as NonNullable<MfaPolicyProps['userRiskLevels']>),
    ...(c.platforms
      ? {
          includePlatforms: list(c.platforms.includePlatforms) as NonNullable<MfaPolicyProps['includePlatforms']>,
          ...opt('excludePlatforms', list(c.platforms.excludePlatforms) as NonNullable<MfaPolicyProps['excludePlatforms']>),
        }
      : {}),
  };
}

/** Grant controls: block alone, or MFA first, then the other controls, an authentication strength, terms of use. */
function grantOf(g: NonNullable<NonNullable<PortalSnapshot['policy']>['grantControls']>, r: Reports): NonNullable<MfaPolicyProps['grant']> {
  const controls = list(g.builtInControls);
  const strengthId = g.authenticationStrength?.id ?? undefined;
  // "Block access" goes with no other control (Graph refuses others beside it).
  const block = controls.includes('block');
  const mfa = !block && controls.includes('mfa');
  const others = controls.filter((x) => x !== 'mfa' && x !== 'block');
  const additional = others.filter((x): x is AdditionalGrantControl => (ADDITIONAL_GRANT_CONTROLS as readonly string[]).includes(x));
  for (const x of others.filter((c) => !additional.includes(c as AdditionalGrantControl))) {
    r.removed(
      `the grant control ${x}`,
      x === 'approvedApplication'
        ? '"Require approved client app" is retired by Microsoft (replaced by "Require app protection policy", compliantApplication); this project refuses it'
        : `azuread 3.7.0 does not know it: its built_in_controls are ${BUILT_IN_CONTROLS.join(', ')}; the first plan sends the policy without it`,
    );
  }
  if (block) for (const x of additional) r.removed(`the grant control ${x} beside "Block access"`, 'block goes with no other control');
  const expectedOrder = [...(mfa ? ['mfa'] : []), ...additional];
  const keptOrder = controls.filter((x) => expectedOrder.includes(x));
  if (!block && keptOrder.join() !== expectedOrder.join())
    r.changes.push(`lists the grant controls as ${expectedOrder.join(', ')} (mfa first) instead of ${keptOrder.join(', ')}; the same controls`);
  for (const f of list(g.customAuthenticationFactors)) r.removed(`the custom authentication factor ${f}`, 'this project does not declare it');
  const operator = nonEmpty(g.operator) ? { operator: g.operator as 'AND' | 'OR' } : {};
  return block
    ? { block: true, ...operator }
    : {
        ...(mfa ? { mfa: true } : { mfa: false }),
        ...(strengthId ? { authenticationStrength: STRENGTH_BY_ID.get(strengthId.toLowerCase()) ?? `${AUTHENTICATION_STRENGTH_ID_PREFIX}${strengthId}` } : {}),
        ...(additional.length > 0 ? { additionalControls: additional } : {}),
        ...(list(g.termsOfUse).length > 0 ? { termsOfUse: list(g.termsOfUse) } : {}),
        ...operator,
      };
}

/**
 * Session controls: flattenConditionalAccessSessionControls (conditionalaccess.go) reads each into
 * session_controls, so each is declared as the portal set it where the project can say it, else listed.
 */
function sessionOf(session: NonNullable<NonNullable<PortalSnapshot['policy']>['sessionControls']>, r: Reports): Partial<MfaPolicyProps> {
  let signInFrequency: SignInFrequencyProps | undefined;
  let signInFrequencyAuthenticationType: SignInFrequencyAuthenticationType | undefined;
  const sif = session.signInFrequency;
  if (sif?.isEnabled) {
    if (sif.frequencyInterval === 'everyTime') signInFrequency = 'everyTime';
    else if (typeof sif.value === 'number' && (sif.type === 'hours' || sif.type === 'days')) signInFrequency = { value: sif.value, unit: sif.type };
    if (signInFrequency === undefined)
      r.removed(
        `the sign-in frequency (${[sif.value, sif.type, sif.frequencyInterval].filter((x) => x !== null && x !== undefined).join(' ') || 'no period'})`,
        'this project declares a period in hours or days, or every time',
      );
    else if (sif.authenticationType && sif.authenticationType !== 'primaryAndSecondaryAuthentication') {
      if ((SIGN_IN_FREQUENCY_AUTHENTICATION_TYPES as readonly string[]).includes(sif.authenticationType))
        signInFrequencyAuthenticationType = sif.authenticationType as SignInFrequencyAuthenticationType;
      else r.changes.push(`asks for sign-in frequency on every authentication (primaryAndSecondaryAuthentication) instead of ${sif.authenticationType}`);
    }
  }
  const mode = session.persistentBrowser?.mode ?? '';
  const persistentBrowser =
    session.persistentBrowser?.isEnabled && (PERSISTENT_BROWSER_MODES as readonly string[]).includes(mode) ? (mode as PersistentBrowserMode) : undefined;
  if (session.persistentBrowser?.isEnabled && !persistentBrowser)
    r.removed(`the persistent browser session control${mode ? ` (${mode})` : ''}`, 'this project declares its modes always and never');
  const appControl = session.cloudAppSecurity?.cloudAppSecurityType ?? '';
  const cloudAppSecurity =
    session.cloudAppSecurity?.isEnabled && (CLOUD_APP_SECURITY_POLICIES as readonly string[]).includes(appControl)
      ? (appControl as CloudAppSecurityPolicy)
      : undefined;
  if (session.cloudAppSecurity?.isEnabled && !cloudAppSecurity)
    r.removed(
      `the Conditional Access App Control session control${appControl ? ` (${appControl})` : ''}`,
      `this project declares ${CLOUD_APP_SECURITY_POLICIES.join(', ')}`,
    );
  // With sign-in frequency every time the provider never sends these two (expandConditionalAccessSessionControls), and the model refuses them.
  const everyTime = signInFrequency === 'everyTime';
  const applicationEnforcedRestrictions = session.applicationEnforcedRestrictions?.isEnabled === true;
  const disableResilienceDefaults = session.disableResilienceDefaults === true;
  if (applicationEnforcedRestrictions && everyTime) r.removed('app enforced restrictions', 'with sign-in frequency every time the provider does not send them');
  if (disableResilienceDefaults && everyTime) r.removed('"Disable resilience defaults"', 'with sign-in frequency every time the provider does not send it');
  return {
    ...(signInFrequency !== undefined ? { signInFrequency } : {}),
    ...(signInFrequencyAuthenticationType !== undefined ? { signInFrequencyAuthenticationType } : {}),
    ...(applicationEnforcedRestrictions && !everyTime ? { applicationEnforcedRestrictions: true } : {}),
    ...(cloudAppSecurity !== undefined ? { cloudAppSecurity } : {}),
    ...(persistentBrowser !== undefined ? { persistentBrowser } : {}),
    ...(disableResilienceDefaults && !everyTime ? { disableResilienceDefaults: true } : {}),
  };
}
