/**
 * The config file's `environments.<env>.guardrails` section: checks and application. No cdktf here:
 * the config loader imports this file for every file, valid or not.
 */
import type { IConstruct } from 'constructs';
import type { EnvironmentConfig } from '../config/environment-schema';
import type { GuardrailsConfig } from '../config/guardrails-schema';
import { MFA_GROUP_CONSTRUCT_ID, MFA_POLICY_CONSTRUCT_ID } from '../config/mfa-policy-from-config';
import { didYouMean } from '../private/did-you-mean';
import { recordSuppression } from './suppressions';

/** Construct ID of the application in config-built stacks (APPLICATION_CONSTRUCT_ID; not imported, to keep cdktf out). */
export const CONFIG_APPLICATION_ID = 'itsm-mail';

/** The top-level construct IDs a config environment creates, which a suppression's resource starts with. */
export function configConstructRoots(env: Pick<EnvironmentConfig, 'application' | 'mfaPolicy'>): string[] {
  const roots: string[] = [];
  if (env.application) roots.push(CONFIG_APPLICATION_ID);
  if (env.mfaPolicy) roots.push(MFA_POLICY_CONSTRUCT_ID, MFA_GROUP_CONSTRUCT_ID);
  return roots;
}

/** Problems of one environment's `guardrails` section; paths are relative to it. */
export function checkGuardrailsConfig(env: EnvironmentConfig, environmentName: string): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  const roots = configConstructRoots(env);
  (env.guardrails?.suppressions ?? []).forEach((s, i) => {
    const [first, ...rest] = s.resource.split('/');
    if (roots.includes(first)) return;
    let message: string;
    if (first === environmentName && rest.length > 0) {
      message = `"${s.resource}" starts with the environment name; paths are below the stack: write "${rest.join('/')}"`;
    } else {
      const hint = didYouMean(first, roots);
      const known = roots.length > 0 ? roots.map((r) => `"${r}"`).join(', ') : '(none: this environment declares nothing)';
      message = `"${s.resource}" names no construct of this environment${hint ? ` (did you mean "${[hint, ...rest].join('/')}"?)` : ''}; paths start with ${known}, as printed in brackets after each finding`;
    }
    problems.push({ path: ['suppressions', i, 'resource'], message });
  });
  return problems;
}

/** Records an environment's configured suppressions on its stack. Idempotent. */
export function applyGuardrailsConfig(stack: IConstruct, config: GuardrailsConfig | undefined): void {
  for (const s of config?.suppressions ?? []) {
    // `x/Default` is the construct `x` itself (its findings are reported on `x`).
    const resource = s.resource.replace(/\/Default$/, '');
    recordSuppression(stack, { ruleId: s.rule, path: `${stack.node.path}/${resource}`, reason: s.reason, origin: 'config' });
  }
}
