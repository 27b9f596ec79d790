import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeEnvironment } from '../lib/adopt/write';
import { parseConfigText } from '../lib/config/load-config';
import type { EnvironmentConfig } from '../lib/config/schema';
import { ipRangeProblem } from '../lib/model/named-location';
import { runReviewInProcess, workdir } from '../test-support/cli';
import { configProblems } from '../test-support/problems';

/*
 * Hostile and mistaken configs of the features added after hostile-configs.test.ts: tenants and
 * their policy sets, named locations, import sections and adopt --write. Each case goes through the
 * loader, the review or the writer as a user meets them.
 */

const FILE = 'c.yaml';
const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER = '3f2504e0-4f89-41d3-9a0c-0305e82c3302';
const OBJECT = '3f2504e0-4f89-41d3-9a0c-0305e82c3309';
const problemsOf = (text: string) => configProblems(text, FILE);

/** Environments (name, extra lines under it) in tenant contoso, and the tenant's lines. */
function config({ envs = [['prod', []]] as [string, string[]][], tenant = [] as string[], more = [] as string[] } = {}): string {
  return [
    'environments:',
    ...envs.flatMap(([e, lines]) => [
      `  ${e}:`,
      '    tenant: contoso',
      ...lines.map((l) => `    ${l}`),
      '    application:',
      `      displayName: ITSM mail ${e}`,
      '      mail: { flow: app-only }',
    ]),
    'tenants:',
    '  contoso:',
    `    tenantId: ${TENANT}`,
    ...tenant.map((l) => `    ${l}`),
    ...more,
    '',
  ].join('\n');
}

describe('named location IP ranges the provider refuses, or that Graph stores otherwise', () => {
  it.each([
    ['a prefix length with a leading zero', '10.0.0.0/08', /"10\.0\.0\.0\/08": write the prefix length without a leading zero, 10\.0\.0\.0\/8/],
    ['a prefix length of 032', '203.0.113.10/032', /write the prefix length without a leading zero, 203\.0\.113\.10\/32/],
  ])('refuses %s (Go netip.ParsePrefix, which the provider validates with, refuses it)', (_name, range, expected) => {
    expect(ipRangeProblem(range)).toMatch(expected);
  });
  it.each([
    ['leading zeros in an IPv6 group', '2001:0db8:0001::/48', '2001:db8:1::/48'],
    ['zero groups not shortened', '2001:db8:0:0:0:0:0:0/64', '2001:db8::/64'],
    ['an IPv4-mapped IPv6 address', '::ffff:192.0.2.1/128', '::ffff:c000:201/128'],
  ])('names %s as another way of writing the range, not as host bits', (_name, range, canonical) => {
    const problem = ipRangeProblem(range);
    expect(problem).toContain(`write it as ${canonical}`);
    expect(problem).not.toMatch(/host bits/);
  });
  it('still names host bits as such', () => {
    expect(ipRangeProblem('2001:db8::1/48')).toMatch(/has host bits set: write the network address, 2001:db8::\/48/);
  });
});

describe('mistakes across tenants and environments', () => {
  it('refuses two tenants of one tenant ID: the conditional access of a tenant is declared once', () => {
    const text = config({
      tenant: ['conditionalAccessPolicies:', '  a: { preset: mfaPilot }'],
      more: ['  fabrikam:', `    tenantId: ${TENANT.toUpperCase()}`, '    conditionalAccessPolicies:', '      b: { preset: blockLegacyAuthentication }'],
    });
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /^c\.yaml: tenants\.fabrikam\.tenantId: is the tenantId of tenants\.contoso too: a tenant's conditional access is declared once; merge the two tenants into one \(line \d+\)$/,
      ),
    ]);
  });
  it.each([
    ['without a tenant ID', []],
    ['with a tenant ID', [`tenantId: ${OTHER}`]],
  ])('refuses two policies of a tenant that create groups of one name, %s', (_name, lines) => {
    const text = config({
      more: [
        '  fabrikam:',
        ...lines.map((l) => `    ${l}`),
        '    conditionalAccessPolicies:',
        '      a: { preset: mfaPilot }',
        '      b: { preset: mfaPilot, displayName: Second pilot, group: { create: { displayName: mfa-test-group } } }',
      ],
    });
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /^c\.yaml: tenants\.fabrikam\.conditionalAccessPolicies\.b\.group\.create\.displayName: "mfa-test-group" is the name of the group policy "a" creates too, and two groups of one name cannot both be created/,
      ),
    ]);
  });
  it('accepts two tenants of different tenant IDs', () => {
    const text = config({
      more: ['  fabrikam:', `    tenantId: ${OTHER}`, '    conditionalAccessPolicies:', '      b: { preset: blockLegacyAuthentication }'],
    });
    expect(Object.keys(parseConfigText(text, FILE).tenants ?? {})).toEqual(['contoso', 'fabrikam']);
  });
  it('reports every environment a policy cannot name as a service principal, in one run', () => {
    const text = [
      'environments:',
      '  other:',
      '    application: { displayName: ITSM mail, mail: { flow: app-only } }',
      'tenants:',
      '  contoso:',
      '    conditionalAccessPolicies:',
      '      a: { preset: restrictServicePrincipalToLocations, includeServicePrincipals: [other, ghost], excludeLocations: [AllTrusted] }',
      '',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(/includeServicePrincipals\[0\]: "other" is an environment of no tenant, not of contoso/),
      expect.stringMatching(/includeServicePrincipals\[1\]: "ghost" is no environment of this config/),
    ]);
  });
});

describe('one portal object adopted twice', () => {
  it('refuses one application imported by two environments', () => {
    const imp = [`  import: { applicationObjectId: ${OBJECT} }`];
    const text = config({
      envs: [
        ['prod', []],
        ['staging', []],
      ],
    }).replace(/ {6}mail: \{ flow: app-only \}/g, (m) => [m, ...imp.map((l) => `    ${l}`)].join('\n'));
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /^c\.yaml: environments\.staging\.application\.import\.applicationObjectId: is imported by environments\.prod\.application\.import\.applicationObjectId too: one object can be managed by one declaration only; remove one of the imports/,
      ),
    ]);
  });
  it('refuses one policy imported by two policies of a tenant', () => {
    const text = config({
      tenant: [
        'conditionalAccessPolicies:',
        `  a: { preset: mfaPilot, import: { policyId: ${OBJECT} } }`,
        `  b: { preset: blockLegacyAuthentication, import: { policyId: ${OBJECT.toUpperCase()} } }`,
      ],
    });
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /^c\.yaml: tenants\.contoso\.conditionalAccessPolicies\.b\.import\.policyId: is imported by tenants\.contoso\.conditionalAccessPolicies\.a\.import\.policyId too/,
      ),
    ]);
  });
  it('accepts different objects imported by different environments', () => {
    let n = 0;
    const text = config({
      envs: [
        ['prod', []],
        ['staging', []],
      ],
    }).replace(/ {6}mail: \{ flow: app-only \}/g, (m) => `${m}\n      import: { applicationObjectId: ${OBJECT.slice(0, -1)}${n++} }`);
    const importsOf = (name: string) => parseConfigText(text, FILE).environments[name].application?.import?.applicationObjectId;
    expect(importsOf('prod')).not.toBe(importsOf('staging'));
  });
});

describe('names that reach the review stay literal', () => {
  const HOSTILE = '[click](https://evil.example.com) <b>x</b> | col';
  const review = (text: string) => {
    const dir = workdir({ 'c.yaml': text });
    try {
      const r = runReviewInProcess(dir, ['--config', 'c.yaml', '--env', 'tenant-contoso']);
      expect(r.status).toBe(0);
      return readFileSync(join(dir, 'review', 'tenant-contoso.md'), 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const text = config({
    envs: [['prod', []]],
    tenant: [
      'namedLocations:',
      `  itsm-server: { displayName: "${HOSTILE}", ipRanges: [203.0.113.10/32] }`,
      'conditionalAccessPolicies:',
      '  p: { preset: restrictServicePrincipalToLocations, includeServicePrincipals: [prod], excludeLocations: [itsm-server] }',
    ],
  }).replace('displayName: ITSM mail prod', 'displayName: "ITSM [mail](https://evil.example.com) | prod"');
  it('escapes a named location display name in the policy sentence and table', () => {
    const md = review(text);
    expect(md).not.toContain('[click](https://evil.example.com)');
    expect(md).not.toContain('<b>');
    expect(md).toContain('the named location "\\[click\\](https://evil.example.com) \\<b\\>x\\</b\\> \\| col"');
    // The Locations row keeps its three cells.
    const row = md.split('\n').find((l) => l.startsWith('| Locations |'))!;
    expect(row.replace(/\\\|/g, '').split('|').length).toBe(5);
  });
  it('escapes an application display name the tenant reads by name', () => {
    const md = review(text);
    // Literal inside code spans; nowhere outside one.
    expect(md.replace(/`[^`]*`/g, '')).not.toContain('[mail](https://evil.example.com)');
    const sentence = md.split('\n').find((l) => l.startsWith('Block access for the service principals'))!;
    expect(sentence).toContain('the service principal `ITSM [mail](https://evil.example.com) | prod` *(read at plan time by display name)*');
    // In a table a pipe splits the cell even inside a code span: it is escaped there.
    const row = md.split('\n').find((l) => l.startsWith('| Client applications'))!;
    expect(row).toContain('`ITSM [mail](https://evil.example.com) \\| prod`');
    expect(row.replace(/\\\|/g, '').split('|').length).toBe(5);
  });
});

describe('adopt --write --replace keeps how the environment is deployed', () => {
  const adopted: EnvironmentConfig = {
    tenantId: TENANT,
    application: { displayName: 'ITSM mail prod', mail: { flow: 'app-only' }, preventDuplicateNames: false, import: { applicationObjectId: OBJECT } },
  };
  it('keeps the tenant, provider, backend and guardrails of the environment it replaces', () => {
    const dir = workdir();
    try {
      const file = join(dir, 'c.yaml');
      writeFileSync(
        file,
        config({
          envs: [
            [
              'prod',
              [
                'backend: { type: azurerm, storageAccountName: tfstate01, containerName: tfstate }',
                'provider: { authentication: oidc }',
                'guardrails:',
                '  suppressions:',
                '    - { rule: ITSM-SEC-003, resource: itsm-mail, reason: Pandora ITSM takes only a client secret in its mail setup. }',
              ],
            ],
          ],
          tenant: ['conditionalAccessPolicies:', '  p: { preset: blockLegacyAuthentication }'],
        }),
      );
      expect(writeEnvironment(file, 'prod', adopted, { replace: true })).toEqual({
        replaced: true,
        created: false,
        kept: ['tenant', 'provider', 'backend', 'guardrails'],
      });
      const prod = parseConfigText(readFileSync(file, 'utf8'), FILE).environments.prod;
      expect(prod.tenant).toBe('contoso');
      expect(prod.backend).toEqual({ type: 'azurerm', storageAccountName: 'tfstate01', containerName: 'tfstate' });
      expect(prod.provider).toEqual({ authentication: 'oidc' });
      expect(prod.guardrails?.suppressions).toHaveLength(1);
      expect(prod.application?.import?.applicationObjectId).toBe(OBJECT);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a tenant policy that includes and excludes the same thing', () => {
  const locations = [
    'namedLocations:',
    '  office: { displayName: Office, ipRanges: [203.0.113.0/24] }',
    '  branch: { displayName: Branch, ipRanges: [198.51.100.0/24] }',
  ];
  it.each([
    ['a named location', ['includeLocations: [office, branch]', 'excludeLocations: [office]'], 'excludeLocations[0]', 'office'],
    ['a device platform', ['includePlatforms: [android, iOS]', 'excludePlatforms: [iOS]'], 'excludePlatforms[0]', 'iOS'],
  ])('refuses %s in both lists: exclusion wins, so the policy would not apply to it', (_name, lines, path, value) => {
    const text = config({ tenant: [...locations, 'conditionalAccessPolicies:', '  p:', '    preset: mfaPilot', ...lines.map((l) => `    ${l}`)] });
    expect(problemsOf(text)).toEqual([expect.stringContaining(`tenants.contoso.conditionalAccessPolicies.p.${path}: "${value}" is also included`)]);
  });
  it("refuses an environment's service principal both included and excluded", () => {
    const text = config({
      tenant: [
        'conditionalAccessPolicies:',
        '  p:',
        '    preset: restrictServicePrincipalToLocations',
        '    includeServicePrincipals: [prod]',
        '    excludeServicePrincipals: [prod]',
        '    excludeLocations: [AllTrusted]',
      ],
    });
    expect(problemsOf(text)).toContainEqual(
      expect.stringContaining('tenants.contoso.conditionalAccessPolicies.p.excludeServicePrincipals[0]: "prod" is also included'),
    );
  });
  it('accepts All included with one location excluded (the usual shape)', () => {
    const text = config({
      tenant: [...locations, 'conditionalAccessPolicies:', '  p:', '    preset: mfaPilot', '    includeLocations: [All]', '    excludeLocations: [office]'],
    });
    expect(parseConfigText(text, FILE).tenants?.contoso.conditionalAccessPolicies?.p).toMatchObject({
      includeLocations: ['All'],
      excludeLocations: ['office'],
    });
  });
});

describe('named locations of one display name in a tenant', () => {
  it('refuses two declared locations of one name (case aside): they cannot be told apart', () => {
    const text = config({
      tenant: ['namedLocations:', '  a: { displayName: Head office, ipRanges: [203.0.113.0/24] }', '  b: { displayName: HEAD OFFICE, countries: [ES] }'],
    });
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /tenants\.contoso\.namedLocations\.b\.displayName: is the display name of namedLocations\.a too: two named locations of one name cannot be told apart/,
      ),
    ]);
  });
  it('refuses two keys that read the same existing location', () => {
    const text = config({ tenant: ['namedLocations:', '  a: { displayName: Corporate, existing: true }', '  b: { displayName: corporate, existing: true }'] });
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(/tenants\.contoso\.namedLocations\.b\.displayName: names the same existing location as namedLocations\.a: use that key/),
    ]);
  });
  it('accepts locations of different names', () => {
    const text = config({
      tenant: [
        'namedLocations:',
        '  a: { displayName: Head office, ipRanges: [203.0.113.0/24] }',
        '  b: { displayName: Branch office, countries: [ES] }',
        '  c: { displayName: Corporate, existing: true }',
      ],
    });
    expect(Object.keys(parseConfigText(text, FILE).tenants?.contoso.namedLocations ?? {})).toEqual(['a', 'b', 'c']);
  });
});

describe('the words of a repeated entry', () => {
  it('says "an" before a vowel: must not repeat an owner', () => {
    const text = [
      'environments:',
      '  prod:',
      '    application:',
      '      displayName: ITSM mail',
      '      mail: { flow: app-only }',
      `      owners: [${OBJECT}, ${OBJECT}]`,
      '',
    ].join('\n');
    expect(problemsOf(text)).toEqual([expect.stringMatching(/application\.owners: must not repeat an owner/)]);
  });
});

describe('an environment with only a tenant of the wrong type', () => {
  it('says both that tenant is not a name and that the environment declares nothing', () => {
    const problems = problemsOf('environments:\n  prod:\n    tenant: 5\n');
    expect(problems).toEqual([
      expect.stringMatching(/environments\.prod: declares nothing/),
      expect.stringMatching(/environments\.prod\.tenant: must be a string/),
    ]);
  });
});

describe('a preset emptied of its target is refused, not turned into another policy', () => {
  it.each([
    ['requirePhishingResistantMfaForAdmins', 'includeRoles: []', 'includeRoles', /a new security group MFA-Test-Group/],
    ['blockLegacyAuthentication', 'includeUsers: []', 'includeUsers', /a new security group MFA-Test-Group/],
    ['blockLegacyAuthentication', 'clientAppTypes: []', 'clientAppTypes', /every client app/],
    ['blockDeviceCodeFlow', 'authenticationFlows: []', 'authenticationFlows', /every sign-in/],
    ['requireMfaForSecurityInfoRegistration', 'userActions: []', 'userActions', /instead of the user action/],
    ['blockLegacyAuthentication', 'applications: []', 'applications', /Microsoft Azure Management/],
    ['blockLegacyAuthentication', 'includeApplications: []', 'includeApplications', /Microsoft Azure Management/],
    ['requireMfaForSecurityInfoRegistration', 'includeUserActions: []', 'includeUserActions', /instead of the user action/],
  ])('%s with %s', (preset, setting, key, fallback) => {
    const problems = problemsOf(config({ tenant: ['conditionalAccessPolicies:', `  a: { preset: ${preset}, ${setting} }`] }));
    const mine = problems.filter((p) => p.includes(`conditionalAccessPolicies.a.${key}: `));
    expect(mine).toEqual([
      expect.stringMatching(new RegExp(`^c\\.yaml: tenants\\.contoso\\.conditionalAccessPolicies\\.a\\.${key}: is empty, but the preset ${preset} sets it`)),
    ]);
    expect(mine[0]).toMatch(fallback);
    expect(mine[0]).toContain(`leave ${key} out to keep the preset's`);
  });
  it('keeps a preset whose list is replaced by another target', () => {
    const text = config({ tenant: ['conditionalAccessPolicies:', `  a: { preset: blockLegacyAuthentication, includeUsers: [], includeGroups: [${OBJECT}] }`] });
    expect(parseConfigText(text, FILE).tenants?.contoso.conditionalAccessPolicies?.a.includeGroups).toEqual([OBJECT]);
    const replaced = config({ tenant: ['conditionalAccessPolicies:', `  a: { preset: blockLegacyAuthentication, includeUsers: [${OBJECT}] }`] });
    expect(parseConfigText(replaced, FILE).tenants?.contoso.conditionalAccessPolicies?.a.includeUsers).toEqual([OBJECT]);
  });
});

describe('Entra ID\'s limits and value sets of named locations (Microsoft Learn, "Conditional Access: Network assignment")', () => {
  const locations = (...lines: string[]) => config({ tenant: ['namedLocations:', ...lines.map((l) => `  ${l}`)] });
  const publicRange = (i: number) => `${11 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}.0/24`;

  it.each([
    ['10.0.0.0/8', /"10\.0\.0\.0\/8" is a private range \(RFC 1918\): Entra ID takes public ranges only/],
    ['192.168.10.0/24', /"192\.168\.10\.0\/24" lies in 192\.168\.0\.0\/16, a private range \(RFC 1918\)/],
    ['172.0.0.0/8', /"172\.0\.0\.0\/8" covers 172\.16\.0\.0\/12, a private range/],
    ['100.64.0.0/16', /shared address space of carrier-grade NAT/],
    ['127.0.0.1/32', /the loopback range/],
    ['169.254.0.0/16', /the link-local range/],
    ['fd12:3456::/32', /unique local range \(RFC 4193/],
    ['fe80::/64', /the link-local range/],
    ['::1/128', /the loopback address/],
  ])('refuses the non-public range %s', (range, expected) => {
    const problems = problemsOf(locations(`office: { displayName: Office, ipRanges: ["${range}"] }`));
    expect(problems).toEqual([expect.stringMatching(/^c\.yaml: tenants\.contoso\.namedLocations\.office\.ipRanges\[0\]: /)]);
    expect(problems[0]).toMatch(expected);
    expect(problems[0]).toContain('list that public address instead');
  });

  it('accepts public and documentation ranges', () => {
    const text = locations('office: { displayName: Office, ipRanges: [203.0.113.0/24, 198.51.100.7/32, 12.0.0.0/8, "2001:db8::/48", "2a01:111::/32"] }');
    expect(parseConfigText(text, FILE).tenants?.contoso.namedLocations?.office.ipRanges).toHaveLength(5);
  });

  it('refuses more than 2000 IP ranges in one location, and takes 2000', () => {
    const ranges = (n: number) => Array.from({ length: n }, (_x, i) => publicRange(i)).join(', ');
    expect(problemsOf(locations(`office: { displayName: Office, ipRanges: [${ranges(2001)}] }`))).toEqual([
      expect.stringMatching(
        /namedLocations\.office\.ipRanges: has 2001 ranges; Entra ID takes no more than 2000 in one named location \(Microsoft Learn, "Conditional Access: Network assignment"\): split them/,
      ),
    ]);
    expect(
      parseConfigText(locations(`office: { displayName: Office, ipRanges: [${ranges(2000)}] }`), FILE).tenants?.contoso.namedLocations?.office.ipRanges,
    ).toHaveLength(2000);
  });

  it('refuses more than 195 IP ranges locations in a tenant, and takes 195 beside countries locations', () => {
    const ipLocations = (n: number) => Array.from({ length: n }, (_x, i) => `l${i}: { displayName: Site ${i}, ipRanges: [${publicRange(i)}] }`);
    expect(problemsOf(locations(...ipLocations(196)))).toEqual([
      expect.stringMatching(
        /^c\.yaml: tenants\.contoso\.namedLocations: declares 196 IP ranges locations; Entra ID holds no more than 195 in a tenant .*counting those made in the portal/,
      ),
    ]);
    expect(
      Object.keys(parseConfigText(locations(...ipLocations(195), 'c1: { displayName: Spain, countries: [ES] }'), FILE).tenants?.contoso.namedLocations ?? {}),
    ).toHaveLength(196);
  });

  it.each([
    ['UK', /"UK" is not a country code of ISO 3166-1 alpha-2 \(write GB\)/],
    ['XX', /"XX" is not a country code of ISO 3166-1 alpha-2: write the two capital letters/],
    ['EL', /\(write GR\)/],
    ['es', /\(write ES\)/],
    ['ZZ', /"ZZ" is not a country code of ISO 3166-1 alpha-2/],
  ])('refuses the country code %s', (code, expected) => {
    const problems = problemsOf(locations(`eu: { displayName: Europe, countries: [ES, ${code}] }`));
    expect(problems).toEqual([expect.stringMatching(/namedLocations\.eu\.countries\[1\]: /)]);
    expect(problems[0]).toMatch(expected);
  });

  it('accepts every ISO 3166-1 alpha-2 code people use, and XK (Kosovo), as Graph does', () => {
    const text = locations('eu: { displayName: Europe, countries: [ES, PT, GB, DE, FR, US, XK, AX, CW] }');
    expect(parseConfigText(text, FILE).tenants?.contoso.namedLocations?.eu.countries).toHaveLength(9);
  });

  it.each([
    ['a Cyrillic о', 'Lоndon office'],
    ['a no-break space', 'London\u00a0office'],
    ['two spaces', 'London  office'],
    ['a full-width letter', 'Ｌondon office'],
  ])('refuses two named locations whose names differ only by %s', (_what, lookAlike) => {
    const problems = problemsOf(
      locations(
        'a: { displayName: London office, ipRanges: [203.0.113.0/24] }',
        `b: { displayName: ${JSON.stringify(lookAlike)}, ipRanges: [198.51.100.0/24] }`,
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /namedLocations\.b\.displayName: is the display name of namedLocations\.a too \(it differs from "London office" only by look-alike or invisible characters/,
      ),
    ]);
    if (lookAlike !== 'London  office') expect(problems[0]).toMatch(/\(U\+[0-9A-F]{4}\)/);
  });

  it('refuses two policies whose names differ only by a look-alike letter', () => {
    const text = config({
      tenant: [
        'conditionalAccessPolicies:',
        '  a: { preset: blockLegacyAuthentication }',
        '  b: { preset: blockDeviceCodeFlow, displayName: "Blоck legacy authentication" }',
      ],
    });
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(
        /conditionalAccessPolicies\.b\.displayName: is the display name of policy "a" too \(it differs from "Block legacy authentication" only by look-alike/,
      ),
    ]);
  });

  it('keeps names that differ in letters', () => {
    const text = locations('a: { displayName: London office, ipRanges: [203.0.113.0/24] }', 'b: { displayName: Londres office, ipRanges: [198.51.100.0/24] }');
    expect(Object.keys(parseConfigText(text, FILE).tenants?.contoso.namedLocations ?? {})).toEqual(['a', 'b']);
  });
});
