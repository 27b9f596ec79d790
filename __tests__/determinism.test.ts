import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { parseConfigText } from '../lib/config/load-config';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { synthesizeConfig } from '../lib/cli/synthesize';
import { MAIN, ROOT } from '../test-support/cli';
import { ISO_TIMESTAMP, leakedPaths, machinePaths, UUID } from '../test-support/fuzz-checks';

/*
 * Determinism: the same config synthesizes to the same bytes, whoever runs it, wherever, whenever.
 * Two command-line runs, in two different folders, under a time zone 14 hours ahead with a Turkish
 * locale (dotted/dotless i, comma decimals) and under UTC with the C locale, must write identical
 * files (manifest.json included). The output may hold no timestamp, no ID that did not come from
 * the config or the code, and no absolute path of this machine.
 */

/** A temp folder, removed after the suite. */
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(Object.values(runs));
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** A config that uses every kind of section and backend, environments deliberately out of order. */
const RICH = `environments:
  staging:
    tenantId: 11111111-2222-4333-8444-555555555555
    provider: { authentication: oidc, clientId: 66666666-7777-4888-9999-aaaaaaaaaaaa }
    backend: { type: azurerm, storageAccountName: tfstate01, containerName: tfstate, useOidc: true }
    application:
      displayName: Integria IMS — correo (staging) İı
      signInAudience: AzureADMyOrg
      redirectUris: [https://itsm.example.com/integria/setup/setup_mail]
      mail: { flow: app-only, protocols: [imap, pop, smtp], mailboxes: [helpdesk@example.com, soporte@example.es] }
      permissions:
        - { type: delegated, name: User.Read }
      clientSecret: { lifetimeDays: 90 }
  dev:
    backend: { type: cloud, organization: contoso, workspace: itsm-dev }
    mfaPolicy:
      state: off
      group: { existingObjectId: bbbbbbbb-cccc-4ddd-8eee-ffffffffffff }
      signInFrequency: { value: 8, unit: hours }
  prod:
    backend: { type: local, path: state/prod.tfstate }
    application:
      displayName: Pandora ITSM mail
      redirectUris: [https://itsm.example.com/mail/]
      mail: { flow: delegated }
      exposeApi: false
`;

const TURKISH_KIRITIMATI = { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' };
const UTC_C = { TZ: 'UTC', LC_ALL: 'C' };

/** Every file below `dir`, by relative path, with its bytes. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

interface Run {
  readonly dir: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly files: Map<string, Buffer>;
}

/** `node dist/main.js --config config.yaml` in a fresh folder with the given locale and time zone. */
function synthCli(config: string, env: Record<string, string>): Promise<Run> {
  const dir = tempDir('itsm-determinism-');
  writeFileSync(join(dir, 'config.yaml'), config);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, '--config', 'config.yaml'], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => resolve({ dir, status, stdout, stderr, files: status === 0 ? files(join(dir, 'cdktf.out')) : new Map() }));
  });
}

/** Every UUID written in the code (catalogue, well-known IDs) and in `config`: the only ones allowed out. */
function knownUuids(config: string): Set<string> {
  const known = new Set<string>();
  const add = (text: string) => {
    for (const m of text.matchAll(UUID)) known.add(m[0].toLowerCase());
  };
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|json)$/.test(n)) add(readFileSync(p, 'utf8'));
    }
  };
  walk(join(ROOT, 'lib'));
  add(config);
  return known;
}

const EXAMPLE = readFileSync(join(ROOT, 'config', 'example.yaml'), 'utf8');
const runs: Record<string, Promise<[Run, Run]>> = {};

beforeAll(() => {
  // Started together: each pair runs in parallel with the in-process tests below.
  for (const [name, config] of [
    ['example', EXAMPLE],
    ['rich', RICH],
  ] as const) {
    runs[name] = Promise.all([synthCli(config, TURKISH_KIRITIMATI), synthCli(config, UTC_C)]);
  }
});

describe('determinism', () => {
  it('runs the two command lines under really different clocks and locales', () => {
    const probe = (env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        ['-p', "[new Date(Date.UTC(2020, 0, 1)).getTimezoneOffset(), Intl.DateTimeFormat().resolvedOptions().locale, (1.5).toLocaleString()].join(' ')"],
        {
          env: { PATH: process.env.PATH, ...env },
          encoding: 'utf8',
        },
      ).stdout.trim();
    expect(probe(TURKISH_KIRITIMATI)).toBe('-840 tr-TR 1,5');
    expect(probe(UTC_C)).toMatch(/^0 (en-US|und|en-US-u-va-posix) 1\.5$/);
  });

  describe.each(['example', 'rich'])('the %s config', (name) => {
    const config = name === 'example' ? EXAMPLE : RICH;

    it('synthesizes byte-identical files under another time zone, locale and folder', async () => {
      const [a, b] = await runs[name];
      expect({ status: a.status, stderr: a.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/^\s+at /m) });
      expect(b.status).toBe(0);
      expect([...a.files.keys()]).toEqual([...b.files.keys()]);
      expect([...a.files.keys()]).toContain('manifest.json');
      for (const [path, bytes] of a.files) expect({ path, same: bytes.equals(b.files.get(path)!) }).toEqual({ path, same: true });
      // What the program prints (the summary, guardrail findings) is the same too.
      expect(a.stdout).toBe(b.stdout);
      expect(a.stderr).toBe(b.stderr);
    }, 60_000);

    it('writes no timestamp, no ID from nowhere and no absolute path', async () => {
      const [a, b] = await runs[name];
      const known = knownUuids(config);
      for (const [path, bytes] of a.files) {
        const text = bytes.toString('utf8');
        expect({ path, timestamps: text.match(ISO_TIMESTAMP)?.[0] ?? null }).toEqual({ path, timestamps: null });
        // Name-based UUIDs (versions 3 and 5, e.g. the exposed scope's ID derived from the client ID)
        // are allowed: the byte-identical test above proves they are stable. Time-based or random
        // ones (versions 1, 4, 6, 7) must come from the config or the code.
        const unknown = [...text.matchAll(UUID)].map((m) => m[0].toLowerCase()).filter((u) => !known.has(u) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[35]/.test(u));
        expect({ path, unknown }).toEqual({ path, unknown: [] });
        expect({ path, leaked: leakedPaths(text, machinePaths(ROOT, a.dir, b.dir)) }).toEqual({ path, leaked: [] });
      }
    }, 60_000);

    it('writes the same bytes in-process as the command line does', async () => {
      const [a] = await runs[name];
      const outdir = join(tempDir('itsm-determinism-'), 'cdktf.out');
      synthesizeConfig(parseConfigText(config, 'config.yaml'), outdir);
      const c = files(outdir);
      expect([...c.keys()]).toEqual([...a.files.keys()]);
      for (const [path, bytes] of c) expect({ path, same: bytes.equals(a.files.get(path)!) }).toEqual({ path, same: true });
    }, 60_000);

    it("writes exactly what cdktf's own synthesis of the same stacks writes (the stacks are rendered once, not twice)", async () => {
      const [a] = await runs[name];
      const outdir = join(tempDir('itsm-determinism-'), 'cdktf.out');
      const app = new App({ outdir, stackTraces: false });
      buildStacksFromConfig(app, parseConfigText(config, 'config.yaml'));
      app.synth();
      const plain = files(outdir);
      const stackFiles = [...plain.keys()].filter((p) => p.endsWith('cdk.tf.json'));
      expect(stackFiles.length).toBeGreaterThan(0);
      for (const path of stackFiles) expect({ path, same: plain.get(path)!.equals(a.files.get(path)!) }).toEqual({ path, same: true });
    }, 60_000);
  });

  it('does not depend on the order of the environments in the file', async () => {
    const [a] = await runs.rich;
    const blocks = RICH.replace(/^environments:\n/, '').split(/\n(?= {2}[a-z])/);
    const reversed = `environments:\n${[...blocks]
      .reverse()
      .map((b) => b.replace(/\n?$/, '\n'))
      .join('')}`;
    expect(reversed).not.toBe(RICH);
    const outdir = join(tempDir('itsm-determinism-'), 'cdktf.out');
    synthesizeConfig(parseConfigText(reversed, 'config.yaml'), outdir);
    const c = files(outdir);
    for (const [path, bytes] of c) expect({ path, same: bytes.equals(a.files.get(path)!) }).toEqual({ path, same: true });
  }, 60_000);

  it("keeps the local state path relative, where cdktf would write this machine's absolute path", async () => {
    // cdktf's own default for a stack without a backend is join(process.cwd(), terraform.<stack>.tfstate):
    const outdir = tempDir('itsm-determinism-');
    const app = new App({ outdir });
    new TerraformStack(app, 'bare');
    app.synth();
    const bare = JSON.parse(readFileSync(join(outdir, 'stacks', 'bare', 'cdk.tf.json'), 'utf8'));
    expect(bare.terraform.backend.local.path).toBe(join(process.cwd(), 'terraform.bare.tfstate'));
    // ...so every stack here sets a relative one (Terraform runs in cdktf.out/stacks/<env>).
    const [a] = await runs.example;
    const prod = JSON.parse(a.files.get('stacks/prod/cdk.tf.json')!.toString('utf8'));
    expect(prod.terraform.backend.local.path).toBe('../../../terraform.prod.tfstate');
    const [r] = await runs.rich;
    expect(JSON.parse(r.files.get('stacks/prod/cdk.tf.json')!.toString('utf8')).terraform.backend.local.path).toBe('../../../state/prod.tfstate');
  }, 60_000);
});
