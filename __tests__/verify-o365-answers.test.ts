import { startImapReplay, startPopReplay, startSmtpReplay, type Replay } from '../test-support/o365-replay';
import { verifyAgainst } from '../test-support/verify-run';
import { outputsFor, startRig, type VerifyRig } from '../test-support/verify-setup';
import { BOB, DOMAIN, delegatedClaims, FULL_SCP, ALICE, signJwt } from '../test-support/verify-world';

// Generous per test: a busy machine must not fail a run (no test here asserts time).
jest.setTimeout(60_000);

/*
 * Office 365's own answers, replayed line for line from published transcripts (sources in
 * docs/verify.md) by a scripted server: NOT a real server (no test can reach Exchange Online). It
 * checks that the client copes with Office 365's shapes, which differ from Dovecot's, and that each
 * answer gets its cause. The one real-protocol rule here is STARTTLS: against a server that offers
 * AUTH in plaintext, no token may leave the machine.
 */

let rig: VerifyRig;
const replays: Replay[] = [];
beforeAll(async () => {
  rig = await startRig({ peer: false });
}, 30_000);
afterAll(async () => {
  await Promise.all(replays.map((r) => r.close()));
  await rig?.stop();
});

async function against(protocol: 'imap' | 'pop' | 'smtp', replay: Replay, sendTestTo?: string) {
  replays.push(replay);
  const outputs = outputsFor(rig, rig.world.apps.appOnly, {
    mailboxAccess: 'rbac',
    protocols: [protocol],
    servers: { [protocol]: { host: '127.0.0.1', port: replay.port } },
  });
  return verifyAgainst(rig, outputs, sendTestTo ? { sendTestTo } : {});
}

describe('Office 365 answers (replayed)', () => {
  it('IMAP "NO AUTHENTICATE failed." (no error challenge first): Exchange refused the app', async () => {
    const replay = await startImapReplay(rig.pki, 'auth-failed');
    const r = await against('imap', replay);
    expect(r.check('imap-auth')).toMatchObject({ status: 'fail', causeId: 'exchange-refused-app', serverAnswer: 'a1 NO AUTHENTICATE failed.' });
    // SASL-IR: the blob went with the command, once.
    expect(replay.received.filter((l) => l.includes('<blob>'))).toEqual(['a1 AUTHENTICATE XOAUTH2 <blob>']);
  });

  it('IMAP "BAD User is authenticated but not connected." after a good AUTHENTICATE: the mailbox is not reachable', async () => {
    const replay = await startImapReplay(rig.pki, 'not-connected');
    const r = await against('imap', replay);
    expect(r.check('imap-auth')).toMatchObject({ status: 'pass', serverAnswer: 'a1 OK AUTHENTICATE completed.' });
    expect(r.check('imap-inbox')).toMatchObject({
      status: 'fail',
      causeId: 'mailbox-not-accessible',
      serverAnswer: 'a2 BAD User is authenticated but not connected.',
    });
    expect(r.check('imap-inbox').cause).toContain("the app registration's object ID instead of the service principal's");
  });

  it('POP "-ERR Authentication failure: unknown user name or bad password." after "+ ": Exchange refused the app', async () => {
    const replay = await startPopReplay(rig.pki, 'auth-failed');
    const r = await against('pop', replay);
    expect(r.check('pop-auth')).toMatchObject({
      status: 'fail',
      causeId: 'exchange-refused-app',
      serverAnswer: '-ERR Authentication failure: unknown user name or bad password.',
    });
    expect(replay.received).toEqual(['CAPA', 'AUTH XOAUTH2', '<blob>']);
  });

  it('SMTP "535 5.7.139 ... disabled for the Tenant": SMTP AUTH off organisation-wide, fixed per mailbox', async () => {
    const r = await against('smtp', await startSmtpReplay(rig.pki, 'smtp-auth-disabled-tenant'));
    const c = r.check('smtp-auth');
    expect(c).toMatchObject({ status: 'fail', causeId: 'smtp-auth-disabled-tenant' });
    expect(c.serverAnswer).toMatch(
      /^535 5\.7\.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant\. Visit https:\/\/aka\.ms\/smtp_auth_disabled/,
    );
    expect(c.fix).toContain(`Set-CASMailbox -Identity '${ALICE}' -SmtpClientAuthenticationDisabled $false`);
    expect(c.fix).toContain('Set-TransportConfig -SmtpClientAuthenticationDisabled $false');
  });

  it('SMTP "535 5.7.139 ... disabled for the Mailbox"', async () => {
    const r = await against('smtp', await startSmtpReplay(rig.pki, 'smtp-auth-disabled-mailbox'));
    expect(r.check('smtp-auth')).toMatchObject({ status: 'fail', causeId: 'smtp-auth-disabled-mailbox' });
    expect(r.check('smtp-auth').fix).not.toContain('Set-TransportConfig');
  });

  it('SMTP "535 5.7.3 Authentication unsuccessful": with good claims, Exchange refused the app (RBAC assignment, New-ServicePrincipal)', async () => {
    const replay = await startSmtpReplay(rig.pki, 'auth-unsuccessful');
    const r = await against('smtp', replay);
    expect(r.check('smtp-auth')).toMatchObject({ status: 'fail', causeId: 'exchange-refused-app' });
    expect(r.check('smtp-auth').serverAnswer).toMatch(/^535 5\.7\.3 Authentication unsuccessful \[/);
    expect(r.check('smtp-auth').fix).toContain('New-ManagementRoleAssignment');
    // Two-step AUTH, after STARTTLS: the blob never went in plaintext, nor on the AUTH line.
    expect(replay.received).toEqual(expect.arrayContaining(['STARTTLS', 'AUTH XOAUTH2', '<blob>']));
    expect(replay.plaintextBlob).toBe(false);
  });

  it('SMTP "501 5.5.124 ... User address provided is not valid"', async () => {
    const r = await against('smtp', await startSmtpReplay(rig.pki, 'bad-user'));
    expect(r.check('smtp-auth')).toMatchObject({ status: 'fail', causeId: 'mailbox-address-invalid' });
  });

  it('SMTP "550 5.7.60 ... does not have permissions to send as this sender" at the end of DATA (only a test message shows it)', async () => {
    const r = await against('smtp', await startSmtpReplay(rig.pki, 'send-as-denied'), BOB);
    expect(r.check('smtp-auth').status).toBe('pass');
    expect(r.check('smtp-mail-from')).toMatchObject({ status: 'pass', serverAnswer: '250 2.1.0 Sender OK' });
    expect(r.check('smtp-send')).toMatchObject({ status: 'fail', causeId: 'send-as-denied' });
    expect(r.check('smtp-send').serverAnswer).toMatch(/^550 5\.7\.60 SMTP; Client does not have permissions to send as this sender/);
  });
});

describe('the other protocols as evidence', () => {
  it('IMAP "NO AUTHENTICATE failed." while POP and SMTP log in with the same token: IMAP is off for the mailbox, not a missing New-ServicePrincipal', async () => {
    const imap = await startImapReplay(rig.pki, 'auth-failed');
    const pop = await startPopReplay(rig.pki, 'ok');
    const smtp = await startSmtpReplay(rig.pki, 'send-as-denied');
    replays.push(imap, pop, smtp);
    const servers = { imap: { host: '127.0.0.1', port: imap.port }, pop: { host: '127.0.0.1', port: pop.port }, smtp: { host: '127.0.0.1', port: smtp.port } };
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, { mailboxAccess: 'rbac', servers }));
    expect(r.check('pop-auth').status).toBe('pass');
    expect(r.check('smtp-auth').status).toBe('pass');
    const c = r.check('imap-auth');
    expect(c).toMatchObject({ status: 'fail', causeId: 'exchange-refused-app', serverAnswer: 'a1 NO AUTHENTICATE failed.' });
    expect(c.fix).not.toContain('New-ServicePrincipal');
    expect(c.fix).toMatch(
      /^check first \(read-only, in Exchange Online PowerShell\): Get-CASMailbox -Identity 'alice@example\.test' \| fl ImapEnabled,PopEnabled,SmtpClientAuthenticationDisabled\./,
    );
    expect(c.fix).toContain("Set-CASMailbox -Identity 'alice@example.test' -ImapEnabled $true");
  });
});

describe('STARTTLS', () => {
  it('a server that offers AUTH XOAUTH2 but no STARTTLS gets no token: the client refuses before AUTH', async () => {
    const replay = await startSmtpReplay(rig.pki, 'no-starttls');
    const r = await against('smtp', replay);
    const c = r.check('smtp-auth');
    expect(c).toMatchObject({ status: 'fail', causeId: 'starttls-missing' });
    expect(c.detail).toContain('does not offer STARTTLS; no token was sent over the unencrypted connection');
    expect(c.serverAnswer).toContain('250-AUTH LOGIN XOAUTH2');
    expect(replay.received.some((l) => /^AUTH/i.test(l) || l === '<blob>')).toBe(false);
    expect(replay.plaintextBlob).toBe(false);
    expect(r.check('smtp-mail-from')).toMatchObject({ status: 'skip' });
  });
});

describe('a delegated token against the replay', () => {
  it('IMAP "NO AUTHENTICATE failed." for a user token names the mailbox-side causes', async () => {
    const replay = await startImapReplay(rig.pki, 'auth-failed');
    replays.push(replay);
    const t = signJwt(delegatedClaims(rig.world.apps.delegated, ALICE, FULL_SCP), rig.pki);
    const r = await verifyAgainst(
      rig,
      outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated', protocols: ['imap'], servers: { imap: { host: '127.0.0.1', port: replay.port } } }),
      { accessToken: t },
    );
    expect(r.check('imap-auth')).toMatchObject({ status: 'fail', causeId: 'exchange-refused-user', serverAnswer: 'a1 NO AUTHENTICATE failed.' });
    expect(r.check('imap-auth').fix).toContain(`Set-CASMailbox -Identity 'alice@${DOMAIN}' -ImapEnabled $true`);
  });
});

describe('POP mechanisms', () => {
  it('a server that takes no XOAUTH2: its refusal, named as such (CAPA only explains it)', async () => {
    const { createServer } = await import('node:tls');
    const received: string[] = [];
    const server = createServer({ cert: rig.pki.serverCert, key: rig.pki.serverKey }, (s) => {
      s.write('+OK POP3 ready\r\n');
      s.on('data', (d: Buffer) => {
        for (const l of d.toString().split('\r\n').filter(Boolean)) {
          received.push(l);
          if (l === 'CAPA') s.write('+OK\r\nSASL PLAIN\r\nUSER\r\n.\r\n');
          else if (l === 'AUTH XOAUTH2') s.write('-ERR Unrecognized authentication type\r\n');
          else if (l === 'QUIT') s.end('+OK\r\n');
          else s.write('-ERR\r\n');
        }
      });
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const outputs = outputsFor(rig, rig.world.apps.appOnly, { protocols: ['pop'], servers: { pop: { host: '127.0.0.1', port } } });
      const r = await verifyAgainst(rig, outputs);
      expect(r.check('pop-auth')).toMatchObject({
        status: 'fail',
        causeId: 'xoauth2-not-offered',
        serverAnswer: '-ERR Unrecognized authentication type (CAPA: SASL PLAIN)',
      });
      expect(received).toEqual(['CAPA', 'AUTH XOAUTH2']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
