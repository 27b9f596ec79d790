import {
  applicationListProblems,
  authenticationStrengthProblem,
  resolveApplication,
  resolveAuthenticationStrength,
  signInFrequencyProblem,
  userListProblems,
} from '../lib/model/conditional-access-lists';
import {
  breakGlassProblems,
  grantProblems,
  conditionalAccessPolicyProblems,
  waiverReasonProblem as overrideReasonProblem,
  type ConditionalAccessPolicyProps,
} from '../lib/model/conditional-access-policy';
import {
  BUILT_IN_CONTROLS,
  CLIENT_APP_TYPES,
  DEVICE_PLATFORMS,
  POLICY_STATES,
  PROVIDER_POLICY_STATE,
  RISK_LEVELS,
  UNKNOWN_FUTURE_VALUE,
} from '../lib/model/conditional-access-values';
import { isPlaceholderId, objectIdProblem } from '../lib/model/ids';

const BREAK_GLASS = '6b1d6a6e-2f0e-4a5c-9a57-0c1f3c0b7a11';
const PLACEHOLDER = '00000000-0000-0000-0000-00000000b001';
const TOKEN = '${TfToken[TOKEN.1]}';
const isToken = (v: unknown) => v === TOKEN;

/** The props of the manual's policy (every default written out), changed by `over`. */
function input(over: Partial<ConditionalAccessPolicyProps> = {}): ConditionalAccessPolicyProps {
  return {
    displayName: 'MFA Pilot',
    state: 'reportOnly',
    includeUsers: [],
    excludeUsers: [],
    includeGroups: [],
    excludeGroups: [],
    includeRoles: [],
    excludeRoles: [],
    includeApplications: ['MicrosoftAzureManagement'],
    excludeApplications: [],
    clientAppTypes: ['all'],
    signInRiskLevels: [],
    userRiskLevels: [],
    includePlatforms: [],
    excludePlatforms: [],
    grant: { mfa: true, additionalControls: [], operator: 'OR' },
    ...over,
  };
}

describe('conditional access values', () => {
  it('are exactly the provider v3.7.0 lists, without unknownFutureValue', () => {
    expect(POLICY_STATES).toEqual(['enabled', 'disabled', 'enabledForReportingButNotEnforced']);
    expect(CLIENT_APP_TYPES).toEqual(['all', 'browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'easSupported', 'other']);
    expect(BUILT_IN_CONTROLS).toEqual([
      'block',
      'mfa',
      'compliantDevice',
      'domainJoinedDevice',
      'approvedApplication',
      'compliantApplication',
      'passwordChange',
    ]);
    expect(RISK_LEVELS).toEqual(['low', 'medium', 'high', 'hidden', 'none']);
    expect(DEVICE_PLATFORMS).toEqual(['all', 'android', 'iOS', 'linux', 'macOS', 'windows', 'windowsPhone']);
    for (const list of [POLICY_STATES, CLIENT_APP_TYPES, BUILT_IN_CONTROLS, RISK_LEVELS, DEVICE_PLATFORMS] as readonly (readonly string[])[]) {
      expect(list).not.toContain(UNKNOWN_FUTURE_VALUE);
    }
  });

  it('map every state word to a provider state', () => {
    expect(PROVIDER_POLICY_STATE).toEqual({ reportOnly: 'enabledForReportingButNotEnforced', on: 'enabled', off: 'disabled' });
  });
});

describe('conditional access rules', () => {
  it('accepts the manual policy with defaults', () => {
    expect(conditionalAccessPolicyProblems(input())).toEqual([]);
  });

  describe('object IDs', () => {
    it('accepts upper- and lower-case UUIDs', () => {
      expect(objectIdProblem(BREAK_GLASS, 'user')).toBeUndefined();
      expect(objectIdProblem(BREAK_GLASS.toUpperCase(), 'group')).toBeUndefined();
    });

    it('fails on a sign-in name, saying it is not an ID', () => {
      expect(objectIdProblem('admin@contoso.com', 'user')).toMatch(
        /^"admin@contoso\.com" is not a user object ID \(a sign-in name is not an ID\): expected a UUID/,
      );
    });

    it('recognises placeholders only in the all-zero form', () => {
      expect(isPlaceholderId(PLACEHOLDER)).toBe(true);
      expect(isPlaceholderId(BREAK_GLASS)).toBe(false);
      expect(isPlaceholderId('00000000-0000-0000-0000-')).toBe(false);
    });
  });

  describe('users', () => {
    it('accepts IDs and the case-sensitive keywords', () => {
      expect(userListProblems([BREAK_GLASS, 'GuestsOrExternalUsers'], 'include')).toEqual([]);
      expect(userListProblems(['All'], 'include')).toEqual([]);
      expect(userListProblems(['None'], 'include')).toEqual([]);
    });

    it('skips values only known at deploy time', () => {
      expect(userListProblems([TOKEN], 'exclude', isToken)).toEqual([]);
    });
  });

  describe('applications', () => {
    it('resolves the alias to the client ID and leaves everything else alone', () => {
      expect(resolveApplication('MicrosoftAzureManagement')).toBe('797f4846-ba00-4fd7-ba43-dac1f8f63013');
      expect(resolveApplication('Office365')).toBe('Office365');
    });

    it('fails on the portal name of the Azure management API too', () => {
      expect(applicationListProblems(['Windows Azure Service Management API'], 'include')).toEqual([
        {
          path: [0],
          message:
            '"Windows Azure Service Management API" is a display name; Graph accepts only client (application) IDs and keywords here: use 797f4846-ba00-4fd7-ba43-dac1f8f63013 (or the alias MicrosoftAzureManagement)',
        },
      ]);
    });

    it('names the keyword for "All cloud apps"', () => {
      expect(applicationListProblems(['All cloud apps'], 'include')[0].message).toContain('use the keyword All');
    });
  });

  describe('authentication strength', () => {
    it.each(['multifactor', 'passwordlessMfa', 'phishingResistantMfa', '/policies/authenticationStrengthPolicies/5A1C2B3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D'])(
      'accepts %s',
      (v) => {
        expect(authenticationStrengthProblem(v)).toBeUndefined();
      },
    );

    it('resolves built-in names to their policy IDs', () => {
      expect(resolveAuthenticationStrength('phishingResistantMfa')).toBe('/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004');
      expect(resolveAuthenticationStrength('/policies/authenticationStrengthPolicies/x')).toBe('/policies/authenticationStrengthPolicies/x');
    });

    it('fails on unknownFutureValue', () => {
      expect(authenticationStrengthProblem(UNKNOWN_FUTURE_VALUE)).toMatch(/^"unknownFutureValue" is a Graph placeholder that the azuread provider rejects/);
    });
  });

  describe('grant', () => {
    it('accepts MFA alone or a strength alone', () => {
      expect(grantProblems({ mfa: true, additionalControls: [], operator: 'OR' })).toEqual([]);
      expect(grantProblems({ authenticationStrength: 'multifactor', additionalControls: [], operator: 'OR' })).toEqual([]);
      expect(grantProblems({ mfa: false, authenticationStrength: 'multifactor', additionalControls: [], operator: 'OR' })).toEqual([]);
    });

    it('fails on both, at the strength', () => {
      expect(grantProblems({ mfa: true, authenticationStrength: 'multifactor', additionalControls: [], operator: 'OR' }).map((p) => p.path)).toEqual([
        ['grant', 'authenticationStrength'],
      ]);
    });
  });

  describe('sign-in frequency', () => {
    it.each([
      [1, 'hours', true],
      [23, 'hours', true],
      [24, 'hours', false],
      [0, 'hours', false],
      [1, 'days', true],
      [365, 'days', true],
      [366, 'days', false],
      [1.5, 'days', false],
    ])('%d %s is accepted: %s', (value, unit, ok) => {
      expect(signInFrequencyProblem(value, unit) === undefined).toBe(ok);
    });
  });

  describe('override reason', () => {
    it('needs a sentence, not a placeholder', () => {
      expect(overrideReasonProblem('TODO')).toBeDefined();
      expect(overrideReasonProblem('xxxxxxxxxxxxxxxxxxxxxxxxx')).toBeDefined();
      expect(overrideReasonProblem('Break-glass accounts are excluded by policy CA000')).toBeUndefined();
    });
  });

  describe('break-glass exclusion', () => {
    it('applies only to an enforced policy', () => {
      expect(breakGlassProblems(input({ state: 'reportOnly' }))).toEqual([]);
      expect(breakGlassProblems(input({ state: 'off' }))).toEqual([]);
      expect(breakGlassProblems(input({ state: 'on' })).map((p) => p.path)).toEqual([['state']]);
    });

    it('does not count a keyword as an exclusion', () => {
      expect(breakGlassProblems(input({ state: 'on', excludeUsers: ['GuestsOrExternalUsers'] })).map((p) => p.path)).toEqual([['state']]);
    });

    it('counts a value only known at deploy time as an exclusion', () => {
      expect(breakGlassProblems(input({ state: 'on', excludeGroups: [TOKEN] }), isToken)).toEqual([]);
    });

    it('fails on a placeholder even beside a real exclusion', () => {
      expect(breakGlassProblems(input({ state: 'on', excludeUsers: [BREAK_GLASS, PLACEHOLDER] })).map((p) => p.path)).toEqual([['excludeUsers', 1]]);
    });

    it('fails on a placeholder even with the override', () => {
      const override = { reason: 'Break-glass accounts are excluded by policy CA000' };
      expect(
        breakGlassProblems(input({ state: 'on', excludeGroups: [PLACEHOLDER], allowEnforcedWithoutBreakGlassExclusion: override })).map((p) => p.path),
      ).toEqual([['excludeGroups', 0]]);
      expect(breakGlassProblems(input({ state: 'on', allowEnforcedWithoutBreakGlassExclusion: override }))).toEqual([]);
    });
  });

  describe('overlaps', () => {
    it('fails on a user both included and excluded', () => {
      expect(conditionalAccessPolicyProblems(input({ includeUsers: [BREAK_GLASS], excludeUsers: [BREAK_GLASS.toUpperCase()] })).map((p) => p.path)).toEqual([
        ['excludeUsers', 0],
      ]);
    });

    it('fails on an application excluded by alias and included by client ID', () => {
      expect(
        conditionalAccessPolicyProblems(
          input({ includeApplications: ['797f4846-ba00-4fd7-ba43-dac1f8f63013'], excludeApplications: ['MicrosoftAzureManagement'] }),
        ).map((p) => p.path),
      ).toEqual([['excludeApplications', 0]]);
    });
  });
});
