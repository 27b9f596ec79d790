import { ConditionalAccessPolicy as AzureadConditionalAccessPolicy } from '@cdktf/provider-azuread/lib/conditional-access-policy';
import { DataAzureadGroup } from '@cdktf/provider-azuread/lib/data-azuread-group';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { DataAzureadUser } from '@cdktf/provider-azuread/lib/data-azuread-user';
import { TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { declare } from '../inspection/declarations';
import {
  standalonePolicyProblems,
  formerNamesIn,
  normalizeConditionalAccessPolicy,
  sessionIsEmpty,
  type FilterProps,
  type ConditionalAccessPolicyModel,
  type ConditionalAccessPolicyProps,
} from '../model/conditional-access-policy';
import { isPlaceholderId, isUuid } from '../model/ids';
import { TerraformImport } from '../private/terraform-import';
import { IMPORT_ID } from '../model/adoption';
import type { PolicyStateWord } from '../model/conditional-access-values';
import { throwIfProblems } from '../model/problem';
import { SecurityGroup } from './security-group';

export type { ConditionalAccessPolicyProps } from '../model/conditional-access-policy';

/**
 * An Entra ID conditional access policy (Microsoft Graph `conditionalAccessPolicy`): whom it
 * targets, under which conditions, and what it grants or controls. Its defaults are the manual's
 * "Doble autenticación en Azure" policy: require MFA of a group of users for "Microsoft Azure
 * Management", starting in report-only. Settings carry Graph's names (`includeApplications`,
 * `includeUserActions`, ...); the former names are still read (deprecated: guardrail ITSM-CA-008).
 *
 * The `azuread_conditional_access_policy` resource is the construct's default child: directly in a
 * stack its Terraform address is `azuread_conditional_access_policy.<id>`, so the id is public API
 * (renaming it deletes and recreates the policy). A group to create (`group.create`) is this
 * construct's child `group`.
 *
 * A policy of users covers interactive user sign-ins only: not the sign-ins of service principals
 * (such as the ITSM tool's app-only mail access), which need `includeServicePrincipals`.
 */
export class ConditionalAccessPolicy extends Construct {
  /** The policy's object ID (the GUID shown as "Policy ID" in the portal). */
  public readonly policyId: string;
  /** The object ID of the group the policy targets; undefined when it targets no group (All or None users, service principals). */
  public readonly groupObjectId: string | undefined;
  /** The "Enable policy" switch as declared. */
  public readonly state: PolicyStateWord;
  /** The `azuread_conditional_access_policy` resource, for settings this construct does not expose. */
  public readonly resource: AzureadConditionalAccessPolicy;
  /** The props with every default applied. */
  public readonly model: ConditionalAccessPolicyModel;

  constructor(scope: Construct, id: string, props: ConditionalAccessPolicyProps = {}) {
    super(scope, id);
    throwIfProblems(`ConditionalAccessPolicy (${this.node.path})`, standalonePolicyProblems(props, Token.isUnresolved));
    const m = normalizeConditionalAccessPolicy(props);
    this.model = m;
    this.state = m.state;
    const refs = DirectoryReferences.of(this);
    const group = m.group;
    if (group === undefined) this.groupObjectId = undefined;
    else if ('existingObjectId' in group) this.groupObjectId = refs.group(group.existingObjectId);
    else {
      const created = new SecurityGroup(this, 'group', group.create);
      if (m.import?.groupObjectId !== undefined) created.importExisting(m.import.groupObjectId);
      this.groupObjectId = created.groupObjectId;
    }

    const { grant, session } = m;
    const sif = session.signInFrequency;
    const guests = (g: ConditionalAccessPolicyModel['includeGuestsOrExternalUsers']) =>
      g === undefined
        ? undefined
        : [
            {
              guestOrExternalUserTypes: [...g.types],
              externalTenants: [g.externalTenants === 'all' ? { membershipKind: 'all' } : { membershipKind: 'enumerated', members: [...g.externalTenants] }],
            },
          ];
    const filter = (f: FilterProps | undefined) => (f === undefined ? undefined : { mode: f.mode, rule: f.rule });
    // Emit only what is set: empty lists and blocks cause perpetual plan diffs in the provider.
    this.resource = new AzureadConditionalAccessPolicy(this, 'Default', {
      displayName: m.displayName,
      state: m.providerState,
      conditions: {
        clientAppTypes: [...m.clientAppTypes],
        applications: {
          includedApplications: nonEmpty(m.includeApplications),
          excludedApplications: nonEmpty(m.excludeApplications),
          includedUserActions: nonEmpty(m.includeUserActions),
        },
        users: {
          includedGroups: nonEmpty([...(this.groupObjectId !== undefined ? [this.groupObjectId] : []), ...m.includeGroups.map((g) => refs.group(g))]),
          includedUsers: nonEmpty(m.includeUsers.map((u) => refs.user(u))),
          includedRoles: nonEmpty(m.includeRoles),
          includedGuestsOrExternalUsers: guests(m.includeGuestsOrExternalUsers),
          excludedUsers: nonEmpty(m.excludeUsers.map((u) => refs.user(u))),
          excludedGroups: nonEmpty(m.excludeGroups.map((g) => refs.group(g))),
          excludedRoles: nonEmpty(m.excludeRoles),
          excludedGuestsOrExternalUsers: guests(m.excludeGuestsOrExternalUsers),
        },
        signInRiskLevels: nonEmpty(m.signInRiskLevels),
        userRiskLevels: nonEmpty(m.userRiskLevels),
        servicePrincipalRiskLevels: nonEmpty(m.servicePrincipalRiskLevels),
        insiderRiskLevels: m.insiderRiskLevels,
        authenticationFlowTransferMethods: nonEmpty(m.authenticationFlows),
        platforms: m.includePlatforms.length > 0 ? { includedPlatforms: [...m.includePlatforms], excludedPlatforms: nonEmpty(m.excludePlatforms) } : undefined,
        locations: m.includeLocations.length > 0 ? { includedLocations: [...m.includeLocations], excludedLocations: nonEmpty(m.excludeLocations) } : undefined,
        devices: m.deviceFilter ? { filter: filter(m.deviceFilter) } : undefined,
        clientApplications:
          m.includeServicePrincipals.length > 0
            ? {
                includedServicePrincipals: m.includeServicePrincipals.map((sp) => refs.servicePrincipal(sp)),
                excludedServicePrincipals: nonEmpty(m.excludeServicePrincipals.map((sp) => refs.servicePrincipal(sp))),
                filter: filter(m.servicePrincipalFilter),
              }
            : undefined,
      },
      grantControls:
        grant === undefined
          ? undefined
          : {
              operator: grant.operator,
              builtInControls: nonEmpty(grant.builtInControls),
              authenticationStrengthPolicyId: grant.authenticationStrengthPolicyId,
              termsOfUse: nonEmpty(grant.termsOfUse),
            },
      sessionControls: sessionIsEmpty(session)
        ? undefined
        : {
            ...(sif ? { ...sif } : {}),
            applicationEnforcedRestrictionsEnabled: session.applicationEnforcedRestrictions ? true : undefined,
            cloudAppSecurityPolicy: session.cloudAppSecurity,
            persistentBrowserMode: session.persistentBrowser,
            disableResilienceDefaults: session.disableResilienceDefaults ? true : undefined,
          },
    });
    if (m.allowEnforcedWithoutBreakGlassExclusion) {
      declare(this, { kind: 'breakGlassWaiver', policy: this.resource.node.path, reason: m.allowEnforcedWithoutBreakGlassExclusion.reason.trim() });
    }
    for (const r of formerNamesIn(props)) declare(this, { kind: 'formerSettingName', policy: this.resource.node.path, from: r.from, to: r.to });
    if (m.import) TerraformImport.into(this.resource, IMPORT_ID.conditionalAccessPolicy(m.import.policyId));
    this.policyId = this.resource.objectId;
  }
}

/**
 * Users, groups and service principals named by object ID are read at plan time through data
 * sources, so a wrong or deleted ID fails the plan with the provider's "not found" message rather
 * than half an apply. Keywords, placeholders and deploy-time references are written as they are.
 *
 * One lookup per object per stack, shared by every policy that names it (each lookup costs Graph
 * requests at every plan): the data sources are children of the stack,
 * `data.azuread_<kind>.directory-<kind>-<object ID>`.
 */
class DirectoryReferences {
  private static readonly byStack = new WeakMap<TerraformStack, DirectoryReferences>();

  /** The lookups of the stack `scope` is in. */
  static of(scope: Construct): DirectoryReferences {
    const stack = TerraformStack.of(scope);
    let refs = DirectoryReferences.byStack.get(stack);
    if (refs === undefined) {
      refs = new DirectoryReferences(stack);
      DirectoryReferences.byStack.set(stack, refs);
    }
    return refs;
  }

  private readonly made = new Map<string, string>();
  private constructor(private readonly stack: TerraformStack) {}

  user(id: string): string {
    return this.read(id, 'user', (cid, objectId) => new DataAzureadUser(this.stack, cid, { objectId }).objectId);
  }

  group(id: string): string {
    return this.read(id, 'group', (cid, objectId) => new DataAzureadGroup(this.stack, cid, { objectId }).objectId);
  }

  servicePrincipal(id: string): string {
    return this.read(id, 'service-principal', (cid, objectId) => new DataAzureadServicePrincipal(this.stack, cid, { objectId }).objectId);
  }

  private read(id: string, kind: string, make: (constructId: string, objectId: string) => string): string {
    if (Token.isUnresolved(id) || !isUuid(id) || isPlaceholderId(id)) return id;
    const objectId = id.toLowerCase();
    const key = `directory-${kind}-${objectId}`;
    let ref = this.made.get(key);
    if (ref === undefined) {
      ref = make(key, objectId);
      this.made.set(key, ref);
    }
    return ref;
  }
}

function nonEmpty<T>(values: readonly T[]): T[] | undefined {
  return values.length > 0 ? [...values] : undefined;
}

/** @deprecated Renamed `ConditionalAccessPolicy` (Entra ID's name: the construct declares any conditional access policy, not only MFA). */
export const MfaConditionalAccessPolicy = ConditionalAccessPolicy;
/** @deprecated Renamed `ConditionalAccessPolicy`. */
export type MfaConditionalAccessPolicy = ConditionalAccessPolicy;
/** @deprecated Renamed `ConditionalAccessPolicyProps`. */
export type MfaPolicyProps = ConditionalAccessPolicyProps;
