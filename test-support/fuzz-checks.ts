import { homedir, tmpdir } from 'node:os';
import type { ConfigProblem } from '../lib/config/problems';
import { formatProblem } from '../lib/config/problems';
import { printable } from '../lib/private/printable';
import type { EnvironmentConfig } from '../lib/config/schema';
import { normalizeApplication } from '../lib/model/application';
import { normalizeConditionalAccessPolicy } from '../lib/model/conditional-access-policy';
import type { TfJson } from './synth';

/*
 * Structural checks of synthesized stacks and of reported problems, shared by the fuzz, secret
 * hygiene and determinism suites. Each returns what is wrong (empty when nothing is), so a test
 * can also prove that a check fails on a crafted bad input.
 */

const TOP_LEVEL_KEYS = ['//', 'terraform', 'provider', 'resource', 'data', 'output', 'locals', 'variable', 'import'];

/** The import ID each resource type takes (the azuread provider v3.7.0's formats, lib/model/adoption.ts). */
const IMPORT_ID_SHAPES: Readonly<Record<string, RegExp>> = {
  azuread_application: /^\/applications\/[0-9a-f-]{36}$/,
  azuread_service_principal: /^\/servicePrincipals\/[0-9a-f-]{36}$/,
  azuread_application_identifier_uri: /^\/applications\/[0-9a-f-]{36}\/identifierUris\/[A-Za-z0-9+/]+=*$/,
  azuread_application_permission_scope: /^\/applications\/[0-9a-f-]{36}\/permissionScopes\/[0-9a-f-]{36}$/,
  azuread_app_role_assignment: /^\/servicePrincipals\/[0-9a-f-]{36}\/appRoleAssignedTo\/[A-Za-z0-9_-]+$/,
  azuread_service_principal_delegated_permission_grant: /^\/oauth2PermissionGrants\/[A-Za-z0-9_-]+$/,
  azuread_group: /^\/groups\/[0-9a-f-]{36}$/,
  azuread_conditional_access_policy: /^\/identity\/conditionalAccess\/policies\/[0-9a-f-]{36}$/,
};

/**
 * A reference to an attribute that carries secret material: the `value` (or `password`, `secret`,
 * `client_secret`) of any resource type whose name says password or secret. Generic on purpose,
 * so that a new secret resource is covered without editing this list.
 */
export const SECRET_REFERENCE = /\b(?:data\.)?[a-z0-9_]*(?:password|secret)[a-z0-9_]*\.[\w-]+\.(?:value|password|secret|client_secret)\b/;
const REFERENCE = /\b(data\.)?((?:azuread|time)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\b/g;

/** The Entra ID client secret shape: 3 characters, `8Q~`, then 31-34 more. */
export const ENTRA_SECRET = /[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34}/;
/** An ISO 8601 timestamp such as 2026-11-29T03:45:00. */
export const ISO_TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?/;
/** A UUID of any version. */
export const UUID = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g;

/** Paths of this machine that must never appear in the output. */
export function machinePaths(...more: string[]): string[] {
  return [process.cwd(), tmpdir(), homedir(), ...more].filter((p) => p.length > 1);
}

/**
 * The paths of `paths` that appear in `text` as paths: at the start of a value or after a space,
 * quote, `=`, `:` or parenthesis, not inside a URL such as https://example.com/tmp/x.
 */
export function leakedPaths(text: string, paths: readonly string[] = machinePaths()): string[] {
  return paths.filter((p) => new RegExp(`(^|[\\s"'=:(,])${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[/"'\\s]|$)`, 'm').test(text));
}

/** Every value in a JSON document that is an empty list or an empty mapping, by path. */
export function empties(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => empties(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([k]) => k !== '//');
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => empties(v, `${path}.${k}`));
  }
  return [];
}

/** Outputs that carry secret material without `sensitive: true`. */
export function nonSensitiveSecretOutputs(json: TfJson): string[] {
  return Object.entries(json.output ?? {})
    .filter(([, o]) => SECRET_REFERENCE.test(JSON.stringify(o.value)) && o.sensitive !== true)
    .map(([id]) => id);
}

/**
 * What is wrong with one synthesized stack of environment `name`, given the environment's validated
 * config and the stack's cdk.tf.json text.
 */
export function stackProblems(name: string, env: EnvironmentConfig, text: string, forbiddenPaths: readonly string[] = machinePaths()): string[] {
  const problems: string[] = [];
  const json = JSON.parse(text) as TfJson & Record<string, unknown>;
  const bad = (what: string) => problems.push(`stack ${name}: ${what}`);

  for (const k of Object.keys(json)) if (!TOP_LEVEL_KEYS.includes(k)) bad(`unexpected top-level key ${k}`);
  for (const p of leakedPaths(text, forbiddenPaths)) bad(`contains the absolute path ${p}`);

  // Provider and backend.
  const tf = (json.terraform ?? {}) as {
    backend?: Record<string, { path?: string }>;
    cloud?: unknown;
    required_providers?: Record<string, { source?: string }>;
  };
  if (tf.required_providers?.azuread?.source !== 'hashicorp/azuread') bad('no hashicorp/azuread in required_providers');
  const providers = (json.provider?.azuread ?? []) as Record<string, unknown>[];
  if (providers.length !== 1) bad(`${providers.length} azuread providers`);
  if (env.tenantId !== undefined && providers[0]?.tenant_id !== env.tenantId) bad('provider tenant_id differs from the config');
  const backendType = env.backend?.type ?? 'local';
  const backends = [...Object.keys(tf.backend ?? {}), ...(tf.cloud ? ['cloud'] : [])];
  if (backends.length !== 1 || backends[0] !== backendType) bad(`backends ${JSON.stringify(backends)}, expected ${backendType}`);
  if (backendType === 'local' && backends[0] === 'local') {
    const path = tf.backend!.local.path ?? '';
    const expected = `../../../${(env.backend as { path?: string } | undefined)?.path ?? `terraform.${name}.tfstate`}`;
    if (path !== expected) bad(`local backend path ${JSON.stringify(path)}, expected ${JSON.stringify(expected)}`);
  }

  // Every reference names a resource or data source of this stack.
  for (const [, data, type, id] of text.matchAll(REFERENCE)) {
    const block = data ? json.data : json.resource;
    if (!block?.[type]?.[id]) bad(`dangling reference ${data ?? ''}${type}.${id}`);
  }

  // The application.
  const apps = Object.values(json.resource?.azuread_application ?? {});
  if (env.application) {
    if (apps.length !== 1) bad(`${apps.length} azuread_application`);
    else {
      if (apps[0].display_name !== env.application.displayName) bad('application display_name differs from the config');
      if (apps[0].sign_in_audience !== normalizeApplication(env.application).signInAudience) bad('application sign_in_audience differs from the config');
    }
    if (Object.keys(json.resource?.azuread_service_principal ?? {}).length !== 1) bad('not one azuread_service_principal');
    const passwords = Object.values(json.resource?.azuread_application_password ?? {});
    if (passwords.length !== 2) bad(`${passwords.length} azuread_application_password (expected two rotation slots)`);
    for (const p of passwords) if (!/^\$\{azuread_application\.[\w-]+\.id\}$/.test(String(p.application_id))) bad('password not bound to the application');
  } else if (apps.length !== 0) {
    bad('an application without an application section');
  }

  // The MFA policy: no empty lists or mappings (the provider and Graph reject or misread them).
  const policies = Object.values(json.resource?.azuread_conditional_access_policy ?? {});
  if (env.mfaPolicy) {
    if (policies.length !== 1) bad(`${policies.length} azuread_conditional_access_policy`);
    else {
      if (policies[0].display_name !== normalizeConditionalAccessPolicy(env.mfaPolicy).displayName) bad('policy display_name differs from the config');
      const e = empties(policies[0]);
      if (e.length > 0) bad(`empty list or mapping in the policy at ${e.join(', ')}`);
    }
  } else if (policies.length !== 0) {
    bad('a policy without an mfaPolicy section');
  }

  // Import blocks: only for sections that import, each onto a resource of this stack, with the
  // provider's import ID for its type, at most one per resource; a secret is never imported.
  const imports = (json as { import?: { to?: string; id?: string }[] }).import ?? [];
  if (imports.length > 0 && !env.application?.import && !env.mfaPolicy?.import) bad('import blocks without an import section');
  const targets = new Set<string>();
  for (const i of imports) {
    const [type, id] = String(i.to).split('.');
    if (!json.resource?.[type]?.[id]) bad(`import into ${i.to}, which is not declared`);
    if (targets.has(String(i.to))) bad(`two imports into ${i.to}`);
    targets.add(String(i.to));
    const shape = IMPORT_ID_SHAPES[type];
    if (!shape) bad(`import into ${type}, which has no importer here`);
    else if (!shape.test(String(i.id))) bad(`import ID ${JSON.stringify(i.id)} is not the provider's format for ${type}`);
  }
  if (env.application?.import && !imports.some((i) => String(i.to).startsWith('azuread_application.')))
    bad('application.import without an import of the application');

  // Outputs: described, and sensitive whenever they carry a secret value.
  for (const [id, o] of Object.entries(json.output ?? {})) {
    if (typeof o.description !== 'string' || o.description === '') bad(`output ${id} without a description`);
  }
  for (const id of nonSensitiveSecretOutputs(json)) bad(`output ${id} carries a secret but is not sensitive`);
  return problems;
}

/** What is wrong with the problems of a ConfigError for `file`, whose text has `lineCount` lines. */
export function problemIssues(file: string, problems: readonly ConfigProblem[], lineCount: number): string[] {
  if (problems.length === 0) return ['ConfigError without problems'];
  const issues: string[] = [];
  for (const p of problems) {
    const line = formatProblem(p);
    if (p.file !== file) issues.push(`names another file: ${line}`);
    if (p.path.trim() === '' || !/^\S/.test(p.path)) issues.push(`no path: ${line}`);
    if (p.message.trim() === '' || /\bundefined\b|\[object Object\]/.test(p.message)) issues.push(`malformed message: ${line}`);
    if (/[\r\n]/.test(line)) issues.push(`spans lines: ${JSON.stringify(line)}`);
    if (p.line !== undefined && !(Number.isInteger(p.line) && p.line >= 1 && p.line <= lineCount + 1)) issues.push(`line out of range: ${line}`);
    // The path as printed: a key that is a credential is redacted there, as it must be (seed 589857604).
    if (!line.startsWith(`${file}: ${printable(p.path)}: `)) issues.push(`not FILE: path: message: ${line}`);
  }
  return issues;
}
