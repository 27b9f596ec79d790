import { type ConfigError, formatProblem } from '../lib/config/problems';
import { loadConfigFile, parseConfigText } from '../lib/config/load-config';
import { normalizeApplication } from '../lib/model/application';
import { configProblems } from '../test-support/problems';

const FILE = 'test.yaml';

const problemsOf = (text: string | Uint8Array) => configProblems(text, FILE);

const MINIMAL = `
environments:
  prod:
    application:
      displayName: ITSM mail
      redirectUris: [https://itsm.example.com/mail/]
      mail:
        flow: delegated
`;

describe('config loader', () => {
  it('accepts a minimal config and applies the defaults', () => {
    const config = parseConfigText(MINIMAL, FILE);
    const app = normalizeApplication(config.environments.prod.application!);
    expect(app.signInAudience).toBe('AzureADMyOrg');
    expect(app.adminConsent).toBe(true);
    expect(app.clientSecret.lifetimeDays).toBe(180);
    expect(app.mail.protocols).toEqual(['imap', 'smtp']);
  });

  it('accepts JSON as well as YAML', () => {
    const json = JSON.stringify({ environments: { dev: { application: { displayName: 'x', mail: { flow: 'app-only' } } } } });
    expect(parseConfigText(json, 'c.json').environments.dev.application?.mail.flow).toBe('app-only');
  });

  it('fails when the file is empty', () => {
    expect(problemsOf('  \n')).toEqual([`${FILE}: (file): is empty; it must define at least one environment under "environments:"`]);
  });

  it('fails when the text is not YAML, naming the line', () => {
    const [p] = problemsOf('environments:\n  prod: [unclosed\n');
    expect(p).toMatch(/^test\.yaml: \(file\): not valid YAML: .*\(line \d+\)$/);
  });

  it('fails when the document is not a mapping', () => {
    expect(problemsOf('- a\n- b\n')).toEqual([`${FILE}: (top level): must be a mapping with an "environments" key (see config/example.yaml)`]);
  });

  it('fails when no environment is defined', () => {
    expect(problemsOf('environments: {}\n')).toEqual([`${FILE}: environments: must define at least one environment, e.g. "prod:" (line 1)`]);
  });

  it('fails when environments is missing and no tenant is declared', () => {
    expect(problemsOf('foo: 1\n')).toEqual(
      expect.arrayContaining([
        `${FILE}: environments: is required unless the file declares tenants: add an environment (e.g. "prod:" with an application section), or a tenant's conditional access under tenants (line 1)`,
        expect.stringMatching(/^test\.yaml: foo: unknown key "foo"; allowed here: \$schema, environments/),
      ]),
    );
  });

  it('fails on an unknown key with a did-you-mean and the allowed keys', () => {
    const [p] = problemsOf(MINIMAL.replace('    application:', '    tenantID: 11111111-1111-1111-1111-111111111111\n    application:'));
    expect(p).toBe(
      `${FILE}: environments.prod.tenantID: unknown key "tenantID" (did you mean "tenantId"?); allowed here: tenant, tenantId, provider, backend, application, mfaPolicy, guardrails (line 4)`,
    );
  });

  it('fails on a secret in the file and says where secrets come from', () => {
    const text = MINIMAL.replace('    application:', '    provider:\n      clientSecret: abc\n    application:');
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(/^test\.yaml: environments\.prod\.provider\.clientSecret: secrets are not accepted in the config file; .*ARM_CLIENT_SECRET/),
    ]);
  });

  it('fails on a wrong type, naming what was received', () => {
    const [p] = problemsOf(MINIMAL.replace('ITSM mail', '[1, 2]'));
    expect(p).toBe(`${FILE}: environments.prod.application.displayName: must be a string, got a list (line 5)`);
  });

  it('fails on a bad tenant ID with the expected form', () => {
    const [p] = problemsOf(MINIMAL.replace('    application:', '    tenantId: not-a-guid\n    application:'));
    expect(p).toBe(`${FILE}: environments.prod.tenantId: must be the directory (tenant) ID: a UUID such as 00000000-0000-0000-0000-000000000000 (line 4)`);
  });

  it('fails on an unknown enum word with a suggestion', () => {
    const [p] = problemsOf(MINIMAL.replace('flow: delegated', 'flow: delegatd'));
    expect(p).toBe(
      `${FILE}: environments.prod.application.mail.flow: "delegatd" is not allowed; allowed: "delegated", "app-only" (did you mean "delegated"?) (line 8)`,
    );
  });

  it('fails on duplicate keys', () => {
    const [p] = problemsOf('environments:\n  prod: {}\n  prod: {}\n');
    expect(p).toMatch(/^test\.yaml: \(file\): a key appears twice in the same mapping; remove or merge the duplicate \(line 3\)$/);
  });

  it('fails on environment names that cannot be stack names', () => {
    const text = MINIMAL.replace('  prod:', '  Prod Env:');
    expect(problemsOf(text)[0]).toBe(
      `${FILE}: environments.Prod Env: "Prod Env" cannot be a stack name: use 1-40 lower-case letters, digits and hyphens, starting with a letter (line 3)`,
    );
  });

  it('fails on environment names that differ only in case', () => {
    const text = `${MINIMAL}  PROD:\n    application:\n      displayName: y\n      redirectUris: [https://itsm.example.com/mail/]\n      mail:\n        flow: delegated\n`;
    expect(problemsOf(text)).toEqual([
      `${FILE}: environments.PROD: "PROD" differs from "prod" only in case; stack folders would collide, and names are lower case: rename or remove it (line 9)`,
    ]);
  });

  it('fails on an environment that declares nothing', () => {
    expect(problemsOf('environments:\n  prod: {}\n')).toEqual([
      `${FILE}: environments.prod: declares nothing: add an "application" section, an "mfaPolicy" section, or both (line 2)`,
    ]);
  });

  it('reports every problem at once', () => {
    const text = MINIMAL.replace('flow: delegated', 'flow: nope\n        protocols: [imap, ftp]').replace('ITSM mail', '""');
    expect(problemsOf(text)).toHaveLength(3);
  });

  it('fails on an alias bomb without expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`,
      );
    const [p] = problemsOf(bomb.join('\n'));
    expect(p).toMatch(/^test\.yaml: \(file\): /);
  });

  it('fails on deeply nested documents before parsing them', () => {
    expect(problemsOf('['.repeat(100_000))).toEqual([`${FILE}: (file): is nested 100000 levels deep; at most 64 are allowed`]);
  });

  it('fails on binary garbage', () => {
    expect(problemsOf(Buffer.from([0x00, 0xff, 0x10, 0x80]))).toEqual([`${FILE}: (file): is binary (contains NUL bytes), not a YAML or JSON text file`]);
  });

  it('fails on text that is not UTF-8', () => {
    expect(problemsOf(Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28]))).toEqual([`${FILE}: (file): is not valid UTF-8 text; save it as UTF-8`]);
  });

  it('fails on several YAML documents in one file', () => {
    expect(problemsOf(`${MINIMAL}---\n${MINIMAL}`)).toEqual([`${FILE}: (file): holds 2 YAML documents; put everything in one document`]);
  });

  it('fails when a backend carries an access key', () => {
    const text = MINIMAL.replace(
      '    application:',
      '    backend:\n      type: azurerm\n      storageAccountName: tfstate01\n      containerName: tfstate\n      accessKey: abc\n    application:',
    );
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^test\.yaml: environments\.prod\.backend\.accessKey: secrets are not accepted/)]);
  });

  it('fails on an unknown backend type', () => {
    const text = MINIMAL.replace('    application:', '    backend:\n      type: s3\n    application:');
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^test\.yaml: environments\.prod\.backend(\.type)?: .*local.*azurerm.*cloud/)]);
  });

  it('refuses a device (or a pipe, which could block forever) before reading it', () => {
    let error: unknown;
    try {
      loadConfigFile('/dev/zero');
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map(formatProblem)).toEqual([
      '/dev/zero: (file): is not a regular file (a pipe, socket or device): save the config to a file and name that file',
    ]);
  });

  it('fails on UTF-16 text with the fix, not as binary', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('environments: {}\n', 'utf16le')]);
    expect(problemsOf(utf16)).toEqual([`${FILE}: (file): is UTF-16 text (as Windows PowerShell writes by default); save it as UTF-8`]);
  });

  it('quotes keys that would make the path ambiguous and escapes control characters', () => {
    const [p] = problemsOf(
      'environments:\n  prod:\n    "a.b\\u001b": 1\n    application: { displayName: a, redirectUris: [https://itsm.example.com/mail/], mail: { flow: delegated } }\n',
    );
    expect(p).toMatch(/^test\.yaml: environments\.prod\["a\.b\\u001b"\]: unknown key "a\.b\\u001b"/);
    expect(p).not.toMatch(/\u001b/);
  });

  it('prints the path exactly as the problem names it, also for keys with DEL or format characters', () => {
    for (const key of ['a\u007fb', 'x\u202ey', 'p: q']) {
      try {
        parseConfigText(
          `environments:\n  prod:\n    ${JSON.stringify(key)}: 1\n    application: { displayName: a, redirectUris: [https://itsm.example.com/mail/], mail: { flow: delegated } }\n`,
          FILE,
        );
        throw new Error('expected a problem');
      } catch (e) {
        const [problem] = (e as ConfigError).problems;
        expect(formatProblem(problem).startsWith(`${FILE}: ${problem.path}: `)).toBe(true);
      }
    }
  });

  it('never repeats a secret written in the file', () => {
    const fake = `abc${'8Q~'}${'x'.repeat(34)}`;
    const text = MINIMAL.replace('      mail:', `      clientSecret: ${fake}\n      mail:`).replace('flow: delegated', `flow: ${fake}`);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(2);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^test\.yaml: environments\.prod\.application\.clientSecret: must be a mapping such as \{ lifetimeDays: 180 \}; a secret value never goes in the config/,
        ),
        expect.stringMatching(
          /^test\.yaml: environments\.prod\.application\.mail\.flow: holds what looks like an Entra ID client secret \(not repeated here\): a credential never goes in the config/,
        ),
      ]),
    );
    expect(problems.join('\n')).not.toContain('8Q~');
  });
});
