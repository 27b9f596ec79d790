import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isAlias, isMap, isNode, isPair, isSeq, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import { z } from 'zod';
import { didYouMean } from '../private/did-you-mean';
import { credentialsIn } from '../model/text';
import { credentialIn } from '../private/credentials';
import { ConfigError, formatPath, type ConfigProblem } from './problems';
import { ENVIRONMENT_NAME_PATTERN, ENVIRONMENT_NAME_RULE } from '../model/stack';
import { configSchema, type ItsmMailConfig } from './schema';
import { sectionProblems } from './sections';
import { documentLocation, recordConfigLocation, type ConfigLocation, type ConfigLocator } from './locate';

/** Keys that would put a credential into the file; named so the error says why they are refused. */
export const SECRET_KEYS = ['accessKey', 'sasToken', 'clientSecret', 'clientCertificatePassword', 'token', 'password'];

/** Names Windows reserves for devices: no file or folder may have them (any case). */
const WINDOWS_RESERVED_NAMES = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/;

/** Config files larger than this are refused before parsing: a real one is a few KiB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deeper nesting than this is refused (the real schema is 6 levels deep), measured on the parsed document. */
export const MAX_NESTING_DEPTH = 64;
/**
 * Flow collections (`[`, `{`) nested deeper than this are refused before parsing: it bounds the
 * parser's recursion. Counted outside comments and quoted text, so neither counts.
 */
export const MAX_FLOW_DEPTH_BEFORE_PARSING = 1000;
/** How many values the document may expand to through YAML aliases (anchors reused are fine). */
export const MAX_EXPANDED_VALUES = 100_000;

/**
 * What a YAML input file is called in the messages about it: the config file, or another file
 * this project reads with the same parser and the same bounds (a plan review's suppressions).
 */
export interface YamlFileKind {
  /** The file's name in messages, e.g. `config file`. */
  readonly noun: string;
  /** Where its path was given, e.g. `--config or ITSM_MAIL_CONFIG`. */
  readonly givenBy: string;
  /** What it must hold, said when it holds nothing. */
  readonly mustHold: string;
}

const CONFIG_FILE: YamlFileKind = {
  noun: 'config file',
  givenBy: '--config or ITSM_MAIL_CONFIG',
  mustHold: 'it must define at least one environment under "environments:"',
};

/**
 * Reads, parses and validates a config file (YAML, or JSON which is YAML too).
 *
 * @returns the validated config with defaults applied
 * @throws ConfigError with every problem found, each naming the file and the field
 */
export function loadConfigFile(file: string): ItsmMailConfig {
  return parseConfigText(readYamlFileBytes(file, CONFIG_FILE), file);
}

/**
 * The bytes of a YAML input file: a regular file of at most MAX_CONFIG_BYTES.
 * @throws ConfigError naming the file and what is wrong with it
 */
export function readYamlFileBytes(file: string, kind: YamlFileKind): Buffer {
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw problem(file, `is a directory, not a ${kind.noun} (name a .yaml or .json file)`);
    // A pipe with no writer would block forever, a device may never end: only regular files.
    if (!stat.isFile())
      throw problem(file, `is not a regular file (a pipe, socket or device): save the ${kind.noun.replace(/ file$/, '')} to a file and name that file`);
    if (stat.size > MAX_CONFIG_BYTES) {
      throw problem(file, `is ${stat.size} bytes; a ${kind.noun} may be at most ${MAX_CONFIG_BYTES} bytes`);
    }
    // Devices and pipes report size 0: read at most one byte past the limit, whatever they say.
    bytes = readBounded(file, MAX_CONFIG_BYTES + 1);
    if (bytes.length > MAX_CONFIG_BYTES) throw problem(file, `is larger than ${MAX_CONFIG_BYTES} bytes, the most a ${kind.noun} may be`);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? `file not found (check the path given to ${kind.givenBy})`
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read: permission denied (check the file mode)'
          : code === 'ENOTDIR'
            ? 'file not found: a part of the path is a file, not a folder'
            : `cannot be read (${code ?? 'unknown error'})`;
    throw problem(file, why);
  }
  return bytes;
}

function readBounded(file: string, limit: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let length = 0;
    while (length < limit) {
      const n = readSync(fd, buffer, length, limit - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Parses and validates config text. Pure apart from its input: the file name only labels problems.
 *
 * @throws ConfigError with every problem found
 */
export function parseConfigText(input: string | Uint8Array, file: string): ItsmMailConfig {
  const { data, location } = parseYamlText(input, file, CONFIG_FILE);
  const { problems, config } = validate(data, file, location.locate);
  // The valid part too: its guardrail findings are located like a whole config's.
  if (config !== undefined) recordConfigLocation(config, location);
  if (problems.length > 0) throw new ConfigError(problems, config);
  // A file of tenants only declares no environment: the config holds none.
  if (config!.environments !== undefined) return config!;
  const filled = { ...config!, environments: {} };
  recordConfigLocation(filled, location);
  return filled;
}

/**
 * Parses one YAML document (or JSON) into data, within the loader's bounds (size, nesting,
 * aliases), and locates its fields. Pure apart from its input.
 *
 * @throws ConfigError with the syntax problems, each with its line and column
 */
export function parseYamlText(input: string | Uint8Array, file: string, kind: YamlFileKind): { data: unknown; location: ConfigLocation } {
  const text = decode(input, file);
  if (text.trim() === '') throw problem(file, `is empty; ${kind.mustHold}`);
  if (looksLikeJsonWithComments(text, file)) {
    throw problem(file, 'is JSON with comments, which JSON does not allow: remove the comments, or write the file as YAML, which has # comments');
  }
  const flowDepth = flowNestingDepth(text);
  if (flowDepth > MAX_FLOW_DEPTH_BEFORE_PARSING) {
    throw problem(file, `is nested ${flowDepth} levels deep; at most ${MAX_NESTING_DEPTH} are allowed`);
  }

  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: true,
    strict: true,
    stringKeys: true,
  });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length === 0) throw problem(file, `holds only comments; ${kind.mustHold}`);
  if (list.length !== 1) throw problem(file, `holds ${list.length} YAML documents; put everything in one document`);
  const doc = list[0] as Document.Parsed;

  const syntax = [...doc.errors, ...doc.warnings].map((err) => ({
    file,
    path: '(file)',
    message: `${yamlMessage(err.code, err.message)}`,
    line: err.linePos?.[0].line,
    column: err.linePos?.[0].col,
  }));
  if (syntax.length > 0) throw new ConfigError(dedupe(syntax));

  const depth = documentDepth(doc.contents);
  if (depth > MAX_NESTING_DEPTH) throw problem(file, `is nested ${depth} levels deep; at most ${MAX_NESTING_DEPTH} are allowed`);

  const cycle = aliasCycle(doc);
  if (cycle) {
    throw new ConfigError([
      {
        file,
        path: '(file)',
        message: `has a YAML alias cycle: the alias *${cycle.anchor} lies inside the value its anchor &${cycle.anchor} marks, so that value would contain itself without end; point the alias at another anchor, or write the value out`,
        ...(cycle.offset !== undefined ? { line: lineCounter.linePos(cycle.offset).line } : {}),
      },
    ]);
  }

  let data: unknown;
  try {
    // Aliases become shared references: what they expand to is bounded just below, not their count.
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    throw problem(file, `cannot be read as data: ${(e as Error).message}`);
  }
  if (expandedValues(data, MAX_EXPANDED_VALUES) > MAX_EXPANDED_VALUES) {
    throw problem(file, `expands through YAML aliases into more than ${MAX_EXPANDED_VALUES} values; a config file is a few hundred: reuse anchors less deeply`);
  }

  // The line and column of a field: of its key when it has one, else of the nearest enclosing node.
  return { data, location: documentLocation(file, doc.contents, lineCounter) };
}

/**
 * The problems of data against a schema other than the config's, in the loader's words (unknown
 * keys with a did-you-mean, types and allowed values said plainly), each with its path.
 */
export function schemaProblems(schema: z.ZodType, data: unknown): { path: readonly PropertyKey[]; message: string }[] {
  const result = schema.safeParse(data);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: unknownKeyMessage(key, issue.path, data, schema) }))
      : [{ path: issue.path, message: issueMessage(issue, data) }],
  );
}

/**
 * Checks the shape once (zod), then runs the models' rules on every section whose shape is valid,
 * so that one run reports every problem of the file. Returns the config when there is none, and
 * otherwise the part of it that is valid (environments and sections without problems).
 */
function validate(data: unknown, file: string, locate: ConfigLocator): { problems: ConfigProblem[]; config?: ItsmMailConfig } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { problems: [{ file, path: '(top level)', message: 'must be a mapping with an "environments" key (see config/example.yaml)' }] };
  }
  const problems: ConfigProblem[] = [];
  const add = (path: readonly PropertyKey[], message: string) => {
    const at = locate(path);
    problems.push({ file, path: formatPath(path), message, ...(at ? { line: at.line, column: at.column } : {}) });
  };

  const envs = (data as Record<string, unknown>).environments;
  const tenants = (data as Record<string, unknown>).tenants;
  // A file may declare only tenants (their conditional access), only environments, or both.
  if (
    envs === undefined &&
    (tenants === undefined || (tenants !== null && typeof tenants === 'object' && !Array.isArray(tenants) && Object.keys(tenants).length === 0))
  ) {
    add(
      ['environments'],
      'is required unless the file declares tenants: add an environment (e.g. "prod:" with an application section), or a tenant\'s conditional access under tenants',
    );
  }
  const badNames = new Set<string>();
  if (envs !== undefined && envs !== null && typeof envs === 'object' && !Array.isArray(envs)) {
    const names = Object.keys(envs);
    if (names.length === 0 && tenants === undefined) add(['environments'], 'must define at least one environment, e.g. "prod:"');
    for (const name of names) {
      if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
        badNames.add(name);
        // A name in capitals beside its lower-case twin: one problem that says both.
        const twin = names.find((n) => n !== name && n === name.toLowerCase());
        add(
          ['environments', name],
          twin !== undefined
            ? `${JSON.stringify(name)} differs from ${JSON.stringify(twin)} only in case; stack folders would collide, and names are lower case: rename or remove it`
            : `${JSON.stringify(name)} cannot be a stack name: ${ENVIRONMENT_NAME_RULE}`,
        );
      } else if (WINDOWS_RESERVED_NAMES.test(name)) {
        badNames.add(name);
        add(
          ['environments', name],
          `${JSON.stringify(name)} is a device name on Windows, where the stack folder cdktf.out/stacks/${name} cannot exist: choose another name`,
        );
      }
    }
  }

  // A credential anywhere in the file, as a value or a key, is refused wherever it is: the file is
  // reviewed and committed, and it must never reach the Terraform JSON.
  // One problem is said for such a field: under a secret-named key the key's own message (which
  // says where the secret comes from), elsewhere the credential message alone.
  const credentials = new Map<string, string>();
  for (const { path, message, isKey } of credentialsIn(data)) {
    credentials.set(formatPath(path), message);
    if (isKey || !SECRET_KEYS.includes(String(path[path.length - 1]))) add(path, message);
  }

  // A mapping key named "constructor" makes zod 4's record check throw (it reads the mapping's
  // own `constructor` as a class): refused here, before the shape check, with the key's path.
  const reserved = constructorKeysIn(data);
  if (reserved.length > 0) {
    for (const path of reserved)
      add(
        path,
        '"constructor" cannot be a key: JavaScript objects reserve the name; rename it (an environment, tenant, policy or location key: any other name)',
      );
    return { problems };
  }

  const result = configSchema.safeParse(data);
  const shapeIssues: (readonly PropertyKey[])[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'invalid_key') {
        // Environment names are reported above with a clearer message; a tenant's key names the stack tenant-<key>.
        if (issue.path[0] === 'environments' && issue.path.length === 2) continue;
        shapeIssues.push(issue.path);
        add(
          issue.path,
          `${JSON.stringify(String(issue.path[issue.path.length - 1]))} cannot name a tenant: ${ENVIRONMENT_NAME_RULE} (its stack is tenant-<name>)`,
        );
        continue;
      }
      if (issue.code === 'unrecognized_keys') {
        // The unknown key is the problem, not the mapping around it: the other keys are still checked.
        for (const key of issue.keys) {
          shapeIssues.push([...issue.path, key]);
          add([...issue.path, key], unknownKeyMessage(key, issue.path, data));
        }
      } else {
        shapeIssues.push(issue.path);
        add(issue.path, issueMessage(issue, data));
      }
    }
  }
  // Sections of a shape-valid subtree hold exactly what the file says (the schema has no defaults
  // or transforms), so the raw data is the typed value.
  const sections = sectionProblems(data as ItsmMailConfig, shapeIssues, badNames);
  for (const p of sections.problems) add(p.path, p.message);
  // In the order of the file, as a reader goes through it.
  const kept = problems.filter((p) => !credentials.has(p.path) || credentials.get(p.path) === p.message || SECRET_KEYS.includes(p.path.split('.').pop() ?? ''));
  const ordered = dedupe(kept)
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i)
    .map((x) => x.p);
  return { problems: ordered, config: problems.length === 0 ? (data as ItsmMailConfig) : sections.valid };
}

/**
 * Mapping keys the loader refuses anywhere in a config file (see `constructorKeysIn`); adopt's
 * `keyFor` never derives one.
 */
export const RESERVED_KEYS: readonly string[] = ['constructor'];

/** Paths of every mapping key in RESERVED_KEYS, below `path`. */
function constructorKeysIn(value: unknown, path: readonly PropertyKey[] = []): (readonly PropertyKey[])[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => constructorKeysIn(v, [...path, i]));
  return Object.keys(value).flatMap((k) =>
    RESERVED_KEYS.includes(k) ? [[...path, k]] : constructorKeysIn((value as Record<string, unknown>)[k], [...path, k]),
  );
}

function issueMessage(issue: z.core.$ZodIssue, data: unknown): string {
  const received = valueAt(data, issue.path);
  // A string under a secret-sounding key is never repeated: it may be a real secret pasted there.
  const last = String(issue.path[issue.path.length - 1]);
  if (typeof received === 'string' && SECRET_KEYS.includes(last)) {
    return last === 'clientSecret'
      ? 'must be a mapping such as { lifetimeDays: 180 }; a secret value never goes in the config: Entra ID creates it and terraform output -raw client_secret shows it (the value given is not repeated here)'
      : 'must not hold a secret in the config file (the value given is not repeated here); see README';
  }
  switch (issue.code) {
    case 'invalid_type':
      if (received === undefined) return `is required (expected ${article(issue.expected)})`;
      if (typeof received === 'number' && !Number.isFinite(received)) return `must be a finite number, got ${describe(received)}`;
      return `must be ${article(issue.expected)}, got ${describe(received)}`;
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof received === 'string' ? didYouMean(received, issue.values.map(String)) : undefined;
      if (received === undefined) return `is required; allowed: ${allowed.join(', ')}`;
      return `${describe(received)} is not allowed; allowed: ${allowed.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`;
    }
    case 'invalid_union':
      return `${issue.message}; got ${describe(received)}`;
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'custom':
    default:
      return issue.message.startsWith('Invalid') || issue.message.startsWith('Too')
        ? `${issue.message.replace(/^Invalid input: /, '')}; got ${describe(received)}`
        : issue.message;
  }
}

function unknownKeyMessage(key: string, parent: readonly PropertyKey[], data: unknown, root: z.core.$ZodType = configSchema): string {
  const known = knownKeys(parent, data, root);
  if (key === '<<') {
    // YAML 1.2, which this loader reads, has no merge keys (they were a YAML 1.1 type, tag:yaml.org,2002:merge).
    return `"<<" is a YAML merge key, which is not supported: YAML 1.2 has no merge keys, so "<<" would be read as a key of its own. Write the keys out here; an alias may still stand for a whole value (owners: *owners, with owners: &owners [...] written once)`;
  }
  if (SECRET_KEYS.includes(key)) {
    return 'secrets are not accepted in the config file; the provider and backend read credentials from the environment (ARM_CLIENT_SECRET, OIDC, Azure CLI or managed identity), see README';
  }
  const hint = didYouMean(key, known);
  return `unknown key ${JSON.stringify(key)}${hint ? ` (did you mean "${hint}"?)` : ''}; allowed here: ${known.join(', ') || '(none)'}`;
}

/** The keys the schema allows at a path, found by walking the schema alongside the data. */
function knownKeys(path: readonly PropertyKey[], data: unknown, root: z.core.$ZodType): string[] {
  let schema: z.core.$ZodType = root;
  let value: unknown = data;
  for (const key of path) {
    schema = unwrap(schema, value);
    const def = (schema as z.core.$ZodType)._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'object') schema = (def.shape as Record<string, z.core.$ZodType>)[String(key)];
    else if (def.type === 'record') schema = def.valueType as z.core.$ZodType;
    else if (def.type === 'array') schema = def.element as z.core.$ZodType;
    else return [];
    if (!schema) return [];
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  schema = unwrap(schema, value);
  const def = schema._zod.def as unknown as Record<string, unknown>;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

function unwrap(schema: z.core.$ZodType, value: unknown): z.core.$ZodType {
  for (;;) {
    const def = schema._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') {
      schema = def.innerType as z.core.$ZodType;
    } else if (def.type === 'pipe') {
      schema = def.in as z.core.$ZodType;
    } else if (def.type === 'union') {
      const options = def.options as z.core.$ZodType[];
      const disc = def.discriminator as string | undefined;
      const tag = disc && value && typeof value === 'object' ? (value as Record<string, unknown>)[disc] : undefined;
      const match = options.find((o) => {
        const shape = (o._zod.def as unknown as { shape?: Record<string, z.core.$ZodType> }).shape;
        const lit = shape?.[disc ?? '']?._zod.def as unknown as { values?: unknown[] } | undefined;
        return lit?.values?.includes(tag);
      });
      schema = match ?? options[0];
    } else return schema;
  }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** The YAML tags that give a value other than a string, number, boolean, list or mapping, by what they give. */
function taggedValue(v: unknown): string | undefined {
  if (v instanceof Uint8Array) return 'binary data (a !!binary value); write plain text, without the tag';
  if (v instanceof Date) return 'a timestamp (a !!timestamp value); write plain text, without the tag';
  if (v instanceof Set) return 'a set (a !!set value); write a list such as [a, b], without the tag';
  if (v instanceof Map) return 'an ordered map (a !!omap or !!pairs value); write a mapping, without the tag';
  return undefined;
}

function describe(v: unknown): string {
  if (typeof v === 'string' && credentialIn(v)) return `a value shaped like ${credentialIn(v)} (not repeated here)`;
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null (an empty value)';
  const tagged = taggedValue(v);
  if (tagged) return tagged;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? '.nan (not a number)' : `${v > 0 ? '' : '-'}.inf (infinity)`;
  return `${typeof v} ${String(v)}`;
}

function article(expected: string): string {
  const words: Record<string, string> = {
    object: 'a mapping',
    record: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
  };
  return words[expected] ?? expected;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}\u0000${p.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function decode(input: string | Uint8Array, file: string): string {
  if (typeof input === 'string') return input;
  if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
    throw problem(file, 'is UTF-16 text (as Windows PowerShell writes by default); save it as UTF-8');
  }
  if (input.includes(0)) throw problem(file, 'is binary (contains NUL bytes), not a YAML or JSON text file');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw problem(file, 'is not valid UTF-8 text; save it as UTF-8');
  }
}

/**
 * The deepest nesting of flow collections (`[`, `{`), outside comments and quoted text: bounds
 * the parser's recursion before it runs. Block nesting is measured after parsing.
 */
function flowNestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote && (quote === "'" || text[i - 1] !== '\\')) quote = undefined;
      else if (c === '\n' && quote === '"') quote = undefined;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return max;
}

/** The nesting depth of the parsed document's collections, counted without recursion. */
function documentDepth(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      max = Math.max(max, depth + 1);
      for (const item of node.items as unknown[]) {
        if (isPair(item)) stack.push([item.key, depth + 1], [item.value, depth + 1]);
        else stack.push([item, depth + 1]);
      }
    }
  }
  return max;
}

/**
 * The first alias that lies inside the node its own anchor marks (`&a [*a]`, or a mapping that
 * holds an alias of itself deeper down): read as data, the value would contain itself. Named so
 * the message says "alias cycle", not that the file expands too far.
 */
function aliasCycle(doc: Document.Parsed): { readonly anchor: string; readonly offset?: number } | undefined {
  let found: { anchor: string; offset?: number } | undefined;
  visit(doc, {
    Alias(_key, node, path) {
      if (path.some((ancestor) => isNode(ancestor) && !isAlias(ancestor) && ancestor.anchor === node.source)) {
        found = { anchor: node.source, ...(node.range ? { offset: node.range[0] } : {}) };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** How many values the data holds with every alias expanded, counting no further than `limit` + 1. */
function expandedValues(data: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0 && count <= limit) {
    const v = stack.pop();
    count++;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
  }
  return count;
}

/** A `.json` file (or a text that starts as a JSON object) with `//` or block comments. */
function looksLikeJsonWithComments(text: string, file: string): boolean {
  const json = /\.json$/i.test(file) || /^\s*[{[]/.test(text);
  return json && /^\s*(\/\/|\/\*)/m.test(text);
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'a key appears twice in the same mapping; remove or merge the duplicate';
    case 'ALIAS_PROPS':
    case 'BAD_ALIAS':
      return `invalid YAML alias: ${first}`;
    default:
      return `not valid YAML: ${first}`;
  }
}

function problem(file: string, message: string): ConfigError {
  return new ConfigError([{ file, path: '(file)', message }]);
}
