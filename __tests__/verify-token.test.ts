import { KNOWN_AADSTS_CODES } from '../lib/verify/aadsts';
import { targetFromOutputs } from '../lib/verify/target-from-outputs';
import { AADSTS } from '../test-support/fake-entra';
import { verifyAgainst } from '../test-support/verify-run';
import { outputsFor, startRig, type VerifyRig } from '../test-support/verify-setup';
import { OTHER_TENANT } from '../test-support/verify-world';

// Generous per test: a busy machine must not fail a run (no test here asserts time).
jest.setTimeout(60_000);

/*
 * The token check against a loopback HTTPS token endpoint the tests own. It answers each failure
 * with the error body Entra ID sends; each AADSTS class is produced the way it happens (a wrong
 * secret, another tenant, ...) where the fake can, and forced where only Entra ID's own state could
 * (consent, a disabled app). No mail peer: protocol checks are skipped or fail to connect.
 */

let rig: VerifyRig;
beforeAll(async () => {
  rig = await startRig({ peer: false });
}, 30_000);
afterAll(async () => {
  await rig?.stop();
});
afterEach(() => {
  rig.entra.forceError(undefined);
  rig.entra.metadataMode = 'ok';
  rig.entra.rawAnswer = undefined;
});

const imapOnly = { protocols: ['imap'] as const };

describe('token endpoint errors, as they happen', () => {
  const cases: [string, () => Parameters<typeof outputsFor>[2] & object, number, string, 401 | 400 | 429][] = [
    [
      'a wrong secret (the secret ID pasted instead of its value)',
      () => ({ ...imapOnly, secret: rig.world.apps.appOnly.clientId }),
      7000215,
      'secret-invalid',
      401,
    ],
    ['an expired secret', () => ({ ...imapOnly, secret: rig.world.apps.appOnly.expiredSecret }), 7000222, 'secret-expired', 401],
    ['a tenant that does not exist in this cloud', () => ({ ...imapOnly, tenant: OTHER_TENANT }), 90002, 'tenant-not-found', 400],
    [
      'a scope without /.default (a delegated scope under client credentials)',
      () => ({ ...imapOnly, scope: 'https://outlook.office365.com/IMAP.AccessAsApp' }),
      1002012,
      'scope-invalid',
      400,
    ],
    [
      'a resource the tenant does not have (no Exchange Online)',
      () => ({ ...imapOnly, scope: 'https://outlook.example.invalid/.default' }),
      500011,
      'resource-not-found',
      400,
    ],
  ];
  it.each(cases)('%s', async (_name, options, code, causeId, status) => {
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, options()));
    const t = r.check('token');
    expect({ status: t.status, causeId: t.causeId }).toEqual({ status: 'fail', causeId });
    expect(t.serverAnswer).toMatch(new RegExp(`^HTTP ${status} ${AADSTS[code].error}: AADSTS${code}: `));
    // The headline only: Entra ID's trace lines are cut, the correlation ID kept for support.
    expect(t.serverAnswer).not.toContain('Trace ID');
    expect(t.serverAnswer).toMatch(/\(correlation ID [0-9a-f-]{36}\)$/);
    expect(t.fix).toBeTruthy();
    expect(r.check('claims')).toMatchObject({ status: 'skip', detail: 'not run: no token' });
    expect(r.check('imap-auth').status).toBe('skip');
    expect(r.report.ok).toBe(false);
  });

  it('an unknown client ID (AADSTS700016)', async () => {
    const other = { ...rig.world.apps.appOnly, clientId: 'c11e0000-0000-4000-8000-0000000000ff' };
    const r = await verifyAgainst(rig, outputsFor(rig, other, imapOnly));
    expect(r.check('token')).toMatchObject({ status: 'fail', causeId: 'app-not-found' });
    expect(r.check('token').serverAnswer).toMatch(/^HTTP 400 unauthorized_client: AADSTS700016: /);
  });

  it('Conditional Access for workload identities blocks app-only (AADSTS53003): a failure naming the sign-in logs', async () => {
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.blocked, imapOnly));
    const t = r.check('token');
    expect(t).toMatchObject({ status: 'fail', causeId: 'conditional-access' });
    expect(t.fix).toMatch(/Sign-in logs → Service principal sign-ins/);
    expect(t.fix).toContain(`correlation ID ${/correlation ID ([0-9a-f-]{36})/.exec(t.serverAnswer!)![1]}`);
  });

  it('the same block on the delegated probe is not a failure of the ITSM tool: skipped, with the cause; with no user token the run is not verified', async () => {
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegatedBlocked, { flow: 'delegated' }));
    const t = r.check('token');
    expect(t).toMatchObject({ status: 'skip', causeId: 'conditional-access' });
    expect(t.fix).toBeUndefined();
    expect(t.detail).toMatch(/^not checked: a Conditional Access policy for workload identities blocks/);
    // No mailbox was tested: not a pass (issue 21).
    expect(r.check('claims')).toMatchObject({ status: 'fail', causeId: 'not-verified' });
    expect(r.report.ok).toBe(false);
  });
});

describe('token endpoint errors only Entra ID state can cause (forced)', () => {
  const forced: [number, string][] = [
    [7000218, 'secret-missing'],
    [7000229, 'service-principal-missing'],
    [65001, 'consent-missing'],
    [70011, 'scope-invalid'],
    [700025, 'public-client'],
    [7000112, 'app-disabled'],
    [50011, 'redirect-uri'],
    [90055, 'token-endpoint-unavailable'],
    [9999999, 'aad-error'],
  ];
  it.each(forced)('AADSTS%s → %s', async (code, causeId) => {
    rig.entra.forceError(code);
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, imapOnly));
    expect(r.check('token')).toMatchObject({ status: 'fail', causeId });
    expect(r.check('token').serverAnswer).toContain(`AADSTS${code}: `);
  });

  it('has a named cause for every code the fake answers with', () => {
    const fakeCodes = Object.keys(AADSTS)
      .map(Number)
      .filter((c) => c !== 9999999 && c !== 90055);
    for (const c of fakeCodes) expect(KNOWN_AADSTS_CODES).toContain(c);
  });

  it('an unknown code still quotes the code and where to look it up', async () => {
    rig.entra.forceError(9999999);
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, imapOnly));
    expect(r.check('token').fix).toBe('look the code up: https://login.microsoftonline.com/error?code=9999999');
  });
});

describe('answers that are not from the identity platform', () => {
  it('an outage page (HTTP 502, HTML): busy, try again', async () => {
    rig.entra.rawAnswer = { status: 502, body: '<html><body>Bad gateway</body></html>' };
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, imapOnly));
    expect(r.check('token')).toMatchObject({ status: 'fail', causeId: 'token-endpoint-unavailable', serverAnswer: '<html><body>Bad gateway</body></html>' });
  });

  it('a 200 that is not a token (a captive portal or proxy)', async () => {
    rig.entra.rawAnswer = { status: 200, body: '<html>Please log in to the proxy</html>' };
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, imapOnly));
    expect(r.check('token')).toMatchObject({ status: 'fail', causeId: 'token-endpoint-unexpected' });
  });

  it('an untrusted certificate on the metadata endpoint: nothing is sent, the cause is named', async () => {
    const before = rig.entra.requests.length;
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, imapOnly), {}, {}, { trustRigCa: false });
    // The metadata endpoint is on the same host: it fails first, so nothing at all reached the fake.
    expect(r.check('cloud')).toMatchObject({ status: 'fail', causeId: 'metadata-unreachable' });
    expect(r.check('cloud').detail).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
    expect(rig.entra.requests.length).toBe(before);
  });

  it('an untrusted certificate on the token endpoint: the secret is not sent, the cause is named', async () => {
    const target = {
      ...targetFromOutputs(outputsFor(rig, rig.world.apps.appOnly, imapOnly), {}),
      cloud: { kind: 'login-endpoint' as const, loginEndpoint: rig.entra.url },
    };
    const before = rig.entra.requests.length;
    const r = await verifyAgainst(rig, target, {}, {}, { trustRigCa: false });
    expect(r.check('token')).toMatchObject({ status: 'fail', causeId: 'tls-untrusted' });
    expect(r.check('token').fix).toContain('NODE_EXTRA_CA_CERTS');
    expect(rig.entra.requests.length).toBe(before);
  });
});

describe('the request verify makes', () => {
  it('is one POST to {login}/{tenant}/oauth2/v2.0/token with a client-credentials form: no discovery, no retry', async () => {
    const before = rig.entra.requests.length;
    await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, imapOnly), {}, {}, { timeoutMs: 2000 });
    const made = rig.entra.requests.slice(before);
    expect(made.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /metadata/endpoints?api-version=2022-09-01', `POST /${rig.world.tenant}/oauth2/v2.0/token`]);
    expect(made[1].form).toEqual({
      grant_type: 'client_credentials',
      client_id: rig.world.apps.appOnly.clientId,
      client_secret: '<present>',
      scope: 'https://outlook.office365.com/.default',
    });
  });

  it('without a secret, asks nothing and says where the secret comes from', async () => {
    const before = rig.entra.requests.filter((q) => q.method === 'POST').length;
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.appOnly, { ...imapOnly, secret: null }));
    expect(r.check('token')).toMatchObject({ status: 'fail', causeId: 'secret-not-available' });
    expect(r.check('token').fix).toContain('ITSM_MAIL_CLIENT_SECRET');
    expect(rig.entra.requests.filter((q) => q.method === 'POST').length).toBe(before);
  });

  it('the delegated probe asks for the Exchange Online resource of the configured scope', async () => {
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }));
    expect(r.check('token')).toMatchObject({ status: 'pass' });
    expect(rig.entra.requests.at(-1)!.form!.scope).toBe('https://outlook.office.com/.default');
  });
});

describe('cloud endpoints (ARM_METADATA_HOSTNAME, ARM_ENVIRONMENT)', () => {
  it('reads the login endpoint from the metadata document, as the azuread provider does', async () => {
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }));
    expect(r.check('cloud')).toEqual({
      id: 'cloud',
      status: 'pass',
      detail: `login endpoint ${rig.entra.url} (ARM_METADATA_HOSTNAME=${rig.entra.host}); matches itsm_email_settings.token_endpoint`,
    });
  });

  it('a metadata answer in the old list format is not guessed at', async () => {
    rig.entra.metadataMode = 'array';
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }));
    expect(r.check('cloud')).toMatchObject({ status: 'fail', causeId: 'metadata-unrecognised' });
    expect(r.check('cloud').detail).toContain('it returned a list');
    expect(r.check('token')).toMatchObject({ status: 'skip', detail: 'not run: the login endpoint is not known' });
  });

  it('no metadata document (HTTP 404)', async () => {
    rig.entra.metadataMode = 'missing';
    const r = await verifyAgainst(rig, outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' }));
    expect(r.check('cloud')).toMatchObject({ status: 'fail', causeId: 'metadata-unreachable' });
    expect(r.check('cloud').detail).toContain('answered HTTP 404');
  });

  it("a token endpoint in the outputs that is not this cloud's fails, naming the right one", async () => {
    const r = await verifyAgainst(
      rig,
      outputsFor(rig, rig.world.apps.delegated, {
        flow: 'delegated',
        tokenEndpoint: `https://login.microsoftonline.com/${rig.world.tenant}/oauth2/v2.0/token`,
      }),
    );
    expect(r.check('cloud')).toMatchObject({ status: 'fail', causeId: 'token-endpoint-mismatch' });
    expect(r.check('cloud').fix).toContain(`${rig.entra.url}/${rig.world.tenant}/oauth2/v2.0/token`);
    // The check goes on with the cloud's endpoint.
    expect(r.check('token').status).toBe('pass');
  });

  it('an environment name the provider does not know', async () => {
    const outputs = outputsFor(rig, rig.world.apps.delegated, { flow: 'delegated' });
    const target = targetFromOutputs(outputs, { ARM_ENVIRONMENT: 'germany' });
    const r = await verifyAgainst(rig, target);
    expect(r.check('cloud')).toMatchObject({ status: 'fail', causeId: 'unknown-environment' });
    expect(r.check('cloud').detail).toContain('global, public, canary, usgovernment, usgovernmentl4, dod, usgovernmentl5, china');
  });
});
