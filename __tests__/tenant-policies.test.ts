import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { parseConfigText } from '../lib/config/load-config';
import { ADMINISTRATOR_ROLE_IDS, ADMINISTRATOR_ROLES, CONDITIONAL_ACCESS_PRESETS, PRESET_NAMES } from '../lib/model/conditional-access-presets';
import { directoryRoleTemplate } from '../lib/model/ids';
import { ipRangeProblem } from '../lib/model/named-location';
import { collectReviews } from '../lib/review/collect';
import { renderReview } from '../lib/review/render';
import { runSynthInProcess, workdir } from '../test-support/cli';
import { configProblems } from '../test-support/problems';
import { synthConfigText, type TfJson } from '../test-support/synth';

/*
 * A tenant's conditional access as platform teams write it: a policy set with named locations,
 * declared once per tenant however many environments use it, presets as starting values.
 */

const FILE = 'c.yaml';
const TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const BREAK_GLASS = '6f1c2f0e-4a8e-4a47-9a51-2b1f3c6d7e80';
const problemsOf = (text: string) => configProblems(text, FILE);

function config({
  policies = [] as string[],
  locations = [] as string[],
  envs = ['prod'],
  envLines = [] as string[],
  tenantLines = [] as string[],
} = {}): string {
  return [
    'environments:',
    ...envs.flatMap((e) => [
      `  ${e}:`,
      '    tenant: contoso',
      ...envLines.map((l) => `    ${l}`),
      '    application:',
      `      displayName: ITSM mail ${e}`,
      '      mail: { flow: app-only }',
    ]),
    'tenants:',
    '  contoso:',
    `    tenantId: ${TENANT}`,
    ...tenantLines.map((l) => `    ${l}`),
    ...(locations.length > 0 ? ['    namedLocations:', ...locations.map((l) => `      ${l}`)] : []),
    '    conditionalAccessPolicies:',
    ...(policies.length > 0 ? policies.map((l) => `      ${l}`) : ['      mfa-pilot: { preset: mfaPilot }']),
    '',
  ].join('\n');
}

const tenantStack = (text: string) => synthConfigText(text, FILE, 'tenant-contoso');
const policies = (json: TfJson) => json.resource?.azuread_conditional_access_policy ?? {};

describe('a policy set per tenant', () => {
  it('declares the tenant-wide objects once, however many environments use the tenant', () => {
    const text = config({ envs: ['prod', 'staging', 'dev'] });
    const stacks = buildStacksFromConfig(Testing.app(), parseConfigText(text, FILE));
    expect(stacks.map((s) => s.node.id)).toEqual(['dev', 'prod', 'staging', 'tenant-contoso']);
    const all = stacks.map((s) => JSON.parse(Testing.synth(s)) as TfJson);
    // The policy and its group exist in the tenant's stack only.
    expect(all.map((j) => Object.keys(policies(j)).length)).toEqual([0, 0, 0, 1]);
    expect(all.map((j) => Object.keys(j.resource?.azuread_group ?? {}).length)).toEqual([0, 0, 0, 1]);
    // Every environment signs in to the tenant's directory.
    for (const j of all) expect((j.provider!.azuread[0] as { tenant_id?: string }).tenant_id).toBe(TENANT);
  });

  it('writes one stack per tenant through the command line, named tenant-<name>', () => {
    const dir = workdir({ 'c.yaml': config({ envs: ['prod', 'staging'] }) });
    const r = runSynthInProcess(dir, ['-c', 'c.yaml']);
    expect(r.stdout).toBe('c.yaml: synthesized 3 stack(s) into cdktf.out/stacks: prod, staging, tenant-contoso\n');
    const json = JSON.parse(readFileSync(join(dir, 'cdktf.out/stacks/tenant-contoso/cdk.tf.json'), 'utf8')) as TfJson;
    expect(Object.keys(policies(json))).toEqual(['policy-mfa-pilot']);
    // Findings of the tenant's stack are reported under its config section.
    expect(r.stderr).toMatch(
      /^c\.yaml:\d+:\d+: note: tenants\.contoso\.conditionalAccessPolicies\.mfa-pilot(\.state)?: ITSM-CA-007 info: policy "MFA Pilot" is report-only/m,
    );
  });

  it('gives each policy and named location an address from its key', () => {
    const json = tenantStack(
      config({
        locations: ['itsm-server: { displayName: ITSM server, ipRanges: [203.0.113.10/32] }'],
        policies: ['mfa-pilot: { preset: mfaPilot, includeLocations: [All], excludeLocations: [itsm-server] }'],
      }),
    );
    expect(Object.keys(policies(json))).toEqual(['policy-mfa-pilot']);
    expect(Object.keys(json.resource!.azuread_named_location)).toEqual(['location-itsm-server']);
    expect((policies(json)['policy-mfa-pilot'] as { conditions: { locations: unknown } }).conditions.locations).toEqual({
      included_locations: ['All'],
      excluded_locations: ['${azuread_named_location.location-itsm-server.object_id}'],
    });
  });

  it('reads an existing named location by its display name at plan time', () => {
    const json = tenantStack(
      config({
        locations: ['corp: { displayName: Corporate network, existing: true }'],
        policies: ['mfa: { preset: mfaPilot, includeLocations: [All], excludeLocations: [corp] }'],
      }),
    );
    expect(json.resource!.azuread_named_location).toBeUndefined();
    expect(Object.values(json.data!.azuread_named_location)).toEqual([expect.objectContaining({ display_name: 'Corporate network' })]);
  });

  it('reads excluded users and groups at plan time, so a wrong ID fails the plan', () => {
    const json = tenantStack(config({ policies: [`mfa-pilot: { preset: mfaPilot, excludeUsers: [${BREAK_GLASS}] }`] }));
    expect(Object.values(json.data!.azuread_user)).toEqual([expect.objectContaining({ object_id: BREAK_GLASS })]);
  });
});

describe('presets', () => {
  const presetPolicy = (name: string, ...lines: string[]) => {
    const json = tenantStack(config({ policies: [`p: { preset: ${name}${lines.length > 0 ? `, ${lines.join(', ')}` : ''} }`] }));
    return policies(json)['policy-p'] as Record<string, any>;
  };

  it('mfaPilot is the manual policy', () => {
    const p = presetPolicy('mfaPilot');
    expect(p).toMatchObject({ display_name: 'MFA Pilot', state: 'enabledForReportingButNotEnforced', grant_controls: { built_in_controls: ['mfa'] } });
    expect(p.conditions.applications.included_applications).toEqual(['797f4846-ba00-4fd7-ba43-dac1f8f63013']);
    expect(p.conditions.users.included_groups).toEqual([expect.stringMatching(/^\$\{azuread_group\.policy-p_group_[A-F0-9]+\.object_id\}$/)]);
  });

  it('blockLegacyAuthentication blocks Exchange ActiveSync and other clients for everyone', () => {
    expect(presetPolicy('blockLegacyAuthentication')).toMatchObject({
      state: 'enabledForReportingButNotEnforced',
      conditions: { client_app_types: ['exchangeActiveSync', 'other'], applications: { included_applications: ['All'] }, users: { included_users: ['All'] } },
      grant_controls: { built_in_controls: ['block'] },
    });
  });

  it('requireMfaForSecurityInfoRegistration targets the user action', () => {
    expect(presetPolicy('requireMfaForSecurityInfoRegistration')).toMatchObject({
      conditions: { applications: { included_user_actions: ['urn:user:registersecurityinfo'] }, users: { included_users: ['All'] } },
      grant_controls: { built_in_controls: ['mfa'] },
    });
  });

  it('blockDeviceCodeFlow blocks the device code flow', () => {
    expect(presetPolicy('blockDeviceCodeFlow')).toMatchObject({
      conditions: { authentication_flow_transfer_methods: ['deviceCodeFlow'] },
      grant_controls: { built_in_controls: ['block'] },
    });
  });

  it("restrictServicePrincipalToLocations blocks the environment's service principal outside its locations, and needs both", () => {
    const text = config({
      locations: ['itsm-server: { displayName: ITSM server, ipRanges: [203.0.113.10/32] }'],
      policies: ['itsm: { preset: restrictServicePrincipalToLocations, includeServicePrincipals: [prod], excludeLocations: [itsm-server] }'],
    });
    const json = tenantStack(text);
    expect(policies(json)['policy-itsm']).toMatchObject({
      conditions: {
        client_applications: { included_service_principals: ['${data.azuread_service_principal.service-principal-prod.object_id}'] },
        locations: { included_locations: ['All'], excluded_locations: ['${azuread_named_location.location-itsm-server.object_id}'] },
        users: { included_users: ['None'] },
      },
      grant_controls: { built_in_controls: ['block'] },
    });
    expect(json.data!.azuread_service_principal['service-principal-prod']).toMatchObject({ display_name: 'ITSM mail prod' });
    expect(problemsOf(config({ policies: ['itsm: { preset: restrictServicePrincipalToLocations }'] }))).toEqual([
      expect.stringMatching(/conditionalAccessPolicies\.itsm\.includeServicePrincipals: is needed by the preset restrictServicePrincipalToLocations/),
      expect.stringMatching(/conditionalAccessPolicies\.itsm\.excludeLocations: is needed by the preset restrictServicePrincipalToLocations/),
    ]);
  });

  it('requirePhishingResistantMfaForAdmins targets the administrator roles with the phishing-resistant strength', () => {
    const p = presetPolicy('requirePhishingResistantMfaForAdmins');
    expect(p.conditions.users.included_roles).toEqual(ADMINISTRATOR_ROLE_IDS);
    expect(p.conditions.users.included_groups).toBeUndefined();
    expect(p.grant_controls).toEqual({
      operator: 'OR',
      authentication_strength_policy_id: '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004',
    });
    // The role IDs are Microsoft's built-in role template IDs of the roles named.
    expect(ADMINISTRATOR_ROLE_IDS.map((id) => directoryRoleTemplate(id)?.displayName)).toEqual([...ADMINISTRATOR_ROLES]);
  });

  it("is a starting value: a setting given replaces the preset's", () => {
    expect(presetPolicy('blockLegacyAuthentication', 'displayName: Legacy auth off', 'state: on', `excludeUsers: [${BREAK_GLASS}]`)).toMatchObject({
      display_name: 'Legacy auth off',
      state: 'enabled',
    });
  });

  it('starts report-only, every one', () => {
    for (const name of PRESET_NAMES) expect((CONDITIONAL_ACCESS_PRESETS[name].policy as { state?: string }).state).toBeUndefined();
  });

  it('is documented with its source', () => {
    const doc = readFileSync(join(__dirname, '..', 'docs', 'conditional-access.md'), 'utf8');
    for (const name of PRESET_NAMES) {
      expect(doc).toContain(`\`${name}\``);
      expect(doc).toContain(CONDITIONAL_ACCESS_PRESETS[name].source);
    }
  });

  it('is named in the review with its source', () => {
    const app = Testing.app();
    buildStacksFromConfig(app, parseConfigText(config({ policies: ['legacy: { preset: blockLegacyAuthentication }'] }), FILE));
    const review = collectReviews(app).find((r) => r.environment === 'tenant-contoso')!;
    expect(renderReview(review)).toContain('| Preset | `blockLegacyAuthentication`: Block Exchange ActiveSync and other legacy clients');
  });
});

describe('mistakes in a policy set', () => {
  it.each([
    [
      'an unknown preset',
      config({ policies: ['p: { preset: blockLegacyAuth }'] }),
      /conditionalAccessPolicies\.p\.preset: "blockLegacyAuth" is not allowed; allowed: "mfaPilot", "blockLegacyAuthentication"/,
    ],
    [
      'a location key that is not declared',
      config({
        policies: ['p: { preset: mfaPilot, includeLocations: [itsm-servr] }'],
        locations: ['itsm-server: { displayName: X, ipRanges: [203.0.113.10/32] }'],
      }),
      /includeLocations\[0\]: "itsm-servr" is not a key of this tenant's namedLocations \(did you mean "itsm-server"\?\)/,
    ],
    [
      'two policies of one display name',
      config({ policies: ['a: { preset: mfaPilot }', 'b: { preset: mfaPilot, group: { create: { displayName: Other } } }'] }),
      /conditionalAccessPolicies\.b\.displayName: is the display name of policy "a" too/,
    ],
    [
      'a key that cannot be an address',
      config({ policies: ['MFA_Pilot: { preset: mfaPilot }'] }),
      /conditionalAccessPolicies\.MFA_Pilot: "MFA_Pilot" cannot be the key of a policy/,
    ],
    [
      'an environment naming an unknown tenant',
      config().replace('    tenant: contoso', '    tenant: contso'),
      /environments\.prod\.tenant: "contso" is not a key of tenants \(did you mean "contoso"\?\)/,
    ],
    [
      'an environment with another tenant ID',
      config({ envLines: ['tenantId: 3f2504e0-4f89-41d3-9a0c-0305e82c3302'] }),
      /environments\.prod\.tenantId: differs from the tenantId of tenants\.contoso/,
    ],
    [
      'an environment policy beside the tenant set',
      config({ envLines: ['mfaPolicy: {}'] }),
      /environments\.prod\.mfaPolicy: is declared per environment, but tenants\.contoso holds the tenant's conditional access/,
    ],
    [
      'a service principal of an environment without an application',
      config({ policies: ['itsm: { preset: restrictServicePrincipalToLocations, includeServicePrincipals: [qa], excludeLocations: [AllTrusted] }'] }),
      /includeServicePrincipals\[0\]: "qa" is no environment of this config/,
    ],
    [
      'a tenant name that cannot be a stack name',
      config().replace('  contoso:', '  " contoso":').replace('tenant: contoso', 'tenant: " contoso"'),
      /tenants\[" contoso"\]: " contoso" cannot name a tenant/,
    ],
    [
      'the retired approved-client-app grant',
      config({ policies: ['p: { preset: mfaPilot, grant: { mfa: true, additionalControls: [approvedApplication] } }'] }),
      /Microsoft has retired "Require approved client app"/,
    ],
    [
      'a workload identity policy that does not block',
      config({ policies: ['p: { includeServicePrincipals: [ServicePrincipalsInMyTenant], includeApplications: [All], grant: { mfa: true } }'] }),
      /grant: of a workload identity policy can only block/,
    ],
  ])('refuses %s', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('refuses the same policy name in a tenant and in an environment of the same tenant ID', () => {
    const text = [
      'environments:',
      '  legacy:',
      `    tenantId: ${TENANT}`,
      '    mfaPolicy: {}',
      'tenants:',
      '  contoso:',
      `    tenantId: ${TENANT}`,
      '    conditionalAccessPolicies:',
      '      mfa-pilot: { preset: mfaPilot }',
      '',
    ].join('\n');
    expect(problemsOf(text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /tenants\.contoso\.conditionalAccessPolicies\.mfa-pilot\.displayName: the conditional access policy "MFA Pilot" is also declared by environment "legacy"/,
        ),
      ]),
    );
  });
});

describe('named locations', () => {
  it.each([
    ['203.0.113.10', /is not an IP range in CIDR notation/],
    ['203.0.113.10/33', /the prefix length is at most 32 for IPv4/],
    ['10.0.0.0/7', /the prefix length must be at least 8/],
    ['10.1.2.3/8', /has host bits set: write the network address, 10\.0\.0\.0\/8/],
    ['2001:db8::1/48', /has host bits set: write the network address, 2001:db8::\/48/],
    ['999.1.1.1/32', /is not an IPv4 or IPv6 address/],
  ])('refuses the IP range %s', (range, expected) => {
    expect(ipRangeProblem(range)).toMatch(expected);
  });

  it.each(['203.0.113.10/32', '198.51.100.0/24', '2001:db8::/48', '64:ff9b::/96', '10.0.0.0/8'])('accepts %s', (range) => {
    expect(ipRangeProblem(range)).toBeUndefined();
  });

  it.each([
    ['both kinds', 'l: { displayName: X, ipRanges: [203.0.113.10/32], countries: [ES] }', /namedLocations\.l: sets both ipRanges and countries/],
    ['neither kind', 'l: { displayName: X }', /namedLocations\.l: sets neither ipRanges nor countries/],
    ['a lower-case country', 'l: { displayName: X, countries: [es] }', /countries\[0\]: "es" is not a country code/],
    ['trusted countries', 'l: { displayName: X, countries: [ES], trusted: true }', /trusted: applies to an IP ranges location only/],
    [
      'settings on an existing location',
      'l: { displayName: X, existing: true, ipRanges: [203.0.113.10/32] }',
      /ipRanges: cannot be set for an existing location/,
    ],
  ])('refuses %s', (_name, location, expected) => {
    expect(problemsOf(config({ locations: [location] }))).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

describe('the examples', () => {
  it('config/example.yaml still declares the manual setup, MFA Pilot as its policy', () => {
    const text = readFileSync(join(__dirname, '..', 'config', 'example.yaml'), 'utf8');
    const json = synthConfigText(text, 'example.yaml', 'prod');
    expect(Object.values(policies(json)).map((p) => (p as { display_name: string }).display_name)).toEqual(['MFA Pilot']);
  });

  it('config/tenant-example.yaml synthesizes a policy set whose first policy is the manual MFA Pilot', () => {
    const text = readFileSync(join(__dirname, '..', 'config', 'tenant-example.yaml'), 'utf8');
    const config = parseConfigText(text, 'tenant-example.yaml');
    expect(Object.keys(config.tenants!.contoso.conditionalAccessPolicies!)[0]).toBe('mfa-pilot');
    const json = synthConfigText(text, 'tenant-example.yaml', 'tenant-contoso');
    expect((policies(json)['policy-mfa-pilot'] as { display_name: string }).display_name).toBe('MFA Pilot');
    expect(Object.keys(policies(json)).sort()).toEqual(['policy-block-legacy-authentication', 'policy-itsm-locations', 'policy-mfa-pilot']);
    const dir = workdir({ 'c.yaml': text });
    expect(runSynthInProcess(dir, ['-c', 'c.yaml']).status).toBe(0);
  });
});
