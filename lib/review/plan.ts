/**
 * Reads the JSON of a saved plan (`terraform show -json tfplan`), as HashiCorp documents it
 * ("JSON Output Format": `format_version`, `resource_changes[]` with `address`, `mode`, `type`,
 * `name`, `change.actions`, `change.before` / `after` / `after_unknown` / `before_sensitive` /
 * `after_sensitive`, `change.replace_paths`, `action_reason`, and since Terraform 1.5
 * `change.importing`: present when the change imports an existing object, in addition to its
 * actions; `importing.id` is the import ID, and its contents are documented as optional).
 *
 * Values marked sensitive are never copied out: each change keeps its values only behind
 * `valueOf`, which refuses sensitive paths.
 */
import { readFileSync, statSync } from 'node:fs';
import { formatPath, type FileProblem as ConfigProblem } from '../private/file-problem';
import { printable } from '../private/printable';

/** What a resource change does, from its `actions`. */
export type PlanAction = 'create' | 'update' | 'replace' | 'delete' | 'read' | 'no-op' | 'forget' | 'other';

/** One entry of `resource_changes`. */
export interface PlanChange {
  /** `azuread_application.x`, `data.azuread_client_config.y` (module and index stripped). */
  readonly address: string;
  /** The address as the plan wrote it (with `module.…` and `[index]`). */
  readonly planAddress: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly action: PlanAction;
  /** `actions` as written, e.g. `["delete", "create"]`. */
  readonly actions: readonly string[];
  /** Top-level attributes that force the replacement (`replace_paths`), when given. */
  readonly replacedBecauseOf: readonly string[];
  /** Why Terraform chose this action (`action_reason`), when given. */
  readonly actionReason?: string;
  /** Top-level attributes whose value changes (names only; values may be sensitive). */
  readonly changedAttributes: readonly string[];
  /** Set when the change imports an existing object (`change.importing`); `id` when the plan gives it. */
  readonly importing?: { readonly id?: string };
  /** A non-sensitive value before or after the change; undefined when absent or sensitive. */
  valueOf(when: 'before' | 'after', key: string): unknown;
  /** Every value before or after the change with each sensitive leaf removed (undefined when the object is absent). */
  values(when: 'before' | 'after'): Readonly<Record<string, unknown>> | undefined;
  /** True when the top-level attribute is only known after apply (`after_unknown`). */
  unknownAfter(key: string): boolean;
  /** True when the top-level attribute holds a value marked sensitive. */
  sensitive(when: 'before' | 'after', key: string): boolean;
}

/** A resource or data source as the plan knows it (prior state, planned values), sensitive leaves removed: names IDs. */
export interface PlanObject {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** A parsed plan. */
export interface Plan {
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  /** True when Terraform stopped planning on an error (`errored`): the plan is incomplete. */
  readonly errored: boolean;
  readonly changes: readonly PlanChange[];
  /**
   * `resource_drift`: what Terraform found changed outside Terraform when it refreshed (before =
   * the state, after = what Entra ID holds now). Empty when the plan has none.
   */
  readonly drift: readonly PlanChange[];
  /** True when the plan proposes no action and only records drift: `terraform plan -refresh-only` (no `resource_changes`). */
  readonly refreshOnly: boolean;
  /** Every resource and data source of the prior state and the planned values, for naming object IDs. */
  readonly objects: readonly PlanObject[];
  /**
   * `configuration`: each resource's attribute references (`azuread_application.x.client_id`), by
   * address without index: under each top-level attribute (all its nested references), and under
   * each nested attribute's dotted path (`conditions.users.included_groups`).
   */
  readonly references: ReadonlyMap<string, Readonly<Record<string, readonly string[]>>>;
}

/**
 * What `values('after')` holds where the plan knows a value only after apply (`after_unknown`):
 * written as a Terraform expression, so the inspection reads it as deferred.
 */
export const UNKNOWN_AFTER = '${(known after apply)}';

/** A plan that cannot be used: every problem, as `FILE: path: message`. */
export class PlanError extends Error {
  constructor(public readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join('\n'));
    this.name = 'PlanError';
  }
}

/** Plans larger than this are refused before parsing. */
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

const KNOWN_ACTIONS = new Set(['no-op', 'create', 'read', 'update', 'delete', 'forget']);

/** Reads and parses a plan file. @throws PlanError */
export function readPlanFile(file: string): Plan {
  let text: string;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw fileProblem(file, 'is a directory; name the JSON file written by terraform show -json tfplan > plan.json');
    // A pipe with no writer would block forever, a device may never end: only regular files.
    if (!stat.isFile())
      throw fileProblem(
        file,
        'is not a regular file (a pipe, socket or device): save the JSON to a file (terraform show -json tfplan > plan.json) and name that file',
      );
    if (stat.size > MAX_PLAN_BYTES) throw fileProblem(file, `is ${stat.size} bytes; a plan may be at most ${MAX_PLAN_BYTES} bytes`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof PlanError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw fileProblem(
      file,
      code === 'ENOENT'
        ? 'file not found (check the path given to --plan)'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read: permission denied'
          : `cannot be read (${code ?? 'unknown error'})`,
    );
  }
  return parsePlanText(text, file);
}

/** Parses plan JSON text. @throws PlanError */
export function parsePlanText(text: string, file: string): Plan {
  if (text.trim() === '') throw fileProblem(file, 'is empty; write it with terraform show -json tfplan > plan.json');
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    // A saved plan (terraform plan -out) is a zip archive.
    if (text.startsWith('PK\u0003\u0004'))
      throw fileProblem(
        file,
        'is not valid JSON: this is the binary plan file written by terraform plan -out; review its JSON: terraform show -json tfplan > plan.json',
      );
    const hint = /^\s*(Terraform|─|Plan:|No changes)/.test(text) ? ' (this looks like the human-readable plan: use terraform show -json tfplan)' : '';
    // Where JSON.parse stopped, as FILE:LINE:COL (editors and problem matchers jump there).
    throw fileProblem(file, `is not valid JSON${hint}`, jsonPosition(text, (e as Error).message));
  }
  const depth = depthOver(data, MAX_PLAN_DEPTH);
  if (depth) throw fileProblem(file, `nests deeper than ${MAX_PLAN_DEPTH} levels (at ${depth}); terraform show -json writes nothing that deep`);
  return parsePlan(data, file);
}

/** How deep a plan's JSON may nest: Entra ID objects nest a few levels, expressions a few more. */
export const MAX_PLAN_DEPTH = 100;

/** The path of the first value nested deeper than `max`, or undefined; without recursion, so any depth is safe. */
function depthOver(root: unknown, max: number): string | undefined {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: root, depth: 0, path: '(top level)' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return path.length > 120 ? `${path.slice(0, 117)}...` : path;
    for (const [k, x] of Object.entries(v)) stack.push({ v: x, depth: depth + 1, path: Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}` });
  }
  return undefined;
}

/** Validates parsed plan JSON. Pure. @throws PlanError with every problem found */
export function parsePlan(data: unknown, file: string): Plan {
  const problems: ConfigProblem[] = [];
  const add = (path: readonly PropertyKey[], message: string) => problems.push({ file, path: path.length === 0 ? '(top level)' : formatPath(path), message });

  if (!isObject(data))
    throw new PlanError([{ file, path: '(top level)', message: `must be a JSON object (the output of terraform show -json tfplan), got ${describe(data)}` }]);
  const formatVersion = data.format_version;
  if (typeof formatVersion !== 'string')
    add(['format_version'], `is required: a string such as "1.2", got ${describe(formatVersion)}; is this the output of terraform show -json tfplan?`);
  else if (!/^1\.\d+$/.test(formatVersion)) add(['format_version'], `"${formatVersion}" is not supported; this reads the documented format 1.x`);
  if (!('resource_changes' in data) && !('planned_values' in data)) {
    add(
      [],
      'is not a plan: it has neither resource_changes nor planned_values' +
        ('values' in data ? ' (this is the JSON of a state; run terraform show -json tfplan on a saved plan)' : ''),
    );
  }
  const rc = data.resource_changes;
  const changes: PlanChange[] = [];
  const seenAddresses = new Set<string>();
  if (rc !== undefined && !Array.isArray(rc)) add(['resource_changes'], `must be a list, got ${describe(rc)}`);
  if (Array.isArray(rc)) {
    rc.forEach((entry, i) => {
      const at = (...rest: PropertyKey[]) => ['resource_changes', i, ...rest];
      if (!isObject(entry)) {
        add(at(), `must be an object, got ${describe(entry)}`);
        return;
      }
      const before = problems.length;
      for (const key of ['address', 'type', 'name'] as const) {
        if (typeof entry[key] !== 'string' || entry[key] === '') add(at(key), `must be a non-empty string, got ${describe(entry[key])}`);
      }
      if (typeof entry.type === 'string' && entry.type !== '' && !IDENTIFIER.test(entry.type))
        add(at('type'), `${describe(entry.type)} is not a resource type (letters, digits, _ and -, as azuread_application)`);
      if (typeof entry.address === 'string' && seenAddresses.has(entry.address))
        add(at('address'), `${describe(entry.address)} is listed twice; terraform show -json lists each resource once`);
      if (typeof entry.address === 'string') seenAddresses.add(entry.address);
      if (entry.mode !== undefined && entry.mode !== 'managed' && entry.mode !== 'data')
        add(at('mode'), `must be "managed" or "data", got ${describe(entry.mode)}`);
      const change = entry.change;
      if (!isObject(change)) add(at('change'), `must be an object with actions, got ${describe(change)}`);
      else if (!Array.isArray(change.actions) || change.actions.length === 0 || !change.actions.every((a) => typeof a === 'string')) {
        add(at('change', 'actions'), `must be a non-empty list of action names such as ["create"] or ["delete", "create"], got ${describe(change.actions)}`);
      } else if (change.importing !== undefined && change.importing !== null && !isObject(change.importing)) {
        add(at('change', 'importing'), `must be an object such as {"id": "/applications/…"} (Terraform 1.5+), got ${describe(change.importing)}`);
      }
      if (isObject(change)) for (const side of ['before', 'after'] as const) valuesProblem(change[side], at('change', side), add);
      if (problems.length === before) changes.push(toChange(entry, change as Record<string, unknown>));
    });
  }
  const drift: PlanChange[] = [];
  const rd = data.resource_drift;
  if (rd !== undefined && rd !== null && !Array.isArray(rd)) add(['resource_drift'], `must be a list, got ${describe(rd)}`);
  if (Array.isArray(rd)) {
    rd.forEach((entry, i) => {
      if (
        !isObject(entry) ||
        typeof entry.address !== 'string' ||
        typeof entry.type !== 'string' ||
        typeof entry.name !== 'string' ||
        !isObject(entry.change) ||
        !Array.isArray(entry.change.actions) ||
        !entry.change.actions.every((a) => typeof a === 'string') ||
        entry.change.actions.length === 0
      ) {
        add(['resource_drift', i], 'must be an object with address, type, name and change.actions, as terraform show -json writes it');
        return;
      }
      if (!IDENTIFIER.test(entry.type)) {
        add(['resource_drift', i, 'type'], `${describe(entry.type)} is not a resource type (letters, digits, _ and -, as azuread_application)`);
        return;
      }
      const before = problems.length;
      for (const side of ['before', 'after'] as const) valuesProblem(entry.change[side], ['resource_drift', i, 'change', side], add);
      if (problems.length > before) return;
      drift.push(toChange(entry, entry.change));
    });
  }
  if (problems.length > 0) throw new PlanError(problems);
  const byAddress = (a: PlanChange, b: PlanChange) => (a.planAddress < b.planAddress ? -1 : a.planAddress > b.planAddress ? 1 : 0);
  return {
    formatVersion: formatVersion as string,
    ...(typeof data.terraform_version === 'string' ? { terraformVersion: data.terraform_version } : {}),
    errored: data.errored === true,
    changes: changes.sort(byAddress),
    drift: drift.sort(byAddress),
    refreshOnly: rc === undefined && drift.length > 0,
    objects: objectsOf(data),
    references: referencesOf(data.configuration),
  };
}

/** A resource type or name as Terraform allows it. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A change's `before` or `after`: an object of attributes, or null (nothing before a create, after a delete). */
function valuesProblem(v: unknown, path: readonly PropertyKey[], add: (path: readonly PropertyKey[], message: string) => void): void {
  if (v !== undefined && v !== null && !isObject(v)) add(path, `must be an object of attributes or null, got ${describe(v)}`);
}

/** The action of a list of actions, as documented: delete+create (either order) is a replacement. */
export function classifyActions(actions: readonly string[]): PlanAction {
  const key = actions.join(',');
  switch (key) {
    case 'no-op':
    case 'create':
    case 'read':
    case 'update':
    case 'delete':
    case 'forget':
      return key;
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    default:
      return 'other';
  }
}

/**
 * A string from the plan as the review may print it: whatever the plan does not mark sensitive can
 * still hold a credential (a secret pasted into a description) or control characters, so every
 * string read out of a plan is redacted and made one printable line, here, once.
 */
function clean<T>(v: T): T {
  if (typeof v === 'string') return printable(v) as T;
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [printable(k), clean(x)])) as T;
  return v;
}

function toChange(entry: Record<string, unknown>, change: Record<string, unknown>): PlanChange {
  const mode = entry.mode === 'data' ? 'data' : 'managed';
  const type = printable(entry.type as string);
  const name = printable(entry.name as string);
  const actions = (change.actions as string[]).map((a) => printable(String(a)));
  const before = isObject(change.before) ? change.before : undefined;
  const after = isObject(change.after) ? change.after : undefined;
  const sensitive = { before: change.before_sensitive, after: change.after_sensitive };
  const unknown = isObject(change.after_unknown) ? change.after_unknown : {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {}), ...Object.keys(unknown)]);
  const changedAttributes =
    classifyActions(actions) === 'update' || classifyActions(actions) === 'replace'
      ? [...keys]
          .filter((k) => own(unknown, k) === true || JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null))
          .map(printable)
          .sort()
      : [];
  const replacePaths = Array.isArray(change.replace_paths) ? change.replace_paths : [];
  const cache: Partial<Record<'before' | 'after', Record<string, unknown> | undefined>> = {};
  const replacedBecauseOf = [
    ...new Set(
      replacePaths
        .map((p) => (Array.isArray(p) ? p[0] : undefined))
        .filter((k): k is string => typeof k === 'string')
        .map(printable),
    ),
  ].sort();
  return {
    address: `${mode === 'data' ? 'data.' : ''}${type}.${name}`,
    planAddress: printable(entry.address as string),
    mode,
    type,
    name,
    action: actions.every((a) => KNOWN_ACTIONS.has(a)) ? classifyActions(actions) : 'other',
    actions,
    replacedBecauseOf,
    ...(typeof entry.action_reason === 'string' ? { actionReason: printable(entry.action_reason) } : {}),
    changedAttributes,
    ...(isObject(change.importing) ? { importing: typeof change.importing.id === 'string' ? { id: printable(change.importing.id) } : {} } : {}),
    valueOf(when, key) {
      const values = when === 'before' ? before : after;
      if (!values || isSensitive(sensitive[when], key)) return undefined;
      return clean(values[key]);
    },
    values(when) {
      // Read once: every string is made printable and redacted, which is what costs.
      if (!(when in cache)) {
        const values = when === 'before' ? before : after;
        const known = values ? (clean(redact(values, sensitive[when])) as Record<string, unknown>) : undefined;
        cache[when] = known && when === 'after' ? (withUnknown(known, unknown) as Record<string, unknown>) : known;
      }
      return cache[when];
    },
    unknownAfter(key) {
      return holdsTrue(own(unknown, key));
    },
    sensitive(when, key) {
      return isSensitive(sensitive[when], key);
    },
  };
}

/**
 * A value with every leaf that its `*_sensitive` tree marks removed (set to undefined). The tree
 * has the value's shape; `true` marks a sensitive leaf or subtree.
 */
export function redact(value: unknown, tree: unknown): unknown {
  if (tree === false || tree === null || tree === undefined) return value;
  // `true`, and a marker Terraform never writes (1, "yes"): fails closed.
  if (tree === true || typeof tree !== 'object') return undefined;
  if (Array.isArray(value)) {
    if (!Array.isArray(tree)) return holdsTrue(tree) ? undefined : value;
    // A sensitive element keeps its place in the list, as a mark (Terraform's "(sensitive value)").
    return value.map((v, i) => {
      const r = redact(v, tree[i]);
      return r === undefined && v !== undefined ? SENSITIVE_VALUE : r;
    });
  }
  if (isObject(value)) {
    if (!isObject(tree)) return holdsTrue(tree) ? undefined : value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = redact(v, own(tree, k));
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return holdsTrue(tree) ? undefined : value;
}

/** What the review shows for a sensitive element of a list. */
export const SENSITIVE_VALUE = '(sensitive value)';

/** `o[k]` when `o` has it as its own key (a plan's key `constructor` is not Object's). */
function own(o: Record<string, unknown>, k: string): unknown {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

/** `value` with UNKNOWN_AFTER wherever the `after_unknown` tree marks a value unknown. */
function withUnknown(value: unknown, tree: unknown): unknown {
  if (tree === true) return UNKNOWN_AFTER;
  const marks = (t: unknown): boolean => t === true || (Array.isArray(t) ? t.some(marks) : isObject(t) ? Object.values(t).some(marks) : false);
  if (Array.isArray(tree)) {
    const out = Array.isArray(value) ? [...value] : [];
    tree.forEach((t, i) => {
      if (marks(t)) out[i] = withUnknown(out[i], t);
    });
    return out;
  }
  if (isObject(tree)) {
    const out: Record<string, unknown> = isObject(value) ? { ...value } : {};
    for (const [k, t] of Object.entries(tree)) if (marks(t)) out[k] = withUnknown(out[k], t);
    return out;
  }
  return value;
}

/** Every resource instance of `prior_state.values` and `planned_values`, sensitive values removed; planned values win. */
function objectsOf(data: Record<string, unknown>): PlanObject[] {
  const out = new Map<string, PlanObject>();
  const seen = new Map<string, string>();
  const walk = (module: unknown) => {
    if (!isObject(module)) return;
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(r) || typeof r.address !== 'string' || typeof r.type !== 'string' || !isObject(r.values)) continue;
      // The planned values often repeat the prior state (data sources with hundreds of app roles):
      // cleaning every string is what costs, so an unchanged object is cleaned once.
      const raw = JSON.stringify([r.values, r.sensitive_values ?? null]);
      if (seen.get(r.address) === raw) continue;
      seen.set(r.address, raw);
      const redacted = clean(redact(r.mode === 'data' ? trimRead(r.values) : r.values, r.sensitive_values));
      const values = isObject(redacted) ? redacted : {};
      const previous = out.get(r.address)?.values ?? {};
      // Unknown (not yet planned) values are absent from planned_values: keep what the state knew.
      out.set(printable(r.address), {
        address: printable(r.address),
        mode: r.mode === 'data' ? 'data' : 'managed',
        type: printable(r.type),
        values: { ...previous, ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined)) },
      });
    }
    for (const c of Array.isArray(module.child_modules) ? module.child_modules : []) walk(c);
  };
  const prior = isObject(data.prior_state) && isObject(data.prior_state.values) ? data.prior_state.values.root_module : undefined;
  walk(prior);
  walk(isObject(data.planned_values) ? data.planned_values.root_module : undefined);
  return [...out.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/**
 * A data source's values as the review uses them: the app roles and scopes a service principal or
 * application data source lists keep only their ID, value and member types (their descriptions run
 * to hundreds of texts for Microsoft Graph, and nothing reads them).
 */
function trimRead(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const k of ['app_roles', 'oauth2_permission_scopes', 'app_role']) {
    const list = values[k];
    if (Array.isArray(list))
      out[k] = list.map((x) =>
        isObject(x) ? { id: x.id, value: x.value, ...(Array.isArray(x.allowed_member_types) ? { allowed_member_types: x.allowed_member_types } : {}) } : x,
      );
  }
  return out;
}

/** The top-level attribute references of each configured resource (module resources under `module.<name>.`). */
function referencesOf(configuration: unknown): Map<string, Record<string, string[]>> {
  const out = new Map<string, Record<string, string[]>>();
  const walk = (module: unknown, prefix: string) => {
    if (!isObject(module)) return;
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(r) || typeof r.address !== 'string' || !isObject(r.expressions)) continue;
      // Keys come from the plan: no prototype (a block named `constructor` is a key like any other).
      const refs = Object.create(null) as Record<string, string[]>;
      // Nested blocks (conditions, required_resource_access) keep their references under the top-level
      // attribute, and under their own dotted path (`conditions.locations.included_locations`).
      const collect = (e: unknown, path: string, into: string[]) => {
        if (Array.isArray(e)) for (const x of e) collect(x, path, into);
        else if (isObject(e)) {
          if (Array.isArray(e.references)) {
            const list = e.references.filter((x): x is string => typeof x === 'string').map(printable);
            into.push(...list);
            if (path.includes('.')) refs[path] = [...(refs[path] ?? []), ...list];
          } else for (const [k, x] of Object.entries(e)) collect(x, `${path}.${k}`, into);
        }
      };
      for (const [k, e] of Object.entries(r.expressions)) {
        const into: string[] = [];
        collect(e, k, into);
        if (into.length > 0) refs[k] = into;
      }
      out.set(`${prefix}${r.address}`, refs);
    }
    const calls = isObject(module.module_calls) ? module.module_calls : {};
    for (const [name, call] of Object.entries(calls)) if (isObject(call)) walk(call.module, `${prefix}module.${name}.`);
  };
  walk(isObject(configuration) ? configuration.root_module : undefined, '');
  return out;
}

/**
 * True when `key` (or the whole object) is marked sensitive in a `*_sensitive` tree. Terraform
 * writes the tree in the value's shape: a list has one entry per element (`false`, or `{}` for a
 * block without sensitive leaves) and an object omits its `false`s, so only a `true` somewhere
 * inside marks a sensitive leaf; a value holding one is treated as sensitive as a whole.
 */
export function isSensitive(tree: unknown, key: string): boolean {
  if (tree === false || tree === null || tree === undefined) return false;
  // A tree of another shape than the value's (a list, 1, "yes") fails closed.
  if (!isObject(tree)) return holdsTrue(tree);
  return holdsTrue(own(tree, key));
}

/** Fails closed: anything but `false`, null and containers without such leaves (a malformed marker) counts as sensitive. */
function holdsTrue(tree: unknown): boolean {
  if (tree === false || tree === null || tree === undefined) return false;
  if (Array.isArray(tree)) return tree.some(holdsTrue);
  return isObject(tree) ? Object.values(tree).some(holdsTrue) : true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  return `${typeof v} ${String(v)}`;
}

function jsonPosition(text: string, message: string): { line: number; column: number } | undefined {
  const m = /position (\d+)/.exec(message);
  if (!m) return undefined;
  const pos = Number(m[1]);
  const upTo = text.slice(0, pos);
  return { line: upTo.split('\n').length, column: pos - upTo.lastIndexOf('\n') };
}

function fileProblem(file: string, message: string, at?: { line: number; column: number }): PlanError {
  return new PlanError([{ file, path: '(file)', message, ...(at ?? {}) }]);
}
