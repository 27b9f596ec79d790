import { KnownApi, lookupPermission, type ApiName, type PermissionInfo, type PermissionType } from '../permissions/catalogue';
import type { PermissionRef } from './mail-access';

/** A permission found in the catalogue, with why it was requested. */
export interface ResolvedPermission extends PermissionInfo {
  readonly justification?: string;
}

/** A problem with one requested permission; `index` is its position in the list given. */
export interface PermissionProblem {
  readonly index: number;
  readonly message: string;
}

/**
 * Looks up every permission by name. Duplicates (same API, type and name) are merged, keeping the
 * first justification. The order is stable: by API, then type, then name.
 */
export function resolvePermissions(refs: readonly PermissionRef[]): { permissions: ResolvedPermission[]; problems: PermissionProblem[] } {
  const problems: PermissionProblem[] = [];
  const byKey = new Map<string, ResolvedPermission>();
  refs.forEach((ref, index) => {
    const found = lookupPermission(ref.api, ref.type, ref.name);
    if (!found.ok) {
      problems.push({ index, message: found.message });
      return;
    }
    const key = `${ref.api}/${ref.type}/${ref.name}`;
    const earlier = byKey.get(key);
    if (!earlier) byKey.set(key, { ...found.permission, justification: ref.justification });
    else if (!earlier.justification && ref.justification) byKey.set(key, { ...earlier, justification: ref.justification });
  });
  const order = (p: ResolvedPermission) => `${p.api === 'MicrosoftGraph' ? 0 : 1}/${p.type === 'delegated' ? 0 : 1}/${p.name}`;
  const permissions = [...byKey.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { permissions, problems };
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
  for (const api of ['MicrosoftGraph', 'ExchangeOnline'] as const) {
    const of = (t: PermissionType) => permissions.filter((p) => p.api === api && p.type === t);
    const delegated = of('delegated');
    const application = of('application');
    if (delegated.length + application.length > 0) {
      groups.push({ api, resourceAppId: KnownApi[api].resourceAppId, delegated, application });
    }
  }
  return groups;
}
