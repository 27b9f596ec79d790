/**
 * What `npm run synth` will make of an adopted environment, computed in memory: the import blocks
 * exactly as they land in cdk.tf.json (Terraform addresses and the provider's import IDs) and the
 * guardrail findings. The same builder and rule pack as synthesis; nothing is written. cdktf is
 * loaded here, only once the adopted section has passed the config loader.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../config/schema';
import type { GuardrailFinding } from '../guardrails/finding';
import type { TenantProps } from '../model/tenant';

export interface Preview {
  /** The stack's import blocks: `to` (the Terraform address) and `id` (the provider's import ID). */
  readonly imports: readonly { readonly to: string; readonly id: string }[];
  readonly findings: readonly GuardrailFinding[];
  /** The stack's name (its folder in cdktf.out/stacks). */
  readonly stack: string;
}

export function previewEnvironment(name: string, env: EnvironmentConfig): Preview {
  return previewConfig(name, { environments: { [name]: env } });
}

/** The same for a tenant's section: the stack tenant-<name>. */
export function previewTenant(name: string, tenant: TenantProps): Preview {
  const { tenantStackName } = require('../model/tenant') as typeof import('../model/tenant');
  return previewConfig(tenantStackName(name), { environments: {}, tenants: { [name]: tenant } });
}

function previewConfig(name: string, config: import('../config/schema').ItsmMailConfig): Preview {
  const { App } = require('cdktf') as typeof import('cdktf');
  const { buildStacksFromConfig } = require('../config/build-from-config') as typeof import('../config/build-from-config');
  const { checkGuardrails } = require('../guardrails/check') as typeof import('../guardrails/check');
  const { withoutTokenStackTraces } = require('../private/token-stack-traces') as typeof import('../private/token-stack-traces');
  // cdktf's App makes its output folder at once: a throwaway one, never beside the user's output.
  const scratch = mkdtempSync(join(tmpdir(), 'itsm-mail-adopt-'));
  try {
    return withoutTokenStackTraces(() => {
      const app = new App({ outdir: scratch, stackTraces: false });
      const [stack] = buildStacksFromConfig(app, config);
      const findings = checkGuardrails(app).map((f) => ({ ...f, path: f.path.startsWith(`${name}/`) ? f.path.slice(name.length + 1) : f.path }));
      const json = stack.toTerraform() as { import?: { to: string; id: string }[] };
      return { imports: (json.import ?? []).map((i) => ({ to: i.to, id: i.id })), findings, stack: name };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
