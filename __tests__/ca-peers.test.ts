import { synthConfigText, type TfJson } from '../test-support/synth';

/*
 * Peer check: the azuread provider's own acceptance tests for azuread_conditional_access_policy
 * and azuread_named_location at v3.7.0 (hashicorp/terraform-provider-azuread,
 * internal/services/conditionalaccess/conditional_access_policy_resource_test.go and
 * named_location_resource_test.go), each configuration a user could mean expressed through this
 * project's config, and the synthesized block compared with the peer's attributes.
 *
 * Transcribed from the HCL of each test configuration (the random display names replaced by
 * "acctest"). Equality is the provider's: an attribute left out equals one at its zero value or
 * schema default (an empty list, false, country_lookup_method clientIpAddress), which the provider
 * reads back alike; references compare by what they read (`REF:<type>.<attribute>`).
 *
 * Left out: signinfrequencyintervalEverytimeShouldFail, which the provider's test expects to fail
 * at plan (this project refuses it at load time: sign-in frequency is everyTime or a period).
 */

const BREAK_GLASS_FREE = 'acctest';
type Block = Record<string, unknown>;

/** One tenant's config with the policy (and named locations, environments) given. */
function tenantConfig(policy: string[], extra: { locations?: string[]; environments?: string[] } = {}): string {
  return [
    ...(extra.environments
      ? ['environments:', ...extra.environments]
      : ['environments:', '  prod:', '    tenant: peers', '    application:', '      displayName: ITSM mail', '      mail: { flow: app-only }']),
    'tenants:',
    '  peers:',
    ...(extra.locations ? ['    namedLocations:', ...extra.locations.map((l) => `      ${l}`)] : []),
    '    conditionalAccessPolicies:',
    '      test:',
    `        displayName: ${BREAK_GLASS_FREE}`,
    ...policy.map((l) => `        ${l}`),
    '',
  ].join('\n');
}

const SP_ENV = [
  '  terraform-tests:',
  '    tenant: peers',
  '    application:',
  '      displayName: Terraform Acceptance Tests (Single Tenant)',
  '      mail: { flow: app-only }',
];

/** The provider's equality: zero values and schema defaults are absent; references by what they read. */
function normalize(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    const ref = /^\$\{((?:data\.)?[a-z_]+)\.[^.}]+\.([a-z_]+)\}$/.exec(value);
    return ref ? `REF:${ref[1]}.${ref[2]}` : value;
  }
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => normalize(v));
  if (value !== null && typeof value === 'object') {
    const out: Block = {};
    for (const [k, v] of Object.entries(value as Block)) {
      if (k === '//') continue;
      const n = normalize(v, k);
      if (n === undefined || n === null || n === false) continue;
      if (k === 'country_lookup_method' && n === 'clientIpAddress') continue;
      out[k] = n;
    }
    return Object.keys(out).length === 0 && key !== '' ? undefined : out;
  }
  return value;
}

function only(json: TfJson, type: string): Block {
  const all = Object.values(json.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as Block;
}

const policyOf = (json: TfJson) => only(json, 'azuread_conditional_access_policy');
const USERS_ALL_BUT_GUESTS = { included_users: ['All'], excluded_users: ['GuestsOrExternalUsers'] };

/** Each peer configuration: the config lines that express it, and the peer's block. */
const POLICY_PEERS: { name: string; config: string; expected: Block }[] = [
  {
    name: 'basic',
    config: tenantConfig([
      'state: off',
      'clientAppTypes: [browser]',
      'includeApplications: [None]',
      'includeUsers: [All]',
      'excludeUsers: [GuestsOrExternalUsers]',
      'grant: { block: true }',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: { client_app_types: ['browser'], applications: { included_applications: ['None'] }, users: USERS_ALL_BUT_GUESTS },
      grant_controls: { operator: 'OR', built_in_controls: ['block'] },
    },
  },
  {
    name: 'complete',
    config: tenantConfig([
      'state: reportOnly',
      'clientAppTypes: [all]',
      'signInRiskLevels: [medium]',
      'userRiskLevels: [medium]',
      'insiderRiskLevels: elevated',
      'includeApplications: [All]',
      'authenticationFlows: [deviceCodeFlow]',
      'deviceFilter: { mode: exclude, rule: \'device.operatingSystem eq "Doors"\' }',
      'includeLocations: [All]',
      'excludeLocations: [AllTrusted]',
      'includePlatforms: [all]',
      'excludePlatforms: [android, iOS]',
      'includeUsers: [All]',
      'excludeUsers: [GuestsOrExternalUsers]',
      'grant: { mfa: true }',
      'applicationEnforcedRestrictions: true',
      'cloudAppSecurity: blockDownloads',
      'disableResilienceDefaults: false',
      'persistentBrowser: always',
      'signInFrequency: { value: 2, unit: days }',
      'signInFrequencyAuthenticationType: primaryAndSecondaryAuthentication',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        client_app_types: ['all'],
        sign_in_risk_levels: ['medium'],
        user_risk_levels: ['medium'],
        insider_risk_levels: 'elevated',
        applications: { included_applications: ['All'], excluded_applications: [] },
        authentication_flow_transfer_methods: ['deviceCodeFlow'],
        devices: { filter: { mode: 'exclude', rule: 'device.operatingSystem eq "Doors"' } },
        locations: { included_locations: ['All'], excluded_locations: ['AllTrusted'] },
        platforms: { included_platforms: ['all'], excluded_platforms: ['android', 'iOS'] },
        users: USERS_ALL_BUT_GUESTS,
      },
      grant_controls: { operator: 'OR', built_in_controls: ['mfa'] },
      session_controls: {
        application_enforced_restrictions_enabled: true,
        cloud_app_security_policy: 'blockDownloads',
        disable_resilience_defaults: false,
        persistent_browser_mode: 'always',
        sign_in_frequency: 2,
        sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication',
        sign_in_frequency_interval: 'timeBased',
        sign_in_frequency_period: 'days',
      },
    },
  },
  {
    name: 'includedUserActions',
    config: tenantConfig([
      'state: off',
      'includeUserActions: [registerOrJoinDevices, registerSecurityInformation]',
      'includeLocations: [All]',
      'includeUsers: [All]',
      'excludeUsers: [GuestsOrExternalUsers]',
      'grant: { mfa: true }',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: {
        client_app_types: ['all'],
        applications: { included_user_actions: ['urn:user:registerdevice', 'urn:user:registersecurityinfo'] },
        locations: { included_locations: ['All'] },
        users: USERS_ALL_BUT_GUESTS,
      },
      grant_controls: { operator: 'OR', built_in_controls: ['mfa'] },
    },
  },
  {
    name: 'sessionControls (session only, no grant)',
    config: tenantConfig([
      'state: off',
      'clientAppTypes: [browser]',
      'includeApplications: [All]',
      'includeLocations: [All]',
      'includePlatforms: [all]',
      'includeUsers: [All]',
      'excludeUsers: [GuestsOrExternalUsers]',
      'grant: { mfa: false }',
      'applicationEnforcedRestrictions: true',
      'disableResilienceDefaults: true',
      'cloudAppSecurity: monitorOnly',
      'persistentBrowser: never',
      'signInFrequency: { value: 10, unit: hours }',
      'signInFrequencyAuthenticationType: primaryAndSecondaryAuthentication',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: {
        client_app_types: ['browser'],
        applications: { included_applications: ['All'] },
        locations: { included_locations: ['All'] },
        platforms: { included_platforms: ['all'] },
        users: USERS_ALL_BUT_GUESTS,
      },
      session_controls: {
        application_enforced_restrictions_enabled: true,
        disable_resilience_defaults: true,
        cloud_app_security_policy: 'monitorOnly',
        persistent_browser_mode: 'never',
        sign_in_frequency: 10,
        sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication',
        sign_in_frequency_interval: 'timeBased',
        sign_in_frequency_period: 'hours',
      },
    },
  },
  ...(
    [
      ['sessionControlsDisabled', [], undefined],
      ['sessionControlsApplicationEnforcedRestrictions', ['applicationEnforcedRestrictions: true'], { application_enforced_restrictions_enabled: true }],
      ['sessionControlsCloudAppSecurityPolicy', ['cloudAppSecurity: monitorOnly'], { cloud_app_security_policy: 'monitorOnly' }],
      ['sessionControlsPersistentBrowserMode', ['persistentBrowser: always'], { persistent_browser_mode: 'always' }],
    ] as const
  ).map(([name, session, expected]) => ({
    name,
    config: tenantConfig([
      'state: off',
      'clientAppTypes: [browser]',
      'includeApplications: [All]',
      'includeLocations: [All]',
      'includePlatforms: [all]',
      'includeUsers: [All]',
      'excludeUsers: [GuestsOrExternalUsers]',
      'grant: { block: true }',
      ...session,
    ]),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: {
        client_app_types: ['browser'],
        applications: { included_applications: ['All'] },
        locations: { included_locations: ['All'] },
        platforms: { included_platforms: ['all'] },
        users: USERS_ALL_BUT_GUESTS,
      },
      grant_controls: { operator: 'OR', built_in_controls: ['block'] },
      ...(expected ? { session_controls: expected } : {}),
    },
  })),
  ...(
    [
      [
        'clientApplicationsIncluded',
        ['includeServicePrincipals: [terraform-tests]'],
        { included_service_principals: ['REF:data.azuread_service_principal.object_id'] },
      ],
      [
        'clientApplicationsExcluded',
        ['includeServicePrincipals: [ServicePrincipalsInMyTenant]', 'excludeServicePrincipals: [terraform-tests]'],
        { included_service_principals: ['ServicePrincipalsInMyTenant'], excluded_service_principals: ['REF:data.azuread_service_principal.object_id'] },
      ],
      [
        'clientApplicationsFilter',
        [
          'includeServicePrincipals: [ServicePrincipalsInMyTenant]',
          'servicePrincipalFilter: { mode: exclude, rule: \'CustomSecurityAttribute.AzureADProviderTesting_Usage -contains "Acceptance Tests"\' }',
        ],
        {
          included_service_principals: ['ServicePrincipalsInMyTenant'],
          filter: { mode: 'exclude', rule: 'CustomSecurityAttribute.AzureADProviderTesting_Usage -contains "Acceptance Tests"' },
        },
      ],
    ] as const
  ).map(([name, lines, clientApplications]) => ({
    name,
    config: tenantConfig(['state: off', 'includeApplications: [All]', ...lines, 'servicePrincipalRiskLevels: [medium]', 'grant: { block: true }'], {
      environments: SP_ENV,
    }),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: {
        client_app_types: ['all'],
        applications: { included_applications: ['All'] },
        client_applications: clientApplications,
        service_principal_risk_levels: ['medium'],
        users: { included_users: ['None'] },
      },
      grant_controls: { operator: 'OR', built_in_controls: ['block'] },
    },
  })),
  {
    // The peer creates a custom strength (azuread_authentication_strength_policy); this project
    // names an existing one by its ID, which is what the policy block holds.
    name: 'authenticationStrengthPolicy',
    config: tenantConfig([
      'state: off',
      'clientAppTypes: [browser]',
      'includeApplications: [None]',
      'includeUsers: [All]',
      'excludeUsers: [GuestsOrExternalUsers]',
      'grant: { authenticationStrength: /policies/authenticationStrengthPolicies/3f2504e0-4f89-41d3-9a0c-0305e82c3301 }',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: { client_app_types: ['browser'], applications: { included_applications: ['None'] }, users: USERS_ALL_BUT_GUESTS },
      grant_controls: { operator: 'OR', authentication_strength_policy_id: '/policies/authenticationStrengthPolicies/3f2504e0-4f89-41d3-9a0c-0305e82c3301' },
    },
  },
  {
    name: 'authenticationStrengthPolicyHardcoded',
    config: tenantConfig([
      'state: off',
      'clientAppTypes: [browser]',
      'includeApplications: [None]',
      'includeUsers: [All]',
      'excludeUsers: [GuestsOrExternalUsers]',
      'grant: { authenticationStrength: phishingResistantMfa }',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: { client_app_types: ['browser'], applications: { included_applications: ['None'] }, users: USERS_ALL_BUT_GUESTS },
      grant_controls: { operator: 'OR', authentication_strength_policy_id: '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004' },
    },
  },
  {
    name: 'guestsOrExternalUsersAllServiceProvidersIncluded',
    config: tenantConfig([
      'state: off',
      'clientAppTypes: [browser]',
      'includeApplications: [None]',
      'includeGuestsOrExternalUsers: { types: [internalGuest, serviceProvider], externalTenants: all }',
      'grant: { block: true }',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: {
        client_app_types: ['browser'],
        applications: { included_applications: ['None'] },
        users: {
          included_guests_or_external_users: [
            { guest_or_external_user_types: ['internalGuest', 'serviceProvider'], external_tenants: [{ membership_kind: 'all' }] },
          ],
        },
      },
      grant_controls: { operator: 'OR', built_in_controls: ['block'] },
    },
  },
  {
    name: 'guestsOrExternalUsersAllServiceProvidersExcluded',
    config: tenantConfig([
      'state: off',
      'clientAppTypes: [browser]',
      'includeApplications: [None]',
      'includeUsers: [None]',
      'excludeGuestsOrExternalUsers: { types: [internalGuest, serviceProvider] }',
      'grant: { block: true }',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: {
        client_app_types: ['browser'],
        applications: { included_applications: ['None'] },
        users: {
          included_users: ['None'],
          excluded_guests_or_external_users: [
            { guest_or_external_user_types: ['internalGuest', 'serviceProvider'], external_tenants: [{ membership_kind: 'all' }] },
          ],
        },
      },
      grant_controls: { operator: 'OR', built_in_controls: ['block'] },
    },
  },
  {
    name: 'insiderRisk',
    config: tenantConfig([
      'state: off',
      'clientAppTypes: [browser]',
      'insiderRiskLevels: moderate',
      'includeApplications: [None]',
      'includeUsers: [All]',
      'excludeUsers: [GuestsOrExternalUsers]',
      'grant: { block: true }',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: {
        client_app_types: ['browser'],
        insider_risk_levels: 'moderate',
        applications: { included_applications: ['None'] },
        users: USERS_ALL_BUT_GUESTS,
      },
      grant_controls: { operator: 'OR', built_in_controls: ['block'] },
    },
  },
  {
    name: 'guestsOrExternalUsersServiceProviderExternalTenantExcluded',
    config: tenantConfig([
      'state: off',
      'clientAppTypes: [browser]',
      'includeApplications: [None]',
      'includeUsers: [None]',
      'excludeGuestsOrExternalUsers: { types: [serviceProvider], externalTenants: [aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa] }',
      'grant: { block: true }',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: {
        client_app_types: ['browser'],
        applications: { included_applications: ['None'] },
        users: {
          included_users: ['None'],
          excluded_guests_or_external_users: [
            {
              guest_or_external_user_types: ['serviceProvider'],
              external_tenants: [{ membership_kind: 'enumerated', members: ['aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'] }],
            },
          ],
        },
      },
      grant_controls: { operator: 'OR', built_in_controls: ['block'] },
    },
  },
  {
    name: 'signinfrequencyintervalEverytime',
    config: tenantConfig([
      'state: reportOnly',
      'clientAppTypes: [all]',
      'userRiskLevels: [high]',
      'includeApplications: [All]',
      'includeUsers: [None]',
      'grant: { mfa: true, additionalControls: [passwordChange], operator: AND }',
      'signInFrequency: everyTime',
      'signInFrequencyAuthenticationType: primaryAndSecondaryAuthentication',
    ]),
    expected: {
      display_name: 'acctest',
      state: 'enabledForReportingButNotEnforced',
      conditions: {
        client_app_types: ['all'],
        sign_in_risk_levels: [],
        user_risk_levels: ['high'],
        service_principal_risk_levels: [],
        applications: { excluded_applications: [], included_applications: ['All'] },
        users: { included_users: ['None'] },
      },
      grant_controls: { built_in_controls: ['mfa', 'passwordChange'], custom_authentication_factors: [], operator: 'AND', terms_of_use: [] },
      session_controls: { sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication', sign_in_frequency_interval: 'everyTime' },
    },
  },
  {
    name: 'namedLocation',
    config: tenantConfig(
      [
        'state: off',
        'clientAppTypes: [browser]',
        'includeApplications: [None]',
        'includeUsers: [All]',
        'excludeUsers: [GuestsOrExternalUsers]',
        'includeLocations: [All]',
        'excludeLocations: [test]',
        'grant: { block: true }',
      ],
      {
        locations: ['test: { displayName: acctestNLIP, ipRanges: [1.1.1.1/32, 2.2.2.2/32] }'],
      },
    ),
    expected: {
      display_name: 'acctest',
      state: 'disabled',
      conditions: {
        client_app_types: ['browser'],
        applications: { included_applications: ['None'] },
        users: USERS_ALL_BUT_GUESTS,
        locations: { included_locations: ['All'], excluded_locations: ['REF:azuread_named_location.object_id'] },
      },
      grant_controls: { operator: 'OR', built_in_controls: ['block'] },
    },
  },
];

/** The named location tests (named_location_resource_test.go). */
const LOCATION_PEERS: { name: string; location: string; expected: Block }[] = [
  {
    name: 'basicIP',
    location: '{ displayName: acctestNLIP, ipRanges: [1.1.1.1/32, 2.2.2.2/32] }',
    expected: { display_name: 'acctestNLIP', ip: { ip_ranges: ['1.1.1.1/32', '2.2.2.2/32'] } },
  },
  {
    name: 'completeIP',
    location: "{ displayName: acctestNLIP, ipRanges: [1.1.1.1/32, 2.2.2.2/32, 3.3.3.3/32, '64:ff9b::/96'], trusted: true }",
    expected: { display_name: 'acctestNLIP', ip: { ip_ranges: ['1.1.1.1/32', '2.2.2.2/32', '3.3.3.3/32', '64:ff9b::/96'], trusted: true } },
  },
  {
    name: 'basicCountry',
    location: '{ displayName: acctestNLC, countries: [GB, US] }',
    expected: { display_name: 'acctestNLC', country: { countries_and_regions: ['GB', 'US'] } },
  },
  {
    name: 'completeCountry',
    location: '{ displayName: acctestNLC, countries: [GB, US, JP], includeUnknownCountries: true, countryLookup: clientIpAddress }',
    expected: {
      display_name: 'acctestNLC',
      country: { country_lookup_method: 'clientIpAddress', countries_and_regions: ['GB', 'US', 'JP'], include_unknown_countries_and_regions: true },
    },
  },
  {
    name: 'completeCountryByGps',
    location: '{ displayName: acctestNLC, countries: [GB, US, JP], includeUnknownCountries: true, countryLookup: authenticatorAppGps }',
    expected: {
      display_name: 'acctestNLC',
      country: { country_lookup_method: 'authenticatorAppGps', countries_and_regions: ['GB', 'US', 'JP'], include_unknown_countries_and_regions: true },
    },
  },
];

describe('peer check: the provider acceptance tests of azuread_conditional_access_policy, through the config', () => {
  it.each(POLICY_PEERS.map((p) => [p.name, p] as const))('%s', (_name, peer) => {
    expect(normalize(policyOf(synthConfigText(peer.config, 'c.yaml', 'tenant-peers')))).toEqual(normalize(peer.expected));
  });

  it('expresses every configuration a user could mean (19 of 20; the one the provider expects to fail is refused at load time)', () => {
    expect(POLICY_PEERS).toHaveLength(19);
  });
});

describe('peer check: the provider acceptance tests of azuread_named_location, through the config', () => {
  it.each(LOCATION_PEERS.map((p) => [p.name, p] as const))('%s', (_name, peer) => {
    const config = tenantConfig(['includeUsers: [All]', 'excludeUsers: [GuestsOrExternalUsers]', 'includeLocations: [test]', 'grant: { mfa: true }'], {
      locations: [`test: ${peer.location}`],
    });
    const synthesized = synthConfigText(config, 'c.yaml', 'tenant-peers');
    expect(normalize(only(synthesized, 'azuread_named_location'))).toEqual(normalize(peer.expected));
    // country_lookup_method is written even at its default, so Graph's answer never differs from the config.
    if ('country' in peer.expected) expect((only(synthesized, 'azuread_named_location').country as Block).country_lookup_method).toBeDefined();
  });
});
