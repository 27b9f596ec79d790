/**
 * The models' rules run on the config file: each section is checked with its model's rule set
 * (the same the constructs run), skipping only the fields whose shape is invalid, so a file with
 * one mistyped field still gets every other rule checked in the same run.
 */
import { APPLICATION_RULES } from '../model/application';
import { MFA_POLICY_RULES } from '../model/conditional-access-policy';
import { NOTHING_UNRESOLVED, under, type Problem } from '../model/problem';
import { runRules, type RuleSet, type ShapeIssues } from '../model/rules';
import { normalizeMfaPolicy } from '../model/conditional-access-policy';
import { sameTenantClashes, STACK_RULES, type TenantNames } from '../model/stack';
import { configConstructRoots } from './build-from-config';
import { guardrailsConfigProblems } from './guardrails-config';
import type { EnvironmentConfig, ItsmMailConfig } from './schema';

type Path = readonly PropertyKey[];

/** The problems of every section, and the config made of the sections without any. */
export function sectionProblems(config: ItsmMailConfig, shapeIssues: readonly Path[], badNames: ReadonlySet<string>): { problems: Problem[]; valid: ItsmMailConfig } {
  const problems: Problem[] = [];
  const valid: Record<string, EnvironmentConfig> = {};
  const envs = config.environments !== null && typeof config.environments === 'object' ? config.environments : {};
  for (const name of Object.keys(envs)) {
    const env = envs[name];
    const base = ['environments', name];
    if (badNames.has(name) || env === null || typeof env !== 'object' || Array.isArray(env)) continue;
    const below = (...rest: PropertyKey[]): ShapeIssues => shapeIssues.filter((p) => startsWith(p, [...base, ...rest])).map((p) => p.slice(base.length + rest.length));
    if (below().some((p) => p.length === 0)) continue;
    /** Runs a section's rules; true when the section has neither shape issues nor problems. */
    const check = <P>(key: string | undefined, rules: RuleSet<P>, value: P): boolean => {
      const issues = key === undefined ? below() : below(key);
      const found = runRules(rules, value, NOTHING_UNRESOLVED, issues);
      for (const p of under(key === undefined ? [] : [key], found)) problems.push({ path: [...base, ...p.path], message: p.message });
      // The stack's own fields' shapes are judged by stackShapeOk; the sections' shapes by their own check.
      return found.length === 0 && (key === undefined || issues.length === 0);
    };
    const stackOk = check(undefined, STACK_RULES as unknown as RuleSet<EnvironmentConfig>, env);
    const stackShapeOk = !['tenantId', 'provider', 'backend'].some((k) => below(k).length > 0);
    const applicationOk = env.application === undefined || (typeof env.application === 'object' && check('application', APPLICATION_RULES, env.application));
    const policyOk = env.mfaPolicy === undefined || (typeof env.mfaPolicy === 'object' && check('mfaPolicy', MFA_POLICY_RULES, env.mfaPolicy));
    let guardrailsOk = true;
    if (env.guardrails !== undefined && below('guardrails').length === 0) {
      const found = guardrailsConfigProblems(env.guardrails, configConstructRoots(env), name);
      for (const p of under(['guardrails'], found)) problems.push({ path: [...base, ...p.path], message: p.message });
      guardrailsOk = found.length === 0;
    } else if (env.guardrails !== undefined) guardrailsOk = false;
    // A misspelt section is reported as an unknown key; "declares nothing" would only repeat it.
    const unknownKeyHere = below().some((p) => p.length === 1 && !['tenantId', 'provider', 'backend', 'application', 'mfaPolicy', 'guardrails'].includes(String(p[0])));
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
  for (const clash of sameTenantClashes(Object.keys(valid).sort().map((name) => tenantNames(name, valid[name])))) {
    problems.push({ path: ['environments', clash.environment, ...clash.path], message: clash.message });
    delete valid[clash.environment];
  }
  return { problems, valid: { environments: valid } };
}

/** The names an environment's valid sections give their objects, defaults applied. */
function tenantNames(environment: string, env: EnvironmentConfig): TenantNames {
  const names: TenantNames['names'][number][] = [];
  if (env.application) names.push({ kind: 'application', displayName: env.application.displayName, path: ['application', 'displayName'] });
  if (env.mfaPolicy) {
    const policy = normalizeMfaPolicy(env.mfaPolicy);
    names.push({ kind: 'conditional access policy', displayName: policy.displayName, path: ['mfaPolicy', 'displayName'] });
    if (policy.group && 'create' in policy.group) names.push({ kind: 'group', displayName: policy.group.create.displayName, path: ['mfaPolicy', 'group', 'create', 'displayName'] });
  }
  return { environment, ...(env.tenantId !== undefined ? { tenantId: env.tenantId } : {}), names };
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.every((k, i) => path[i] === k);
}
