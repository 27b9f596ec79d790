import { ExitCode } from '../lib/cli/exit-codes';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runNodeAsync } from '../test-support/cli';
import { flood, startHostile, startHostileTokenEndpoint, type Conn, type Hostile } from '../test-support/hostile-servers';
import { verifyAgainst } from '../test-support/verify-run';
import { outputsFor, startRig, type VerifyRig } from '../test-support/verify-setup';

/*
 * Servers that keep talking, drip or fall silent (issue 21): verify must end every check by the
 * phase's time limit (--timeout: the token request; all mail checks together) and bound every reply (lines, bytes, one line's
 * length), and still report the failing check with its cause, in text and in --json, exit 1.
 * The servers are loopback fakes the tests own (test-support/hostile-servers.ts). Nothing here
 * measures time: each test asserts the cause the run ended with. The flooding cases run with a
 * long time limit, so only the size bound can end them; the silent and dripping ones with 2 s
 * (the mail checks' own deadline starts after the token is issued, so a busy machine does not
 * turn a slow token request into a different cause).
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

type Protocol = 'imap' | 'pop' | 'smtp';
const say = (s: Conn, l: string) => s.write(`${l}\r\n`);
const IMAP_CAPS = '* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR';

async function hostile(_protocol: Protocol, o: Parameters<typeof startHostile>[1]): Promise<Hostile> {
  const h = await startHostile(rig.pki, o);
  servers.push(h);
  return h;
}

async function run(protocol: Protocol, server: Hostile, timeoutMs: number) {
  const outputs = outputsFor(rig, rig.world.apps.appOnly, {
    mailboxAccess: 'rbac',
    protocols: [protocol],
    servers: { [protocol]: { host: server.host, port: server.port } },
  });
  return verifyAgainst(rig, outputs, {}, {}, { timeoutMs });
}

const LONG = 30_000;
const SHORT = 2_000;

describe('IMAP servers that keep talking', () => {
  it('endless untagged lines after CAPABILITY: "reply too long", the first line as evidence', async () => {
    const s = await hostile('imap', {
      tls: true,
      greet: (c) => say(c, '* OK ready'),
      answer: (c, l) => {
        if (/^a0 CAPABILITY/i.test(l)) flood(c, (n) => `* CAPABILITY IMAP4rev1 X-NOISE-${n}\r\n`);
      },
    });
    const r = await run('imap', s, LONG);
    const c = r.check('imap-auth');
    expect(c).toMatchObject({ status: 'fail', causeId: 'reply-too-long', serverAnswer: '* CAPABILITY IMAP4rev1 X-NOISE-0' });
    expect(c.detail).toContain('sent a reply of more than 100 lines');
    expect(c.fix).toContain('itsm_email_settings.imap_server');
    expect(r.check('imap-inbox').status).toBe('skip');
    expect(r.report.ok).toBe(false);
  });

  it('endless untagged lines after AUTHENTICATE (never a tagged answer)', async () => {
    const s = await hostile('imap', {
      tls: true,
      greet: (c) => say(c, '* OK ready'),
      answer: (c, l) => {
        const [tag, verb] = l.split(' ');
        if (/^CAPABILITY$/i.test(verb)) {
          say(c, IMAP_CAPS);
          say(c, `${tag} OK done`);
        } else if (/^AUTHENTICATE$/i.test(verb)) flood(c, () => '* OK still thinking\r\n');
      },
    });
    const r = await run('imap', s, LONG);
    expect(r.check('imap-auth')).toMatchObject({ status: 'fail', causeId: 'reply-too-long' });
  });

  it('one line that never ends: "a line longer than" the limit', async () => {
    const s = await hostile('imap', { tls: true, greet: (c) => flood(c, () => 'x'.repeat(1024)) });
    const r = await run('imap', s, LONG);
    const c = r.check('imap-auth');
    expect(c).toMatchObject({ status: 'fail', causeId: 'reply-too-long' });
    expect(c.detail).toContain('sent a line longer than 8192 bytes');
  });

  it('a slow drip of untagged lines: ends by the mail checks\' time limit ("no complete reply within the time limit"), not a firewall', async () => {
    const s = await hostile('imap', {
      tls: true,
      greet: (c) => say(c, '* OK ready'),
      answer: (c, l) => {
        if (/^a0 CAPABILITY/i.test(l)) flood(c, () => '* OK drip\r\n', 100);
      },
    });
    const r = await run('imap', s, SHORT);
    const c = r.check('imap-auth');
    expect(c).toMatchObject({ status: 'fail', causeId: 'reply-timeout' });
    expect(c.detail).toContain('no complete reply from 127.0.0.1');
    expect(c.detail).toContain('within the time limit (2 s)');
    expect(c.cause).toContain('the connection to 127.0.0.1:');
    expect(c.cause).toContain('was made');
    expect(c.fix).not.toMatch(/a firewall that drops/);
  });

  it('a slow drip of one byte at a time, never a line', async () => {
    const s = await hostile('imap', { tls: true, greet: (c) => flood(c, () => '*', 50) });
    const r = await run('imap', s, SHORT);
    expect(r.check('imap-auth')).toMatchObject({ status: 'fail', causeId: 'reply-timeout' });
    expect(r.check('imap-auth').detail).toContain('(it sent part of one)');
  });

  it('silence after the greeting is the server, not a firewall (the connection was made)', async () => {
    const s = await hostile('imap', { tls: true, greet: (c) => say(c, '* OK ready') });
    const r = await run('imap', s, SHORT);
    const c = r.check('imap-auth');
    expect(c).toMatchObject({ status: 'fail', causeId: 'reply-timeout' });
    expect(c.fix).toContain('no firewall blocks port');
    expect(c.fix).not.toMatch(/a firewall that drops/);
  });
});

describe('SMTP servers that keep talking', () => {
  it('an endless "220-" greeting', async () => {
    const s = await hostile('smtp', { tls: false, greet: (c) => flood(c, (n) => `220-welcome ${n}\r\n`) });
    const r = await run('smtp', s, LONG);
    expect(r.check('smtp-auth')).toMatchObject({ status: 'fail', causeId: 'reply-too-long', serverAnswer: '220-welcome 0' });
    expect(r.check('smtp-mail-from').status).toBe('skip');
  });

  it('an endless "250-" EHLO reply', async () => {
    const s = await hostile('smtp', {
      tls: false,
      greet: (c) => say(c, '220 ready'),
      answer: (c, l) => {
        if (/^EHLO/i.test(l)) flood(c, (n) => `250-EXTENSION${n}\r\n`);
      },
    });
    const r = await run('smtp', s, LONG);
    expect(r.check('smtp-auth')).toMatchObject({ status: 'fail', causeId: 'reply-too-long' });
  });

  it('silence after the greeting: a reply time-out, not a firewall', async () => {
    const s = await hostile('smtp', { tls: false, greet: (c) => say(c, '220 ready') });
    const r = await run('smtp', s, SHORT);
    const c = r.check('smtp-auth');
    expect(c).toMatchObject({ status: 'fail', causeId: 'reply-timeout' });
    expect(c.fix).not.toMatch(/a firewall that drops/);
  });
});

describe('POP servers that keep talking', () => {
  it('CAPA without its final "." and more lines forever', async () => {
    const s = await hostile('pop', {
      tls: true,
      greet: (c) => say(c, '+OK ready'),
      answer: (c, l) => {
        if (l === 'CAPA') {
          say(c, '+OK');
          flood(c, (n) => `X-CAPABILITY-${n}\r\n`);
        }
      },
    });
    const r = await run('pop', s, LONG);
    expect(r.check('pop-auth')).toMatchObject({ status: 'fail', causeId: 'reply-too-long' });
  });

  it('CAPA without its final "." and then silence', async () => {
    const s = await hostile('pop', {
      tls: true,
      greet: (c) => say(c, '+OK ready'),
      answer: (c, l) => {
        if (l === 'CAPA') for (const x of ['+OK', 'TOP', 'SASL XOAUTH2']) say(c, x);
      },
    });
    const r = await run('pop', s, SHORT);
    expect(r.check('pop-auth')).toMatchObject({ status: 'fail', causeId: 'reply-timeout' });
  });
});

describe('TLS', () => {
  it('a certificate issued for another name is named as such (host name mismatch), not "not trusted"', async () => {
    // The rig's certificate names localhost and 127.0.0.1; the server answers on 127.0.0.2.
    const s = await hostile('imap', { tls: true, host: '127.0.0.2', greet: (c) => say(c, '* OK ready') });
    const r = await run('imap', s, LONG);
    const c = r.check('imap-auth');
    expect(c).toMatchObject({ status: 'fail', causeId: 'tls-name-mismatch' });
    expect(c.cause).toContain('is issued for another name than 127.0.0.2');
    expect(c.cause).not.toContain('not trusted');
    expect(c.fix).toContain('outlook.office365.com');
    expect(s.received).toEqual([]);
  });
});

describe('token endpoints that keep talking or never answer', () => {
  async function tokenRun(mode: 'endless' | 'silent' | 'drip', timeoutMs: number) {
    const t = await startHostileTokenEndpoint(rig.pki, mode);
    servers.push(t);
    const outputs = outputsFor(rig, rig.world.apps.appOnly, {
      protocols: ['imap'],
      tokenEndpoint: `https://${t.metadataHost}/${rig.world.tenant}/oauth2/v2.0/token`,
    });
    return verifyAgainst(rig, outputs, {}, { ARM_METADATA_HOSTNAME: t.metadataHost }, { timeoutMs });
  }

  it('an endless body: refused past the limit, "reply too long"', async () => {
    const r = await tokenRun('endless', LONG);
    expect(r.check('cloud').status).toBe('pass');
    const c = r.check('token');
    expect(c).toMatchObject({ status: 'fail', causeId: 'reply-too-long' });
    expect(c.detail).toContain('the answer is longer than 1048576 bytes');
    expect(r.check('imap-auth').status).toBe('skip');
  });

  it('a server that accepts and never answers: a reply time-out (the connection was made)', async () => {
    const r = await tokenRun('silent', SHORT);
    const c = r.check('token');
    expect(c).toMatchObject({ status: 'fail', causeId: 'reply-timeout' });
    expect(c.detail).toContain('connected, but no complete answer within the time limit');
  });

  it('a body dripped a byte at a time: ends by the time limit', async () => {
    const r = await tokenRun('drip', SHORT);
    expect(r.check('token')).toMatchObject({ status: 'fail', causeId: 'reply-timeout' });
    expect(r.check('token').detail).toContain('(it sent part of one)');
  });
});

describe('the command line with --timeout and --json', () => {
  function cli(args: string[], env: NodeJS.ProcessEnv) {
    return runNodeAsync(join(ROOT, 'dist', 'verify.js'), args, { cwd: ROOT, env: { NODE_EXTRA_CA_CERTS: rig.pki.caFile, ...env } });
  }

  it('three servers that keep talking: one JSON document, each failing check with its cause, exit 1', async () => {
    const imap = await hostile('imap', {
      tls: true,
      greet: (c) => say(c, '* OK ready'),
      answer: (c, l) => /^a0 /.test(l) && flood(c, () => '* OK drip\r\n', 100),
    });
    const pop = await hostile('pop', { tls: true, greet: (c) => say(c, '+OK ready'), answer: (c, l) => l === 'CAPA' && flood(c, (n) => `+OK-${n}\r\n`) });
    const smtp = await hostile('smtp', { tls: false, greet: (c) => flood(c, (n) => `220-welcome ${n}\r\n`) });
    const dir = mkdtempSync(join(tmpdir(), 'itsm-verify-hostile-'));
    temps.push(dir);
    const file = join(dir, 'outputs.json');
    const servers = { imap: { host: imap.host, port: imap.port }, pop: { host: pop.host, port: pop.port }, smtp: { host: smtp.host, port: smtp.port } };
    writeFileSync(file, JSON.stringify(outputsFor(rig, rig.world.apps.appOnly, { mailboxAccess: 'rbac', servers })));
    const r = await cli(['--outputs', file, '--json', '--timeout', '2'], { ARM_METADATA_HOSTNAME: rig.entra.host });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(ExitCode.remote);
    const doc = JSON.parse(r.stdout) as { ok: boolean; checks: { id: string; status: string; causeId?: string }[] };
    expect(doc.ok).toBe(false);
    const by = Object.fromEntries(doc.checks.map((c) => [c.id, `${c.status} ${c.causeId ?? ''}`.trim()]));
    expect(by).toMatchObject({ token: 'pass', 'imap-auth': 'fail reply-timeout', 'pop-auth': 'fail reply-too-long', 'smtp-auth': 'fail reply-too-long' });
  });

  it('a token endpoint that never answers: the JSON still comes, exit 1', async () => {
    const t = await startHostileTokenEndpoint(rig.pki, 'silent');
    servers.push(t);
    const dir = mkdtempSync(join(tmpdir(), 'itsm-verify-hostile-'));
    temps.push(dir);
    const file = join(dir, 'outputs.json');
    writeFileSync(
      file,
      JSON.stringify(
        outputsFor(rig, rig.world.apps.appOnly, { protocols: ['imap'], tokenEndpoint: `https://${t.metadataHost}/${rig.world.tenant}/oauth2/v2.0/token` }),
      ),
    );
    const r = await cli(['--outputs', file, '--json', '--timeout', '2'], { ARM_METADATA_HOSTNAME: t.metadataHost });
    expect(r.status).toBe(ExitCode.remote);
    const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string; causeId?: string }[] };
    expect(doc.checks.find((c) => c.id === 'token')).toMatchObject({ status: 'fail', causeId: 'reply-timeout' });
  });
});
