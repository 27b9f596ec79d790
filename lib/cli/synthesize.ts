import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { App } from 'cdktf';
import { buildStacksFromConfig } from '../config/build-from-config';
import type { ItsmMailConfig } from '../config/schema';
import { useCheckedFindings } from '../guardrails/aspect';
import { checkGuardrails, type GuardrailFinding } from '../guardrails/check';

/**
 * Synthesizes a validated config into `outdir` (one folder per environment under `stacks/`).
 *
 * The app writes into a staging folder beside `outdir`, which replaces `outdir` only after
 * synthesis and the guardrails succeeded: a failure leaves the previous output untouched. Files
 * that synthesis does not write (Terraform's `.terraform/`, lock file, plan files, workspaces) are
 * carried over from the previous stack folders; a folder of a removed environment is dropped only
 * when it holds nothing but such Terraform working files.
 */
export function synthesizeConfig(config: ItsmMailConfig, outdirGiven: string): SynthesisResult {
  const outdir = resolve(outdirGiven);
  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(staging), { recursive: true });
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    const stacks = buildStacksFromConfig(app, config);
    const findings = checkGuardrails(app);
    if (findings.some(isBlocking)) throw new GuardrailError(findings);
    useCheckedFindings(app, findings);
    app.synth();
    replaceOutput(staging, outdir);
    return { stacks: stacks.map((s) => s.node.id), findings };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The guardrail errors of the valid part of a config that has problems (`ConfigError.valid`), so
 * that one run reports both. Builds the stacks in memory and writes nothing. Findings about
 * suppressions are left out: they may point at a section that was left out for its problems.
 */
export function guardrailErrorsOf(validPart: ItsmMailConfig): GuardrailFinding[] {
  if (Object.keys(validPart.environments).length === 0) return [];
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

/** What synthesis writes in a stack folder; anything else there belongs to the user or Terraform. */
const SYNTHESIZED = new Set(['cdk.tf.json']);
/** Terraform's own working files: safe to drop with the folder of a removed environment. */
const DISPOSABLE = new Set(['cdk.tf.json', '.terraform', '.terraform.lock.hcl']);

/**
 * Puts the staged output in place of `outdir`, then moves the previous stack folders' other files
 * into it. The old folder is deleted only when every move succeeded; if the swap itself fails, the
 * old output is put back.
 */
function replaceOutput(staging: string, outdir: string): void {
  const old = `${outdir}.old-${process.pid}`;
  const hadOutput = existsSync(outdir);
  if (hadOutput) renameSync(outdir, old);
  try {
    renameSync(staging, outdir);
  } catch (e) {
    if (hadOutput) renameSync(old, outdir);
    throw e;
  }
  if (!hadOutput) return;
  const oldStacks = join(old, 'stacks');
  if (existsSync(oldStacks)) {
    for (const stack of readdirSync(oldStacks)) {
      const from = join(oldStacks, stack);
      const to = join(outdir, 'stacks', stack);
      const entries = readdirSync(from);
      const kept = existsSync(to) || entries.some((name) => !DISPOSABLE.has(name));
      if (!kept) continue;
      // A removed environment's folder with the user's files in it (a plan, local workspaces) is
      // kept without its stale cdk.tf.json; cdktf no longer lists it in manifest.json.
      mkdirSync(to, { recursive: true });
      for (const name of entries) if (!SYNTHESIZED.has(name)) renameSync(join(from, name), join(to, name));
    }
  }
  rmSync(old, { recursive: true, force: true });
}
