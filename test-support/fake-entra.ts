import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestPki } from './verify-pki';
import { RESOURCES, appOnlyClaims, signJwt, type TestApp, type TestWorld } from './verify-world';

/**
 * A loopback HTTPS stand-in for the Microsoft identity platform that the tests own:
 * - POST /{tenant}/oauth2/v2.0/token (client credentials) issues RS256 v1 tokens from the test
 *   world, and answers each failure with the AADSTS error body Entra ID sends
 *   ({error, error_description, error_codes, timestamp, trace_id, correlation_id, error_uri});
 * - GET /metadata/endpoints?api-version=2022-09-01 serves the cloud metadata document the azuread
 *   provider reads for ARM_METADATA_HOSTNAME, pointing the login endpoint back here.
 * Statuses and `error` values follow the captured answers in docs/verify.md; where no capture
 * exists (AADSTS53003 for client credentials) the `error` value is a guess, and verify keys on the
 * code only.
 */
export interface FakeEntra {
  readonly url: string;
  /** host:port, the value of ARM_METADATA_HOSTNAME for this fake. */
  readonly host: string;
  readonly requests: { method: string; path: string; form?: Record<string, string> }[];
  /** Every access token issued (for the tests that prove none is printed). */
  readonly issued: string[];
  /** Answer every token request with this AADSTS error until cleared. */
  forceError(code: number | undefined): void;
  /** How /metadata/endpoints answers. */
  metadataMode: 'ok' | 'array' | 'missing';
  /** Answer token requests with this raw HTTP status and body (a proxy, an outage). */
  rawAnswer?: { status: number; body: string };
  close(): Promise<void>;
}

interface AadErrorSpec {
  readonly status: number;
  readonly error: string;
  readonly text: string;
}

/** What Entra ID answers, per code (texts from reference-error-codes.md and captured answers). */
export const AADSTS: Readonly<Record<number, AadErrorSpec>> = {
  7000215: {
    status: 401,
    error: 'invalid_client',
    text: "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client}'.",
  },
  7000222: {
    status: 401,
    error: 'invalid_client',
    text: "The provided client secret keys for app '{client}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
  },
  90002: {
    status: 400,
    error: 'invalid_tenant',
    text: "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
  },
  700016: {
    status: 400,
    error: 'unauthorized_client',
    text: "Application with identifier '{client}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.",
  },
  7000229: { status: 400, error: 'invalid_client', text: 'The client application {client} is missing service principal in the tenant {tenant}.' },
  7000218: { status: 401, error: 'invalid_client', text: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." },
  1002012: {
    status: 400,
    error: 'invalid_scope',
    text: 'The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).',
  },
  500011: {
    status: 400,
    error: 'invalid_resource',
    text: 'The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.',
  },
  53003: {
    status: 400,
    error: 'access_denied',
    text: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  },
  65001: {
    status: 400,
    error: 'invalid_grant',
    text: "The user or administrator has not consented to use the application with ID '{client}'. Send an interactive authorization request for this user and resource.",
  },
  70011: {
    status: 400,
    error: 'invalid_scope',
    text: "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid.",
  },
  700025: { status: 400, error: 'invalid_client', text: 'Client is public so neither client_assertion nor client_secret should be presented.' },
  7000112: { status: 400, error: 'unauthorized_client', text: "Application '{client}' is disabled." },
  50011: {
    status: 400,
    error: 'invalid_request',
    text: "The redirect URI specified in the request does not match the redirect URIs configured for the application '{client}'.",
  },
  90055: { status: 429, error: 'temporarily_unavailable', text: 'The tenant is throttled: too many requests.' },
  9999999: { status: 400, error: 'invalid_request', text: 'An error this project has no cause for.' },
};

export async function startFakeEntra(pki: TestPki, world: TestWorld): Promise<FakeEntra> {
  let forced: number | undefined;
  const requests: FakeEntra['requests'] = [];
  const issued: string[] = [];
  const apps = new Map<string, TestApp>(Object.values(world.apps).map((a) => [a.clientId, a]));
  let base = '';
  const state: Pick<FakeEntra, 'metadataMode' | 'rawAnswer'> = { metadataMode: 'ok' };

  const server: Server = createServer({ cert: pki.serverCert, key: pki.serverKey, minVersion: 'TLSv1.2' }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (req.method === 'GET' && url.pathname === '/metadata/endpoints') {
        requests.push({ method: 'GET', path: `${url.pathname}${url.search}` });
        if (state.metadataMode === 'missing' || url.searchParams.get('api-version') !== '2022-09-01') return send(404, { error: { code: 'NotFound' } });
        const doc = metadataDocument(base);
        return send(200, state.metadataMode === 'array' ? [doc] : doc);
      }
      const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (req.method !== 'POST' || !m) return send(404, { error: 'not_found' });
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      // The log never keeps the secret itself.
      requests.push({ method: 'POST', path: url.pathname, form: { ...form, ...(form.client_secret !== undefined ? { client_secret: '<present>' } : {}) } });
      if (state.rawAnswer) return send(state.rawAnswer.status, state.rawAnswer.body, { 'content-type': 'text/html' });
      const tenant = decodeURIComponent(m[1]);
      const correlation = req.headers['client-request-id']?.toString() ?? randomUUID();
      const fail = (code: number, vars: Record<string, string> = {}) => {
        const spec = AADSTS[code];
        const text = spec.text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
        const trace = randomUUID();
        const ts = new Date()
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, 'Z');
        send(spec.status, {
          error: spec.error,
          error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${ts}`,
          error_codes: [code],
          timestamp: ts,
          trace_id: trace,
          correlation_id: correlation,
          error_uri: `${base}/error?code=${code}`,
        });
      };
      const client = form.client_id ?? '';
      if (forced !== undefined) return fail(forced, { tenant, client, scope: form.scope ?? '', resource: form.scope ?? '' });
      if (tenant !== world.tenant) return fail(90002, { tenant });
      const a = apps.get(client);
      if (!a) return fail(700016, { client, tenant });
      if (!form.client_secret) return fail(7000218);
      if (form.client_secret === a.expiredSecret) return fail(7000222, { client });
      if (form.client_secret !== a.secret) return fail(7000215, { client });
      const scope = form.scope ?? '';
      if (!scope.endsWith('/.default')) return fail(1002012, { scope });
      const resource = scope.slice(0, -'/.default'.length);
      if (!RESOURCES.includes(resource)) return fail(500011, { resource, tenant });
      if (a.blockedByConditionalAccess) return fail(53003);
      const token = signJwt(appOnlyClaims(a, resource, world.tenant), pki);
      issued.push(token);
      send(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `https://127.0.0.1:${port}`;
  const fake: FakeEntra = {
    url: base,
    host: `127.0.0.1:${port}`,
    requests,
    issued,
    forceError: (code) => {
      forced = code;
    },
    get metadataMode() {
      return state.metadataMode;
    },
    set metadataMode(m) {
      state.metadataMode = m;
    },
    get rawAnswer() {
      return state.rawAnswer;
    },
    set rawAnswer(r) {
      state.rawAnswer = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

/** The api-version 2022-09-01 document (one object), as hashicorp/go-azure-sdk's test stub has it, pointed at `base`. */
function metadataDocument(base: string) {
  return {
    portal: 'https://portal.azure.com',
    authentication: {
      loginEndpoint: `${base}/`,
      audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    media: 'https://rest.media.azure.net',
    graphAudience: 'https://graph.windows.net/',
    graph: 'https://graph.windows.net/',
    name: 'VerifyTestCloud',
    suffixes: { keyVaultDns: 'vault.azure.net', storage: 'core.windows.net' },
    batch: 'https://batch.core.windows.net/',
    resourceManager: 'https://management.azure.com/',
    microsoftGraphResourceId: `${base}/`,
  };
}
