import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../lib/config/load-config';
import { synthesizeConfig } from '../lib/cli/synthesize';
import { ROOT } from '../test-support/cli';

/*
 * A tripwire, not a specification: any change to what config/example.yaml synthesizes shows up
 * here as a diff to look at. The behaviour itself is pinned by the fine-grained suites
 * (application, stack, mfa-policy-*, secret-hygiene, determinism); update the snapshot with
 * `npx jest __tests__/snapshot.test.ts -u` once the diff is understood and intended.
 */

/** A temp folder, removed after the suite. */
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

function synthExample(): Record<string, unknown> {
  const outdir = join(tempDir('itsm-snapshot-'), 'cdktf.out');
  synthesizeConfig(parseConfigText(readFileSync(join(ROOT, 'config', 'example.yaml')), 'config/example.yaml'), outdir);
  return JSON.parse(readFileSync(join(outdir, 'stacks', 'prod', 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
}

describe('snapshot of the example', () => {
  const json = synthExample() as { resource: Record<string, Record<string, unknown>>; output: Record<string, { sensitive?: boolean }> };

  it('declares what the manual clicks, one of each (beside the snapshot: the counts that matter)', () => {
    const count = (type: string) => Object.keys(json.resource[type] ?? {}).length;
    expect(count('azuread_application')).toBe(1);
    expect(count('azuread_service_principal')).toBe(1);
    expect(count('azuread_application_password')).toBe(2);
    expect(count('azuread_conditional_access_policy')).toBe(1);
    expect(
      Object.entries(json.output)
        .filter(([, o]) => o.sensitive)
        .map(([id]) => id),
    ).toEqual(['client_secret']);
  });

  // But for the framework version: cdktf 0.21 or CDK Terrain 0.24 writes its own.
  it('matches the committed cdk.tf.json', () => {
    const metadata = (json as unknown as { '//': { metadata: { version: string } } })['//'].metadata;
    expect(metadata.version).toBe((require('cdktf/package.json') as { version: string }).version);
    expect({ ...json, '//': { ...json['//' as keyof typeof json], metadata: { ...metadata, version: '<cdktf version>' } } }).toMatchSnapshot();
  });
});
