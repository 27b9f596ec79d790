import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { Application } from '@cdktf/provider-azuread/lib/application';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { KnownApi, type ApiName } from '../permissions/catalogue';
import { AdminConsent, type ResourceServicePrincipal } from './admin-consent';
import { groupByApi, resolvePermissions, type ApiPermissionGroup, type ResolvedPermission } from './api-permissions';
import { ExposedApiScope, type ScopeConsentType } from './exposed-api-scope';
import { mailPermissions, mailPresetConflict, type MailAccessOptions, type MailboxAccess, type MailFlow, type MailProtocol, type PermissionRef } from './mail-access';
import { RotatingClientSecret } from './rotating-client-secret';
import { redirectUriProblem } from './validation';

/** Supported account types, as `sign_in_audience` accepts them. */
export type SignInAudience = 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount' | 'PersonalMicrosoftAccount';

export interface MailAccess extends MailAccessOptions {
  /**
   * The mailboxes the ITSM tool reads or sends as; the Exchange Online runbook scopes access to them.
   * @default []
   */
  readonly mailboxes?: readonly string[];
}

export interface ExposedScopeOptions {
  /** @default 'access_as_user' */
  readonly value?: string;
  /** @default 'Access <display name>' */
  readonly adminConsentDisplayName?: string;
  /** @default - a sentence naming the application */
  readonly adminConsentDescription?: string;
  /** @default - the admin texts */
  readonly userConsentDisplayName?: string;
  /** @default - the admin texts */
  readonly userConsentDescription?: string;
  /**
   * `Admin`: only admins can consent. `User`: users can consent for themselves (see CISA SCuBA MS.AAD.5.2).
   * @default 'Admin'
   */
  readonly consentType?: ScopeConsentType;
}

export interface ItsmMailApplicationProps {
  /** Display name of the app registration. */
  readonly displayName: string;
  /** @default - none */
  readonly description?: string;
  /** @default - none */
  readonly notes?: string;
  /**
   * Supported account types.
   * @default 'AzureADMyOrg' (single tenant, as the manual chooses)
   */
  readonly signInAudience?: SignInAudience;
  /**
   * Owners' object IDs, in addition to the deployer (see includeDeployerAsOwner).
   * @default []
   */
  readonly owners?: readonly string[];
  /**
   * Make the identity that runs Terraform an owner of the application and service principal.
   * @default true
   */
  readonly includeDeployerAsOwner?: boolean;
  /**
   * Fail instead of creating a second application with the same display name.
   * @default true
   */
  readonly preventDuplicateNames?: boolean;
  /**
   * Web redirect URIs for the authorization-code flow (Pandora ITSM: `https://<host>/.../setup/setup_mail`).
   * No wildcards; `http://` only for localhost.
   * @default []
   */
  readonly redirectUris?: readonly string[];
  /** The mail preset: flow, protocols, optional Graph mail permissions, mailboxes. */
  readonly mailAccess: MailAccess;
  /**
   * More API permissions by name, beyond the mail preset.
   * @default []
   */
  readonly permissions?: readonly PermissionRef[];
  /**
   * Grant admin consent for every requested permission ("Grant admin consent for <tenant>").
   * @default true
   */
  readonly adminConsent?: boolean;
  /**
   * Lifetime of each client secret in days; secrets rotate alternately every half lifetime.
   * @default 180
   */
  readonly clientSecretLifetimeDays?: number;
  /**
   * "Expose an API": identifier URI `api://<client id>` and one scope. `false` skips it.
   * @default - exposed with the defaults of ExposedScopeOptions
   */
  readonly exposedScope?: ExposedScopeOptions | false;
  /**
   * Users or groups (object IDs) allowed to sign in to the application ("Assignment required" and
   * "Users and groups" of the Enterprise application). When set, no one else can sign in to it,
   * which keeps the tenant-wide delegated consent from serving other users' mailboxes.
   * @default [] (assignment not required: any user of the tenant can sign in, as the portal's default)
   */
  readonly assignedPrincipals?: readonly string[];
}

/**
 * `api.requested_access_token_version` for an audience: 2 when personal Microsoft accounts may sign
 * in (the provider refuses 1 for them at plan time), else 1, the provider's default.
 */
export function requestedAccessTokenVersion(audience: SignInAudience): 1 | 2 {
  return audience === 'AzureADandPersonalMicrosoftAccount' || audience === 'PersonalMicrosoftAccount' ? 2 : 1;
}

/** The default access app role that "Users and groups" assignments use when an app defines none. */
export const DEFAULT_ACCESS_APP_ROLE_ID = '00000000-0000-0000-0000-000000000000';

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
  /** Every permission requested in `required_resource_access`, resolved from the catalogue. */
  public readonly requestedPermissions: readonly ResolvedPermission[];
  /** Every permission admin consent grants (empty when adminConsent is false). */
  public readonly consentedPermissions: readonly ResolvedPermission[];
  /** The settings this application was built from, for outputs, the runbook and reviews. */
  public readonly settings: {
    readonly displayName: string;
    readonly signInAudience: SignInAudience;
    readonly flow: MailFlow;
    readonly protocols: readonly MailProtocol[];
    readonly mailboxes: readonly string[];
    readonly mailboxAccess: MailboxAccess;
    readonly redirectUris: readonly string[];
    readonly ownerObjectIds: readonly string[];
    readonly includeDeployerAsOwner: boolean;
    readonly assignedPrincipals: readonly string[];
  };

  constructor(scope: Construct, id: string, props: ItsmMailApplicationProps) {
    super(scope, id);
    const redirectUris = [...(props.redirectUris ?? [])];
    const errors: string[] = [];
    for (const uri of redirectUris) {
      if (Token.isUnresolved(uri)) continue;
      const problem = redirectUriProblem(uri);
      if (problem) errors.push(`redirectUris: ${problem}`);
    }
    for (const [field, value] of Object.entries({ displayName: props.displayName, description: props.description, notes: props.notes })) {
      if (value !== undefined && !Token.isUnresolved(value) && /[$%]\{/.test(value)) {
        errors.push(`${field}: must not contain "\${" or "%{": Terraform would evaluate it as an expression`);
      }
    }
    const conflict = mailPresetConflict(props.mailAccess, props.permissions ?? []);
    if (conflict) errors.push(`permissions: ${conflict}`);
    const { permissions, problems } = resolvePermissions([...mailPermissions(props.mailAccess), ...(props.permissions ?? [])]);
    for (const p of problems) errors.push(`permissions: ${p.message}`);
    if (errors.length > 0) throw new Error(`${this.node.path}: ${errors.join('; ')}`);

    const includeDeployer = props.includeDeployerAsOwner ?? true;
    const current = new DataAzureadClientConfig(this, 'current');
    const owners = [...(includeDeployer ? [current.objectId] : []), ...(props.owners ?? [])];
    const groups = groupByApi(permissions);
    const resources = this.resourceServicePrincipals(groups);

    this.application = new Application(this, 'application', {
      displayName: props.displayName,
      description: props.description,
      notes: props.notes,
      signInAudience: props.signInAudience ?? 'AzureADMyOrg',
      owners: owners.length > 0 ? owners : undefined,
      preventDuplicateNames: props.preventDuplicateNames ?? true,
      web: redirectUris.length > 0 ? { redirectUris } : undefined,
      requiredResourceAccess: groups.map((g) => ({
        resourceAppId: g.resourceAppId,
        resourceAccess: [
          ...g.delegated.map((p) => ({ id: p.id, type: 'Scope' })),
          ...g.application.map((p) => ({ id: resources[g.api]!.appRoleId(p), type: 'Role' })),
        ],
      })),
      // Always declared: Terraform applies ignore_changes only to paths present in the config, so
      // without an `api` block `api[0].oauth2_permission_scope` below holds on to nothing, and every
      // second apply would delete the scope that azuread_application_permission_scope wrote into the
      // application. The provider defaults the version to 1 (what Graph's null means); personal
      // Microsoft accounts need v2 tokens (the provider's plan-time check).
      api: { requestedAccessTokenVersion: requestedAccessTokenVersion(props.signInAudience ?? 'AzureADMyOrg') },
      // The identifier URI and the scope are separate resources (see ExposedApiScope) that write into
      // this application; ignoring the inline copies keeps the two from undoing each other. Only
      // then: without them, a scope or URI added in the portal is a change the plan shows.
      lifecycle: props.exposedScope !== false ? { ignoreChanges: ['identifier_uris', 'api[0].oauth2_permission_scope'] } : undefined,
    });

    const assigned = [...(props.assignedPrincipals ?? [])];
    this.servicePrincipal = new ServicePrincipal(this, 'service-principal', {
      clientId: this.application.clientId,
      owners: owners.length > 0 ? owners : undefined,
      appRoleAssignmentRequired: assigned.length > 0 ? true : undefined,
    });
    for (const principal of assigned) {
      new AppRoleAssignment(this, `assigned-${principal}`, {
        appRoleId: DEFAULT_ACCESS_APP_ROLE_ID,
        principalObjectId: principal,
        resourceObjectId: this.servicePrincipal.objectId,
      });
    }

    this.clientId = this.application.clientId;
    this.applicationObjectId = this.application.objectId;
    this.servicePrincipalObjectId = this.servicePrincipal.objectId;
    this.tenantId = current.tenantId;

    this.clientSecret = new RotatingClientSecret(this, 'client-secret', {
      applicationId: this.application.id,
      lifetimeDays: props.clientSecretLifetimeDays,
      displayName: 'ITSM mail',
    });

    if (props.exposedScope !== false) {
      const o = props.exposedScope ?? {};
      this.exposedScope = new ExposedApiScope(this, 'exposed-api', {
        applicationId: this.application.id,
        clientId: this.application.clientId,
        applicationDisplayName: props.displayName,
        value: o.value,
        adminConsentDisplayName: o.adminConsentDisplayName,
        adminConsentDescription: o.adminConsentDescription,
        userConsentDisplayName: o.userConsentDisplayName,
        userConsentDescription: o.userConsentDescription,
        consentType: o.consentType,
      });
    }

    if (props.adminConsent ?? true) {
      this.adminConsent = new AdminConsent(this, 'admin-consent', {
        servicePrincipalObjectId: this.servicePrincipal.objectId,
        permissions: groups,
        resources,
      });
    }
    this.requestedPermissions = permissions;
    this.consentedPermissions = this.adminConsent?.consented ?? [];
    this.settings = {
      displayName: props.displayName,
      signInAudience: props.signInAudience ?? 'AzureADMyOrg',
      flow: props.mailAccess.flow,
      protocols: (['imap', 'pop', 'smtp'] as const).filter((p) => (props.mailAccess.protocols ?? ['imap', 'smtp']).includes(p)),
      mailboxes: [...(props.mailAccess.mailboxes ?? [])],
      mailboxAccess: props.mailAccess.mailboxAccess ?? 'rbac',
      redirectUris,
      ownerObjectIds: [...(props.owners ?? [])],
      includeDeployerAsOwner: includeDeployer,
      assignedPrincipals: assigned,
    };
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
        appRoleId:
          g.api === 'MicrosoftGraph'
            ? (p) => p.id
            : (p) => Token.asString(Fn.lookupNested(sp.getStringMapAttribute('app_role_ids'), [p.name])),
      };
    }
    return out;
  }
}
