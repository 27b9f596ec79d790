import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configProblems } from '../test-support/problems';
import { onlyResource, synthConfigText } from '../test-support/synth';

/*
 * Rules of the azuread provider 3.7.0 that the loader mirrors, so that what it accepts also passes
 * `terraform validate` and `plan` (docs/provider-rules.md lists each with its source).
 */

const FILE = 'c.yaml';
const problemsOf = (text: string) => configProblems(text, FILE);
const uuid = (i: number) => `3f2504e0-4f89-41d3-9a0c-${i.toString(16).padStart(12, '0')}`;

function app(...lines: string[]): string {
  return ['environments:', '  prod:', '    application:', '      displayName: ITSM mail', ...lines.map((l) => `      ${l}`), ''].join('\n');
}
const delegated = (uris: readonly string[], ...more: string[]) => app('mail: { flow: delegated }', `redirectUris: ${JSON.stringify(uris)}`, ...more);
const uris = (n: number) => Array.from({ length: n }, (_, i) => `https://itsm.example.com/cb/${i}`);

describe('azuread_application', () => {
  it('web.redirect_uris: at most 256 (MaxItems)', () => {
    expect(() => synthConfigText(delegated(uris(256)))).not.toThrow();
    expect(problemsOf(delegated(uris(257)))).toEqual([expect.stringMatching(/redirectUris: has 257 URIs; an application may have at most 256/)]);
  });
  it('web.redirect_uris: at most 100 with personal accounts (CustomizeDiff)', () => {
    const personal = 'signInAudience: AzureADandPersonalMicrosoftAccount';
    expect(() => synthConfigText(delegated(uris(100), personal))).not.toThrow();
    expect(problemsOf(delegated(uris(101), personal))).toEqual([
      expect.stringMatching(/redirectUris: has 101 URIs; at most 100 are allowed when personal Microsoft accounts sign in/),
    ]);
  });
  it('owners: at most 100, counting the deployer (MaxItems)', () => {
    const owners = (n: number) => `owners: ${JSON.stringify(Array.from({ length: n }, (_, i) => uuid(i + 1)))}`;
    expect(() => synthConfigText(app('mail: { flow: app-only }', owners(99)))).not.toThrow();
    expect(problemsOf(app('mail: { flow: app-only }', owners(100)))).toEqual([
      expect.stringMatching(/owners: gives 101 owners counting the deployer; an application may have at most 100/),
    ]);
    expect(() => synthConfigText(app('mail: { flow: app-only }', owners(100), 'includeDeployerAsOwner: false'))).not.toThrow();
  });
  it('personal accounts: requested_access_token_version 2 and a scope value of at most 40 characters (CustomizeDiff)', () => {
    const personal = 'signInAudience: PersonalMicrosoftAccount';
    const json = synthConfigText(delegated(['https://itsm.example.com/cb'], personal));
    expect(onlyResource(json, 'azuread_application').api).toEqual({ requested_access_token_version: 2 });
    expect(problemsOf(delegated(['https://itsm.example.com/cb'], personal, `exposedScope: { value: ${'a'.repeat(41)} }`))).toEqual([
      expect.stringMatching(/exposedScope\.value: is 41 characters; at most 40 are allowed when personal Microsoft accounts sign in/),
    ]);
    expect(() => synthConfigText(delegated(['https://itsm.example.com/cb'], `exposedScope: { value: ${'a'.repeat(41)} }`))).not.toThrow();
  });
});

describe('azuread_application_permission_scope', () => {
  it('writes user consent texts that are given, also when only admins may consent', () => {
    const json = synthConfigText(
      delegated(
        ['https://itsm.example.com/cb'],
        'exposedScope: { whoCanConsent: admins, userConsentDisplayName: Read the helpdesk mailbox, userConsentDescription: Lets the ITSM tool read it. }',
      ),
    );
    const scope = onlyResource(json, 'azuread_application_permission_scope');
    expect(scope).toMatchObject({
      type: 'Admin',
      user_consent_display_name: 'Read the helpdesk mailbox',
      user_consent_description: 'Lets the ITSM tool read it.',
    });
  });
  it('writes no user consent texts when none is given and only admins may consent', () => {
    const scope = onlyResource(synthConfigText(delegated(['https://itsm.example.com/cb'])), 'azuread_application_permission_scope');
    expect(scope.user_consent_display_name).toBeUndefined();
  });
});

describe('azuread_conditional_access_policy', () => {
  const policy = (sif: string) =>
    onlyResource(
      synthConfigText(['environments:', '  prod:', '    mfaPolicy:', `      signInFrequency: ${sif}`, ''].join('\n')),
      'azuread_conditional_access_policy',
    );
  it('writes sign_in_frequency_interval and the authentication type with every sign-in frequency (Optional+Computed: left out, state keeps "everyTime")', () => {
    expect(policy('{ value: 4, unit: hours }').session_controls).toEqual({
      sign_in_frequency: 4,
      sign_in_frequency_period: 'hours',
      sign_in_frequency_interval: 'timeBased',
      sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication',
    });
    // CustomizeDiff: with everyTime, sign_in_frequency and its period must not be set.
    expect(policy('everyTime').session_controls).toEqual({
      sign_in_frequency_interval: 'everyTime',
      sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication',
    });
  });
});

describe('azuread_group', () => {
  it('owners: at most 100 (MaxItems)', () => {
    const owners = Array.from({ length: 101 }, (_, i) => uuid(i + 1));
    const text = [
      'environments:',
      '  prod:',
      '    mfaPolicy:',
      `      group: { create: { displayName: MFA-Test-Group, owners: ${JSON.stringify(owners)} } }`,
      '',
    ].join('\n');
    expect(problemsOf(text)).toEqual([expect.stringMatching(/mfaPolicy\.group\.create\.owners: has 101 owners; a group may have at most 100/)]);
  });
});

/** A tenant's config with the named locations and policies given (one environment). */
function tenant({ locations = [] as string[], policies = ['mfa-pilot: { preset: mfaPilot }'] } = {}): string {
  return [
    'environments:',
    '  prod:',
    '    tenant: contoso',
    '    application: { displayName: ITSM mail, mail: { flow: app-only } }',
    'tenants:',
    '  contoso:',
    '    tenantId: 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    ...(locations.length > 0 ? ['    namedLocations:', ...locations.map((l) => `      ${l}`)] : []),
    '    conditionalAccessPolicies:',
    ...policies.map((p) => `      ${p}`),
    '',
  ].join('\n');
}

describe('azuread_named_location', () => {
  it('ip_ranges: the prefix length without leading zeros (PrefixLengthAtLeast → netip.ParsePrefix refuses "/08")', () => {
    expect(problemsOf(tenant({ locations: ['l: { displayName: L, ipRanges: [10.0.0.0/08] }'] }))).toEqual([
      expect.stringMatching(/namedLocations\.l\.ipRanges\[0\]: "10\.0\.0\.0\/08": write the prefix length without a leading zero, 10\.0\.0\.0\/8/),
    ]);
    expect(() => synthConfigText(tenant({ locations: ['l: { displayName: L, ipRanges: [12.0.0.0/8] }'] }), FILE, 'tenant-contoso')).not.toThrow();
  });
  it('ip_ranges: written exactly as Graph returns them, IPv6 in lower case (ipNamedLocationWait and the next plan compare the text)', () => {
    expect(problemsOf(tenant({ locations: ["l: { displayName: L, ipRanges: ['2001:DB8::/48'] }"] }))).toEqual([
      expect.stringMatching(
        /namedLocations\.l\.ipRanges\[0\]: "2001:DB8::\/48" is written differently from the way Graph stores it: write it as 2001:db8::\/48 \(IPv6 in lower case\)/,
      ),
    ]);
  });
});

describe('IDs written as Graph returns them (lower case)', () => {
  const UPPER = (i: number) => uuid(i).toUpperCase();
  it("azuread_group members and owners: sets of Graph's lower-case object IDs (groupResourceReadFunc; the update's tf.Difference is case-sensitive)", () => {
    const text = [
      'environments:',
      '  prod:',
      '    mfaPolicy:',
      `      group: { create: { displayName: MFA-Test-Group, members: [${UPPER(1)}], owners: [${UPPER(2)}] } }`,
      '',
    ].join('\n');
    const group = onlyResource(synthConfigText(text), 'azuread_group');
    expect(group.members).toEqual([uuid(1)]);
    expect(group.owners).toEqual([uuid(2)]);
  });
  it('azuread_application and azuread_service_principal owners: sets read back from Graph in lower case', () => {
    const text = [
      'environments:',
      '  prod:',
      '    application:',
      '      displayName: Pandora ITSM mail',
      '      mail: { flow: app-only }',
      `      owners: [${UPPER(13)}]`,
      '',
    ].join('\n');
    const json = synthConfigText(text);
    for (const type of ['azuread_application', 'azuread_service_principal']) {
      const owners = onlyResource(json, type).owners as string[];
      expect({ type, owners: owners.filter((o) => !o.startsWith('${')) }).toEqual({ type, owners: [uuid(13)] });
    }
  });
  it("import IDs and the adopted scope's ID: lower case (scope_id forces a new scope when its text differs from the imported one)", () => {
    const text = [
      'environments:',
      '  prod:',
      '    application:',
      '      displayName: ITSM mail',
      '      redirectUris: [https://itsm.example.com/pandoraitsm/godmode/godmode/setup/setup_mail]',
      '      mail: { flow: delegated }',
      `      exposedScope: { id: ${UPPER(20)} }`,
      `      import: { applicationObjectId: ${UPPER(21)}, servicePrincipalObjectId: ${UPPER(22)}, permissionScopeId: ${UPPER(20)} }`,
      '    mfaPolicy:',
      '      group: { create: { displayName: MFA-Test-Group } }',
      `      import: { policyId: ${UPPER(23)}, groupObjectId: ${UPPER(24)} }`,
      '',
    ].join('\n');
    const json = synthConfigText(text);
    const scope = onlyResource(json, 'azuread_application_permission_scope');
    expect(scope.scope_id).toBe(uuid(20));
    const ids = ((json as { import?: { id: string }[] }).import ?? []).map((i) => i.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        `/applications/${uuid(21)}`,
        `/servicePrincipals/${uuid(22)}`,
        `/applications/${uuid(21)}/permissionScopes/${uuid(20)}`,
        `/identity/conditionalAccess/policies/${uuid(23)}`,
        `/groups/${uuid(24)}`,
      ]),
    );
    const uuids = ids.join(' ').match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [];
    expect(uuids).toHaveLength(6);
    expect(uuids.filter((u) => u !== u.toLowerCase())).toEqual([]);
  });
  it('azuread_conditional_access_policy: every ID list is compared as text with what Graph returns (flattenConditionalAccessConditionSet, flattenConditionalAccessGrantControls)', () => {
    const policy = [
      'p:',
      '  displayName: P',
      `  group: { existingObjectId: ${UPPER(3)} }`,
      `  includeRoles: [${UPPER(4)}]`,
      `  excludeRoles: [${UPPER(5)}]`,
      `  includeApplications: [${UPPER(6)}]`,
      `  excludeApplications: [${UPPER(7)}]`,
      `  includeLocations: [${UPPER(8)}]`,
      `  excludeLocations: [${UPPER(9)}]`,
      `  includeGuestsOrExternalUsers: { types: [b2bCollaborationGuest], externalTenants: [${UPPER(10)}] }`,
      `  grant: { mfa: false, authenticationStrength: /policies/authenticationStrengthPolicies/${UPPER(11)}, termsOfUse: [${UPPER(12)}] }`,
    ];
    const json = synthConfigText(tenant({ policies: policy }), FILE, 'tenant-contoso');
    const p = onlyResource(json, 'azuread_conditional_access_policy') as {
      conditions: Record<string, Record<string, unknown>>;
      grant_controls: Record<string, unknown>;
    };
    expect(p.conditions.users.included_roles).toEqual([uuid(4)]);
    expect(p.conditions.users.excluded_roles).toEqual([uuid(5)]);
    expect(p.conditions.users.included_guests_or_external_users).toEqual([
      { guest_or_external_user_types: ['b2bCollaborationGuest'], external_tenants: [{ membership_kind: 'enumerated', members: [uuid(10)] }] },
    ]);
    expect(p.conditions.applications).toEqual({ included_applications: [uuid(6)], excluded_applications: [uuid(7)] });
    expect(p.conditions.locations).toEqual({ included_locations: [uuid(8)], excluded_locations: [uuid(9)] });
    expect(p.grant_controls.authentication_strength_policy_id).toBe(`/policies/authenticationStrengthPolicies/${uuid(11)}`);
    expect(p.grant_controls.terms_of_use).toEqual([uuid(12)]);
    // Read at plan time: the data source is given the ID in lower case too.
    expect(Object.values(json.data!.azuread_group).map((g) => g.object_id)).toEqual([uuid(3)]);
  });
});

describe('data.azuread_named_location', () => {
  it('display_name: an existing location is not named like one declared in the tenant (after the apply the lookup finds both: "More than one Named Location was found")', () => {
    const locations = ['corp: { displayName: Corporate network, existing: true }', 'office: { displayName: corporate NETWORK, ipRanges: [203.0.113.0/24] }'];
    expect(problemsOf(tenant({ locations }))).toEqual([
      expect.stringMatching(
        /namedLocations\.corp\.displayName: is also the display name of namedLocations\.office, declared here: once it exists, the lookup by display name finds two named locations and every plan fails; name them apart, or drop existing/,
      ),
    ]);
    expect(() =>
      synthConfigText(tenant({ locations: [locations[0], 'office: { displayName: Office, ipRanges: [203.0.113.0/24] }'] }), FILE, 'tenant-contoso'),
    ).not.toThrow();
  });
});

describe('names in one tenant section without a literal tenantId', () => {
  const text = (policies: string[], staging = 'ITSM mail staging') =>
    [
      'environments:',
      '  prod:',
      '    tenant: contoso',
      '    application: { displayName: ITSM mail, mail: { flow: app-only } }',
      '  staging:',
      '    tenant: contoso',
      `    application: { displayName: ${staging}, mail: { flow: app-only } }`,
      'tenants:',
      '  contoso:',
      '    conditionalAccessPolicies:',
      ...policies.map((p) => `      ${p}`),
      '',
    ].join('\n');
  it("azuread_group: two groups of one name in the tenant's policy set (groupResourceCreate refuses the second with prevent_duplicate_names)", () => {
    expect(problemsOf(text(['a: { preset: mfaPilot }', 'b: { preset: mfaPilot, displayName: MFA two }']))).toEqual([
      expect.stringMatching(
        /tenants\.contoso\.conditionalAccessPolicies\.b\.group\.create\.displayName: "MFA-Test-Group" is the name of the group policy "a" creates too, and two groups of one name cannot both be created/,
      ),
    ]);
  });
  it('data.azuread_service_principal: two applications of one name in the tenant (the lookup by display_name fails on "found multiple service principals")', () => {
    const sp = 'sp: { preset: restrictServicePrincipalToLocations, includeServicePrincipals: [prod], includeLocations: [All], excludeLocations: [AllTrusted] }';
    expect(problemsOf(text([sp], 'ITSM MAIL'))).toEqual([
      expect.stringMatching(
        /environments\.staging\.application\.displayName: the application "ITSM MAIL" is also declared by environment "prod" in the same tenant \(tenants\.contoso\)/,
      ),
    ]);
    expect(() => synthConfigText(text([sp]), FILE, 'tenant-contoso')).not.toThrow();
  });
  it('compares an environment of the section that states the tenant ID itself with the others of the section', () => {
    const sp = 'sp: { preset: restrictServicePrincipalToLocations, includeServicePrincipals: [prod], includeLocations: [All], excludeLocations: [AllTrusted] }';
    const withId = text([sp], 'ITSM MAIL').replace('  staging:\n    tenant: contoso', `  staging:\n    tenant: contoso\n    tenantId: ${uuid(30)}`);
    expect(withId).toContain(`tenantId: ${uuid(30)}`);
    expect(problemsOf(withId)).toEqual([
      expect.stringMatching(
        /environments\.staging\.application\.displayName: the application "ITSM MAIL" is also declared by environment "prod" in the same tenant/,
      ),
    ]);
  });
});

describe('lifecycle.ignore_changes holds on to what it names', () => {
  // Terraform core (processIgnoreChangesIndividual) records an ignored path only when the path
  // can be applied to the configuration: a top-level attribute the config leaves null can (the
  // prior value is kept), a path through a block the config does not declare cannot (api[0]... without
  // an api block is silently dropped). So every path below a block needs that block declared.
  const EXAMPLE = readFileSync(join(__dirname, '..', 'config', 'example.yaml'), 'utf8');
  it.each([
    ['the example', EXAMPLE],
    ['app-only with an exposed API', app('mail: { flow: app-only }', 'exposeApi: true')],
  ])('%s: each ignored path is a top-level attribute or lies in a block the config declares', (_name, text) => {
    const json = synthConfigText(text);
    const checked: string[] = [];
    for (const [type, resources] of Object.entries(json.resource ?? {})) {
      for (const [name, r] of Object.entries(resources as Record<string, Record<string, unknown>>)) {
        for (const path of (r.lifecycle as { ignore_changes?: string[] } | undefined)?.ignore_changes ?? []) {
          const [head, index] = /^([a-z_]+)(?:\[(\d+)\])?/.exec(path)!.slice(1);
          if (index !== undefined) {
            const block = r[head];
            const element = Array.isArray(block) ? block[Number(index)] : Number(index) === 0 ? block : undefined;
            expect({ at: `${type}.${name}`, path, declared: element !== undefined && element !== null }).toEqual({
              at: `${type}.${name}`,
              path,
              declared: true,
            });
          }
          checked.push(`${type}.${path}`);
        }
      }
    }
    // identifier_uris is left null on the application: azuread_application_identifier_uri writes it, and
    // ignore_changes keeps the prior value (the provider's documented pairing).
    expect(checked).toEqual(expect.arrayContaining(['azuread_application.identifier_uris', 'azuread_application.api[0].oauth2_permission_scope']));
    expect(Object.keys(json.resource?.azuread_application_identifier_uri ?? {})).toHaveLength(1);
  });
});
