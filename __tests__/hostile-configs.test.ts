import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigText } from '../lib/config/load-config';
import { runSynthInProcess, workdir } from '../test-support/cli';
import { configProblems } from '../test-support/problems';

/*
 * Hostile and mistaken configs, by class (issue "What it emits applies and re-plans clean; what
 * it accepts is safe and valid", part 3). Each case goes through the loader or the command line as
 * a user meets it; each would have passed, hung or leaked on the first version.
 */

const FILE = 'c.yaml';
const problemsOf = (text: string) => configProblems(text, FILE);

/** A valid environment; `extra` lines go under `application:` and `env` lines under the environment. */
function config({ app = [] as string[], env = [] as string[], mail = ['flow: app-only'] } = {}): string {
  return [
    'environments:',
    '  prod:',
    ...env.map((l) => `    ${l}`),
    '    application:',
    '      displayName: ITSM mail',
    '      mail:',
    ...mail.map((l) => `        ${l}`),
    ...app.map((l) => `      ${l}`),
    '',
  ].join('\n');
}

// Built at run time, so the repository itself holds nothing shaped like a credential.
const ENTRA_SECRET = ['Ab1', '7Q~', 'n0tAREALsecretBUTshapedLIKEone.12'].join('');
const JWT = ['eyJhbGciOiJSUzI1NiJ9', 'eyJzdWIiOiJ4In0xxxxxxxx', 'c2lnbmF0dXJlc2lnbmF0dXJl'].join('.');

/** Runs the command line on `text`; returns what it printed, and whether it wrote anything. */
function synth(text: string): { status: number | null; output: string; wrote: boolean } {
  const dir = workdir({ 'config.yaml': text });
  try {
    const r = runSynthInProcess(dir, ['--config', 'config.yaml']);
    return { status: r.status, output: r.stdout + r.stderr, wrote: existsSync(join(dir, 'cdktf.out')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('credentials are refused in every field and never echoed', () => {
  const cases: [string, string, string][] = [
    ['a client secret in the description', config({ app: [`description: "rotate ${ENTRA_SECRET} soon"`] }), ENTRA_SECRET],
    ['a token in the notes', config({ app: [`notes: "token ${JWT}"`] }), JWT],
    [
      'client_secret in a redirect URI query',
      config({ mail: ['flow: delegated'], app: ['redirectUris: ["https://itsm.example.com/cb/?client_secret=hunter2hunter2"]'] }),
      'hunter2hunter2',
    ],
    [
      'a password in a redirect URI',
      config({ mail: ['flow: delegated'], app: ['redirectUris: ["https://admin:Pa55w0rdPa55@itsm.example.com/cb/"]'] }),
      'Pa55w0rdPa55',
    ],
    ['a client secret as an excluded user', config({ env: ['mfaPolicy:', `  excludeUsers: ["${ENTRA_SECRET}"]`] }), ENTRA_SECRET],
    ['a client secret as an excluded group', config({ env: ['mfaPolicy:', `  excludeGroups: ["${ENTRA_SECRET}"]`] }), ENTRA_SECRET],
    ['a client secret as an application', config({ env: ['mfaPolicy:', `  includeApplications: ["${ENTRA_SECRET}"]`] }), ENTRA_SECRET],
    ['a client secret as the authentication strength', config({ env: ['mfaPolicy:', `  grant: { authenticationStrength: "${ENTRA_SECRET}" }`] }), ENTRA_SECRET],
    ['a client secret as a permission name', config({ app: [`permissions: [{ type: application, name: "${ENTRA_SECRET}" }]`] }), ENTRA_SECRET],
    ['a client secret as a redirect URI', config({ mail: ['flow: delegated'], app: [`redirectUris: ["${ENTRA_SECRET}"]`] }), ENTRA_SECRET],
    [
      'a client secret in a suppression reason',
      config({
        env: [
          'guardrails:',
          '  suppressions:',
          `    - { rule: ITSM-SEC-003, resource: itsm-mail, reason: "Accepted for now, the secret is ${ENTRA_SECRET} anyway." }`,
        ],
      }),
      ENTRA_SECRET,
    ],
    ['a client secret as a key', config({ app: [`${ENTRA_SECRET}: 1`] }), ENTRA_SECRET],
    ['a client secret as a mailbox', config({ mail: ['flow: app-only', `mailboxes: ["${ENTRA_SECRET}"]`] }), ENTRA_SECRET],
  ];
  it.each(cases)('%s', (_name, text, secret) => {
    const r = synth(text);
    expect(r.status).not.toBe(0);
    expect(r.wrote).toBe(false);
    expect(r.output).toMatch(/looks like .* \(not repeated here\)/);
    expect(r.output).not.toContain(secret);
  });
});

describe('break-glass exclusions and tenant IDs must name real objects', () => {
  const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
  it('refuses a role template ID given as the excluded user of an enforced policy', () => {
    const problems = problemsOf(config({ env: ['mfaPolicy:', '  state: on', `  excludeUsers: [${GLOBAL_ADMINISTRATOR}]`] }));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/excludeUsers\[0\]: .*template ID of the directory role Global Administrator, not a user/)]),
    );
  });
  it.each([
    ['tenantId', { env: ['tenantId: 00000000-0000-0000-0000-000000000000'] }, /tenantId: .*is the nil UUID/],
    [
      'provider.clientId',
      { env: ['provider: { authentication: oidc, clientId: 00000000-0000-0000-0000-000000000000 }'] },
      /provider\.clientId: .*is the nil UUID/,
    ],
    [
      'backend.subscriptionId',
      { env: ['backend: { type: azurerm, storageAccountName: tfstate01, containerName: tfstate, subscriptionId: 00000000-0000-0000-0000-000000000000 }'] },
      /backend\.subscriptionId: .*is the nil UUID/,
    ],
    ['an owner', { app: ['owners: [00000000-0000-0000-0000-000000000000]'] }, /owners\[0\]: .*is the nil UUID/],
  ])('refuses the nil UUID as %s', (_name, parts, expected) => {
    expect(problemsOf(config(parts))).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
  it('the example config holds no nil UUID', () => {
    expect(readFileSync(join(__dirname, '..', 'config', 'example.yaml'), 'utf8')).not.toContain('00000000-0000-0000-0000-000000000000');
  });
});

describe('legitimate files are not refused', () => {
  it('accepts one anchor reused 60 times', () => {
    const lines = ['x-owner: &owner 3f2504e0-4f89-41d3-9a0c-0305e82c3301', 'environments:'];
    for (let i = 0; i < 60; i++) {
      lines.push(`  env${i}:`, '    application:', `      displayName: ITSM mail ${i}`, '      owners: [*owner]', '      mail: { flow: app-only }');
    }
    // `x-owner` is not a key of the config: the loader names it, and nothing about aliases.
    const problems = problemsOf(`${lines.join('\n')}\n`);
    expect(problems).toEqual([expect.stringMatching(/^c\.yaml: x-owner: /)]);
  });
  it('accepts brackets and deep indentation inside comments and quoted text', () => {
    const comment = `#${'['.repeat(200)} ${' '.repeat(300)}{{{{`;
    const text = config({ app: [comment, `${' '.repeat(2)}# ${' '.repeat(400)}indented note`, `description: "${'['.repeat(100)}"`] });
    expect(parseConfigText(text, FILE).environments.prod.application?.description).toBe('['.repeat(100));
  });
  it('names JSON with comments as such', () => {
    const text = '{\n  // the production tenant\n  "environments": {}\n}\n';
    expect(configProblems(text, 'c.json')).toEqual([
      'c.json: (file): is JSON with comments, which JSON does not allow: remove the comments, or write the file as YAML, which has # comments',
    ]);
  });
  it('refuses a pipe at once instead of waiting for a writer', () => {
    const dir = workdir();
    try {
      execFileSync('mkfifo', [join(dir, 'config.yaml')]);
      const r = runSynthInProcess(dir, ['--config', 'config.yaml']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('config.yaml: error: (file): is not a regular file (a pipe, socket or device)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('redirect URIs are checked as written, not after normalisation', () => {
  const withUris = (...uris: string[]) => config({ mail: ['flow: delegated'], app: [`redirectUris: ${JSON.stringify(uris)}`] });
  it.each([
    ['a trailing space', 'https://itsm.example.com/cb ', /contains a space, a line break or an invisible character/],
    ['a leading space', ' https://itsm.example.com/cb', /contains a space, a line break or an invisible character/],
    ['a no-break space', 'https://itsm.example.com/cb\u00a0', /contains a space, a line break or an invisible character/],
    ['a zero-width space in the host', 'https://itsm\u200b.example.com/cb', /invisible character/],
    ['a bare #', 'https://itsm.example.com/cb#', /has a fragment/],
    ['a backslash', 'https://itsm.example.com\\cb', /backslash/],
    ['a hexadecimal loopback address over http', 'http://0x7f.1/cb', /the host "0x7f\.1" is read as "127\.0\.0\.1"/],
    ['a shortened loopback address over http', 'http://127.1/cb', /the host "127\.1" is read as "127\.0\.0\.1"/],
    ['a host in capitals', 'https://ITSM.example.com/cb', /the host "ITSM\.example\.com" is read as "itsm\.example\.com"/],
    ['a look-alike Cyrillic host', 'https://itsm.ex\u0430mple.com/cb', /outside ASCII/],
    ['user information', 'https://admin@itsm.example.com/cb', /user information/],
    ['localhost as user information', 'http://localhost@evil.example.com/cb', /user information/],
    ['a character Entra ID refuses', "https://itsm.example.com/it's", /does not support ! \$ ' \( \) , ;/],
    ['a semicolon', 'https://itsm.example.com/cb;jsessionid=1', /does not support/],
    ['no path', 'https://itsm.example.com', /has no path: add a trailing slash \(https:\/\/itsm\.example\.com\/\)/],
    ['no path on localhost', 'http://localhost:8080', /add a trailing slash \(http:\/\/localhost:8080\/\)/],
    ['no path before a query', 'https://itsm.example.com?x=1', /add a trailing slash/],
    ['a stray percent sign', 'https://itsm.example.com/100%', /not a percent-escape/],
    ['an upper-case scheme', 'HTTPS://itsm.example.com/cb', /write the scheme in lower case/],
    ['an invalid port', 'https://itsm.example.com:99999/cb', /invalid port/],
  ])('refuses %s', (_name, uri, expected) => {
    const problems = problemsOf(withUris(uri));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/redirectUris\[0\]: /)]));
    expect(problems.join('\n')).toMatch(expected);
  });
  it('accepts what Entra ID and the provider accept', () => {
    const uris = [
      'https://itsm.example.com/',
      'http://localhost/pandora',
      'http://127.0.0.1:8080/cb',
      'http://[::1]/cb',
      'https://itsm.example.com/cb?tenant=contoso',
      'https://xn--itsm-9oa.example.com/cb%20x',
    ];
    expect(parseConfigText(withUris(...uris), FILE).environments.prod.application?.redirectUris).toEqual(uris);
  });
  it('refuses a query string when personal accounts sign in', () => {
    const text = config({
      mail: ['flow: delegated'],
      app: ['signInAudience: AzureADandPersonalMicrosoftAccount', 'redirectUris: ["https://itsm.example.com/cb?x=1"]'],
    });
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /redirectUris\[0\]: .*has a query string; Entra ID allows query parameters in redirect URIs only when work and school accounts alone sign in/,
      ),
    ]);
  });
  it('the guardrail judges the host as written, too', () => {
    const { unsafeRedirectUriReason } = jest.requireActual<typeof import('../lib/model/redirect-uri')>('../lib/model/redirect-uri');
    expect(unsafeRedirectUriReason('http://0x7f.1/cb')).toMatch(/http:\/\/ for a host other than localhost/);
    expect(unsafeRedirectUriReason('http://localhost@evil.example.com/')).toMatch(/http:\/\/ for a host other than localhost/);
    expect(unsafeRedirectUriReason('http://localhost:8080/cb')).toBeUndefined();
  });
});

describe("a tool's callback is compared exactly as written, as Entra ID compares it", () => {
  // osTicket sends <helpdesk URL>/api/auth/oauth2; Entra ID compares the redirect_uri it is sent
  // with the registered URIs character for character (AADSTS50011 otherwise).
  const osTicket = (...uris: string[]) =>
    [
      'environments:',
      '  prod:',
      '    application:',
      '      displayName: osTicket mail',
      '      itsmTool: osticket',
      `      redirectUris: ${JSON.stringify(uris)}`,
      '      mail: { protocols: [pop, smtp], mailboxes: [helpdesk@example.com] }',
      '',
    ].join('\n');
  it.each([
    [
      'a dot-dot segment',
      'https://help.example.com/x/../api/auth/oauth2',
      /has the dot segment "\.\." in its path, which Entra ID does not resolve: osTicket sends its callback as <helpdesk URL>\/api\/auth\/oauth2/,
    ],
    ['a dot segment', 'https://help.example.com/./api/auth/oauth2', /has the dot segment "\." in its path/],
    ['percent-encoded dots', 'https://help.example.com/x/%2e%2e/api/auth/oauth2', /has the dot segment "%2e%2e" in its path/],
    ['a mixed encoded dot', 'https://help.example.com/support/.%2E/api/auth/oauth2', /has the dot segment "\.%2E" in its path/],
    ['a query string', 'https://help.example.com/support/api/auth/oauth2?from=entra', /has a query string \(\?…\), which the tool does not send/],
    ['a percent-encoded letter', 'https://help.example.com/support/api/auth/oauth%32', /has percent-escapes in its path, which Entra ID does not decode/],
  ])('refuses %s that only resolves to the callback, saying what the tool sends', (_name, uri, expected) => {
    const problems = problemsOf(osTicket(uri));
    const mine = problems.filter((p) => p.includes('redirectUris[0]: '));
    expect(mine).toEqual([expect.stringMatching(expected)]);
    expect(mine[0]).toContain('sign-in would fail with AADSTS50011');
    expect(mine[0]).toContain('the "Redirect URI" (Callback Endpoint) of the IdP Config tab');
  });
  it('accepts the callback as the tool builds it', () => {
    expect(parseConfigText(osTicket('https://help.example.com/support/api/auth/oauth2'), FILE).environments.prod.application?.redirectUris).toEqual([
      'https://help.example.com/support/api/auth/oauth2',
    ]);
  });
});

describe('a delegated flow needs a redirect URI', () => {
  it('is refused without one, with the fix', () => {
    expect(problemsOf(config({ mail: ['flow: delegated'] }))).toEqual([
      expect.stringMatching(
        /^c\.yaml: environments\.prod\.application\.redirectUris: is empty, but the delegated flow signs in through the authorization-code flow, which returns to a redirect URI: add the ITSM tool's callback .* or use flow: app-only/,
      ),
    ]);
  });
});

describe('one run reports everything to fix', () => {
  it('reports guardrail errors of the valid sections beside the config problems', () => {
    const text = config({ mail: ['flow: app-only', 'graphMailPermissions: [Mail.ReadWrite]'], env: ['mfaPolicy:', '  state: enforced'] });
    const r = synth(text);
    expect(r.status).toBe(3);
    expect(r.wrote).toBe(false);
    const lines = r.output.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^config\.yaml:\d+:\d+: error: environments\.prod\.mfaPolicy\.state: "enforced" is not allowed/),
      expect.stringMatching(
        /^config\.yaml:\d+:\d+: error: environments\.prod\.application(\.[a-zA-Z.]+)?: ITSM-PERM-001 error: Microsoft Graph application permission Mail\.ReadWrite/,
      ),
      'config.yaml: 1 problem(s) and 1 guardrail error(s); nothing was written.',
    ]);
  });
});

describe('smaller mistakes', () => {
  it('reports a suppression that suppresses nothing (ITSM-GR-002)', () => {
    // SMTP is not used, so ITSM-EXO-002 (SMTP AUTH) finds nothing to suppress.
    const text = config({
      mail: ['flow: app-only', 'protocols: [imap]'],
      env: ['guardrails:', '  suppressions:', '    - { rule: ITSM-EXO-002, resource: itsm-mail, reason: The helpdesk mailbox needs SMTP AUTH for replies. }'],
    });
    const r = synth(text);
    expect(r.status).toBe(0);
    expect(r.output).toMatch(
      /environments\.prod\.guardrails\.suppressions\[0\]: ITSM-GR-002 warning: suppression of ITSM-EXO-002 \(config\) at "prod\/itsm-mail" suppresses nothing/,
    );
  });
  it.each(['TODO TODO TODO TODO TODO', 'fixme fixme fixme fixme fixme', 'TBD: explain why this is accepted here', 'accepted accepted accepted accepted'])(
    'refuses the placeholder reason %j',
    (reason) => {
      const text = config({ env: ['guardrails:', '  suppressions:', `    - { rule: ITSM-SEC-003, resource: itsm-mail, reason: "${reason}" }`] });
      expect(problemsOf(text)).toEqual([expect.stringMatching(/suppressions\[0\]\.reason: (holds the placeholder|must say in a sentence)/)]);
    },
  );
  it.each(['con', 'nul', 'prn', 'aux', 'com1', 'lpt9'])('refuses the Windows device name %j as an environment name', (name) => {
    const text = config().replace('  prod:', `  ${name}:`);
    expect(problemsOf(text)).toEqual([expect.stringMatching(new RegExp(`^c\\.yaml: environments\\.${name}: "${name}" is a device name on Windows`))]);
  });
  it('accepts names that only start like a device name', () => {
    expect(Object.keys(parseConfigText(config().replace('  prod:', '  console:'), FILE).environments)).toEqual(['console']);
  });
});

describe('environments that share a tenant', () => {
  const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  const env = (name: string, tenant: string, appName: string) => [
    `  ${name}:`,
    `    tenantId: ${tenant}`,
    '    application:',
    `      displayName: ${appName}`,
    '      mail: { flow: app-only }',
    '    mfaPolicy: {}',
  ];
  it('refuses the same application, policy and group names twice in one tenant', () => {
    const text = ['environments:', ...env('prod', TENANT, 'ITSM mail'), ...env('staging', TENANT.toUpperCase(), 'itsm MAIL'), ''].join('\n');
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /^c\.yaml: environments\.staging\.application\.displayName: the application "itsm MAIL" is also declared by environment "prod" in the same tenant/,
      ),
      expect.stringMatching(
        /^c\.yaml: environments\.staging\.mfaPolicy\.displayName: the conditional access policy "MFA Pilot" is also declared by environment "prod"/,
      ),
      expect.stringMatching(
        /^c\.yaml: environments\.staging\.mfaPolicy\.group\.create\.displayName: the group "MFA-Test-Group" is also declared by environment "prod"/,
      ),
    ]);
  });
  it('refuses application names that differ only by a look-alike letter or a no-break space', () => {
    for (const lookAlike of ['ITSM mаil', 'ITSM\u00a0mail']) {
      const text = ['environments:', ...env('prod', TENANT, 'ITSM mail'), ...env('staging', TENANT, JSON.stringify(lookAlike)), ''].join('\n');
      expect(problemsOf(text)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^c\.yaml: environments\.staging\.application\.displayName: the application ".*" is also declared by environment "prod" in the same tenant/,
          ),
        ]),
      );
    }
  });
  it('accepts the same names in different tenants', () => {
    const text = ['environments:', ...env('prod', TENANT, 'ITSM mail'), ...env('staging', '3f2504e0-4f89-41d3-9a0c-0305e82c3302', 'ITSM mail'), ''].join('\n');
    expect(Object.keys(parseConfigText(text, FILE).environments)).toEqual(['prod', 'staging']);
  });
});

describe('sections of the wrong type', () => {
  it.each(['application: []', 'application: [a, b]', 'mfaPolicy: []', 'application: { displayName: x, mail: [] }'])(
    'are refused as a shape problem, not a crash: %s',
    (line) => {
      const problems = problemsOf(`environments:\n  prod:\n    ${line}\n`);
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) expect(p).toMatch(/^c\.yaml: environments\.prod(\.[A-Za-z]+)*: /);
    },
  );
});
