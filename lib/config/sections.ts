/**
 * The models' rules run on the config file: each section is checked with its model's rule set
 * (the same the constructs run), skipping only the fields whose shape is invalid, so a file with
 * one mistyped field still gets every other rule checked in the same run.
 */
import { APPLICATION_RULES } from '../model/application';
import { standalonePolicyProblems } from '../model/conditional-access-policy';
import { NOTHING_UNRESOLVED, under, type Problem } from '../model/problem';
import { runRules, type RuleSet, type ShapeIssues } from '../model/rules';
import { normalizeConditionalAccessPolicy } from '../model/conditional-access-policy';
import { sameTenantClashes, STACK_RULES, type TenantNames } from '../model/stack';
import { expandPolicyEntry } from '../model/conditional-access-presets';
import { environmentReferences, TENANT_RULES, tenantConstructRoots, tenantsOfOneTenantId, tenantStackName, type TenantProps } from '../model/tenant';
import {
  adoptedTwice,
  type AdoptedObject,
  type ApplicationImportProps,
  type ConditionalAccessPolicyImportProps,
  type NamedLocationImportProps,
} from '../model/adoption';
import { didYouMean } from '../private/did-you-mean';
import { configConstructRoots } from './build-from-config';
import { guardrailsConfigProblems } from './guardrails-config';
import { environmentSchema, type EnvironmentConfig, type ItsmMailConfig, type TenantConfig } from './schema';

type Path = readonly PropertyKey[];

/** The problems of every section, and the config made of the sections without any. */
export function sectionProblems(
  config: ItsmMailConfig,
  shapeIssues: readonly Path[],
  badNames: ReadonlySet<string>,
): { problems: Problem[]; valid: ItsmMailConfig } {
  const problems: Problem[] = [];
  const valid: Record<string, EnvironmentConfig> = {};
  const envs = config.environments !== null && typeof config.environments === 'object' ? config.environments : {};
  for (const name of Object.keys(envs)) {
    const env = envs[name];
    const base = ['environments', name];
    if (badNames.has(name) || env === null || typeof env !== 'object' || Array.isArray(env)) continue;
    const below = (...rest: PropertyKey[]): ShapeIssues =>
      shapeIssues.filter((p) => startsWith(p, [...base, ...rest])).map((p) => p.slice(base.length + rest.length));
    if (below().some((p) => p.length === 0)) continue;
    /** Runs a section's rules; true when the section has neither shape issues nor problems. */
    const check = <P>(key: string | undefined, rules: RuleSet<P> | ((value: P, issues: ShapeIssues) => Problem[]), value: P): boolean => {
      const issues = key === undefined ? below() : below(key);
      const found = typeof rules === 'function' ? rules(value, issues) : runRules(rules, value, NOTHING_UNRESOLVED, issues);
      for (const p of under(key === undefined ? [] : [key], found)) problems.push({ path: [...base, ...p.path], message: p.message });
      // The stack's own fields' shapes are judged by stackShapeOk; the sections' shapes by their own check.
      return found.length === 0 && (key === undefined || issues.length === 0);
    };
    const stackOk = check(undefined, STACK_RULES as unknown as RuleSet<EnvironmentConfig>, env);
    const stackShapeOk = !Object.keys(STACK_RULES.fields).some((k) => below(k).length > 0);
    const applicationOk = env.application === undefined || (typeof env.application === 'object' && check('application', APPLICATION_RULES, env.application));
    const policyOk =
      env.mfaPolicy === undefined ||
      (typeof env.mfaPolicy === 'object' && check('mfaPolicy', (v, issues) => standalonePolicyProblems(v, NOTHING_UNRESOLVED, issues), env.mfaPolicy));
    let guardrailsOk = true;
    if (env.guardrails !== undefined && below('guardrails').length === 0) {
      const found = guardrailsConfigProblems(env.guardrails, configConstructRoots(env), name);
      for (const p of under(['guardrails'], found)) problems.push({ path: [...base, ...p.path], message: p.message });
      guardrailsOk = found.length === 0;
    } else if (env.guardrails !== undefined) guardrailsOk = false;
    // A misspelt section is reported as an unknown key; "declares nothing" would only repeat it.
    const unknownKeyHere = below().some((p) => p.length === 1 && !Object.keys(environmentSchema.shape).includes(String(p[0])));
    if (env.application === undefined && env.mfaPolicy === undefined && !unknownKeyHere) {
      problems.push({ path: base, message: 'declares nothing: add an "application" section, an "mfaPolicy" section, or both' });
      continue;
    }
    if (env.application === undefined && env.mfaPolicy === undefined) continue;
    // Without its suppressions, an environment's guardrail findings cannot be judged: left out.
    if (!stackOk || !stackShapeOk || !guardrailsOk) continue;
    valid[name] = {
      ...(env.tenantId !== undefined ? { tenantId: env.tenantId } : {}),
      ...(env.provider !== undefined ? { provider: env.provider } : {}),
      ...(env.backend !== undefined ? { backend: env.backend } : {}),
      ...(applicationOk && env.application !== undefined ? { application: env.application } : {}),
      ...(policyOk && env.mfaPolicy !== undefined ? { mfaPolicy: env.mfaPolicy } : {}),
      ...(env.guardrails !== undefined ? { guardrails: env.guardrails } : {}),
    };
  }
  // Tenants: their policy sets and named locations, each checked by the tenant model.
  const tenants = config.tenants !== null && typeof config.tenants === 'object' && !Array.isArray(config.tenants) ? config.tenants : {};
  const validTenants: Record<string, TenantConfig> = {};
  for (const name of Object.keys(tenants)) {
    const tenant = tenants[name];
    const base = ['tenants', name];
    if (tenant === null || typeof tenant !== 'object' || Array.isArray(tenant)) continue;
    const issues = shapeIssues.filter((p) => startsWith(p, base)).map((p) => p.slice(base.length));
    if (issues.some((p) => p.length === 0)) continue;
    const found = runRules(TENANT_RULES, tenant, NOTHING_UNRESOLVED, issues);
    for (const p of found) problems.push({ path: [...base, ...p.path], message: p.message });
    // Its suppressions, as an environment's: rule, reason, and a construct of this tenant's stack.
    let guardrailsOk = !issues.some((p) => p[0] === 'guardrails');
    if (tenant.guardrails !== undefined && guardrailsOk) {
      const policies =
        tenant.conditionalAccessPolicies !== null && typeof tenant.conditionalAccessPolicies === 'object' ? tenant.conditionalAccessPolicies : {};
      const locations = tenant.namedLocations !== null && typeof tenant.namedLocations === 'object' ? tenant.namedLocations : {};
      const suppressed = guardrailsConfigProblems(
        tenant.guardrails,
        tenantConstructRoots({ conditionalAccessPolicies: policies, namedLocations: locations }),
        tenantStackName(name),
        'tenant',
      );
      for (const p of under(['guardrails'], suppressed)) problems.push({ path: [...base, ...p.path], message: p.message });
      guardrailsOk = suppressed.length === 0;
    }
    if (Object.keys(envs).includes(tenantStackName(name))) {
      problems.push({ path: base, message: `its stack ${tenantStackName(name)} has the name of an environment: rename the tenant or the environment` });
      continue;
    }
    if (found.length === 0 && issues.length === 0 && guardrailsOk) validTenants[name] = tenant;
  }
  // One tenant ID, one policy set.
  const stated = Object.keys(tenants).flatMap((name) =>
    tenants[name] !== null && typeof tenants[name] === 'object' && typeof tenants[name].tenantId === 'string'
      ? [{ name, tenantId: tenants[name].tenantId }]
      : [],
  );
  for (const twice of tenantsOfOneTenantId(stated)) {
    problems.push({ path: ['tenants', twice.name, 'tenantId'], message: twice.message });
    delete validTenants[twice.name];
  }
  // Environments that name a tenant: it exists, the tenant IDs agree, and conditional access is declared there.
  for (const name of Object.keys(envs)) {
    const env = envs[name];
    if (env === null || typeof env !== 'object' || typeof env.tenant !== 'string') continue;
    const tenant = tenants[env.tenant];
    if (tenant === undefined) {
      const hint = didYouMean(env.tenant, Object.keys(tenants));
      problems.push({
        path: ['environments', name, 'tenant'],
        message: `${JSON.stringify(env.tenant)} is not a key of tenants${hint ? ` (did you mean "${hint}"?)` : ''}; declared: ${Object.keys(tenants).join(', ') || 'none'}`,
      });
      delete valid[name];
      continue;
    }
    if (tenant === null || typeof tenant !== 'object' || Array.isArray(tenant)) continue;
    if (typeof env.tenantId === 'string' && typeof tenant.tenantId === 'string' && env.tenantId.toLowerCase() !== tenant.tenantId.toLowerCase()) {
      problems.push({
        path: ['environments', name, 'tenantId'],
        message: `differs from the tenantId of tenants.${env.tenant} (${tenant.tenantId}): remove one of them`,
      });
      delete valid[name];
      continue;
    }
    const policies = tenant.conditionalAccessPolicies;
    if (env.mfaPolicy !== undefined && policies !== null && typeof policies === 'object' && Object.keys(policies).length > 0) {
      problems.push({
        path: ['environments', name, 'mfaPolicy'],
        message: `is declared per environment, but tenants.${env.tenant} holds the tenant's conditional access: move it to tenants.${env.tenant}.conditionalAccessPolicies (it is tenant-wide)`,
      });
      delete valid[name];
      continue;
    }
    if (valid[name] !== undefined)
      valid[name] = {
        ...valid[name],
        tenant: env.tenant,
        ...(typeof tenant.tenantId === 'string' && env.tenantId === undefined ? { tenantId: tenant.tenantId } : {}),
      };
  }
  // Service principals named by environment: an environment of this tenant with an application.
  for (const name of Object.keys(validTenants)) {
    for (const ref of environmentReferences(validTenants[name])) {
      const env = envs[ref.environment];
      const why =
        env === undefined
          ? 'is no environment of this config'
          : env.tenant !== name
            ? `is an environment of ${env.tenant === undefined ? 'no tenant' : `tenant ${env.tenant}`}, not of ${name}`
            : env.application === undefined
              ? 'has no application'
              : undefined;
      if (why) {
        problems.push({
          path: ['tenants', name, ...ref.path],
          message: `${JSON.stringify(ref.environment)} ${why}: name an environment with tenant: ${name} and an application, or give a service principal object ID`,
        });
        delete validTenants[name];
      }
    }
  }
  const declarations = [
    ...Object.keys(valid)
      .sort()
      .map((name) => environmentNames(name, valid[name])),
    ...Object.keys(validTenants)
      .sort()
      .map((name) => tenantPolicyNames(name, validTenants[name])),
  ];
  for (const clash of sameTenantClashes(declarations)) {
    problems.push({ path: [...clash.base, ...clash.path], message: clash.message });
    if (clash.base[0] === 'environments') delete valid[String(clash.base[1])];
    else delete validTenants[String(clash.base[1])];
  }
  for (const twice of adoptedTwice(adoptedObjects(envs, tenants))) {
    problems.push(twice);
    if (twice.path[0] === 'environments') delete valid[String(twice.path[1])];
    else delete validTenants[String(twice.path[1])];
  }
  return { problems, valid: { environments: valid, ...(Object.keys(validTenants).length > 0 ? { tenants: validTenants } : {}) } };
}

/** Every object ID the file imports, in the order of the file (the shapes are not yet known to be valid). */
function adoptedObjects(envs: Readonly<Record<string, EnvironmentConfig>>, tenants: Readonly<Record<string, TenantProps>>): AdoptedObject[] {
  const out: AdoptedObject[] = [];
  const object = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const add = (base: readonly (string | number)[], section: unknown, keys: readonly string[]) => {
    if (!object(section) || !object(section.import)) return;
    for (const key of keys) {
      const id = section.import[key];
      if (typeof id === 'string') out.push({ path: [...base, 'import', key], id });
    }
  };
  // The import keys that name one directory object (assignments and grants are checked by their own rules).
  const applicationObjects = ['applicationObjectId', 'servicePrincipalObjectId'] as const satisfies readonly (keyof ApplicationImportProps)[];
  const policyObjects = ['policyId', 'groupObjectId'] as const satisfies readonly (keyof ConditionalAccessPolicyImportProps)[];
  for (const [name, env] of Object.entries(envs)) {
    if (!object(env)) continue;
    add(['environments', name, 'application'], env.application, applicationObjects);
    add(['environments', name, 'mfaPolicy'], env.mfaPolicy, policyObjects);
  }
  const locationObjects = ['namedLocationId'] as const satisfies readonly (keyof NamedLocationImportProps)[];
  for (const [name, tenant] of Object.entries(tenants)) {
    if (!object(tenant)) continue;
    if (object(tenant.namedLocations))
      for (const [key, location] of Object.entries(tenant.namedLocations)) add(['tenants', name, 'namedLocations', key], location, locationObjects);
    if (!object(tenant.conditionalAccessPolicies)) continue;
    for (const [key, policy] of Object.entries(tenant.conditionalAccessPolicies))
      add(['tenants', name, 'conditionalAccessPolicies', key], policy, policyObjects);
  }
  return out;
}

/** The names an environment's valid sections give their objects, defaults applied. */
function environmentNames(environment: string, env: EnvironmentConfig): TenantNames {
  const names: TenantNames['names'][number][] = [];
  if (env.application) names.push({ kind: 'application', displayName: env.application.displayName, path: ['application', 'displayName'] });
  if (env.mfaPolicy) {
    const policy = normalizeConditionalAccessPolicy(env.mfaPolicy);
    names.push({ kind: 'conditional access policy', displayName: policy.displayName, path: ['mfaPolicy', 'displayName'] });
    if (policy.group && 'create' in policy.group)
      names.push({ kind: 'group', displayName: policy.group.create.displayName, path: ['mfaPolicy', 'group', 'create', 'displayName'] });
  }
  return {
    owner: `environment ${JSON.stringify(environment)}`,
    base: ['environments', environment],
    ...(env.tenantId !== undefined ? { tenantId: env.tenantId } : {}),
    ...(env.tenant !== undefined ? { tenantSection: env.tenant } : {}),
    names,
  };
}

/** The names a tenant's policy set gives its policies and groups. */
function tenantPolicyNames(tenant: string, t: TenantProps): TenantNames {
  const names: TenantNames['names'][number][] = [];
  for (const key of Object.keys(t.conditionalAccessPolicies ?? {}).sort()) {
    const policy = normalizeConditionalAccessPolicy(expandPolicyEntry(t.conditionalAccessPolicies![key]));
    names.push({ kind: 'conditional access policy', displayName: policy.displayName, path: ['conditionalAccessPolicies', key, 'displayName'] });
    if (policy.group && 'create' in policy.group)
      names.push({ kind: 'group', displayName: policy.group.create.displayName, path: ['conditionalAccessPolicies', key, 'group', 'create', 'displayName'] });
  }
  return {
    owner: `tenant ${JSON.stringify(tenant)}`,
    base: ['tenants', tenant],
    ...(t.tenantId !== undefined ? { tenantId: t.tenantId } : {}),
    tenantSection: tenant,
    names,
  };
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.every((k, i) => path[i] === k);
}
