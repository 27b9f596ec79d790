import { Annotations, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { checkGuardrails } from './check';
import type { GuardrailFinding } from './finding';

/** Roots already checked by any GuardrailsAspect, so two aspects never annotate twice. */
const CHECKED = new WeakSet<IConstruct>();

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
    for (const f of checkGuardrails(node)) {
      const target = byPath.get(f.path) ?? node;
      const annotations = Annotations.of(target);
      if (f.suppressedReason !== undefined) annotations.addInfo(`[${f.ruleId}] suppressed (${f.suppressedBy}): ${f.suppressedReason} | ${f.detail}`);
      else if (f.severity === 'error') annotations.addError(annotationText(f));
      else if (f.severity === 'warning') annotations.addWarning(annotationText(f));
      else annotations.addInfo(annotationText(f));
    }
  }
}

function annotationText(f: GuardrailFinding): string {
  return `[${f.ruleId}] ${f.message}`;
}
