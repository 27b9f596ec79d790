/**
 * Names for the IDs a plan holds: every object of the plan (resources and data sources, in the
 * prior state and the planned values) by object ID, client ID and `id` path, the app roles and
 * scopes they define, and the well-known IDs of the catalogues (Microsoft Graph and Exchange Online
 * permissions, built-in directory roles, first-party applications, built-in authentication
 * strengths). Pure: the plan in, a look-up out.
 */
import { BUILT_IN_AUTHENTICATION_STRENGTHS } from '../model/conditional-access-values';
import { AZURE_MANAGEMENT, DEFAULT_ACCESS_APP_ROLE_ID, directoryRoleTemplate } from '../model/ids';
import { allPermissions, KnownApi, type ApiName, type PermissionInfo, type PermissionType } from '../permissions/catalogue';
import type { Plan } from './plan';
import { md } from './words';
import { table } from '../private/table';

/** What an ID names, in the reviewer's words. */
export interface NamedId {
  /** e.g. `user "Dana Whitfield" (dana@contoso.example)`, `the Microsoft Graph service principal`. */
  readonly words: string;
  readonly kind:
    | 'application'
    | 'servicePrincipal'
    | 'user'
    | 'group'
    | 'administrativeUnit'
    | 'namedLocation'
    | 'policy'
    | 'role'
    | 'deployer'
    | 'tenant'
    | 'other';
  /** The client ID of the application, for applications and service principals, when known. */
  readonly clientId?: string;
}

/** A permission or app role named from the catalogue or from the plan. */
export interface NamedRole {
  /** `Microsoft Graph User.Read.All`, or `Portal.Admin of application "partner-portal"`. */
  readonly words: string;
  /** The value (`User.Read.All`). */
  readonly name: string;
  readonly api?: ApiName;
  /** The catalogue's entry, when the ID is one of Microsoft Graph or Exchange Online. */
  readonly permission?: PermissionInfo;
}

const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g;

/** The first-party applications the review names by client ID. */
const FIRST_PARTY: Readonly<Record<string, string>> = table({
  [KnownApi.MicrosoftGraph.resourceAppId]: KnownApi.MicrosoftGraph.displayName,
  [KnownApi.ExchangeOnline.resourceAppId]: KnownApi.ExchangeOnline.displayName,
  [AZURE_MANAGEMENT.clientId]: AZURE_MANAGEMENT.displayName,
});

type Values = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** The objects of a list of blocks (a plan may hold anything where a block goes). */
const objects = (v: unknown): Values[] => (Array.isArray(v) ? v.filter((x): x is Values => x !== null && typeof x === 'object' && !Array.isArray(x)) : []);
const tail = (v: unknown): string | undefined => str(v)?.split('/').pop();

/** The names a plan gives its IDs. */
export class PlanNames {
  private readonly ids = new Map<string, NamedId>();
  /** App role and scope IDs of APIs defined or read in the plan: id → value, API words. */
  private readonly roles = new Map<string, { readonly name: string; readonly of: string; readonly clientId?: string }>();
  /** Service principal object ID → client ID. */
  private readonly spClient = new Map<string, string>();
  /** Application client ID → the delegated permission names it requests, by API client ID. */
  private readonly requested = new Map<string, Map<string, Set<string>>>();

  constructor(plan: Plan) {
    const all: { type: string; mode: string; values: Values }[] = plan.objects.map((o) => ({ type: o.type, mode: o.mode, values: o.values }));
    for (const c of [...plan.changes, ...plan.drift]) {
      for (const when of ['before', 'after'] as const) {
        const v = c.values(when);
        if (v) all.push({ type: c.type, mode: c.mode, values: v });
      }
    }
    // Applications first: a service principal takes its application's name by client ID.
    const order = (t: string) =>
      t === 'azuread_application' || t === 'azuread_application_registration' ? 0 : t === 'azuread_application_published_app_ids' ? 1 : 2;
    for (const o of [...all].sort((a, b) => order(a.type) - order(b.type))) this.add(o.type, o.values);
    // An app role ID belongs to one API: an assignment of a Microsoft Graph or Exchange Online
    // permission is made on that API's service principal, which names its object ID.
    for (const o of all) {
      if (o.type !== 'azuread_app_role_assignment') continue;
      const resource = str(o.values.resource_object_id);
      const role = this.role(str(o.values.app_role_id), 'application');
      if (resource && role?.api && !this.ids.has(resource.toLowerCase())) {
        const api = KnownApi[role.api];
        this.set(resource, { words: `service principal of ${api.displayName}`, kind: 'servicePrincipal', clientId: api.resourceAppId });
        this.spClient.set(resource.toLowerCase(), api.resourceAppId);
      }
    }
    // A delegated grant names scopes of one API: when the client application requests exactly those
    // names of one known API (Microsoft Graph, Exchange Online), the grant's resource is that API's
    // service principal.
    for (const o of all) {
      if (o.type !== 'azuread_service_principal_delegated_permission_grant') continue;
      const resource = str(o.values.resource_service_principal_object_id);
      const client = this.clientIdOfServicePrincipal(str(o.values.service_principal_object_id));
      const claims = Array.isArray(o.values.claim_values) ? o.values.claim_values.filter((x): x is string => typeof x === 'string') : [];
      if (!resource || !client || claims.length === 0 || this.ids.has(resource.toLowerCase())) continue;
      const apis = [...(this.requested.get(client.toLowerCase()) ?? new Map<string, Set<string>>())].filter(
        ([api, names]) => FIRST_PARTY[api] && claims.every((c) => names.has(c)),
      );
      if (apis.length !== 1) continue;
      const [api] = apis[0];
      this.set(resource, { words: `service principal of ${FIRST_PARTY[api]}`, kind: 'servicePrincipal', clientId: api });
      this.spClient.set(resource.toLowerCase(), api);
    }
  }

  /** The service principals of first-party APIs the plan shows only by object ID: object ID → client ID. */
  wellKnownServicePrincipals(): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const [objectId, clientId] of this.spClient) if (FIRST_PARTY[clientId.toLowerCase()]) out.set(objectId, clientId.toLowerCase());
    return out;
  }

  private set(id: string | undefined, named: NamedId): void {
    if (id === undefined) return;
    const key = id.toLowerCase();
    if (!this.ids.has(key)) this.ids.set(key, named);
  }

  private add(type: string, v: Values): void {
    const name = str(v.display_name);
    switch (type) {
      case 'azuread_application':
      case 'azuread_application_registration': {
        const words = `application "${name ?? '(unnamed)'}"`;
        const clientId = str(v.client_id);
        this.set(str(v.object_id) ?? tail(v.id), { words, kind: 'application', ...(clientId ? { clientId } : {}) });
        this.set(clientId, { words, kind: 'application', ...(clientId ? { clientId } : {}) });
        this.addRoles(v, words, clientId);
        if (clientId) this.addRequested(clientId, v);
        return;
      }
      case 'azuread_service_principal': {
        const clientId = str(v.client_id) ?? str(v.application_id);
        const app = clientId ? (FIRST_PARTY[clientId.toLowerCase()] ?? this.ids.get(clientId.toLowerCase())?.words) : undefined;
        const words = `service principal of ${app ?? (name ? `"${name}"` : 'an application')}`;
        const objectId = str(v.object_id) ?? tail(v.id);
        this.set(objectId, { words, kind: 'servicePrincipal', ...(clientId ? { clientId } : {}) });
        if (objectId && clientId) this.spClient.set(objectId.toLowerCase(), clientId);
        this.addRoles(v, app ?? (name ? `"${name}"` : 'an application'), clientId);
        return;
      }
      case 'azuread_user':
        this.set(str(v.object_id) ?? tail(v.id), {
          words: `user "${name ?? str(v.user_principal_name) ?? '(unnamed)'}"${str(v.user_principal_name) && name ? ` (${str(v.user_principal_name)})` : ''}`,
          kind: 'user',
        });
        return;
      case 'azuread_invitation':
        this.set(str(v.user_id), {
          words: `guest "${str(v.user_display_name) ?? str(v.user_email_address) ?? '(unnamed)'}"${str(v.user_email_address) && str(v.user_display_name) ? ` (${str(v.user_email_address)})` : ''}`,
          kind: 'user',
        });
        return;
      case 'azuread_group':
        this.set(str(v.object_id) ?? tail(v.id), { words: `group "${name ?? '(unnamed)'}"`, kind: 'group' });
        return;
      case 'azuread_administrative_unit':
        this.set(str(v.object_id) ?? tail(v.id), { words: `administrative unit "${name ?? '(unnamed)'}"`, kind: 'administrativeUnit' });
        return;
      case 'azuread_named_location':
        this.set(str(v.object_id) ?? tail(v.id), { words: `named location "${name ?? '(unnamed)'}"`, kind: 'namedLocation' });
        return;
      case 'azuread_conditional_access_policy':
        this.set(str(v.object_id) ?? tail(v.id), { words: `conditional access policy "${name ?? '(unnamed)'}"`, kind: 'policy' });
        return;
      case 'azuread_client_config':
        this.set(str(v.object_id), { words: 'the identity that runs Terraform', kind: 'deployer' });
        this.set(str(v.tenant_id), { words: 'this tenant', kind: 'tenant' });
        return;
      case 'azuread_directory_role':
        this.set(str(v.object_id), { words: `directory role "${name ?? '(unnamed)'}"`, kind: 'role' });
        return;
      case 'azuread_application_published_app_ids': {
        const result = v.result;
        if (result && typeof result === 'object')
          for (const [k, id] of Object.entries(result)) this.set(str(id), { words: `application ${k}`, kind: 'application', clientId: String(id) });
        return;
      }
      default:
        return;
    }
  }

  /** The delegated permissions (by name) an application requests, per API. */
  private addRequested(clientId: string, v: Values): void {
    const byApi = this.requested.get(clientId.toLowerCase()) ?? new Map<string, Set<string>>();
    for (const r of objects(v.required_resource_access)) {
      const api = str(r.resource_app_id);
      if (!api) continue;
      const names = byApi.get(api.toLowerCase()) ?? new Set<string>();
      for (const a of objects(r.resource_access)) {
        const role = a.type === 'Scope' ? this.role(str(a.id), 'delegated', api) : undefined;
        if (role) names.add(role.name);
      }
      byApi.set(api.toLowerCase(), names);
    }
    this.requested.set(clientId.toLowerCase(), byApi);
  }

  /** The app roles and scopes an application or service principal defines (lists and ID maps). */
  private addRoles(v: Values, of: string, clientId: string | undefined): void {
    const put = (id: unknown, value: unknown) => {
      const i = str(id);
      const n = str(value);
      if (i && n && !this.roles.has(i.toLowerCase())) this.roles.set(i.toLowerCase(), { name: n, of, ...(clientId ? { clientId } : {}) });
    };
    for (const key of ['app_role_ids', 'oauth2_permission_scope_ids']) {
      const m = v[key];
      if (m && typeof m === 'object' && !Array.isArray(m)) for (const [n, id] of Object.entries(m)) put(id, n);
    }
    for (const key of ['app_roles', 'app_role', 'oauth2_permission_scopes']) {
      const list = v[key];
      if (Array.isArray(list)) for (const r of list) if (r && typeof r === 'object') put((r as Values).id, (r as Values).value);
    }
    const api = Array.isArray(v.api) ? (v.api[0] as Values | undefined) : undefined;
    if (api && Array.isArray(api.oauth2_permission_scope))
      for (const r of api.oauth2_permission_scope) if (r && typeof r === 'object') put((r as Values).id, (r as Values).value);
  }

  /** An ID in words, or undefined when neither the plan nor a catalogue names it. */
  object(id: string | undefined): NamedId | undefined {
    if (id === undefined) return undefined;
    const key = (tail(id) ?? id).toLowerCase();
    const found = this.ids.get(key);
    if (found) return found;
    const app = FIRST_PARTY[key];
    if (app) return { words: app, kind: 'application', clientId: key };
    const role = directoryRoleTemplate(key);
    if (role) return { words: `the ${role.displayName} role`, kind: 'role' };
    return undefined;
  }

  /** The client ID of the application a service principal object ID belongs to, when the plan knows it. */
  clientIdOfServicePrincipal(objectId: string | undefined): string | undefined {
    return objectId === undefined ? undefined : (this.spClient.get(objectId.toLowerCase()) ?? this.ids.get(objectId.toLowerCase())?.clientId);
  }

  /**
   * An app role or scope by ID: from the catalogue when `clientId` is Microsoft Graph or Exchange
   * Online (or unknown and the ID is one of theirs), else from the plan's applications and service principals.
   */
  role(id: string | undefined, type: PermissionType, clientId?: string): NamedRole | undefined {
    if (id === undefined) return undefined;
    if (id === DEFAULT_ACCESS_APP_ROLE_ID) return { words: 'the default access role (any assigned user)', name: 'default access' };
    const apis = (Object.keys(KnownApi) as ApiName[]).filter((a) => clientId === undefined || KnownApi[a].resourceAppId === clientId.toLowerCase());
    for (const api of apis) {
      const p = allPermissions(api, type).find((x) => x.id.toLowerCase() === id.toLowerCase());
      if (p) return { words: `${KnownApi[api].displayName} ${p.name}`, name: p.name, api, permission: p };
    }
    const r = this.roles.get(id.toLowerCase());
    if (r) {
      const api = (Object.keys(KnownApi) as ApiName[]).find((a) => KnownApi[a].resourceAppId === r.clientId?.toLowerCase());
      if (api) {
        const p = allPermissions(api, type).find((x) => x.name === r.name);
        return { words: `${KnownApi[api].displayName} ${r.name}`, name: r.name, api, ...(p ? { permission: p } : {}) };
      }
      return { words: `${r.name} of ${r.of}`, name: r.name };
    }
    return undefined;
  }

  /** A built-in authentication strength by its path or ID. */
  authenticationStrength(id: string): string | undefined {
    return Object.values(BUILT_IN_AUTHENTICATION_STRENGTHS).find((s) => s.policyId === id || s.policyId.endsWith(`/${id}`))?.displayName;
  }

  /**
   * Text with every ID it holds that a name is known for followed by that name, e.g.
   * `c9d8…0e01` → `c9d8…0e01 (group "CA - Emergency access accounts")`; an ID already followed by
   * its name is left alone. IDs nobody can name stay as they are.
   */
  explain(text: string): string {
    const out: string[] = [];
    let last = 0;
    for (const m of text.matchAll(GUID)) {
      const id = m[0];
      const at = m.index ?? 0;
      const n = this.nameOf(id);
      if (n === undefined) continue;
      const inCode = (text.slice(0, at).match(/`/g) ?? []).length % 2 === 1;
      const close = inCode ? text.indexOf('`', at + id.length) : at + id.length - 1;
      const next = close + 1;
      const near = text.slice(Math.max(0, at - n.length - 8), next + n.length + 8);
      if (near.includes(n) || near.includes(md(n))) continue;
      if (inCode && close < 0) continue;
      out.push(text.slice(last, next));
      out.push(` (${md(n)})`);
      last = next;
    }
    out.push(text.slice(last));
    return out.join('');
  }

  /** The name of any ID: an object, or an app role or scope. */
  nameOf(id: string): string | undefined {
    return this.object(id)?.words ?? this.role(id, 'application')?.words ?? this.role(id, 'delegated')?.words;
  }
}
