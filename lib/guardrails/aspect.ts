import { Annotations, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { checkGuardrails } from './check';
import type { GuardrailFinding } from './finding';
import { CONTINUE_ON_ERROR_ANNOTATIONS, continuesOnErrorAnnotations, runByCdktfCli } from '../private/cdktf-cli-env';

/** Roots already checked by any GuardrailsAspect, so two aspects never annotate twice. */
const CHECKED = new WeakSet<IConstruct>();

/** Findings computed before synthesis (see `useCheckedFindings`), so the aspect does not redo them. */
const PRECOMPUTED = new WeakMap<IConstruct, readonly GuardrailFinding[]>();

/**
 * Hands findings already computed for a whole app (`checkGuardrails(app)`) to the aspects of its
 * stacks, which then only annotate: the rules run once per synthesis, not twice.
 */
export function useCheckedFindings(scope: IConstruct, findings: readonly GuardrailFinding[]): void {
  const byRoot = new Map<IConstruct, GuardrailFinding[]>();
  const children = new Map(scope.node.children.map((c) => [c.node.path, c] as const));
  for (const f of findings) {
    const root = children.get(
      f.path
        .split('/')
        .slice(0, scope.node.path === '' ? 1 : scope.node.path.split('/').length + 1)
        .join('/'),
    );
    if (root) byRoot.set(root, [...(byRoot.get(root) ?? []), f]);
  }
  for (const child of scope.node.children) PRECOMPUTED.set(child, byRoot.get(child) ?? []);
}

/**
 * Applies the guardrail rule pack when cdktf synthesizes: each unsuppressed error becomes an error
 * annotation, which makes `app.synth()` / `cdktf synth` fail; warnings and notes become warning and
 * info annotations (printed by the cdktf CLI); suppressed findings become info annotations with
 * their reason.
 *
 * cdktf 0.21 runs aspects stack by stack, starting at each stack: an aspect added to the App is
 * never invoked. Add it to each stack, or call `Guardrails.applyTo(app)`.
 */
export class GuardrailsAspect implements IAspect {
  public visit(node: IConstruct): void {
    // The first node an aspect visits is the one it was added to: check that subtree once.
    if (node.node.scopes.some((s) => CHECKED.has(s))) return;
    CHECKED.add(node);
    const byPath = new Map(node.node.findAll().map((c) => [c.node.path, c] as const));
    const findings = PRECOMPUTED.get(node) ?? checkGuardrails(node);
    refuseBypass(node, findings, process.env);
    for (const f of findings) {
      const target = byPath.get(f.path) ?? node;
      const annotations = Annotations.of(target);
      if (f.suppressedReason !== undefined) annotations.addInfo(`[${f.ruleId}] suppressed (${f.suppressedBy}): ${f.suppressedReason} | ${f.detail}`);
      else if (f.severity === 'error') annotations.addError(annotationText(f));
      else if (f.severity === 'warning') annotations.addWarning(annotationText(f));
      else annotations.addInfo(annotationText(f));
    }
  }
}

/**
 * No silent bypass: cdktf's synthesizer writes a stack in spite of its error annotations when
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set (cdktf's own error message advertises it). An
 * unsuppressed guardrail error then stops synthesis here, whatever the variable says, naming what
 * would have bypassed it. Under cdktf-cli, which sets the variable itself and then refuses to go on
 * when a stack has an error annotation, the annotations are left to it.
 */
function refuseBypass(node: IConstruct, findings: readonly GuardrailFinding[], env: NodeJS.ProcessEnv): void {
  const blocking = findings.filter((f) => f.severity === 'error' && f.suppressedReason === undefined);
  if (blocking.length === 0 || !continuesOnErrorAnnotations(env) || runByCdktfCli(env)) return;
  throw new GuardrailBypassError(node.node.path, blocking);
}

/**
 * Thrown when synthesis would write a stack with an unsuppressed guardrail error because
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set.
 */
export class GuardrailBypassError extends Error {
  /** The unsuppressed errors (not enumerable: an uncaught error prints its message, not them twice). */
  declare public readonly findings: readonly GuardrailFinding[];

  constructor(
    /** The path of the stack (or subtree) the aspect checked. */
    public readonly stackPath: string,
    findings: readonly GuardrailFinding[],
  ) {
    super(
      `${findings.length} unsuppressed guardrail error(s) in stack ${stackPath || '(app)'}; ${CONTINUE_ON_ERROR_ANNOTATIONS} is set, but it does not bypass guardrails: synthesis stopped.\n` +
        findings.map((f) => `  [${f.ruleId}] ${f.message} [${f.path}]`).join('\n') +
        '\nFix them, or accept one with a written reason (Guardrails.suppress, or guardrails.suppressions in the config).',
    );
    this.name = 'GuardrailBypassError';
    Object.defineProperty(this, 'findings', { value: findings, enumerable: false });
  }
}

function annotationText(f: GuardrailFinding): string {
  return `[${f.ruleId}] ${f.message}`;
}
