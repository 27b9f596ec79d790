import { request as plainRequest } from 'node:http';
import { request } from 'node:https';

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A request that got no HTTP answer: DNS, refused connection, TLS, timeout. `code` is Node's error code. */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export type HttpClient = (req: HttpRequest) => Promise<HttpResponse>;

/** Answers larger than this are cut off: a token response or a metadata document is a few KB. */
const MAX_BODY = 1024 * 1024;

/**
 * HTTPS only (a client secret never travels over plain HTTP), certificates always verified.
 * `ca` replaces the trusted roots; it exists for tests and private clouds. The command line
 * leaves it unset and Node's NODE_EXTRA_CA_CERTS adds a corporate CA instead.
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
      const r = (plain ? plainRequest : request)(
        url,
        {
          method: req.method,
          headers: { ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) },
          minVersion: 'TLSv1.2',
          ...(options.ca !== undefined ? { ca: options.ca } : {}),
          timeout: req.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= MAX_BODY) chunks.push(c);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (e: NodeJS.ErrnoException) => reject(new HttpTransportError(e.message, e.code ?? 'ERR_RESPONSE')));
        },
      );
      r.on('timeout', () => r.destroy(Object.assign(new Error(`no answer within ${Math.round(req.timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })));
      r.on('error', (e: NodeJS.ErrnoException) => reject(new HttpTransportError(e.message, e.code ?? 'ERR_REQUEST')));
      r.end(req.body);
    });
}
