import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { TLSSocket, createSecureContext, createServer as createTlsServer } from 'node:tls';
import type { TestPki } from './verify-pki';

/**
 * A scripted stand-in that replays what Office 365 answers, line for line, from published
 * transcripts (sources in docs/verify.md). It is NOT a real server: Dovecot words these failures
 * differently, and no test here can reach Exchange Online. It exists so the client's handling of
 * Office 365's shapes (no XOAUTH2 error challenge, "+ " before the POP blob, BAD after a good
 * AUTHENTICATE, 5.7.139) and verify's causes for them are exercised end to end. With
 * `smtp: 'no-starttls'` it is the server that offers AUTH in plaintext, which the client must refuse.
 */
/** `echo`: a hostile or broken server that quotes the client's credentials back (the secret-hygiene tests). */
export type ImapScenario = 'auth-failed' | 'not-connected' | 'echo';
/** `ok`: the login is accepted and STAT answers (the other protocols' evidence in the cause tests). */
export type PopScenario = 'auth-failed' | 'ok';
export type SmtpScenario =
  | 'smtp-auth-disabled-tenant'
  | 'smtp-auth-disabled-mailbox'
  | 'auth-unsuccessful'
  | 'send-as-denied'
  | 'no-starttls'
  | 'bad-user'
  | 'echo';

export interface Replay {
  readonly port: number;
  /** What the client sent, with XOAUTH2 blobs replaced by "<blob>". */
  readonly received: string[];
  /** Whether a client sent an XOAUTH2 blob while the connection was not encrypted. */
  plaintextBlob: boolean;
  close(): Promise<void>;
}

const HOST = 'MN2PR00CA0001.namprd00.prod.outlook.com';
const STAMP = '2026-12-01T20:00:00.000Z 08DD1234567890AB';

function lines(socket: Socket | TLSSocket, onLine: (l: string) => void): void {
  let buf = '';
  // No setEncoding: the SMTP socket is wrapped in TLS after STARTTLS and must stay binary.
  socket.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 2);
      onLine(l);
    }
  });
  socket.on('error', () => undefined);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function replay(server: Server, received: string[], port: number, state: { plaintextBlob: boolean }): Replay {
  return {
    port,
    received,
    get plaintextBlob() {
      return state.plaintextBlob;
    },
    set plaintextBlob(v) {
      state.plaintextBlob = v;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const isBlob = (l: string) => l.length > 40 && /^[A-Za-z0-9+/=]+$/.test(l);

export async function startImapReplay(pki: TestPki, scenario: ImapScenario): Promise<Replay> {
  const received: string[] = [];
  const state = { plaintextBlob: false };
  const server = createTlsServer({ cert: pki.serverCert, key: pki.serverKey }, (s) => {
    const say = (l: string) => s.write(`${l}\r\n`);
    say(
      '* OK The Microsoft Exchange IMAP4 service is ready. [TQBOADIAUABSADAAMABDAEEAMAAwADAAMQAuAG4AYQBtAHAAcgBkADAAMAAuAHAAcgBvAGQALgBvAHUAdABsAG8AbwBrAC4AYwBvAG0A]',
    );
    let authed = false;
    lines(s, (l) => {
      const [tag, verb = ''] = l.split(' ');
      received.push(/AUTHENTICATE XOAUTH2 \S+/i.test(l) ? `${tag} AUTHENTICATE XOAUTH2 <blob>` : isBlob(l) ? '<blob>' : l);
      const v = verb.toUpperCase();
      if (v === 'CAPABILITY') {
        say(
          authed
            ? '* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CLIENTACCESSRULES CLIENTNETWORKPRESENCELOCATION BACKENDAUTHENTICATE CHILDREN IDLE NAMESPACE LITERAL+'
            : '* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+',
        );
        say(`${tag} OK CAPABILITY completed.`);
      } else if (v === 'AUTHENTICATE') {
        // Office 365 sends no error challenge: the tagged answer comes at once.
        if (scenario === 'echo') {
          const blob = l.split(' ')[3] ?? '';
          const decoded = Buffer.from(blob, 'base64').toString('utf8');
          say(`${tag} NO [AUTHENTICATIONFAILED] rejected ${decoded} (${blob})`);
        } else if (scenario === 'auth-failed') say(`${tag} NO AUTHENTICATE failed.`);
        else {
          authed = true;
          say(`${tag} OK AUTHENTICATE completed.`);
        }
      } else if (v === 'LOGOUT') {
        say('* BYE Microsoft Exchange Server IMAP4 server signing off.');
        say(`${tag} OK LOGOUT completed.`);
        s.end();
      } else if (authed && scenario === 'not-connected') {
        say(`${tag} BAD User is authenticated but not connected.`);
      } else say(`${tag} BAD Command Argument Error. 11`);
    });
  });
  return replay(server, received, await listen(server), state);
}

export async function startPopReplay(pki: TestPki, scenario: PopScenario): Promise<Replay> {
  const received: string[] = [];
  const state = { plaintextBlob: false };
  const server = createTlsServer({ cert: pki.serverCert, key: pki.serverKey }, (s) => {
    const say = (l: string) => s.write(`${l}\r\n`);
    say(
      '+OK The Microsoft Exchange POP3 service is ready. [TQBOADIAUABSADAAMABDAEEAMAAwADAAMQAuAG4AYQBtAHAAcgBkADAAMAAuAHAAcgBvAGQALgBvAHUAdABsAG8AbwBrAC4AYwBvAG0A]',
    );
    let awaitingBlob = false;
    lines(s, (l) => {
      received.push(isBlob(l) ? '<blob>' : l);
      if (awaitingBlob) {
        awaitingBlob = false;
        if (scenario === 'auth-failed') say('-ERR Authentication failure: unknown user name or bad password.');
        else say('+OK User successfully authenticated.');
        return;
      }
      const v = l.split(' ')[0].toUpperCase();
      if (v === 'CAPA') {
        for (const c of ['+OK', 'TOP', 'UIDL', 'SASL PLAIN XOAUTH2', 'USER', '.']) say(c);
      } else if (/^AUTH XOAUTH2$/i.test(l)) {
        awaitingBlob = true;
        say('+ ');
      } else if (v === 'STAT' && scenario === 'ok') {
        say('+OK 0 0');
      } else if (v === 'QUIT') {
        say('+OK Microsoft Exchange Server POP3 server signing off.');
        s.end();
      } else say('-ERR Protocol error. 14');
    });
  });
  return replay(server, received, await listen(server), state);
}

export async function startSmtpReplay(pki: TestPki, scenario: SmtpScenario): Promise<Replay> {
  const received: string[] = [];
  const state = { plaintextBlob: false };
  const context = createSecureContext({ cert: pki.serverCert, key: pki.serverKey });
  const server = createServer((plain) => {
    let s: Socket | TLSSocket = plain;
    let tls = false;
    let awaitingBlob = false;
    let inData = false;
    const say = (l: string) => s.write(`${l}\r\n`);
    const ehlo = () => {
      const ext = ['SIZE 157286400', 'PIPELINING', 'DSN', 'ENHANCEDSTATUSCODES'];
      if (!tls && scenario !== 'no-starttls') ext.push('STARTTLS');
      if (tls || scenario === 'no-starttls') ext.push('AUTH LOGIN XOAUTH2');
      ext.push('8BITMIME', 'BINARYMIME', 'CHUNKING', 'SMTPUTF8');
      say(`250-${HOST} Hello [127.0.0.1]`);
      ext.forEach((e, i) => say(`${i === ext.length - 1 ? '250 ' : '250-'}${e}`));
    };
    const onLine = (l: string) => {
      if (inData) {
        if (l === '.') {
          inData = false;
          say(`550 5.7.60 SMTP; Client does not have permissions to send as this sender [${HOST} ${STAMP}]`);
        }
        return;
      }
      if (awaitingBlob) {
        awaitingBlob = false;
        received.push(isBlob(l) ? '<blob>' : l);
        if (!tls) state.plaintextBlob = true;
        if (scenario === 'echo') say(`535 5.7.8 rejected ${l} = ${Buffer.from(l, 'base64').toString('utf8').replace(/\x01/g, ' ')}`);
        else if (scenario === 'smtp-auth-disabled-tenant')
          say(
            `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [${HOST} ${STAMP}]`,
          );
        else if (scenario === 'smtp-auth-disabled-mailbox')
          say(
            `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [${HOST} ${STAMP}]`,
          );
        else if (scenario === 'auth-unsuccessful') say(`535 5.7.3 Authentication unsuccessful [${HOST} ${STAMP}]`);
        else if (scenario === 'bad-user') say(`501 5.5.124 Invalid XOAUTH2 auth data - User address provided is not valid. [${HOST} ${STAMP}]`);
        else say('235 2.7.0 Authentication successful');
        return;
      }
      received.push(/^AUTH XOAUTH2 \S+/i.test(l) ? 'AUTH XOAUTH2 <blob>' : l);
      const v = l.slice(0, 4).toUpperCase();
      if (v === 'EHLO') ehlo();
      else if (/^STARTTLS$/i.test(l) && !tls && scenario !== 'no-starttls') {
        say('220 2.0.0 SMTP server ready');
        plain.removeAllListeners('data');
        const t = new TLSSocket(plain, { isServer: true, secureContext: context });
        t.on('secure', () => {
          s = t;
          tls = true;
          lines(t, onLine);
        });
        t.on('error', () => undefined);
      } else if (/^AUTH XOAUTH2$/i.test(l)) {
        awaitingBlob = true;
        say('334 ');
      } else if (/^AUTH XOAUTH2 /i.test(l)) {
        if (!tls) state.plaintextBlob = true;
        say(`535 5.7.3 Authentication unsuccessful [${HOST} ${STAMP}]`);
      } else if (v === 'MAIL') say('250 2.1.0 Sender OK');
      else if (v === 'RCPT') say('250 2.1.5 Recipient OK');
      else if (v === 'DATA') {
        inData = true;
        say('354 Start mail input; end with <CRLF>.<CRLF>');
      } else if (v === 'RSET') say('250 2.0.0 Resetting');
      else if (v === 'QUIT') {
        say(`221 2.0.0 Service closing transmission channel`);
        s.end();
      } else say('500 5.3.3 Unrecognized command');
    };
    say(`220 ${HOST} Microsoft ESMTP MAIL Service ready at Tue, 1 Dec 2026 20:00:00 +0000`);
    lines(plain, onLine);
  });
  return replay(server, received, await listen(server), state);
}
