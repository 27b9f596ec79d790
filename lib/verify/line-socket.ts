import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** Why a connection-level step failed; each is a cause in the report. */
export type TransportCause = 'connect-failed' | 'dns' | 'timeout' | 'tls-untrusted' | 'tls-failed' | 'connection-closed' | 'protocol-error';

export class ProbeError extends Error {
  constructor(
    message: string,
    readonly causeId: TransportCause,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface SocketOptions {
  /** Trusted roots for TLS instead of Node's (tests, private clouds). Unset: Node's roots plus NODE_EXTRA_CA_CERTS. */
  readonly ca?: string | Buffer;
  readonly timeoutMs: number;
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
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const MAX_LINE = 64 * 1024;

function mapError(e: NodeJS.ErrnoException, where: string, connected: boolean): ProbeError {
  const code = e.code ?? 'ERR';
  if (UNTRUSTED.has(code)) return new ProbeError(`the TLS certificate of ${where} is not trusted: ${e.message} (${code})`, 'tls-untrusted', code);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return new ProbeError(`cannot resolve ${where.replace(/:\d+$/, '')} (${code})`, 'dns', code);
  if (code.startsWith('ERR_SSL') || code === 'EPROTO' || code.startsWith('ERR_TLS')) return new ProbeError(`TLS handshake with ${where} failed: ${e.message} (${code})`, 'tls-failed', code);
  if (connected && (code === 'ECONNRESET' || code === 'EPIPE')) return new ProbeError(`${where} closed the connection (${code})`, 'connection-closed', code);
  return new ProbeError(`cannot connect to ${where}: ${e.message} (${code})`, 'connect-failed', code);
}

/**
 * A line-oriented client connection (IMAP, POP3, SMTP): CRLF lines in and out, one timeout per
 * read, TLS verified against the host name, STARTTLS that forgets everything read in plaintext.
 */
export class LineSocket {
  private socket: Socket | TLSSocket;
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter?: { resolve: (l: string) => void; reject: (e: ProbeError) => void; timer: NodeJS.Timeout };
  private failure?: ProbeError;
  private readonly where: string;

  private constructor(
    socket: Socket | TLSSocket,
    private readonly host: string,
    port: number,
    private readonly options: SocketOptions,
  ) {
    this.socket = socket;
    this.where = `${host}:${port}`;
    this.attach();
  }

  /** Opens a connection: implicit TLS when `tls`, else plain TCP (for STARTTLS). */
  static open(host: string, port: number, tls: boolean, options: SocketOptions): Promise<LineSocket> {
    const where = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const s: Socket | TLSSocket = tls
        ? tlsConnect({ port, ...tlsOptions(host, options) })
        : netConnect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new ProbeError(`no connection to ${where} within ${Math.round(options.timeoutMs / 1000)} s`, 'timeout', 'ETIMEDOUT'));
      }, options.timeoutMs);
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
    this.buffer += chunk;
    let i: number;
    while ((i = this.buffer.indexOf('\n')) >= 0) {
      this.lines.push(this.buffer.slice(0, i).replace(/\r$/, ''));
      this.buffer = this.buffer.slice(i + 1);
    }
    if (this.buffer.length > MAX_LINE) this.fail(new ProbeError(`${this.where} sent a line longer than ${MAX_LINE} bytes`, 'protocol-error'));
    this.deliver();
  };

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

  /** The next line from the server (without CRLF). Lines already received are returned even after the server closed. */
  readLine(timeoutMs = this.options.timeoutMs): Promise<string> {
    if (this.waiter) return Promise.reject(new ProbeError('internal: two concurrent reads', 'protocol-error'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new ProbeError(`no answer from ${this.where} within ${Math.round(timeoutMs / 1000)} s`, 'timeout', 'ETIMEDOUT'));
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
      this.deliver();
    });
  }

  /** Sends one line (CRLF added). Errors surface on the next read. */
  writeLine(line: string): void {
    if (!this.socket.destroyed) this.socket.write(`${line}\r\n`);
  }

  /** Upgrades a plain connection to TLS (after the server's STARTTLS go-ahead). */
  startTls(): Promise<void> {
    // RFC 3207 §4.2: whatever arrived before the handshake is not trusted; drop it.
    this.detach();
    this.buffer = '';
    this.lines.length = 0;
    const plain = this.socket;
    return new Promise((resolve, reject) => {
      const s = tlsConnect({ socket: plain, ...tlsOptions(this.host, this.options) });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new ProbeError(`no TLS handshake with ${this.where} within ${Math.round(this.options.timeoutMs / 1000)} s`, 'timeout', 'ETIMEDOUT'));
      }, this.options.timeoutMs);
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
