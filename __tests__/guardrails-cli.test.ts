// Guardrails on the command line: `npm run synth` refuses to write on an unsuppressed error and
// prints every finding with its rule, the fix and the construct path.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROD_APPLICATION_LINES, runSynth, workdir } from '../test-support/cli';

const config = (extra: string) => [...PROD_APPLICATION_LINES, extra].join('\n');

describe('guardrails in npm run synth', () => {
  it('fails on an unsuppressed error, writes nothing, and says how to fix it', () => {
    const dir = workdir({ 'c.yaml': config('      permissions: [{ type: application, name: Mail.ReadWrite }]') });
    const r = runSynth(dir, ['--config', 'c.yaml']);
    expect(r.status).toBe(4);
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^c\.yaml:7:7: error: environments\.prod\.application\.permissions: ITSM-PERM-001 error: Microsoft Graph application permission Mail\.ReadWrite: the application, without a signed-in user, reaches every mailbox of the tenant: .* Fix: .*justification.* \[itsm-mail\/application\]$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^c\.yaml:3:5: warning: environments\.prod\.application: ITSM-SEC-003 warning: rotating client secret \(two slots\): .*\[itsm-mail\/client-secret\]$/,
      ),
    );
    expect(lines[lines.length - 1]).toMatch(/^c\.yaml: 1 guardrail error\(s\); nothing was written/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('passes with a justification, printing warnings on stderr', () => {
    const dir = workdir({
      'c.yaml': config('      permissions: [{ type: application, name: Mail.ReadWrite, justification: "The ITSM tool files mail into ticket folders." }]'),
    });
    const r = runSynth(dir, ['--config', 'c.yaml']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/ITSM-EXO-001 warning: Microsoft Graph Mail\.ReadWrite reach every mailbox/);
    expect(JSON.parse(readFileSync(join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'), 'utf8')).resource.azuread_application).toBeDefined();
  });
});
