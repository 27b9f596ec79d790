import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { ServicePrincipalDelegatedPermissionGrant } from '@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant';
import { Construct } from 'constructs';
import { declare, type DeclaredPermission } from '../inspection/declarations';
import type { ApiName, ApiPermissionGroup, ResolvedPermission } from '../model/permissions';

/** The tenant's service principal of a resource API, and how to find its role IDs. */
export interface ResourceServicePrincipal {
  /** Object ID of the resource API's service principal in this tenant. */
  readonly objectId: string;
  /** The app role ID to use for a permission (a catalogue ID or a plan-time look-up). */
  readonly appRoleId: (permission: ResolvedPermission) => string;
}

export interface AdminConsentProps {
  /** Object ID of the client application's service principal (not the application's object ID). */
  readonly servicePrincipalObjectId: string;
  /** What to consent to, grouped by API: the same list the application requests. */
  readonly permissions: readonly ApiPermissionGroup[];
  /** The resource APIs' service principals. */
  readonly resources: Readonly<Partial<Record<ApiName, ResourceServicePrincipal>>>;
}

/** A resolved permission as a construct declares it. */
export function declaredPermission(p: ResolvedPermission): DeclaredPermission {
  return {
    api: p.api,
    type: p.type,
    name: p.name,
    catalogueId: p.id,
    idVerified: p.idVerified,
    idSource: p.idSource,
    ...(p.justification !== undefined ? { justification: p.justification } : {}),
  };
}

/**
 * The portal's "Grant admin consent": an app role assignment per application permission and one
 * delegated permission grant per API for all principals, with the delegated scope names.
 */
export class AdminConsent extends Construct {
  /** The permissions consented to, exactly those given. */
  public readonly consented: readonly ResolvedPermission[];
  public readonly appRoleAssignments: readonly AppRoleAssignment[];
  public readonly delegatedPermissionGrants: readonly ServicePrincipalDelegatedPermissionGrant[];
  private readonly assignmentByPermission = new Map<string, AppRoleAssignment>();
  private readonly grantByApi = new Map<ApiName, ServicePrincipalDelegatedPermissionGrant>();

  constructor(scope: Construct, id: string, props: AdminConsentProps) {
    super(scope, id);
    const assignments: AppRoleAssignment[] = [];
    const grants: ServicePrincipalDelegatedPermissionGrant[] = [];
    for (const group of props.permissions) {
      const resource = props.resources[group.api];
      if (!resource) throw new Error(`${this.node.path}: no service principal given for ${group.api}`);
      for (const p of group.application) {
        const assignment = new AppRoleAssignment(this, `${group.api}-${p.name}`, {
          appRoleId: resource.appRoleId(p),
          principalObjectId: props.servicePrincipalObjectId,
          resourceObjectId: resource.objectId,
        });
        declare(this, { kind: 'consentedAppRole', assignment: assignment.node.path, permission: declaredPermission(p) });
        assignments.push(assignment);
        this.assignmentByPermission.set(`${group.api}/${p.name}`, assignment);
      }
      if (group.delegated.length > 0) {
        const grant = new ServicePrincipalDelegatedPermissionGrant(this, `${group.api}-delegated`, {
          servicePrincipalObjectId: props.servicePrincipalObjectId,
          resourceServicePrincipalObjectId: resource.objectId,
          claimValues: group.delegated.map((p) => p.name),
        });
        declare(this, { kind: 'consentedScopes', grant: grant.node.path, permissions: group.delegated.map(declaredPermission) });
        grants.push(grant);
        this.grantByApi.set(group.api, grant);
      }
    }
    this.consented = props.permissions.flatMap((g) => [...g.delegated, ...g.application]);
    this.appRoleAssignments = assignments;
    this.delegatedPermissionGrants = grants;
  }

  /** The app role assignment that consents to an application permission of `api`, if declared. */
  public assignmentFor(api: ApiName, permission: string): AppRoleAssignment | undefined {
    return this.assignmentByPermission.get(`${api}/${permission}`);
  }

  /** The delegated permission grant of `api`, if declared. */
  public grantFor(api: ApiName): ServicePrincipalDelegatedPermissionGrant | undefined {
    return this.grantByApi.get(api);
  }
}
