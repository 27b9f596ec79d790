import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { Application } from '@cdktf/provider-azuread/lib/application';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { declare } from '../inspection/declarations';
import { DEFAULT_ACCESS_APP_ROLE_ID } from '../model/ids';
import { TerraformImport } from '../private/terraform-import';
import { IMPORT_ID, type ApplicationImport } from '../model/adoption';
import { applicationProblems, normalizeApplication, type ItsmMailApplicationModel, type ItsmMailApplicationProps } from '../model/application';
import { groupByApi, type ApiName, type ApiPermissionGroup, type ResolvedPermission } from '../model/permissions';
import { throwIfProblems } from '../model/problem';
import { KnownApi } from '../permissions/catalogue';
import { AdminConsent, declaredPermission, type ResourceServicePrincipal } from './admin-consent';
import { ExposedApiScope } from './exposed-api-scope';
import { RotatingClientSecret } from './rotating-client-secret';

export type { ItsmMailApplicationProps } from '../model/application';

/**
 * Everything the manual's "Creación de aplicación", "Permisos de API" and "Exponer una API"
 * sections make an admin click: the app registration (single tenant), its service principal
 * ("Enterprise application"), a rotating client secret, the mail permissions by name with admin
 * consent, and an exposed API scope.
 *
 * Construct IDs below are Terraform addresses: renaming one replaces the resource (and a new
 * application means a new client ID for the ITSM tool). Treat them as public API.
 */
export class ItsmMailApplication extends Construct {
  /** The `azuread_application` resource. */
  public readonly application: Application;
  /** The `azuread_service_principal` of the application (the "Enterprise application"). */
  public readonly servicePrincipal: ServicePrincipal;
  /** Application (client) ID. */
  public readonly clientId: string;
  /** Object ID of the application registration. Not the service principal's. */
  public readonly applicationObjectId: string;
  /** Object ID of the service principal; Exchange Online's New-ServicePrincipal -ObjectId takes this one. */
  public readonly servicePrincipalObjectId: string;
  /** Directory (tenant) ID the application lives in. */
  public readonly tenantId: string;
  /** The rotating client secret; its `value` is sensitive. */
  public readonly clientSecret: RotatingClientSecret;
  /** The exposed scope, unless disabled. */
  public readonly exposedScope?: ExposedApiScope;
  /** Admin consent, unless disabled. */
  public readonly adminConsent?: AdminConsent;
  /** The props with every default applied: what this application declares. */
  public readonly model: ItsmMailApplicationModel;

  constructor(scope: Construct, id: string, props: ItsmMailApplicationProps) {
    super(scope, id);
    throwIfProblems(`ItsmMailApplication (${this.node.path})`, applicationProblems(props, Token.isUnresolved));
    const m = normalizeApplication(props);
    this.model = m;

    const current = new DataAzureadClientConfig(this, 'current');
    const owners = [...(m.includeDeployerAsOwner ? [current.objectId] : []), ...m.owners];
    const groups = groupByApi(m.requestedPermissions);
    const resources = this.resourceServicePrincipals(groups);

    this.application = new Application(this, 'application', {
      displayName: m.displayName,
      description: m.description,
      notes: m.notes,
      signInAudience: m.signInAudience,
      owners: owners.length > 0 ? owners : undefined,
      preventDuplicateNames: m.preventDuplicateNames,
      web: m.redirectUris.length > 0 ? { redirectUris: [...m.redirectUris] } : undefined,
      requiredResourceAccess: groups.map((g) => ({
        resourceAppId: g.resourceAppId,
        resourceAccess: [
          ...g.delegated.map((p) => ({ id: p.id, type: 'Scope' })),
          ...g.application.map((p) => ({ id: resources[g.api]!.appRoleId(p), type: 'Role' })),
        ],
      })),
      // Always declared: Terraform drops an ignore_changes path it cannot apply to the config, so
      // without an `api` block `api[0].oauth2_permission_scope` below holds on to nothing, and every
      // second apply would delete the scope that azuread_application_permission_scope wrote into the
      // application. Personal Microsoft accounts need v2 tokens (the provider's plan-time check).
      api: { requestedAccessTokenVersion: m.requestedAccessTokenVersion },
      // The identifier URI and the scope are separate resources (see ExposedApiScope) that write into
      // this application; ignoring the inline copies keeps the two from undoing each other. The
      // top-level identifier_uris is left null here and still held: a null attribute is a path of
      // the config, and Terraform keeps the prior value there (processIgnoreChangesIndividual).
      // Only then: without them, a scope or URI added in the portal is a change the plan shows.
      lifecycle: m.exposedScope ? { ignoreChanges: ['identifier_uris', 'api[0].oauth2_permission_scope'] } : undefined,
    });
    // The same order as required_resource_access above: per API, delegated then application.
    declare(this, {
      kind: 'requestedPermissions',
      application: this.application.node.path,
      permissions: groups.flatMap((g) => [...g.delegated, ...g.application]).map(declaredPermission),
    });
    declare(this, { kind: 'mailAccess', application: this.application.node.path, mail: m.mail, declaredBy: this.node.path });
    declare(this, { kind: 'itsmTool', application: this.application.node.path, tool: m.itsmTool });

    this.servicePrincipal = new ServicePrincipal(this, 'service-principal', {
      clientId: this.application.clientId,
      owners: owners.length > 0 ? owners : undefined,
      appRoleAssignmentRequired: m.assignedPrincipals.length > 0 ? true : undefined,
    });
    const signInAssignments = new Map<string, AppRoleAssignment>();
    // A principal known only at deploy time (another construct's object ID) cannot name its
    // construct: those are numbered in the order given; literal IDs keep their address.
    let references = 0;
    for (const principal of m.assignedPrincipals) {
      const constructId = Token.isUnresolved(principal) ? `assigned-reference-${++references}` : `assigned-${principal}`;
      const assignment = new AppRoleAssignment(this, constructId, {
        appRoleId: DEFAULT_ACCESS_APP_ROLE_ID,
        principalObjectId: principal,
        resourceObjectId: this.servicePrincipal.objectId,
      });
      declare(this, { kind: 'signInAssignment', assignment: assignment.node.path });
      signInAssignments.set(principal.toLowerCase(), assignment);
    }

    this.clientId = this.application.clientId;
    this.applicationObjectId = this.application.objectId;
    this.servicePrincipalObjectId = this.servicePrincipal.objectId;
    this.tenantId = current.tenantId;

    this.clientSecret = new RotatingClientSecret(this, 'client-secret', {
      applicationId: this.application.id,
      lifetimeDays: m.clientSecret.lifetimeDays,
      displayName: 'ITSM mail',
    });

    if (m.exposedScope) {
      this.exposedScope = new ExposedApiScope(this, 'exposed-api', {
        applicationId: this.application.id,
        clientId: this.application.clientId,
        scope: m.exposedScope,
      });
    }

    if (m.adminConsent) {
      this.adminConsent = new AdminConsent(this, 'admin-consent', {
        servicePrincipalObjectId: this.servicePrincipal.objectId,
        permissions: groups,
        resources,
      });
    }

    if (m.import) this.importFromPortal(m.import, signInAssignments);
  }

  /**
   * One Terraform import block per object made in the portal, with the provider's import ID. The
   * model's rules have checked that each lands on a resource declared here.
   */
  private importFromPortal(i: ApplicationImport, signInAssignments: ReadonlyMap<string, AppRoleAssignment>): void {
    const app = i.applicationObjectId;
    TerraformImport.into(this.application, IMPORT_ID.application(app));
    if (i.servicePrincipalObjectId !== undefined) TerraformImport.into(this.servicePrincipal, IMPORT_ID.servicePrincipal(i.servicePrincipalObjectId));
    if (i.identifierUri !== undefined && this.exposedScope)
      TerraformImport.into(this.exposedScope.identifierUriResource, IMPORT_ID.identifierUri(app, i.identifierUri));
    if (i.permissionScopeId !== undefined && this.exposedScope)
      TerraformImport.into(this.exposedScope.permissionScope, IMPORT_ID.permissionScope(app, i.permissionScopeId));
    for (const a of i.appRoleAssignments) {
      const assignment = this.adminConsent?.assignmentFor(a.api, a.permission);
      if (assignment) TerraformImport.into(assignment, IMPORT_ID.appRoleAssignment(a.resourceServicePrincipalObjectId, a.assignmentId));
    }
    for (const g of i.delegatedPermissionGrants) {
      const grant = this.adminConsent?.grantFor(g.api);
      if (grant) TerraformImport.into(grant, IMPORT_ID.delegatedPermissionGrant(g.grantId));
    }
    for (const s of i.signInAssignments) {
      // The resource of a sign-in assignment is the application's own service principal.
      const assignment = signInAssignments.get(s.principal.toLowerCase());
      if (assignment) TerraformImport.into(assignment, IMPORT_ID.appRoleAssignment(i.servicePrincipalObjectId!, s.assignmentId));
    }
  }

  /** Every permission requested in `required_resource_access`, resolved from the catalogue. */
  public get requestedPermissions(): readonly ResolvedPermission[] {
    return this.model.requestedPermissions;
  }

  /** Every permission admin consent grants (empty when adminConsent is false). */
  public get consentedPermissions(): readonly ResolvedPermission[] {
    return this.adminConsent?.consented ?? [];
  }

  /**
   * The tenant's service principals of the APIs used, looked up by their well-known client IDs.
   * Microsoft Graph role IDs come from the catalogue (Microsoft's published list); Exchange Online
   * role IDs are read from the tenant at plan time, since not all are published by Microsoft.
   */
  private resourceServicePrincipals(groups: readonly ApiPermissionGroup[]): Partial<Record<ApiName, ResourceServicePrincipal>> {
    const out: Partial<Record<ApiName, ResourceServicePrincipal>> = {};
    for (const g of groups) {
      const sp = new DataAzureadServicePrincipal(this, g.api === 'MicrosoftGraph' ? 'microsoft-graph' : 'exchange-online', {
        clientId: KnownApi[g.api].resourceAppId,
      });
      out[g.api] = {
        objectId: sp.objectId,
        appRoleId: (p) => (p.idSource === 'catalogue' ? p.id : Token.asString(Fn.lookupNested(sp.getStringMapAttribute('app_role_ids'), [p.name]))),
      };
    }
    return out;
  }
}
