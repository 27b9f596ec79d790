// The deployer's credentials, chosen as the azuread provider v3.7.0 chooses them (go-azure-sdk's
// NewAuthorizerFromCredentials order over the ARM_* variables), and each method signing in to the
// loopback token endpoint: certificate (PKCS#12, AES and 3DES), client secret, OIDC token (file),
// GitHub Actions and Azure DevOps OIDC, managed identity, Azure CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createPlainServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CredentialError, credentialFromEnv, IMDS_ENDPOINT } from '../lib/adopt/credentials';
import { acquireGraphToken } from '../lib/adopt/sign-in';
import { nodeHttpClient } from '../lib/verify/http';
import { Pkcs12Error, readPkcs12 } from '../lib/adopt/pkcs12';
import { resolveCloud } from '../lib/verify/cloud';
import { runAdopt } from '../test-support/adopt-run';
import { startFakeGraph, type FakeDeployer, type FakeGraph } from '../test-support/fake-graph';
import { APP_ONLY, DEPLOYER, seededTenant, TENANT_ID } from '../test-support/portal-seeds';
import { makeTestPki, type TestPki } from '../test-support/verify-pki';

jest.setTimeout(30_000);

const CERT_DEPLOYER = { clientId: 'ad0b0000-0000-4000-8000-0000000dc002', objectId: 'ad0b0000-0000-4000-8000-0000000d5002' };
const MSI = { clientId: 'ad0b0000-0000-4000-8000-0000000dc003', objectId: 'ad0b0000-0000-4000-8000-0000000d5003' };

let pki: TestPki;
let fake: FakeGraph;
const dir = mkdtempSync(join(tmpdir(), 'itsm-adopt-cred-'));
const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  pki = makeTestPki('itsm-adopt-cred-pki-');
  // The deployer's certificate, as PKCS#12 files: OpenSSL 3's default (PBES2, AES-256, SHA-256 MAC) and the older 3DES.
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=itsm-deployer');
  ssl('pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', 'aes.pfx', '-passout', 'pass:s3cret-pfx');
  ssl(
    'pkcs12',
    '-export',
    '-in',
    'cert.pem',
    '-inkey',
    'key.pem',
    '-out',
    '3des.pfx',
    '-passout',
    'pass:s3cret-pfx',
    '-certpbe',
    'PBE-SHA1-3DES',
    '-keypbe',
    'PBE-SHA1-3DES',
    '-macalg',
    'sha1',
  );
  ssl('pkcs12', '-export', '-legacy', '-in', 'cert.pem', '-inkey', 'key.pem', '-out', 'legacy.pfx', '-passout', 'pass:s3cret-pfx');
  // A certificate the deploying application does not have.
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=someone-else');
  ssl('pkcs12', '-export', '-in', 'other.pem', '-inkey', 'other.key', '-out', 'other.pfx', '-passout', 'pass:');
  const t = seededTenant();
  const deployers: FakeDeployer[] = [...t.deployers, { ...CERT_DEPLOYER, certificatePem: readFileSync(file('cert.pem'), 'utf8') }, MSI];
  fake = await startFakeGraph(pki, { ...t, deployers });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(pki.dir, { recursive: true, force: true });
});

const ADOPT = ['--env', 'prod', '--client-id', APP_ONLY.appId];
const base = () => ({ ARM_METADATA_HOSTNAME: fake.host });
const signedInAs = (stdout: string) => stdout.split('\n')[0];

describe("which credential (the provider's order)", () => {
  const S = { ARM_TENANT_ID: TENANT_ID, ARM_CLIENT_ID: DEPLOYER.clientId };
  it.each([
    ['a certificate before a secret', { ...S, ARM_CLIENT_SECRET: 'x', ARM_CLIENT_CERTIFICATE: 'AAAA' }, 'clientCertificate'],
    ['a secret with tenant and client ID', { ...S, ARM_CLIENT_SECRET: 'x' }, 'clientSecret'],
    ['a secret but no tenant: the Azure CLI', { ARM_CLIENT_ID: DEPLOYER.clientId, ARM_CLIENT_SECRET: 'x' }, 'azureCli'],
    ['an OIDC token only with ARM_USE_OIDC', { ...S, ARM_OIDC_TOKEN: 'eyJ.x.y' }, 'azureCli'],
    ['an OIDC token with ARM_USE_OIDC', { ...S, ARM_USE_OIDC: 'true', ARM_OIDC_TOKEN: 'eyJ.x.y' }, 'oidcToken'],
    [
      'AKS workload identity enables OIDC and gives the tenant',
      { ARM_CLIENT_ID: DEPLOYER.clientId, ARM_USE_AKS_WORKLOAD_IDENTITY: '1', AZURE_TENANT_ID: TENANT_ID, ARM_OIDC_TOKEN: 'eyJ.x.y' },
      'oidcToken',
    ],
    [
      'Azure DevOps before GitHub',
      { ...S, ARM_USE_OIDC: 't', SYSTEM_OIDCREQUESTURI: 'https://x', SYSTEM_ACCESSTOKEN: 'y', ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID: 'z' },
      'adoPipelineOidc',
    ],
    ['GitHub Actions', { ...S, ARM_USE_OIDC: 'True', ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'y' }, 'githubOidc'],
    ['a managed identity only with ARM_USE_MSI', { ARM_USE_MSI: 'true' }, 'managedIdentity'],
    ['the Azure CLI by default', {}, 'azureCli'],
  ])('%s', (_what, env, kind) => {
    expect(credentialFromEnv(env as NodeJS.ProcessEnv).kind).toBe(kind);
  });

  it('uses IMDS unless ARM_MSI_ENDPOINT names another endpoint, and ARM_CLIENT_ID picks a user-assigned identity', () => {
    expect(credentialFromEnv({ ARM_USE_MSI: 'true' })).toEqual({ kind: 'managedIdentity', endpoint: IMDS_ENDPOINT, apiVersion: '2018-02-01' });
    expect(credentialFromEnv({ ARM_USE_MSI: 'true', ARM_CLIENT_ID: MSI.clientId, ARM_MSI_ENDPOINT: 'http://localhost:50342/oauth2/token' })).toMatchObject({
      clientId: MSI.clientId,
      endpoint: 'http://localhost:50342/oauth2/token',
    });
  });

  it('fails when nothing is given and the Azure CLI is off, naming what to set', () => {
    expect(() => credentialFromEnv({ ARM_USE_CLI: 'false' })).toThrow(
      /no way to sign in: ARM_TENANT_ID and ARM_CLIENT_ID are not set, no client secret, certificate or OIDC token is given, and the Azure CLI is turned off/,
    );
  });

  it('fails when a value and its file disagree, or a boolean is not one, as the provider does', () => {
    writeFileSync(file('secret.txt'), 'from-file\n');
    expect(() => credentialFromEnv({ ...S, ARM_CLIENT_SECRET: 'given', ARM_CLIENT_SECRET_FILE_PATH: file('secret.txt') })).toThrow(CredentialError);
    expect(() => credentialFromEnv({ ...S, ARM_CLIENT_SECRET: 'given', ARM_CLIENT_SECRET_FILE_PATH: file('secret.txt') })).toThrow(
      /ARM_CLIENT_SECRET and the file named by ARM_CLIENT_SECRET_FILE_PATH hold different values/,
    );
    expect(credentialFromEnv({ ...S, ARM_CLIENT_SECRET_FILE_PATH: file('secret.txt') })).toMatchObject({
      kind: 'clientSecret',
      secret: 'from-file',
      from: 'ARM_CLIENT_SECRET_FILE_PATH',
    });
    expect(() => credentialFromEnv({ ARM_USE_MSI: 'yes' })).toThrow(/ARM_USE_MSI="yes" is not true or false/);
    expect(() => credentialFromEnv({ ...S, ARM_CLIENT_CERTIFICATE_PATH: file('missing.pfx') })).toThrow(
      /ARM_CLIENT_CERTIFICATE_PATH=.*missing\.pfx: cannot read the certificate \(no such file\)/,
    );
  });
});

describe('signing in with each method', () => {
  const cert = (extra: NodeJS.ProcessEnv) => ({ ...base(), ARM_TENANT_ID: TENANT_ID, ARM_CLIENT_ID: CERT_DEPLOYER.clientId, ...extra });

  it.each([['aes.pfx'], ['3des.pfx']])('a certificate (%s): a signed assertion the token endpoint verifies', async (name) => {
    const r = await runAdopt(fake, pki, ADOPT, cert({ ARM_CLIENT_CERTIFICATE_PATH: file(name), ARM_CLIENT_CERTIFICATE_PASSWORD: 's3cret-pfx' }));
    expect(r.code).toBe(0);
    expect(signedInAs(r.stdout)).toBe(
      `Signed in to tenant ${TENANT_ID} as client ${CERT_DEPLOYER.clientId} with a certificate (ARM_CLIENT_CERTIFICATE_PATH); reading Microsoft Graph at ${fake.graphResource} (ARM_METADATA_HOSTNAME=${fake.host}).`,
    );
    expect(`${r.stdout}${r.stderr}`).not.toContain('s3cret-pfx');
  });

  it('a certificate given inline (ARM_CLIENT_CERTIFICATE, base64)', async () => {
    const r = await runAdopt(
      fake,
      pki,
      ADOPT,
      cert({ ARM_CLIENT_CERTIFICATE: readFileSync(file('aes.pfx')).toString('base64'), ARM_CLIENT_CERTIFICATE_PASSWORD: 's3cret-pfx' }),
    );
    expect(r.code).toBe(0);
    expect(signedInAs(r.stdout)).toContain('with a certificate (ARM_CLIENT_CERTIFICATE)');
  });

  it('a certificate with the wrong password, a legacy RC2 bundle, one not registered: each named, no password echoed', async () => {
    const wrong = await runAdopt(fake, pki, ADOPT, cert({ ARM_CLIENT_CERTIFICATE_PATH: file('aes.pfx'), ARM_CLIENT_CERTIFICATE_PASSWORD: 'not-the-password' }));
    expect(wrong.code).toBe(6);
    expect(wrong.stderr).toContain(
      'the certificate of ARM_CLIENT_CERTIFICATE_PATH fails its integrity check: the password (ARM_CLIENT_CERTIFICATE_PASSWORD) is wrong, or the file is damaged',
    );
    expect(wrong.stderr).not.toContain('not-the-password');
    const legacy = await runAdopt(fake, pki, ADOPT, cert({ ARM_CLIENT_CERTIFICATE_PATH: file('legacy.pfx'), ARM_CLIENT_CERTIFICATE_PASSWORD: 's3cret-pfx' }));
    expect(legacy.stderr).toContain('is encrypted with RC2, which OpenSSL 3 and Node no longer offer (a legacy export): re-export it with AES');
    const other = await runAdopt(fake, pki, ADOPT, cert({ ARM_CLIENT_CERTIFICATE_PATH: file('other.pfx') }));
    expect(other.stderr).toContain('the certificate that signed the assertion is not registered on the deploying application (AADSTS700027)');
  });

  it('an OIDC token from a file (ARM_OIDC_TOKEN_FILE_PATH), and one for a subject no federated credential names', async () => {
    writeFileSync(file('oidc.jwt'), `${fake.oidcToken(DEPLOYER.federatedSubjects![0])}\n`);
    const env = { ...base(), ARM_TENANT_ID: TENANT_ID, ARM_CLIENT_ID: DEPLOYER.clientId, ARM_USE_OIDC: 'true', ARM_OIDC_TOKEN_FILE_PATH: file('oidc.jwt') };
    const r = await runAdopt(fake, pki, ADOPT, env);
    expect(r.code).toBe(0);
    expect(signedInAs(r.stdout)).toContain(`as client ${DEPLOYER.clientId} with an OIDC token (ARM_OIDC_TOKEN_FILE_PATH)`);
    writeFileSync(file('oidc.jwt'), fake.oidcToken('repo:someone/else:ref:refs/heads/main'));
    const refused = await runAdopt(fake, pki, ADOPT, env);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('no federated credential of the deploying application matches the OIDC token (AADSTS70021)');
  });

  it('GitHub Actions OIDC (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN), audience api://AzureADTokenExchange', async () => {
    const env = {
      ...base(),
      ARM_TENANT_ID: TENANT_ID,
      ARM_CLIENT_ID: DEPLOYER.clientId,
      ARM_USE_OIDC: 'true',
      ACTIONS_ID_TOKEN_REQUEST_URL: `${fake.url}/github/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: fake.ciRequestToken(DEPLOYER.federatedSubjects![0]),
    };
    const r = await runAdopt(fake, pki, ADOPT, env);
    expect(r.code).toBe(0);
    expect(signedInAs(r.stdout)).toContain('with GitHub Actions OIDC');
    const denied = await runAdopt(fake, pki, ADOPT, { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'not-a-request-token' });
    expect(denied.stderr).toBe(
      `adopt: cannot sign in as client ${DEPLOYER.clientId} with GitHub Actions OIDC: GitHub Actions refused the OIDC token request (HTTP 401)\nfix: give the workflow job "permissions: id-token: write"`,
    );
  });

  it('Azure DevOps OIDC (SYSTEM_OIDCREQUESTURI, SYSTEM_ACCESSTOKEN, the service connection)', async () => {
    const env = {
      ...base(),
      ARM_TENANT_ID: TENANT_ID,
      ARM_CLIENT_ID: DEPLOYER.clientId,
      ARM_USE_OIDC: 'true',
      SYSTEM_OIDCREQUESTURI: `${fake.url}/ado/oidctoken`,
      SYSTEM_ACCESSTOKEN: fake.ciRequestToken(DEPLOYER.federatedSubjects![0]),
      ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID: 'ad0b0000-0000-4000-8000-0000000ad001',
    };
    const r = await runAdopt(fake, pki, ADOPT, env);
    expect(r.code).toBe(0);
    expect(signedInAs(r.stdout)).toContain('with Azure DevOps OIDC (service connection ad0b0000-0000-4000-8000-0000000ad001)');
  });

  it('a managed identity (ARM_USE_MSI, ARM_MSI_ENDPOINT), user-assigned by ARM_CLIENT_ID; the token names the tenant', async () => {
    const r = await runAdopt(fake, pki, ADOPT, { ...base(), ARM_USE_MSI: 'true', ARM_MSI_ENDPOINT: `${fake.url}/msi/token`, ARM_CLIENT_ID: MSI.clientId });
    expect(r.code).toBe(0);
    expect(signedInAs(r.stdout)).toBe(
      `Signed in to tenant ${TENANT_ID} as the managed identity ${MSI.clientId} (ARM_MSI_ENDPOINT); reading Microsoft Graph at ${fake.graphResource} (ARM_METADATA_HOSTNAME=${fake.host}).`,
    );
  });

  it('a managed identity endpoint over plain HTTP on the machine itself (as IMDS is), and plain HTTP nowhere else', async () => {
    const imds = createPlainServer((req, res) => {
      const ok = req.headers.metadata === 'true' && new URL(req.url ?? '/', 'http://x').searchParams.get('resource') === fake.graphResource;
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { access_token: fake.cliToken(MSI.objectId), token_type: 'Bearer' } : { error: 'invalid_request' }));
    });
    await new Promise<void>((resolve) => imds.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(imds.address() as AddressInfo).port}/metadata/identity/oauth2/token`;
    try {
      const https = nodeHttpClient({ ca: pki.caCert });
      const loopbackHttp = nodeHttpClient({ allowPlainHttp: (u) => u.hostname === '127.0.0.1' });
      const ctx = { http: https, loginEndpoint: fake.url, graphResource: fake.graphResource, timeoutMs: 5000 };
      const credential = credentialFromEnv({ ARM_USE_MSI: 'true', ARM_MSI_ENDPOINT: endpoint });
      expect(await acquireGraphToken(credential, { ...ctx, managedIdentityHttp: loopbackHttp })).toMatchObject({ objectId: MSI.objectId, tenantId: TENANT_ID });
      // The HTTPS-only client refuses it: plain HTTP is allowed for this endpoint alone.
      await expect(acquireGraphToken(credential, ctx)).rejects.toThrow(
        /the managed identity endpoint http:\/\/127\.0\.0\.1:\d+\/metadata\/identity\/oauth2\/token did not answer \(ERR_NOT_HTTPS\)/,
      );
    } finally {
      await new Promise<void>((resolve) => imds.close(() => resolve()));
    }
  });

  it('the Azure CLI: az account get-access-token with the Graph scope and the tenant', async () => {
    const calls: (readonly string[])[] = [];
    const runAz = async (args: readonly string[]) => {
      calls.push(args);
      return {
        code: 0,
        stdout: JSON.stringify({
          accessToken: fake.cliToken('ad0b0000-0000-4000-8000-0000000a0001'),
          expiresOn: '2030-01-01 00:00:00.000000',
          tenant: TENANT_ID,
          tokenType: 'Bearer',
        }),
        stderr: '',
      };
    };
    const r = await runAdopt(fake, pki, ADOPT, { ...base(), ARM_TENANT_ID: TENANT_ID }, { runAz });
    expect(r.code).toBe(0);
    expect(calls).toEqual([['account', 'get-access-token', '--scope', `${fake.graphResource}/.default`, '--tenant', TENANT_ID, '--output', 'json']]);
    expect(signedInAs(r.stdout)).toContain('as the Azure CLI account (az login)');
    const missing = await runAdopt(fake, pki, ADOPT, base(), { runAz: async () => ({ code: null, stdout: '', stderr: 'spawn az ENOENT', missing: true }) });
    expect(missing.stderr).toContain('no credentials in ARM_* variables, and the Azure CLI (az) is not installed');
    const notLoggedIn = await runAdopt(fake, pki, ADOPT, base(), {
      runAz: async () => ({ code: 1, stdout: '', stderr: "WARNING: x\nERROR: Please run 'az login' to setup account.\n" }),
    });
    expect(notLoggedIn.stderr).toBe(
      "adopt: cannot sign in as the Azure CLI account (az login): the Azure CLI could not give a Graph token: ERROR: Please run 'az login' to setup account.\nfix: run az login (and set ARM_TENANT_ID to pick the tenant)",
    );
  });
});

describe('clouds, as the provider finds them', () => {
  const noHttp = async () => {
    throw new Error('no network');
  };
  it.each([
    ['global', 'https://login.microsoftonline.com', 'https://graph.microsoft.com'],
    ['usgovernment', 'https://login.microsoftonline.us', 'https://graph.microsoft.us'],
    ['dod', 'https://login.microsoftonline.us', 'https://dod-graph.microsoft.us'],
    ['china', 'https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn'],
    ['canary', 'https://login.microsoftonline.com', 'https://canary.graph.microsoft.com'],
  ])('ARM_ENVIRONMENT=%s: login %s, Graph %s', async (name, login, graph) => {
    expect(await resolveCloud({ kind: 'environment', name, fromEnv: true }, noHttp, 1000)).toMatchObject({
      ok: true,
      loginEndpoint: login,
      graphResource: graph,
    });
  });

  it('refuses an environment the provider does not know', async () => {
    const r = await runAdopt(fake, pki, ADOPT, { ARM_ENVIRONMENT: 'germany', ARM_USE_MSI: 'true' });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain("adopt: cannot find the cloud's endpoints: ARM_ENVIRONMENT=germany is not an environment the azuread provider knows");
  });

  it('reads the PKCS#12 key and certificate that match (not another certificate of the chain)', () => {
    const { certificate, privateKey } = readPkcs12(readFileSync(file('aes.pfx')), 's3cret-pfx');
    expect(certificate.subject).toBe('CN=itsm-deployer');
    expect(privateKey.asymmetricKeyType).toBe('rsa');
    expect(() => readPkcs12(Buffer.from('not a pfx'), '')).toThrow(Pkcs12Error);
  });
});
