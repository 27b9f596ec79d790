import { ApplicationIdentifierUri } from '@cdktf/provider-azuread/lib/application-identifier-uri';
import { ApplicationPermissionScope } from '@cdktf/provider-azuread/lib/application-permission-scope';
import { Construct } from 'constructs';
import { identifierUriOf, scopeId, type ExposedScope } from '../model/exposed-scope';

export interface ExposedApiScopeProps {
  /** Terraform resource ID of the application (`azuread_application.id`). */
  readonly applicationId: string;
  /** The application's client ID; the identifier URI is `api://<client id>`, as the portal proposes. */
  readonly clientId: string;
  /** The scope, defaults applied (see `normalizeExposedScope`). */
  readonly scope: ExposedScope;
}

/**
 * "Expose an API → Add a scope": the identifier URI `api://<client id>` and one delegated scope.
 *
 * Both are separate resources (`azuread_application_identifier_uri`,
 * `azuread_application_permission_scope`): the URI needs the client ID, which setting it inline
 * on the application would make a self-reference. The scope ID is the one given (an adopted
 * scope's), else a UUIDv5 of the construct path and the scope value, so it never changes between
 * syntheses.
 */
export class ExposedApiScope extends Construct {
  /** `api://<client id>`. */
  public readonly identifierUri: string;
  /** The full scope string a client requests: `api://<client id>/<value>`. */
  public readonly scope: string;
  /** The scope value. */
  public readonly value: string;
  /** The scope's ID: the one given (an adopted scope's), else deterministic. */
  public readonly scopeId: string;
  /** The `azuread_application_identifier_uri` resource. */
  public readonly identifierUriResource: ApplicationIdentifierUri;
  /** The `azuread_application_permission_scope` resource. */
  public readonly permissionScope: ApplicationPermissionScope;

  constructor(scope: Construct, id: string, props: ExposedApiScopeProps) {
    super(scope, id);
    const s = props.scope;
    this.value = s.value;
    this.scopeId = s.id ?? scopeId(this.node.path, s.value);
    const uri = new ApplicationIdentifierUri(this, 'identifier-uri', {
      applicationId: props.applicationId,
      identifierUri: identifierUriOf(props.clientId),
    });
    this.identifierUri = uri.identifierUri;
    this.identifierUriResource = uri;
    const permissionScope = new ApplicationPermissionScope(this, 'scope', {
      applicationId: props.applicationId,
      scopeId: this.scopeId,
      value: s.value,
      type: s.consentType,
      adminConsentDisplayName: s.adminConsentDisplayName,
      adminConsentDescription: s.adminConsentDescription,
      userConsentDisplayName: s.userConsentDisplayName,
      userConsentDescription: s.userConsentDescription,
      // The scope belongs to the URI's application; create it once the URI exists.
      dependsOn: [uri],
    });
    this.permissionScope = permissionScope;
    this.scope = `${uri.identifierUri}/${permissionScope.value}`;
  }
}
