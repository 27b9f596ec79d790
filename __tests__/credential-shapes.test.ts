// Credentials of every shape are refused in any field of the config and never echoed (issue 21,
// "secrets of other shapes reach cdk.tf.json"). Each shape is a class: positives of the class and
// legitimate values that share its alphabet or length. Every fake credential is built at run time
// from clearly fake parts, so the repository holds nothing shaped like one.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { credentialIn, redactCredentials } from '../lib/private/credentials';
import { printable } from '../lib/private/printable';
import { runSynthInProcess, workdir } from '../test-support/cli';

/** A deterministic stream of characters from `alphabet` (a linear congruential generator), so the suite never changes. */
function pseudoRandom(seed: number, alphabet: string, length: number): string {
  let x = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out += alphabet[(x >>> 8) % alphabet.length];
  }
  return out;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const b64url = (s: string) => Buffer.from(s).toString('base64url');

const keyBody = (type: 'rsa' | 'ec' | 'ed25519', format: 'pkcs8' | 'pkcs1' | 'sec1' = 'pkcs8', encrypted = false) => {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 1024 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  const der = encrypted
    ? privateKey.export({ format: 'der', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'FAKE-not-a-secret' })
    : privateKey.export({ format: 'der', type: format as 'pkcs8' });
  return der.toString('base64');
};
const publicKeyBody = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

const OLD_SECRET_34 = ['k8T', '_7x-7V_WJ.9', '.SV2y~N3Hg~5xz-5r3fQ'].join('');
const OLD_SECRET_2019 = ['c@[Kw?', '/6Ke5?5]T.ZAmRr:', 'Jn_2A0dK-7G'].join('');
const OLD_SECRET_BASE64 = ['FAKEb2t', 'Ub3RhU2Vj', 'cmV0MTIzNDU2Nzg5MGFi', 'Y2Q='].join('');
const SAS = ['https://tfstate01.blob.core.windows.net/c/f?sv=2022-11-02&sr=b&sp=r', '&sig=', 'FAKEnotAsig', 'nature0123456789abcdef%2B%3D'].join('');
const STORAGE_KEY = `${pseudoRandom(7, `${ALNUM}+/`, 86)}==`;

/** Positive cases: [class, the credential as a user would paste it]. */
const CREDENTIALS: readonly (readonly [string, () => string])[] = [
  [
    'a connection string with Password=',
    () => ['Server=tcp:db.example.com,1433;Database=itsm;User ID=itsm;', 'Password=', 'FAKE-not-a-secret', ';Encrypt=True'].join(''),
  ],
  ['a connection string with Pwd={…}', () => ['Driver={ODBC Driver 18};Server=db;Uid=itsm;', 'Pwd=', '{FAKE;not;a;secret}'].join('')],
  [
    'a connection string with AccountKey=',
    () => ['DefaultEndpointsProtocol=https;AccountName=tfstate01;', 'AccountKey=', pseudoRandom(3, ALNUM, 86), '==;'].join(''),
  ],
  [
    'a Service Bus connection string (SharedAccessKey=)',
    () => ['Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=send;', 'SharedAccessKey=', pseudoRandom(5, ALNUM, 43), '='].join(''),
  ],
  ['a PGP private key block', () => ['-----BEGIN PGP ', 'PRIVATE KEY BLOCK-----'].join('')],
  ['an OpenSSH private key', () => ['-----BEGIN OPENSSH ', 'PRIVATE KEY-----'].join('')],
  ['a base64 PKCS#8 RSA key body without its PEM header', () => keyBody('rsa')],
  ['a base64 PKCS#8 EC key body, in lines of 64', () => keyBody('ec').replace(/(.{64})/g, '$1\n')],
  ['a base64 PKCS#8 Ed25519 key body', () => keyBody('ed25519')],
  ['a base64 PKCS#1 RSA key body', () => keyBody('rsa', 'pkcs1')],
  ['a base64 SEC1 EC key body', () => keyBody('ec', 'sec1')],
  ['a base64 encrypted PKCS#8 key body', () => keyBody('ec', 'pkcs8', true)],
  ['an Entra ID client secret of the 2020 format (34 characters, ~ . _ -)', () => OLD_SECRET_34],
  ['an Entra ID client secret of the 2019 format ([ ] @ : ? *)', () => OLD_SECRET_2019],
  ['an Entra ID client secret of the base64 format (44 characters)', () => OLD_SECRET_BASE64],
  ['an older client secret inside a sentence', () => `the secret is ${OLD_SECRET_34} until May`],
  ['an older client secret after key=', () => `secret=${OLD_SECRET_34}`],
  ['a SAS URL', () => SAS],
  ['a SAS URL encoded once more', () => `https://itsm.example.com/cb?next=${encodeURIComponent(SAS)}`],
  ['a SAS URL encoded twice more', () => encodeURIComponent(encodeURIComponent(SAS))],
  ['a SAS token with &amp;', () => SAS.replace('&sig=', '&amp;sig=')],
  ['a JWT', () => [b64url('{"alg":"RS256","typ":"JWT"}'), b64url('{"sub":"FAKE-not-a-secret"}'), 'FAKEsignatureFAKE'].join('.')],
  ['a JWT whose header starts with a space', () => [b64url(' { "alg": "none" }'), b64url('{"aud":"x"}'), ''].join('.')],
  ['a JWT percent-encoded', () => encodeURIComponent([b64url('{"alg":"HS256"}'), b64url('{"sub":"x1234567"}'), 'FAKEsig'].join('.'))],
  ['a storage account key alone', () => STORAGE_KEY],
  ['a bearer token', () => `Authorization: Bearer ${pseudoRandom(11, ALNUM, 40)}`],
  ['a GitHub fine-grained token', () => ['github_pat_', pseudoRandom(13, ALNUM, 60)].join('')],
];

/** Legitimate values that share an alphabet or a length with a credential shape: none is refused. */
const LEGITIMATE = [
  '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  'https://itsm.example.com/api/auth/oauth2',
  'https://itsm.example.com/OAuth2/Callback/v2Handler',
  'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
  'api://itsm-prod-2024/Mail.Send',
  'Pandora ITSM mail (prod) 2024',
  'Password reset helpdesk mailbox',
  'Basic authentication-for-helpdesk-mailboxes',
  'itsm-mail/client-secret/slot-a',
  'azuread_application_password.itsm-mail_client-secret_slot-a_E499DB1A',
  'itsm-mail_client-secret_slot-a_E499DB1A',
  'Helpdesk.Mailbox2024@contoso.example.com',
  'ServiceDesk-Prod-EU-West-2024-Mailboxes-01',
  'ConditionalAccessPolicyForItsmMail2024',
  // Graph's base64url IDs of an app role assignment and a permission grant (adopt writes them into application.import).
  'PlE9vL4oI2ajgUWmAE6BbHWTh1RnYOxBmdBUDYn3hxM',
  'dXNlci1ncmFudC14eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg',
  '5B6F8A03C1B7E5D97A2C4F0E8D6B1A3C5E7F9D0B',
  'outlook.office365.com',
  'MFA-Pilot.policy.v2.contoso-helpdesk-prod',
  'sv=2022-11-02',
  'pwd is required by the form',
  'Server=db.example.com;Database=itsm;Integrated Security=true',
  // Paths printed in messages, with the random part of a temporary folder's name.
  '/tmp/itsm-bad-input-1VBK1h/empty-file.yaml:',
  'itsm-bad-input-x5rrLA/conf.yaml',
  'C:/Users/Alice1/AppData/Local/Temp/itsm-9XkQ2v/c.yaml',
];

describe('credential shapes', () => {
  it.each(CREDENTIALS)('finds %s', (_what, make) => {
    const value = make();
    expect(credentialIn(value)).toBeDefined();
    // Redacted wherever it is printed: no part of it that is not also ordinary text survives.
    const line = redactCredentials(`field: ${value} end`);
    expect(line).toContain('<redacted: ');
    expect(line).not.toContain(value);
    expect(printable(value)).toContain('<redacted: ');
    expect(printable(value)).not.toContain(value);
  });

  it.each(LEGITIMATE)('lets %j through', (value) => {
    expect(credentialIn(value)).toBeUndefined();
    expect(redactCredentials(value)).toBe(value);
  });

  it('lets a certificate or public key body through (no private key in it)', () => {
    expect(credentialIn(publicKeyBody())).toBeUndefined();
  });

  it('lets file paths with random temporary folder names through (mkdtemp, CI work folders)', () => {
    const suffix = `${ALNUM}`;
    for (let i = 0; i < 200; i++) {
      const dir = `/tmp/itsm-adopt-write-${pseudoRandom(5000 + i, suffix, 6)}`;
      for (const path of [`${dir}/c1.yaml`, `${dir}/cdktf.out/stacks/prod`, `./${pseudoRandom(7000 + i, suffix, 8)}-x/config/prod.yaml`]) {
        expect({ path, found: credentialIn(path) }).toEqual({ path, found: undefined });
      }
    }
  });

  it('judges a Graph base64url ID followed by punctuation as the ID it is, so a problem line keeps its form (found by the fuzzer, seed 2053273326)', () => {
    // 43 characters of A-Z a-z 0-9 - _: the form of app role assignment and grant IDs.
    const ids = Array.from({ length: 200 }, (_x, i) => pseudoRandom(9000 + i, `${ALNUM}-_`, 43));
    for (const id of ids) {
      for (const line of [`c.yaml: environments.prod.x ${id}: unknown key "x ${id}"`, `the grant ${id}.`, `is it ${id}?`]) {
        expect({ line, redacted: redactCredentials(line) }).toEqual({ line, redacted: line });
      }
    }
  });

  it("judges a config path by its keys, so a key of the user's does not make the path a secret (found by the fuzzer, seed 2081902911)", () => {
    const line = 'fuzz.yaml: tenants.contoso.namedLocations.j-6-1-l-x: unknown key "mS"; allowed here: displayName, existing (line 21)';
    expect(redactCredentials(line)).toBe(line);
    const keyChars = 'abcdefghijklmnopqrstuvwxyz0123456789-';
    for (let i = 0; i < 300; i++) {
      const key = (n: number) => pseudoRandom(11000 + i * 7 + n, keyChars, 1 + ((i + n) % 12));
      for (const path of [
        `tenants.${key(1)}.namedLocations.${key(2)}`,
        `environments.${key(3)}.conditionalAccessPolicies.${key(4)}.excludeGroups[0]`,
        `tenants.${key(5)}.conditionalAccessPolicies.${key(6)}.group.create.owners[1]`,
      ]) {
        const problem = `c.yaml: ${path}: unknown key "x"`;
        expect({ problem, redacted: redactCredentials(problem) }).toEqual({ problem, redacted: problem });
      }
    }
    // A secret used as a key is still found, where it stands in the path.
    const secret = pseudoRandom(4243, `${ALNUM}_-`, 34);
    expect(credentialIn(secret)).toBeDefined();
    expect(redactCredentials(`c.yaml: tenants.contoso.namedLocations.${secret}: unknown key "x"`)).toBe(
      'c.yaml: tenants.contoso.namedLocations.<redacted: an Entra ID client secret>: unknown key "x"',
    );
  });

  it('redacts a private key block from its first line to its last, in raw, JSON and terminal text, and a block cut short whole', () => {
    const body = pseudoRandom(4244, `${ALNUM}+/`, 64);
    const pem = `-----BEGIN PRIVATE KEY-----\nMIIE${body}\n${body}==\n-----END PRIVATE KEY-----`;
    const putty = `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: fake-key\nPrivate-Lines: 1\n${body}\nPrivate-MAC: 0123abcdef`;
    for (const key of [pem, putty, pem.slice(0, 100)]) {
      for (const text of [`value: "${key}" end`, JSON.stringify({ a: `x ${key}`, b: 1 }), printable(`value: "${key}" end`)]) {
        const out = redactCredentials(text);
        expect({ text, out, leaks: out.includes(body.slice(0, 12)) || out.includes(body.slice(40, 52)) }).toEqual({ text, out, leaks: false });
      }
    }
    expect(redactCredentials(`value: "${pem}" end`)).toBe('value: "<redacted: a private key>" end');
    expect(JSON.parse(redactCredentials(JSON.stringify({ a: pem.slice(0, 100), b: 1 })))).toEqual({ a: '<redacted: a private key>', b: 1 });
  });

  it('finds a token glued to a word by - or _, and a connection string password written with spaces around =', () => {
    const jwt = ['eyJhbGciOiJSUzI1NiJ9', 'eyJzdWIiOiJmYWtlLWZha2UtZmFrZSJ9', 'RkFLRWZha2VGQUtFZmFrZUZBS0VmYWtl'].join('.');
    for (const text of [`x-${jwt}`, `token_${jwt}`, 'Server=db.example.invalid; Password = NotReal-Pa55word', 'Server=x;PWD =NotReal-Pa55word;']) {
      expect({ text, found: credentialIn(text) !== undefined }).toEqual({ text, found: true });
      expect(redactCredentials(text)).not.toMatch(/RkFLRWZha2|NotReal-Pa55/);
    }
  });

  it('keeps the separator after a redacted value: "FILE: path: message" stays that form', () => {
    const secret = pseudoRandom(4242, `${ALNUM}_.~-`, 34);
    expect(credentialIn(secret)).toBeDefined();
    expect(redactCredentials(`c.yaml: environments.prod ${secret}: unknown key`)).toBe(
      'c.yaml: environments.prod <redacted: an Entra ID client secret>: unknown key',
    );
  });

  it('finds at least 95% of older client secrets drawn at random from each of their alphabets', () => {
    const alphabets = { '2020': `${ALNUM}_.~-`, '2019': `${ALNUM}[]@:?=*-_./`, base64: `${ALNUM}+/` };
    for (const [format, alphabet] of Object.entries(alphabets)) {
      const length = format === '2020' ? 34 : format === '2019' ? 32 : 43;
      const samples = Array.from({ length: 400 }, (_x, i) => pseudoRandom(1000 + i, alphabet, length) + (format === 'base64' ? '=' : ''));
      const found = samples.filter((s) => credentialIn(s) !== undefined).length;
      expect({ format, found: found >= 380 }).toEqual({ format, found: true });
    }
  });
});

describe('the config refuses them in any field and echoes no part of them', () => {
  const config = (where: 'description' | 'displayName' | 'mailbox' | 'note', value: string) =>
    [
      'environments:',
      '  prod:',
      '    application:',
      `      displayName: ${where === 'displayName' ? JSON.stringify(value) : 'ITSM mail'}`,
      ...(where === 'description' ? [`      description: ${JSON.stringify(value)}`] : []),
      ...(where === 'note' ? [`      notes: ${JSON.stringify(value)}`] : []),
      `      mail: { flow: app-only, mailboxes: [${where === 'mailbox' ? JSON.stringify(value) : 'helpdesk@example.com'}] }`,
      '',
    ].join('\n');

  const cases = CREDENTIALS.flatMap(([what, make]) =>
    (['description', 'displayName', 'mailbox', 'note'] as const).map((where) => [what, where, make] as const),
  );
  it.each(cases)('%s as the %s', (_what, where, make) => {
    const value = make();
    const dir = workdir({ 'c.yaml': config(where, value) });
    try {
      const r = runSynthInProcess(dir, ['--config', 'c.yaml']);
      const output = r.stdout + r.stderr;
      expect(r.status).not.toBe(0);
      expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
      expect(output).toMatch(/looks like .* \(not repeated here\)/);
      // No run of 12 characters of the credential's own (random) part is echoed.
      const secretPart = value.replace(/^.*?(Password=|Pwd=|AccountKey=|SharedAccessKey=|sig(?:=|%3D|%253D))/i, '');
      for (let i = 0; i + 12 <= secretPart.length; i += 4) {
        const piece = secretPart.slice(i, i + 12);
        if (/^[A-Za-z0-9+/=_.~-]{12}$/.test(piece) && !/FAKE-not-a|not-a-secr/.test(piece) && !config(where, '').includes(piece))
          expect(output).not.toContain(piece);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
