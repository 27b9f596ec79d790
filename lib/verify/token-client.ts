import { randomUUID } from 'node:crypto';
import { tokenEndpoint } from './cloud';
import { HttpTransportError, type HttpClient } from './http';

export interface ClientCredentialsRequest {
  readonly loginEndpoint: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** e.g. `https://outlook.office365.com/.default` */
  readonly scope: string;
  readonly timeoutMs: number;
}

/** The token endpoint's error body (Microsoft identity platform): every field optional. */
export interface AadError {
  readonly status: number;
  readonly error?: string;
  readonly description?: string;
  readonly codes: readonly number[];
  readonly correlationId?: string;
  readonly traceId?: string;
  readonly timestamp?: string;
}

export type TokenResult =
  | { readonly ok: true; readonly accessToken: string; readonly expiresIn?: number; readonly url: string }
  | { readonly ok: false; readonly kind: 'aad'; readonly url: string; readonly aad: AadError }
  | { readonly ok: false; readonly kind: 'http'; readonly url: string; readonly status: number; readonly body: string }
  | { readonly ok: false; readonly kind: 'transport'; readonly url: string; readonly code: string; readonly message: string; readonly connected: boolean };

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * One client-credentials request, as the azuread provider's SDK (go-azure-sdk) and the ITSM tool
 * make it: `POST {login}/{tenant}/oauth2/v2.0/token` with a form body, no discovery calls, no
 * retries. Unlike @azure/identity this keeps the token endpoint's AADSTS codes and HTTP status.
 */
export async function requestClientCredentialsToken(http: HttpClient, req: ClientCredentialsRequest): Promise<TokenResult> {
  const url = tokenEndpoint(req.loginEndpoint, req.tenantId);
  return postTokenForm(
    http,
    url,
    { grant_type: 'client_credentials', client_id: req.clientId, client_secret: req.clientSecret, scope: req.scope },
    req.timeoutMs,
  );
}

/**
 * One POST of a form to a token endpoint, and its answer as it came: the token, the AADSTS error
 * body, another HTTP answer, or no answer. Any grant (a client secret, a certificate's or a
 * federated client assertion) goes through here, so every caller reads errors the same way.
 */
export async function postTokenForm(http: HttpClient, url: string, form: Readonly<Record<string, string>>, timeoutMs: number): Promise<TokenResult> {
  const body = new URLSearchParams(form).toString();
  let res;
  try {
    res = await http({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        // Quoted back as correlation_id: lets Microsoft support find the sign-in.
        'client-request-id': randomUUID(),
        'return-client-request-id': 'true',
      },
      body,
      timeoutMs,
    });
  } catch (e) {
    const t = e instanceof HttpTransportError ? e : new HttpTransportError((e as Error).message, 'ERR');
    return { ok: false, kind: 'transport', url, code: t.code, message: t.message, connected: t.connected };
  }
  let json: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(res.body) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  if (res.status === 200 && json && typeof json.access_token === 'string' && json.access_token !== '') {
    // expires_in is a number or a numeric string depending on the endpoint.
    const expiresIn = Number(json.expires_in);
    return { ok: true, accessToken: json.access_token, url, ...(Number.isFinite(expiresIn) ? { expiresIn } : {}) };
  }
  if (json && (typeof json.error === 'string' || Array.isArray(json.error_codes))) {
    const codes = Array.isArray(json.error_codes) ? json.error_codes.filter((c): c is number => typeof c === 'number') : [];
    const description = str(json.error_description);
    // Older answers carry the code only in the description ("AADSTS7000215: ...").
    const fromText = description?.match(/AADSTS(\d{5,7})/);
    if (codes.length === 0 && fromText) codes.push(Number(fromText[1]));
    return {
      ok: false,
      kind: 'aad',
      url,
      aad: {
        status: res.status,
        error: str(json.error),
        description,
        codes,
        correlationId: str(json.correlation_id),
        traceId: str(json.trace_id),
        timestamp: str(json.timestamp),
      },
    };
  }
  return { ok: false, kind: 'http', url, status: res.status, body: res.body.slice(0, 300) };
}

/** The first sentence of an AADSTS description, without the trace/correlation/timestamp lines. */
export function aadHeadline(aad: AadError): string {
  const first = (aad.description ?? '').split(/\r?\n|\s+Trace ID:/)[0].trim();
  return first || `${aad.error ?? 'error'} (HTTP ${aad.status})`;
}
