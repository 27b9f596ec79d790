import { describeWithPeers } from '../test-support/mail-peer';
import { verifyAgainst } from '../test-support/verify-run';
import { outputsFor, startRig, type VerifyRig } from '../test-support/verify-setup';
import { nodeHttpClient } from '../lib/verify/http';
import { runVerify } from '../lib/verify/run';
import { targetFromOutputs } from '../lib/verify/target-from-outputs';
import { ALICE, BOB, CAROL, DAVE, EXO_DELEGATED, FULL_SCP, GRAPH, OTHER_TENANT, appOnlyClaims, delegatedClaims, signJwt } from '../test-support/verify-world';

// Generous per test: a busy machine must not fail a run (no test here asserts time).
jest.setTimeout(60_000);

/*
 * verify against a real mail server: Dovecot (IMAPS, POP3S, submission with STARTTLS) validating
 * the JWTs the test token endpoint signs, with a Lua policy that checks what Exchange Online checks.
 * Each failure class asserts Dovecot's real answer and the cause verify names.
 */

const DOVECOT_REFUSED = {
  imap: 'a1 NO [AUTHENTICATIONFAILED] Authentication failed.',
  pop: '-ERR [AUTH] Authentication failed.',
  smtp: '535 5.7.8 Authentication failed.',
};
/** Dovecot sends this XOAUTH2 error challenge (RFC 7628) before it refuses a token; verify answers it. */
const DOVECOT_CHALLENGE = '(error challenge {"status":"401","schemes":"bearer","scope":"mail"})';

describeWithPeers('verify against Dovecot on loopback', () => {
  let rig: VerifyRig;
  beforeAll(async () => {
    rig = await startRig({ peer: true });
  }, 30_000);
  afterAll(async () => {
    await rig?.stop();
  }, 30_000);

  const token = (claims: Record<string, unknown>, key?: string) => signJwt(claims, rig.pki, key);

  describe('app-only', () => {
    it('passes every check with the setup the runbook describes (SMTP by Exchange RBAC, no SMTP.SendAsApp role)', async () => {
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, { mailboxAccess: 'rbac' }), { sendTestTo: BOB });
      expect(r.report.checks.map((c) => `${c.status} ${c.id}`)).toEqual([
        'pass cloud',
        'pass token',
        'pass claims',
        'pass imap-auth',
        'pass imap-inbox',
        'pass pop-auth',
        'pass pop-mailbox',
        'pass smtp-auth',
        'pass smtp-mail-from',
        'pass smtp-send',
      ]);
      expect(r.report.ok).toBe(true);
      expect(r.check('claims').detail).toMatch(/^aud https:\/\/outlook\.office365\.com, roles \[IMAP\.AccessAsApp, POP\.AccessAsApp\], tid /);
      expect(r.check('imap-auth').serverAnswer).toBe('a1 OK Logged in');
      expect(r.check('imap-inbox').serverAnswer).toMatch(/^a2 OK \[READ-ONLY\] Examine completed/);
      expect(r.check('pop-auth').serverAnswer).toBe('+OK Logged in.');
      expect(r.check('pop-mailbox').serverAnswer).toBe('+OK 0 0');
      expect(r.check('smtp-auth').serverAnswer).toBe('235 2.7.0 Logged in.');
      expect(r.check('smtp-mail-from').serverAnswer).toBe('250 2.1.0 Ok');
      expect(r.check('smtp-send').serverAnswer).toBe('250 2.0.0 Ok: queued as SINK1');
      // The test message went through submission to the relay behind it.
      const sent = rig.peer!.delivered.find((m) => m.data.includes(r.check('smtp-send').detail.match(/Message-ID <([^>]+)>/)![1]));
      expect(sent).toMatchObject({ from: ALICE, to: [BOB] });
      expect(sent!.data).toContain('Subject: ITSM mail verify: test message');
    });

    it('without --send-test-to stops after MAIL FROM and says the send check was skipped', async () => {
      const before = rig.peer!.delivered.length;
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, { mailboxAccess: 'rbac', protocols: ['smtp'] }));
      expect(r.report.ok).toBe(true);
      expect(r.check('smtp-send')).toEqual({ id: 'smtp-send', status: 'skip', detail: 'no test message asked for (--send-test-to ADDRESS)' });
      expect(rig.peer!.delivered.length).toBe(before);
    });

    it('service principal not registered in Exchange Online (no New-ServicePrincipal): refused on every protocol', async () => {
      const a = rig.world.apps.unregistered;
      const r = await verifyAgainst(rig, outputsFor(rig, a, { mailboxAccess: 'rbac' }));
      expect(r.check('claims').status).toBe('pass');
      for (const [id, answer] of [
        ['imap-auth', DOVECOT_REFUSED.imap],
        ['pop-auth', DOVECOT_REFUSED.pop],
        ['smtp-auth', DOVECOT_REFUSED.smtp],
      ] as const) {
        const c = r.check(id);
        expect({ id, status: c.status, causeId: c.causeId, answer: c.serverAnswer }).toEqual({
          id,
          status: 'fail',
          causeId: 'exchange-refused-app',
          answer: `${answer} ${DOVECOT_CHALLENGE}`,
        });
        expect(c.fix).toContain(`New-ServicePrincipal -AppId ${a.clientId} -ObjectId ${a.spObjectId}`);
      }
      expect(r.check('imap-inbox')).toMatchObject({ status: 'skip', detail: 'not run: not logged in' });
      expect(r.check('smtp-auth').fix).toContain('-Role "Application SMTP.SendAsApp"');
      expect(r.report.ok).toBe(false);
    });

    it('no mailbox permission (no Add-MailboxPermission for this mailbox): refused, and the fix names the mailbox', async () => {
      const a = rig.world.apps.appOnly;
      const r = await verifyAgainst(rig, outputsFor(rig, a, { mailbox: BOB, protocols: ['imap', 'pop'] }));
      for (const [id, answer] of [
        ['imap-auth', DOVECOT_REFUSED.imap],
        ['pop-auth', DOVECOT_REFUSED.pop],
      ] as const) {
        expect(r.check(id)).toMatchObject({ status: 'fail', causeId: 'exchange-refused-app', serverAnswer: `${answer} ${DOVECOT_CHALLENGE}` });
      }
      expect(r.check('imap-auth').fix).toContain(`Add-MailboxPermission -Identity '${BOB}' -User ${a.spObjectId} -AccessRights FullAccess`);
    });

    it('IMAP refused while POP and SMTP log in with the same token: the service principal is evidently registered, so no New-ServicePrincipal; read-only checks first', async () => {
      const a = rig.world.apps.appOnly;
      // dave@: granted like alice@, but IMAP is turned off for the mailbox (Set-CASMailbox -ImapEnabled $false).
      const r = await verifyAgainst(rig, outputsFor(rig, a, { mailbox: DAVE, mailboxAccess: 'rbac' }));
      expect(r.check('pop-auth').status).toBe('pass');
      expect(r.check('smtp-auth').status).toBe('pass');
      const c = r.check('imap-auth');
      expect(c).toMatchObject({ status: 'fail', causeId: 'exchange-refused-app', serverAnswer: `${DOVECOT_REFUSED.imap} ${DOVECOT_CHALLENGE}` });
      expect(c.cause).toContain(
        'POP and SMTP logged in with the same token, so the service principal is registered in Exchange Online and has access to the mailbox',
      );
      expect(c.cause).toMatch(/: IMAP is disabled for the mailbox$/);
      expect(c.fix).not.toContain('New-ServicePrincipal');
      expect(c.fix).not.toContain('Add-MailboxPermission');
      expect(c.fix).toMatch(
        new RegExp(
          `^check first \\(read-only, in Exchange Online PowerShell\\): Get-CASMailbox -Identity '${DAVE}' \\| fl ImapEnabled,PopEnabled,SmtpClientAuthenticationDisabled\\. Then change only what they show missing: Set-CASMailbox -Identity '${DAVE}' -ImapEnabled \\$true\\.`,
        ),
      );
    });

    it('nothing logged in: every Exchange-side cause stays open, and the read-only checks come before the changes', async () => {
      const a = rig.world.apps.unregistered;
      const r = await verifyAgainst(rig, outputsFor(rig, a, { mailboxAccess: 'rbac', protocols: ['imap'] }));
      const fix = r.check('imap-auth').fix!;
      const order = ['Get-CASMailbox', 'Get-ServicePrincipal', 'Get-MailboxPermission', 'New-ServicePrincipal', 'Add-MailboxPermission', 'Set-CASMailbox'].map(
        (w) => fix.indexOf(w),
      );
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((x, y) => x - y)).toEqual(order);
    });

    it('no admin consent: the token has no roles, the claims check says so, and IMAP/POP are refused for that reason', async () => {
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.noConsent, { mailboxAccess: 'rbac' }));
      expect(r.check('token').status).toBe('pass');
      expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'admin-consent-missing' });
      expect(r.check('claims').detail).toContain('roles []');
      expect(r.check('claims').fix).toContain('application.adminConsent: true');
      expect(r.check('imap-auth')).toMatchObject({
        status: 'fail',
        causeId: 'admin-consent-missing',
        serverAnswer: `${DOVECOT_REFUSED.imap} ${DOVECOT_CHALLENGE}`,
      });
      expect(r.check('pop-auth')).toMatchObject({ status: 'fail', causeId: 'admin-consent-missing' });
      // SMTP needs no role here: the Exchange RBAC assignment grants it.
      expect(r.check('smtp-auth').status).toBe('pass');
    });

    it('a missing role for one protocol fails that protocol only', async () => {
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.imapOnly, { protocols: ['imap', 'pop'] }));
      expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'permission-missing', cause: "the token's roles lack POP.AccessAsApp" });
      expect(r.check('imap-auth').status).toBe('pass');
      expect(r.check('imap-inbox').status).toBe('pass');
      expect(r.check('pop-auth')).toMatchObject({ status: 'fail', causeId: 'permission-missing', serverAnswer: `${DOVECOT_REFUSED.pop} ${DOVECOT_CHALLENGE}` });
      expect(r.check('pop-auth').fix).toContain('application.mail.protocols must list pop');
    });

    it('SMTP granted by the Entra ID role (mailboxAccess: fullAccess) but SMTP.SendAsApp not consented: the claims say so', async () => {
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.imapOnly, { mailboxAccess: 'fullAccess', protocols: ['imap', 'smtp'] }));
      expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'permission-missing', cause: "the token's roles lack SMTP.SendAsApp" });
      expect(r.check('smtp-auth')).toMatchObject({
        status: 'fail',
        causeId: 'permission-missing',
        serverAnswer: `${DOVECOT_REFUSED.smtp} ${DOVECOT_CHALLENGE}`,
      });
      expect(r.check('imap-auth').status).toBe('pass');
    });

    it('wrong audience (a Microsoft Graph scope): named from the claims, and the servers refuse the token', async () => {
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, { scope: `${GRAPH}/.default`, mailboxAccess: 'rbac' }));
      expect(r.check('token').detail).toBe(`client credentials token issued for ${GRAPH}/.default (valid 3599 s)`);
      expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'wrong-audience' });
      expect(r.check('claims').detail).toMatch(/^aud https:\/\/graph\.microsoft\.com,/);
      for (const [id, answer] of [
        ['imap-auth', DOVECOT_REFUSED.imap],
        ['pop-auth', DOVECOT_REFUSED.pop],
        ['smtp-auth', DOVECOT_REFUSED.smtp],
      ] as const) {
        expect(r.check(id)).toMatchObject({ status: 'fail', causeId: 'wrong-audience', serverAnswer: `${answer} ${DOVECOT_CHALLENGE}` });
      }
      expect(r.check('imap-auth').fix).toContain('https://outlook.office365.com/.default');
    });

    it('no mailbox (logged in, but the inbox cannot be opened): IMAP EXAMINE and POP STAT fail with the server answer', async () => {
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, { mailbox: CAROL, protocols: ['imap', 'pop'] }));
      expect(r.check('imap-auth').status).toBe('pass');
      expect(r.check('imap-inbox')).toMatchObject({ status: 'fail', causeId: 'mailbox-not-accessible' });
      expect(r.check('imap-inbox').serverAnswer).toMatch(/^a2 NO \[SERVERBUG\] Internal error occurred\. Refer to server log for more information\./);
      expect(r.check('pop-auth').status).toBe('pass');
      expect(r.check('pop-mailbox')).toMatchObject({ status: 'fail', causeId: 'mailbox-not-accessible' });
      expect(r.check('pop-mailbox').serverAnswer).toMatch(/^-ERR \[SYS\/TEMP\] Internal error occurred\./);
      expect(r.check('imap-inbox').fix).toContain('Get-ServicePrincipal');
    });

    it('relay behind submission down: MAIL FROM answers 421, named as a temporary server failure', async () => {
      await rig.peer!.relayDown();
      try {
        const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, { mailboxAccess: 'rbac', protocols: ['smtp'] }));
        expect(r.check('smtp-auth').status).toBe('pass');
        expect(r.check('smtp-mail-from')).toMatchObject({
          status: 'fail',
          causeId: 'server-temporary',
          serverAnswer: '421 4.4.0 localhost Failed to connect to relay server (connect)',
        });
      } finally {
        await rig.peer!.relayUp();
      }
    });

    it('test recipient refused: the relay answer comes back through submission', async () => {
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, { mailboxAccess: 'rbac', protocols: ['smtp'] }), {
        sendTestTo: 'reject-me@example.test',
      });
      expect(r.check('smtp-send')).toMatchObject({
        status: 'fail',
        causeId: 'recipient-rejected',
        serverAnswer: '550 5.1.1 <reject-me@example.test> Recipient address rejected (sink)',
      });
    });

    it('an untrusted certificate stops the connection before anything is sent', async () => {
      const outputs = outputsFor(rig, rig.world.apps.appOnly, { mailboxAccess: 'rbac', protocols: ['imap'] });
      // The token comes from the trusted test endpoint; only the mail connection lacks the CA.
      const target = targetFromOutputs(outputs, { ARM_METADATA_HOSTNAME: rig.entra.host });
      const report = await runVerify(target, {}, { http: nodeHttpClient({ ca: rig.pki.caCert }), timeoutMs: 5000, now: Date.now });
      const c = report.checks.find((x) => x.id === 'imap-auth')!;
      expect(c).toMatchObject({ status: 'fail', causeId: 'tls-untrusted' });
      expect(c.fix).toContain('NODE_EXTRA_CA_CERTS');
    });

    it('nothing listening: connection refused', async () => {
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, { protocols: ['pop'], servers: { pop: { host: '127.0.0.1', port: 9 } } }));
      expect(r.check('pop-auth')).toMatchObject({ status: 'fail', causeId: 'connect-failed' });
      expect(r.check('pop-auth').detail).toContain('ECONNREFUSED');
    });
  });

  describe('delegated', () => {
    it('without a user token: the secret is proven, the mail checks are skipped, and the run is NOT verified (no mailbox was tested: a failure)', async () => {
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }));
      expect(r.report.checks.map((c) => `${c.status} ${c.id}`)).toEqual([
        'pass cloud',
        'pass token',
        'fail claims',
        'skip imap-auth',
        'skip imap-inbox',
        'skip pop-auth',
        'skip pop-mailbox',
        'skip smtp-auth',
        'skip smtp-mail-from',
        'skip smtp-send',
      ]);
      expect(r.report.ok).toBe(false);
      expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'not-verified' });
      expect(r.check('claims').fix).toContain('--access-token-file FILE');
      expect(r.check('claims').fix).toContain('app-only');
      expect(r.check('token').detail).toContain('client ID and secret accepted');
      expect(r.check('imap-auth').detail).toContain('sign in in the ITSM tool');
      // The probe asked for Exchange Online's .default scope, by client credentials, nothing else.
      const last = rig.entra.requests.filter((q) => q.method === 'POST').at(-1)!;
      expect(last.form).toEqual({
        grant_type: 'client_credentials',
        client_id: rig.world.apps.delegated.clientId,
        client_secret: '<present>',
        scope: 'https://outlook.office.com/.default',
      });
    });

    it("with a user's token (--access-token-file) passes the claims and every protocol, a real-size token included", async () => {
      const t = token(delegatedClaims(rig.world.apps.delegated, ALICE, FULL_SCP, { name: 'Alice Example'.padEnd(600, '.') }));
      // Longer than the ~1 KB one-line SMTP AUTH that Dovecot (and nodemailer's form) cannot take.
      expect(Buffer.from(`user=${ALICE}\x01auth=Bearer ${t}\x01\x01`).toString('base64').length).toBeGreaterThan(1100);
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }), { accessToken: t, sendTestTo: BOB });
      expect(r.report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
      expect(r.check('claims').detail).toMatch(
        /^aud https:\/\/outlook\.office\.com, scp "IMAP\.AccessAsUser\.All POP\.AccessAsUser\.All SMTP\.Send", user alice@example\.test, /,
      );
    });

    it("wrong user (the token is not the mailbox's): refused, and the cause names both", async () => {
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }), {
        accessToken: token(delegatedClaims(rig.world.apps.delegated, BOB, FULL_SCP)),
      });
      expect(r.check('claims').status).toBe('pass');
      expect(r.check('claims').detail).toContain(`note: the token is ${BOB}'s, the mailbox is ${ALICE}`);
      for (const [id, answer] of [
        ['imap-auth', DOVECOT_REFUSED.imap],
        ['pop-auth', DOVECOT_REFUSED.pop],
        ['smtp-auth', DOVECOT_REFUSED.smtp],
      ] as const) {
        expect(r.check(id)).toMatchObject({ status: 'fail', causeId: 'wrong-user', serverAnswer: `${answer} ${DOVECOT_CHALLENGE}` });
      }
      expect(r.check('imap-auth').fix).toContain(`sign in in the ITSM tool as ${ALICE}`);
    });

    it('expired token: named from the claims, and every server refuses it', async () => {
      const t = token(delegatedClaims(rig.world.apps.delegated, ALICE, FULL_SCP, { iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_003_600 }));
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }), { accessToken: t });
      expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'token-expired', cause: 'the token expired at 2023-11-14T23:13:20Z' });
      for (const [id, answer] of [
        ['imap-auth', DOVECOT_REFUSED.imap],
        ['pop-auth', DOVECOT_REFUSED.pop],
        ['smtp-auth', DOVECOT_REFUSED.smtp],
      ] as const) {
        expect(r.check(id)).toMatchObject({ status: 'fail', causeId: 'token-expired', serverAnswer: `${answer} ${DOVECOT_CHALLENGE}` });
      }
    });

    it('missing scope for one protocol: that protocol is refused, the others pass', async () => {
      const t = token(delegatedClaims(rig.world.apps.delegated, ALICE, 'IMAP.AccessAsUser.All SMTP.Send'));
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }), { accessToken: t });
      expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'permission-missing', cause: "the token's scp lacks POP.AccessAsUser.All" });
      expect(r.check('pop-auth')).toMatchObject({ status: 'fail', causeId: 'permission-missing', serverAnswer: `${DOVECOT_REFUSED.pop} ${DOVECOT_CHALLENGE}` });
      expect(r.check('imap-auth').status).toBe('pass');
      expect(r.check('smtp-auth').status).toBe('pass');
    });

    it('wrong audience (a Microsoft Graph token): refused on every protocol', async () => {
      const t = token(delegatedClaims(rig.world.apps.delegated, ALICE, 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send User.Read', { aud: GRAPH }));
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }), { accessToken: t });
      expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'wrong-audience' });
      for (const id of ['imap-auth', 'pop-auth', 'smtp-auth'] as const) expect(r.check(id)).toMatchObject({ status: 'fail', causeId: 'wrong-audience' });
    });

    it('a token of another tenant: named from the claims; the servers refuse its issuer', async () => {
      const t = token(delegatedClaims(rig.world.apps.delegated, ALICE, FULL_SCP, { tid: OTHER_TENANT, iss: `https://sts.windows.net/${OTHER_TENANT}/` }));
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated', protocols: ['imap'] }), { accessToken: t });
      expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'wrong-tenant' });
      expect(r.check('imap-auth')).toMatchObject({ status: 'fail', causeId: 'wrong-tenant', serverAnswer: `${DOVECOT_REFUSED.imap} ${DOVECOT_CHALLENGE}` });
    });

    it('a token with no user (an app-only token passed for the delegated flow)', async () => {
      const t = token(appOnlyClaims(rig.world.apps.delegated, EXO_DELEGATED));
      const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated', protocols: ['imap'] }), { accessToken: t });
      expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'not-a-user-token' });
      expect(r.check('imap-auth')).toMatchObject({ status: 'fail', causeId: 'not-a-user-token' });
    });
  });
});
