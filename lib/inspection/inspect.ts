/**
 * Builds the typed inspection of one stack from its synthesized Terraform JSON (as cdktf writes
 * `cdk.tf.json`, with the `//` metadata that names each resource's construct path) and from the
 * constructs' declarations. Pure: no cdktf, no constructs; the same input gives the same output.
 */
import { KnownApi } from '../permissions/catalogue';
import { allPermissions } from '../permissions/catalogue';
import type { ApiName, PermissionType } from '../model/permissions';
import { DEFAULT_ACCESS_APP_ROLE_ID } from '../model/ids';
import type { Declaration, DeclaredPermission } from './declarations';
import type {
  InspectedAppRoleAssignment,
  InspectedApplication,
  InspectedBackend,
  InspectedDataSource,
  InspectedDelegatedGrant,
  InspectedFilter,
  InspectedGroup,
  InspectedGuests,
  InspectedIdentifierUri,
  InspectedImport,
  InspectedNamedLocation,
  InspectedOutput,
  InspectedPassword,
  InspectedPermission,
  InspectedPermissionScope,
  InspectedPolicy,
  InspectedProvider,
  InspectedRedirectUri,
  InspectedRotatingClock,
  InspectedRotatingSecret,
  InspectedServicePrincipal,
  Located,
  ResourceMeta,
  StackInspection,
  Unread,
} from './inspection';
import { AttributeReader } from './reader';
import { literal, refersTo, tfString, type TfString } from './values';

/** The synthesized JSON of one stack (`cdk.tf.json`), as far as the inspection reads it. */
export interface TerraformJson {
  readonly '//'?: { readonly metadata?: { readonly stackName?: string } };
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly output?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly provider?: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
  readonly terraform?: Readonly<Record<string, unknown>>;
  /** Terraform 1.5+ `import` blocks: `to` (an address), `id`, and optionally `provider`. */
  readonly import?: readonly Readonly<Record<string, unknown>>[];
}

interface Raw {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly address: string;
  readonly path: string;
  readonly owner: string;
  readonly reader: AttributeReader;
  readonly meta: ResourceMeta;
}

/** Inspects one stack. `stackName` defaults to the JSON's own metadata. */
export function inspectTerraform(json: TerraformJson, declarations: readonly Declaration[], stackName?: string): StackInspection {
  const unread: Unread[] = [];
  const raws = rawsOf(json);
  const byPath = new Map(raws.map((r) => [r.path, r] as const));
  const addressAt = (path: string) => byPath.get(path)?.address;
  const d = declaredOf(declarations);
  const of = (type: ReadType, mode: 'managed' | 'data' = 'managed') => raws.filter((r) => r.type === type && r.mode === mode);
  const dataSources: InspectedDataSource[] = raws
    .filter((r) => r.mode === 'data')
    .map((r) => ({ ...located(r), kind: 'dataSource', type: r.type, arguments: argumentsOf(r.reader) }));
  const dataByAddress = new Map(dataSources.map((x) => [x.address, x] as const));
  /** The API whose service principal an object ID refers to (a data source looked up by client ID). */
  const apiOfServicePrincipal = (objectId: TfString | undefined): TfString => {
    const target = dataByAddress.get(refersTo(objectId, 'object_id') ?? '');
    const clientId = target?.type === 'azuread_service_principal' ? target.arguments.client_id : undefined;
    return typeof clientId === 'string' ? clientId : { deferred: true, expression: '(the resource API of a service principal this inspection cannot name)' };
  };

  const applications = of('azuread_application').map((r) => applicationOf(r, d));
  const appByAddress = new Map(applications.map((a) => [a.address, a] as const));
  const passwords: InspectedPassword[] = [
    ...of('azuread_application_password').map((r) => passwordOf(r, 'applicationPassword', 'application_id')),
    ...of('azuread_service_principal_password').map((r) => passwordOf(r, 'servicePrincipalPassword', 'service_principal_id')),
  ];
  const passwordByAddress = new Map(passwords.map((p) => [p.address, p] as const));
  const rotatingSecrets: InspectedRotatingSecret[] = d.rotatingSecrets.map((x) => {
    const slots = x.slots.map((s) => ({ slot: s.slot, password: addressAt(s.password) ?? s.password, clock: addressAt(s.clock) ?? s.clock }));
    const application = slots.map((s) => refersTo(passwordByAddress.get(s.password)?.parentId, 'id')).find((a) => a !== undefined);
    return { kind: 'rotatingSecret', path: x.path, ...(application !== undefined ? { application } : {}), lifetimeDays: x.lifetimeDays, slots };
  });

  const read = {
    applications,
    servicePrincipals: of('azuread_service_principal').map((r) => servicePrincipalOf(r, appByAddress)),
    appRoleAssignments: of('azuread_app_role_assignment').map((r) => appRoleAssignmentOf(r, d, apiOfServicePrincipal)),
    delegatedGrants: of('azuread_service_principal_delegated_permission_grant').map((r) => delegatedGrantOf(r, d, apiOfServicePrincipal)),
    passwords,
    rotatingClocks: of('time_rotating').map(rotatingClockOf),
    rotatingSecrets,
    identifierUris: of('azuread_application_identifier_uri').map(identifierUriOf),
    permissionScopes: of('azuread_application_permission_scope').map(permissionScopeOf),
    policies: of('azuread_conditional_access_policy').map((r) =>
      policyOf(r, located(r), d.waivers.get(r.path), d.presets.get(r.path), d.formerNames.get(r.path)),
    ),
    namedLocations: of('azuread_named_location').map(namedLocationOf),
    groups: of('azuread_group').map(groupOf),
  };
  // Only once everything is read: the readers know which attributes were.
  for (const r of raws) {
    if (r.mode === 'managed' && !(READ_TYPES as readonly string[]).includes(r.type)) unread.push({ address: r.address, attribute: '' });
    else unread.push(...r.reader.unread(r.address));
  }

  return {
    stack: stackName ?? json['//']?.metadata?.stackName ?? '',
    ...read,
    dataSources,
    outputs: outputsOf(json.output ?? {}),
    providers: providersOf(json.provider ?? {}),
    ...backendOf(json.terraform),
    imports: importsOf(json.import ?? [], unread),
    requiredProviders: requiredProvidersOf(json.terraform),
    addresses: raws.map((r) => ({ address: r.address, path: r.path, owner: r.owner })),
    unread,
  };
}

/** The managed resource types the inspection reads; any other is listed in `unread` whole. */
const READ_TYPES = [
  'azuread_application',
  'azuread_service_principal',
  'azuread_app_role_assignment',
  'azuread_service_principal_delegated_permission_grant',
  'azuread_application_password',
  'azuread_service_principal_password',
  'time_rotating',
  'azuread_application_identifier_uri',
  'azuread_application_permission_scope',
  'azuread_conditional_access_policy',
  'azuread_named_location',
  'azuread_group',
] as const;
type ReadType = (typeof READ_TYPES)[number];

/** Every resource and data source, sorted by type and name, with its construct path and owner. */
function rawsOf(json: TerraformJson): Raw[] {
  const raws: Raw[] = [];
  for (const mode of ['managed', 'data'] as const) {
    const byType = (mode === 'managed' ? json.resource : json.data) ?? {};
    for (const type of Object.keys(byType).sort()) {
      for (const name of Object.keys(byType[type]).sort()) {
        const attrs = byType[type][name];
        const address = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
        const metaPath = (attrs['//'] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? address;
        const segments = metaPath.split('/');
        const owner = segments[segments.length - 1] === 'Default' ? segments.slice(0, -1).join('/') : metaPath;
        raws.push({ mode, type, address, path: metaPath, owner, reader: new AttributeReader(attrs), meta: metaOf(attrs) });
      }
    }
  }
  return raws;
}

function located(r: Raw): Located {
  return { address: r.address, path: r.path, owner: r.owner, meta: r.meta };
}

/** The constructs' declarations, by the construct path of the resource each is about. */
function declaredOf(declarations: readonly Declaration[]) {
  const decl = <K extends Declaration['kind']>(kind: K) => declarations.filter((x): x is Extract<Declaration, { kind: K }> => x.kind === kind);
  const formerNames = new Map<string, { from: string; to: string }[]>();
  for (const x of decl('formerSettingName')) formerNames.set(x.policy, [...(formerNames.get(x.policy) ?? []), { from: x.from, to: x.to }]);
  return {
    requested: new Map(decl('requestedPermissions').map((x) => [x.application, x.permissions] as const)),
    consentedRole: new Map(decl('consentedAppRole').map((x) => [x.assignment, x.permission] as const)),
    consentedScopes: new Map(decl('consentedScopes').map((x) => [x.grant, x.permissions] as const)),
    signIn: new Set(decl('signInAssignment').map((x) => x.assignment)),
    mail: new Map(decl('mailAccess').map((x) => [x.application, x] as const)),
    tools: new Map(decl('itsmTool').map((x) => [x.application, x.tool] as const)),
    waivers: new Map(decl('breakGlassWaiver').map((x) => [x.policy, x.reason] as const)),
    formerNames,
    presets: new Map(
      decl('policyPreset').map(
        (x) => [x.policy, { name: x.preset, summary: x.summary, source: x.source, ...(x.requires !== undefined ? { requires: x.requires } : {}) }] as const,
      ),
    ),
    rotatingSecrets: decl('rotatingSecret'),
  };
}
type Declared = ReturnType<typeof declaredOf>;

function applicationOf(r: Raw, d: Declared): InspectedApplication {
  const a = r.reader;
  const web = a.block('web');
  const spa = a.block('single_page_application');
  const pub = a.block('public_client');
  const redirectUris: InspectedRedirectUri[] = [
    ...(web?.strs('redirect_uris') ?? []).map((uri) => ({ uri, platform: 'web' as const })),
    ...(spa?.strs('redirect_uris') ?? []).map((uri) => ({ uri, platform: 'spa' as const })),
    ...(pub?.strs('redirect_uris') ?? []).map((uri) => ({ uri, platform: 'publicClient' as const })),
  ];
  const api = a.block('api');
  const declared = d.requested.get(r.path);
  const accesses = a.blocks('required_resource_access').flatMap((rra) => {
    const resourceAppId = rra.str('resource_app_id') ?? tfString('');
    return rra.blocks('resource_access').map((ra) => ({
      resourceAppId,
      type: (literal(ra.str('type')) === 'Role' ? 'application' : 'delegated') as PermissionType,
      id: ra.str('id') ?? tfString(''),
    }));
  });
  // The declaration names the permissions in the order written; it is used only when it matches.
  const matches =
    declared !== undefined &&
    declared.length === accesses.length &&
    declared.every((d, i) => d.type === accesses[i].type && literal(accesses[i].resourceAppId) === KnownApi[d.api].resourceAppId);
  const displayName = a.str('display_name');
  const app: InspectedApplication = {
    ...located(r),
    kind: 'application',
    ...opt('displayName', displayName),
    ...opt('description', a.str('description')),
    ...opt('notes', a.str('notes')),
    ...opt('signInAudience', a.str('sign_in_audience')),
    owners: a.strs('owners'),
    ...opt('preventDuplicateNames', a.bool('prevent_duplicate_names')),
    redirectUris,
    ...(api
      ? {
          api: {
            ...opt('requestedAccessTokenVersion', api.num('requested_access_token_version')),
            scopes: api.blocks('oauth2_permission_scope').map((s) => ({
              ...opt('id', s.str('id')),
              ...opt('value', s.str('value')),
              ...opt('type', s.str('type')),
              ...opt('enabled', s.bool('enabled')),
              ...opt('adminConsentDisplayName', s.str('admin_consent_display_name')),
              ...opt('adminConsentDescription', s.str('admin_consent_description')),
              ...opt('userConsentDisplayName', s.str('user_consent_display_name')),
              ...opt('userConsentDescription', s.str('user_consent_description')),
            })),
          },
        }
      : {}),
    identifierUris: a.strs('identifier_uris'),
    requestedPermissions: accesses.map((x, i) => permissionOf(x.resourceAppId, x.type, x.id, matches ? declared![i] : undefined)),
    ...(d.mail.has(r.path) ? { mail: d.mail.get(r.path)!.mail, declaredBy: d.mail.get(r.path)!.declaredBy } : {}),
    ...(d.tools.has(r.path) ? { itsmTool: d.tools.get(r.path)! } : {}),
  };
  return app;
}

function servicePrincipalOf(r: Raw, appByAddress: ReadonlyMap<string, InspectedApplication>): InspectedServicePrincipal {
  const clientId = r.reader.str('client_id');
  const application = refersTo(clientId, 'client_id');
  return {
    ...located(r),
    kind: 'servicePrincipal',
    ...opt('clientId', clientId),
    ...(application !== undefined && appByAddress.has(application) ? { application } : {}),
    owners: r.reader.strs('owners'),
    ...opt('appRoleAssignmentRequired', r.reader.bool('app_role_assignment_required')),
  };
}

function appRoleAssignmentOf(r: Raw, d: Declared, apiOfServicePrincipal: (objectId: TfString | undefined) => TfString): InspectedAppRoleAssignment {
  const appRoleId = r.reader.str('app_role_id');
  const resourceObjectId = r.reader.str('resource_object_id');
  const declared = d.consentedRole.get(r.path);
  const isSignIn = d.signIn.has(r.path) || appRoleId === DEFAULT_ACCESS_APP_ROLE_ID;
  return {
    ...located(r),
    kind: 'appRoleAssignment',
    ...opt('appRoleId', appRoleId),
    ...opt('principalObjectId', r.reader.str('principal_object_id')),
    ...opt('resourceObjectId', resourceObjectId),
    purpose: isSignIn ? 'signIn' : declared || literal(appRoleId) !== undefined ? 'consent' : 'unknown',
    ...(isSignIn ? {} : { permission: permissionOf(apiOfServicePrincipal(resourceObjectId), 'application', appRoleId ?? tfString(''), declared) }),
  };
}

function delegatedGrantOf(r: Raw, d: Declared, apiOfServicePrincipal: (objectId: TfString | undefined) => TfString): InspectedDelegatedGrant {
  const resource = r.reader.str('resource_service_principal_object_id');
  const claimValues = r.reader.strs('claim_values');
  const declared = d.consentedScopes.get(r.path) ?? [];
  const resourceAppId = apiOfServicePrincipal(resource);
  return {
    ...located(r),
    kind: 'delegatedGrant',
    ...opt('servicePrincipalObjectId', r.reader.str('service_principal_object_id')),
    ...opt('resourceServicePrincipalObjectId', resource),
    ...opt('userObjectId', r.reader.str('user_object_id')),
    claimValues,
    permissions: claimValues.map((name) => {
      const literalName = literal(name);
      const p = declared.find((x) => x.name === literalName);
      return permissionOf(resourceAppId, 'delegated', undefined, p, literalName);
    }),
  };
}

function passwordOf(r: Raw, credential: InspectedPassword['credential'], parent: string): InspectedPassword {
  return {
    ...located(r),
    kind: 'password',
    credential,
    ...opt('parentId', r.reader.str(parent)),
    ...opt('displayName', r.reader.str('display_name')),
    ...opt('startDate', r.reader.str('start_date')),
    ...opt('endDate', r.reader.str('end_date')),
    ...opt('endDateRelative', r.reader.str('end_date_relative')),
    rotateWhenChanged: r.reader.map('rotate_when_changed'),
  };
}

function rotatingClockOf(r: Raw): InspectedRotatingClock {
  return {
    ...located(r),
    kind: 'rotatingClock',
    ...opt('rotationDays', r.reader.num('rotation_days')),
    ...opt('rotationHours', r.reader.num('rotation_hours')),
    ...opt('rotationMonths', r.reader.num('rotation_months')),
    ...opt('rotationYears', r.reader.num('rotation_years')),
    ...opt('rotationRfc3339', r.reader.str('rotation_rfc3339')),
  };
}

function identifierUriOf(r: Raw): InspectedIdentifierUri {
  return {
    ...located(r),
    kind: 'identifierUri',
    ...opt('applicationId', r.reader.str('application_id')),
    ...opt('identifierUri', r.reader.str('identifier_uri')),
  };
}

function permissionScopeOf(r: Raw): InspectedPermissionScope {
  return {
    ...located(r),
    kind: 'permissionScope',
    ...opt('applicationId', r.reader.str('application_id')),
    ...opt('scopeId', r.reader.str('scope_id')),
    ...opt('value', r.reader.str('value')),
    ...opt('type', r.reader.str('type')),
    ...opt('adminConsentDisplayName', r.reader.str('admin_consent_display_name')),
    ...opt('adminConsentDescription', r.reader.str('admin_consent_description')),
    ...opt('userConsentDisplayName', r.reader.str('user_consent_display_name')),
    ...opt('userConsentDescription', r.reader.str('user_consent_description')),
  };
}

function namedLocationOf(r: Raw): InspectedNamedLocation {
  const ip = r.reader.block('ip');
  const country = r.reader.block('country');
  return {
    ...located(r),
    kind: 'namedLocation',
    ...opt('displayName', r.reader.str('display_name')),
    ...(ip ? { ip: { ipRanges: ip.strs('ip_ranges'), ...opt('trusted', ip.bool('trusted')) } } : {}),
    ...(country
      ? {
          country: {
            countriesAndRegions: country.strs('countries_and_regions'),
            ...opt('includeUnknownCountriesAndRegions', country.bool('include_unknown_countries_and_regions')),
            ...opt('countryLookupMethod', country.str('country_lookup_method')),
          },
        }
      : {}),
  };
}

function groupOf(r: Raw): InspectedGroup {
  return {
    ...located(r),
    kind: 'group',
    ...opt('displayName', r.reader.str('display_name')),
    ...opt('description', r.reader.str('description')),
    ...opt('securityEnabled', r.reader.bool('security_enabled')),
    ...opt('mailEnabled', r.reader.bool('mail_enabled')),
    ...opt('preventDuplicateNames', r.reader.bool('prevent_duplicate_names')),
    ...opt('assignableToRole', r.reader.bool('assignable_to_role')),
    members: r.reader.strs('members'),
    owners: r.reader.strs('owners'),
  };
}

// ---------------------------------------------------------------------------------------------

/** The `import` blocks; keys other than `to`, `id` and `provider` (for_each, identity) are listed as unread. */
function importsOf(blocks: readonly Readonly<Record<string, unknown>>[], unread: Unread[]): InspectedImport[] {
  return blocks.map((b, i) => {
    const to = typeof b.to === 'string' ? b.to : JSON.stringify(b.to ?? null);
    for (const k of Object.keys(b)) if (!['to', 'id', 'provider'].includes(k)) unread.push({ address: `import[${i}] (${to})`, attribute: k });
    return {
      to,
      id: tfString(typeof b.id === 'string' ? b.id : JSON.stringify(b.id ?? null)),
      ...(typeof b.provider === 'string' ? { provider: b.provider } : {}),
    };
  });
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function metaOf(attrs: Readonly<Record<string, unknown>>): ResourceMeta {
  const lifecycle = (attrs.lifecycle ?? {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    ignoreChanges: strings(lifecycle.ignore_changes),
    ...(typeof lifecycle.prevent_destroy === 'boolean' ? { preventDestroy: lifecycle.prevent_destroy } : {}),
    ...(typeof lifecycle.create_before_destroy === 'boolean' ? { createBeforeDestroy: lifecycle.create_before_destroy } : {}),
    replaceTriggeredBy: strings(lifecycle.replace_triggered_by),
    dependsOn: strings(attrs.depends_on),
  };
}

const API_BY_APP_ID = new Map<string, ApiName>((Object.keys(KnownApi) as ApiName[]).map((api) => [KnownApi[api].resourceAppId.toLowerCase(), api]));

function catalogueById(api: ApiName, type: PermissionType, id: string) {
  return allPermissions(api, type).find((p) => p.id.toLowerCase() === id.toLowerCase());
}

function catalogueByName(api: ApiName, type: PermissionType, name: string) {
  return allPermissions(api, type).find((p) => p.name === name);
}

/**
 * A permission from what the JSON says (resource client ID, type, ID) and what the construct
 * declared. A declaration is trusted only for its own API and type; a raw resource is named from
 * the catalogue by a literal ID, or stays unnamed.
 */
function permissionOf(
  resourceAppId: TfString,
  type: PermissionType,
  id: TfString | undefined,
  declared: DeclaredPermission | undefined,
  literalName?: string,
): InspectedPermission {
  const appId = literal(resourceAppId);
  const api = appId !== undefined ? API_BY_APP_ID.get(appId.toLowerCase()) : undefined;
  const fits = declared !== undefined && declared.type === type && (api === undefined || api === declared.api);
  const literalId = literal(id);
  if (fits) {
    return {
      resourceAppId,
      api: declared.api,
      type,
      name: declared.name,
      id: id ?? declared.catalogueId,
      catalogueId: declared.catalogueId,
      idVerified: declared.idVerified,
      idSource: declared.idSource,
      namedBy: 'declaration',
      ...(declared.justification !== undefined ? { justification: declared.justification } : {}),
    };
  }
  const info = api && literalId ? catalogueById(api, type, literalId) : api && literalName ? catalogueByName(api, type, literalName) : undefined;
  return {
    resourceAppId,
    ...(api ? { api } : {}),
    type,
    ...(info ? { name: info.name } : literalName !== undefined ? { name: literalName } : {}),
    id: id ?? info?.id ?? tfString(''),
    ...(info ? { catalogueId: info.id, idVerified: info.idVerified } : {}),
    namedBy: info || literalName !== undefined ? 'catalogue' : 'unknown',
  };
}

function policyOf(
  r: Raw,
  located: Located,
  waiver: string | undefined,
  preset: InspectedPolicy['preset'],
  formerNames: InspectedPolicy['formerSettingNames'],
): InspectedPolicy {
  const p = r.reader;
  const c = p.block('conditions');
  const apps = c?.block('applications');
  const users = c?.block('users');
  const guests = (key: string): InspectedGuests[] =>
    (users?.blocks(key) ?? []).map((g) => ({
      guestOrExternalUserTypes: g.strs('guest_or_external_user_types'),
      externalTenants: g.blocks('external_tenants').map((t) => ({ ...opt('membershipKind', t.str('membership_kind')), members: t.strs('members') })),
    }));
  const filter = (b: AttributeReader | undefined): InspectedFilter | undefined => {
    const f = b?.block('filter');
    return f ? { ...opt('mode', f.str('mode')), ...opt('rule', f.str('rule')) } : undefined;
  };
  const clientApps = c?.block('client_applications');
  const devices = c?.block('devices');
  const locations = c?.block('locations');
  const platforms = c?.block('platforms');
  const grant = p.block('grant_controls');
  const session = p.block('session_controls');
  return {
    ...located,
    kind: 'conditionalAccessPolicy',
    ...opt('displayName', p.str('display_name')),
    ...opt('state', p.str('state')),
    conditions: {
      clientAppTypes: c?.strs('client_app_types') ?? [],
      applications: {
        includedApplications: apps?.strs('included_applications') ?? [],
        excludedApplications: apps?.strs('excluded_applications') ?? [],
        includedUserActions: apps?.strs('included_user_actions') ?? [],
      },
      users: {
        includedUsers: users?.strs('included_users') ?? [],
        excludedUsers: users?.strs('excluded_users') ?? [],
        includedGroups: users?.strs('included_groups') ?? [],
        excludedGroups: users?.strs('excluded_groups') ?? [],
        includedRoles: users?.strs('included_roles') ?? [],
        excludedRoles: users?.strs('excluded_roles') ?? [],
        includedGuestsOrExternalUsers: guests('included_guests_or_external_users'),
        excludedGuestsOrExternalUsers: guests('excluded_guests_or_external_users'),
      },
      ...(clientApps
        ? {
            clientApplications: {
              includedServicePrincipals: clientApps.strs('included_service_principals'),
              excludedServicePrincipals: clientApps.strs('excluded_service_principals'),
              ...opt('filter', filter(clientApps)),
            },
          }
        : {}),
      ...(devices ? { devices: { ...opt('filter', filter(devices)) } } : {}),
      ...(locations ? { locations: { includedLocations: locations.strs('included_locations'), excludedLocations: locations.strs('excluded_locations') } } : {}),
      ...(platforms ? { platforms: { includedPlatforms: platforms.strs('included_platforms'), excludedPlatforms: platforms.strs('excluded_platforms') } } : {}),
      signInRiskLevels: c?.strs('sign_in_risk_levels') ?? [],
      userRiskLevels: c?.strs('user_risk_levels') ?? [],
      servicePrincipalRiskLevels: c?.strs('service_principal_risk_levels') ?? [],
      ...opt('insiderRiskLevels', c?.str('insider_risk_levels')),
      authenticationFlowTransferMethods: c?.strs('authentication_flow_transfer_methods') ?? [],
    },
    ...(grant
      ? {
          grantControls: {
            ...opt('operator', grant.str('operator')),
            builtInControls: grant.strs('built_in_controls'),
            ...opt('authenticationStrengthPolicyId', grant.str('authentication_strength_policy_id')),
            customAuthenticationFactors: grant.strs('custom_authentication_factors'),
            termsOfUse: grant.strs('terms_of_use'),
          },
        }
      : {}),
    ...(session
      ? {
          sessionControls: {
            ...opt('applicationEnforcedRestrictionsEnabled', session.bool('application_enforced_restrictions_enabled')),
            ...opt('cloudAppSecurityPolicy', session.str('cloud_app_security_policy')),
            ...opt('disableResilienceDefaults', session.bool('disable_resilience_defaults')),
            ...opt('persistentBrowserMode', session.str('persistent_browser_mode')),
            ...opt('signInFrequency', session.num('sign_in_frequency')),
            ...opt('signInFrequencyPeriod', session.str('sign_in_frequency_period')),
            ...opt('signInFrequencyInterval', session.str('sign_in_frequency_interval')),
            ...opt('signInFrequencyAuthenticationType', session.str('sign_in_frequency_authentication_type')),
          },
        }
      : {}),
    ...(waiver !== undefined ? { breakGlassWaiver: waiver } : {}),
    ...(preset !== undefined ? { preset } : {}),
    ...(formerNames !== undefined ? { formerSettingNames: formerNames } : {}),
  };
}

function argumentsOf(reader: AttributeReader): InspectedDataSource['arguments'] {
  const out: Record<string, TfString | number | boolean> = {};
  for (const [k, v] of Object.entries(reader.rest())) {
    out[k] = typeof v === 'number' || typeof v === 'boolean' ? v : tfString(typeof v === 'string' ? v : JSON.stringify(v));
  }
  return out;
}

function outputsOf(outputs: Readonly<Record<string, Readonly<Record<string, unknown>>>>): InspectedOutput[] {
  return Object.keys(outputs)
    .sort()
    .map((name) => {
      const o = outputs[name];
      const v = o.value;
      const value =
        v !== null && typeof v === 'object' && !Array.isArray(v)
          ? Object.fromEntries(
              Object.keys(v as object)
                .sort()
                .map((k) => [k, tfString(String((v as Record<string, unknown>)[k]))]),
            )
          : tfString(typeof v === 'string' ? v : JSON.stringify(v));
      return { name, ...(typeof o.description === 'string' ? { description: o.description } : {}), sensitive: o.sensitive === true, value };
    });
}

function providersOf(providers: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>): InspectedProvider[] {
  return Object.keys(providers)
    .sort()
    .flatMap((name) =>
      providers[name].map((p) => ({
        name,
        settings: Object.fromEntries(
          Object.keys(p)
            .sort()
            .map((k) => [k, typeof p[k] === 'boolean' ? (p[k] as boolean) : tfString(String(p[k]))]),
        ),
      })),
    );
}

function backendOf(terraform: Readonly<Record<string, unknown>> | undefined): { backend?: InspectedBackend } {
  if (terraform?.cloud) return { backend: { type: 'cloud', settings: settingsOf(terraform.cloud as Record<string, unknown>) } };
  const backends = terraform?.backend as Record<string, Record<string, unknown>> | undefined;
  const type = backends ? Object.keys(backends)[0] : undefined;
  return type ? { backend: { type, settings: settingsOf(backends![type]) } } : {};
}

function requiredProvidersOf(terraform: Readonly<Record<string, unknown>> | undefined): StackInspection['requiredProviders'] {
  const raw = (terraform?.required_providers ?? {}) as Record<string, { source?: string; version?: string }>;
  return Object.keys(raw)
    .sort()
    .map((name) => ({ name, source: String(raw[name].source ?? ''), version: String(raw[name].version ?? '') }));
}

function settingsOf(raw: Record<string, unknown>): InspectedBackend['settings'] {
  const out: Record<string, TfString | boolean | Record<string, TfString>> = {};
  for (const k of Object.keys(raw).sort()) {
    const v = raw[k];
    if (typeof v === 'boolean') out[k] = v;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v))
      out[k] = Object.fromEntries(Object.entries(v).map(([kk, vv]) => [kk, tfString(String(vv))]));
    else out[k] = tfString(String(v));
  }
  return out;
}
