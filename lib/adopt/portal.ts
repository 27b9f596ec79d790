/**
 * What the portal made, as Microsoft Graph v1.0 returns it (the resource types `application`,
 * `servicePrincipal`, `appRoleAssignment`, `oAuth2PermissionGrant`, `conditionalAccessPolicy`,
 * `group`; only the properties adopt reads, all optional where Graph may leave them out or null),
 * and the reads that collect them for one client ID and, optionally, one policy.
 */
import { isUuid } from '../model/ids';
import { printable } from '../private/printable';
import { GraphError, type GraphClient } from './graph';

export interface GraphPermissionScope {
  readonly id: string;
  readonly value?: string | null;
  readonly type?: string | null;
  readonly isEnabled?: boolean | null;
  readonly adminConsentDisplayName?: string | null;
  readonly adminConsentDescription?: string | null;
  readonly userConsentDisplayName?: string | null;
  readonly userConsentDescription?: string | null;
}

export interface GraphAppRole {
  readonly id: string;
  readonly value?: string | null;
  readonly displayName?: string | null;
  readonly isEnabled?: boolean | null;
  readonly allowedMemberTypes?: readonly string[] | null;
}

export interface GraphPasswordCredential {
  readonly keyId: string;
  readonly displayName?: string | null;
  readonly hint?: string | null;
  readonly startDateTime?: string | null;
  readonly endDateTime?: string | null;
}

export interface GraphKeyCredential {
  readonly keyId: string;
  readonly displayName?: string | null;
  readonly type?: string | null;
  readonly endDateTime?: string | null;
}

export interface GraphApplication {
  readonly id: string;
  readonly appId: string;
  readonly displayName?: string | null;
  readonly description?: string | null;
  readonly notes?: string | null;
  readonly signInAudience?: string | null;
  readonly identifierUris?: readonly string[] | null;
  readonly tags?: readonly string[] | null;
  readonly groupMembershipClaims?: string | null;
  readonly isFallbackPublicClient?: boolean | null;
  readonly isDeviceOnlyAuthSupported?: boolean | null;
  readonly serviceManagementReference?: string | null;
  readonly api?: {
    readonly requestedAccessTokenVersion?: number | null;
    readonly acceptMappedClaims?: boolean | null;
    readonly knownClientApplications?: readonly string[] | null;
    readonly oauth2PermissionScopes?: readonly GraphPermissionScope[] | null;
    readonly preAuthorizedApplications?: readonly { readonly appId: string }[] | null;
  } | null;
  readonly appRoles?: readonly GraphAppRole[] | null;
  readonly web?: {
    readonly redirectUris?: readonly string[] | null;
    readonly homePageUrl?: string | null;
    readonly logoutUrl?: string | null;
    readonly implicitGrantSettings?: { readonly enableAccessTokenIssuance?: boolean | null; readonly enableIdTokenIssuance?: boolean | null } | null;
  } | null;
  readonly spa?: { readonly redirectUris?: readonly string[] | null } | null;
  readonly publicClient?: { readonly redirectUris?: readonly string[] | null } | null;
  readonly info?: {
    readonly marketingUrl?: string | null;
    readonly privacyStatementUrl?: string | null;
    readonly supportUrl?: string | null;
    readonly termsOfServiceUrl?: string | null;
  } | null;
  readonly optionalClaims?: {
    readonly accessToken?: readonly unknown[] | null;
    readonly idToken?: readonly unknown[] | null;
    readonly saml2Token?: readonly unknown[] | null;
  } | null;
  readonly requiredResourceAccess?:
    | readonly { readonly resourceAppId: string; readonly resourceAccess: readonly { readonly id: string; readonly type: string }[] }[]
    | null;
  readonly passwordCredentials?: readonly GraphPasswordCredential[] | null;
  readonly keyCredentials?: readonly GraphKeyCredential[] | null;
}

export interface GraphServicePrincipal {
  readonly id: string;
  readonly appId: string;
  readonly displayName?: string | null;
  readonly accountEnabled?: boolean | null;
  readonly appRoleAssignmentRequired?: boolean | null;
  readonly alternativeNames?: readonly string[] | null;
  readonly description?: string | null;
  readonly notes?: string | null;
  readonly loginUrl?: string | null;
  readonly notificationEmailAddresses?: readonly string[] | null;
  readonly preferredSingleSignOnMode?: string | null;
  readonly appRoles?: readonly GraphAppRole[] | null;
  readonly oauth2PermissionScopes?: readonly GraphPermissionScope[] | null;
}

export interface GraphAppRoleAssignment {
  readonly id: string;
  readonly appRoleId: string;
  readonly principalId: string;
  readonly principalType?: string | null;
  readonly principalDisplayName?: string | null;
  readonly resourceId: string;
  readonly resourceDisplayName?: string | null;
}

export interface GraphPermissionGrant {
  readonly id: string;
  readonly clientId: string;
  readonly consentType: string;
  readonly principalId?: string | null;
  readonly resourceId: string;
  readonly scope?: string | null;
}

export interface GraphDirectoryObject {
  readonly id: string;
  readonly '@odata.type'?: string;
}

/** conditionalAccessFilter: a rule in Entra ID's filter syntax, and whether it includes or excludes. */
export interface GraphConditionalAccessFilter {
  readonly mode?: string | null;
  readonly rule?: string | null;
}

/** conditionalAccessGuestsOrExternalUsers. */
export interface GraphGuestsOrExternalUsers {
  /** Flag enum: `internalGuest,b2bCollaborationGuest,...`. */
  readonly guestOrExternalUserTypes?: string | null;
  /** conditionalAccessAllExternalTenants (`all`) or conditionalAccessEnumeratedExternalTenants (`enumerated` with members). */
  readonly externalTenants?: { readonly '@odata.type'?: string; readonly membershipKind?: string | null; readonly members?: readonly string[] | null } | null;
}

export interface GraphConditionalAccessPolicy {
  readonly id: string;
  readonly displayName?: string | null;
  readonly state?: string | null;
  readonly conditions?: {
    readonly clientAppTypes?: readonly string[] | null;
    readonly signInRiskLevels?: readonly string[] | null;
    readonly userRiskLevels?: readonly string[] | null;
    readonly servicePrincipalRiskLevels?: readonly string[] | null;
    readonly insiderRiskLevels?: string | null;
    readonly applications?: {
      readonly includeApplications?: readonly string[] | null;
      readonly excludeApplications?: readonly string[] | null;
      readonly includeUserActions?: readonly string[] | null;
      readonly includeAuthenticationContextClassReferences?: readonly string[] | null;
      readonly applicationFilter?: unknown;
    } | null;
    readonly users?: {
      readonly includeUsers?: readonly string[] | null;
      readonly excludeUsers?: readonly string[] | null;
      readonly includeGroups?: readonly string[] | null;
      readonly excludeGroups?: readonly string[] | null;
      readonly includeRoles?: readonly string[] | null;
      readonly excludeRoles?: readonly string[] | null;
      readonly includeGuestsOrExternalUsers?: GraphGuestsOrExternalUsers | null;
      readonly excludeGuestsOrExternalUsers?: GraphGuestsOrExternalUsers | null;
    } | null;
    readonly platforms?: { readonly includePlatforms?: readonly string[] | null; readonly excludePlatforms?: readonly string[] | null } | null;
    readonly locations?: { readonly includeLocations?: readonly string[] | null; readonly excludeLocations?: readonly string[] | null } | null;
    readonly devices?: {
      readonly deviceFilter?: GraphConditionalAccessFilter | null;
      readonly includeDevices?: readonly string[] | null;
      readonly excludeDevices?: readonly string[] | null;
      readonly includeDeviceStates?: readonly string[] | null;
      readonly excludeDeviceStates?: readonly string[] | null;
    } | null;
    readonly clientApplications?: {
      readonly includeServicePrincipals?: readonly string[] | null;
      readonly excludeServicePrincipals?: readonly string[] | null;
      readonly servicePrincipalFilter?: GraphConditionalAccessFilter | null;
    } | null;
    /** Flag enum: `deviceCodeFlow,authenticationTransfer`. */
    readonly authenticationFlows?: { readonly transferMethods?: string | null } | null;
  } | null;
  readonly grantControls?: {
    readonly operator?: string | null;
    readonly builtInControls?: readonly string[] | null;
    readonly customAuthenticationFactors?: readonly string[] | null;
    readonly termsOfUse?: readonly string[] | null;
    readonly authenticationStrength?: { readonly id?: string | null; readonly displayName?: string | null } | null;
  } | null;
  readonly sessionControls?: {
    readonly signInFrequency?: {
      readonly isEnabled?: boolean | null;
      readonly type?: string | null;
      readonly value?: number | null;
      readonly frequencyInterval?: string | null;
      readonly authenticationType?: string | null;
    } | null;
    readonly persistentBrowser?: { readonly isEnabled?: boolean | null; readonly mode?: string | null } | null;
    readonly cloudAppSecurity?: { readonly isEnabled?: boolean | null; readonly cloudAppSecurityType?: string | null } | null;
    readonly applicationEnforcedRestrictions?: { readonly isEnabled?: boolean | null } | null;
    readonly disableResilienceDefaults?: boolean | null;
  } | null;
}

/**
 * A named location (`namedLocation`): `#microsoft.graph.ipNamedLocation` (`ipRanges` of
 * `iPv4CidrRange` / `iPv6CidrRange`, `isTrusted`) or `#microsoft.graph.countryNamedLocation`
 * (`countriesAndRegions`, `includeUnknownCountriesAndRegions`, `countryLookupMethod`).
 */
export interface GraphNamedLocation {
  readonly id: string;
  readonly '@odata.type'?: string;
  readonly displayName?: string | null;
  readonly isTrusted?: boolean | null;
  readonly ipRanges?: readonly { readonly '@odata.type'?: string; readonly cidrAddress?: string | null }[] | null;
  readonly countriesAndRegions?: readonly string[] | null;
  readonly includeUnknownCountriesAndRegions?: boolean | null;
  readonly countryLookupMethod?: string | null;
}

export interface GraphGroup {
  readonly id: string;
  readonly displayName?: string | null;
  readonly description?: string | null;
  readonly securityEnabled?: boolean | null;
  readonly mailEnabled?: boolean | null;
  readonly groupTypes?: readonly string[] | null;
  readonly isAssignableToRole?: boolean | null;
  readonly membershipRule?: string | null;
}

/** Everything adopt read, for one client ID. */
export interface PortalSnapshot {
  readonly application: GraphApplication;
  readonly applicationOwners: readonly GraphDirectoryObject[];
  /** Absent when the application has no service principal in this tenant yet. */
  readonly servicePrincipal?: GraphServicePrincipal;
  readonly servicePrincipalOwners: readonly GraphDirectoryObject[];
  /** Consents to application permissions: app role assignments whose principal is the service principal. */
  readonly appRoleAssignments: readonly GraphAppRoleAssignment[];
  /** Users and groups assigned to the application: app role assignments whose resource is the service principal. */
  readonly appRoleAssignedTo: readonly GraphAppRoleAssignment[];
  /** Delegated permission grants whose client is the service principal. */
  readonly permissionGrants: readonly GraphPermissionGrant[];
  /** The resource APIs' service principals by object ID (with their app roles and scopes, to name permissions). */
  readonly resources: readonly GraphServicePrincipal[];
  readonly policy?: GraphConditionalAccessPolicy;
  /** The groups a policy includes or excludes that were read (the target group first). */
  readonly groups: readonly GraphGroup[];
  /**
   * The administrative units the target group is a member of. The provider reads them back into
   * `administrative_unit_ids` (groupResourceRead, from memberOf), so a declared group leaves them
   * unless the config says them.
   */
  readonly groupAdministrativeUnits?: readonly { readonly id: string; readonly displayName?: string | null }[];
}

/** A read that found nothing: the client ID or policy ID named does not exist here. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/**
 * Microsoft Graph answered something other than what adopt asked for: another object than the one
 * named, or several where the filter names one. adopt reads nothing it did not ask for: a proxy or
 * a server that is not Graph would otherwise have it declare and import someone else's objects.
 */
export class GraphAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphAnswerError';
  }
}

const RESOURCE_SELECT = '$select=id,appId,displayName,appRoles,oauth2PermissionScopes';
const quote = (s: string) => encodeURIComponent(`'${s.replace(/'/g, "''")}'`);

/** A value Graph sent, for a message: quoted, one printable line, cut short. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  const chars = [...text];
  const cut = chars.length > 80 ? `${chars.slice(0, 80).join('')}…` : text;
  return typeof value === 'string' ? printable(JSON.stringify(cut)) : printable(cut);
}

/** The same object ID or client ID (GUIDs compare without regard to case). */
const sameId = (got: unknown, asked: string) => typeof got === 'string' && got.toLowerCase() === asked.toLowerCase();

/**
 * The one object a `$filter=<field> eq '<value>'` answer holds, or undefined when it holds none.
 * @throws GraphAnswerError when it holds several, or one whose field is not the value asked for
 */
function onlyMatch<T extends object>(items: readonly T[], field: keyof T & string, value: string, what: string): T | undefined {
  const asked = `Microsoft Graph was asked for the ${what} whose ${field} is ${value}`;
  if (items.length > 1)
    throw new GraphAnswerError(
      `${asked} and answered ${items.length} (${field} ${items
        .slice(0, 5)
        .map((i) => shown((i as Record<string, unknown>)[field]))
        .join(', ')}${items.length > 5 ? ', …' : ''}); one ${field} names one ${what}`,
    );
  const [item] = items;
  if (item !== undefined) sameObject(item, field, value, what);
  return item;
}

/** @throws GraphAnswerError when `item`'s field is not the value adopt asked for. */
function sameObject<T extends object>(item: T, field: keyof T & string, value: string, what: string): T {
  const got = (item as Record<string, unknown>)[field];
  if (!sameId(got, value))
    throw new GraphAnswerError(`Microsoft Graph was asked for the ${what} whose ${field} is ${value} and answered one whose ${field} is ${shown(got)}`);
  return item;
}

/**
 * The object ID of an object Graph answered, to read what hangs from it (`/applications/{id}/owners`).
 * @throws GraphAnswerError when it is not a GUID: a path such as `../../identity/…` would leave the
 *   object (and /v1.0) and read something else with the deployer's token
 */
function objectIdOf(item: { readonly id?: unknown }, what: string): string {
  if (typeof item.id !== 'string' || !isUuid(item.id))
    throw new GraphAnswerError(`Microsoft Graph answered the ${what} with an object ID that is not a GUID (${shown(item.id)}); adopt reads nothing by it`);
  return item.id;
}

/** Graph answered `object` with `field` of a shape adopt does not read (which the types above say). */
export function shapeError(object: string, field: string, value: unknown, expected: string): GraphAnswerError {
  return new GraphAnswerError(`Microsoft Graph answered ${object} in a shape adopt does not read: ${field} is ${shown(value)}, where adopt reads ${expected}`);
}

/**
 * Runs `translate` on what Graph answered for `object`. The types above are Graph's documented
 * shapes, and most of them are not checked field by field when read: a value of another shape
 * (a text where a list goes, null in a list) ends as a TypeError in the translation, which is said
 * as what it is, Graph's answer for that object, not as an unexpected failure of adopt.
 * @throws GraphAnswerError for a TypeError
 */
export function inShapeRead<T>(object: string, translate: () => T): T {
  try {
    return translate();
  } catch (e) {
    if (e instanceof TypeError) throw new GraphAnswerError(`Microsoft Graph answered ${object} in a shape adopt does not read (${e.message})`);
    throw e;
  }
}

/** @throws GraphAnswerError unless `value` is absent (null) or a list of objects. */
function listOfObjects(object: string, field: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => v === null || typeof v !== 'object' || Array.isArray(v)))
    throw shapeError(object, field, value, 'a list of objects');
}

/** The lists of a policy's conditions and grant controls that adopt reads: each one of IDs, names or values, all text. */
const POLICY_LISTS =
  /^(?:(?:include|exclude)[A-Z]\w*|clientAppTypes|signInRiskLevels|userRiskLevels|servicePrincipalRiskLevels|builtInControls|customAuthenticationFactors|termsOfUse|members)$/;

/** @throws GraphAnswerError when a list of a policy's conditions or grant controls that adopt reads holds something other than text. */
function policyListsOfText(p: GraphConditionalAccessPolicy, object: string): void {
  const walk = (v: unknown, path: string, key: string): void => {
    if (Array.isArray(v)) {
      if (POLICY_LISTS.test(key) && v.some((x) => typeof x !== 'string')) throw shapeError(object, path, v, 'a list of text');
      return;
    }
    if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`, k);
  };
  walk(p.conditions, 'conditions', 'conditions');
  walk(p.grantControls, 'grantControls', 'grantControls');
}

/**
 * The objects of a tenant's conditional access as adopt keys and imports them: each with a GUID for
 * its object ID and text (or nothing) for its name.
 * @throws GraphAnswerError otherwise
 */
function keyable<T extends { readonly id: string; readonly displayName?: string | null }>(items: readonly T[], what: string): T[] {
  for (const i of items) {
    objectIdOf(i, what);
    const name: unknown = i.displayName;
    if (name !== null && name !== undefined && typeof name !== 'string') throw shapeError(`the ${what} ${i.id}`, 'displayName', name, 'text');
    if (what === 'conditional access policy') policyListsOfText(i as GraphConditionalAccessPolicy, `the ${what} ${i.id}`);
  }
  return [...items];
}

/** The fix that names the client ID Graph answered for an object: as a flag only when it is a GUID. */
function useClientId(appId: unknown): string {
  return typeof appId === 'string' && isUuid(appId)
    ? `use --client-id ${appId}`
    : `Microsoft Graph answered a client ID for it that is not one (${shown(appId)}): copy the "Application (client) ID" from the app registration's Overview page`;
}

/** @throws GraphAnswerError when an item of a filtered collection does not have the value the filter asked for. */
function allMatch<T extends object>(items: readonly T[], field: keyof T & string, value: string, what: string): T[] {
  for (const i of items) sameObject(i, field, value, what);
  return [...items];
}

/** Reads what the portal made for `clientId` (and the policy `policyId`). @throws NotFoundError, GraphError, GraphAnswerError */
export async function readPortal(graph: GraphClient, clientId: string, policyId?: string): Promise<PortalSnapshot> {
  const application = onlyMatch(
    await graph.list<GraphApplication>(`/v1.0/applications?$filter=appId%20eq%20${quote(clientId)}`),
    'appId',
    clientId,
    'application',
  );
  if (!application) {
    // An object ID given for the client ID is the most common slip: say which object it is. Its
    // name is quoted as a value (it cannot end the quote and add words of its own), and its client
    // ID is suggested as a flag only when it is one: the line is something people copy and run.
    const asObject = await graph.find<GraphApplication>(`/v1.0/applications/${encodeURIComponent(clientId)}`).catch(() => undefined);
    if (asObject) {
      sameObject(asObject, 'id', clientId, 'application');
      throw new NotFoundError(
        `${clientId} is the object ID of the application ${shown(asObject.displayName ?? '')}, not its client ID: ${useClientId(asObject.appId)}`,
      );
    }
    const asSp = onlyMatch(
      await graph.list<GraphServicePrincipal>(`/v1.0/servicePrincipals?$filter=id%20eq%20${quote(clientId)}`).catch(() => []),
      'id',
      clientId,
      'service principal',
    );
    if (asSp)
      throw new NotFoundError(
        `${clientId} is the object ID of the service principal ${shown(asSp.displayName ?? '')}, not the application's client ID: ${useClientId(asSp.appId)}`,
      );
    throw new NotFoundError(
      `this tenant has no application with client ID ${clientId}: copy the "Application (client) ID" from the app registration's Overview page (and check ARM_TENANT_ID names its tenant)`,
    );
  }
  const app = `the application with client ID ${clientId}`;
  listOfObjects(app, 'requiredResourceAccess', application.requiredResourceAccess);
  for (const r of application.requiredResourceAccess ?? [])
    if (typeof r.resourceAppId !== 'string') throw shapeError(app, 'requiredResourceAccess[].resourceAppId', r.resourceAppId, 'an application ID');
  const applicationOwners = await graph.list<GraphDirectoryObject>(
    `/v1.0/applications/${encodeURIComponent(objectIdOf(application, `application with client ID ${clientId}`))}/owners?$select=id`,
  );
  const servicePrincipal = onlyMatch(
    await graph.list<GraphServicePrincipal>(`/v1.0/servicePrincipals?$filter=appId%20eq%20${quote(clientId)}`),
    'appId',
    clientId,
    'service principal',
  );
  const sp = servicePrincipal ? objectIdOf(servicePrincipal, `service principal of the application with client ID ${clientId}`) : undefined;
  const spPath = sp ? `/v1.0/servicePrincipals/${encodeURIComponent(sp)}` : '';
  const servicePrincipalOwners = sp ? await graph.list<GraphDirectoryObject>(`${spPath}/owners?$select=id`) : [];
  const appRoleAssignments = sp
    ? allMatch(await graph.list<GraphAppRoleAssignment>(`${spPath}/appRoleAssignments`), 'principalId', sp, 'app role assignment')
    : [];
  const appRoleAssignedTo = sp
    ? allMatch(await graph.list<GraphAppRoleAssignment>(`${spPath}/appRoleAssignedTo`), 'resourceId', sp, 'app role assignment')
    : [];
  const permissionGrants = sp
    ? allMatch(
        await graph.list<GraphPermissionGrant>(`/v1.0/oauth2PermissionGrants?$filter=clientId%20eq%20${quote(sp)}`),
        'clientId',
        sp,
        'delegated permission grant',
      )
    : [];

  // The resource APIs, to name what the requests and consents refer to by ID.
  const resources = new Map<string, GraphServicePrincipal>();
  for (const rra of application.requiredResourceAccess ?? []) {
    const r = onlyMatch(
      await graph.list<GraphServicePrincipal>(`/v1.0/servicePrincipals?$filter=appId%20eq%20${quote(rra.resourceAppId)}&${RESOURCE_SELECT}`),
      'appId',
      rra.resourceAppId,
      'service principal',
    );
    if (r) resources.set(r.id, r);
  }
  for (const id of new Set([...appRoleAssignments.map((a) => a.resourceId), ...permissionGrants.map((g) => g.resourceId)])) {
    if (resources.has(id)) continue;
    const r = await graph.find<GraphServicePrincipal>(`/v1.0/servicePrincipals/${encodeURIComponent(id)}?${RESOURCE_SELECT}`);
    if (r) resources.set(r.id, sameObject(r, 'id', id, 'service principal'));
  }

  let policy: GraphConditionalAccessPolicy | undefined;
  const groups: GraphGroup[] = [];
  let groupAdministrativeUnits: { id: string; displayName?: string | null }[] | undefined;
  if (policyId !== undefined) {
    policy = await graph.find<GraphConditionalAccessPolicy>(`/v1.0/identity/conditionalAccess/policies/${encodeURIComponent(policyId)}`);
    if (!policy)
      throw new NotFoundError(
        `this tenant has no conditional access policy with ID ${policyId}: copy the "Policy ID" from Conditional Access → Policies → the policy (or leave --policy-id out)`,
      );
    sameObject(policy, 'id', policyId, 'conditional access policy');
    policyListsOfText(policy, `the conditional access policy ${policyId}`);
    const target = policy.conditions?.users?.includeGroups?.[0];
    if (target) {
      const g = await graph.find<GraphGroup>(
        `/v1.0/groups/${encodeURIComponent(target)}?$select=id,displayName,description,securityEnabled,mailEnabled,groupTypes,isAssignableToRole,membershipRule`,
      );
      if (g) {
        groups.push(sameObject(g, 'id', target, 'group'));
        groupAdministrativeUnits = await graph.list<{ id: string; displayName?: string | null }>(
          `/v1.0/groups/${encodeURIComponent(g.id)}/memberOf/microsoft.graph.administrativeUnit?$select=id,displayName`,
        );
      }
    }
  }
  return {
    application,
    applicationOwners,
    ...(servicePrincipal ? { servicePrincipal } : {}),
    servicePrincipalOwners,
    appRoleAssignments,
    appRoleAssignedTo,
    permissionGrants,
    resources: [...resources.values()],
    ...(policy ? { policy } : {}),
    groups,
    ...(groupAdministrativeUnits ? { groupAdministrativeUnits } : {}),
  };
}

/** Every conditional access policy and named location of the tenant, in Graph's order. */
export interface TenantSnapshot {
  readonly policies: readonly GraphConditionalAccessPolicy[];
  readonly namedLocations: readonly GraphNamedLocation[];
  /**
   * The users, groups and service principals the policies name by object ID that Graph does not
   * have (deleted since): the plan reads each through a data source, which fails on one that is
   * not found. Lower-case IDs. @default none
   */
  readonly missing?: ReadonlySet<string>;
}

/** A policy's directory objects by ID, by the collection that holds them (as the provider's data sources read them). */
export function directoryReferences(p: GraphConditionalAccessPolicy): {
  readonly users: string[];
  readonly groups: string[];
  readonly servicePrincipals: string[];
} {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const u = p.conditions?.users;
  const sp = p.conditions?.clientApplications;
  const ids = (...lists: (readonly string[] | null | undefined)[]) => lists.flatMap((l) => [...(l ?? [])]).filter((x) => uuid.test(x));
  return {
    users: ids(u?.includeUsers, u?.excludeUsers),
    groups: ids(u?.includeGroups, u?.excludeGroups),
    servicePrincipals: ids(sp?.includeServicePrincipals, sp?.excludeServicePrincipals),
  };
}

/**
 * Reads the tenant's conditional access: every policy and every named location, page after page
 * (`GET /identity/conditionalAccess/policies` and `/namedLocations`, Policy.Read.All). @throws GraphError, GraphAnswerError
 */
export async function readTenantConditionalAccess(graph: GraphClient): Promise<TenantSnapshot> {
  const namedLocations = keyable(await graph.list<GraphNamedLocation>('/v1.0/identity/conditionalAccess/namedLocations'), 'named location');
  const policies = keyable(await graph.list<GraphConditionalAccessPolicy>('/v1.0/identity/conditionalAccess/policies'), 'conditional access policy');
  // Each object the policies name, once, where the provider's data source reads it (azuread_user: /users,
  // azuread_group: /groups, azuread_service_principal: /servicePrincipals), to find those deleted since.
  const missing = new Set<string>();
  const seen = new Set<string>();
  for (const [collection, ids] of [
    ['users', policies.flatMap((p) => directoryReferences(p).users)],
    ['groups', policies.flatMap((p) => directoryReferences(p).groups)],
    ['servicePrincipals', policies.flatMap((p) => directoryReferences(p).servicePrincipals)],
  ] as const) {
    for (const id of ids.map((x) => x.toLowerCase())) {
      if (seen.has(`${collection}/${id}`)) continue;
      seen.add(`${collection}/${id}`);
      if ((await graph.find<{ id: string }>(`/v1.0/${collection}/${id}?$select=id`)) === undefined) missing.add(id);
    }
  }
  return { policies, namedLocations, missing };
}

export { GraphError };
