import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVerifyCli } from '../lib/verify/cli';
import { ROOT, runNodeAsync } from '../test-support/cli';
import { describeWithPeers } from '../test-support/mail-peer';
import { startImapReplay, startSmtpReplay } from '../test-support/o365-replay';
import { outputsFor, startRig, type OutputOptions, type VerifyRig } from '../test-support/verify-setup';
import { ALICE, FULL_SCP, delegatedClaims, fakeEntraSecret, signJwt, type TestApp } from '../test-support/verify-world';

// Generous per test: a busy machine must not fail a run (no test here asserts time).
jest.setTimeout(60_000);

/*
 * `npm run verify` as a process (dist/verify.js, what scripts/run.js runs): exit codes, --json,
 * the terraform path, and that neither the secret nor a token ever reaches stdout or stderr, even
 * when a server quotes them back. The CA of the loopback peers is given the way a user would give a
 * corporate one: NODE_EXTRA_CA_CERTS.
 */
const VERIFY = join(ROOT, 'dist', 'verify.js');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const temps: string[] = [];
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'itsm-verify-cli-'));
  temps.push(d);
  return d;
}

function cli(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Run> {
  return runNodeAsync(VERIFY, args, { cwd, env });
}

/** What must never be printed: the secret and its encodings, every token issued, anything JWT-shaped. */
function leaks(text: string, secret: string, tokens: readonly string[]): string[] {
  const found: string[] = [];
  for (const v of [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)]) if (text.includes(v)) found.push('secret');
  for (const t of tokens) for (const part of t.split('.')) if (part.length > 8 && text.includes(part)) found.push('token');
  if (/eyJ[A-Za-z0-9_-]{8,}/.test(text)) found.push('JWT-shaped text');
  if (/Q~[A-Za-z0-9_~.-]{20,}/.test(text)) found.push('secret-shaped text');
  return found;
}

let rig: VerifyRig;
beforeAll(async () => {
  rig = await startRig({ peer: false });
}, 30_000);
afterAll(async () => {
  await rig?.stop();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function outputsFile(app: TestApp, o: OutputOptions = {}): string {
  const file = join(temp(), 'outputs.json');
  writeFileSync(file, JSON.stringify(outputsFor(rig, app, o)));
  return file;
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { NODE_EXTRA_CA_CERTS: rig.pki.caFile, ARM_METADATA_HOSTNAME: rig.entra.host, ...extra };
}

describe('npm run verify (process)', () => {
  it('a failing check: exit 1, FAIL line with cause and fix, the secret never printed', async () => {
    const wrong = fakeEntraSecret();
    const r = await cli(
      ['--outputs', outputsFile(rig.world.apps.appOnly, { secret: null, protocols: ['imap'] }), '--env', 'prod'],
      env({ ITSM_MAIL_CLIENT_SECRET: wrong }),
    );
    expect(r.status).toBe(6);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^PASS outputs: .*outputs\.json: app-only, imap, mailbox alice@example\.test, client c11e[0-9a-f-]+; secret from ITSM_MAIL_CLIENT_SECRET$/,
    );
    expect(lines).toContain(
      "  cause: the token endpoint does not accept this client secret for this client ID (AADSTS7000215): most often the secret's ID was copied instead of its value, or the secret belongs to another app registration or environment",
    );
    expect(lines.find((l) => l.startsWith('FAIL token: the token endpoint refused the request: HTTP 401 invalid_client: AADSTS7000215: '))).toBeDefined();
    expect(lines.find((l) => l.startsWith('  fix: use the value of terraform output -raw client_secret (in cdktf.out/stacks/prod)'))).toBeDefined();
    expect(lines.at(-1)).toBe('verify prod: 2 passed, 1 failed, 3 skipped');
    expect(r.stderr).toBe('');
    expect(leaks(r.stdout + r.stderr, wrong, [])).toEqual([]);
  });

  it('--json: one JSON document with ok and every check, exit code as in text mode (delegated without a user token: not verified, exit 6)', async () => {
    const r = await cli(['--outputs', outputsFile(rig.world.apps.delegated, { flow: 'delegated' }), '--json'], env());
    expect(r.status).toBe(6);
    const doc = JSON.parse(r.stdout) as { ok: boolean; flow: string; mailbox: string; checks: { id: string; status: string; detail: string }[] };
    expect(Object.keys(doc)).toEqual(['ok', 'flow', 'mailbox', 'checks']);
    expect(doc).toMatchObject({ ok: false, flow: 'delegated', mailbox: ALICE });
    expect(doc.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'outputs:pass',
      'cloud:pass',
      'token:pass',
      'claims:fail',
      'imap-auth:skip',
      'imap-inbox:skip',
      'pop-auth:skip',
      'pop-mailbox:skip',
      'smtp-auth:skip',
      'smtp-mail-from:skip',
      'smtp-send:skip',
    ]);
    for (const c of doc.checks)
      expect(Object.keys(c).every((k) => ['id', 'status', 'detail', 'causeId', 'cause', 'fix', 'serverAnswer'].includes(k))).toBe(true);
    expect(leaks(r.stdout + r.stderr, rig.world.apps.delegated.secret, rig.entra.issued)).toEqual([]);
  });

  it('--json on a failure: ok false, exit 1, the failing check carries causeId, cause, fix and the answer', async () => {
    const r = await cli(
      ['--outputs', outputsFile(rig.world.apps.appOnly, { secret: rig.world.apps.appOnly.expiredSecret, protocols: ['imap'] }), '--json'],
      env(),
    );
    expect(r.status).toBe(6);
    const doc = JSON.parse(r.stdout) as { ok: boolean; checks: Record<string, string>[] };
    expect(doc.ok).toBe(false);
    expect(doc.checks.find((c) => c.id === 'token')).toMatchObject({
      status: 'fail',
      causeId: 'secret-expired',
      cause: expect.any(String),
      fix: expect.any(String),
      serverAnswer: expect.stringMatching(/^HTTP 401 invalid_client: AADSTS7000222: /),
    });
  });

  it('never prints the secret or a token, even when the servers quote them back', async () => {
    const a = rig.world.apps.appOnly;
    const imap = await startImapReplay(rig.pki, 'echo');
    const smtp = await startSmtpReplay(rig.pki, 'echo');
    try {
      const file = outputsFile(a, {
        protocols: ['imap', 'smtp'],
        servers: { imap: { host: '127.0.0.1', port: imap.port }, smtp: { host: '127.0.0.1', port: smtp.port } },
      });
      for (const args of [
        ['--outputs', file],
        ['--outputs', file, '--json'],
      ]) {
        const r = await cli(args, env({ ITSM_MAIL_DEBUG: '1' }));
        expect(r.status).toBe(6);
        // The servers did answer with the token in them, and verify showed their answers.
        const shown = args.includes('--json')
          ? (JSON.parse(r.stdout) as { checks: { serverAnswer?: string }[] }).checks.map((c) => c.serverAnswer ?? '').join('\n')
          : r.stdout;
        expect(shown).toMatch(/NO \[AUTHENTICATIONFAILED\] rejected user=alice@example\.test(\\u\{1\}|\x01)auth=Bearer <redacted>/);
        expect(shown).toMatch(/535 5\.7\.8 rejected <\d+ base64 characters> = user=alice@example\.test auth=Bearer <redacted>/);
        expect(leaks(r.stdout + r.stderr, a.secret, rig.entra.issued)).toEqual([]);
      }
    } finally {
      await Promise.all([imap.close(), smtp.close()]);
    }
  });

  it('never prints the secret when the token endpoint (or a proxy) quotes it back', async () => {
    const a = rig.world.apps.appOnly;
    rig.entra.rawAnswer = { status: 400, body: `<html>bad request: client_secret=${a.secret}&x=${encodeURIComponent(a.secret)}</html>` };
    try {
      const r = await cli(['--outputs', outputsFile(a, { protocols: ['imap'] })], env());
      expect(r.status).toBe(6);
      expect(r.stdout).toContain('bad request: client_secret=<redacted>&x=<redacted>');
      expect(leaks(r.stdout + r.stderr, a.secret, [])).toEqual([]);
    } finally {
      rig.entra.rawAnswer = undefined;
    }
  });

  it('usage errors: exit 2 with what is wrong and where the help is', async () => {
    const file = outputsFile(rig.world.apps.appOnly, { mailbox: null });
    const cases: [string[], string][] = [
      [[], 'error: name the environment (--env NAME) or an outputs file (--outputs FILE)'],
      [['--env', '../prod'], 'error: --env "../prod" is not an environment name'],
      [['--env', 'prod', '--mailbox', 'nobody'], 'error: --mailbox "nobody" is not a mail address'],
      [
        ['--env', 'prod', '--frobnicate'],
        'error: unknown flag "--frobnicate": verify takes --env, --mailbox, --send-test-to, --access-token-file, --outputs, --json, --timeout',
      ],
      [['--outputs', file], 'error: itsm_email_settings has no mailbox: name the one the ITSM tool logs in with (--mailbox ADDRESS)'],
      [
        ['--outputs', file, '--mailbox', ALICE, '--access-token-file', file],
        'error: --access-token-file is for the delegated flow; app-only tokens are requested by verify itself',
      ],
      [['--env', 'prod', '--timeout', '0'], 'error: --timeout "0": takes seconds between 1 and 600'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, env());
      expect({ args, status: r.status, first: r.stderr.split('\n')[0], stdout: r.stdout }).toEqual({ args, status: 2, first: message, stdout: '' });
      expect(r.stderr).toContain('Run "entra-itsm-mail verify --help" for its flags and exit codes.');
    }
  }, 60_000); // seven processes: bounded by jest, not by a wall-clock assertion

  it('--help: exit 0, the usage with the secret variable and the exit codes', async () => {
    const r = await cli(['--help'], {});
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('$ITSM_MAIL_CLIENT_SECRET');
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 {2}success\n {2}1 {2}unexpected failure.*\n {2}2 {2}usage.*\n {2}6 {2}verify \/ adopt: a remote check failed/);
    expect(r.stdout).toContain('A delegated run without --access-token-file tests no mailbox: "not verified", a');
  });

  it('runs through the launcher as `npm run verify` does (node scripts/run.js verify)', async () => {
    const r = await new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'scripts', 'run.js'), 'verify', '--help'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.on('close', (status) => resolve({ status, stdout, stderr: '' }));
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: entra-itsm-mail verify/);
  });

  it('loads neither cdktf nor the construct code (it must start fast and survive their rewrite)', () => {
    const probe = `require(${JSON.stringify(join(ROOT, 'dist', 'lib', 'verify', 'index.js'))}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    const loaded = (JSON.parse(r.stdout) as string[]).map((f) => f.slice(ROOT.length + 1));
    expect(loaded.filter((f) => f.startsWith('node_modules/'))).toEqual([]);
    expect(loaded.filter((f) => !f.startsWith('dist/lib/verify/')).sort()).toEqual([
      'dist/lib/cli/args.js',
      'dist/lib/cli/exit-codes.js',
      'dist/lib/private/credentials.js',
      'dist/lib/private/did-you-mean.js',
      'dist/lib/private/powershell-quote.js',
      'dist/lib/private/printable.js',
    ]);
  });

  it('an unexpected error: exit 1, no stack unless ITSM_MAIL_DEBUG', async () => {
    const err: string[] = [];
    let calls = 0;
    const status = await runVerifyCli(
      ['--outputs', outputsFile(rig.world.apps.delegated, { flow: 'delegated' })],
      { ARM_METADATA_HOSTNAME: rig.entra.host },
      {
        stdout: () => {
          if (calls++ === 0) throw new Error('stdout is gone');
        },
        stderr: (l) => err.push(l),
      },
    );
    expect(status).toBe(1);
    expect(err).toEqual(['verify failed unexpectedly: stdout is gone', 'Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this.']);
  });
});

describe('reading the outputs with terraform (--env)', () => {
  function project(script: string | null): { cwd: string; terraform: string } {
    const cwd = temp();
    mkdirSync(join(cwd, 'cdktf.out', 'stacks', 'prod'), { recursive: true });
    const terraform = join(cwd, 'fake-terraform');
    if (script !== null) {
      writeFileSync(terraform, `#!/bin/sh\n${script}\n`);
      chmodSync(terraform, 0o755);
    }
    return { cwd, terraform };
  }

  it('runs `terraform output -json` in cdktf.out/stacks/<env> and takes the sensitive secret from it', async () => {
    const file = outputsFile(rig.world.apps.delegated, { flow: 'delegated' });
    const { cwd, terraform } = project(
      `[ "$*" = "output -no-color -json" ] || { echo "unexpected arguments: $*" >&2; exit 3; }\n[ "$(basename "$PWD")" = prod ] || { echo "wrong folder $PWD" >&2; exit 4; }\ncat '${file}'`,
    );
    const r = await cli(['--env', 'prod'], env({ TERRAFORM_BINARY_NAME: terraform }), cwd);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe(
      `PASS outputs: cdktf.out/stacks/prod (terraform output -json): delegated, imap pop smtp, mailbox ${ALICE}, client ${rig.world.apps.delegated.clientId}; secret from the client_secret output`,
    );
    expect(r.stdout).toContain('PASS token: tenant ');
    // Delegated without a user's token: no mailbox tested, so not a pass.
    expect(r.stdout).toContain('FAIL claims: not verified: no mailbox was tested');
    expect(r.status).toBe(6);
  });

  it('CDKTF_OUTDIR: terraform runs in <CDKTF_OUTDIR>/stacks/<env>, and the fixes name that folder', async () => {
    const cwd = temp();
    mkdirSync(join(cwd, 'build-out', 'stacks', 'prod'), { recursive: true });
    const file = outputsFile(rig.world.apps.appOnly, { secret: null, protocols: ['imap'] });
    const terraform = join(cwd, 'fake-terraform');
    writeFileSync(
      terraform,
      `#!/bin/sh\n[ "$(basename "$(dirname "$(dirname "$PWD")")")" = build-out ] || { echo "wrong folder $PWD" >&2; exit 4; }\ncat '${file}'\n`,
    );
    chmodSync(terraform, 0o755);
    const r = await cli(
      ['--env', 'prod'],
      env({ TERRAFORM_BINARY_NAME: terraform, CDKTF_OUTDIR: 'build-out', ITSM_MAIL_CLIENT_SECRET: fakeEntraSecret() }),
      cwd,
    );
    expect(r.stdout.split('\n')[0]).toMatch(/^PASS outputs: build-out\/stacks\/prod \(terraform output -json\): app-only/);
    expect(r.stdout).toContain('  fix: use the value of terraform output -raw client_secret (in build-out/stacks/prod)');
    expect(r.stdout).not.toContain('cdktf.out');
    expect(r.status).toBe(6);
  });

  it('terraform missing: a FAIL that says so, exit 1', async () => {
    const { cwd, terraform } = project(null);
    const r = await cli(['--env', 'prod'], env({ TERRAFORM_BINARY_NAME: terraform }), cwd);
    expect(r.status).toBe(6);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      `FAIL outputs: ${terraform} is not installed here (or not on PATH)`,
      '  cause: verify reads the outputs with terraform',
      '  fix: install terraform, set TERRAFORM_BINARY_NAME, or pass --outputs FILE (from terraform output -json elsewhere)',
    ]);
  });

  it('terraform failing (no backend access): its Error line, after any warnings, exit 1', async () => {
    // What terraform 1.11 prints here without `terraform init` (and without a CLI config file).
    const stderr = join(temp(), 'stderr.txt');
    writeFileSync(
      stderr,
      [
        'There are some problems with the CLI configuration:',
        '╷',
        '│ Warning: Unable to open CLI configuration file',
        '│',
        '│ The CLI configuration file at "/root/.terraformrc" does not exist.',
        '╵',
        '',
        '╷',
        '│ Error: Backend initialization required, please run "terraform init"',
        '│',
        '│ Reason: Initial configuration of the requested backend "local"',
        '╵',
        '',
      ].join('\n'),
    );
    const { cwd, terraform } = project(`cat '${stderr}' >&2; exit 1`);
    const r = await cli(['--env', 'prod'], env({ TERRAFORM_BINARY_NAME: terraform }), cwd);
    expect(r.status).toBe(6);
    expect(r.stdout.split('\n')[0]).toBe(
      `FAIL outputs: ${terraform} output -json exited with 1: Error: Backend initialization required, please run "terraform init"`,
    );
  });

  const realTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
  (realTerraform ? it : it.skip)('reads what a real terraform prints for `output -json` (a local state, sensitive secret included)', async () => {
    const { cwd } = project(null);
    const outputs = outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }) as Record<string, { value: unknown; sensitive: boolean }>;
    const state = {
      version: 4,
      terraform_version: '1.5.0',
      serial: 1,
      lineage: 'verify-test',
      outputs: Object.fromEntries(
        Object.entries(outputs).map(([k, o]) => [
          k,
          {
            value: o.value,
            type: typeof o.value === 'string' ? 'string' : ['object', Object.fromEntries(Object.keys(o.value as object).map((f) => [f, 'string']))],
            ...(o.sensitive ? { sensitive: true } : {}),
          },
        ]),
      ),
      resources: [],
    };
    writeFileSync(join(cwd, 'cdktf.out', 'stacks', 'prod', 'terraform.tfstate'), JSON.stringify(state));
    const r = await cli(['--env', 'prod'], env({ TF_CLI_CONFIG_FILE: '/dev/null' }), cwd);
    expect(r.stdout.split('\n')[0]).toBe(
      `PASS outputs: cdktf.out/stacks/prod (terraform output -json): delegated, imap pop smtp, mailbox ${ALICE}, client ${rig.world.apps.delegated.clientId}; secret from the client_secret output`,
    );
    expect(r.stdout).toContain('PASS token: tenant ');
    expect(r.stdout).toContain('FAIL claims: not verified: no mailbox was tested');
    expect(r.status).toBe(6);
  });

  it('an environment that was never synthesized here', async () => {
    const r = await cli(['--env', 'staging'], env(), temp());
    expect(r.status).toBe(6);
    expect(r.stdout.split('\n')[0]).toBe('FAIL outputs: no stack folder cdktf.out/stacks/staging');
  });

  it('no outputs (not applied yet)', async () => {
    const { cwd, terraform } = project("echo '{}'");
    const r = await cli(['--env', 'prod'], env({ TERRAFORM_BINARY_NAME: terraform }), cwd);
    expect(r.status).toBe(6);
    expect(r.stdout).toContain('FAIL outputs: cdktf.out/stacks/prod (terraform output -json): no outputs');
  });
});

describeWithPeers('npm run verify against the mail peer (process)', () => {
  let peers: VerifyRig;
  beforeAll(async () => {
    peers = await startRig({ peer: true });
  }, 30_000);
  afterAll(async () => {
    await peers?.stop();
  }, 30_000);
  const peerEnv = () => ({ NODE_EXTRA_CA_CERTS: peers.pki.caFile, ARM_METADATA_HOSTNAME: peers.entra.host });

  it('app-only: every check passes, exit 0, one line per check, no secret or token printed', async () => {
    const a = peers.world.apps.appOnly;
    const file = join(temp(), 'outputs.json');
    writeFileSync(file, JSON.stringify(outputsFor(peers, a, { mailboxAccess: 'rbac' })));
    const r = await cli(['--outputs', file, '--env', 'prod', '--send-test-to', 'bob@example.test'], peerEnv());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(':')[0]),
    ).toEqual([
      'PASS outputs',
      'PASS cloud',
      'PASS token',
      'PASS claims',
      'PASS imap-auth',
      'PASS imap-inbox',
      'PASS pop-auth',
      'PASS pop-mailbox',
      'PASS smtp-auth',
      'PASS smtp-mail-from',
      'PASS smtp-send',
      'verify prod',
    ]);
    expect(leaks(r.stdout + r.stderr, a.secret, peers.entra.issued)).toEqual([]);
  });

  it("delegated with --access-token-file: every check passes, and the user's token is not printed", async () => {
    const a = peers.world.apps.delegated;
    const dir = temp();
    const token = signJwt(delegatedClaims(a, ALICE, FULL_SCP), peers.pki);
    writeFileSync(join(dir, 'token'), `${token}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'outputs.json'), JSON.stringify(outputsFor(peers, a, { flow: 'delegated' })));
    const r = await cli(['--outputs', join(dir, 'outputs.json'), '--access-token-file', join(dir, 'token'), '--json'], peerEnv());
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { ok: boolean; checks: { status: string }[] };
    expect(doc.ok).toBe(true);
    expect(doc.checks.filter((c) => c.status !== 'pass').map((c) => JSON.stringify(c))).toEqual([
      JSON.stringify({ id: 'smtp-send', status: 'skip', detail: 'no test message asked for (--send-test-to ADDRESS)' }),
    ]);
    expect(leaks(r.stdout + r.stderr, a.secret, [token])).toEqual([]);
  });
});
