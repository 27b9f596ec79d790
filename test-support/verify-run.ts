import { nodeHttpClient } from '../lib/verify/http';
import { renderCheck } from '../lib/verify/render';
import { runVerify, type VerifyOptions } from '../lib/verify/run';
import { targetFromOutputs, type TerraformOutputs } from '../lib/verify/target-from-outputs';
import type { CheckId, CheckResult, VerifyReport, VerifyTarget } from '../lib/verify/types';
import { rigEnv, type VerifyRig } from './verify-setup';

export interface VerifyRun {
  readonly report: VerifyReport;
  readonly text: string;
  readonly ms: number;
  /** The check with this id (throws when it is missing, so a test cannot pass vacuously). */
  check(id: CheckId): CheckResult;
}

/** Runs the verify library in this process against the rig, trusting the rig's CA. */
export async function verifyAgainst(
  rig: VerifyRig,
  outputs: TerraformOutputs | VerifyTarget,
  options: VerifyOptions = {},
  env: NodeJS.ProcessEnv = {},
  io: { trustRigCa?: boolean; timeoutMs?: number } = {},
): Promise<VerifyRun> {
  const target = 'flow' in outputs && 'servers' in outputs ? (outputs as VerifyTarget) : targetFromOutputs(outputs as TerraformOutputs, rigEnv(rig, env));
  const ca = io.trustRigCa === false ? undefined : rig.pki.caCert;
  const start = Date.now();
  const report = await runVerify(target, options, {
    http: nodeHttpClient(ca ? { ca } : {}),
    ...(ca ? { ca } : {}),
    timeoutMs: io.timeoutMs ?? 30_000,
    now: () => Date.now(),
  });
  const ms = Date.now() - start;
  return {
    report,
    ms,
    text: report.checks.flatMap(renderCheck).join('\n'),
    check: (id) => {
      const c = report.checks.find((x) => x.id === id);
      if (!c) throw new Error(`no check ${id} in:\n${report.checks.flatMap(renderCheck).join('\n')}`);
      return c;
    },
  };
}
