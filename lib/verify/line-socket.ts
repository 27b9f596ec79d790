import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Deadline } from './deadline';

/** Why a connection-level step failed; each is a cause in the report. */
export type TransportCause =
  | 'connect-failed'
  | 'dns'
  /** No connection within the time limit (nothing answered the TCP handshake). */
  | 'timeout'
  /** Connected, but the server did not complete its reply (or the TLS handshake) within the time limit. */
  | 'reply-timeout'
  /** A reply longer than the limits (lines, bytes, or one line's length). */
  | 'reply-too-long'
  | 'tls-untrusted'
  /** A certificate valid for another host name than the one connected to. */
  | 'tls-name-mismatch'
  | 'tls-failed'
  | 'connection-closed'
  | 'protocol-error';

export class ProbeError extends Error {
  constructor(
    message: string,
    readonly causeId: TransportCause,
    readonly code?: string,
    /** The start of what the server sent, when it is the evidence (a reply too long). */
    readonly excerpt?: string,
  ) {
    super(message);
  }
}

/**
 * How much one reply may hold. A reply is everything the server sends between two of the client's
 * lines (the greeting counts as one). The protocols' own limits are far below these: SMTP reply
 * lines are at most 512 octets (RFC 5321 §4.5.3.1.5), POP3 responses at most 512 characters
 * (RFC 1939 §3); IMAP sets none, and RFC 7162 §4 recommends about 8192 octets for command lines,
 * applied here to the lines read; an EHLO, CAPA, CAPABILITY or EXAMINE reply is some twenty lines.
 */
export interface ReplyLimits {
  readonly maxLineBytes: number;
  readonly maxReplyLines: number;
  readonly maxReplyBytes: number;
}

export const REPLY_LIMITS: ReplyLimits = { maxLineBytes: 8192, maxReplyLines: 100, maxReplyBytes: 32 * 1024 };

export interface SocketOptions {
  /** Trusted roots for TLS instead of Node's (tests, private clouds). Unset: Node's roots plus NODE_EXTRA_CA_CERTS. */
  readonly ca?: string | Buffer;
  /** The run's time budget: connecting, the TLS handshake and every read end by it. */
  readonly deadline: Deadline;
  /** Defaults: REPLY_LIMITS. */
  readonly limits?: Partial<ReplyLimits>;
}

/** Certificate verification failures (as opposed to a broken handshake). */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Node's code for a certificate that is valid, but for other names than the host connected to. */
export const NAME_MISMATCH = 'ERR_TLS_CERT_ALTNAME_INVALID';

function mapError(e: NodeJS.ErrnoException, where: string, connected: boolean): ProbeError {
  const code = e.code ?? 'ERR';
  if (code === NAME_MISMATCH) {
    const reason = (e as { reason?: unknown }).reason;
    return new ProbeError(
      `the TLS certificate of ${where} is issued for another name${typeof reason === 'string' ? ` (${reason})` : ''} (${code})`,
      'tls-name-mismatch',
      code,
    );
  }
  if (UNTRUSTED.has(code)) return new ProbeError(`the TLS certificate of ${where} is not trusted: ${e.message} (${code})`, 'tls-untrusted', code);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return new ProbeError(`cannot resolve ${where.replace(/:\d+$/, '')} (${code})`, 'dns', code);
  if (code.startsWith('ERR_SSL') || code === 'EPROTO' || code.startsWith('ERR_TLS'))
    return new ProbeError(`TLS handshake with ${where} failed: ${e.message} (${code})`, 'tls-failed', code);
  if (connected && (code === 'ECONNRESET' || code === 'EPIPE')) return new ProbeError(`${where} closed the connection (${code})`, 'connection-closed', code);
  return new ProbeError(`cannot connect to ${where}: ${e.message} (${code})`, 'connect-failed', code);
}

/** At most this much of an offending line is kept as evidence (it is scrubbed and cut again before printing). */
const EXCERPT = 200;

/**
 * A line-oriented client connection (IMAP, POP3, SMTP): CRLF lines in and out, TLS verified against
 * the host name, STARTTLS that forgets everything read in plaintext. Every wait ends by the run's
 * deadline, and every reply is bounded in lines and bytes: a server that keeps talking (endless
 * continuation lines, a line without an end) fails the step with `reply-too-long`, one that stalls
 * or drips with `reply-timeout`, and the connection is dropped at once.
 */
export class LineSocket {
  private socket: Socket | TLSSocket;
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter?: { resolve: (l: string) => void; reject: (e: ProbeError) => void; timer: NodeJS.Timeout };
  private failure?: ProbeError;
  private readonly where: string;
  private readonly limits: ReplyLimits;
  /** What the current reply has brought so far (reset by each line the client sends). */
  private replyLines = 0;
  private replyBytes = 0;
  private replyFirst?: string;

  private constructor(
    socket: Socket | TLSSocket,
    private readonly host: string,
    port: number,
    private readonly options: SocketOptions,
  ) {
    this.socket = socket;
    this.where = `${host}:${port}`;
    this.limits = { ...REPLY_LIMITS, ...options.limits };
    this.attach();
  }

  /** Opens a connection: implicit TLS when `tls`, else plain TCP (for STARTTLS). */
  static open(host: string, port: number, tls: boolean, options: SocketOptions): Promise<LineSocket> {
    const where = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      let tcpUp = false;
      const s: Socket | TLSSocket = tls ? tlsConnect({ port, ...tlsOptions(host, options) }) : netConnect({ host, port });
      s.once('connect', () => (tcpUp = true));
      const timer = setTimeout(() => {
        s.destroy();
        reject(
          tcpUp
            ? new ProbeError(`connected to ${where}, but no TLS handshake within the time limit (${options.deadline.describe()})`, 'reply-timeout', 'ETIMEDOUT')
            : new ProbeError(`no connection to ${where} within the time limit (${options.deadline.describe()})`, 'timeout', 'ETIMEDOUT'),
        );
      }, options.deadline.remainingMs());
      const onError = (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        s.destroy();
        reject(mapError(e, where, false));
      };
      s.once('error', onError);
      s.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        s.off('error', onError);
        resolve(new LineSocket(s, host, port, options));
      });
    });
  }

  private attach(): void {
    this.socket.setEncoding('utf8');
    this.socket.on('data', this.onData);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
  }

  private detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
  }

  private readonly onData = (chunk: string) => {
    if (this.failure) return;
    this.buffer += chunk;
    let i: number;
    while ((i = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, i).replace(/\r$/, '');
      this.buffer = this.buffer.slice(i + 1);
      this.replyLines += 1;
      this.replyBytes += Buffer.byteLength(line) + 2;
      this.replyFirst ??= line.slice(0, EXCERPT);
      const l = this.limits;
      if (Buffer.byteLength(line) > l.maxLineBytes) return this.tooLong(`a line longer than ${l.maxLineBytes} bytes`, line.slice(0, EXCERPT));
      if (this.replyLines > l.maxReplyLines) return this.tooLong(`a reply of more than ${l.maxReplyLines} lines`, this.replyFirst);
      if (this.replyBytes > l.maxReplyBytes) return this.tooLong(`a reply of more than ${l.maxReplyBytes} bytes`, this.replyFirst);
      this.lines.push(line);
    }
    if (Buffer.byteLength(this.buffer) > this.limits.maxLineBytes)
      return this.tooLong(`a line longer than ${this.limits.maxLineBytes} bytes`, this.buffer.slice(0, EXCERPT));
    this.deliver();
  };

  /** A reply past the limits: stop reading it (drop the connection), keep the lines before it. */
  private tooLong(what: string, excerpt: string | undefined): void {
    this.buffer = '';
    this.fail(new ProbeError(`${this.where} sent ${what} (the limit; a mail server's replies are far shorter)`, 'reply-too-long', undefined, excerpt));
    this.detach();
    this.socket.on('error', () => undefined);
    this.socket.destroy();
  }

  private readonly onError = (e: NodeJS.ErrnoException) => this.fail(mapError(e, this.where, true));
  private readonly onClose = () => this.fail(new ProbeError(`${this.where} closed the connection`, 'connection-closed'));

  private fail(e: ProbeError): void {
    if (!this.failure) this.failure = e;
    this.deliver();
  }

  private deliver(): void {
    const w = this.waiter;
    if (!w) return;
    if (this.lines.length > 0) {
      this.waiter = undefined;
      clearTimeout(w.timer);
      w.resolve(this.lines.shift()!);
    } else if (this.failure) {
      this.waiter = undefined;
      clearTimeout(w.timer);
      w.reject(this.failure);
    }
  }

  /**
   * The next line from the server (without CRLF). Lines already received are returned even after
   * the server closed. Waits until the run's deadline, or `maxMs` when that is sooner.
   */
  readLine(maxMs?: number): Promise<string> {
    if (this.waiter) return Promise.reject(new ProbeError('internal: two concurrent reads', 'protocol-error'));
    const wait = Math.min(this.options.deadline.remainingMs(), maxMs ?? Infinity);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        const partial = this.replyLines > 0 || this.buffer !== '' ? ' (it sent part of one)' : '';
        reject(
          new ProbeError(
            `no complete reply from ${this.where} within the time limit (${this.options.deadline.describe()})${partial}`,
            'reply-timeout',
            'ETIMEDOUT',
          ),
        );
      }, wait);
      this.waiter = { resolve, reject, timer };
      this.deliver();
    });
  }

  /** Sends one line (CRLF added); what the server sends next is the reply to it. Errors surface on the next read. */
  writeLine(line: string): void {
    this.replyLines = 0;
    this.replyBytes = 0;
    this.replyFirst = undefined;
    if (!this.socket.destroyed) this.socket.write(`${line}\r\n`);
  }

  /** Upgrades a plain connection to TLS (after the server's STARTTLS go-ahead). */
  startTls(): Promise<void> {
    // RFC 3207 §4.2: whatever arrived before the handshake is not trusted; drop it.
    this.detach();
    this.buffer = '';
    this.lines.length = 0;
    this.replyLines = 0;
    this.replyBytes = 0;
    this.replyFirst = undefined;
    const plain = this.socket;
    return new Promise((resolve, reject) => {
      const s = tlsConnect({ socket: plain, ...tlsOptions(this.host, this.options) });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new ProbeError(`no TLS handshake with ${this.where} within the time limit (${this.options.deadline.describe()})`, 'reply-timeout', 'ETIMEDOUT'));
      }, this.options.deadline.remainingMs());
      const onError = (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        s.destroy();
        reject(mapError(e, this.where, false));
      };
      s.once('error', onError);
      s.once('secureConnect', () => {
        clearTimeout(timer);
        s.off('error', onError);
        this.socket = s;
        this.attach();
        resolve();
      });
    });
  }

  /** True after the TLS handshake (implicit or STARTTLS). */
  get encrypted(): boolean {
    return (this.socket as TLSSocket).encrypted === true;
  }

  close(): void {
    this.detach();
    this.socket.on('error', () => undefined);
    this.socket.destroy();
    if (this.waiter) {
      clearTimeout(this.waiter.timer);
      this.waiter = undefined;
    }
  }
}

function tlsOptions(host: string, options: SocketOptions) {
  return {
    // The name the certificate is checked against (also for STARTTLS, where tls.connect would
    // otherwise assume "localhost"). SNI takes a host name only (RFC 6066), not an IP address.
    host,
    ...(isIP(host) === 0 ? { servername: host } : {}),
    minVersion: 'TLSv1.2' as const,
    rejectUnauthorized: true,
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
  };
}
