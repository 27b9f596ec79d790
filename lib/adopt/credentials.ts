/**
 * Which credentials adopt signs in to Microsoft Graph with: the deployer's, chosen exactly as the
 * azuread provider v3.7.0 chooses them, so that adopt reads with the identity that will later
 * apply. The provider reads the ARM_* variables (internal/provider/provider.go and helpers.go) and
 * go-azure-sdk tries the methods in a fixed order (sdk/auth/auth.go `NewAuthorizerFromCredentials`):
 *
 * 1. client certificate: tenant, client ID and ARM_CLIENT_CERTIFICATE (base64 PKCS#12) or
 *    ARM_CLIENT_CERTIFICATE_PATH, with ARM_CLIENT_CERTIFICATE_PASSWORD;
 * 2. client secret: tenant, client ID and ARM_CLIENT_SECRET (or ARM_CLIENT_SECRET_FILE_PATH);
 * 3. with ARM_USE_OIDC (or ARM_USE_AKS_WORKLOAD_IDENTITY): an OIDC token, ARM_OIDC_TOKEN or
 *    ARM_OIDC_TOKEN_FILE_PATH; then Azure DevOps (ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID with the
 *    request URL and token); then GitHub Actions (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, or
 *    ARM_OIDC_REQUEST_URL and _TOKEN);
 * 4. with ARM_USE_MSI: the managed identity endpoint (ARM_MSI_ENDPOINT, default IMDS);
 * 5. unless ARM_USE_CLI is false: the Azure CLI's signed-in account.
 *
 * Nothing here sends a request; `sign-in.ts` does.
 */
import { readFileSync } from 'node:fs';

/** The credential chosen, with where each part came from (named in messages; values never). */
export type Credential =
  | {
      readonly kind: 'clientCertificate';
      readonly tenantId: string;
      readonly clientId: string;
      readonly pkcs12: Buffer;
      readonly password: string;
      readonly from: string;
    }
  | { readonly kind: 'clientSecret'; readonly tenantId: string; readonly clientId: string; readonly secret: string; readonly from: string }
  | { readonly kind: 'oidcToken'; readonly tenantId: string; readonly clientId: string; readonly assertion: string; readonly from: string }
  | {
      readonly kind: 'adoPipelineOidc';
      readonly tenantId: string;
      readonly clientId: string;
      readonly requestUrl: string;
      readonly requestToken: string;
      readonly serviceConnectionId: string;
    }
  | { readonly kind: 'githubOidc'; readonly tenantId: string; readonly clientId: string; readonly requestUrl: string; readonly requestToken: string }
  | { readonly kind: 'managedIdentity'; readonly clientId?: string; readonly endpoint: string; readonly apiVersion: string }
  | { readonly kind: 'azureCli'; readonly tenantId?: string };

/** Credentials that cannot be used as given: which variable, and how to fix it. Never holds a secret. */
export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

/** The managed identity endpoint go-azure-sdk uses by default (managed_identity_authorizer.go). */
export const IMDS_ENDPOINT = 'http://169.254.169.254/metadata/identity/oauth2/token';
/** Its API version there. */
export const IMDS_API_VERSION = '2018-02-01';

type ReadFile = (path: string) => string;
const readText: ReadFile = (path) => readFileSync(path, 'utf8');

/** Go's strconv.ParseBool, which the provider's boolean variables go through. */
function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new CredentialError(`${name}=${JSON.stringify(v.slice(0, 20))} is not true or false (the provider takes 1, t, true, 0, f, false)`);
}

/** A value that may also come from a file; both given and different is an error, as in the provider. */
function withFile(env: NodeJS.ProcessEnv, name: string, fileVar: string, read: ReadFile, what: string): { value: string; from: string } {
  const direct = (env[name] ?? '').trim();
  const path = env[fileVar] ?? '';
  if (path === '') return { value: direct, from: name };
  let fromFile: string;
  try {
    fromFile = read(path).trim();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CredentialError(`${fileVar}=${path}: cannot read the ${what} file (${code === 'ENOENT' ? 'no such file' : (code ?? 'error')})`);
  }
  if (direct !== '' && direct !== fromFile) {
    throw new CredentialError(
      `${name} and the file named by ${fileVar} hold different values: remove one, or make them match (as the azuread provider requires)`,
    );
  }
  return { value: fromFile, from: fileVar };
}

/**
 * The credential the azuread provider would use with these variables.
 * @throws CredentialError when the variables are contradictory, unreadable, or name no method
 */
export function credentialFromEnv(env: NodeJS.ProcessEnv, read: ReadFile = readText): Credential {
  const clientId = withFile(env, 'ARM_CLIENT_ID', 'ARM_CLIENT_ID_FILE_PATH', read, 'client ID').value;
  let tenantId = (env.ARM_TENANT_ID ?? '').trim();
  const useOidc = bool(env, 'ARM_USE_OIDC', false);
  const useAks = bool(env, 'ARM_USE_AKS_WORKLOAD_IDENTITY', false);
  if (useAks && env.AZURE_TENANT_ID) {
    if (tenantId !== '' && tenantId !== env.AZURE_TENANT_ID) {
      throw new CredentialError('ARM_TENANT_ID and AZURE_TENANT_ID (AKS workload identity) differ: remove one, or make them match');
    }
    tenantId = env.AZURE_TENANT_ID;
  }
  const enableOidc = useOidc || useAks;
  const useMsi = bool(env, 'ARM_USE_MSI', false);
  const useCli = bool(env, 'ARM_USE_CLI', true);
  const service = tenantId !== '' && clientId !== '';

  const certPath = (env.ARM_CLIENT_CERTIFICATE_PATH ?? '').trim();
  const certData = env.ARM_CLIENT_CERTIFICATE ?? '';
  if (service && (certData !== '' || certPath !== '')) {
    let pkcs12: Buffer;
    let from: string;
    if (certData !== '') {
      pkcs12 = Buffer.from(certData, 'base64');
      from = 'ARM_CLIENT_CERTIFICATE';
      if (pkcs12.length === 0) throw new CredentialError('ARM_CLIENT_CERTIFICATE is not base64 (it takes the PKCS#12 bundle, base64-encoded)');
    } else {
      try {
        pkcs12 = readFileSync(certPath);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new CredentialError(
          `ARM_CLIENT_CERTIFICATE_PATH=${certPath}: cannot read the certificate (${code === 'ENOENT' ? 'no such file' : (code ?? 'error')})`,
        );
      }
      from = 'ARM_CLIENT_CERTIFICATE_PATH';
    }
    return { kind: 'clientCertificate', tenantId, clientId, pkcs12, password: env.ARM_CLIENT_CERTIFICATE_PASSWORD ?? '', from };
  }
  const secret = withFile(env, 'ARM_CLIENT_SECRET', 'ARM_CLIENT_SECRET_FILE_PATH', read, 'client secret');
  if (service && secret.value !== '') return { kind: 'clientSecret', tenantId, clientId, secret: secret.value, from: secret.from };

  if (enableOidc) {
    const token = withFile(env, 'ARM_OIDC_TOKEN', 'ARM_OIDC_TOKEN_FILE_PATH', read, 'OIDC token');
    if (service && token.value !== '') return { kind: 'oidcToken', tenantId, clientId, assertion: token.value, from: token.from };
    const first = (...names: string[]) => names.map((n) => (env[n] ?? '').trim()).find((v) => v !== '') ?? '';
    const requestUrl = first('ARM_OIDC_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_URL', 'SYSTEM_OIDCREQUESTURI');
    const requestToken = first('ARM_OIDC_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'SYSTEM_ACCESSTOKEN');
    const serviceConnectionId = first('ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID', 'ARM_OIDC_AZURE_SERVICE_CONNECTION_ID');
    if (service && requestUrl !== '' && requestToken !== '' && serviceConnectionId !== '') {
      return { kind: 'adoPipelineOidc', tenantId, clientId, requestUrl, requestToken, serviceConnectionId };
    }
    if (service && requestUrl !== '' && requestToken !== '') return { kind: 'githubOidc', tenantId, clientId, requestUrl, requestToken };
  }
  if (useMsi) {
    return {
      kind: 'managedIdentity',
      ...(clientId !== '' ? { clientId } : {}),
      endpoint: (env.ARM_MSI_ENDPOINT ?? '').trim() || IMDS_ENDPOINT,
      apiVersion: IMDS_API_VERSION,
    };
  }
  // In Cloud Shell the CLI is signed in to its own tenant and takes no --tenant (azure_cli_authorizer.go).
  const cloudShell = (env.AZUREPS_HOST_ENVIRONMENT ?? '').startsWith('cloud-shell/');
  if (useCli) return { kind: 'azureCli', ...(tenantId !== '' && !cloudShell ? { tenantId } : {}) };

  const missing = [tenantId === '' ? 'ARM_TENANT_ID' : undefined, clientId === '' ? 'ARM_CLIENT_ID' : undefined].filter((x) => x !== undefined);
  throw new CredentialError(
    `no way to sign in: ${missing.length > 0 ? `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, ` : ''}no client secret, certificate or OIDC token is given, and the Azure CLI is turned off (ARM_USE_CLI=false). ` +
      "Use the deployer's credentials as for terraform: ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET (or ARM_CLIENT_CERTIFICATE_PATH, or ARM_USE_OIDC=true with an OIDC token), ARM_USE_MSI=true, or az login",
  );
}

/** The credential in words, for the first line of output: the method and where it came from, never a value. */
export function credentialWords(c: Credential): string {
  switch (c.kind) {
    case 'clientCertificate':
      return `client ${c.clientId} with a certificate (${c.from})`;
    case 'clientSecret':
      return `client ${c.clientId} with a client secret (${c.from})`;
    case 'oidcToken':
      return `client ${c.clientId} with an OIDC token (${c.from})`;
    case 'adoPipelineOidc':
      return `client ${c.clientId} with Azure DevOps OIDC (service connection ${c.serviceConnectionId})`;
    case 'githubOidc':
      return `client ${c.clientId} with GitHub Actions OIDC`;
    case 'managedIdentity':
      return `the managed identity${c.clientId ? ` ${c.clientId}` : ''} (${c.endpoint === IMDS_ENDPOINT ? 'IMDS' : 'ARM_MSI_ENDPOINT'})`;
    case 'azureCli':
      return 'the Azure CLI account (az login)';
  }
}

/**
 * The secret values a credential holds, for the scrubber of everything printed (removed whole).
 * `credentialsSent` names those of them that adopt sends to a server, which a server could quote back.
 */
export function credentialSecrets(c: Credential): string[] {
  switch (c.kind) {
    case 'clientSecret':
      return [c.secret];
    case 'clientCertificate':
      return [c.password];
    case 'oidcToken':
      return [c.assertion];
    case 'adoPipelineOidc':
    case 'githubOidc':
      return [c.requestToken];
    default:
      return [];
  }
}

/**
 * The secret values of a credential that adopt sends to a server (the token endpoint, a CI system's
 * OIDC issuer), so that a hostile or broken one could quote them back, whole or in pieces: the
 * client secret, the OIDC token, the CI request token. Not the certificate's password, which only
 * opens the local PKCS#12 file and never leaves this machine.
 */
export function credentialsSent(c: Credential): string[] {
  return c.kind === 'clientCertificate' ? [] : credentialSecrets(c);
}
