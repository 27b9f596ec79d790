// Hand-written inspection entities for the pure tests of guardrail rules and review words, in the
// shapes lib/inspection builds them.
import type { InspectedPermission, InspectedPolicy } from '../lib/inspection/inspection';
import { tfString, type TfString } from '../lib/inspection/values';
import { KnownApi } from '../lib/permissions/catalogue';

export const t = (v: string): TfString => tfString(v);

/** A policy's fields as a test changes them, before they become an inspected policy. */
export interface FlatPolicy {
  displayName: string;
  state: string;
  includedUsers: string[];
  excludedUsers: string[];
  includedGroups: string[];
  excludedGroups: string[];
  includedRoles: string[];
  excludedRoles: string[];
  includedApplications: string[];
  excludedApplications: string[];
  clientAppTypes: string[];
  builtInControls: string[];
  authenticationStrengthPolicyId?: string;
  operator: string;
  signInFrequency?: number;
  signInFrequencyPeriod?: string;
  signInFrequencyInterval?: string;
}

export const BREAK_GLASS = '6f1c2f0e-4a8e-4a47-9a51-2b1f3c6d7e80';
export const AZURE_MANAGEMENT = '797f4846-ba00-4fd7-ba43-dac1f8f63013';

/** The manual's policy (enforced, one break-glass exclusion), changed by `o`. */
export function inspectedPolicy(o: Partial<FlatPolicy> = {}): InspectedPolicy {
  const f: FlatPolicy = {
    displayName: 'MFA Pilot',
    state: 'enabled',
    includedUsers: [],
    excludedUsers: [BREAK_GLASS],
    includedGroups: ['${azuread_group.mfa-group.object_id}'],
    excludedGroups: [],
    includedRoles: [],
    excludedRoles: [],
    includedApplications: [AZURE_MANAGEMENT],
    excludedApplications: [],
    clientAppTypes: ['all'],
    builtInControls: ['mfa'],
    operator: 'OR',
    ...o,
  };
  const l = (xs: string[]) => xs.map(t);
  const session = f.signInFrequency !== undefined || f.signInFrequencyInterval !== undefined;
  return {
    kind: 'conditionalAccessPolicy',
    address: 'azuread_conditional_access_policy.mfa-policy',
    path: 'prod/mfa-policy/Default',
    owner: 'prod/mfa-policy',
    meta: { ignoreChanges: [], replaceTriggeredBy: [], dependsOn: [] },
    displayName: t(f.displayName),
    state: t(f.state),
    conditions: {
      clientAppTypes: l(f.clientAppTypes),
      applications: { includedApplications: l(f.includedApplications), excludedApplications: l(f.excludedApplications), includedUserActions: [] },
      users: {
        includedUsers: l(f.includedUsers),
        excludedUsers: l(f.excludedUsers),
        includedGroups: l(f.includedGroups),
        excludedGroups: l(f.excludedGroups),
        includedRoles: l(f.includedRoles),
        excludedRoles: l(f.excludedRoles),
        includedGuestsOrExternalUsers: [],
        excludedGuestsOrExternalUsers: [],
      },
      signInRiskLevels: [],
      userRiskLevels: [],
      servicePrincipalRiskLevels: [],
      authenticationFlowTransferMethods: [],
    },
    grantControls: {
      operator: t(f.operator),
      builtInControls: l(f.builtInControls),
      ...(f.authenticationStrengthPolicyId !== undefined ? { authenticationStrengthPolicyId: t(f.authenticationStrengthPolicyId) } : {}),
      customAuthenticationFactors: [],
      termsOfUse: [],
    },
    ...(session
      ? {
          sessionControls: {
            ...(f.signInFrequency !== undefined ? { signInFrequency: f.signInFrequency } : {}),
            ...(f.signInFrequencyPeriod !== undefined ? { signInFrequencyPeriod: f.signInFrequencyPeriod } : {}),
            ...(f.signInFrequencyInterval !== undefined ? { signInFrequencyInterval: f.signInFrequencyInterval } : {}),
          },
        }
      : {}),
  };
}

/** A Microsoft Graph permission as a construct declares it, changed by `extra`. */
export function inspectedPermission(
  name: string | undefined,
  type: InspectedPermission['type'] = 'delegated',
  extra: Partial<InspectedPermission> = {},
): InspectedPermission {
  return {
    resourceAppId: KnownApi.MicrosoftGraph.resourceAppId,
    api: 'MicrosoftGraph',
    type,
    ...(name !== undefined ? { name } : {}),
    id: '00000000-1111-2222-3333-444444444444',
    namedBy: 'declaration',
    ...extra,
  };
}
