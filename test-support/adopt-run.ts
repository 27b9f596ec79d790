import { runAdoptCli, type AdoptDeps } from '../lib/adopt/cli';
import { nodeHttpClient } from '../lib/verify/http';
import type { FakeGraph } from './fake-graph';
import { DEPLOYER, TENANT_ID } from './portal-seeds';
import type { TestPki } from './verify-pki';

export interface AdoptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Waits the Graph client asked for, in ms (nothing is slept). */
  readonly slept: readonly number[];
}

/** The deployer's variables for the fake: a client secret, and ARM_METADATA_HOSTNAME pointing there. */
export function deployerEnv(fake: FakeGraph): NodeJS.ProcessEnv {
  return { ARM_TENANT_ID: TENANT_ID, ARM_CLIENT_ID: DEPLOYER.clientId, ARM_CLIENT_SECRET: DEPLOYER.secret, ARM_METADATA_HOSTNAME: fake.host };
}

/** `npm run adopt -- ...args` in this process, against the fake, trusting the test CA; waits are recorded, not slept. */
export async function runAdopt(
  fake: FakeGraph,
  pki: TestPki,
  args: readonly string[],
  env: NodeJS.ProcessEnv = deployerEnv(fake),
  deps: AdoptDeps = {},
): Promise<AdoptResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const slept: number[] = [];
  const code = await runAdoptCli(
    args,
    env,
    { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) },
    {
      http: nodeHttpClient({ ca: pki.caCert, allowPlainHttp: () => false }),
      sleep: async (ms) => {
        slept.push(ms);
      },
      ...deps,
    },
  );
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), slept };
}
