/**
 * The inspection of a Terraform plan (`terraform show -json tfplan`), from any configuration: the
 * resources the plan leaves (planned values) and the data sources it read, put in the shape of the
 * synthesized JSON that `inspect.ts` reads, so the guardrails and the review read a plan through the
 * same attribute readers as a stack. Pure: no cdktf, no file access.
 *
 * How values become the inspection's:
 * - a known value is a literal; an ID equal to another resource's `object_id`, `client_id` or `id`
 *   becomes a reference to it (`${azuread_service_principal.x.object_id}`), so resources link up as
 *   they do in a stack;
 * - an attribute only known after apply becomes the configuration's reference when it has exactly
 *   one (`azuread_application.x.client_id`), else a deferred value;
 * - sensitive values are never read (the plan reader removes them).
 * Each resource's construct path is its plan address, which is where guardrail findings point.
 */
import { inspectTerraform, type TerraformJson } from './inspect';
import type { StackInspection } from './inspection';

/** What this needs of a plan (lib/review/plan.ts's `Plan`). */
export interface PlanLike {
  readonly changes: readonly {
    readonly planAddress: string;
    readonly mode: 'managed' | 'data';
    readonly type: string;
    readonly action: string;
    values(when: 'before' | 'after'): Readonly<Record<string, unknown>> | undefined;
    unknownAfter(key: string): boolean;
  }[];
  readonly objects: readonly {
    readonly address: string;
    readonly mode: 'managed' | 'data';
    readonly type: string;
    readonly values: Readonly<Record<string, unknown>>;
  }[];
  readonly references: ReadonlyMap<string, Readonly<Record<string, readonly string[]>>>;
}

/** The plan reader's mark of a value known only after apply (lib/review/plan.ts UNKNOWN_AFTER). */
const UNKNOWN = '${(known after apply)}';

/** The inspection of what a plan leaves in Entra ID. `name` is the inspection's stack name (the plan file). */
export function inspectPlan(
  plan: PlanLike,
  name: string,
  side: 'before' | 'after' = 'after',
  wellKnown: ReadonlyMap<string, string> = new Map(),
): StackInspection {
  // What exists after apply (or before it): the changes' values, then what the state and planned values hold.
  const entries = new Map<string, { mode: 'managed' | 'data'; type: string; values: Record<string, unknown>; unknown: (k: string) => boolean }>();
  for (const o of plan.objects) entries.set(o.address, { mode: o.mode, type: o.type, values: { ...o.values }, unknown: () => false });
  for (const c of plan.changes) {
    const v = c.values(side);
    if (!v) {
      if (c.mode === 'managed') entries.delete(c.planAddress);
      continue;
    }
    entries.set(c.planAddress, { mode: c.mode, type: c.type, values: { ...v }, unknown: (k) => side === 'after' && c.unknownAfter(k) });
  }
  // First-party service principals the plan shows only by object ID (Microsoft Graph by the app roles
  // assigned on it): a data source looked up by client ID, as a stack would read it.
  const known = new Set([...entries.values()].map((e) => String(e.values.object_id ?? '').toLowerCase()));
  let k = 0;
  for (const [objectId, clientId] of wellKnown) {
    if (known.has(objectId.toLowerCase())) continue;
    entries.set(`data.azuread_service_principal.well_known_${++k}`, {
      mode: 'data',
      type: 'azuread_service_principal',
      values: { client_id: clientId, object_id: objectId },
      unknown: () => false,
    });
  }
  // A name per address, as the JSON's resource names are: letters, digits, _ and -.
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const [address, e] of entries) {
    const local = address.replace(/^data\./, '');
    let base = local.startsWith(`${e.type}.`) ? local.slice(e.type.length + 1) : local.replace(/\./g, '_');
    base =
      base
        .replace(/[^A-Za-z0-9_-]/g, '_')
        .replace(/_+/g, '_')
        .replace(/^_|_$/g, '') || 'r';
    let n = base;
    for (let i = 2; used.has(`${e.mode}.${e.type}.${n}`); i++) n = `${base}_${i}`;
    used.add(`${e.mode}.${e.type}.${n}`);
    names.set(address, n);
  }
  const ref = (address: string, attr: string) => {
    const e = entries.get(address)!;
    return `\${${e.mode === 'data' ? 'data.' : ''}${e.type}.${names.get(address)}.${attr}}`;
  };
  const byId = new Map<string, string>();
  for (const [address, e] of entries) {
    for (const attr of ['object_id', 'client_id', 'id']) {
      const v = e.values[attr];
      if (typeof v === 'string' && v !== '' && !byId.has(v.toLowerCase())) byId.set(v.toLowerCase(), ref(address, attr));
    }
  }
  const link = (v: unknown, self: string, path: string, unknown: (path: string) => string | undefined): unknown => {
    if (v === UNKNOWN) return unknown(path) ?? UNKNOWN;
    if (typeof v === 'string') {
      // A resource API's client ID is how the inspection names its permissions: kept literal.
      if (path.endsWith('resource_app_id')) return v;
      if (/^[0-9a-fA-F-]{36}$|^\/[A-Za-z]+\/[0-9a-fA-F-]{36}$/.test(v)) {
        const r = byId.get(v.toLowerCase());
        if (r !== undefined && !r.startsWith(`\${${self}.`)) return r;
      }
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => (x === null ? (unknown(path) ?? UNKNOWN) : link(x, self, path, unknown)));
    // The provider writes "" for an unset string of a block (authentication_strength_policy_id): not set.
    // A nested value only known after apply without a reference in the configuration is left out
    // (computed defaults such as insider_risk_levels), not guessed.
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k, x]) => x !== '' && x !== null && (x !== UNKNOWN || unknown(`${path}.${k}`) !== undefined))
          .map(([k, x]) => [k, link(x, self, `${path}.${k}`, unknown)]),
      );
    }
    return v;
  };
  const json: { resource: Record<string, Record<string, Record<string, unknown>>>; data: Record<string, Record<string, Record<string, unknown>>> } = {
    resource: {},
    data: {},
  };
  for (const [address, e] of entries) {
    const self = `${e.mode === 'data' ? 'data.' : ''}${e.type}.${names.get(address)!}`;
    const attrs: Record<string, unknown> = { '//': { metadata: { path: address } } };
    const moduleKey = /^((?:module\.[^.]+\.)*)/.exec(address.replace(/\[[^\]]*\]/g, ''))?.[1] ?? '';
    const refs =
      plan.references.get(address.replace(/\[[^\]]*\]$/, '').replace(/\[[^\]]*\]/g, '')) ??
      (Object.create(null) as Readonly<Record<string, readonly string[]>>);
    // A value known only after apply: the configuration's one resource reference at that path, when it has one.
    const unknownOf = (path: string): string | undefined => {
      const targets = [
        ...new Set(
          (Object.hasOwn(refs, path) ? refs[path] : [])
            .map((r) => /^((?:data\.)?[A-Za-z0-9_]+\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)$/.exec(r))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m) => `${m[1]}\u0000${m[2]}`),
        ),
      ];
      const [target, attr] = targets.length === 1 ? targets[0].split('\u0000') : [];
      return target !== undefined && entries.has(`${moduleKey}${target}`) ? ref(`${moduleKey}${target}`, attr) : undefined;
    };
    for (const [k, v] of Object.entries(e.values)) {
      if (v === '') continue;
      if (v === null || v === undefined) {
        if (e.unknown(k)) attrs[k] = unknownOf(k) ?? UNKNOWN;
        continue;
      }
      attrs[k] = k === 'id' || k === 'object_id' ? v : link(v, self, k, unknownOf);
    }
    for (const k of Object.keys(refs)) {
      if (attrs[k] !== undefined || !e.unknown(k)) continue;
      attrs[k] = UNKNOWN;
    }
    const into = e.mode === 'data' ? json.data : json.resource;
    (into[e.type] ??= {})[names.get(address)!] = attrs;
  }
  return inspectTerraform(json as TerraformJson, [], name);
}
