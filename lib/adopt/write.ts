/**
 * The adopted environment as YAML, and writing it into a config file without half-writing it.
 * The file is parsed as a YAML document (the `yaml` package's Document API, with node ranges); the
 * new environment's text is spliced in at the end of the `environments` mapping (or in place of
 * the environment it replaces), so every other byte of the file, comments and layout included,
 * stays as it was; a flow-style `environments` mapping is re-serialized by the Document API
 * instead, which keeps comments but not layout. The result is validated by the config loader as a
 * whole, then written to a temporary file beside it and renamed over it. An environment already in
 * the file is replaced only when asked (`--replace`).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { writeFileAtomically } from '../private/atomic-file';
import { isMap, isScalar, parseDocument, Document, YAMLMap, type Node as YamlNode } from 'yaml';
import { parseConfigText } from '../config/load-config';
import { ConfigError, formatProblem } from '../config/problems';
import type { EnvironmentConfig } from '../config/schema';
import type { TenantProps } from '../model/tenant';
import { printable } from '../private/printable';

/** Writing was refused or failed; nothing was written. */
export class WriteError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

/** Comments that explain what adopt chose, on the keys they are about (paths below the environment). */
const COMMENTS: readonly { readonly path: readonly string[]; readonly text: string }[] = [
  {
    path: ['application', 'preventDuplicateNames'],
    text: " Terraform-only flag: false keeps the first plan free of a change of state only (the name is the adopted application's own)",
  },
  {
    path: ['application', 'exposedScope', 'id'],
    text: ' the scope ID made in the portal: keep it (another ID replaces the scope, which disables and deletes it)',
  },
  { path: ['application', 'import'], text: ' made in the portal: the first plan imports these (Terraform import blocks); they may stay after the first apply' },
  { path: ['mfaPolicy', 'group', 'create', 'preventDuplicateNames'], text: ' Terraform-only flag: false keeps the first plan free of a change of state only' },
  { path: ['mfaPolicy', 'import'], text: ' made in the portal: the first plan imports the policy and its group' },
];

/**
 * Keys of an environment that say how and where it is deployed, or what its owners accepted: adopt
 * reads none of them from the portal, so replacing an environment keeps them (dropping a backend
 * would move the state, dropping tenant would take the environment out of its policy set).
 */
export const KEPT_ON_REPLACE = ['tenant', 'provider', 'backend', 'guardrails'] as const;

/** `adopted` with the kept keys of the environment it replaces, in the usual order of an environment. */
function keptFrom(before: unknown, adopted: EnvironmentConfig): { readonly env: EnvironmentConfig; readonly kept: readonly string[] } {
  if (before === null || typeof before !== 'object' || Array.isArray(before)) return { env: adopted, kept: [] };
  const old = before as Record<string, unknown>;
  const kept = KEPT_ON_REPLACE.filter((k) => old[k] !== undefined && adopted[k] === undefined);
  const take = (k: (typeof KEPT_ON_REPLACE)[number]) => (kept.includes(k) ? { [k]: old[k] } : {});
  const { application, mfaPolicy, ...stack } = adopted;
  const env = {
    ...take('tenant'),
    ...stack,
    ...take('provider'),
    ...take('backend'),
    ...(application !== undefined ? { application } : {}),
    ...(mfaPolicy !== undefined ? { mfaPolicy } : {}),
    ...take('guardrails'),
  } as EnvironmentConfig;
  return { env, kept };
}

/** The top-level mapping a section is written into: an environment, or a tenant's conditional access. */
export type SectionRoot = 'environments' | 'tenants';

/** Keys of a tenant adopt does not read from the tenant: kept when a tenant is replaced. */
export const TENANT_KEPT_ON_REPLACE = ['provider', 'backend', 'guardrails'] as const;

/** `adopted` with the kept keys of the tenant it replaces, in the usual order of a tenant. */
function tenantKeptFrom(before: unknown, adopted: TenantProps): { readonly value: TenantProps; readonly kept: readonly string[] } {
  if (before === null || typeof before !== 'object' || Array.isArray(before)) return { value: adopted, kept: [] };
  const old = before as Record<string, unknown>;
  const given = adopted as Record<string, unknown>;
  const kept = TENANT_KEPT_ON_REPLACE.filter((k) => old[k] !== undefined && given[k] === undefined);
  const take = (k: (typeof TENANT_KEPT_ON_REPLACE)[number]) => (kept.includes(k) ? { [k]: old[k] } : {});
  const { tenantId, ...rest } = adopted;
  return {
    value: { ...(tenantId !== undefined ? { tenantId } : {}), ...take('provider'), ...take('backend'), ...take('guardrails'), ...rest } as TenantProps,
    kept,
  };
}

/** A section as a YAML node of `doc`, with adopt's comments. */
function sectionNode(doc: Document, root: SectionRoot, value: unknown): YamlNode {
  return root === 'environments' ? environmentNode(doc, value as EnvironmentConfig) : doc.createNode(value);
}

/** The environment as a YAML node of `doc`, with adopt's comments. */
function environmentNode(doc: Document, env: EnvironmentConfig): YamlNode {
  const node = doc.createNode(env) as YAMLMap;
  for (const c of COMMENTS) {
    let n: unknown = node;
    for (const key of c.path.slice(0, -1)) n = isMap(n) ? n.get(key, true) : undefined;
    if (!isMap(n)) continue;
    const pair = n.items.find((p) => isScalar(p.key) && p.key.value === c.path[c.path.length - 1]);
    if (pair && isScalar(pair.key)) pair.key.commentBefore = c.text;
  }
  return node;
}

/**
 * How adopt writes YAML: no folding, and no block scalars, so a value read from Graph with a line
 * break in it stays on the line of its key ("\n" in double quotes) wherever the section is printed;
 * the loader refuses such values anyway, but the section is printed with them to say why.
 */
const YAML_OPTIONS = { lineWidth: 0, blockQuote: false, doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER } as const;

/** The header comment as one line: a line break in it (a tenant ID read from a token) would start a line of YAML. */
function headerLine(header: string): string {
  return printable(header);
}

/** `environments: { name: env }` as YAML text, with a header comment. */
export function environmentYaml(name: string, env: EnvironmentConfig, header?: string): string {
  return sectionYaml('environments', name, env, header);
}

/** `tenants: { name: tenant }` as YAML text, with a header comment. */
export function tenantYaml(name: string, tenant: TenantProps, header?: string): string {
  return sectionYaml('tenants', name, tenant, header);
}

function sectionYaml(root: SectionRoot, name: string, value: unknown, header?: string): string {
  const doc = new Document({});
  const map = new YAMLMap();
  map.set(name, sectionNode(doc, root, value));
  doc.set(root, map);
  if (header) doc.commentBefore = headerLine(header);
  return doc.toString(YAML_OPTIONS);
}

/**
 * Adds (or with `replace`, replaces) tenant `name` in `file` as writeEnvironment does an
 * environment; a replaced tenant keeps its `TENANT_KEPT_ON_REPLACE` keys.
 * @throws WriteError when nothing was written
 */
export function writeTenant(
  file: string,
  name: string,
  adopted: TenantProps,
  options: { readonly replace: boolean; readonly header?: string },
): { readonly replaced: boolean; readonly created: boolean; readonly kept: readonly string[] } {
  return writeSection(file, 'tenants', name, adopted, options, (before) => {
    const r = tenantKeptFrom(before, adopted);
    return { value: r.value, kept: r.kept };
  });
}

/**
 * Adds (or with `replace`, replaces) environment `name` in `file`, keeping the rest of the file;
 * creates the file when it does not exist. A replaced environment keeps its `KEPT_ON_REPLACE` keys.
 * @returns whether the environment replaced one that was there, and the keys it kept
 * @throws WriteError when nothing was written: unreadable or invalid file, the environment exists, the result is invalid
 */
export function writeEnvironment(
  file: string,
  name: string,
  adopted: EnvironmentConfig,
  options: { readonly replace: boolean; readonly header?: string },
): { readonly replaced: boolean; readonly created: boolean; readonly kept: readonly string[] } {
  return writeSection(file, 'environments', name, adopted, options, (before) => {
    const r = keptFrom(before, adopted);
    return { value: r.env, kept: r.kept };
  });
}

function writeSection(
  file: string,
  root: SectionRoot,
  name: string,
  adopted: unknown,
  options: { readonly replace: boolean; readonly header?: string },
  keep: (before: unknown) => { readonly value: unknown; readonly kept: readonly string[] },
): { readonly replaced: boolean; readonly created: boolean; readonly kept: readonly string[] } {
  const what = root === 'environments' ? 'environment' : 'tenant';
  const flag = root === 'environments' ? '--env' : '--tenant';
  let env = adopted;
  let kept: readonly string[] = [];
  let existing: string | undefined;
  let mode = 0o644;
  // A symbolic link stays one: the file it points to is replaced, beside itself.
  let target = file;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new WriteError(`${file} is not a regular file: name a .yaml file`);
    mode = st.mode & 0o777;
    target = realpathSync(file);
    existing = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof WriteError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new WriteError(`${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); nothing was written`);
  }

  let text: string;
  let replaced = false;
  if (existing === undefined || existing.trim() === '') {
    text = sectionYaml(root, name, env, options.header);
  } else {
    const doc = parseDocument(existing, { uniqueKeys: true, stringKeys: true });
    if (doc.errors.length > 0)
      throw new WriteError(`${file} is not valid YAML (${doc.errors[0].message.split('\n')[0]}); nothing was written: fix it, or write to a new file`);
    if (!isMap(doc.contents)) throw new WriteError(`${file} is not a mapping with an "${root}" key; nothing was written`);
    const envs = doc.get(root, true);
    if (envs !== undefined && !isMap(envs)) throw new WriteError(`${file}: "${root}" is not a mapping; nothing was written`);
    if (isMap(envs) && envs.has(name)) {
      if (!options.replace) {
        throw new WriteError(
          `${file} already has ${what} ${JSON.stringify(name)}: pass --replace to replace it (the rest of the file is kept as it is), or choose another ${flag}; nothing was written`,
        );
      }
      replaced = true;
      ({ value: env, kept } = keep((doc.toJS({ maxAliasCount: -1 }) as Record<string, Record<string, unknown> | undefined>)[root]?.[name]));
    }
    const spliced =
      isMap(envs) && !envs.flow && envs.items.length > 0
        ? splice(existing, envs, root, name, env, options.header)
        : envs === undefined && !doc.contents.flow
          ? appendRoot(existing, root, name, env, options.header)
          : undefined;
    if (spliced !== undefined) text = spliced;
    else {
      const node = sectionNode(doc, root, env);
      if (options.header) (node as YAMLMap).commentBefore = headerLine(options.header);
      if (isMap(envs)) envs.set(name, node);
      else {
        const map = new YAMLMap();
        map.set(name, node);
        doc.set(root, map);
      }
      text = doc.toString(YAML_OPTIONS);
    }
  }

  // The whole file must load as it will be loaded by synth: the same loader, every rule.
  try {
    parseConfigText(text, file);
  } catch (e) {
    if (e instanceof ConfigError) throw new WriteError(`${file} would not load with ${what} ${name} added; nothing was written`, e.problems.map(formatProblem));
    throw e;
  }
  writeAtomically(target, text, mode, file);
  return { replaced, created: existing === undefined, kept };
}

/**
 * `text` with environment `name` written into the block mapping `envs`: in place of the pair of
 * that name (its key to the end of its value; comments around it stay), or after the last pair.
 * Undefined when the ranges are not what a block mapping has (then the caller re-serializes).
 */
function splice(text: string, envs: YAMLMap, root: SectionRoot, name: string, env: unknown, header?: string): string | undefined {
  const first = envs.items[0];
  const start = (first.key as { range?: number[] } | null)?.range?.[0];
  if (start === undefined) return undefined;
  const indent = start - (text.lastIndexOf('\n', start - 1) + 1);
  const doc = new Document({});
  const block = new YAMLMap();
  block.set(name, sectionNode(doc, root, env));
  doc.contents = block;
  const lines = [...(header ? [`#${headerLine(header)}`] : []), ...doc.toString(YAML_OPTIONS).trimEnd().split('\n')];
  const body = `${lines.map((l) => (l === '' ? '' : `${' '.repeat(indent)}${l}`)).join('\n')}\n`;
  const pair = envs.items.find((p) => isScalar(p.key) && p.key.value === name);
  if (pair) {
    const from = (pair.key as { range?: number[] }).range?.[0];
    const to = (pair.value as { range?: number[] } | null)?.range?.[1];
    if (from === undefined || to === undefined) return undefined;
    // From the key's column: the indentation before it stays in the text.
    const lineStart = from - indent;
    const rest = text.slice(to);
    return `${text.slice(0, lineStart)}${body}${rest.startsWith('\n') || to === 0 || text[to - 1] === '\n' ? '' : '\n'}${rest}`;
  }
  const end = envs.range?.[1];
  if (end === undefined) return undefined;
  const before = text.slice(0, end);
  return `${before}${before.endsWith('\n') ? '' : '\n'}${body}${text.slice(end)}`;
}

/**
 * `text` with `root:` and the section appended at its end (the file has no such mapping yet), so
 * every byte before it stays; the section is indented as the file's first key's value is.
 */
function appendRoot(text: string, root: SectionRoot, name: string, value: unknown, header?: string): string {
  const doc = new Document({});
  const block = new YAMLMap();
  block.set(name, sectionNode(doc, root, value));
  doc.contents = block;
  const indent = /^(?:[^\n#][^\n]*:\s*\n)(?:\s*#[^\n]*\n)*( +)\S/m.exec(text)?.[1].length ?? 2;
  const lines = [...(header ? [`#${headerLine(header)}`] : []), ...doc.toString(YAML_OPTIONS).trimEnd().split('\n')];
  const body = `${root}:\n${lines.map((l) => (l === '' ? '' : `${' '.repeat(indent)}${l}`)).join('\n')}\n`;
  return `${text}${text.endsWith('\n') ? '' : '\n'}${body}`;
}

/** Writes `file` atomically (lib/private/atomic-file.ts); `shown` names it in the message of a failure. */
function writeAtomically(file: string, text: string, mode: number, shown: string): void {
  try {
    writeFileAtomically(file, text, mode);
  } catch (e) {
    throw new WriteError(`${shown} could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); it is unchanged`);
  }
}
