import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App } from 'cdktf';
import { buildStacksFromConfig } from './config/build-from-config';
import type { ItsmMailConfig } from './config/schema';
import { useCheckedFindings } from './guardrails/aspect';
import { checkGuardrails, type GuardrailFinding } from './guardrails/check';
import { withoutTokenStackTraces } from './private/token-stack-traces';

/**
 * Synthesizes a validated config into `outdir` (one folder per environment under `stacks/`).
 *
 * The app writes into a staging folder beside `outdir`, which replaces `outdir` only after
 * synthesis succeeded: a failure leaves the previous output untouched. Terraform's working files
 * (`.terraform/`, `.terraform.lock.hcl`) in existing stack folders are carried over.
 */
export function synthesizeConfig(config: ItsmMailConfig, outdir: string): SynthesisResult {
  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(staging), { recursive: true });
  try {
    return withoutTokenStackTraces(() => {
      const app = new App({ outdir: staging, stackTraces: false });
      const stacks = buildStacksFromConfig(app, config);
      const findings = checkGuardrails(app);
      if (findings.some(isBlocking)) throw new GuardrailError(findings);
      useCheckedFindings(app, findings);
      app.synth();
      carryOverTerraformFiles(outdir, staging);
      swap(staging, outdir);
      return { stacks: stacks.map((s) => s.node.id), findings };
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
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

function carryOverTerraformFiles(from: string, to: string): void {
  const stacksDir = join(from, 'stacks');
  if (!existsSync(stacksDir)) return;
  for (const stack of readdirSync(stacksDir)) {
    const target = join(to, 'stacks', stack);
    if (!existsSync(target)) continue;
    for (const name of ['.terraform', '.terraform.lock.hcl']) {
      const src = join(stacksDir, stack, name);
      if (existsSync(src)) renameSync(src, join(target, name));
    }
  }
}

function swap(staging: string, outdir: string): void {
  const old = `${outdir}.old-${process.pid}`;
  if (existsSync(outdir)) renameSync(outdir, old);
  renameSync(staging, outdir);
  rmSync(old, { recursive: true, force: true });
}
