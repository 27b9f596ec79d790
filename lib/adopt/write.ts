/**
 * The adopted environment as YAML, and writing it into a config file without half-writing it:
 * the file is edited as a YAML document (the `yaml` package's Document API keeps its comments and
 * the other environments as they are), the result is validated by the config loader as a whole,
 * then written to a temporary file beside it and renamed over it. An environment already in the
 * file is replaced only when asked (`--replace`).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isMap, isScalar, parseDocument, Document, YAMLMap, type Node as YamlNode } from 'yaml';
import { parseConfigText } from '../config/load-config';
import { ConfigError, formatProblem } from '../config/problems';
import type { EnvironmentConfig } from '../config/schema';

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
  { path: ['application', 'preventDuplicateNames'], text: ' Terraform-only flag: false keeps the first plan free of a change of state only (the name is the adopted application\'s own)' },
  { path: ['application', 'exposedScope', 'id'], text: ' the scope ID made in the portal: keep it (another ID replaces the scope, which disables and deletes it)' },
  { path: ['application', 'import'], text: ' made in the portal: the first plan imports these (Terraform import blocks); they may stay after the first apply' },
  { path: ['mfaPolicy', 'group', 'create', 'preventDuplicateNames'], text: ' Terraform-only flag: false keeps the first plan free of a change of state only' },
  { path: ['mfaPolicy', 'import'], text: ' made in the portal: the first plan imports the policy and its group' },
];

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

/** `environments: { name: env }` as YAML text, with a header comment. */
export function environmentYaml(name: string, env: EnvironmentConfig, header?: string): string {
  const doc = new Document({});
  const environments = new YAMLMap();
  environments.set(name, environmentNode(doc, env));
  doc.set('environments', environments);
  if (header) doc.commentBefore = header;
  return doc.toString({ lineWidth: 0 });
}

/**
 * Adds (or with `replace`, replaces) environment `name` in `file`, keeping the rest of the file;
 * creates the file when it does not exist.
 * @returns whether the environment replaced one that was there
 * @throws WriteError when nothing was written: unreadable or invalid file, the environment exists, the result is invalid
 */
export function writeEnvironment(file: string, name: string, env: EnvironmentConfig, options: { readonly replace: boolean; readonly header?: string }): { readonly replaced: boolean; readonly created: boolean } {
  let existing: string | undefined;
  let mode = 0o644;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new WriteError(`${file} is not a regular file: name a .yaml file`);
    mode = st.mode & 0o777;
    existing = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof WriteError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new WriteError(`${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); nothing was written`);
  }

  let text: string;
  let replaced = false;
  if (existing === undefined || existing.trim() === '') {
    text = environmentYaml(name, env, options.header);
  } else {
    const doc = parseDocument(existing, { uniqueKeys: true, stringKeys: true });
    if (doc.errors.length > 0) throw new WriteError(`${file} is not valid YAML (${doc.errors[0].message.split('\n')[0]}); nothing was written: fix it, or write to a new file`);
    if (!isMap(doc.contents)) throw new WriteError(`${file} is not a mapping with an "environments" key; nothing was written`);
    const envs = doc.get('environments', true);
    if (envs !== undefined && !isMap(envs)) throw new WriteError(`${file}: "environments" is not a mapping; nothing was written`);
    if (isMap(envs) && envs.has(name)) {
      if (!options.replace) {
        throw new WriteError(`${file} already has environment ${JSON.stringify(name)}: pass --replace to replace it (the rest of the file is kept as it is), or choose another --env; nothing was written`);
      }
      replaced = true;
    }
    const node = environmentNode(doc, env);
    if (isMap(envs)) {
      if (replaced && options.header) (node as YAMLMap).commentBefore = options.header;
      envs.set(name, node);
    } else doc.set('environments', doc.createNode({ [name]: env }));
    text = doc.toString({ lineWidth: 0 });
  }

  // The whole file must load as it will be loaded by synth: the same loader, every rule.
  try {
    parseConfigText(text, file);
  } catch (e) {
    if (e instanceof ConfigError) throw new WriteError(`${file} would not load with environment ${name} added; nothing was written`, e.problems.map(formatProblem));
    throw e;
  }
  writeAtomically(file, text, mode);
  return { replaced, created: existing === undefined };
}

/** Writes `text` to a temporary file beside `file`, flushes it, and renames it over `file`. */
function writeAtomically(file: string, text: string, mode: number): void {
  const temp = join(dirname(file), `.${basename(file)}.adopt-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // not created
    }
    throw new WriteError(`${file} could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); it is unchanged`);
  }
}
