import { ConditionalAccessPolicy } from '@cdktf/provider-azuread/lib/conditional-access-policy';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { declare } from '../inspection/declarations';
import { TerraformImport } from '../stack/terraform-import';
import { IMPORT_ID } from '../model/adoption';
import { includesAllOrNoUsers, mfaPolicyProblems, normalizeMfaPolicy, signInFrequencyControls, type MfaPolicyModel, type MfaPolicyProps } from '../model/conditional-access-policy';
import type { PolicyStateWord } from '../model/conditional-access-values';
import { throwIfProblems } from '../model/problem';
import { SecurityGroup } from './security-group';

export type { MfaPolicyProps } from '../model/conditional-access-policy';

/**
 * The conditional access policy of the manual's "Doble autenticación en Azure" section: require
 * MFA of a group of users for chosen resources (by default "Microsoft Azure Management"), starting
 * in report-only.
 *
 * The `azuread_conditional_access_policy` resource is the construct's default child: directly in a
 * stack its Terraform address is `azuread_conditional_access_policy.<id>`, so the id is public API
 * (renaming it deletes and recreates the policy). A group to create (`group.create`) is this
 * construct's child `group`.
 *
 * It covers interactive user sign-ins only: not the sign-ins of service principals (such as the
 * ITSM tool's app-only mail access), which need conditional access for workload identities.
 */
export class MfaConditionalAccessPolicy extends Construct {
  /** The policy's object ID (the GUID shown as "Policy ID" in the portal). */
  public readonly policyId: string;
  /** The object ID of the group the policy targets. */
  public readonly groupObjectId: string;
  /** The "Enable policy" switch as declared. */
  public readonly state: PolicyStateWord;
  /** The `azuread_conditional_access_policy` resource, for settings this construct does not expose. */
  public readonly resource: ConditionalAccessPolicy;
  /** The props with every default applied. */
  public readonly model: MfaPolicyModel;

  constructor(scope: Construct, id: string, props: MfaPolicyProps = {}) {
    super(scope, id);
    throwIfProblems(`MfaConditionalAccessPolicy (${this.node.path})`, mfaPolicyProblems(props, Token.isUnresolved));
    const m = normalizeMfaPolicy(props);
    this.model = m;
    this.state = m.state;
    if ('existingObjectId' in m.group) this.groupObjectId = m.group.existingObjectId;
    else {
      const group = new SecurityGroup(this, 'group', m.group.create);
      if (m.import?.groupObjectId !== undefined) group.importExisting(m.import.groupObjectId);
      this.groupObjectId = group.groupObjectId;
    }

    const { grant } = m;
    const sif = m.signInFrequency;
    // Emit only what is set: empty lists and blocks cause perpetual plan diffs in the provider.
    this.resource = new ConditionalAccessPolicy(this, 'Default', {
      displayName: m.displayName,
      state: m.providerState,
      conditions: {
        clientAppTypes: [...m.clientAppTypes],
        applications: {
          includedApplications: [...m.applications],
          excludedApplications: nonEmpty(m.excludeApplications),
        },
        users: {
          // All / None already is the whole selection (the portal offers them instead of groups).
          includedGroups: includesAllOrNoUsers(m.includeUsers) ? nonEmpty(m.includeGroups) : [this.groupObjectId, ...m.includeGroups],
          includedUsers: nonEmpty(m.includeUsers),
          includedRoles: nonEmpty(m.includeRoles),
          excludedUsers: nonEmpty(m.excludeUsers),
          excludedGroups: nonEmpty(m.excludeGroups),
          excludedRoles: nonEmpty(m.excludeRoles),
        },
        signInRiskLevels: nonEmpty(m.signInRiskLevels),
        userRiskLevels: nonEmpty(m.userRiskLevels),
        platforms: m.includePlatforms.length > 0 ? { includedPlatforms: [...m.includePlatforms], excludedPlatforms: nonEmpty(m.excludePlatforms) } : undefined,
      },
      grantControls: {
        operator: grant.operator,
        builtInControls: nonEmpty(grant.builtInControls),
        authenticationStrengthPolicyId: grant.authenticationStrengthPolicyId,
      },
      sessionControls: sif === undefined ? undefined : { ...signInFrequencyControls(sif) },
    });
    if (m.allowEnforcedWithoutBreakGlassExclusion) {
      declare(this, { kind: 'breakGlassWaiver', policy: this.resource.node.path, reason: m.allowEnforcedWithoutBreakGlassExclusion.reason.trim() });
    }
    if (m.import) TerraformImport.into(this.resource, IMPORT_ID.conditionalAccessPolicy(m.import.policyId));
    this.policyId = this.resource.objectId;
  }
}

function nonEmpty<T>(values: readonly T[]): T[] | undefined {
  return values.length > 0 ? [...values] : undefined;
}
