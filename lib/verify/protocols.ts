import { hostname } from 'node:os';
import { LineSocket, ProbeError, type SocketOptions } from './line-socket';
import type { MailServer } from './types';

/**
 * Raw IMAP, POP3 and SMTP clients that do exactly what the ITSM tool does to log in with
 * XOAUTH2 and keep every server answer verbatim (libraries such as imapflow or nodemailer turn
 * them into generic errors, and nodemailer's one-line SMTP AUTH fails on real-size tokens).
 */

/** The outcome of one step (log in, open the mailbox, MAIL FROM, send). */
export interface StepOutcome {
  readonly ok: boolean;
  /** What happened, in words (no server text). */
  readonly detail: string;
  /** The server's answer that decided it (verbatim; scrubbed before printing). */
  readonly answer?: string;
  /** The decoded XOAUTH2 error challenge some servers send before refusing (RFC 7628 §3.2.2). */
  readonly challenge?: string;
  /** A connection-level failure, or a protocol rule verify enforces (no STARTTLS, no XOAUTH2). */
  readonly causeId?: string;
}

export interface MailLogin {
  readonly mailbox: string;
  readonly accessToken: string;
}

/** SASL XOAUTH2 initial response: base64("user=" user ^A "auth=Bearer " token ^A ^A). */
export function xoauth2(mailbox: string, token: string): string {
  return Buffer.from(`user=${mailbox}\x01auth=Bearer ${token}\x01\x01`, 'utf8').toString('base64');
}

function decodeChallenge(b64: string): string | undefined {
  const text = b64.trim();
  if (text === '') return undefined;
  try {
    const decoded = Buffer.from(text, 'base64').toString('utf8');
    return /^[\x20-\x7e\s]*$/.test(decoded) ? decoded.trim() : undefined;
  } catch {
    return undefined;
  }
}

function transportFailure(e: unknown, doing: string): StepOutcome {
  if (e instanceof ProbeError)
    return { ok: false, detail: `${doing}: ${e.message}`, causeId: e.causeId, ...(e.excerpt !== undefined ? { answer: e.excerpt } : {}) };
  throw e;
}

/** Says goodbye and waits briefly for the answer (at most 2 s, and never past the deadline), so the server logs a clean logout. */
async function quit(conn: LineSocket, line: string): Promise<void> {
  conn.writeLine(line);
  try {
    await conn.readLine(2000);
  } catch {
    // closed or slow: the checks are done either way
  }
}

/** A SASL exchange for XOAUTH2 takes at most the blob and one error challenge. */
const MAX_SASL_ROUNDS = 3;

const notRun = (why: string): StepOutcome => ({ ok: false, detail: `not run: ${why}`, causeId: 'not-run' });

// ---------------------------------------------------------------------------------------------- IMAP

export interface ImapOutcome {
  readonly auth: StepOutcome;
  readonly inbox: StepOutcome;
}

/** IMAPS: CAPABILITY, AUTHENTICATE XOAUTH2 (SASL-IR when offered), then EXAMINE INBOX (read-only), LOGOUT. */
export async function probeImap(server: MailServer, login: MailLogin, options: SocketOptions): Promise<ImapOutcome> {
  let conn: LineSocket | undefined;
  let auth: StepOutcome | undefined;
  try {
    conn = await LineSocket.open(server.host, server.port, true, options);
    const greeting = await conn.readLine();
    if (!/^\* (OK|PREAUTH)\b/i.test(greeting)) {
      auth = { ok: false, detail: 'the server refused the session at the greeting', answer: greeting, causeId: 'protocol-error' };
      return { auth, inbox: notRun('no session') };
    }
    const caps = new Set<string>(capabilityWords(greeting));
    const cap = await imapCommand(conn, 'a0', 'CAPABILITY');
    for (const l of cap.untagged) for (const w of capabilityWords(l)) caps.add(w);
    if (!caps.has('AUTH=XOAUTH2')) {
      auth = {
        ok: false,
        detail: 'the server does not offer AUTHENTICATE XOAUTH2',
        answer: [...cap.untagged, cap.tagged].join(' | '),
        causeId: 'xoauth2-not-offered',
      };
      return { auth, inbox: notRun('not logged in') };
    }
    const blob = xoauth2(login.mailbox, login.accessToken);
    let challenge: string | undefined;
    if (caps.has('SASL-IR')) conn.writeLine(`a1 AUTHENTICATE XOAUTH2 ${blob}`);
    else conn.writeLine('a1 AUTHENTICATE XOAUTH2');
    let sentBlob = caps.has('SASL-IR');
    let tagged: string;
    let rounds = 0;
    for (;;) {
      const line = await conn.readLine();
      if (line.startsWith('+')) {
        if (++rounds > MAX_SASL_ROUNDS) throw new ProbeError('the server keeps asking for more SASL data', 'protocol-error');
        if (!sentBlob) {
          conn.writeLine(blob);
          sentBlob = true;
        } else {
          // A failure challenge: answer with an empty line to get the final reply.
          challenge = decodeChallenge(line.slice(1)) ?? challenge;
          conn.writeLine('');
        }
        continue;
      }
      if (/^a1 /i.test(line)) {
        tagged = line;
        break;
      }
    }
    if (!/^a1 OK\b/i.test(tagged)) {
      auth = { ok: false, detail: 'the server refused the token', answer: tagged, ...(challenge ? { challenge } : {}) };
      return { auth, inbox: notRun('not logged in') };
    }
    auth = { ok: true, detail: `logged in as ${login.mailbox} with XOAUTH2`, answer: tagged };
    let inbox: StepOutcome;
    try {
      const ex = await imapCommand(conn, 'a2', 'EXAMINE INBOX');
      if (/^a2 OK\b/i.test(ex.tagged)) {
        const exists = ex.untagged.map((l) => /^\* (\d+) EXISTS/i.exec(l)?.[1]).find((n) => n !== undefined);
        inbox = { ok: true, detail: `INBOX opened read-only${exists !== undefined ? `, ${exists} messages` : ''}`, answer: ex.tagged };
      } else {
        inbox = {
          ok: false,
          detail: 'logged in, but the inbox cannot be opened',
          answer: [ex.tagged, ...ex.untagged.filter((l) => /^\* (BYE|NO|BAD)\b/i.test(l))].join(' | '),
        };
      }
    } catch (e) {
      inbox = transportFailure(e, 'opening INBOX');
    }
    await quit(conn, 'a3 LOGOUT');
    return { auth, inbox };
  } catch (e) {
    if (auth) return { auth, inbox: transportFailure(e, 'opening INBOX') };
    return { auth: transportFailure(e, 'IMAP login'), inbox: notRun('not logged in') };
  } finally {
    conn?.close();
  }
}

function capabilityWords(line: string): string[] {
  const m = /(?:^\* CAPABILITY |\[CAPABILITY )([^\]]*)/i.exec(line);
  return m ? m[1].trim().toUpperCase().split(/\s+/) : [];
}

async function imapCommand(conn: LineSocket, tag: string, command: string): Promise<{ tagged: string; untagged: string[] }> {
  conn.writeLine(`${tag} ${command}`);
  const untagged: string[] = [];
  for (;;) {
    const line = await conn.readLine();
    if (line.toLowerCase().startsWith(`${tag} `)) return { tagged: line, untagged };
    untagged.push(line);
  }
}

// ---------------------------------------------------------------------------------------------- POP3

export interface PopOutcome {
  readonly auth: StepOutcome;
  readonly mailbox: StepOutcome;
}

/** POP3S: CAPA, AUTH XOAUTH2 (the blob after the server's "+", as Microsoft documents it), STAT, QUIT. */
export async function probePop(server: MailServer, login: MailLogin, options: SocketOptions): Promise<PopOutcome> {
  let conn: LineSocket | undefined;
  let auth: StepOutcome | undefined;
  try {
    conn = await LineSocket.open(server.host, server.port, true, options);
    const greeting = await conn.readLine();
    if (!/^\+OK\b/i.test(greeting)) {
      auth = { ok: false, detail: 'the server refused the session at the greeting', answer: greeting, causeId: 'protocol-error' };
      return { auth, mailbox: notRun('no session') };
    }
    conn.writeLine('CAPA');
    const capa = await conn.readLine();
    const sasl: string[] = [];
    if (/^\+OK\b/i.test(capa)) {
      for (;;) {
        const l = await conn.readLine();
        if (l === '.') break;
        if (/^SASL\b/i.test(l)) sasl.push(...l.toUpperCase().split(/\s+/).slice(1));
      }
    }
    // A SASL list without XOAUTH2 is not taken as a refusal (servers list fewer mechanisms before
    // TLS or login than they take); it only explains a refusal that follows.
    const unlisted = sasl.length > 0 && !sasl.includes('XOAUTH2');
    conn.writeLine('AUTH XOAUTH2');
    let challenge: string | undefined;
    let sentBlob = false;
    let final: string;
    let rounds = 0;
    for (;;) {
      const line = await conn.readLine();
      if (line.startsWith('+') && !/^\+OK\b/i.test(line)) {
        if (++rounds > MAX_SASL_ROUNDS) throw new ProbeError('the server keeps asking for more SASL data', 'protocol-error');
        if (!sentBlob) {
          conn.writeLine(xoauth2(login.mailbox, login.accessToken));
          sentBlob = true;
        } else {
          challenge = decodeChallenge(line.slice(1)) ?? challenge;
          conn.writeLine('');
        }
        continue;
      }
      final = line;
      break;
    }
    if (!/^\+OK\b/i.test(final)) {
      auth =
        !sentBlob && unlisted
          ? { ok: false, detail: 'the server does not take AUTH XOAUTH2', answer: `${final} (CAPA: SASL ${sasl.join(' ')})`, causeId: 'xoauth2-not-offered' }
          : { ok: false, detail: 'the server refused the token', answer: final, ...(challenge ? { challenge } : {}) };
      return { auth, mailbox: notRun('not logged in') };
    }
    auth = { ok: true, detail: `logged in as ${login.mailbox} with XOAUTH2`, answer: final };
    let mailbox: StepOutcome;
    try {
      conn.writeLine('STAT');
      const stat = await conn.readLine();
      const m = /^\+OK (\d+) (\d+)/i.exec(stat);
      mailbox = m
        ? { ok: true, detail: `mailbox opened, ${m[1]} messages`, answer: stat }
        : { ok: false, detail: 'logged in, but the mailbox cannot be opened', answer: stat };
    } catch (e) {
      mailbox = transportFailure(e, 'opening the mailbox');
    }
    await quit(conn, 'QUIT');
    return { auth, mailbox };
  } catch (e) {
    if (auth) return { auth, mailbox: transportFailure(e, 'opening the mailbox') };
    return { auth: transportFailure(e, 'POP login'), mailbox: notRun('not logged in') };
  } finally {
    conn?.close();
  }
}

// ---------------------------------------------------------------------------------------------- SMTP

export interface SmtpOutcome {
  readonly auth: StepOutcome;
  readonly mailFrom: StepOutcome;
  /** Present only when a test message was asked for. */
  readonly send?: StepOutcome;
}

interface SmtpReply {
  readonly code: number;
  readonly lines: readonly string[];
  /** The whole reply on one line. */
  readonly text: string;
}

async function readReply(conn: LineSocket): Promise<SmtpReply> {
  const lines: string[] = [];
  for (;;) {
    const l = await conn.readLine();
    lines.push(l);
    if (!/^\d{3}-/.test(l)) {
      const code = /^(\d{3})/.exec(l)?.[1];
      return { code: code ? Number(code) : 0, lines, text: lines.join(' | ') };
    }
  }
}

async function command(conn: LineSocket, line: string): Promise<SmtpReply> {
  conn.writeLine(line);
  return readReply(conn);
}

function extensions(ehlo: SmtpReply): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of ehlo.lines.slice(1)) {
    const m = /^\d{3}[- ]([A-Za-z0-9][A-Za-z0-9-]*)(?:[ =](.*))?$/.exec(l);
    if (m) out.set(m[1].toUpperCase(), (m[2] ?? '').toUpperCase());
  }
  return out;
}

/** A short test message; addresses were validated by the caller (no CR/LF, no angle brackets). */
export function testMessage(from: string, to: string, date: Date, messageId: string): string[] {
  return [
    `From: <${from}>`,
    `To: <${to}>`,
    'Subject: ITSM mail verify: test message',
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `This message was sent by "npm run verify" to check that ${from} can send mail over SMTP with OAuth (XOAUTH2).`,
    'No action is needed.',
  ];
}

export interface SmtpRequest extends MailLogin {
  readonly sendTo?: string;
  readonly now: Date;
}

/**
 * SMTP submission: EHLO, STARTTLS (required: without it no token is sent), EHLO, AUTH XOAUTH2 in
 * two steps (the blob after "334": servers cap the one-line form near 1 KB and real tokens are
 * longer), MAIL FROM the mailbox, then either RCPT/DATA (a test message) or RSET; QUIT.
 */
export async function probeSmtp(server: MailServer, req: SmtpRequest, options: SocketOptions): Promise<SmtpOutcome> {
  let conn: LineSocket | undefined;
  let auth: StepOutcome | undefined;
  let mailFrom: StepOutcome | undefined;
  const fail = (detail: string, reply: SmtpReply, causeId?: string): StepOutcome => ({
    ok: false,
    detail,
    answer: reply.text,
    ...(causeId ? { causeId } : {}),
  });
  try {
    conn = await LineSocket.open(server.host, server.port, server.security === 'tls', options);
    const greeting = await readReply(conn);
    if (greeting.code !== 220) {
      auth = fail(
        'the server refused the session at the greeting',
        greeting,
        greeting.code >= 400 && greeting.code < 500 ? 'server-temporary' : 'protocol-error',
      );
      return { auth, mailFrom: notRun('no session') };
    }
    const name = ehloName();
    let ehlo = await command(conn, `EHLO ${name}`);
    if (ehlo.code !== 250) {
      auth = fail('the server refused EHLO', ehlo, 'protocol-error');
      return { auth, mailFrom: notRun('no session') };
    }
    if (server.security === 'starttls') {
      if (!extensions(ehlo).has('STARTTLS')) {
        // Some servers (and Dovecot on loopback) would take AUTH in plaintext; the token must not go out unencrypted.
        auth = {
          ok: false,
          detail: `${server.host}:${server.port} does not offer STARTTLS; no token was sent over the unencrypted connection`,
          answer: ehlo.text,
          causeId: 'starttls-missing',
        };
        conn.writeLine('QUIT');
        return { auth, mailFrom: notRun('not logged in') };
      }
      const go = await command(conn, 'STARTTLS');
      if (go.code !== 220) {
        auth = fail('the server refused STARTTLS; no token was sent', go, 'starttls-missing');
        return { auth, mailFrom: notRun('not logged in') };
      }
      await conn.startTls();
      ehlo = await command(conn, `EHLO ${name}`);
      if (ehlo.code !== 250) {
        auth = fail('the server refused EHLO after STARTTLS', ehlo, 'protocol-error');
        return { auth, mailFrom: notRun('not logged in') };
      }
    }
    if (!conn.encrypted) throw new Error('internal: SMTP AUTH attempted without TLS');
    const mechanisms = (extensions(ehlo).get('AUTH') ?? '').split(/\s+/);
    if (!mechanisms.includes('XOAUTH2')) {
      auth = fail('the server does not offer AUTH XOAUTH2', ehlo, 'xoauth2-not-offered');
      return { auth, mailFrom: notRun('not logged in') };
    }
    let reply = await command(conn, 'AUTH XOAUTH2');
    let challenge: string | undefined;
    if (reply.code === 334) {
      reply = await command(conn, xoauth2(req.mailbox, req.accessToken));
      if (reply.code === 334) {
        challenge = decodeChallenge(reply.lines[reply.lines.length - 1].slice(4));
        reply = await command(conn, '');
      }
    }
    if (reply.code !== 235) {
      auth = { ok: false, detail: 'the server refused the token', answer: reply.text, ...(challenge ? { challenge } : {}) };
      return { auth, mailFrom: notRun('not logged in') };
    }
    auth = { ok: true, detail: `logged in as ${req.mailbox} with XOAUTH2 after STARTTLS`, answer: reply.text };
    if (server.security === 'tls') auth = { ...auth, detail: `logged in as ${req.mailbox} with XOAUTH2 over TLS` };
    const from = await command(conn, `MAIL FROM:<${req.mailbox}>`);
    if (from.code !== 250) {
      mailFrom = fail(`the server refused ${req.mailbox} as the sender`, from);
      conn.writeLine('QUIT');
      return { auth, mailFrom, ...(req.sendTo ? { send: notRun('MAIL FROM refused') } : {}) };
    }
    mailFrom = { ok: true, detail: `${req.mailbox} accepted as the sender`, answer: from.text };
    let send: StepOutcome | undefined;
    if (req.sendTo) {
      send = await sendMessage(conn, req, req.sendTo, fail);
    } else {
      await command(conn, 'RSET');
    }
    await quit(conn, 'QUIT');
    return { auth, mailFrom, ...(send ? { send } : {}) };
  } catch (e) {
    if (!auth) return { auth: transportFailure(e, 'SMTP login'), mailFrom: notRun('not logged in'), ...(req.sendTo ? { send: notRun('not logged in') } : {}) };
    if (!mailFrom) return { auth, mailFrom: transportFailure(e, 'MAIL FROM'), ...(req.sendTo ? { send: notRun('MAIL FROM failed') } : {}) };
    return { auth, mailFrom, ...(req.sendTo ? { send: transportFailure(e, 'sending the test message') } : {}) };
  } finally {
    conn?.close();
  }
}

async function sendMessage(conn: LineSocket, req: SmtpRequest, to: string, fail: (d: string, r: SmtpReply, c?: string) => StepOutcome): Promise<StepOutcome> {
  const rcpt = await command(conn, `RCPT TO:<${to}>`);
  if (rcpt.code !== 250 && rcpt.code !== 251) return fail(`the server refused the recipient ${to}`, rcpt, rcpt.code >= 500 ? 'recipient-rejected' : undefined);
  const data = await command(conn, 'DATA');
  if (data.code !== 354) return fail('the server refused DATA', data);
  const domain = req.mailbox.split('@')[1] ?? 'localhost';
  const id = `verify.${req.now.getTime().toString(36)}.${Math.random().toString(36).slice(2, 10)}@${domain}`;
  for (const line of testMessage(req.mailbox, to, req.now, id)) conn.writeLine(line.startsWith('.') ? `.${line}` : line);
  const done = await command(conn, '.');
  if (done.code !== 250) return fail('the server refused the message at the end of DATA', done);
  return { ok: true, detail: `test message sent to ${to} (Message-ID <${id}>)`, answer: done.text };
}

/** EHLO takes a domain or an address literal; an unusable host name becomes "localhost". */
function ehloName(): string {
  const h = hostname();
  return /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,250}[A-Za-z0-9])?$/.test(h) ? h : 'localhost';
}
