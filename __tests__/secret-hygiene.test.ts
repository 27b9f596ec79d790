import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { MAIN, ROOT } from '../test-support/cli';
import { ENTRA_SECRET, nonSensitiveSecretOutputs } from '../test-support/fuzz-checks';
import type { TfJson } from '../test-support/synth';

/*
 * Secret hygiene. The only secret this module creates is the client secret, and it must exist only
 * where Terraform keeps it (state and saved plans): never in the synthesized JSON, never in what
 * the programs print or write, and only behind outputs marked sensitive. Credentials of the
 * deploying identity come from the environment and must never be copied anywhere either.
 */

/** A temp folder, removed after the suite. */
const temps: string[] = [];
afterAll(async () => {
  await Promise.all([synth, refused]);
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** Fake credentials, in the shapes the real ones have, planted where a leak would pick them up. */
const FAKE = {
  // Built at run time so the repository holds nothing shaped like a client secret.
  ARM_CLIENT_SECRET: ['Xk7', '8Q~', 'FAKEfakeFAKEfakeFAKEfakeFAKEfake01'].join(''),
  ARM_CLIENT_CERTIFICATE_PASSWORD: 'fake-certificate-password-4711',
  ARM_OIDC_TOKEN: 'eyJhbGciOiJSUzI1NiJ9.fake-oidc-token.c2lnbmF0dXJl',
  ARM_ACCESS_KEY: 'ZmFrZS1zdG9yYWdlLWFjY2Vzcy1rZXk=',
  ARM_SAS_TOKEN: 'sv=2022-11-02&sig=fakesasfakesas',
};
const FAKE_VALUES = Object.values(FAKE);

/** Every config section that can be synthesized, with the backends that take credentials. */
const CONFIG = `environments:
  prod:
    backend: { type: azurerm, storageAccountName: tfstate01, containerName: tfstate }
    provider: { authentication: environment }
    application:
      displayName: Pandora ITSM mail
      mail: { flow: app-only, protocols: [imap, smtp], mailboxes: [helpdesk@example.com] }
      clientSecret: { lifetimeDays: 90 }
  dev:
    backend: { type: cloud, organization: contoso, workspace: itsm-dev }
    application:
      displayName: Pandora ITSM mail (dev)
      redirectUris: [https://itsm.example.com/mail/]
      mail: { flow: delegated }
    mfaPolicy:
      state: reportOnly
`;

/** Provider and backend arguments that would hold a credential. */
const CREDENTIAL_ARGUMENTS = [
  'client_secret',
  'client_certificate',
  'client_certificate_password',
  'oidc_token',
  'oidc_request_token',
  'access_key',
  'sas_token',
  'token',
  'password',
];

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly files: Map<string, string>;
}

function cli(config: string, args: string[] = []): Promise<Run> {
  const dir = tempDir('itsm-secrets-');
  writeFileSync(join(dir, 'config.yaml'), config);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, '--config', 'config.yaml', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...FAKE, ITSM_MAIL_DEBUG: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr, files: status === 0 ? files(join(dir, 'cdktf.out')) : new Map() }));
  });
}

/** The fake credentials and Entra-shaped secrets found in `text`. */
function secretsIn(text: string): string[] {
  return [...FAKE_VALUES.filter((v) => text.includes(v)), ...(text.match(new RegExp(ENTRA_SECRET, 'g')) ?? [])];
}

let synth: Promise<Run>;
let refused: Promise<Run>;
beforeAll(() => {
  synth = cli(CONFIG);
  // A config that tries to carry the secret itself: refused, and the value is not echoed back.
  refused = cli(
    CONFIG.replace('provider: { authentication: environment }', `provider: { authentication: environment, clientSecret: "${FAKE.ARM_CLIENT_SECRET}" }`),
  );
});

describe('secret hygiene', () => {
  it('synthesizes without copying any credential of the environment into the output or the terminal', async () => {
    const r = await synth;
    expect(r.status).toBe(0);
    expect(secretsIn(r.stdout)).toEqual([]);
    expect(secretsIn(r.stderr)).toEqual([]);
    expect(r.files.size).toBeGreaterThan(0);
    for (const [path, text] of r.files) expect({ path, secrets: secretsIn(text) }).toEqual({ path, secrets: [] });
  }, 60_000);

  it('refuses a secret in the config file without printing it', async () => {
    const r = await refused;
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('environments.prod.provider.clientSecret: secrets are not accepted in the config file');
    expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
  }, 60_000);

  it('marks sensitive every output that carries a secret value, in every stack', async () => {
    const r = await synth;
    const stacks = [...r.files].filter(([p]) => p.endsWith('cdk.tf.json'));
    expect(stacks.map(([p]) => p).sort()).toEqual(['stacks/dev/cdk.tf.json', 'stacks/prod/cdk.tf.json']);
    for (const [path, text] of stacks) {
      const json = JSON.parse(text) as TfJson;
      expect({ path, nonSensitive: nonSensitiveSecretOutputs(json) }).toEqual({ path, nonSensitive: [] });
      // The one output of the secret exists, and is sensitive.
      expect(json.output?.client_secret).toMatchObject({ sensitive: true, value: expect.stringMatching(/azuread_application_password\.[\w-]+\.value/) });
    }
  }, 60_000);

  it('would catch a new output of a secret that is not sensitive', () => {
    // The scan above is generic: any output referring to the value of a password or secret resource.
    const json: TfJson = {
      output: {
        ok: { value: '${azuread_application.a.client_id}' },
        leak: { value: '${azuread_application_password.slot.value}', sensitive: false },
        leak2: { value: '${azuread_service_principal_password.sp.value}' },
        leak3: { value: { nested: '${time_rotating.r.id}-${azuread_application_password.b.value}' } },
        fine: { value: '${azuread_application_password.slot.value}', sensitive: true },
      },
    };
    expect(nonSensitiveSecretOutputs(json)).toEqual(['leak', 'leak2', 'leak3']);
  });

  it('leaves the value of each password to the provider: no literal secret in any resource', async () => {
    const r = await synth;
    for (const [path, text] of [...r.files].filter(([p]) => p.endsWith('cdk.tf.json'))) {
      const json = JSON.parse(text) as TfJson;
      for (const [type, resources] of Object.entries(json.resource ?? {})) {
        if (!/password|secret/.test(type)) continue;
        for (const [name, body] of Object.entries(resources)) {
          for (const key of ['value', 'password', 'secret'])
            expect({ path, resource: `${type}.${name}`, key, value: body[key] }).toEqual({ path, resource: `${type}.${name}`, key, value: undefined });
        }
      }
    }
  }, 60_000);

  it('puts no credential argument into any provider or backend block', async () => {
    const r = await synth;
    for (const [path, text] of [...r.files].filter(([p]) => p.endsWith('cdk.tf.json'))) {
      const json = JSON.parse(text) as TfJson & { terraform: { backend?: Record<string, Record<string, unknown>>; cloud?: Record<string, unknown> } };
      const blocks = [
        ...Object.values(json.provider ?? {}).flat(),
        ...Object.values(json.terraform.backend ?? {}),
        ...(json.terraform.cloud ? [json.terraform.cloud] : []),
      ] as Record<string, unknown>[];
      expect(blocks.length).toBeGreaterThanOrEqual(3);
      for (const block of blocks) expect({ path, found: CREDENTIAL_ARGUMENTS.filter((k) => k in block) }).toEqual({ path, found: [] });
    }
  }, 60_000);

  it('prints no secret in a review, even from a plan that holds one', () => {
    // A saved plan holds the current secret in `before`; the review must not copy it out, whether
    // or not the plan marks it sensitive.
    const { runReviewCli } = require(join(ROOT, 'dist', 'lib', 'cli', 'review-cli.js')) as typeof import('../lib/cli/review-cli');
    const dir = tempDir('itsm-secrets-review-');
    writeFileSync(
      join(dir, 'config.yaml'),
      'environments:\n  prod:\n    application:\n      displayName: Pandora ITSM mail\n      redirectUris: [https://itsm.example.com/mail/]\n      mail: { flow: delegated }\n',
    );
    const password = (slot: string, marked: boolean) => ({
      address: `azuread_application_password.itsm-mail_client-secret_slot-${slot}`,
      mode: 'managed',
      type: 'azuread_application_password',
      name: `itsm-mail_client-secret_slot-${slot}`,
      change: {
        actions: ['delete', 'create'],
        before: {
          application_id: '/applications/1',
          display_name: `ITSM mail (slot ${slot})`,
          end_date: '2026-06-01T00:00:00Z',
          key_id: 'k',
          value: FAKE.ARM_CLIENT_SECRET,
        },
        after: { application_id: '/applications/1', display_name: `ITSM mail (slot ${slot})` },
        after_unknown: { value: true, key_id: true, end_date: true },
        ...(marked ? { before_sensitive: { value: true }, after_sensitive: { value: true } } : {}),
      },
    });
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ format_version: '1.2', resource_changes: [password('a', true), password('b', false)] }));
    const out: string[] = [];
    const status = runReviewCli(
      ['--config', join(dir, 'config.yaml'), '--plan', join(dir, 'plan.json'), '--out', join(dir, 'review'), '--fail-on', 'never'],
      { PATH: process.env.PATH, ...FAKE },
      {
        stdout: (l) => out.push(l),
        stderr: (l) => out.push(l),
      },
    );
    expect(status).toBe(0);
    expect(out.join('\n')).toContain('azuread_application_password');
    expect(secretsIn(out.join('\n'))).toEqual([]);
    for (const [path, text] of files(join(dir, 'review'))) expect({ path, secrets: secretsIn(text) }).toEqual({ path, secrets: [] });
  }, 60_000);

  it('keeps state and plan files out of git', () => {
    const names = [
      'terraform.prod.tfstate',
      'terraform.prod.tfstate.backup',
      'state/prod.tfstate',
      'tfplan',
      'prod.tfplan',
      'plan.tfplan',
      'cdktf.out/stacks/prod/terraform.tfstate',
    ];
    const r = spawnSync('git', ['check-ignore', '--no-index', ...names], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n').sort()).toEqual([...names].sort());
  });

  it('says in the README where the secret lives and how to protect it', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Where the secret lives'));
    expect(section).toMatch(/state/i);
    expect(section).toMatch(/plan files/i);
    expect(section).toMatch(/never commit/i);
    expect(readme).toContain('docs/evidence.md');
    const evidence = readFileSync(join(ROOT, 'docs', 'evidence.md'), 'utf8');
    for (const phrase of [/Terraform state/i, /plan files?/i, /encrypt/i, /RBAC|role-based access/i, /terraform output -raw client_secret/, /never commit/i])
      expect(evidence).toMatch(phrase);
  });
});
