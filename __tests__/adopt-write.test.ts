// --write: the adopted environment goes into a config file as a YAML document edit (comments and
// the other environments kept), validated by the loader as a whole, written to a temporary file and
// renamed; an existing environment is replaced only with --replace; nothing is half-written. And
// the command line as a process: exit codes, no stack trace, no secret.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runAdoptCli } from '../lib/adopt/cli';
import { environmentYaml } from '../lib/adopt/write';
import { nodeHttpClient } from '../lib/verify/http';
import { loadConfigFile } from '../lib/config/load-config';
import { deployerEnv, runAdopt } from '../test-support/adopt-run';
import { ROOT, runNodeAsync } from '../test-support/cli';
import { startFakeGraph, type FakeGraph } from '../test-support/fake-graph';
import { APP_ONLY, DELEGATED, DEPLOYER, POLICY_ID, seededTenant, TENANT_ID } from '../test-support/portal-seeds';
import { makeTestPki, type TestPki } from '../test-support/verify-pki';

jest.setTimeout(30_000);

let pki: TestPki;
let fake: FakeGraph;
const work = mkdtempSync(join(tmpdir(), 'itsm-adopt-write-'));
beforeAll(async () => {
  pki = makeTestPki('itsm-adopt-write-pki-');
  fake = await startFakeGraph(pki, seededTenant());
});
afterAll(async () => {
  await fake.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(pki.dir, { recursive: true, force: true });
});

const EXISTING = `# yaml-language-server: $schema=../schema/itsm-mail-config.schema.json
# Our environments. Keep this comment.
environments:
  # The test tenant, owned by the service desk.
  test:
    application:
      displayName: ITSM mail test   # the test registration
      mail: { flow: app-only, protocols: [imap] }
`;

let n = 0;
const fresh = (text?: string) => {
  const f = join(work, `c${n++}.yaml`);
  if (text !== undefined) writeFileSync(f, text);
  return f;
};
const adoptTo = (file: string, ...more: string[]) => runAdopt(fake, pki, ['--env', 'prod', '--client-id', APP_ONLY.appId, '--write', file, ...more]);
const tempFiles = () => readdirSync(work).filter((f) => f.includes('.adopt-'));

describe('--write', () => {
  it("creates the file when it does not exist; it loads, with adopt's header and comments", async () => {
    const file = fresh();
    const r = await adoptTo(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${file}: created with environment prod.`);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# Adopted by npm run adopt from tenant ad0b0000-0000-4000-8000-00000000aa01: application ad0b0000-0000-4000-8000-00000000c1d2\.\n/);
    expect(text).toMatch(
      /\n {6}# made in the portal: the first plan imports these \(Terraform import blocks\); they may stay after the first apply\n {6}import:\n/,
    );
    expect(loadConfigFile(file).environments.prod.application?.import?.applicationObjectId).toBe(APP_ONLY.objectId);
    expect(tempFiles()).toEqual([]);
  });

  it('adds the environment to an existing file, keeping its comments and other environments as they are', async () => {
    const file = fresh(EXISTING);
    const r = await adoptTo(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${file}: added environment prod.`);
    const text = readFileSync(file, 'utf8');
    // Byte for byte: the new environment is spliced in after the last one.
    expect(text.startsWith(EXISTING)).toBe(true);
    expect(Object.keys(loadConfigFile(file).environments)).toEqual(['test', 'prod']);
  });

  it('writes through a symbolic link to the config: the link stays a link, the file it points to gets the environment', async () => {
    const real = fresh(EXISTING);
    const link = join(work, `link${n++}.yaml`);
    symlinkSync(real, link);
    const r = await adoptTo(link);
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(Object.keys(loadConfigFile(real).environments)).toEqual(['test', 'prod']);
    expect(tempFiles()).toEqual([]);
  });

  it("adds the environments key to a file that has none (only tenants), with adopt's header and comments", async () => {
    const tenantsOnly =
      '# Tenants of the identity team.\ntenants:\n  contoso:\n    conditionalAccessPolicies:\n      block-legacy: { preset: blockLegacyAuthentication }\n';
    const file = fresh(tenantsOnly);
    const r = await adoptTo(file);
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# Tenants of the identity team.\ntenants:')).toBe(true);
    expect(text).toMatch(/\n +# Adopted by npm run adopt from tenant /);
    expect(text).toMatch(/# made in the portal: the first plan imports these/);
    expect(loadConfigFile(file).environments.prod.application?.import?.applicationObjectId).toBe(APP_ONLY.objectId);
  });

  it('refuses to replace an environment the file has, unless --replace; the file is untouched', async () => {
    const file = fresh(EXISTING.replace('  test:', '  prod:'));
    const before = { text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs };
    const r = await adoptTo(file);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      `adopt: ${file} already has environment "prod": pass --replace to replace it (the rest of the file is kept as it is), or choose another --env; nothing was written`,
    );
    expect({ text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs }).toEqual(before);
    const replaced = await adoptTo(file, '--replace');
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain(`${file}: replaced environment prod.`);
    const text = readFileSync(file, 'utf8');
    // Everything before the replaced environment stays byte for byte, its comment included.
    expect(text.startsWith(before.text.slice(0, before.text.indexOf('  prod:')))).toBe(true);
    expect(text).toContain('# Our environments. Keep this comment.');
    expect(text).not.toContain('ITSM mail test');
    expect(loadConfigFile(file).environments.prod.application?.displayName).toBe('Integria IMS mail');
  });

  it('writes nothing when the file is not valid YAML, or would not load with the environment added', async () => {
    const broken = fresh('environments:\n  test: [unclosed\n');
    const a = await adoptTo(broken);
    expect(a.code).toBe(3);
    expect(a.stderr).toMatch(/is not valid YAML \(.*\); nothing was written: fix it, or write to a new file/);
    expect(readFileSync(broken, 'utf8')).toBe('environments:\n  test: [unclosed\n');
    // Another environment declares the same application name in the same tenant: the loader refuses both.
    const clash = fresh(
      `environments:\n  other:\n    tenantId: ${TENANT_ID}\n    application:\n      displayName: Integria IMS mail\n      mail: { flow: app-only }\n`,
    );
    const before = readFileSync(clash, 'utf8');
    const b = await adoptTo(clash);
    expect(b.code).toBe(3);
    expect(b.stderr).toContain(`adopt: ${clash} would not load with environment prod added; nothing was written`);
    expect(b.stderr).toContain('the application "Integria IMS mail" is also declared by environment "other" in the same tenant');
    expect(readFileSync(clash, 'utf8')).toBe(before);
    expect(tempFiles()).toEqual([]);
  });

  it('prints the same section it writes, which reads back as the same data', async () => {
    const file = fresh();
    const r = await adoptTo(file);
    const written = parse(readFileSync(file, 'utf8'));
    const printed = parse(r.stdout.slice(r.stdout.indexOf('# Adopted by'), r.stdout.indexOf('\nImport blocks')));
    expect(printed).toEqual(written);
    const env = written.environments.prod;
    expect(parse(environmentYaml('prod', env))).toEqual({ environments: { prod: env } });
  });
});

describe('usage', () => {
  it.each([
    [['--client-id', APP_ONLY.appId], /name the environment to declare the objects in \(--env NAME/],
    [['--env', 'Prod', '--client-id', APP_ONLY.appId], /--env "Prod" cannot be a stack name/],
    [['--env', 'prod'], /name the application \(--client-id APP_ID/],
    [
      ['--env', 'prod', '--client-id', 'Pandora ITSM mail'],
      /--client-id: the value given \(17 characters, not repeated here\) is not a client ID: expected a UUID/,
    ],
    [
      ['--env', 'prod', '--client-id', APP_ONLY.appId, '--policy-id', 'MFA Pilot'],
      /--policy-id: the value given \(9 characters, not repeated here\) is not a policy ID/,
    ],
    [['--env', 'prod', '--client-id', APP_ONLY.appId, '--replace'], /--replace only goes with --write FILE/],
    [['--env', 'prod', '--client-id', APP_ONLY.appId, '--frobnicate'], /unknown flag "--frobnicate"/],
  ])('%j exits 2 with what is wrong', async (args, message) => {
    const r = await runAdopt(fake, pki, args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(fake.requests.length).toBeGreaterThanOrEqual(0);
  });
});

/** `node dist/adopt.js` as npm run adopt runs it, trusting the test CA the way a user trusts a private one (NODE_EXTRA_CA_CERTS). */
function adoptProcess(args: readonly string[], env: NodeJS.ProcessEnv) {
  return runNodeAsync(join(ROOT, 'dist', 'adopt.js'), args, { cwd: work, env: { NODE_EXTRA_CA_CERTS: pki.caFile, ...env } });
}

describe('an unexpected failure', () => {
  it('exits 1 with the message and no stack trace, unless ITSM_MAIL_DEBUG', async () => {
    const err: string[] = [];
    const broken = {
      stdout: () => {
        throw new Error('stdout is gone');
      },
      stderr: (l: string) => err.push(l),
    };
    const status = await runAdoptCli(['--env', 'prod', '--client-id', APP_ONLY.appId], deployerEnv(fake), broken, { http: nodeHttpClient({ ca: pki.caCert }) });
    expect(status).toBe(1);
    expect(err).toEqual(['adopt failed unexpectedly: stdout is gone', 'Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this.']);
  });
});

describe('the command line as a process', () => {
  it('adopts and writes, exit 0', async () => {
    const file = join(work, 'process.yaml');
    const r = await adoptProcess(['--env', 'prod', '--client-id', DELEGATED.appId, '--policy-id', POLICY_ID, '--write', file], deployerEnv(fake));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain(`${file}: created with environment prod.`);
    expect(loadConfigFile(file).environments.prod.mfaPolicy?.import?.policyId).toBe(POLICY_ID);
  });

  it('exits 6 on bad credentials: the cause and fix, no stack trace, no secret', async () => {
    const wrong = `Bad${3}Q~${'b'.repeat(34)}`;
    const r = await adoptProcess(['--env', 'prod', '--client-id', DELEGATED.appId], { ...deployerEnv(fake), ARM_CLIENT_SECRET: wrong });
    expect(r.status).toBe(6);
    expect(r.stderr).toContain('(AADSTS7000215)\nfix: set ARM_CLIENT_SECRET');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(`${r.stdout}${r.stderr}`).not.toContain(wrong);
    expect(`${r.stdout}${r.stderr}`).not.toContain(DEPLOYER.secret);
  });

  it('loads cdktf only once the section has passed the loader: a bad argument or credential is reported without it', () => {
    const probe = `require(${JSON.stringify(join(ROOT, 'dist', 'lib', 'adopt', 'cli.js'))}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    const packages = new Set(
      (JSON.parse(r.stdout) as string[]).filter((f) => f.includes('/node_modules/')).map((f) => f.split('/node_modules/').pop()!.split('/')[0]),
    );
    // The loader's own dependencies only (the IP range parser, the country codes and the look-alike
    // table load on first use): no cdktf, constructs or provider bindings.
    expect([...packages].sort()).toEqual(['uuid', 'yaml', 'zod']);
  });

  it('exits 2 with what is wrong on a bad argument', async () => {
    const r = await adoptProcess(['--env'], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: --env needs a value: --env NAME\nRun "entra-itsm-mail adopt --help" for its flags and exit codes.');
  });
});
