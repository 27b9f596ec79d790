/**
 * API permissions by name: what a permission reference is, how it resolves against the catalogue,
 * where its ID comes from in the Terraform, and which ones are high privilege. The constructs, the
 * config loader, the guardrails and the review all use these functions.
 */
import { KnownApi, lookupPermission, type ApiName, type PermissionInfo, type PermissionType } from '../permissions/catalogue';
import { textProblem } from './text';
import type { Problem } from './problem';

export type { ApiName, PermissionType } from '../permissions/catalogue';

/** The resource APIs a permission can belong to, in the order they are listed. */
export const API_NAMES = ['MicrosoftGraph', 'ExchangeOnline'] as const satisfies readonly ApiName[];
/** delegated (an OAuth2 scope, requested as "Scope") or application (an app role, "Role"). */
export const PERMISSION_TYPES = ['delegated', 'application'] as const satisfies readonly PermissionType[];

/** A permission named by API, type and name; IDs come from the catalogue or the tenant. */
export interface PermissionRef {
  /**
   * The resource API.
   * @default 'MicrosoftGraph'
   */
  readonly api?: ApiName;
  /** `delegated` (a scope, on behalf of a signed-in user) or `application` (an app role, no user). */
  readonly type: PermissionType;
  /** The permission name as Microsoft publishes it, e.g. `User.Read` or `IMAP.AccessAsApp` (case-sensitive). */
  readonly name: string;
  /**
   * Why it is needed; shown in the review and required by the guardrails for high privilege.
   * @default - none
   */
  readonly justification?: string;
}

/** The default API of a permission reference. */
export const DEFAULT_PERMISSION_API: ApiName = 'MicrosoftGraph';

/**
 * Where the ID written into the Terraform comes from.
 * - `catalogue`: the catalogue's ID, written as a literal (Microsoft Graph; every delegated scope).
 * - `tenant`: read at plan time from the tenant's service principal of the API
 *   (`data.azuread_service_principal.app_role_ids`), because Microsoft does not publish every
 *   Exchange Online app role ID; the catalogue's ID is then only for reading.
 */
export type PermissionIdSource = 'catalogue' | 'tenant';

/** A permission found in the catalogue, with why it was requested and where its ID comes from. */
export interface ResolvedPermission extends PermissionInfo {
  readonly justification?: string;
  readonly idSource: PermissionIdSource;
}

/** Where a permission's ID comes from: Exchange Online app roles are read from the tenant. */
export function permissionIdSource(api: ApiName, type: PermissionType): PermissionIdSource {
  return api === 'ExchangeOnline' && type === 'application' ? 'tenant' : 'catalogue';
}

/** Problems of one permission reference (path relative to it). */
export function permissionRefProblems(ref: PermissionRef): Problem[] {
  const problems: Problem[] = [];
  const name = textProblem(ref.name, 200);
  if (name) problems.push({ path: ['name'], message: name });
  else {
    const found = lookupPermission(ref.api ?? DEFAULT_PERMISSION_API, ref.type, ref.name);
    if (!found.ok) problems.push({ path: ['name'], message: found.message });
  }
  if (ref.justification !== undefined) {
    const why = textProblem(ref.justification, 1000);
    if (why) problems.push({ path: ['justification'], message: why });
  }
  return problems;
}

/**
 * Looks up every permission by name. Duplicates (same API, type and name) are merged, keeping the
 * first justification. The order is stable: by API, then type, then name. References that do not
 * resolve are left out (their problems come from `permissionRefProblems`).
 */
export function resolvePermissions(refs: readonly PermissionRef[]): ResolvedPermission[] {
  const byKey = new Map<string, ResolvedPermission>();
  for (const ref of refs) {
    const api = ref.api ?? DEFAULT_PERMISSION_API;
    const found = lookupPermission(api, ref.type, ref.name);
    if (!found.ok) continue;
    const key = `${api}/${ref.type}/${ref.name}`;
    const earlier = byKey.get(key);
    if (!earlier) byKey.set(key, { ...found.permission, justification: ref.justification, idSource: permissionIdSource(api, ref.type) });
    else if (!earlier.justification && ref.justification) byKey.set(key, { ...earlier, justification: ref.justification });
  }
  const order = (p: ResolvedPermission) => `${API_NAMES.indexOf(p.api)}/${p.type === 'delegated' ? 0 : 1}/${p.name}`;
  return [...byKey.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** The permissions of one resource API, split by type, for `required_resource_access` and consent. */
export interface ApiPermissionGroup {
  readonly api: ApiName;
  readonly resourceAppId: string;
  readonly delegated: readonly ResolvedPermission[];
  readonly application: readonly ResolvedPermission[];
}

/** Groups resolved permissions by API, in a stable order (Microsoft Graph first). */
export function groupByApi(permissions: readonly ResolvedPermission[]): ApiPermissionGroup[] {
  const groups: ApiPermissionGroup[] = [];
  for (const api of API_NAMES) {
    const of = (t: PermissionType) => permissions.filter((p) => p.api === api && p.type === t);
    const delegated = of('delegated');
    const application = of('application');
    if (delegated.length + application.length > 0) groups.push({ api, resourceAppId: KnownApi[api].resourceAppId, delegated, application });
  }
  return groups;
}

/** A permission as rules and reviews name it: API, type and name. */
export interface NamedPermission {
  readonly api: ApiName;
  readonly type: PermissionType;
  readonly name: string;
}

/**
 * Why a permission is high privilege, or undefined. High privilege: `*.ReadWrite.All`,
 * `Directory.*`, `RoleManagement.*`, Microsoft Graph `Mail.*` application permissions (every
 * mailbox), Exchange Online `full_access_as_app` (every mailbox over EWS) and `Exchange.ManageAsApp`
 * (Exchange administration).
 */
export function highPrivilegeReason(p: NamedPermission): string | undefined {
  const { name } = p;
  const who = p.type === 'application' ? 'the application, without a signed-in user,' : 'the application, as the signed-in user,';
  if (name.startsWith('RoleManagement.')) return `${who} can manage directory role assignments: a path to Global Administrator`;
  if (name.startsWith('Directory.')) return `${who} reaches the whole directory`;
  if (p.api === 'MicrosoftGraph' && p.type === 'application' && name.startsWith('Mail.')) return `${who} reaches every mailbox of the tenant`;
  if (p.api === 'ExchangeOnline' && name === 'full_access_as_app') return `${who} has full access to every mailbox through EWS`;
  if (p.api === 'ExchangeOnline' && name === 'Exchange.ManageAsApp') return `${who} can administer Exchange Online`;
  if (name.endsWith('.ReadWrite.All')) return `${who} can change every object of its kind in the tenant`;
  return undefined;
}

/**
 * Application permissions that reach every mailbox unless Exchange Online scopes them: Microsoft
 * Graph `Mail.*` and Exchange Online `full_access_as_app`.
 */
export function reachesEveryMailbox(p: NamedPermission): boolean {
  return (
    p.type === 'application' && ((p.api === 'MicrosoftGraph' && p.name.startsWith('Mail.')) || (p.api === 'ExchangeOnline' && p.name === 'full_access_as_app'))
  );
}
