import { Fn, TerraformOutput, Testing, TerraformStack } from 'cdktf';
import {
  ConditionalAccessPolicy,
  type ConditionalAccessPolicyProps as MfaConditionalAccessPolicyProps,
} from '../lib/conditional-access/conditional-access-policy';
import { SecurityGroup } from '../lib/conditional-access/security-group';
import {
  ADDITIONAL_GRANT_CONTROLS,
  BUILT_IN_AUTHENTICATION_STRENGTHS,
  CLIENT_APP_TYPES,
  DEVICE_PLATFORMS,
  RISK_LEVELS,
} from '../lib/model/conditional-access-values';

// The props take the portal's words as plain values (the config file's keys and values).
const CloudApplication = {
  MICROSOFT_AZURE_MANAGEMENT: 'MicrosoftAzureManagement',
  ALL: 'All',
  OFFICE_365: 'Office365',
  MICROSOFT_ADMIN_PORTALS: 'MicrosoftAdminPortals',
  fromClientId: (id: string) => id,
} as const;
const AuthenticationStrength = {
  MULTIFACTOR: 'multifactor',
  PASSWORDLESS_MFA: 'passwordlessMfa',
  PHISHING_RESISTANT_MFA: 'phishingResistantMfa',
  fromPolicyId: (id: string) => id,
} as const;
const SignInFrequency = {
  hours: (value: number) => ({ value, unit: 'hours' as const }),
  days: (value: number) => ({ value, unit: 'days' as const }),
  everyTime: () => 'everyTime' as const,
};
import { addressOf, onlyResource, resourcesOf, synthStack, type TfJson } from '../test-support/synth';

const AZURE_MANAGEMENT = '797f4846-ba00-4fd7-ba43-dac1f8f63013';
const BREAK_GLASS = '6b1d6a6e-2f0e-4a5c-9a57-0c1f3c0b7a11';
const BREAK_GLASS_GROUP = '0a5e1b7c-3d4f-4e6a-8b9c-1d2e3f4a5b6c';
const EXISTING_GROUP = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const GLOBAL_ADMIN_ROLE = '62e90394-69f5-4237-9190-012177145e10';
const GROUP_REF = '${azuread_group.mfa-policy_group_';

/**
 * Paths of every empty list or block inside `value`: in an azuread resource they cause perpetual
 * plan diffs (e.g. `built_in_controls = []`, provider issue #1150), so nothing unset may be emitted.
 */
function emptyValuesIn(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [path || '(root)'];
    return value.flatMap((v, i) => emptyValuesIn(v, `${path}[${i}]`));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [path || '(root)'];
    return entries.flatMap(([k, v]) => emptyValuesIn(v, path ? `${path}.${k}` : k));
  }
  return [];
}

function synthPolicy(props: MfaConditionalAccessPolicyProps = {}): TfJson {
  return synthStack((stack) => {
    new ConditionalAccessPolicy(stack, 'mfa-policy', props);
  });
}

function policyOf(json: TfJson): Record<string, any> {
  return onlyResource(json, 'azuread_conditional_access_policy') as Record<string, any>;
}

/** The error message a construct throws for these props. */
function errorOf(props: MfaConditionalAccessPolicyProps): string {
  const stack = new TerraformStack(Testing.app(), 'test');
  try {
    new ConditionalAccessPolicy(stack, 'mfa-policy', props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the construct to throw');
}

describe('ConditionalAccessPolicy', () => {
  describe('minimal definition', () => {
    // Given no props, when synthesized, then it is the manual's policy, in report-only.
    const json = synthPolicy();
    const policy = policyOf(json);

    it('declares the policy at a stable address named by the construct id', () => {
      expect(addressOf(json, 'azuread_conditional_access_policy')).toBe('azuread_conditional_access_policy.mfa-policy');
    });

    it('is named "MFA Pilot" and starts in report-only', () => {
      expect(policy.display_name).toBe('MFA Pilot');
      expect(policy.state).toBe('enabledForReportingButNotEnforced');
    });

    it('targets Microsoft Azure Management by client ID, for all client apps', () => {
      expect(policy.conditions.applications).toEqual({ included_applications: [AZURE_MANAGEMENT] });
      expect(policy.conditions.client_app_types).toEqual(['all']);
    });

    it('creates the group "MFA-Test-Group" as a plain security group and includes only it', () => {
      const group = onlyResource(json, 'azuread_group');
      expect(group).toEqual({
        display_name: 'MFA-Test-Group',
        security_enabled: true,
        mail_enabled: false,
        prevent_duplicate_names: true,
      });
      expect(policy.conditions.users).toEqual({ included_groups: [expect.stringMatching(/^\$\{azuread_group\.mfa-policy_group_[0-9A-F]{8}\.object_id\}$/)] });
    });

    it('grants access only with "Require multifactor authentication"', () => {
      expect(policy.grant_controls).toEqual({ operator: 'OR', built_in_controls: ['mfa'] });
    });

    it('declares no session controls and no other conditions', () => {
      expect(policy.session_controls).toBeUndefined();
      expect(Object.keys(policy.conditions).sort()).toEqual(['applications', 'client_app_types', 'users']);
    });

    it('emits no empty list or block', () => {
      expect(emptyValuesIn(json.resource)).toEqual([]);
    });

    it('matches the recorded output (tripwire)', () => {
      expect(json.resource).toMatchSnapshot();
    });
  });

  describe('state', () => {
    it.each([
      ['reportOnly', 'enabledForReportingButNotEnforced'],
      ['on', 'enabled'],
      ['off', 'disabled'],
    ] as const)('maps %s to the provider value %s', (state, expected) => {
      // Given the state word, when synthesized (with a break-glass exclusion), then the provider value is emitted.
      expect(policyOf(synthPolicy({ state, excludeUsers: [BREAK_GLASS] })).state).toBe(expected);
    });

    it('exposes the declared state word', () => {
      const stack = new TerraformStack(Testing.app(), 'test');
      expect(new ConditionalAccessPolicy(stack, 'p', { state: 'off' }).state).toBe('off');
    });
  });

  describe('who', () => {
    /** An object ID read at plan time: a reference to the data source that reads it. */
    const read = (kind: 'user' | 'group', id: string) => expect.stringMatching(new RegExp(`^\\$\\{data\\.azuread_${kind}\\.[^.]*${id}[^.]*\\.object_id\\}$`));

    it('reads every user and group given by object ID at plan time, so a wrong ID fails the plan', () => {
      const json = synthPolicy({ excludeUsers: [BREAK_GLASS], includeGroups: [EXISTING_GROUP] });
      expect(resourcesOf(json as never, 'azuread_user')).toEqual([]);
      expect(Object.values(json.data?.azuread_user ?? {})).toEqual([{ object_id: BREAK_GLASS }]);
      expect(Object.values(json.data?.azuread_group ?? {})).toEqual([{ object_id: EXISTING_GROUP }]);
    });

    it('writes placeholders and keywords as they are, without a lookup', () => {
      const json = synthPolicy({ includeUsers: ['GuestsOrExternalUsers'], excludeUsers: ['00000000-0000-0000-0000-00000000b001'] });
      expect(json.data).toBeUndefined();
      expect(policyOf(json).conditions.users.excluded_users).toEqual(['00000000-0000-0000-0000-00000000b001']);
    });

    it('uses a given group instead of creating one', () => {
      // Given an existing group, when synthesized, then no group is declared and its ID is included.
      const json = synthStack((stack) => {
        new ConditionalAccessPolicy(stack, 'mfa-policy', { group: { existingObjectId: SecurityGroup.fromGroupObjectId(EXISTING_GROUP).groupObjectId } });
      });
      expect(resourcesOf(json, 'azuread_group')).toEqual([]);
      expect(policyOf(json).conditions.users.included_groups).toEqual([read('group', EXISTING_GROUP)]);
    });

    it('includes and excludes users, groups and roles as given, the target group first', () => {
      const policy = policyOf(
        synthPolicy({
          // With roles included, the manual's group is declared only when asked for.
          group: { create: {} },
          includeUsers: ['GuestsOrExternalUsers'],
          excludeUsers: [BREAK_GLASS],
          includeGroups: [EXISTING_GROUP],
          excludeGroups: [BREAK_GLASS_GROUP],
          includeRoles: [GLOBAL_ADMIN_ROLE],
          excludeRoles: ['9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3'],
        }),
      );
      expect(policy.conditions.users).toEqual({
        included_groups: [expect.stringContaining(GROUP_REF), read('group', EXISTING_GROUP)],
        included_users: ['GuestsOrExternalUsers'],
        included_roles: [GLOBAL_ADMIN_ROLE],
        excluded_users: [read('user', BREAK_GLASS)],
        excluded_groups: [read('group', BREAK_GLASS_GROUP)],
        excluded_roles: ['9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3'],
      });
    });

    it('adds guests and external users to the group', () => {
      expect(policyOf(synthPolicy({ includeUsers: ['GuestsOrExternalUsers'] })).conditions.users).toEqual({
        included_groups: [expect.stringContaining(GROUP_REF)],
        included_users: ['GuestsOrExternalUsers'],
      });
    });

    it.each(['All', 'None'])('lets %s stand for the whole selection, as the portal does, without the group', (keyword) => {
      expect(policyOf(synthPolicy({ includeUsers: [keyword], excludeUsers: [BREAK_GLASS] })).conditions.users).toEqual({
        included_users: [keyword],
        excluded_users: [read('user', BREAK_GLASS)],
      });
    });

    it('fails when All is combined with further groups', () => {
      expect(errorOf({ includeUsers: ['All'], includeGroups: [EXISTING_GROUP] })).toContain(
        'includeUsers[0]: "All" is the whole user selection (the target group is then not included either): remove includeGroups and includeRoles, or the keyword',
      );
    });
  });

  describe('what', () => {
    it.each([
      ['MICROSOFT_AZURE_MANAGEMENT', CloudApplication.MICROSOFT_AZURE_MANAGEMENT, AZURE_MANAGEMENT],
      ['ALL', CloudApplication.ALL, 'All'],
      ['OFFICE_365', CloudApplication.OFFICE_365, 'Office365'],
      ['MICROSOFT_ADMIN_PORTALS', CloudApplication.MICROSOFT_ADMIN_PORTALS, 'MicrosoftAdminPortals'],
      ['fromClientId', CloudApplication.fromClientId('00000003-0000-0000-c000-000000000000'), '00000003-0000-0000-c000-000000000000'],
    ])('targets CloudApplication.%s as %s', (_name, app, expected) => {
      expect(policyOf(synthPolicy({ includeApplications: [app] })).conditions.applications.included_applications).toEqual([expected]);
    });

    it('excludes applications by client ID or keyword', () => {
      const apps = policyOf(
        synthPolicy({
          includeApplications: [CloudApplication.ALL],
          excludeApplications: [CloudApplication.MICROSOFT_AZURE_MANAGEMENT, CloudApplication.OFFICE_365],
        }),
      ).conditions.applications;
      expect(apps).toEqual({ included_applications: ['All'], excluded_applications: [AZURE_MANAGEMENT, 'Office365'] });
    });

    it.each(CLIENT_APP_TYPES)('accepts the client app type %s', (type) => {
      expect(policyOf(synthPolicy({ clientAppTypes: [type] })).conditions.client_app_types).toEqual([type]);
    });

    it.each(RISK_LEVELS)('accepts the risk level %s for sign-in and user risk', (level) => {
      const conditions = policyOf(synthPolicy({ signInRiskLevels: [level], userRiskLevels: [level] })).conditions;
      expect(conditions.sign_in_risk_levels).toEqual([level]);
      expect(conditions.user_risk_levels).toEqual([level]);
    });

    it.each(DEVICE_PLATFORMS)('accepts the device platform %s', (platform) => {
      expect(policyOf(synthPolicy({ includePlatforms: [platform] })).conditions.platforms).toEqual({ included_platforms: [platform] });
    });

    it('excludes platforms from the included ones', () => {
      expect(policyOf(synthPolicy({ includePlatforms: ['all'], excludePlatforms: ['linux'] })).conditions.platforms).toEqual({
        included_platforms: ['all'],
        excluded_platforms: ['linux'],
      });
    });
  });

  describe('grant', () => {
    it.each([
      ['MULTIFACTOR', AuthenticationStrength.MULTIFACTOR, BUILT_IN_AUTHENTICATION_STRENGTHS.multifactor.policyId],
      ['PASSWORDLESS_MFA', AuthenticationStrength.PASSWORDLESS_MFA, BUILT_IN_AUTHENTICATION_STRENGTHS.passwordlessMfa.policyId],
      ['PHISHING_RESISTANT_MFA', AuthenticationStrength.PHISHING_RESISTANT_MFA, BUILT_IN_AUTHENTICATION_STRENGTHS.phishingResistantMfa.policyId],
      [
        'fromPolicyId',
        AuthenticationStrength.fromPolicyId('/policies/authenticationStrengthPolicies/5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'),
        '/policies/authenticationStrengthPolicies/5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      ],
    ])('requires the authentication strength %s without any built-in control', (_name, strength, id) => {
      // Given a strength, when synthesized, then built_in_controls is absent (not empty).
      expect(policyOf(synthPolicy({ grant: { authenticationStrength: strength } })).grant_controls).toEqual({
        operator: 'OR',
        authentication_strength_policy_id: id,
      });
    });

    it('uses the built-in strengths Microsoft publishes', () => {
      expect(BUILT_IN_AUTHENTICATION_STRENGTHS).toEqual({
        multifactor: { policyId: '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000002', displayName: 'Multifactor authentication' },
        passwordlessMfa: { policyId: '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000003', displayName: 'Passwordless MFA' },
        phishingResistantMfa: {
          policyId: '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004',
          displayName: 'Phishing-resistant MFA',
        },
      });
    });

    it.each(ADDITIONAL_GRANT_CONTROLS)('adds the control %s to MFA with the chosen operator', (control) => {
      // "Require password change" only works in a user-risk policy for all resources.
      const userRisk = control === 'passwordChange' ? ({ userRiskLevels: ['high'], includeApplications: ['All'] } as const) : {};
      expect(policyOf(synthPolicy({ ...userRisk, grant: { mfa: true, additionalControls: [control], operator: 'AND' } })).grant_controls).toEqual({
        operator: 'AND',
        built_in_controls: ['mfa', control],
      });
    });

    it('combines a strength with another control', () => {
      expect(
        policyOf(synthPolicy({ grant: { authenticationStrength: AuthenticationStrength.MULTIFACTOR, additionalControls: ['compliantDevice'] } }))
          .grant_controls,
      ).toEqual({
        operator: 'OR',
        built_in_controls: ['compliantDevice'],
        authentication_strength_policy_id: BUILT_IN_AUTHENTICATION_STRENGTHS.multifactor.policyId,
      });
    });
  });

  describe('sign-in frequency', () => {
    it.each([
      [
        'hours',
        SignInFrequency.hours(8),
        {
          sign_in_frequency: 8,
          sign_in_frequency_period: 'hours',
          sign_in_frequency_interval: 'timeBased',
          sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication',
        },
      ],
      [
        'days',
        SignInFrequency.days(7),
        {
          sign_in_frequency: 7,
          sign_in_frequency_period: 'days',
          sign_in_frequency_interval: 'timeBased',
          sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication',
        },
      ],
      [
        'every time',
        SignInFrequency.everyTime(),
        { sign_in_frequency_interval: 'everyTime', sign_in_frequency_authentication_type: 'primaryAndSecondaryAuthentication' },
      ],
    ])('emits the settings of %s, with the interval and authentication type the provider would otherwise keep from state', (_name, frequency, expected) => {
      expect(policyOf(synthPolicy({ signInFrequency: frequency })).session_controls).toEqual(expected);
    });
  });

  describe('attributes', () => {
    it('exposes the policy ID and the group object ID as references', () => {
      // Given outputs of the attributes, when synthesized, then they reference the resources' object IDs.
      const json = synthStack((stack) => {
        const policy = new ConditionalAccessPolicy(stack, 'mfa-policy', {});
        new TerraformOutput(stack, 'policy', { value: policy.policyId });
        new TerraformOutput(stack, 'group', { value: policy.groupObjectId });
      });
      expect(json.output?.policy.value).toBe('${azuread_conditional_access_policy.mfa-policy.object_id}');
      expect(json.output?.group.value).toMatch(/^\$\{azuread_group\.mfa-policy_group_[0-9A-F]{8}\.object_id\}$/);
    });
  });

  describe('a fully configured policy', () => {
    it('emits no empty list or block', () => {
      // Given every optional setting, when synthesized, then nothing empty appears.
      const json = synthPolicy({
        state: 'on',
        includeUsers: ['GuestsOrExternalUsers'],
        excludeUsers: [BREAK_GLASS],
        excludeGroups: [BREAK_GLASS_GROUP],
        includeRoles: [GLOBAL_ADMIN_ROLE],
        includeApplications: [CloudApplication.ALL],
        excludeApplications: [CloudApplication.OFFICE_365],
        clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'],
        signInRiskLevels: ['high'],
        includePlatforms: ['all'],
        excludePlatforms: ['iOS'],
        grant: { authenticationStrength: AuthenticationStrength.PHISHING_RESISTANT_MFA },
        signInFrequency: SignInFrequency.hours(4),
      });
      expect(emptyValuesIn(json.resource)).toEqual([]);
    });
  });

  describe('validation', () => {
    it('fails when enforced without a break-glass exclusion', () => {
      expect(errorOf({ state: 'on' })).toBe(
        'ConditionalAccessPolicy (test/mfa-policy) has 1 invalid setting(s):\n' +
          '  state: "on" enforces the policy with no emergency-access (break-glass) exclusion, which can lock every admin out of the tenant (Microsoft guidance; Maester MT.1005): ' +
          'add the object ID of a break-glass account to excludeUsers or of their group to excludeGroups, or keep state: reportOnly; ' +
          'if emergency access is guaranteed another way, say how in allowEnforcedWithoutBreakGlassExclusion.reason',
      );
    });

    it('fails when the only exclusion is a placeholder', () => {
      expect(errorOf({ state: 'on', excludeUsers: ['00000000-0000-0000-0000-00000000b001'] })).toContain(
        'excludeUsers[0]: 00000000-0000-0000-0000-00000000b001 is a placeholder, not an emergency-access account',
      );
    });

    it('accepts an enforced policy whose exclusion is a group', () => {
      expect(policyOf(synthPolicy({ state: 'on', excludeGroups: [BREAK_GLASS_GROUP] })).state).toBe('enabled');
    });

    it('accepts an enforced policy whose exclusion is only known at deploy time', () => {
      // Given a token (e.g. another resource's object ID), when validated, then it counts as an exclusion.
      const policy = policyOf(synthPolicy({ state: 'on', excludeGroups: [Fn.lower('${var.break_glass_group}')] }));
      expect(policy.conditions.users.excluded_groups).toHaveLength(1);
    });

    it('accepts an enforced policy without exclusion when a written reason is given', () => {
      const reason = 'Break-glass accounts are excluded by tenant policy CA000, owned by the identity team';
      expect(policyOf(synthPolicy({ state: 'on', allowEnforcedWithoutBreakGlassExclusion: { reason } })).state).toBe('enabled');
    });

    it('fails when the written reason is not a sentence', () => {
      expect(errorOf({ state: 'on', allowEnforcedWithoutBreakGlassExclusion: { reason: 'ok' } })).toContain(
        'allowEnforcedWithoutBreakGlassExclusion.reason: must say in a sentence',
      );
    });

    it('fails when MFA and an authentication strength are both required (Graph error 1108)', () => {
      const props = { grant: { mfa: true, authenticationStrength: AuthenticationStrength.MULTIFACTOR } } as unknown as MfaConditionalAccessPolicyProps;
      expect(errorOf(props)).toContain('grant.authenticationStrength: cannot be combined with grant.mfa: Graph rejects');
    });

    it('fails when an application is given by display name, naming the client ID to use', () => {
      expect(errorOf({ includeApplications: [CloudApplication.fromClientId('Microsoft Azure Management')] })).toContain(
        `includeApplications[0]: "Microsoft Azure Management" is a display name; Graph accepts only client (application) IDs and keywords here: use ${AZURE_MANAGEMENT} (or the alias MicrosoftAzureManagement)`,
      );
    });

    it('fails on a malformed custom authentication strength ID', () => {
      expect(errorOf({ grant: { authenticationStrength: AuthenticationStrength.fromPolicyId('/policies/authenticationStrengthPolicies/abc') } })).toContain(
        'grant.authenticationStrength: "/policies/authenticationStrengthPolicies/abc" does not end in a UUID',
      );
    });

    it('fails on values outside the provider lists, including unknownFutureValue', () => {
      const props = {
        clientAppTypes: ['unknownFutureValue'],
        includePlatforms: ['ios'],
        grant: { mfa: true, additionalControls: ['block'] },
      } as unknown as MfaConditionalAccessPolicyProps;
      const message = errorOf(props);
      expect(message).toContain('clientAppTypes[0]: "unknownFutureValue" is a Graph placeholder that the azuread provider rejects');
      expect(message).toContain(
        'includePlatforms[0]: "ios" is not allowed; allowed: "all", "android", "iOS", "linux", "macOS", "windows", "windowsPhone" (did you mean "iOS"?)',
      );
      expect(message).toContain('grant.additionalControls[0]: "block" is not allowed here: set grant.block: true instead');
    });

    it('fails on IDs that are not UUIDs, reporting every problem at once', () => {
      const message = errorOf({ excludeUsers: ['admin@contoso.com'], includeGroups: ['MFA-Test-Group'], includeRoles: ['Global Administrator'] });
      expect(message).toMatch(/has 3 invalid setting\(s\)/);
      expect(message).toContain('excludeUsers[0]: "admin@contoso.com" is not a user object ID (a sign-in name is not an ID)');
      expect(message).toContain('includeGroups[0]: "MFA-Test-Group" is not a group object ID');
      expect(message).toContain('includeRoles[0]: "Global Administrator" is not a directory role template ID');
    });

    it('fails on an empty list of applications or client app types', () => {
      const message = errorOf({ includeApplications: [], clientAppTypes: [] });
      expect(message).toContain('includeApplications: must list at least one application');
      expect(message).toContain('clientAppTypes: must list at least one client app type');
    });

    it('fails when the target group is also excluded', () => {
      const stack = new TerraformStack(Testing.app(), 'test');
      expect(() => new ConditionalAccessPolicy(stack, 'p', { group: { existingObjectId: EXISTING_GROUP }, excludeGroups: [EXISTING_GROUP] })).toThrow(
        /excludeGroups\[0\]: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" is also included \(the target group\)/,
      );
    });

    it('skips values only known at deploy time', () => {
      expect(() =>
        synthPolicy({ includeGroups: [Fn.lower('${var.group}')], includeApplications: [CloudApplication.fromClientId(Fn.lower('${var.app}'))] }),
      ).not.toThrow();
    });
  });
});

describe('SecurityGroup', () => {
  it('declares members, owners, description and role assignability only when set', () => {
    // Given every setting, when synthesized, then each is emitted.
    const member = '8c1e4a2b-7f3d-4c5e-9a1b-2c3d4e5f6a7b';
    const owner = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
    const json = synthStack((stack) => {
      new SecurityGroup(stack, 'mfa-group', {
        displayName: 'Pilot',
        description: 'MFA pilot users',
        members: [member],
        owners: [owner],
        assignableToRole: true,
      });
    });
    expect(addressOf(json, 'azuread_group')).toBe('azuread_group.mfa-group');
    expect(onlyResource(json, 'azuread_group')).toMatchObject({
      display_name: 'Pilot',
      description: 'MFA pilot users',
      members: [member],
      owners: [owner],
      assignable_to_role: true,
      security_enabled: true,
      mail_enabled: false,
      prevent_duplicate_names: true,
    });
  });

  it('treats empty member and owner lists as unset', () => {
    const group = onlyResource(
      synthStack((stack) => new SecurityGroup(stack, 'g', { displayName: 'x', members: [], owners: [] })),
      'azuread_group',
    );
    expect(group.members).toBeUndefined();
    expect(group.owners).toBeUndefined();
  });

  it('fails when a member is not an object ID', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => new SecurityGroup(stack, 'g', { displayName: 'x', members: ['alice'] })).toThrow(
      /SecurityGroup \(test\/g\) has 1 invalid setting\(s\):\n {2}members\[0\]: "alice" is not the object ID of a user, group, device or service principal/,
    );
  });

  it('fails when an existing group is named by something other than its object ID', () => {
    expect(() => SecurityGroup.fromGroupObjectId('MFA-Test-Group')).toThrow(/groupObjectId: "MFA-Test-Group" is not a group object ID/);
  });
});
