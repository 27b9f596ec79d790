import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, type TerraformStack } from 'cdktf';
import { buildStacksFromConfig } from '../config/build-from-config';
import type { ItsmMailConfig } from '../config/schema';
import { useCheckedFindings } from '../guardrails/aspect';
import { checkGuardrails, checkStack, type GuardrailFinding } from '../guardrails/check';
import { compareFindings } from '../guardrails/finding';
import { inspectRendered } from '../inspection/from-stack';
import { checkWritable, recoverOutput, replaceOutput, withOutputLock } from './output-folder';

/**
 * Synthesizes a validated config into `outdir` (one folder per environment under `stacks/`).
 *
 * One run at a time per output folder (a lock beside it); what an interrupted run left is
 * recovered first. The app writes into a staging folder beside `outdir`, which replaces `outdir`
 * only after synthesis and the guardrails succeeded: a failure leaves the previous output
 * untouched. Files that synthesis does not write (Terraform's `.terraform/`, lock file, plan files,
 * workspaces) are carried over from the previous stack folders; a folder of a removed environment
 * is dropped only when it holds nothing but such Terraform working files.
 */
export function synthesizeConfig(
  config: ItsmMailConfig,
  outdirGiven: string,
  options: { readonly onNote?: (note: string) => void; readonly lockWaitMs?: number } = {},
): SynthesisResult {
  const outdir = resolve(outdirGiven);
  return withOutputLock(
    outdir,
    () => {
      for (const note of recoverOutput(outdir)) options.onNote?.(note);
      checkWritable(outdir);
      const staging = `${outdir}.staging-${process.pid}`;
      rmSync(staging, { recursive: true, force: true });
      try {
        const app = new App({ outdir: staging, stackTraces: false });
        const stacks = buildStacksFromConfig(app, config);
        const findings = checkGuardrailsRenderingOnce(stacks);
        if (findings.some(isBlocking)) throw new GuardrailError(findings);
        useCheckedFindings(app, findings);
        app.synth();
        replaceOutput(staging, outdir);
        return { stacks: stacks.map((s) => s.node.id), findings };
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    },
    {
      onWait: (holder) => options.onNote?.(`waiting for another synthesis into ${outdirGiven} (${holder})`),
      ...(options.lockWaitMs !== undefined ? { waitMs: options.lockWaitMs } : {}),
    },
  );
}

/**
 * The guardrail errors of the valid part of a config that has problems (`ConfigError.valid`), so
 * that one run reports both. Builds the stacks in memory and writes nothing. Findings about
 * suppressions are left out: they may point at a section that was left out for its problems.
 */
export function guardrailErrorsOf(validPart: ItsmMailConfig): GuardrailFinding[] {
  if (Object.keys(validPart.environments).length === 0 && Object.keys(validPart.tenants ?? {}).length === 0) return [];
  // cdktf's App makes its output folder at once: a throwaway one, never beside the user's output.
  const scratch = mkdtempSync(join(tmpdir(), 'itsm-mail-check-'));
  try {
    const app = new App({ outdir: scratch, stackTraces: false });
    buildStacksFromConfig(app, validPart);
    return checkGuardrails(app).filter((f) => isBlocking(f) && !f.ruleId.startsWith('ITSM-GR-'));
  } catch {
    // A part that cannot be built is reported by its config problems already.
    return [];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The guardrail findings of the stacks, rendering each stack's Terraform JSON once for both the
 * inspection and the file: cdktf's synthesizer would render it again (a full token resolve, the
 * bulk of synthesis time), so the stack is handed the document already rendered. Safe for these
 * stacks: nothing after this point changes them (the aspects only annotate, and no stack refers to
 * another, so cdktf's preparing resolve adds nothing). Determinism tests compare the files with
 * cdktf's own rendering.
 */
function checkGuardrailsRenderingOnce(stacks: readonly TerraformStack[]): GuardrailFinding[] {
  const findings: GuardrailFinding[] = [];
  for (const stack of stacks) {
    const json = stack.toTerraform();
    findings.push(...checkStack(stack, inspectRendered(stack, json)));
    Object.defineProperty(stack, 'toTerraform', { value: () => json, configurable: true });
  }
  return findings.sort(compareFindings);
}

export interface SynthesisResult {
  /** The stacks written, by name. */
  readonly stacks: readonly string[];
  /** Guardrail findings that did not block synthesis (warnings, notes, suppressed errors). */
  readonly findings: readonly GuardrailFinding[];
}

/** An unsuppressed error-level finding stops synthesis. */
export function isBlocking(f: GuardrailFinding): boolean {
  return f.severity === 'error' && f.suppressedReason === undefined;
}

/** Synthesis stopped by guardrail errors; nothing was written. */
export class GuardrailError extends Error {
  constructor(public readonly findings: readonly GuardrailFinding[]) {
    super(`${findings.filter(isBlocking).length} guardrail error(s)`);
    this.name = 'GuardrailError';
  }
}
