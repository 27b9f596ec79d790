/**
 * The suppressions file of a plan reviewed without a config (`review --plan P --suppressions F`):
 * accepted guardrail findings on plan addresses, each with a written reason. The same rule IDs,
 * the same reason rule and the same YAML reader (bounds, positions, credential refusal) as the
 * config's `guardrails.suppressions`; only the resource is a plan address instead of a construct path.
 */
import { z } from 'zod';
import type { GuardrailSuppression } from '../guardrails/finding';
import { suppressionReasonProblem } from '../guardrails/pack';
import { credentialsIn } from '../model/text';
import { parseYamlText, readYamlFileBytes, schemaProblems, type YamlFileKind } from './load-config';
import { ConfigError, formatPath, type ConfigProblem } from './problems';
import { suppressionSchema } from './schema';

/** One accepted finding on a plan: which rule, on which resource address, and why. */
export interface PlanSuppressionConfig {
  /** The rule ID, e.g. `ITSM-PERM-001`. */
  readonly rule: string;
  /** The resource's plan address, as printed after the finding (`azuread_application.hr_sync`, `module.m.azuread_group.g["k"]`). */
  readonly resource: string;
  /** Why the finding is accepted, in a sentence. */
  readonly reason: string;
}

/** The file: a list under `suppressions`, as in a config's `guardrails` section. */
export interface PlanSuppressionsConfig {
  readonly suppressions: readonly PlanSuppressionConfig[];
}

export const planSuppressionsSchema = z.strictObject({
  suppressions: z
    .array(
      suppressionSchema.extend({
        resource: z
          .string()
          .describe('The resource\'s plan address, as printed after the finding (e.g. azuread_application.hr_sync, module.m.azuread_group.g["k"]).'),
      }),
    )
    .describe('Accepted guardrail findings on the plan, each with a written reason.'),
});

const KIND: YamlFileKind = {
  noun: 'suppressions file',
  givenBy: '--suppressions',
  mustHold: 'it must list accepted findings under "suppressions:" (docs/review.md)',
};

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const KEY = '(\\[(?:[0-9]+|"(?:[^"\\\\]|\\\\.)*")\\])?';
/** A resource address in a plan: modules, then an optional `data.`, then type.name, each with an instance key. */
const RESOURCE_ADDRESS = new RegExp(`^(module\\.${NAME}${KEY}\\.)*(data\\.)?[a-z][a-z0-9_]*\\.${NAME}${KEY}$`);
const MAX_ADDRESS = 1000;

/**
 * Problems of the file's rules beyond its shape (paths relative to the file): each reason a
 * sentence, each resource a plan address. Checks every field that is a string, whatever the
 * shape of the rest, so one run says every problem.
 */
export function planSuppressionsProblems(data: unknown): { path: readonly PropertyKey[]; message: string }[] {
  const problems: { path: readonly PropertyKey[]; message: string }[] = [];
  const list = data !== null && typeof data === 'object' ? (data as { suppressions?: unknown }).suppressions : undefined;
  if (!Array.isArray(list)) return problems;
  list.forEach((item: unknown, i) => {
    if (item === null || typeof item !== 'object') return;
    const s = item as Partial<Record<keyof PlanSuppressionConfig, unknown>>;
    const at = (key: string, message: string) => problems.push({ path: ['suppressions', i, key], message });
    if (typeof s.reason === 'string') {
      const reason = suppressionReasonProblem(s.reason);
      if (reason) at('reason', reason);
    }
    if (typeof s.resource !== 'string') return;
    if (s.resource.length > MAX_ADDRESS) at('resource', `is too long: at most ${MAX_ADDRESS} characters`);
    else if (!RESOURCE_ADDRESS.test(s.resource))
      at(
        'resource',
        s.resource.includes('/')
          ? 'must be a plan address, not a construct path: write the resource address as printed after the finding, e.g. azuread_application.hr_sync'
          : 'must be a resource address of the plan, as printed after the finding, e.g. azuread_application.hr_sync or module.m.azuread_group.g["k"]',
      );
  });
  return problems;
}

/** The suppressions as the guardrail engine takes them: on the plan address, from a file. */
export function planSuppressionsOf(config: PlanSuppressionsConfig): GuardrailSuppression[] {
  return config.suppressions.map((s) => ({ ruleId: s.rule, path: s.resource, reason: s.reason, origin: 'config' as const }));
}

/**
 * Parses and checks a suppressions file's text. Pure apart from its input.
 * @throws ConfigError with every problem, each with its line and column
 */
export function parsePlanSuppressionsText(input: string | Uint8Array, file: string): GuardrailSuppression[] {
  const { data, location } = parseYamlText(input, file, KIND);
  const problems: ConfigProblem[] = [];
  const add = (path: readonly PropertyKey[], message: string) => {
    const at = location.locate(path);
    problems.push({ file, path: formatPath(path), message, ...(at ? { line: at.line, column: at.column } : {}) });
  };
  // A reason is committed and shown in pull requests: a credential pasted there is refused, unrepeated.
  for (const c of credentialsIn(data)) add(c.path, c.message);
  if (problems.length === 0) {
    for (const p of [...schemaProblems(planSuppressionsSchema, data), ...planSuppressionsProblems(data)]) add(p.path, p.message);
  }
  if (problems.length > 0) throw new ConfigError(problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0)));
  return planSuppressionsOf(data as PlanSuppressionsConfig);
}

/**
 * Reads a suppressions file (YAML, or JSON).
 * @throws ConfigError naming the file, the field, its line and what is wrong
 */
export function loadPlanSuppressionsFile(file: string): GuardrailSuppression[] {
  return parsePlanSuppressionsText(readYamlFileBytes(file, KIND), file);
}
