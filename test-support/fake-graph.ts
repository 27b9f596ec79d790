import { createPublicKey, createVerify, randomBytes, randomUUID, verify as verifySignature, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type {
  GraphAppRoleAssignment,
  GraphApplication,
  GraphConditionalAccessPolicy,
  GraphDirectoryObject,
  GraphGroup,
  GraphNamedLocation,
  GraphPermissionGrant,
  GraphServicePrincipal,
} from '../lib/adopt/portal';
import { AADSTS } from './fake-entra';
import type { TestPki } from './verify-pki';

/**
 * A loopback HTTPS stand-in for Microsoft Graph v1.0 and the identity platform, owned by the tests:
 * - GET /metadata/endpoints?api-version=2022-09-01: the cloud metadata the azuread provider reads
 *   for ARM_METADATA_HOSTNAME, with the login endpoint and Microsoft Graph both pointing here;
 * - POST /{tenant}/oauth2/v2.0/token: client credentials with a client secret, a certificate's
 *   signed assertion (verified against the registered certificate) or a federated OIDC token,
 *   answered with Entra ID's AADSTS error bodies when they do not fit;
 * - GitHub Actions and Azure DevOps OIDC token endpoints, and a managed identity endpoint;
 * - the Graph reads adopt makes, over a seeded tenant whose objects have the JSON shapes of Graph's
 *   v1.0 documentation (application, servicePrincipal, appRoleAssignment, oAuth2PermissionGrant,
 *   conditionalAccessPolicy, namedLocation, group), with server-driven paging (`@odata.nextLink`, `$skiptoken`),
 *   throttling on demand (429 with Retry-After) and permission refusals on demand (403).
 */

/** The identity that deploys: what the token endpoint accepts for it. */
export interface FakeDeployer {
  readonly clientId: string;
  /** Its service principal's object ID (the `oid` of its tokens). */
  readonly objectId: string;
  readonly secret?: string;
  /** PEM of the certificate registered on it (its public key verifies assertions). */
  readonly certificatePem?: string;
  /** Subjects of its federated credentials (GitHub/ADO/OIDC tokens with these `sub` are accepted). */
  readonly federatedSubjects?: readonly string[];
}

/** What the tenant holds, as Graph returns it. */
export interface FakeTenant {
  readonly tenantId: string;
  readonly deployers: readonly FakeDeployer[];
  readonly applications: GraphApplication[];
  readonly servicePrincipals: GraphServicePrincipal[];
  /** Owners by the owned object's ID. */
  readonly owners: Record<string, GraphDirectoryObject[]>;
  readonly appRoleAssignments: GraphAppRoleAssignment[];
  readonly permissionGrants: GraphPermissionGrant[];
  readonly policies: GraphConditionalAccessPolicy[];
  /** The named locations (`GET /identity/conditionalAccess/namedLocations`). @default [] */
  readonly namedLocations?: GraphNamedLocation[];
  readonly groups: GraphGroup[];
  /** Users (`GET /users/{id}`), only their IDs and names. @default [] */
  readonly users?: { id: string; displayName?: string }[];
  /** The administrative units each group (by ID) is a member of. */
  readonly administrativeUnitsOf?: Record<string, { id: string; displayName: string }[]>;
}

export interface FakeGraphRequest {
  readonly method: string;
  readonly path: string;
  /** Whether a bearer token came with it (never the token itself). */
  readonly authorized: boolean;
  readonly status: number;
}

export interface FakeGraph {
  readonly url: string;
  /** host:port: the value of ARM_METADATA_HOSTNAME for this fake. */
  readonly host: string;
  /** The Graph resource identifier in the metadata document (the token scope is it plus "/.default"). */
  readonly graphResource: string;
  readonly tenant: FakeTenant;
  readonly requests: FakeGraphRequest[];
  /** Every token issued, so tests can prove none is printed. */
  readonly issued: string[];
  /** Items per page of every collection (server-driven paging). */
  pageSize: number;
  /** Answer the next `count` Graph requests with 429 and this Retry-After (seconds). */
  throttle(count: number, retryAfterSeconds: number | undefined): void;
  /** Answer Graph requests whose path starts with `prefix` with 403 Authorization_RequestDenied. */
  deny(prefix: string): void;
  /**
   * Answer the next `count` requests whose path starts with `prefix` (Graph's, `/v1.0/...`, or the
   * token endpoint's, `/{tenant}/oauth2/v2.0/token`) with this raw answer (a body that need not be
   * JSON, any status and headers), as a broken or hostile server would; `body` may be a function of
   * the answer the fake would have given (the JSON text).
   */
  tamper(
    prefix: string,
    answer: { readonly status?: number; readonly body: string | ((json: string) => string); readonly headers?: Record<string, string> },
    count?: number,
  ): void;
  /** A GitHub/ADO request token the OIDC endpoints accept, for a federated subject. */
  ciRequestToken(subject: string): string;
  /** An OIDC token (as a CI system issues it) for a federated subject. */
  oidcToken(subject: string): string;
  /** A Graph token as if an Azure CLI signed in as `objectId` had fetched it. */
  cliToken(objectId: string): string;
  close(): Promise<void>;
}

export async function startFakeGraph(pki: TestPki, tenant: FakeTenant): Promise<FakeGraph> {
  const requests: FakeGraphRequest[] = [];
  const issued: string[] = [];
  const valid = new Set<string>();
  const oidc = new Map<string, string>();
  const ciTokens = new Map<string, string>();
  const denied: string[] = [];
  const tampered: { prefix: string; answer: Parameters<FakeGraph['tamper']>[1]; left: number }[] = [];
  const state = { pageSize: 100, throttled: 0, retryAfter: undefined as number | undefined };
  let base = '';

  const token = (claims: Record<string, unknown>) => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const t = `${b64({ typ: 'JWT', alg: 'RS256', kid: 'fake-graph' })}.${b64({ aud: `${base}/`, iss: `https://sts.windows.net/${tenant.tenantId}/`, tid: tenant.tenantId, ...claims })}.${randomBytes(32).toString('base64url')}`;
    issued.push(t);
    valid.add(t);
    return t;
  };

  const server: Server = createServer({ cert: pki.serverCert, key: pki.serverKey, minVersion: 'TLSv1.2' }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const path = `${url.pathname}${url.search}`;
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const json = typeof body === 'string' ? body : JSON.stringify(body);
        const t = tampered.find((x) => x.left > 0 && path.startsWith(x.prefix));
        if (t) t.left--;
        const status_ = t?.answer.status ?? status;
        requests.push({ method: req.method ?? '', path, authorized: auth !== undefined, status: status_ });
        res.writeHead(status_, { 'content-type': 'application/json; charset=utf-8', 'request-id': randomUUID(), ...headers, ...(t?.answer.headers ?? {}) });
        res.end(t ? (typeof t.answer.body === 'function' ? t.answer.body(json) : t.answer.body) : json);
      };
      const graphError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
        send(
          status,
          {
            error: {
              code,
              message,
              innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': String(req.headers['client-request-id'] ?? '') },
            },
          },
          headers,
        );

      // Cloud metadata, as for ARM_METADATA_HOSTNAME.
      if (req.method === 'GET' && url.pathname === '/metadata/endpoints') {
        if (url.searchParams.get('api-version') !== '2022-09-01') return send(404, { error: { code: 'NotFound' } });
        return send(200, {
          authentication: { loginEndpoint: `${base}/`, audiences: [`${base}/`], tenant: 'common', identityProvider: 'AAD' },
          name: 'AdoptTestCloud',
          microsoftGraphResourceId: `${base}/`,
          resourceManager: `${base}/arm/`,
        });
      }

      // CI OIDC issuers: GitHub Actions (GET, {value}) and Azure DevOps (POST, {oidcToken}).
      if (url.pathname === '/github/idtoken' || url.pathname === '/ado/oidctoken') {
        const subject = auth ? ciTokens.get(auth) : undefined;
        if (!subject || url.searchParams.get('audience') !== 'api://AzureADTokenExchange') return send(401, { message: 'Bad credentials' });
        if (
          url.pathname === '/ado/oidctoken' &&
          (req.method !== 'POST' || url.searchParams.get('api-version') !== '7.1' || !url.searchParams.get('serviceConnectionId'))
        )
          return send(400, { message: 'bad request' });
        const t = mintOidc(subject);
        return send(200, url.pathname === '/github/idtoken' ? { count: 1, value: t } : { oidcToken: t });
      }

      // Managed identity endpoint (IMDS's shape).
      if (url.pathname === '/msi/token') {
        if (req.headers.metadata !== 'true') return send(400, { error: 'invalid_request', error_description: 'Required metadata header not specified' });
        if (url.searchParams.get('resource') !== `${base}/`) return send(400, { error: 'invalid_resource' });
        const deployer = tenant.deployers.find((d) => d.clientId === (url.searchParams.get('client_id') ?? tenant.deployers[0].clientId));
        if (!deployer) return send(400, { error: 'invalid_request', error_description: 'Identity not found' });
        return send(200, {
          access_token: token({ oid: deployer.objectId, appid: deployer.clientId }),
          expires_in: '3599',
          resource: `${base}/`,
          token_type: 'Bearer',
        });
      }

      // The token endpoint.
      const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (m && req.method === 'POST') {
        const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        const fail = (code: number, vars: Record<string, string> = {}) => {
          const spec = AADSTS[code] ?? { status: 400, error: 'invalid_client', text: 'Refused.' };
          const text = spec.text.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
          return send(spec.status, {
            error: spec.error,
            error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}`,
            error_codes: [code],
            trace_id: randomUUID(),
            correlation_id: randomUUID(),
          });
        };
        const tenantId = decodeURIComponent(m[1]);
        if (tenantId !== tenant.tenantId) return fail(90002, { tenant: tenantId });
        const client = form.client_id ?? '';
        const deployer = tenant.deployers.find((d) => d.clientId === client);
        if (!deployer) return fail(700016, { client, tenant: tenantId });
        if (form.scope !== `${base}//.default`) return fail(1002012, { scope: form.scope ?? '' });
        if (form.client_secret !== undefined) {
          if (form.client_secret !== deployer.secret) return fail(7000215, { client });
        } else if (form.client_assertion_type === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' && form.client_assertion) {
          const why = assertionProblem(form.client_assertion, deployer, `${base}${url.pathname}`);
          if (why === 'federated') {
            const sub = oidc.get(form.client_assertion);
            if (!sub || !(deployer.federatedSubjects ?? []).includes(sub)) return fail(70021);
          } else if (why !== undefined) return fail(700027);
        } else return fail(7000218);
        return send(200, {
          token_type: 'Bearer',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: token({ oid: deployer.objectId, appid: deployer.clientId }),
        });
      }

      // Microsoft Graph.
      if (!url.pathname.startsWith('/v1.0/')) return send(404, { error: 'not_found' });
      if (!auth || !valid.has(auth)) return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
      if (state.throttled > 0) {
        state.throttled--;
        return graphError(429, 'TooManyRequests', 'Too many requests.', state.retryAfter !== undefined ? { 'retry-after': String(state.retryAfter) } : {});
      }
      if (denied.some((d) => url.pathname.startsWith(d)))
        return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      const answer = graph(tenant, url);
      if (answer === undefined)
        return graphError(
          404,
          'Request_ResourceNotFound',
          `Resource '${url.pathname.split('/').pop()}' does not exist or one of its queried reference-property objects are not present.`,
        );
      if (answer === 'bad') return graphError(400, 'Request_BadRequest', `Invalid object identifier '${url.pathname.split('/').pop()}'.`);
      if (!Array.isArray(answer)) return send(200, { '@odata.context': `${base}/v1.0/$metadata#entity`, ...answer });
      // Server-driven paging, as Graph does it: a $skiptoken in the next link.
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      const page = answer.slice(skip, skip + state.pageSize);
      const next = skip + state.pageSize < answer.length ? new URL(url) : undefined;
      next?.searchParams.set('$skiptoken', String(skip + state.pageSize));
      return send(200, { '@odata.context': `${base}/v1.0/$metadata#collection`, value: page, ...(next ? { '@odata.nextLink': next.toString() } : {}) });
    });
  });

  const mintOidc = (subject: string) => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const t = `${b64({ typ: 'JWT', alg: 'RS256' })}.${b64({ iss: 'https://token.actions.githubusercontent.com', sub: subject, aud: 'api://AzureADTokenExchange' })}.${randomBytes(32).toString('base64url')}`;
    oidc.set(t, subject);
    return t;
  };

  // Node's clients keep connections alive between requests (the global agent's keepAlive): a server
  // that closed an idle one after its 5 s default races the next request on it (ECONNRESET) when a
  // test pauses (a synthesis) between two commands. Idle connections stay open until close().
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `https://127.0.0.1:${port}`;
  return {
    url: base,
    host: `127.0.0.1:${port}`,
    graphResource: `${base}/`,
    tenant,
    requests,
    issued,
    get pageSize() {
      return state.pageSize;
    },
    set pageSize(n) {
      state.pageSize = n;
    },
    throttle: (count, retryAfter) => {
      state.throttled = count;
      state.retryAfter = retryAfter;
    },
    deny: (prefix) => denied.push(prefix),
    tamper: (prefix, answer, count = 1) => {
      tampered.push({ prefix, answer, left: count });
    },
    ciRequestToken: (subject) => {
      const t = randomBytes(24).toString('base64url');
      ciTokens.set(t, subject);
      return t;
    },
    oidcToken: (subject) => mintOidc(subject),
    cliToken: (objectId) => token({ oid: objectId }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Why a client assertion is not a valid certificate assertion for `deployer` ('federated' when it
 * is not signed by a certificate at all: then it may be a federated OIDC token). Undefined when valid.
 */
function assertionProblem(assertion: string, deployer: FakeDeployer, audience: string): string | undefined {
  const [h, p, s] = assertion.split('.');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'not a JWT';
  }
  if (header.x5t === undefined) return 'federated';
  if (!deployer.certificatePem) return 'no certificate registered';
  const cert = new X509Certificate(deployer.certificatePem);
  const thumbprint = Buffer.from(cert.fingerprint.replace(/:/g, ''), 'hex').toString('base64url');
  if (String(header.x5t).replace(/=+$/, '') !== thumbprint) return 'another certificate';
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s, 'base64url');
  const key = createPublicKey(cert.publicKey.export({ type: 'spki', format: 'pem' }));
  const ok =
    header.alg === 'ES256'
      ? verifySignature('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig)
      : createVerify('RSA-SHA256').update(data).verify(key, sig);
  if (!ok) return 'bad signature';
  const now = Math.floor(Date.now() / 1000);
  if (
    claims.aud !== audience ||
    claims.iss !== deployer.clientId ||
    claims.sub !== deployer.clientId ||
    typeof claims.exp !== 'number' ||
    claims.exp < now ||
    typeof claims.nbf !== 'number' ||
    claims.nbf > now + 60
  ) {
    return 'claims';
  }
  return undefined;
}

/** The answer to one Graph GET: an object, a collection, undefined (404) or 'bad' (400). */
function graph(t: FakeTenant, url: URL): Record<string, unknown> | readonly unknown[] | undefined | 'bad' {
  const parts = url.pathname
    .replace(/^\/v1\.0\//, '')
    .split('/')
    .map(decodeURIComponent);
  const filter = url.searchParams.get('$filter');
  const eq = filter ? /^(\w+) eq '(.*)'$/.exec(filter) : null;
  const where = <T extends object>(items: readonly T[]) => (eq ? items.filter((i) => String((i as Record<string, unknown>)[eq[1]]) === eq[2]) : items);
  const uuid = /^[0-9a-f-]{36}$/i;
  const [kind, id, rel] = parts;
  if (kind === 'identity' && parts[1] === 'conditionalAccess' && (parts[2] === 'policies' || parts[2] === 'namedLocations')) {
    const items: readonly { id: string }[] = parts[2] === 'policies' ? t.policies : (t.namedLocations ?? []);
    if (parts[3] === undefined) return items.map((x) => ({ ...x }));
    const p = items.find((x) => x.id === parts[3]);
    return p ? { ...p } : uuid.test(parts[3] ?? '') ? undefined : 'bad';
  }
  const collections: Record<string, readonly { id: string }[]> = {
    applications: t.applications,
    servicePrincipals: t.servicePrincipals,
    oauth2PermissionGrants: t.permissionGrants,
    groups: t.groups,
    users: t.users ?? [],
  };
  const all = collections[kind];
  if (!all) return undefined;
  if (id === undefined) return where(all);
  if (!uuid.test(id)) return 'bad';
  const item = all.find((x) => x.id === id);
  if (!item) return undefined;
  if (rel === undefined) return { ...item };
  if (rel === 'owners') return t.owners[id] ?? [];
  if (kind === 'groups' && rel === 'memberOf' && parts[3] === 'microsoft.graph.administrativeUnit')
    return (t.administrativeUnitsOf?.[id] ?? []).map((u) => ({ '@odata.type': '#microsoft.graph.administrativeUnit', ...u }));
  if (rel === 'appRoleAssignments') return t.appRoleAssignments.filter((a) => a.principalId === id);
  if (rel === 'appRoleAssignedTo') return t.appRoleAssignments.filter((a) => a.resourceId === id);
  return undefined;
}
