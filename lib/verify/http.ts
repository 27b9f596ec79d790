import { request as plainRequest } from 'node:http';
import { request } from 'node:https';

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The whole request, from connecting to the last byte of the answer, ends within this (not an idle timeout). */
  readonly timeoutMs: number;
  /** The longest answer read, in bytes, and what the caller expects (for the message); default MAX_BODY, a token response's. */
  readonly maxBody?: { readonly bytes: number; readonly why: string };
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A request that got no (complete) HTTP answer: DNS, refused connection, TLS, time limit, an answer too long. `code` is Node's error code or one of ours. */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** The connection was made (a silence or an endless answer is not a firewall). */
    readonly connected = false,
  ) {
    super(message);
  }
}

export type HttpClient = (req: HttpRequest) => Promise<HttpResponse>;

/** Answers larger than this are refused: a token response or a metadata document is a few KB. */
export const MAX_BODY = 1024 * 1024;
/** The codes of the two bounds, for the callers' causes. */
export const ANSWER_TOO_LARGE = 'ERR_ANSWER_TOO_LARGE';
export const TIMED_OUT = 'ETIMEDOUT';

/**
 * HTTPS only (a client secret never travels over plain HTTP), certificates always verified.
 * `ca` replaces the trusted roots; it exists for tests and private clouds. The command line
 * leaves it unset and Node's NODE_EXTRA_CA_CERTS adds a corporate CA instead.
 * Every request ends within its `timeoutMs`, however slowly the server drips, and an answer
 * longer than MAX_BODY (or the request's `maxBody`) is cut off and refused (ANSWER_TOO_LARGE), never read to its end.
 */
export function nodeHttpClient(options: { readonly ca?: string | Buffer; readonly allowPlainHttp?: (url: URL) => boolean } = {}): HttpClient {
  return (req) =>
    new Promise<HttpResponse>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(req.url);
      } catch {
        reject(new HttpTransportError(`not a URL: ${req.url}`, 'ERR_INVALID_URL'));
        return;
      }
      // Plain HTTP only where a caller allows it for that URL (the managed identity endpoint on the
      // machine itself, which is plain HTTP by design); never for a secret.
      const plain = url.protocol === 'http:' && options.allowPlainHttp?.(url) === true;
      if (url.protocol !== 'https:' && !plain) {
        reject(new HttpTransportError(`refusing ${url.protocol} (only https is used): ${req.url}`, 'ERR_NOT_HTTPS'));
        return;
      }
      let connected = false;
      let answering = false;
      let settled = false;
      const fail = (e: HttpTransportError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(e);
        r.destroy();
      };
      const r = (plain ? plainRequest : request)(
        url,
        {
          method: req.method,
          headers: { ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) },
          minVersion: 'TLSv1.2',
          ...(options.ca !== undefined ? { ca: options.ca } : {}),
        },
        (res) => {
          connected = true;
          answering = true;
          const chunks: Buffer[] = [];
          let size = 0;
          const limit = req.maxBody ?? { bytes: MAX_BODY, why: 'a token response or a metadata document is a few KB' };
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > limit.bytes) {
              fail(new HttpTransportError(`the answer is longer than ${limit.bytes} bytes (the limit; ${limit.why})`, ANSWER_TOO_LARGE, true));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (e: NodeJS.ErrnoException) => fail(new HttpTransportError(e.message, e.code ?? 'ERR_RESPONSE', true)));
        },
      );
      r.on('socket', (s) => {
        // A kept-alive socket is connected already; a new one says so once TCP is up.
        if (!s.connecting) connected = true;
        else s.once('connect', () => (connected = true));
      });
      const timer = setTimeout(() => {
        const s = `${Math.round(req.timeoutMs / 100) / 10} s`;
        fail(
          connected
            ? new HttpTransportError(
                `connected, but no complete answer within the time limit (${s})${answering ? ' (it sent part of one)' : ''}`,
                TIMED_OUT,
                true,
              )
            : new HttpTransportError(`no connection within the time limit (${s})`, TIMED_OUT, false),
        );
      }, req.timeoutMs);
      r.on('error', (e: NodeJS.ErrnoException) => fail(new HttpTransportError(e.message, e.code ?? 'ERR_REQUEST', connected)));
      r.end(req.body);
    });
}
