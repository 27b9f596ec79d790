import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aadCause, KNOWN_AADSTS_CODES } from '../lib/verify/aadsts';
import { serverCause, type Step } from '../lib/verify/answers';
import { evaluateClaims } from '../lib/verify/claims';
import { cloudFromEnv, resolveCloud } from '../lib/verify/cloud';
import type { HttpClient } from '../lib/verify/http';
import { decodeJwtClaims, NotAJwtError } from '../lib/verify/jwt';
import { expectedPermissions, scopeResource } from '../lib/verify/permissions';
import { testMessage, xoauth2 } from '../lib/verify/protocols';
import { renderCheck, renderJson, summaryLine } from '../lib/verify/render';
import { makeScrubber } from '../lib/verify/scrub';
import { MailboxMissingError, OutputsError, smtpGrant, targetFromOutputs, type TerraformOutputs } from '../lib/verify/target-from-outputs';
import type { MailProtocol, VerifyTarget } from '../lib/verify/types';
import { fakeEntraSecret } from '../test-support/verify-world';

// Generous per test: a busy machine must not fail a run (no test here asserts time).
jest.setTimeout(60_000);

/* The pure parts of verify: no network. */

const TENANT = '7e570000-0000-4000-8000-00000000a001';
const CLIENT = 'c11e0000-0000-4000-8000-000000000001';
const SP = '5e000000-0000-4000-8000-000000000001';
const MAILBOX = 'helpdesk@contoso.example';

function settings(over: Record<string, string> = {}): Record<string, string> {
  return {
    tenant_id: TENANT,
    client_id: CLIENT,
    flow: 'app-only',
    token_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
    authorize_endpoint: '',
    scope: 'https://outlook.office365.com/.default',
    imap_server: 'outlook.office365.com',
    imap_port: '993',
    imap_security: 'SSL/TLS',
    pop_server: '',
    pop_port: '',
    pop_security: '',
    smtp_server: 'smtp.office365.com',
    smtp_port: '587',
    smtp_security: 'STARTTLS',
    redirect_uri: '',
    client_secret: 'sensitive output client_secret (terraform output -raw client_secret)',
    ...over,
  };
}

function outputs(s: Record<string, string> = settings(), extra: TerraformOutputs = {}): TerraformOutputs {
  return {
    tenant_id: { value: TENANT, sensitive: false },
    client_id: { value: CLIENT, sensitive: false },
    service_principal_object_id: { value: SP, sensitive: false },
    itsm_email_settings: { value: s, sensitive: false },
    ...extra,
  };
}

function target(over: Partial<VerifyTarget> = {}, s: Record<string, string> = settings()): VerifyTarget {
  return { ...targetFromOutputs(outputs(s), {}, { mailbox: MAILBOX }), ...over };
}

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const nowS = NOW / 1000;

function appClaims(over: Record<string, unknown> = {}) {
  return {
    aud: 'https://outlook.office365.com',
    tid: TENANT,
    appid: CLIENT,
    oid: SP,
    roles: ['IMAP.AccessAsApp'],
    exp: nowS + 3000,
    nbf: nowS - 300,
    iat: nowS - 300,
    ...over,
  };
}

describe('targetFromOutputs (the glue between the outputs and the checks)', () => {
  it('reads the ITSM settings: servers, ports, security, scope, IDs, the token endpoint', () => {
    const t = target();
    expect(t).toMatchObject({
      tenantId: TENANT,
      clientId: CLIENT,
      servicePrincipalObjectId: SP,
      flow: 'app-only',
      protocols: ['imap', 'smtp'],
      mailbox: MAILBOX,
      servers: { imap: { host: 'outlook.office365.com', port: 993, security: 'tls' }, smtp: { host: 'smtp.office365.com', port: 587, security: 'starttls' } },
      scope: 'https://outlook.office365.com/.default',
      advertisedTokenEndpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
      cloud: { kind: 'environment', name: 'global', fromEnv: false },
    });
    expect(t.clientSecret).toBeUndefined();
  });

  it('takes the mailbox from itsm_email_settings.mailbox; --mailbox wins; neither is a usage error', () => {
    expect(targetFromOutputs(outputs(settings({ mailbox: 'itsm@contoso.example' })), {}).mailbox).toBe('itsm@contoso.example');
    expect(targetFromOutputs(outputs(settings({ mailbox: 'itsm@contoso.example' })), {}, { mailbox: MAILBOX }).mailbox).toBe(MAILBOX);
    expect(() => targetFromOutputs(outputs(), {})).toThrow(MailboxMissingError);
    expect(() => targetFromOutputs(outputs(), {}, { mailbox: 'not an address' })).toThrow(MailboxMissingError);
  });

  it('takes the secret from ITSM_MAIL_CLIENT_SECRET before the sensitive output', () => {
    const secret = fakeEntraSecret();
    const env = fakeEntraSecret();
    const o = outputs(settings(), { client_secret: { value: secret, sensitive: true } });
    expect(targetFromOutputs(o, {}, { mailbox: MAILBOX }).clientSecret).toBe(secret);
    expect(targetFromOutputs(o, { ITSM_MAIL_CLIENT_SECRET: env }, { mailbox: MAILBOX }).clientSecret).toBe(env);
  });

  it('follows ARM_METADATA_HOSTNAME, then ARM_ENVIRONMENT, like the azuread provider', () => {
    expect(cloudFromEnv({ ARM_METADATA_HOSTNAME: 'meta.example:8443', ARM_ENVIRONMENT: 'usgovernment' })).toEqual({
      kind: 'metadata-host',
      host: 'meta.example:8443',
    });
    expect(cloudFromEnv({ ARM_ENVIRONMENT: 'usgovernment' })).toEqual({ kind: 'environment', name: 'usgovernment', fromEnv: true });
    expect(cloudFromEnv({})).toEqual({ kind: 'environment', name: 'global', fromEnv: false });
  });

  it('knows how app-only SMTP is granted: mailbox_access, else the runbook, else unknown', () => {
    expect(smtpGrant(settings({ mailbox_access: 'rbac' }), undefined)).toBe('exchange-rbac');
    expect(smtpGrant(settings({ mailbox_access: 'fullAccess' }), undefined)).toBe('entra-app-role');
    expect(smtpGrant(settings(), 'New-ManagementRoleAssignment -App x -Role "Application SMTP.SendAsApp" -CustomResourceScope y')).toBe('exchange-rbac');
    expect(smtpGrant(settings(), 'Add-MailboxPermission -Identity a -User x -AccessRights FullAccess')).toBe('entra-app-role');
    expect(smtpGrant(settings(), undefined)).toBe('unknown');
    expect(smtpGrant(settings({ flow: 'delegated' }), 'anything')).toBe('unknown');
  });

  it('refuses outputs it cannot use, saying what is missing', () => {
    expect(() => targetFromOutputs({}, {}, { mailbox: MAILBOX })).toThrow(
      new OutputsError('no itsm_email_settings output (outputs found: none): has this environment been applied?'),
    );
    expect(() => target({}, settings({ flow: 'device-code' }))).toThrow('itsm_email_settings.flow is "device-code", not delegated or app-only');
    expect(() => target({}, settings({ imap_port: 'abc' }))).toThrow('itsm_email_settings.imap_port is "abc", not a port number');
    expect(() => target({}, settings({ imap_security: 'STARTTLS' }))).toThrow('verify speaks SSL/TLS for imap');
    expect(() => target({}, settings({ imap_server: '', smtp_server: '' }))).toThrow('names no IMAP, POP or SMTP server');
  });
});

describe('expected permissions', () => {
  it('app-only: the Exchange Online roles per protocol; SMTP.SendAsApp only when the Entra ID role grants SMTP', () => {
    const p = ['imap', 'pop', 'smtp'] as MailProtocol[];
    const scope = 'https://outlook.office365.com/.default';
    expect(expectedPermissions('app-only', p, scope, 'exchange-rbac').byProtocol).toEqual({
      imap: { permission: 'IMAP.AccessAsApp', source: 'token' },
      pop: { permission: 'POP.AccessAsApp', source: 'token' },
      smtp: { permission: 'SMTP.SendAsApp', source: 'exchange-rbac' },
    });
    expect(expectedPermissions('app-only', p, scope, 'entra-app-role').byProtocol.smtp).toEqual({ permission: 'SMTP.SendAsApp', source: 'token' });
    expect(expectedPermissions('app-only', p, scope, 'unknown').byProtocol.smtp).toEqual({ permission: 'SMTP.SendAsApp', source: 'unknown' });
  });

  it('delegated: scp per protocol', () => {
    expect(expectedPermissions('delegated', ['imap', 'smtp'], 'x', 'unknown')).toMatchObject({
      claim: 'scp',
      byProtocol: { imap: { permission: 'IMAP.AccessAsUser.All', source: 'token' }, smtp: { permission: 'SMTP.Send', source: 'token' } },
    });
  });

  it("audiences are Exchange Online's: a Graph scope does not make a Graph token right; a sovereign Exchange host does count", () => {
    expect(expectedPermissions('app-only', ['imap'], 'https://graph.microsoft.com/.default', 'unknown').audiences).not.toContain('https://graph.microsoft.com');
    expect(expectedPermissions('app-only', ['imap'], 'https://outlook.office365.us/.default', 'unknown').audiences).toContain('https://outlook.office365.us');
    expect(scopeResource('offline_access https://outlook.office.com/IMAP.AccessAsUser.All')).toBe('https://outlook.office.com');
  });
});

describe('claims', () => {
  it('passes a token that matches, showing only the claims that matter', () => {
    const e = evaluateClaims(appClaims({ roles: ['IMAP.AccessAsApp', 'SMTP.SendAsApp'] }), target({ protocols: ['imap'] }), NOW);
    expect(e.findings).toEqual([]);
    expect(e.summary).toBe(
      `aud https://outlook.office365.com, roles [IMAP.AccessAsApp, SMTP.SendAsApp], tid ${TENANT}, appid ${CLIENT}, oid ${SP}, expires 2026-12-01T12:50:00Z`,
    );
  });

  const cases: [string, Record<string, unknown>, Partial<VerifyTarget>, string][] = [
    ['expired', { exp: nowS - 1 }, {}, 'token-expired'],
    ['no exp', { exp: undefined }, {}, 'token-expired'],
    ['valid only from the future (clock)', { nbf: nowS + 600 }, {}, 'clock-skew'],
    ['a Graph token', { aud: 'https://graph.microsoft.com' }, {}, 'wrong-audience'],
    ['another tenant', { tid: '00000000-0000-0000-0000-000000000000' }, {}, 'wrong-tenant'],
    ['another client', { appid: '00000000-0000-0000-0000-000000000000' }, {}, 'wrong-client'],
    ['a user token for app-only', { scp: 'IMAP.AccessAsUser.All', upn: MAILBOX }, {}, 'wrong-flow'],
    ['no roles', { roles: undefined }, {}, 'admin-consent-missing'],
    ['a role missing', { roles: ['POP.AccessAsApp'] }, {}, 'permission-missing'],
    ["another service principal than the outputs' (stale outputs)", { oid: '5e000000-0000-4000-8000-0000000000ff' }, {}, 'service-principal-mismatch'],
  ];
  it.each(cases)('%s', (_n, over, t, causeId) => {
    const e = evaluateClaims(appClaims(over), target(t), NOW);
    expect(e.findings.map((f) => f.causeId)).toContain(causeId);
  });

  it('SMTP.SendAsApp in the token while Exchange RBAC grants SMTP: the unscoped Entra ID role is a finding', () => {
    const t = target({}, settings({ mailbox_access: 'rbac' }));
    const e = evaluateClaims(appClaims({ roles: ['IMAP.AccessAsApp', 'SMTP.SendAsApp'] }), t, NOW);
    expect(e.findings.map((f) => f.causeId)).toEqual(['smtp-role-with-rbac']);
  });

  it('SMTP.SendAsApp absent and the grant unknown: a note, not a failure', () => {
    const e = evaluateClaims(appClaims(), target(), NOW);
    expect(e.findings).toEqual([]);
    expect(e.notes.join()).toContain('SMTP.SendAsApp is not in the token: fine if SMTP is granted by Exchange RBAC');
  });

  it('delegated: the user and scp; another user is a note (shared mailbox), no user is a finding', () => {
    const t = target(
      {},
      settings({ flow: 'delegated', scope: 'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access' }),
    );
    const base = { aud: 'https://outlook.office.com', tid: TENANT, appid: CLIENT, exp: nowS + 3000, scp: 'IMAP.AccessAsUser.All SMTP.Send', upn: MAILBOX };
    expect(evaluateClaims(base, t, NOW).findings).toEqual([]);
    const other = evaluateClaims({ ...base, upn: 'someone@contoso.example' }, t, NOW);
    expect(other.findings).toEqual([]);
    expect(other.otherUser).toBe('someone@contoso.example');
    expect(evaluateClaims({ ...base, upn: undefined }, t, NOW).findings.map((f) => f.causeId)).toEqual(['not-a-user-token']);
    const noSmtp = evaluateClaims({ ...base, scp: 'IMAP.AccessAsUser.All' }, t, NOW).findings;
    expect(noSmtp).toEqual([expect.objectContaining({ causeId: 'permission-missing', protocols: ['smtp'] })]);
  });
});

describe('AADSTS causes', () => {
  const aad = (code: number, status = 400) => ({ status, error: 'x', description: `AADSTS${code}: text`, codes: [code] });
  it("every known code has a cause and a fix in the project's words", () => {
    for (const code of KNOWN_AADSTS_CODES) {
      const c = aadCause(target(), 'https://login.microsoftonline.com', 'https://outlook.office365.com/.default', aad(code));
      expect({ code, cause: c.cause.length > 10, fix: c.fix.length > 10, named: c.causeId !== 'aad-error' }).toEqual({
        code,
        cause: true,
        fix: true,
        named: true,
      });
    }
  });

  it('maps the classes the issue names', () => {
    const id = (code: number) => aadCause(target(), 'https://l', 's', aad(code)).causeId;
    expect([7000215, 7000222, 90002, 65001, 53003, 500011, 70011, 1002012, 7000218, 700016].map(id)).toEqual([
      'secret-invalid',
      'secret-expired',
      'tenant-not-found',
      'consent-missing',
      'conditional-access',
      'resource-not-found',
      'scope-invalid',
      'scope-invalid',
      'secret-missing',
      'app-not-found',
    ]);
  });

  it('unknown codes and outages', () => {
    expect(aadCause(target(), 'l', 's', aad(1234567)).causeId).toBe('aad-error');
    expect(aadCause(target(), 'l', 's', { status: 503, codes: [] }).causeId).toBe('token-endpoint-unavailable');
  });
});

describe('server answers → causes (Office 365 wording from published transcripts; Dovecot wording as measured)', () => {
  const server = { host: 'outlook.office365.com', port: 993, security: 'tls' as const };
  const cause = (protocol: MailProtocol, step: Step, answer: string, t: VerifyTarget = target()) =>
    serverCause({ target: t, protocol, server, step, outcome: { ok: false, detail: '', answer }, timeLimit: '20 s' }).causeId;
  const delegated = target({}, settings({ flow: 'delegated', scope: 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access' }));
  const table: [MailProtocol, Step, string, string, 'app-only' | 'delegated'][] = [
    ['imap', 'auth', 'A00000001 NO AUTHENTICATE failed.', 'exchange-refused-app', 'app-only'],
    ['imap', 'auth', 'a1 NO [AUTHENTICATIONFAILED] Authentication failed.', 'exchange-refused-app', 'app-only'],
    ['imap', 'auth', 'A1 NO AUTHENTICATE failed.', 'exchange-refused-user', 'delegated'],
    ['imap', 'auth', 'a1 NO [UNAVAILABLE] Temporary authentication failure. [vm:2026-12-01 20:13:36]', 'server-temporary', 'app-only'],
    ['imap', 'auth', 'a1 BAD Invalid base64 data in initial response', 'protocol-error', 'app-only'],
    ['imap', 'mailbox', 'A00000003 BAD User is authenticated but not connected.', 'mailbox-not-accessible', 'app-only'],
    ['imap', 'mailbox', 'a2 NO [SERVERBUG] Internal error occurred. Refer to server log for more information.', 'mailbox-not-accessible', 'app-only'],
    ['pop', 'auth', '-ERR Authentication failure: unknown user name or bad password.', 'exchange-refused-app', 'app-only'],
    ['pop', 'auth', '-ERR [AUTH] Authentication failed.', 'exchange-refused-app', 'app-only'],
    ['pop', 'auth', '-ERR [SYS/TEMP] Temporary authentication failure. [vm:2026-12-01]', 'server-temporary', 'app-only'],
    ['pop', 'mailbox', '-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information.', 'mailbox-not-accessible', 'app-only'],
    ['smtp', 'auth', '535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]', 'exchange-refused-app', 'app-only'],
    [
      'smtp',
      'auth',
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
      'smtp-auth-disabled-tenant',
      'app-only',
    ],
    [
      'smtp',
      'auth',
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.',
      'smtp-auth-disabled-mailbox',
      'app-only',
    ],
    ['smtp', 'auth', '535 5.7.139 Authentication unsuccessful, basic authentication is disabled.', 'protocol-error', 'app-only'],
    ['smtp', 'auth', '501 5.5.124 Invalid XOAUTH2 auth data - User address provided is not valid.', 'mailbox-address-invalid', 'app-only'],
    ['smtp', 'auth', '535 5.7.8 Authentication failed.', 'exchange-refused-app', 'app-only'],
    ['smtp', 'auth', '454 4.7.0 Temporary authentication failure. [vm:2026-12-01]', 'server-temporary', 'app-only'],
    ['smtp', 'auth', '500 5.5.2 Line too long', 'protocol-error', 'app-only'],
    ['smtp', 'auth', '504 5.7.4 Unrecognized authentication type', 'xoauth2-not-offered', 'app-only'],
    ['smtp', 'mail-from', '421 4.4.0 localhost Failed to connect to relay server (connect)', 'server-temporary', 'app-only'],
    ['smtp', 'mail-from', '530 5.7.57 Client not authenticated to send mail.', 'not-authenticated', 'app-only'],
    ['smtp', 'send', '550 5.7.60 SMTP; Client does not have permissions to send as this sender', 'send-as-denied', 'app-only'],
    ['smtp', 'send', '554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied', 'send-as-denied', 'app-only'],
  ];
  it.each(table)('%s %s: %s', (protocol, step, answer, causeId, flow) => {
    expect(cause(protocol, step, answer, flow === 'delegated' ? delegated : target())).toBe(causeId);
  });
});

describe('fixes quote what the outputs say (PowerShell single quotes of every kind)', () => {
  const server = { host: 'outlook.office365.com', port: 993, security: 'tls' as const };
  it('a mailbox with a typographic quote cannot end the string in any command offered', () => {
    const t = target({ mailbox: 'o\u2019brien@contoso.example', servicePrincipalObjectId: "x'; Remove-Mailbox boss; '" });
    const c = serverCause({
      target: t,
      protocol: 'imap',
      server,
      step: 'auth',
      outcome: { ok: false, detail: '', answer: 'a1 NO AUTHENTICATE failed.' },
      timeLimit: '20 s',
    });
    expect(c.fix).toContain("Get-CASMailbox -Identity 'o\u2019\u2019brien@contoso.example' | fl ImapEnabled,PopEnabled,SmtpClientAuthenticationDisabled");
    expect(c.fix).toContain("Get-MailboxPermission -Identity 'o\u2019\u2019brien@contoso.example'");
    expect(c.fix).toContain("Get-ServicePrincipal -Identity 'x''; Remove-Mailbox boss; '''");
    expect(c.fix).toContain("Set-CASMailbox -Identity 'o\u2019\u2019brien@contoso.example' -ImapEnabled $true");
    expect(c.fix).not.toMatch(/-Identity x'/);
  });

  it('evidence from the other protocols narrows an app-only refusal', () => {
    const t = target({ servicePrincipalObjectId: '5e000000-0000-4000-8000-000000000001' });
    const refused = (protocol: MailProtocol, loggedIn: MailProtocol[]) =>
      serverCause({
        target: t,
        protocol,
        server,
        step: 'auth',
        outcome: { ok: false, detail: '', answer: 'x NO AUTHENTICATE failed.' },
        timeLimit: '20 s',
        evidence: { loggedIn },
      });
    expect(refused('imap', []).fix).toContain('New-ServicePrincipal');
    expect(refused('imap', ['smtp']).fix).not.toContain('New-ServicePrincipal');
    expect(refused('imap', ['smtp']).fix).toContain('Add-MailboxPermission');
    expect(refused('imap', ['pop']).fix).not.toContain('Add-MailboxPermission');
    expect(refused('pop', ['imap', 'smtp']).cause).toContain('IMAP and SMTP logged in with the same token');
    const delegatedTarget = target(
      {},
      settings({ flow: 'delegated', scope: 'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/POP.AccessAsUser.All offline_access' }),
    );
    const user = (loggedIn: MailProtocol[]) =>
      serverCause({
        target: delegatedTarget,
        protocol: 'imap',
        server,
        step: 'auth',
        outcome: { ok: false, detail: '', answer: 'x NO AUTHENTICATE failed.' },
        timeLimit: '20 s',
        evidence: { loggedIn },
      });
    expect(user([]).fix).toContain('licence');
    expect(user(['pop']).fix).not.toContain('licence');
    expect(user(['pop']).cause).toMatch(/: IMAP is disabled for the mailbox$/);
  });
});

describe('scrubbing', () => {
  it('removes the secret, the token and their encodings, and anything shaped like them', () => {
    const secret = fakeEntraSecret();
    const jwt = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from('{"aud":"x"}').toString('base64url')}.c2lnbmF0dXJlc2lnbmF0dXJl`;
    const scrub = makeScrubber([secret, jwt]);
    const blob = xoauth2(MAILBOX, jwt);
    const dirty = `a ${secret} b ${jwt} c ${blob} d ${Buffer.from(secret).toString('base64')} e ${encodeURIComponent(secret)} f ${fakeEntraSecret()} g eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0 h ${'QUJD'.repeat(30)}`;
    const clean = scrub(dirty);
    expect(clean).not.toContain(secret);
    expect(clean).not.toContain(jwt.split('.')[1]);
    expect(clean).not.toMatch(/eyJ/);
    expect(clean).not.toMatch(/Q~/);
    expect(clean).toMatch(/^a <redacted> b <redacted> c <\d+ base64 characters> d <redacted> e <redacted> f <secret> g <token> h <120 base64 characters>$/);
  });

  it('keeps one answer on one line', () => {
    expect(makeScrubber([])('a\r\nb\x1b[31m')).toBe('a\\u{d}\\u{a}b\\u{1b}[31m');
  });
});

describe('JWT reading', () => {
  it('reads the payload and refuses what is not a JWS', () => {
    expect(decodeJwtClaims(`${Buffer.from('{}').toString('base64url')}.${Buffer.from('{"aud":"a"}').toString('base64url')}.sig`)).toEqual({ aud: 'a' });
    expect(() => decodeJwtClaims('abc.def')).toThrow(NotAJwtError);
    expect(() => decodeJwtClaims('a.b.c.d.e')).toThrow('5 dot-separated parts');
    expect(() => decodeJwtClaims(`e30.${Buffer.from('[1]').toString('base64url')}.x`)).toThrow('not a JSON object');
    expect(() => decodeJwtClaims('e30.!!!.x')).toThrow(NotAJwtError);
  });
});

describe('wire formats', () => {
  it("XOAUTH2 is base64 of user=…^Aauth=Bearer …^A^A (Microsoft's format)", () => {
    expect(Buffer.from(xoauth2('test@contoso.onmicrosoft.com', 'EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA'), 'base64').toString()).toBe(
      'user=test@contoso.onmicrosoft.com\x01auth=Bearer EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA\x01\x01',
    );
  });

  it('the test message has the headers a mail system expects and nothing from the environment', () => {
    const m = testMessage(MAILBOX, 'ops@contoso.example', new Date(NOW), 'id@contoso.example');
    expect(m.slice(0, 7)).toEqual([
      `From: <${MAILBOX}>`,
      'To: <ops@contoso.example>',
      'Subject: ITSM mail verify: test message',
      'Date: Tue, 01 Dec 2026 12:00:00 +0000',
      'Message-ID: <id@contoso.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
    ]);
  });
});

describe('built-in clouds', () => {
  const noHttp: HttpClient = () => Promise.reject(new Error('no network in this test'));
  it.each([
    ['global', 'https://login.microsoftonline.com'],
    ['public', 'https://login.microsoftonline.com'],
    ['usgovernment', 'https://login.microsoftonline.us'],
    ['dod', 'https://login.microsoftonline.us'],
    ['china', 'https://login.chinacloudapi.cn'],
    ['CHINA', 'https://login.chinacloudapi.cn'],
  ])('%s → %s', async (name, login) => {
    expect(await resolveCloud({ kind: 'environment', name, fromEnv: true }, noHttp, 1000)).toMatchObject({ ok: true, loginEndpoint: login });
  });
});

describe('rendering', () => {
  const report = {
    ok: false,
    checks: [
      { id: 'token' as const, status: 'pass' as const, detail: 'issued' },
      { id: 'imap-auth' as const, status: 'fail' as const, detail: 'refused', causeId: 'x', cause: 'because', fix: 'do this', serverAnswer: 'a1 NO' },
      { id: 'smtp-send' as const, status: 'skip' as const, detail: 'not asked' },
    ],
  };
  it('text: one line per check, cause and fix under a failure', () => {
    expect(report.checks.flatMap(renderCheck)).toEqual([
      'PASS token: issued',
      'FAIL imap-auth: refused',
      '  cause: because',
      '  fix: do this',
      'SKIP smtp-send: not asked',
    ]);
    expect(summaryLine(report, 'prod')).toBe('verify prod: 1 passed, 1 failed, 1 skipped');
  });
  it('JSON: one document with ok and the checks', () => {
    expect(JSON.parse(renderJson(report, { environment: 'prod', flow: 'app-only', mailbox: MAILBOX }))).toEqual({
      ok: false,
      environment: 'prod',
      flow: 'app-only',
      mailbox: MAILBOX,
      ...{ checks: report.checks },
    });
  });
});

describe('docs/verify.md names every cause', () => {
  it('each causeId the code can report appears in the docs (a new cause must be documented)', () => {
    const dir = join(__dirname, '..', 'lib', 'verify');
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const union = /export type TransportCause =([^;]*);/.exec(source)![1];
    const ids = new Set([...source.matchAll(/causeId: '([a-z0-9-]+)'/g), ...union.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]));
    ids.delete('not-run'); // internal: a step that did not run is a SKIP, not a cause
    expect(ids.size).toBeGreaterThan(40);
    const docs = readFileSync(join(__dirname, '..', 'docs', 'verify.md'), 'utf8');
    expect([...ids].filter((id) => !docs.includes(`\`${id}\``))).toEqual([]);
  });
});
