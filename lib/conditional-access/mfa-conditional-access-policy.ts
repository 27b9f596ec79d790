import { ConditionalAccessPolicy } from '@cdktf/provider-azuread/lib/conditional-access-policy';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { AuthenticationStrength } from './authentication-strength';
import { CloudApplication } from './cloud-application';
import { formatPolicyProblems, includesAllOrNoUsers, mfaPolicyProblems, resolveApplication, resolveAuthenticationStrength, type MfaPolicyRuleInput } from './rules';
import { SecurityGroup, type ISecurityGroup } from './security-group';
import type { SignInFrequency } from './sign-in-frequency';
import {
  MANUAL_DEFAULTS,
  PROVIDER_POLICY_STATE,
  type AdditionalGrantControl,
  type ClientAppType,
  type DevicePlatform,
  type GrantOperator,
  type PolicyStateWord,
  type RiskLevel,
  type UserKeyword,
} from './values';

/** Settings shared by both ways of requiring MFA. */
export interface MfaGrantOptions {
  /**
   * Other grant controls that may satisfy (operator OR) or must also be met (operator AND).
   *
   * With OR, any one of them lets a user in without MFA (e.g. "MFA or a compliant device").
   * @default - none: MFA alone
   */
  readonly additionalControls?: readonly AdditionalGrantControl[];
  /**
   * How the controls combine: "Require one of the selected controls" (OR) or "Require all the
   * selected controls" (AND). Irrelevant with a single control.
   * @default 'OR' (the portal's default)
   */
  readonly operator?: GrantOperator;
}

/** "Grant access" with "Require multifactor authentication" (the manual's choice). */
export interface MfaGrantWithMfa extends MfaGrantOptions {
  /** "Require multifactor authentication": any MFA method the user has registered. */
  readonly mfa: true;
  /** Not with `mfa` (Graph error 1108). */
  readonly authenticationStrength?: undefined;
}

/** "Grant access" with "Require authentication strength". */
export interface MfaGrantWithStrength extends MfaGrantOptions {
  /** Not with `authenticationStrength` (Graph error 1108). */
  readonly mfa?: false;
  /**
   * Which methods satisfy the policy, e.g. `AuthenticationStrength.PHISHING_RESISTANT_MFA` (the
   * CISA SCuBA MS.AAD.3.1 target).
   */
  readonly authenticationStrength: AuthenticationStrength;
}

/**
 * "Grant access" with "Require multifactor authentication" or with "Require authentication
 * strength": one of the two, never both (Graph error 1108).
 */
export type MfaGrant = MfaGrantWithMfa | MfaGrantWithStrength;

/** The explicit, written decision to enforce a policy that excludes no emergency-access account. */
export interface EnforcedWithoutBreakGlassExclusion {
  /**
   * How emergency access is kept without an exclusion in this policy, in a sentence (at least 20
   * characters). It stays in the code as the record of the decision.
   */
  readonly reason: string;
}

export interface MfaConditionalAccessPolicyProps {
  /**
   * Name of the policy in the Conditional Access list.
   * @default 'MFA Pilot' (the manual's example)
   */
  readonly displayName?: string;
  /**
   * The "Enable policy" switch.
   *
   * Report-only evaluates the policy at every sign-in and records the result in the sign-in logs
   * without enforcing it: Microsoft's guidance is to start every policy so and check the logs
   * before switching it on. `on` requires an emergency-access exclusion (see `excludeUsers`).
   * @default 'reportOnly'
   */
  readonly state?: PolicyStateWord;
  /**
   * The group of users the policy targets (always included).
   *
   * Use a `SecurityGroup`, or `SecurityGroup.fromGroupObjectId()` for an existing group.
   * @default - a new security group "MFA-Test-Group" with the construct id `group` (Terraform address
   * `azuread_group.<policy id>_group_<hash>`); its members are managed in the portal
   */
  readonly group?: ISecurityGroup;
  /**
   * Further users to include, by object ID, or `All`, `None`, `GuestsOrExternalUsers`.
   *
   * `All` and `None` are the whole selection, as in the portal: with them the group is not
   * included, and `includeGroups` / `includeRoles` must be empty.
   * @default - none beyond the group
   */
  readonly includeUsers?: readonly (UserKeyword | (string & {}))[];
  /**
   * Users to exclude by object ID (or `GuestsOrExternalUsers`): the emergency-access (break-glass)
   * accounts, which every policy should exclude (Maester MT.1005).
   *
   * An enforced policy (`state: 'on'`) must exclude at least one real account here or a group in
   * `excludeGroups`, or carry `allowEnforcedWithoutBreakGlassExclusion`; placeholder IDs
   * (00000000-0000-0000-0000-...) do not count.
   * @default - none (allowed only while the policy is not enforced)
   */
  readonly excludeUsers?: readonly (UserKeyword | (string & {}))[];
  /**
   * Further groups to include, by object ID.
   * @default - none beyond the group
   */
  readonly includeGroups?: readonly string[];
  /**
   * Groups to exclude by object ID, typically the group of emergency-access accounts.
   * @default - none
   */
  readonly excludeGroups?: readonly string[];
  /**
   * Directory roles to include, by role template ID (e.g. 62e90394-69f5-4237-9190-012177145e10,
   * Global Administrator).
   * @default - none
   */
  readonly includeRoles?: readonly string[];
  /**
   * Directory roles to exclude, by role template ID.
   * @default - none
   */
  readonly excludeRoles?: readonly string[];
  /**
   * Target resources ("cloud apps"): Graph keywords or client IDs.
   * @default [CloudApplication.MICROSOFT_AZURE_MANAGEMENT] (the manual's "Microsoft Azure Management")
   */
  readonly applications?: readonly CloudApplication[];
  /**
   * Resources to exclude from the targeted ones.
   * @default - none
   */
  readonly excludeApplications?: readonly CloudApplication[];
  /**
   * The "Client apps" condition. The portal hides it until configured, but the provider requires it.
   * @default ['all']
   */
  readonly clientAppTypes?: readonly ClientAppType[];
  /**
   * Apply only to sign-ins at these sign-in risk levels (Entra ID Protection, P2 licence).
   * @default - any sign-in risk
   */
  readonly signInRiskLevels?: readonly RiskLevel[];
  /**
   * Apply only to users at these user risk levels (Entra ID Protection, P2 licence).
   * @default - any user risk
   */
  readonly userRiskLevels?: readonly RiskLevel[];
  /**
   * Apply only on these device platforms.
   * @default - every platform (the condition is not configured)
   */
  readonly includePlatforms?: readonly DevicePlatform[];
  /**
   * Device platforms to leave out; needs `includePlatforms`.
   * @default - none
   */
  readonly excludePlatforms?: readonly DevicePlatform[];
  /**
   * How access is granted.
   * @default { mfa: true, operator: 'OR' } ("Require multifactor authentication")
   */
  readonly grant?: MfaGrant;
  /**
   * The "Sign-in frequency" session control.
   * @default - not configured: Entra ID's rolling 90-day session
   */
  readonly signInFrequency?: SignInFrequency;
  /**
   * Allows `state: 'on'` without any break-glass exclusion.
   *
   * RISK: a policy enforced on every user and admin with no exclusion can lock everyone out of the
   * tenant (a lost phone, an MFA outage). Set it only when emergency access is guaranteed another
   * way, and say how.
   * @default - not allowed
   */
  readonly allowEnforcedWithoutBreakGlassExclusion?: EnforcedWithoutBreakGlassExclusion;
}

/**
 * The conditional access policy of the manual's "Doble autenticación en Azure" section: require
 * MFA of a group of users for chosen resources (by default "Microsoft Azure Management"), starting
 * in report-only.
 *
 * The `azuread_conditional_access_policy` resource is the construct's default child: directly in a
 * stack its Terraform address is `azuread_conditional_access_policy.<id>`, so the id is public API
 * (renaming it deletes and recreates the policy).
 *
 * It covers interactive user sign-ins only: not the sign-ins of service principals (such as the
 * ITSM tool's app-only mail access), which need conditional access for workload identities.
 */
export class MfaConditionalAccessPolicy extends Construct {
  /** The policy's object ID (the GUID shown as "Policy ID" in the portal). */
  public readonly policyId: string;
  /** The group the policy targets. */
  public readonly group: ISecurityGroup;
  /** The object ID of the group the policy targets. */
  public readonly groupObjectId: string;
  /** The "Enable policy" switch as declared. */
  public readonly state: PolicyStateWord;
  /** The `azuread_conditional_access_policy` resource, for settings this construct does not expose. */
  public readonly resource: ConditionalAccessPolicy;
  /** The written waiver for enforcing without a break-glass exclusion, when one was given. */
  public readonly allowEnforcedWithoutBreakGlassExclusion?: EnforcedWithoutBreakGlassExclusion;

  constructor(scope: Construct, id: string, props: MfaConditionalAccessPolicyProps = {}) {
    super(scope, id);
    const input = ruleInput(props);
    const problems = mfaPolicyProblems(input, Token.isUnresolved);
    if (problems.length > 0) throw new Error(formatPolicyProblems(`MfaConditionalAccessPolicy (${this.node.path})`, problems));

    this.state = input.state as PolicyStateWord;
    this.allowEnforcedWithoutBreakGlassExclusion = props.allowEnforcedWithoutBreakGlassExclusion;
    this.group = props.group ?? new SecurityGroup(this, 'group', { displayName: MANUAL_DEFAULTS.groupDisplayName });
    this.groupObjectId = this.group.groupObjectId;

    const { grant } = input;
    const builtIn = [...(grant.mfa === true ? ['mfa'] : []), ...grant.additionalControls];
    const sif = props.signInFrequency?.frequency;

    // Emit only what is set: empty lists and blocks cause perpetual plan diffs in the provider.
    this.resource = new ConditionalAccessPolicy(this, 'Default', {
      displayName: input.displayName,
      state: PROVIDER_POLICY_STATE[this.state],
      conditions: {
        clientAppTypes: [...input.clientAppTypes],
        applications: {
          includedApplications: input.applications.map(resolveApplication),
          excludedApplications: nonEmpty(input.excludeApplications.map(resolveApplication)),
        },
        users: {
          // All / None already is the whole selection (the portal offers them instead of groups).
          includedGroups: includesAllOrNoUsers(input.includeUsers) ? nonEmpty(input.includeGroups) : [this.groupObjectId, ...input.includeGroups],
          includedUsers: nonEmpty(input.includeUsers),
          includedRoles: nonEmpty(input.includeRoles),
          excludedUsers: nonEmpty(input.excludeUsers),
          excludedGroups: nonEmpty(input.excludeGroups),
          excludedRoles: nonEmpty(input.excludeRoles),
        },
        signInRiskLevels: nonEmpty(input.signInRiskLevels),
        userRiskLevels: nonEmpty(input.userRiskLevels),
        platforms:
          input.includePlatforms.length > 0
            ? { includedPlatforms: [...input.includePlatforms], excludedPlatforms: nonEmpty(input.excludePlatforms) }
            : undefined,
      },
      grantControls: {
        operator: grant.operator,
        builtInControls: nonEmpty(builtIn),
        authenticationStrengthPolicyId: grant.authenticationStrength !== undefined ? resolveAuthenticationStrength(grant.authenticationStrength) : undefined,
      },
      sessionControls:
        sif === undefined
          ? undefined
          : sif === 'everyTime'
            ? { signInFrequencyInterval: 'everyTime' }
            : { signInFrequency: sif.value, signInFrequencyPeriod: sif.unit },
    });
    this.policyId = this.resource.objectId;
  }
}

function ruleInput(props: MfaConditionalAccessPolicyProps): MfaPolicyRuleInput {
  const grant = props.grant ?? { mfa: true };
  const sif = props.signInFrequency?.frequency;
  return {
    displayName: props.displayName ?? MANUAL_DEFAULTS.policyDisplayName,
    state: props.state ?? 'reportOnly',
    targetGroupObjectId: props.group && !Token.isUnresolved(props.group.groupObjectId) ? props.group.groupObjectId : undefined,
    includeUsers: props.includeUsers ?? [],
    excludeUsers: props.excludeUsers ?? [],
    includeGroups: props.includeGroups ?? [],
    excludeGroups: props.excludeGroups ?? [],
    includeRoles: props.includeRoles ?? [],
    excludeRoles: props.excludeRoles ?? [],
    applications: (props.applications ?? [CloudApplication.MICROSOFT_AZURE_MANAGEMENT]).map((a) => a.value),
    excludeApplications: (props.excludeApplications ?? []).map((a) => a.value),
    clientAppTypes: props.clientAppTypes ?? ['all'],
    signInRiskLevels: props.signInRiskLevels ?? [],
    userRiskLevels: props.userRiskLevels ?? [],
    includePlatforms: props.includePlatforms ?? [],
    excludePlatforms: props.excludePlatforms ?? [],
    grant: {
      mfa: grant.mfa,
      authenticationStrength: grant.authenticationStrength?.policyId,
      additionalControls: grant.additionalControls ?? [],
      operator: grant.operator ?? 'OR',
    },
    signInFrequency: sif,
    allowEnforcedWithoutBreakGlassExclusion: props.allowEnforcedWithoutBreakGlassExclusion,
  };
}

function nonEmpty<T>(values: readonly T[]): T[] | undefined {
  return values.length > 0 ? [...values] : undefined;
}
