import { ExitCode } from '../lib/cli/exit-codes';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeScrubber } from '../lib/verify/scrub';
import { xoauth2 } from '../lib/verify/protocols';
import { ROOT, runNodeAsync } from '../test-support/cli';
import { credentialLeak as leaked } from '../test-support/credential-pieces';
import { echoOf, startEchoServer, type EchoMode, type Hostile } from '../test-support/hostile-servers';
import { verifyAgainst } from '../test-support/verify-run';
import { outputsFor, startRig, type VerifyRig } from '../test-support/verify-setup';
import { ALICE, fakeEntraSecret } from '../test-support/verify-world';

/*
 * A hostile server that quotes the token back in pieces (issue 21: about 98% of it was printed).
 * The promise (docs/verify.md, "What verify never prints") is checked here by a measure of its
 * own: no 8 letters or digits in a row of the secret or a token, in any of their encodings, at any
 * base64 alignment, whatever the case and whatever stands between them, in text or --json.
 */

jest.setTimeout(60_000);

let rig: VerifyRig;
const servers: Hostile[] = [];
const temps: string[] = [];
beforeAll(async () => {
  rig = await startRig({ peer: false });
}, 30_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rig?.stop();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const MODES: EchoMode[] = ['token-pieces', 'blob-pieces', 'url-pieces', 'upper-pieces', 'interleaved', 'split-lines'];

describe('the measure itself', () => {
  it("sees the token in the pieces each echo mode sends (so a pass below is the scrubber's doing)", () => {
    const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ aud: 'x', pad: 'y'.repeat(600) })).toString('base64url')}.c2lnbmF0dXJl`;
    const blob = xoauth2(ALICE, token);
    for (const mode of MODES) {
      const echoed = echoOf(mode, { blob, token }).join('\n');
      // Interleaving keeps runs of 7: the measure sees it at 7, the scrubber's answer-level rule handles it.
      expect({ mode, share: leaked(echoed, token, mode === 'interleaved' ? 7 : 8).share > 0.8 }).toEqual({ mode, share: true });
    }
  });
});

describe.each(['imap', 'pop', 'smtp'] as const)('%s: a server that echoes the token in pieces', (protocol) => {
  it.each(MODES)('%s: no 8 characters in a row of any form of the token or the secret are printed', async (mode) => {
    const server = await startEchoServer(rig.pki, protocol, mode);
    servers.push(server);
    const a = rig.world.apps.appOnly;
    const outputs = outputsFor(rig, a, {
      mailboxAccess: 'rbac',
      protocols: [protocol],
      servers: { [protocol]: { host: '127.0.0.1', port: server.port, security: 'SSL/TLS' } },
    });
    const before = rig.entra.issued.length;
    const r = await verifyAgainst(rig, outputs);
    const token = rig.entra.issued.at(-1)!;
    expect(rig.entra.issued.length).toBe(before + 1);
    const c = r.check(`${protocol}-auth`);
    expect(c.status).toBe('fail');
    // The server did quote it: the raw echo holds the token.
    expect(server.received.some((l) => l.includes(xoauth2(ALICE, token)))).toBe(true);
    const printed = `${r.text}\n${JSON.stringify(r.report)}`;
    for (const secret of [token, a.secret]) expect(leaked(printed, secret)).toEqual({ share: 0, longest: 0 });
    // The refusal is still shown, as an excerpt (or withheld when it is mostly pieces).
    expect(c.serverAnswer).toMatch(
      mode === 'interleaved'
        ? /^<answer withheld: \d+% of its letters and digits are pieces of the secret or a token>$/
        : /^(a1 NO \[AUTHENTICATIONFAILED\] rejected|-ERR \[AUTH\] rejected|535[ -]5\.7\.8 )/,
    );
    expect(c.serverAnswer!.length).toBeLessThanOrEqual(300 + 60);
  });
});

describe('the command line (text and --json)', () => {
  it('all three servers echo the token in pieces, the token endpoint the secret: nothing of either is printed', async () => {
    const imap = await startEchoServer(rig.pki, 'imap', 'token-pieces');
    const pop = await startEchoServer(rig.pki, 'pop', 'blob-pieces');
    const smtp = await startEchoServer(rig.pki, 'smtp', 'split-lines');
    servers.push(imap, pop, smtp);
    const a = rig.world.apps.appOnly;
    const dir = mkdtempSync(join(tmpdir(), 'itsm-verify-echo-'));
    temps.push(dir);
    const file = join(dir, 'outputs.json');
    const ss = {
      imap: { host: '127.0.0.1', port: imap.port },
      pop: { host: '127.0.0.1', port: pop.port },
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'SSL/TLS' },
    };
    writeFileSync(file, JSON.stringify(outputsFor(rig, a, { mailboxAccess: 'rbac', servers: ss })));
    for (const json of [false, true]) {
      const before = rig.entra.issued.length;
      const r = await cli(['--outputs', file, ...(json ? ['--json'] : [])], { ARM_METADATA_HOSTNAME: rig.entra.host, ITSM_MAIL_DEBUG: '1' });
      expect(r.status).toBe(ExitCode.remote);
      const token = rig.entra.issued.at(-1)!;
      expect(rig.entra.issued.length).toBe(before + 1);
      for (const secret of [token, a.secret]) expect({ json, ...leaked(r.stdout + r.stderr, secret) }).toEqual({ json, share: 0, longest: 0 });
      expect(r.stdout).toMatch(/a1 NO \[AUTHENTICATIONFAILED\] rejected (<token>|<redacted>)/);
    }
  });

  it('a token endpoint (or proxy) that quotes the secret in pieces, in base64 and URL-encoded', async () => {
    const a = rig.world.apps.appOnly;
    const secret = fakeEntraSecret();
    const cut = (s: string, n: number) => s.match(new RegExp(`.{1,${n}}`, 'g'))!.join(' ');
    rig.entra.rawAnswer = {
      status: 400,
      body: `<html>bad request: ${cut(secret, 10)} | ${cut(Buffer.from(`client_secret=${secret}`).toString('base64'), 12)} | ${cut(encodeURIComponent(secret), 9)}</html>`,
    };
    try {
      const dir = mkdtempSync(join(tmpdir(), 'itsm-verify-echo-'));
      temps.push(dir);
      const file = join(dir, 'outputs.json');
      writeFileSync(file, JSON.stringify(outputsFor(rig, a, { protocols: ['imap'], secret: null })));
      for (const json of [false, true]) {
        const r = await cli(['--outputs', file, ...(json ? ['--json'] : [])], { ARM_METADATA_HOSTNAME: rig.entra.host, ITSM_MAIL_CLIENT_SECRET: secret });
        expect(r.status).toBe(ExitCode.remote);
        // A secret may start with '_' or '-', which carry nothing: the run starts at its first letter or digit.
        expect(r.stdout).toMatch(/bad request: [_-]*<redacted>/);
        expect({ json, ...leaked(r.stdout + r.stderr, secret) }).toEqual({ json, share: 0, longest: 0 });
      }
    } finally {
      rig.entra.rawAnswer = undefined;
    }
  });
});

describe('an identity-platform error body that quotes the secret', () => {
  it('in its error, description and correlation ID, interleaved with other letters: not in the detail, cause, fix or answer', async () => {
    const a = rig.world.apps.appOnly;
    const secret = fakeEntraSecret();
    const mixed = secret.match(/.{1,7}/g)!.join(' q ');
    rig.entra.rawAnswer = {
      status: 401,
      body: JSON.stringify({ error: mixed, error_description: `AADSTS9999999: ${mixed}`, error_codes: [9999999], correlation_id: mixed }),
    };
    try {
      const dir = mkdtempSync(join(tmpdir(), 'itsm-verify-echo-'));
      temps.push(dir);
      const file = join(dir, 'outputs.json');
      writeFileSync(file, JSON.stringify(outputsFor(rig, a, { protocols: ['imap'], secret: null })));
      for (const json of [false, true]) {
        const r = await cli(['--outputs', file, ...(json ? ['--json'] : [])], { ARM_METADATA_HOSTNAME: rig.entra.host, ITSM_MAIL_CLIENT_SECRET: secret });
        expect(r.status).toBe(ExitCode.remote);
        expect(r.stdout).toContain('<answer withheld:');
        // Not even the 7-character pieces.
        expect({ json, ...leaked(r.stdout + r.stderr, secret, 7) }).toEqual({ json, share: 0, longest: 0 });
      }
    } finally {
      rig.entra.rawAnswer = undefined;
    }
  });
});

describe('the scrubber on its own', () => {
  const secret = fakeEntraSecret();
  const scrub = makeScrubber([secret]);
  it('keeps ordinary server answers whole (no false positives on Office 365 and Dovecot wording)', () => {
    for (const a of [
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
      'a1 NO [AUTHENTICATIONFAILED] Authentication failed.',
      '-ERR Authentication failure: unknown user name or bad password.',
      'HTTP 400 invalid_tenant: AADSTS90002: Tenant not found. (correlation ID 0b0e1f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b)',
    ]) {
      expect(scrub.answer(a)).toBe(a);
    }
  });

  it('cuts a long answer to an excerpt and says how much was left out', () => {
    const out = scrub.answer(`250 ${'word '.repeat(200)}`);
    expect(out).toMatch(/^250 word word .*… \(\d+ more characters not shown\)$/);
    expect(out.indexOf('…')).toBe(300);
  });
});

function cli(args: string[], env: NodeJS.ProcessEnv) {
  return runNodeAsync(join(ROOT, 'dist', 'verify.js'), args, { cwd: ROOT, env: { NODE_EXTRA_CA_CERTS: rig.pki.caFile, ...env } });
}
