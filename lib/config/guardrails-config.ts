/**
 * The config file's `environments.<env>.guardrails` section: accepted findings, each with a
 * written reason. Checked against the pack (rule IDs, reason) and against what the environment
 * declares (the construct paths a resource may start with).
 */
import type { IConstruct } from 'constructs';
import { suppressionReasonProblem } from '../guardrails/pack';
import { recordSuppression } from '../guardrails/suppressions';
import type { Problem } from '../model/problem';
import { didYouMean } from '../private/did-you-mean';

/** One accepted finding: which rule, on which construct (and below), and why. */
export interface SuppressionConfig {
  /** The rule ID, e.g. `ITSM-SEC-003`. */
  readonly rule: string;
  /** The construct path below the stack, as printed in brackets after a finding. */
  readonly resource: string;
  /** Why the finding is accepted, in a sentence. */
  readonly reason: string;
}

/** The `guardrails` section of an environment. */
export interface GuardrailsConfig {
  readonly suppressions?: readonly SuppressionConfig[];
}

const RESOURCE_PATH = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/**
 * Problems of one environment's `guardrails` section (paths relative to it). `roots` are the
 * top-level construct IDs the environment declares; a suppression's resource must start with one.
 */
export function guardrailsConfigProblems(
  config: GuardrailsConfig,
  roots: readonly string[],
  environmentName: string,
  what: 'environment' | 'tenant' = 'environment',
): Problem[] {
  const problems: Problem[] = [];
  (config.suppressions ?? []).forEach((s, i) => {
    const at = (key: string, message: string) => problems.push({ path: ['suppressions', i, key], message });
    const reason = suppressionReasonProblem(s.reason);
    if (reason) at('reason', reason);
    if (s.resource.length > 300) {
      at('resource', 'is too long: at most 300 characters');
      return;
    }
    if (!RESOURCE_PATH.test(s.resource)) {
      at('resource', 'must be a construct path below the stack, as printed in brackets after a finding, e.g. itsm-mail/client-secret');
      return;
    }
    const [first, ...rest] = s.resource.split('/');
    if (roots.includes(first)) return;
    if (first === environmentName && rest.length > 0) {
      at(
        'resource',
        `"${s.resource}" starts with the ${what === 'tenant' ? "tenant's stack" : 'environment'} name; paths are below the stack: write "${rest.join('/')}"`,
      );
      return;
    }
    const hint = didYouMean(first, roots);
    const known = roots.length > 0 ? roots.map((r) => `"${r}"`).join(', ') : `(none: this ${what} declares nothing)`;
    at(
      'resource',
      `"${s.resource}" names no construct of this ${what}${hint ? ` (did you mean "${[hint, ...rest].join('/')}"?)` : ''}; paths start with ${known}, as printed in brackets after each finding`,
    );
  });
  return problems;
}

/** Records an environment's configured suppressions on its stack. */
export function applyGuardrailsConfig(stack: IConstruct, config: GuardrailsConfig | undefined): void {
  for (const s of config?.suppressions ?? []) {
    // `x/Default` is the construct `x` itself (its findings are reported on `x`).
    const resource = s.resource.replace(/\/Default$/, '');
    recordSuppression(stack, { ruleId: s.rule, path: `${stack.node.path}/${resource}`, reason: s.reason, origin: 'config' });
  }
}
