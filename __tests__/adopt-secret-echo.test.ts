// npm run adopt against a Graph or token endpoint that quotes the deployer's credentials back: the
// access token cut short, only its signature, inside an HTML page, the client secret split by a
// space, cut short or base64-encoded. None of it is printed, in whole or in pieces, and none is
// written into a config file (lib/verify/scrub.ts, the promise of docs/verify.md, holds here too).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAdopt, type AdoptResult } from '../test-support/adopt-run';
import { startFakeGraph, type FakeGraph } from '../test-support/fake-graph';
import { DELEGATED, DEPLOYER, POLICY_ID, seededTenant, TENANT_ID } from '../test-support/portal-seeds';
import { credentialPieces as pieces } from '../test-support/credential-pieces';
import { makeTestPki, type TestPki } from '../test-support/verify-pki';

jest.setTimeout(30_000);

let pki: TestPki;
const work = mkdtempSync(join(tmpdir(), 'itsm-adopt-echo-'));
beforeAll(() => {
  pki = makeTestPki('itsm-adopt-echo-pki-');
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(pki.dir, { recursive: true, force: true });
});

const OWNERS = `/v1.0/applications/${DELEGATED.objectId}/owners`;
const TOKEN_ENDPOINT = `/${TENANT_ID}/oauth2/v2.0/token`;
const token = (f: FakeGraph) => f.issued[f.issued.length - 1];
const aadError = (description: string) =>
  JSON.stringify({ error: 'invalid_client', error_description: `AADSTS9999999: ${description}\r\nTrace ID: x`, error_codes: [9999999] });
const graphError = (message: string) => JSON.stringify({ error: { code: 'Authorization_RequestDenied', message } });

let fileNo = 0;
async function adoptWith(setup: (f: FakeGraph) => void): Promise<AdoptResult & { written: boolean; tokens: readonly string[] }> {
  const fake = await startFakeGraph(pki, seededTenant());
  setup(fake);
  const file = join(work, `adopted-${fileNo++}.yaml`);
  try {
    const r = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', DELEGATED.appId, '--policy-id', POLICY_ID, '--write', file]);
    return { ...r, written: existsSync(file), tokens: [...fake.issued] };
  } finally {
    await fake.close();
  }
}

/** No 8 letters or digits in a row of the secret, nor 12 of a token, in any form, anywhere in the output. */
function expectNoPieces(r: AdoptResult & { tokens: readonly string[] }): void {
  const all = `${r.stdout}\n${r.stderr}`;
  expect(pieces(all, DEPLOYER.secret, 8)).toEqual([]);
  for (const t of r.tokens) expect(pieces(all, t, 12)).toEqual([]);
}

describe('the measure itself', () => {
  it('sees a piece of the secret split by a space, base64-encoded, or in another case', () => {
    const s = DEPLOYER.secret;
    expect(pieces(`got ${s.slice(0, 20)} ${s.slice(20)}`, s, 8).length).toBeGreaterThan(20);
    expect(pieces(`got ${Buffer.from(s).toString('base64')}`, s, 8).length).toBeGreaterThan(20);
    expect(pieces(s.slice(3, 15).toUpperCase(), s, 8).length).toBeGreaterThan(0);
  });
});

describe('Microsoft Graph quoting the token or the secret in an error', () => {
  it.each([
    ['the whole token after a letter, longer than an excerpt (cut short, it no longer looks like a token)', (f: FakeGraph) => graphError(`A${token(f)}`)],
    ['its payload and signature, without the header', (f: FakeGraph) => graphError(`token rejected: ${token(f).split('.').slice(1).join('.')}`)],
    ['its signature only', (f: FakeGraph) => graphError(`bad signature ${token(f).split('.')[2]}`)],
    ['the secret cut short', () => graphError(`secret=${DEPLOYER.secret.slice(0, 20)} is wrong`)],
    ['the secret split by a space', () => graphError(`got ${DEPLOYER.secret.slice(0, 20)} ${DEPLOYER.secret.slice(20)}`)],
  ])('%s: exit 6, no piece printed', async (_what, body) => {
    const r = await adoptWith((f) => f.tamper(OWNERS, { status: 403, body: () => body(f) }));
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^adopt: Microsoft Graph refused to read: GET \/v1\.0\/applications\/.*\/owners.* answered HTTP 403 /);
    expect(r.written).toBe(false);
    expectNoPieces(r);
  });

  it('an HTML page (a proxy) that quotes the bearer token: exit 6, no piece printed', async () => {
    const r = await adoptWith((f) =>
      f.tamper(OWNERS, { status: 401, headers: { 'content-type': 'text/html' }, body: () => `<html><body>Unauthorized: Bearer=${token(f)}</body></html>` }),
    );
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('answered HTTP 401 <html><body>Unauthorized: Bearer=');
    expectNoPieces(r);
  });

  it('a piece of the token in a value Graph answered (the notes): shown redacted, not written, exit 6', async () => {
    const r = await adoptWith((f) =>
      f.tamper('/v1.0/applications?', {
        body: (json) => {
          const v = JSON.parse(json) as { value: { notes?: string }[] };
          v.value[0].notes = `see ${token(f).split('.')[2].slice(0, 30)}`;
          return JSON.stringify(v);
        },
      }),
    );
    expect(r.code).toBe(6);
    expect(r.written).toBe(false);
    // Fewer than 8 characters of it may stand beside the mark (the scrubber's bound): the token is random.
    expect(r.stdout).toMatch(/notes: "?see [A-Za-z0-9_-]{0,7}<redacted>/);
    expect(r.stderr).toContain('holds (a piece of) the client secret or the access token adopt signed in with');
    expectNoPieces(r);
  });
});

describe('the token endpoint quoting the secret', () => {
  it.each([
    ['cut short', () => aadError(`secret ${DEPLOYER.secret.slice(0, 20)} is wrong`)],
    ['split by a space', () => aadError(`got ${DEPLOYER.secret.slice(0, 20)} ${DEPLOYER.secret.slice(20)}`)],
    ['base64-encoded', () => aadError(`got ${Buffer.from(DEPLOYER.secret).toString('base64')}`)],
  ])('%s: exit 6, the refusal said, no piece printed', async (_what, body) => {
    const r = await adoptWith((f) => f.tamper(TOKEN_ENDPOINT, { status: 401, body }));
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^adopt: cannot sign in as client .* with a client secret \(ARM_CLIENT_SECRET\): Entra ID refused the sign-in: AADSTS9999999: /);
    expectNoPieces(r);
  });
});
