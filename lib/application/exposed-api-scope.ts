import { ApplicationIdentifierUri } from '@cdktf/provider-azuread/lib/application-identifier-uri';
import { ApplicationPermissionScope } from '@cdktf/provider-azuread/lib/application-permission-scope';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { v5 as uuidv5 } from 'uuid';

/** Namespace of this project's name-based (UUIDv5) IDs. Changing it changes every scope ID. */
export const SCOPE_ID_NAMESPACE = 'ad4ebb23-dad1-443d-8947-e9e24f9856a7';

/** Who may consent to the exposed scope: the provider's `type` (`Admin` / `User`). */
export type ScopeConsentType = 'Admin' | 'User';

export interface ExposedApiScopeProps {
  /** Terraform resource ID of the application (`azuread_application.id`). */
  readonly applicationId: string;
  /** The application's client ID; the identifier URI is `api://<client id>`, as the portal proposes. */
  readonly clientId: string;
  /**
   * The scope value, as it appears in tokens (`scp`).
   * @default 'access_as_user'
   */
  readonly value?: string;
  /**
   * Shown to admins in the consent prompt.
   * @default 'Access <application name>'
   */
  readonly adminConsentDisplayName?: string;
  /** @default 'Allows the application to access <application name> on behalf of the signed-in user.' */
  readonly adminConsentDescription?: string;
  /**
   * Who can consent. `User` lets every user consent for themselves (CISA SCuBA MS.AAD.5.2 advises against).
   * @default 'Admin'
   */
  readonly consentType?: ScopeConsentType;
  /** @default - the admin texts, when consentType is 'User' */
  readonly userConsentDisplayName?: string;
  /** @default - the admin texts, when consentType is 'User' */
  readonly userConsentDescription?: string;
  /** The application's display name, used in the default texts. */
  readonly applicationDisplayName: string;
}

/**
 * "Expose an API → Add a scope": the identifier URI `api://<client id>` and one delegated scope.
 *
 * Both are separate resources (`azuread_application_identifier_uri`,
 * `azuread_application_permission_scope`): the URI needs the client ID, which setting it inline
 * on the application would make a self-reference. The scope ID is a UUIDv5 of the construct path
 * and the scope value, so it never changes between syntheses.
 */
export class ExposedApiScope extends Construct {
  /** `api://<client id>`. */
  public readonly identifierUri: string;
  /** The full scope string a client requests: `api://<client id>/<value>`. */
  public readonly scope: string;
  /** The scope value. */
  public readonly value: string;
  /** The scope's ID (deterministic). */
  public readonly scopeId: string;
  public readonly consentType: ScopeConsentType;

  constructor(scope: Construct, id: string, props: ExposedApiScopeProps) {
    super(scope, id);
    const value = props.value ?? 'access_as_user';
    if (!Token.isUnresolved(value) && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/.test(value)) {
      throw new Error(`${this.node.path}: value "${value}" must be letters, digits, dots, underscores or hyphens, at most 120 characters`);
    }
    this.value = value;
    this.consentType = props.consentType ?? 'Admin';
    this.scopeId = uuidv5(`${this.node.path}/${value}`, SCOPE_ID_NAMESPACE);

    const uri = new ApplicationIdentifierUri(this, 'identifier-uri', {
      applicationId: props.applicationId,
      identifierUri: `api://${props.clientId}`,
    });
    this.identifierUri = uri.identifierUri;

    const adminName = props.adminConsentDisplayName ?? `Access ${props.applicationDisplayName}`;
    const adminDescription =
      props.adminConsentDescription ?? `Allows the application to access ${props.applicationDisplayName} on behalf of the signed-in user.`;
    const user = this.consentType === 'User';
    const permissionScope = new ApplicationPermissionScope(this, 'scope', {
      applicationId: props.applicationId,
      scopeId: this.scopeId,
      value,
      type: this.consentType,
      adminConsentDisplayName: adminName,
      adminConsentDescription: adminDescription,
      userConsentDisplayName: user ? (props.userConsentDisplayName ?? adminName) : undefined,
      userConsentDescription: user ? (props.userConsentDescription ?? adminDescription) : undefined,
      // The scope belongs to the URI's application; create it once the URI exists.
      dependsOn: [uri],
    });
    this.scope = `${uri.identifierUri}/${permissionScope.value}`;
  }
}
