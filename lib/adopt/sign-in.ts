/**
 * Gets a Microsoft Graph token with the deployer's credential, the way go-azure-sdk (the azuread
 * provider's SDK) gets it: one POST to `{login}/{tenant}/oauth2/v2.0/token` with the scope
 * `{Graph resource}/.default`, a client assertion signed with the certificate's key (RS256 or ES256,
 * the thumbprint as `x5t` and `kid`, valid one hour), or the federated OIDC token as the assertion;
 * the managed identity endpoint with `resource`; `az account get-access-token --scope … --tenant …`.
 * No discovery calls, no token cache, no retries: a failure is reported with the AADSTS code.
 */
import { spawn } from 'node:child_process';
import { createSign, randomUUID, sign as signOneShot } from 'node:crypto';
import { tokenEndpoint } from '../verify/cloud';
import { HttpTransportError, type HttpClient } from '../verify/http';
import { aadHeadline, postTokenForm, type TokenResult } from '../verify/token-client';
import { IMDS_ENDPOINT, type Credential } from './credentials';
import { Pkcs12Error, readPkcs12, x5t } from './pkcs12';

/** A token, and who it is for, read from its claims (not verified: Graph verifies it). */
export interface GraphToken {
  readonly accessToken: string;
  /** The `tid` claim, when the token has one. */
  readonly tenantId?: string;
  /** The `oid` claim: the object ID of the identity that signed in (the deployer). */
  readonly objectId?: string;
}

/**
 * Signing in failed: the cause in words, the fix, and the AADSTS code when Entra ID gave one. What
 * the token endpoint (or the Azure CLI) said comes apart in `said`, whole: whoever prints it
 * scrubs it of the credentials first, then cuts it short.
 */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly code?: number,
    /** The other side's own words, uncut, said after the message. */
    readonly said?: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

export interface SignInContext {
  readonly http: HttpClient;
  /** For the managed identity endpoint only, which may be plain HTTP on the machine itself. @default http */
  readonly managedIdentityHttp?: HttpClient;
  readonly loginEndpoint: string;
  /** Graph's resource identifier (`https://graph.microsoft.com`, or the metadata document's). */
  readonly graphResource: string;
  readonly timeoutMs: number;
  /** Runs `az` (tests give a fake); defaults to spawning it from PATH. */
  readonly runAz?: (
    args: readonly string[],
  ) => Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string; readonly missing?: boolean }>;
  readonly now?: () => number;
}

/** The scope go-azure-sdk requests: the resource identifier as is, then `/.default` (environments.Scope). */
export function graphScope(graphResource: string): string {
  return `${graphResource}/.default`;
}

/** Signs in with `credential` and returns a Graph token. @throws SignInError */
export async function acquireGraphToken(credential: Credential, ctx: SignInContext): Promise<GraphToken> {
  const scope = graphScope(ctx.graphResource);
  switch (credential.kind) {
    case 'clientSecret':
      return fromResult(
        await postTokenForm(
          ctx.http,
          tokenEndpoint(ctx.loginEndpoint, credential.tenantId),
          { grant_type: 'client_credentials', client_id: credential.clientId, client_secret: credential.secret, scope },
          ctx.timeoutMs,
        ),
        credential,
      );
    case 'clientCertificate': {
      let key;
      try {
        key = readPkcs12(credential.pkcs12, credential.password);
      } catch (e) {
        if (e instanceof Pkcs12Error)
          throw new SignInError(`the certificate of ${credential.from} ${e.message}`, 'check the file and ARM_CLIENT_CERTIFICATE_PASSWORD');
        throw e;
      }
      const url = tokenEndpoint(ctx.loginEndpoint, credential.tenantId);
      const assertion = signedAssertion(key.privateKey, x5t(key.certificate), url, credential.clientId, ctx.now?.() ?? Date.now());
      return fromResult(await postTokenForm(ctx.http, url, assertionForm(credential.clientId, assertion, scope), ctx.timeoutMs), credential);
    }
    case 'oidcToken':
      return fromResult(
        await postTokenForm(
          ctx.http,
          tokenEndpoint(ctx.loginEndpoint, credential.tenantId),
          assertionForm(credential.clientId, credential.assertion, scope),
          ctx.timeoutMs,
        ),
        credential,
      );
    case 'githubOidc':
    case 'adoPipelineOidc': {
      const assertion = await federatedToken(credential, ctx);
      return fromResult(
        await postTokenForm(
          ctx.http,
          tokenEndpoint(ctx.loginEndpoint, credential.tenantId),
          assertionForm(credential.clientId, assertion, scope),
          ctx.timeoutMs,
        ),
        credential,
      );
    }
    case 'managedIdentity':
      return managedIdentityToken(credential, ctx);
    case 'azureCli':
      return azureCliToken(credential, ctx, scope);
  }
}

function assertionForm(clientId: string, assertion: string, scope: string): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    scope,
  };
}

/** A client assertion as go-azure-sdk signs it (client_credentials.go): aud the token URL, iss = sub = client ID, one hour. */
export function signedAssertion(key: import('node:crypto').KeyObject, thumbprint: string, tokenUrl: string, clientId: string, nowMs: number): string {
  const ec = key.asymmetricKeyType === 'ec';
  if (!ec && key.asymmetricKeyType !== 'rsa')
    throw new SignInError(`the certificate's key is ${key.asymmetricKeyType}; Entra ID takes RSA (or EC) keys`, 'use an RSA certificate');
  const now = Math.floor(nowMs / 1000);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: ec ? 'ES256' : 'RS256', typ: 'JWT', x5t: thumbprint, kid: thumbprint })}.${b64({ aud: tokenUrl, exp: now + 3600, iss: clientId, jti: randomUUID(), nbf: now, sub: clientId })}`;
  // JWS wants ES256 signatures as r||s, not DER.
  const signature = ec ? signOneShot('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }) : createSign('RSA-SHA256').update(input).sign(key);
  return `${input}.${signature.toString('base64url')}`;
}

/** The CI system's OIDC token for Entra ID's federated credentials (audience api://AzureADTokenExchange). */
async function federatedToken(c: Extract<Credential, { kind: 'githubOidc' | 'adoPipelineOidc' }>, ctx: SignInContext): Promise<string> {
  let url: URL;
  try {
    url = new URL(c.requestUrl);
  } catch {
    throw new SignInError(
      'the OIDC request URL (ACTIONS_ID_TOKEN_REQUEST_URL / ARM_OIDC_REQUEST_URL / SYSTEM_OIDCREQUESTURI) is not a URL',
      'run in the CI job that provides it, with id-token permission',
    );
  }
  const ado = c.kind === 'adoPipelineOidc';
  if (ado) {
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', '7.1');
    if (!url.searchParams.has('serviceConnectionId')) url.searchParams.set('serviceConnectionId', c.serviceConnectionId);
  }
  if (!url.searchParams.has('audience')) url.searchParams.set('audience', 'api://AzureADTokenExchange');
  const who = ado ? 'Azure DevOps' : 'GitHub Actions';
  let res;
  try {
    res = await ctx.http({
      method: ado ? 'POST' : 'GET',
      url: url.toString(),
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${c.requestToken}`,
        'content-type': ado ? 'application/json' : 'application/x-www-form-urlencoded',
      },
      ...(ado ? { body: '' } : {}),
      timeoutMs: ctx.timeoutMs,
    });
  } catch (e) {
    throw new SignInError(
      `${who} did not answer the OIDC token request: ${(e as Error).message}`,
      'run adopt in the pipeline job itself (the request URL is only valid there)',
    );
  }
  let value: unknown;
  try {
    const json = JSON.parse(res.body) as Record<string, unknown>;
    value = ado ? json.oidcToken : json.value;
  } catch {
    value = undefined;
  }
  if (res.status !== 200 || typeof value !== 'string' || value === '') {
    throw new SignInError(
      `${who} refused the OIDC token request (HTTP ${res.status})`,
      ado ? 'give the pipeline job access to the service connection and the System.AccessToken' : 'give the workflow job "permissions: id-token: write"',
    );
  }
  return value;
}

async function managedIdentityToken(c: Extract<Credential, { kind: 'managedIdentity' }>, ctx: SignInContext): Promise<GraphToken> {
  let url: URL;
  try {
    url = new URL(c.endpoint);
  } catch {
    throw new SignInError(`ARM_MSI_ENDPOINT=${c.endpoint} is not a URL`, `leave it unset for ${IMDS_ENDPOINT}`);
  }
  url.searchParams.set('api-version', c.apiVersion);
  url.searchParams.set('resource', ctx.graphResource);
  if (c.clientId) url.searchParams.set('client_id', c.clientId);
  let res;
  try {
    res = await (ctx.managedIdentityHttp ?? ctx.http)({
      method: 'GET',
      url: url.toString(),
      headers: { Metadata: 'true', accept: 'application/json' },
      timeoutMs: ctx.timeoutMs,
    });
  } catch (e) {
    const code = e instanceof HttpTransportError ? e.code : 'ERR';
    throw new SignInError(
      `the managed identity endpoint ${url.origin}${url.pathname} did not answer (${code})`,
      'run adopt on the Azure machine whose managed identity deploys, or sign in another way (ARM_* or az login)',
    );
  }
  let token: unknown;
  try {
    token = (JSON.parse(res.body) as Record<string, unknown>).access_token;
  } catch {
    token = undefined;
  }
  if (res.status !== 200 || typeof token !== 'string' || token === '') {
    throw new SignInError(
      `the managed identity endpoint refused the token request (HTTP ${res.status})`,
      c.clientId
        ? `check that the identity ${c.clientId} (ARM_CLIENT_ID) is assigned to this machine`
        : 'assign a managed identity to this machine, or set ARM_CLIENT_ID to the user-assigned one',
    );
  }
  return withClaims(token);
}

async function azureCliToken(c: Extract<Credential, { kind: 'azureCli' }>, ctx: SignInContext, scope: string): Promise<GraphToken> {
  const args = ['account', 'get-access-token', '--scope', scope, ...(c.tenantId ? ['--tenant', c.tenantId] : []), '--output', 'json'];
  const r = await (ctx.runAz ?? spawnAz)(args);
  if (r.missing) {
    throw new SignInError(
      'no credentials in ARM_* variables, and the Azure CLI (az) is not installed',
      'set ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET (or another method the provider takes), or install the Azure CLI and run az login',
    );
  }
  if (r.code !== 0) {
    const line =
      r.stderr
        .split('\n')
        .map((l) => l.trim())
        .find((l) => /^ERROR:/.test(l)) ??
      r.stderr.trim().split('\n')[0] ??
      '';
    throw new SignInError(
      'the Azure CLI could not give a Graph token',
      c.tenantId ? `run az login --tenant ${c.tenantId}` : 'run az login (and set ARM_TENANT_ID to pick the tenant)',
      undefined,
      line,
    );
  }
  let token: unknown;
  try {
    token = (JSON.parse(r.stdout) as Record<string, unknown>).accessToken;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '')
    throw new SignInError('the Azure CLI answered without an accessToken', 'update the Azure CLI, then run az login again');
  return withClaims(token);
}

function spawnAz(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string; missing?: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.platform === 'win32' ? 'az.cmd' : 'az', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: null, stdout, stderr: e.message, missing: e.code === 'ENOENT' }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The token's `tid` and `oid`, read without verifying: only to name the tenant and the deployer. */
export function withClaims(accessToken: string): GraphToken {
  const payload = accessToken.split('.')[1];
  try {
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    return {
      accessToken,
      ...(typeof claims.tid === 'string' ? { tenantId: claims.tid } : {}),
      ...(typeof claims.oid === 'string' ? { objectId: claims.oid } : {}),
    };
  } catch {
    return { accessToken };
  }
}

/** Entra ID's answers to the deployer's sign-in, in words (codes from reference-error-codes.md). */
const CAUSES: Readonly<Record<number, (c: Credential & { readonly clientId?: string; readonly tenantId?: string }) => { cause: string; fix: string }>> = {
  7000215: (c) => ({
    cause: `the client secret is not valid for client ${c.clientId} (AADSTS7000215)`,
    fix: "set ARM_CLIENT_SECRET to the secret's value (not its ID) of the deploying app registration",
  }),
  7000222: (c) => ({
    cause: `the client secret of client ${c.clientId} has expired (AADSTS7000222)`,
    fix: 'create a new secret for the deploying identity and set ARM_CLIENT_SECRET to it',
  }),
  700016: (c) => ({
    cause: `tenant ${c.tenantId} has no application with client ID ${c.clientId} (AADSTS700016)`,
    fix: 'check ARM_CLIENT_ID and ARM_TENANT_ID: they name the deploying identity, not the ITSM application (that one is --client-id)',
  }),
  90002: (c) => ({
    cause: `tenant ${c.tenantId} does not exist in this cloud (AADSTS90002)`,
    fix: 'check ARM_TENANT_ID, and ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME for a sovereign cloud',
  }),
  900023: (c) => ({ cause: `${JSON.stringify(c.tenantId)} is not a tenant ID (AADSTS900023)`, fix: 'set ARM_TENANT_ID to the directory (tenant) ID, a UUID' }),
  700027: () => ({
    cause: 'the certificate that signed the assertion is not registered on the deploying application (AADSTS700027)',
    fix: 'upload the certificate to the app registration (Certificates & secrets), or use the one that is registered',
  }),
  70021: () => ({
    cause: 'no federated credential of the deploying application matches the OIDC token (AADSTS70021)',
    fix: "add a federated credential whose issuer, subject and audience (api://AzureADTokenExchange) match the pipeline's token",
  }),
  700213: () => ({
    cause: 'no federated credential of the deploying application matches the OIDC token (AADSTS700213)',
    fix: "add a federated credential whose issuer, subject and audience match the pipeline's token",
  }),
  700211: () => ({
    cause: 'the OIDC token comes from an issuer no federated credential names (AADSTS700211)',
    fix: "add a federated credential for the pipeline's issuer",
  }),
  700024: () => ({
    cause: 'the OIDC token has expired or is not yet valid (AADSTS700024)',
    fix: 'request a fresh token (OIDC tokens live minutes; run adopt right after fetching one)',
  }),
};

function fromResult(r: TokenResult, c: Credential): GraphToken {
  if (r.ok) return withClaims(r.accessToken);
  if (r.kind === 'transport') {
    throw new SignInError(
      `the token endpoint ${new URL(r.url).origin} did not answer (${r.code})`,
      'check the network and, for a sovereign or private cloud, ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME (a private CA: NODE_EXTRA_CA_CERTS)',
    );
  }
  if (r.kind === 'http')
    throw new SignInError(`the token endpoint answered HTTP ${r.status} without an Entra ID error`, 'check for a proxy between this machine and Entra ID');
  const code = r.aad.codes[0];
  const known = code !== undefined ? CAUSES[code] : undefined;
  if (known) {
    const { cause, fix } = known(c as Credential & { clientId?: string; tenantId?: string });
    throw new SignInError(cause, fix, code);
  }
  throw new SignInError(
    'Entra ID refused the sign-in',
    'check the deploying identity and its credentials (the same ones terraform uses)',
    code,
    aadHeadline(r.aad),
  );
}
