/**
 * A small Microsoft Graph v1.0 reader: GET with the deployer's token, collections followed through
 * `@odata.nextLink`, throttling answered as Graph asks (429 or 503 with `Retry-After`, a bounded
 * number of times), errors kept as Graph sends them (`error.code`, `error.message`, the request ID).
 * Only reads: adopt never writes to the tenant.
 */
import { randomUUID } from 'node:crypto';
import { HttpTransportError, type HttpClient, type HttpResponse } from '../verify/http';

/**
 * A Graph request that failed: the status, Graph's error code and message, and its request ID for
 * support. The message is adopt's words only; what Graph said comes apart in `said`, whole, so
 * that whoever prints it scrubs it first and only then cuts it short (a piece of the token or the
 * secret cut in half by an excerpt would no longer be recognised).
 */
/** The `code` of a GraphError raised because `--deadline` was reached. */
export const DEADLINE = 'DEADLINE';

export class GraphError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly path: string,
    readonly code?: string,
    readonly requestId?: string,
    /** Graph's own words (its error code and message, or the body as it came), uncut. */
    readonly said?: string,
    /** adopt's words after Graph's (why it stopped retrying). */
    readonly note: string = '',
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface GraphClientOptions {
  readonly http: HttpClient;
  /** Graph's resource identifier (`https://graph.microsoft.com`): requests go to `{it}/v1.0/...`. */
  readonly graphResource: string;
  readonly accessToken: string;
  readonly timeoutMs: number;
  /** How many times a throttled request is repeated before giving up. @default 4 */
  readonly maxRetries?: number;
  /** The longest wait adopt accepts for one retry, in seconds; a longer Retry-After fails at once. @default 120 */
  readonly maxRetryAfterSeconds?: number;
  /** Waits (tests make it instant and record it). */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * When every read must be over (epoch ms; `--deadline`): no request starts after it, none runs
   * past it, and no retry waits beyond it, however many pages and throttled answers Graph sends.
   */
  readonly deadline?: { readonly at: number; readonly seconds: number };
  /** The clock the deadline is read on (tests). @default Date.now */
  readonly now?: () => number;
  /** Told about each retry (the command line prints it). */
  readonly onRetry?: (info: { readonly path: string; readonly status: number; readonly waitSeconds: number; readonly attempt: number }) => void;
}

/** At most this many pages of one collection: a tenant's consents or owners are a few dozen. */
const MAX_PAGES = 200;

export interface GraphClient {
  /** One object. @throws GraphError */
  get<T>(path: string): Promise<T>;
  /** Every item of a collection, page after page. @throws GraphError */
  list<T>(path: string): Promise<T[]>;
  /** One object, or undefined for 404. @throws GraphError on any other failure */
  find<T>(path: string): Promise<T | undefined>;
}

/**
 * The longest page of Microsoft Graph adopt reads. A page holds up to 100 objects by default (Graph's
 * paging); a named location may hold up to 2,000 IP ranges (MAX_IP_RANGES_PER_LOCATION; Microsoft Learn, "Conditional Access:
 * named locations"), about 80 KB of JSON, so a page of them can reach several MB. 32 MiB holds 100 such
 * locations with room to spare, and still bounds what a hostile server can make adopt hold.
 */
const GRAPH_MAX_BODY = { bytes: 32 * 1024 * 1024, why: 'a Microsoft Graph page of 100 objects is at most a few MB' };

export function graphClient(o: GraphClientOptions): GraphClient {
  const base = o.graphResource.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const maxRetries = o.maxRetries ?? 4;
  const maxWait = o.maxRetryAfterSeconds ?? 120;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  const now = o.now ?? Date.now;
  /** Milliseconds left before the deadline (Infinity without one). */
  const left = () => (o.deadline ? o.deadline.at - now() : Number.POSITIVE_INFINITY);
  const pastDeadline = (path: string, what: string) =>
    new GraphError(
      `adopt has read Microsoft Graph for its whole --deadline of ${o.deadline?.seconds} s ${what} GET ${path}; nothing was written`,
      0,
      path,
      DEADLINE,
    );

  const request = async (url: string, path: string): Promise<HttpResponse> => {
    for (let attempt = 0; ; attempt++) {
      let res: HttpResponse;
      if (left() <= 0) throw pastDeadline(path, 'before');
      try {
        res = await o.http({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${o.accessToken}`, accept: 'application/json', 'client-request-id': randomUUID() },
          timeoutMs: Math.max(1, Math.min(o.timeoutMs, left())),
          maxBody: GRAPH_MAX_BODY,
        });
      } catch (e) {
        const code = e instanceof HttpTransportError ? e.code : 'ERR';
        throw new GraphError(`Microsoft Graph did not answer GET ${path} (${code}: ${(e as Error).message})`, 0, path, code);
      }
      if ((res.status === 429 || res.status === 503 || res.status === 504) && attempt < maxRetries) {
        const wait = retryAfterSeconds(res.headers['retry-after']) ?? Math.min(2 ** attempt, 30);
        if (wait > maxWait) throw errorOf(res, path, ` (Graph asks to wait ${wait} s, more than the ${maxWait} s adopt waits: run it again later)`);
        if (wait * 1000 >= left()) throw pastDeadline(path, `(Graph asks to wait ${wait} s more) at`);
        o.onRetry?.({ path, status: res.status, waitSeconds: wait, attempt: attempt + 1 });
        await sleep(wait * 1000);
        continue;
      }
      if (res.status === 429 || res.status === 503 || res.status === 504)
        throw errorOf(res, path, ` (still throttled after ${maxRetries} retries: run adopt again later)`);
      return res;
    }
  };

  const getJson = async (url: string, path: string, notFound?: 'undefined'): Promise<Record<string, unknown> | undefined> => {
    const res = await request(url, path);
    if (res.status === 404 && notFound) return undefined;
    if (res.status !== 200) throw errorOf(res, path);
    try {
      const v = JSON.parse(res.body) as unknown;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // fall through
    }
    throw new GraphError(`Microsoft Graph answered GET ${path} with something other than a JSON object`, res.status, path);
  };

  return {
    get: async <T>(path: string) => (await getJson(`${base}${path}`, path)) as T,
    find: async <T>(path: string) => (await getJson(`${base}${path}`, path, 'undefined')) as T | undefined,
    list: async <T>(path: string) => {
      const out: T[] = [];
      let url: string | undefined = `${base}${path}`;
      for (let page = 0; url !== undefined; page++) {
        if (page >= MAX_PAGES) throw new GraphError(`GET ${path} has more than ${MAX_PAGES} pages; adopt reads at most that many`, 200, path);
        const body: Record<string, unknown> = (await getJson(url, path))!;
        if (!Array.isArray(body.value)) throw new GraphError(`Microsoft Graph answered GET ${path} without a "value" list`, 200, path);
        if (!body.value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
          throw new GraphError(`Microsoft Graph answered GET ${path} with a "value" list holding something other than objects`, 200, path);
        }
        out.push(...(body.value as T[]));
        const next: unknown = body['@odata.nextLink'];
        if (typeof next === 'string') {
          // Graph's next links are absolute; the token goes only to Graph itself: a next link elsewhere is refused, not followed.
          let nextUrl: URL;
          try {
            nextUrl = new URL(next);
          } catch {
            throw new GraphError(`GET ${path} returned a next page link that is not an absolute URL; not followed`, 200, path);
          }
          if (nextUrl.origin !== origin) throw new GraphError(`GET ${path} returned a next page on another host (${nextUrl.host}); not followed`, 200, path);
          url = nextUrl.toString();
        } else if (next === undefined || next === null) url = undefined;
        // Anything else would end the paging early and drop the pages after it, silently.
        else
          throw new GraphError(
            `GET ${path} returned a next page link that is not a URL string (${describeValue(next)}); adopt cannot read the pages after it`,
            200,
            path,
          );
      }
      return out;
    },
  };
}

/** What a value is, in a few words, for a message (never the value itself: it came from a server). */
function describeValue(v: unknown): string {
  return Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** An HTTP-date as Retry-After carries it (IMF-fixdate, RFC 9110 §5.6.7). */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** `Retry-After` in seconds: a number of seconds or an HTTP date; undefined when it is neither (then adopt backs off as without it). */
export function retryAfterSeconds(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  // Date.parse alone reads "-5" or "1.5" as dates long past: no wait at all.
  if (!HTTP_DATE.test(v.trim())) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function errorOf(res: HttpResponse, path: string, more = ''): GraphError {
  let code: string | undefined;
  let message: string | undefined;
  let requestId: string | undefined;
  try {
    const e = (JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } }).error;
    code = typeof e?.code === 'string' ? e.code : undefined;
    message = typeof e?.message === 'string' ? e.message : undefined;
    const id = e?.innerError?.['request-id'];
    requestId = typeof id === 'string' ? id : undefined;
  } catch {
    // not Graph's error body
  }
  const header = res.headers['request-id'];
  requestId ??= typeof header === 'string' ? header : undefined;
  // Not cut short here: the command line scrubs Graph's words of the credentials, then shows an excerpt.
  const said = code !== undefined ? `${code}${message ? `: ${message}` : ''}` : res.body || '(no body)';
  return new GraphError(`GET ${path} answered HTTP ${res.status}`, res.status, path, code, requestId, said, more);
}
