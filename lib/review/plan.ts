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
}

/** A parsed plan. */
export interface Plan {
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  /** True when Terraform stopped planning on an error (`errored`): the plan is incomplete. */
  readonly errored: boolean;
  readonly changes: readonly PlanChange[];
}

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
    if (!stat.isFile()) throw fileProblem(file, 'is not a regular file (a pipe, socket or device): save the JSON to a file (terraform show -json tfplan > plan.json) and name that file');
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
    if (text.startsWith('PK\u0003\u0004')) throw fileProblem(file, 'is not valid JSON: this is the binary plan file written by terraform plan -out; review its JSON: terraform show -json tfplan > plan.json');
    const hint = /^\s*(Terraform|─|Plan:|No changes)/.test(text) ? ' (this looks like the human-readable plan: use terraform show -json tfplan)' : '';
    throw fileProblem(file, `is not valid JSON${jsonPosition(text, (e as Error).message)}${hint}`);
  }
  return parsePlan(data, file);
}

/** Validates parsed plan JSON. Pure. @throws PlanError with every problem found */
export function parsePlan(data: unknown, file: string): Plan {
  const problems: ConfigProblem[] = [];
  const add = (path: readonly PropertyKey[], message: string) => problems.push({ file, path: path.length === 0 ? '(top level)' : formatPath(path), message });

  if (!isObject(data)) throw new PlanError([{ file, path: '(top level)', message: `must be a JSON object (the output of terraform show -json tfplan), got ${describe(data)}` }]);
  const formatVersion = data.format_version;
  if (typeof formatVersion !== 'string') add(['format_version'], `is required: a string such as "1.2", got ${describe(formatVersion)}; is this the output of terraform show -json tfplan?`);
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
      if (entry.mode !== undefined && entry.mode !== 'managed' && entry.mode !== 'data') add(at('mode'), `must be "managed" or "data", got ${describe(entry.mode)}`);
      const change = entry.change;
      if (!isObject(change)) add(at('change'), `must be an object with actions, got ${describe(change)}`);
      else if (!Array.isArray(change.actions) || change.actions.length === 0 || !change.actions.every((a) => typeof a === 'string')) {
        add(at('change', 'actions'), `must be a non-empty list of action names such as ["create"] or ["delete", "create"], got ${describe(change.actions)}`);
      } else if (change.importing !== undefined && change.importing !== null && !isObject(change.importing)) {
        add(at('change', 'importing'), `must be an object such as {"id": "/applications/…"} (Terraform 1.5+), got ${describe(change.importing)}`);
      }
      if (problems.length === before) changes.push(toChange(entry, change as Record<string, unknown>));
    });
  }
  if (problems.length > 0) throw new PlanError(problems);
  return {
    formatVersion: formatVersion as string,
    ...(typeof data.terraform_version === 'string' ? { terraformVersion: data.terraform_version } : {}),
    errored: data.errored === true,
    changes: changes.sort((a, b) => (a.planAddress < b.planAddress ? -1 : a.planAddress > b.planAddress ? 1 : 0)),
  };
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
  const type = entry.type as string;
  const name = entry.name as string;
  const actions = (change.actions as string[]).map((a) => printable(String(a)));
  const before = isObject(change.before) ? change.before : undefined;
  const after = isObject(change.after) ? change.after : undefined;
  const sensitive = { before: change.before_sensitive, after: change.after_sensitive };
  const unknown = isObject(change.after_unknown) ? change.after_unknown : {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {}), ...Object.keys(unknown)]);
  const changedAttributes =
    classifyActions(actions) === 'update' || classifyActions(actions) === 'replace'
      ? [...keys].filter((k) => unknown[k] === true || JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null)).map(printable).sort()
      : [];
  const replacePaths = Array.isArray(change.replace_paths) ? change.replace_paths : [];
  const replacedBecauseOf = [
    ...new Set(replacePaths.map((p) => (Array.isArray(p) ? p[0] : undefined)).filter((k): k is string => typeof k === 'string').map(printable)),
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
  };
}

/**
 * True when `key` (or the whole object) is marked sensitive in a `*_sensitive` tree. Terraform
 * writes the tree in the value's shape: a list has one entry per element (`false`, or `{}` for a
 * block without sensitive leaves) and an object omits its `false`s, so only a `true` somewhere
 * inside marks a sensitive leaf; a value holding one is treated as sensitive as a whole.
 */
export function isSensitive(tree: unknown, key: string): boolean {
  if (tree === true) return true;
  if (!isObject(tree)) return false;
  return holdsTrue(tree[key]);
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

function jsonPosition(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Number(m[1]);
  const upTo = text.slice(0, pos);
  const line = upTo.split('\n').length;
  const column = pos - upTo.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

function fileProblem(file: string, message: string): PlanError {
  return new PlanError([{ file, path: '(file)', message }]);
}
