import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { parseConfigText } from '../lib/config/load-config';
import { CLIENT_APP_TYPES, DEVICE_PLATFORMS, RISK_LEVELS } from '../lib/model/conditional-access-values';
import { ROOT, runSynth, snapshotTree, workdir } from '../test-support/cli';
import type { TfJson } from '../test-support/synth';
import { configProblems } from '../test-support/problems';

const FILE = 'test.yaml';
const AZURE_MANAGEMENT = '797f4846-ba00-4fd7-ba43-dac1f8f63013';
const BREAK_GLASS = '6b1d6a6e-2f0e-4a5c-9a57-0c1f3c0b7a11';
const EXISTING_GROUP = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** A config whose prod environment has this `mfaPolicy` section (YAML lines, indented below it). */
function withPolicy(...lines: string[]): string {
  return ['environments:', '  prod:', '    mfaPolicy:', ...(lines.length > 0 ? lines.map((l) => `      ${l}`) : ['      {}'])].join('\n') + '\n';
}

/** The Terraform JSON of the prod stack a config text produces. */
function synthText(text: string): TfJson {
  const config = parseConfigText(text, FILE);
  const [stack] = buildStacksFromConfig(Testing.app(), config);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

function policyOf(json: TfJson): Record<string, any> {
  return json.resource!.azuread_conditional_access_policy['mfa-policy'] as Record<string, any>;
}

const problemsOf = (text: string | Uint8Array) => configProblems(text, FILE);
/** An object ID read at plan time: a reference to the data source that reads it. */
const read = (kind: 'user' | 'group', id: string) => expect.stringMatching(new RegExp(`^\\$\\{data\\.azuread_${kind}\\.[^.]*${id}[^.]*\\.object_id\\}$`));

/** Paths of every empty list or block: they cause perpetual plan diffs in the azuread provider. */
function emptyValuesIn(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => emptyValuesIn(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => emptyValuesIn(v, path ? `${path}.${k}` : k));
  }
  return [];
}

describe('mfaPolicy config section', () => {
  describe('defaults', () => {
    // Given an empty section, when synthesized, then every default is the manual's policy, in report-only.
    const json = synthText(withPolicy());
    const policy = policyOf(json);

    it('declares the group and the policy at stable addresses', () => {
      expect(Object.keys(json.resource!.azuread_group)).toEqual(['mfa-group']);
      expect(Object.keys(json.resource!.azuread_conditional_access_policy)).toEqual(['mfa-policy']);
    });

    it('names the policy "MFA Pilot" and leaves it in report-only', () => {
      expect(policy.display_name).toBe('MFA Pilot');
      expect(policy.state).toBe('enabledForReportingButNotEnforced');
    });

    it('creates the security group "MFA-Test-Group" and targets it', () => {
      expect(json.resource!.azuread_group['mfa-group']).toMatchObject({
        display_name: 'MFA-Test-Group',
        security_enabled: true,
        mail_enabled: false,
        prevent_duplicate_names: true,
      });
      expect(json.resource!.azuread_group['mfa-group'].assignable_to_role).toBeUndefined();
      expect(policy.conditions.users).toEqual({ included_groups: ['${azuread_group.mfa-group.object_id}'] });
    });

    it('targets Microsoft Azure Management for all client apps', () => {
      expect(policy.conditions.applications).toEqual({ included_applications: [AZURE_MANAGEMENT] });
      expect(policy.conditions.client_app_types).toEqual(['all']);
    });

    it('requires MFA with operator OR and no session control', () => {
      expect(policy.grant_controls).toEqual({ operator: 'OR', built_in_controls: ['mfa'] });
      expect(policy.session_controls).toBeUndefined();
    });

    it('outputs the policy ID, its state and the group object ID', () => {
      expect(json.output).toMatchObject({
        mfa_policy_id: { value: '${azuread_conditional_access_policy.mfa-policy.object_id}' },
        mfa_policy_state: { value: 'reportOnly' },
        mfa_group_object_id: { value: '${azuread_group.mfa-group.object_id}' },
      });
    });

    it('emits no empty list or block', () => {
      expect(emptyValuesIn(json.resource)).toEqual([]);
    });
  });

  describe('the example config', () => {
    const example = readFileSync(join(ROOT, 'config/example.yaml'), 'utf8');

    it("reproduces the manual's policy in report-only with a break-glass exclusion", () => {
      // Given config/example.yaml, when synthesized, then prod has the group and the policy.
      const json = synthText(example);
      const policy = policyOf(json);
      expect(json.resource!.azuread_group['mfa-group'].display_name).toBe('MFA-Test-Group');
      expect(policy).toMatchObject({
        display_name: 'MFA Pilot',
        state: 'enabledForReportingButNotEnforced',
        conditions: {
          applications: { included_applications: [AZURE_MANAGEMENT] },
          users: { included_groups: ['${azuread_group.mfa-group.object_id}'], excluded_users: ['00000000-0000-0000-0000-00000000b001'] },
        },
        grant_controls: { operator: 'OR', built_in_controls: ['mfa'] },
      });
    });

    it('fails when switched on while the break-glass exclusion is still the placeholder', () => {
      const on = example.replace(/state: reportOnly\b/, 'state: on');
      expect(on).not.toBe(example);
      expect(problemsOf(on)).toEqual([
        expect.stringMatching(
          /^test\.yaml: environments\.prod\.mfaPolicy\.excludeUsers\[0\]: 00000000-0000-0000-0000-00000000b001 is a placeholder, not an emergency-access account: replace it with the object ID of your break-glass account before setting state: on \(line \d+\)$/,
        ),
      ]);
    });
  });

  describe('allowed values', () => {
    it.each([
      ['reportOnly', 'enabledForReportingButNotEnforced'],
      ['on', 'enabled'],
      ['off', 'disabled'],
    ])('maps state %s to %s', (state, expected) => {
      expect(policyOf(synthText(withPolicy(`state: ${state}`, `excludeUsers: [${BREAK_GLASS}]`))).state).toBe(expected);
    });

    it('uses an existing group by object ID instead of creating one, read at plan time', () => {
      const json = synthText(withPolicy(`group: { existingObjectId: ${EXISTING_GROUP} }`));
      expect(json.resource!.azuread_group).toBeUndefined();
      expect(Object.values(json.data!.azuread_group)).toEqual([{ object_id: EXISTING_GROUP }]);
      expect(policyOf(json).conditions.users.included_groups).toEqual([read('group', EXISTING_GROUP)]);
      expect(json.output!.mfa_group_object_id.value).toEqual(read('group', EXISTING_GROUP));
    });

    it('creates the group with description, members, owners and role assignability when asked', () => {
      const member = '8c1e4a2b-7f3d-4c5e-9a1b-2c3d4e5f6a7b';
      const owner = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
      const json = synthText(
        withPolicy(
          'group:',
          '  create:',
          '    displayName: Pilot',
          '    description: MFA pilot',
          `    members: [${member}]`,
          `    owners: [${owner}]`,
          '    assignableToRole: true',
        ),
      );
      expect(json.resource!.azuread_group['mfa-group']).toMatchObject({
        display_name: 'Pilot',
        description: 'MFA pilot',
        members: [member],
        owners: [owner],
        assignable_to_role: true,
      });
    });

    it('includes and excludes users, groups and roles', () => {
      const role = '62e90394-69f5-4237-9190-012177145e10';
      const users = policyOf(
        synthText(
          withPolicy(
            'group: { create: {} }',
            'includeUsers: [GuestsOrExternalUsers]',
            `excludeUsers: [${BREAK_GLASS}]`,
            `includeGroups: [${EXISTING_GROUP}]`,
            `excludeGroups: [${BREAK_GLASS}]`,
            `includeRoles: [${role}]`,
            `excludeRoles: [${role.replace('62', '63')}]`,
          ),
        ),
      ).conditions.users;
      expect(users).toEqual({
        included_groups: ['${azuread_group.mfa-group.object_id}', read('group', EXISTING_GROUP)],
        included_users: ['GuestsOrExternalUsers'],
        included_roles: [role],
        excluded_users: [read('user', BREAK_GLASS)],
        excluded_groups: [read('group', BREAK_GLASS)],
        excluded_roles: [role.replace('62', '63')],
      });
    });

    it.each([
      ['All', { included_users: ['All'] }],
      ['None', { included_users: ['None'] }],
      ['GuestsOrExternalUsers', { included_users: ['GuestsOrExternalUsers'], included_groups: ['${azuread_group.mfa-group.object_id}'] }],
    ])('accepts the user keyword %s', (keyword, users) => {
      expect(policyOf(synthText(withPolicy(`includeUsers: [${keyword}]`))).conditions.users).toEqual(users);
    });

    it.each([
      ['MicrosoftAzureManagement', AZURE_MANAGEMENT],
      ['All', 'All'],
      ['Office365', 'Office365'],
      ['MicrosoftAdminPortals', 'MicrosoftAdminPortals'],
      ['00000003-0000-0000-c000-000000000000', '00000003-0000-0000-c000-000000000000'],
    ])('targets the application %s as %s', (value, expected) => {
      expect(policyOf(synthText(withPolicy(`includeApplications: [${value}]`))).conditions.applications.included_applications).toEqual([expected]);
    });

    it('excludes applications, resolving the alias', () => {
      const apps = policyOf(synthText(withPolicy('includeApplications: [All]', 'excludeApplications: [MicrosoftAzureManagement, Office365]'))).conditions
        .applications;
      expect(apps).toEqual({ included_applications: ['All'], excluded_applications: [AZURE_MANAGEMENT, 'Office365'] });
    });

    it.each(CLIENT_APP_TYPES)('accepts the client app type %s', (type) => {
      expect(policyOf(synthText(withPolicy(`clientAppTypes: [${type}]`))).conditions.client_app_types).toEqual([type]);
    });

    it.each(RISK_LEVELS)('accepts the risk level %s', (level) => {
      const conditions = policyOf(synthText(withPolicy(`signInRiskLevels: [${level}]`, `userRiskLevels: [${level}]`))).conditions;
      expect(conditions.sign_in_risk_levels).toEqual([level]);
      expect(conditions.user_risk_levels).toEqual([level]);
    });

    it.each(DEVICE_PLATFORMS)('accepts the device platform %s', (platform) => {
      expect(policyOf(synthText(withPolicy(`includePlatforms: [${platform}]`))).conditions.platforms).toEqual({ included_platforms: [platform] });
    });

    it('excludes device platforms from the included ones', () => {
      expect(policyOf(synthText(withPolicy('includePlatforms: [all]', 'excludePlatforms: [android, windowsPhone]'))).conditions.platforms).toEqual({
        included_platforms: ['all'],
        excluded_platforms: ['android', 'windowsPhone'],
      });
    });

    it.each([
      ['multifactor', '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000002'],
      ['passwordlessMfa', '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000003'],
      ['phishingResistantMfa', '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004'],
      [
        '/policies/authenticationStrengthPolicies/5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        '/policies/authenticationStrengthPolicies/5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      ],
    ])('requires the authentication strength %s and omits built_in_controls', (strength, id) => {
      expect(policyOf(synthText(withPolicy(`grant: { authenticationStrength: "${strength}" }`))).grant_controls).toEqual({
        operator: 'OR',
        authentication_strength_policy_id: id,
      });
    });

    it.each(['compliantDevice', 'domainJoinedDevice', 'compliantApplication'])('adds the grant control %s', (control) => {
      expect(policyOf(synthText(withPolicy(`grant: { mfa: true, additionalControls: [${control}], operator: AND }`))).grant_controls).toEqual({
        operator: 'AND',
        built_in_controls: ['mfa', control],
      });
    });

    it.each([
      [
        '{ value: 12, unit: hours }',
        {
          sign_in_frequency: 12,
          sign_in_frequency_period: 'hours',
          sign_in_frequency_interval: 'timeBased',
          sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication',
        },
      ],
      [
        '{ value: 30, unit: days }',
        {
          sign_in_frequency: 30,
          sign_in_frequency_period: 'days',
          sign_in_frequency_interval: 'timeBased',
          sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication',
        },
      ],
      ['everyTime', { sign_in_frequency_interval: 'everyTime', sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication' }],
    ])('sets the sign-in frequency %s', (yaml, expected) => {
      expect(policyOf(synthText(withPolicy(`signInFrequency: ${yaml}`))).session_controls).toEqual(expected);
    });

    it('allows enforcing without exclusion when a written reason is given', () => {
      const json = synthText(
        withPolicy(
          'state: on',
          'allowEnforcedWithoutBreakGlassExclusion:',
          '  reason: Break-glass accounts are excluded by tenant policy CA000, owned by the identity team',
        ),
      );
      expect(policyOf(json).state).toBe('enabled');
      expect(policyOf(json).conditions.users.excluded_users).toBeUndefined();
    });

    it('emits no empty list or block when every setting is used', () => {
      const json = synthText(
        withPolicy(
          'state: on',
          `excludeUsers: [${BREAK_GLASS}]`,
          'includeApplications: [All]',
          'excludeApplications: [Office365]',
          'clientAppTypes: [browser]',
          'userRiskLevels: [high]',
          'includePlatforms: [all]',
          'excludePlatforms: [linux]',
          'grant: { authenticationStrength: phishingResistantMfa }',
          'signInFrequency: { value: 4, unit: hours }',
        ),
      );
      expect(emptyValuesIn(json.resource)).toEqual([]);
    });
  });

  describe('rejected input', () => {
    it('fails when an application is given by display name, giving the client ID to use', () => {
      expect(problemsOf(withPolicy('includeApplications: [Microsoft Azure Management]'))).toEqual([
        `${FILE}: environments.prod.mfaPolicy.includeApplications[0]: "Microsoft Azure Management" is a display name; Graph accepts only client (application) IDs and keywords here: use ${AZURE_MANAGEMENT} (or the alias MicrosoftAzureManagement) (line 4)`,
      ]);
    });

    it('fails when a keyword is given by display name, giving the keyword', () => {
      expect(problemsOf(withPolicy('includeApplications: [Office 365]'))).toEqual([
        `${FILE}: environments.prod.mfaPolicy.includeApplications[0]: "Office 365" is a display name; Graph accepts only client (application) IDs and keywords here: use the keyword Office365 (line 4)`,
      ]);
    });

    it('fails when MFA and an authentication strength are both required', () => {
      expect(problemsOf(withPolicy('grant: { mfa: true, authenticationStrength: phishingResistantMfa }'))).toEqual([
        `${FILE}: environments.prod.mfaPolicy.grant.authenticationStrength: cannot be combined with grant.mfa: Graph rejects a policy that requires both multifactor authentication and an authentication strength (error 1108): keep mfa: true (the manual's choice) or remove it and keep the strength (multifactor is equivalent; phishingResistantMfa is the CISA SCuBA MS.AAD.3.1 target) (line 4)`,
      ]);
    });

    it('fails when the policy would do nothing (no grant control, no session control)', () => {
      expect(problemsOf(withPolicy('grant: { mfa: false }'))).toEqual([
        expect.stringMatching(
          /^test\.yaml: environments\.prod\.mfaPolicy\.grant: grants nothing and controls no session, so the policy would do nothing: set mfa: true, block: true, .* \(line 4\)$/,
        ),
      ]);
    });

    it('refuses the retired "Require approved client app" grant', () => {
      expect(problemsOf(withPolicy('grant: { mfa: true, additionalControls: [approvedApplication] }'))).toEqual([
        expect.stringMatching(
          /grant\.additionalControls\[0\]: "approvedApplication" is not allowed here: Microsoft has retired "Require approved client app"; use compliantApplication/,
        ),
      ]);
    });

    it('fails when switched on without a break-glass exclusion, explaining the risk and the fixes', () => {
      expect(problemsOf(withPolicy('state: on'))).toEqual([
        `${FILE}: environments.prod.mfaPolicy.state: "on" enforces the policy with no emergency-access (break-glass) exclusion, which can lock every admin out of the tenant (Microsoft guidance; Maester MT.1005): ` +
          'add the object ID of a break-glass account to excludeUsers or of their group to excludeGroups, or keep state: reportOnly; ' +
          'if emergency access is guaranteed another way, say how in allowEnforcedWithoutBreakGlassExclusion.reason (line 4)',
      ]);
    });

    it('fails when the override reason is not a written sentence', () => {
      expect(problemsOf(withPolicy('state: on', 'allowEnforcedWithoutBreakGlassExclusion: { reason: fix soon }'))).toEqual([
        expect.stringMatching(
          /^test\.yaml: environments\.prod\.mfaPolicy\.allowEnforcedWithoutBreakGlassExclusion\.reason: must say in a sentence \(at least 20 characters and 4 different words\)/,
        ),
      ]);
    });

    it.each([
      [
        'includeApplications: [office365]',
        'includeApplications[0]',
        '"office365" is not a keyword Graph knows (keywords are case-sensitive): did you mean "Office365"?',
      ],
      ['includeApplications: [MicrosoftAzureManagment]', 'includeApplications[0]', 'did you mean "MicrosoftAzureManagement"?'],
      ['includeUsers: [all]', 'includeUsers[0]', '"all" is not a keyword Graph knows (keywords are case-sensitive): did you mean "All"?'],
      ['includeApplications: [unknownFutureValue]', 'includeApplications[0]', '"unknownFutureValue" is a Graph placeholder that the azuread provider rejects'],
      ['includeUsers: [unknownFutureValue]', 'includeUsers[0]', '"unknownFutureValue" is a Graph placeholder that the azuread provider rejects'],
      ['clientAppTypes: [unknownFutureValue]', 'clientAppTypes[0]', '"unknownFutureValue" is not allowed; allowed: "all", "browser"'],
      [
        'signInRiskLevels: [unknownFutureValue]',
        'signInRiskLevels[0]',
        '"unknownFutureValue" is not allowed; allowed: "low", "medium", "high", "hidden", "none"',
      ],
      ['includePlatforms: [ios]', 'includePlatforms[0]', '"ios" is not allowed; allowed: "all", "android", "iOS"'],
      ['state: enabled', 'state', '"enabled" is not allowed; allowed: "reportOnly", "on", "off"'],
      ['grant: { mfa: true, operator: or }', 'grant.operator', '"or" is not allowed; allowed: "AND", "OR" (did you mean "OR"?)'],
      [
        'grant: { mfa: true, additionalControls: [block] }',
        'grant.additionalControls[0]',
        '"block" is not allowed here: set grant.block: true instead (block goes with no other control)',
      ],
      [
        'grant: { mfa: true, additionalControls: [passwordChange] }',
        'grant.additionalControls[0]',
        '"passwordChange" works only in a user-risk policy: it needs operator: AND, userRiskLevels, includeApplications: [All]',
      ],
      [
        'grant: { authenticationStrength: Phishing-resistant MFA }',
        'grant.authenticationStrength',
        '"Phishing-resistant MFA" is a display name: write phishingResistantMfa',
      ],
      ['grant: { authenticationStrength: phishingResistant }', 'grant.authenticationStrength', 'did you mean "phishingResistantMfa"?'],
    ])('fails on the unknown keyword in %s', (line, path, message) => {
      const [problem, ...rest] = problemsOf(withPolicy(line));
      expect(rest).toEqual([]);
      expect(problem.startsWith(`${FILE}: environments.prod.mfaPolicy.${path}: `)).toBe(true);
      expect(problem).toContain(message);
      expect(problem).toMatch(/ \(line 4\)$/);
    });

    it.each([
      [
        'excludeUsers: [admin@contoso.com]',
        'excludeUsers[0]',
        '"admin@contoso.com" is not a user object ID (a sign-in name is not an ID): expected a UUID such as 00000000-0000-0000-0000-000000000000',
      ],
      ['excludeGroups: [Break-glass accounts]', 'excludeGroups[0]', '"Break-glass accounts" is not a group object ID'],
      ['includeRoles: [Global Administrator]', 'includeRoles[0]', '"Global Administrator" is not a directory role template ID'],
      ['group: { existingObjectId: MFA-Test-Group }', 'group.existingObjectId', '"MFA-Test-Group" is not a group object ID'],
      ['group: { create: { members: [1234] } }', 'group.create.members[0]', 'must be a string, got number 1234'],
      ['group: { create: { owners: [me] } }', 'group.create.owners[0]', '"me" is not the object ID of a user or service principal'],
      [
        'includeApplications: [797f4846-ba00-4fd7-ba43]',
        'includeApplications[0]',
        '"797f4846-ba00-4fd7-ba43" is not a client (application) ID or keyword: expected a UUID such as 797f4846-ba00-4fd7-ba43-dac1f8f63013',
      ],
      [
        'grant: { authenticationStrength: /policies/authenticationStrengthPolicies/not-a-uuid }',
        'grant.authenticationStrength',
        '"/policies/authenticationStrengthPolicies/not-a-uuid" does not end in a UUID ("not-a-uuid"): a custom authentication strength ID is /policies/authenticationStrengthPolicies/<uuid>',
      ],
      [
        'grant: { authenticationStrength: 5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d }',
        'grant.authenticationStrength',
        '"5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" lacks the prefix: write /policies/authenticationStrengthPolicies/5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      ],
    ])('fails on the bad ID in %s', (line, path, message) => {
      const problems = problemsOf(withPolicy(line));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`${FILE}: environments.prod.mfaPolicy.${path}: ${message}`);
    });

    it.each([
      ['group: {}', 'group', 'sets neither create nor existingObjectId'],
      [`group: { create: {}, existingObjectId: ${EXISTING_GROUP} }`, 'group', 'sets both create and existingObjectId'],
      [
        'signInFrequency: { value: 24, unit: hours }',
        'signInFrequency',
        '24 hours is out of range: use a whole number of hours from 1 to 23 (or days for longer periods)',
      ],
      ['signInFrequency: { value: 400, unit: days }', 'signInFrequency', '400 days is out of range'],
      [
        'signInFrequency: weekly',
        'signInFrequency',
        'must be everyTime, or a mapping { value: N, unit: hours | days } (1-23 hours or 1-365 days); got "weekly"',
      ],
      ['excludePlatforms: [linux]', 'excludePlatforms', 'needs includePlatforms as well'],
      [`includeUsers: [All, ${BREAK_GLASS}]`, 'includeUsers[0]', '"All" must be the only entry of includeUsers'],
      ['excludeUsers: [All]', 'excludeUsers[0]', 'excluding "All" users leaves the policy nobody to apply to'],
      ['includeApplications: [All, Office365]', 'includeApplications[0]', '"All" must be the only entry of includeApplications'],
      ['includeApplications: []', 'includeApplications', 'must list at least one application'],
      ['excludeApplications: [All]', 'excludeApplications[0]', '"All" cannot be excluded'],
      ['clientAppTypes: [all, browser]', 'clientAppTypes[0]', '"all" must be the only entry of clientAppTypes'],
      ['clientAppTypes: []', 'clientAppTypes', 'must list at least one client app type'],
      [
        `group: { existingObjectId: ${EXISTING_GROUP} }\n      excludeGroups: [${EXISTING_GROUP}]`,
        'excludeGroups[0]',
        `"${EXISTING_GROUP}" is also included (the target group); exclusion wins`,
      ],
      ['displayName: ""', 'displayName', 'must not be empty'],
      [`includeUsers: [None]\n      includeRoles: [${EXISTING_GROUP}]`, 'includeUsers[0]', '"None" is the whole user selection'],
    ])('fails on the inconsistent setting %s', (line, path, message) => {
      const problems = problemsOf(withPolicy(line));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`${FILE}: environments.prod.mfaPolicy.${path}: ${message}`);
    });

    it('fails on an unknown key with a suggestion and the allowed keys', () => {
      expect(problemsOf(withPolicy('excludedUsers: []'))[0]).toMatch(
        /^test\.yaml: environments\.prod\.mfaPolicy\.excludedUsers: unknown key "excludedUsers" \(did you mean "excludeUsers"\?\); allowed here: displayName, state, group, /,
      );
    });

    it('reports every problem of the section at once', () => {
      expect(problemsOf(withPolicy('state: enforced', 'includeApplications: [Microsoft Azure Management]', 'includeGroups: [pilot]'))).toHaveLength(3);
    });
  });

  describe('on the command line', () => {
    it('fails with one line per problem, exit 1, no stack trace and nothing written', () => {
      // Given a config that enforces the policy without exclusion, when synthesized, then nothing is written.
      const dir = workdir({ 'bad.yaml': withPolicy('state: on', 'includeApplications: [Microsoft Azure Management]') });
      const before = snapshotTree(dir);
      const r = runSynth(dir, ['--config', 'bad.yaml']);
      expect(r.status).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const lines = r.stderr.trim().split('\n');
      // Every problem at once, in the order of the file: the cross-field break-glass rule's and the field's.
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(
        /^bad\.yaml:4:\d+: error: environments\.prod\.mfaPolicy\.state: "on" enforces the policy with no emergency-access \(break-glass\) exclusion/,
      );
      expect(lines[1]).toMatch(
        /^bad\.yaml:5:\d+: error: environments\.prod\.mfaPolicy\.includeApplications\[0\]: "Microsoft Azure Management" is a display name; /,
      );
      expect(lines[2]).toBe('bad.yaml: 2 problem(s); nothing was written.');
      expect(snapshotTree(dir)).toEqual(before);
    });

    it('reports the break-glass rule on its own too', () => {
      const dir = workdir({ 'bad.yaml': withPolicy('state: on') });
      const r = runSynth(dir, ['--config', 'bad.yaml']);
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(
        /^bad\.yaml:\d+:\d+: error: environments\.prod\.mfaPolicy\.state: "on" enforces the policy with no emergency-access \(break-glass\) exclusion/,
      );
      expect(snapshotTree(dir)).toEqual({ 'bad.yaml': expect.any(String) });
    });
  });
});
