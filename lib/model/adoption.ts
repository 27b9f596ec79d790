/**
 * Adopting what the portal made: the IDs of existing Entra ID objects that a declaration takes
 * over, and the Terraform import IDs the azuread provider expects for them. The config's
 * `application.import` and `mfaPolicy.import` sections and the constructs' `import` props are these
 * types; `npm run adopt` writes them; synthesis turns them into Terraform `import` blocks.
 *
 * An import block is read once, by the first plan after it appears: the object goes into the state
 * and is from then on managed like one the project created. The section can stay (a record of where
 * the object came from; Terraform skips an import whose target is already in the state) or be
 * removed after the first apply. Identity that must outlive it (the scope ID) lives in the concept
 * itself (`exposedScope.id`), not here.
 */
import { API_NAMES, DEFAULT_PERMISSION_API, type ApiName } from './permissions';
import { graphId, isUuid, objectIdProblem, wellKnownIdProblem, EXAMPLE_UUID } from './ids';
import { problemAt, repeated, show } from './problem';
import { each, type RuleSet } from './rules';
import { formatPath } from '../private/file-problem';
import { UUID_PATTERN } from '../private/uuid-pattern';

/** Admin consent to one application permission made in the portal (an appRoleAssignment of the client's service principal). */
export interface AppRoleAssignmentImport {
  /**
   * The resource API of the permission.
   * @default 'MicrosoftGraph'
   */
  readonly api?: ApiName;
  /** The application permission (app role) it grants, by name, e.g. `IMAP.AccessAsApp`. */
  readonly permission: string;
  /** Object ID of the resource API's service principal in this tenant (part of the provider's import ID). */
  readonly resourceServicePrincipalObjectId: string;
  /** The assignment's ID (Graph `appRoleAssignment.id`, a base64url string, not a UUID). */
  readonly assignmentId: string;
}

/** Admin consent to the delegated permissions of one API made in the portal (an oAuth2PermissionGrant for all principals). */
export interface DelegatedPermissionGrantImport {
  /**
   * The resource API of the grant.
   * @default 'MicrosoftGraph'
   */
  readonly api?: ApiName;
  /** The grant's ID (Graph `oAuth2PermissionGrant.id`, a base64url string). */
  readonly grantId: string;
}

/** A user or group assigned to the application in the portal ("Users and groups" of the Enterprise application). */
export interface SignInAssignmentImport {
  /** The user or group object ID, as listed in `assignedPrincipals`. */
  readonly principal: string;
  /** The assignment's ID (Graph `appRoleAssignment.id`). */
  readonly assignmentId: string;
}

/** The config's `application.import`: the portal-made objects this application takes over. */
export interface ApplicationImportProps {
  /** Object ID of the app registration (Overview → Object ID; not its client ID). */
  readonly applicationObjectId: string;
  /**
   * Object ID of its service principal (Enterprise applications → Object ID).
   * @default - the service principal is created
   */
  readonly servicePrincipalObjectId?: string;
  /**
   * The identifier URI to import: `api://<client ID>`, the one this project declares.
   * @default - the identifier URI is created
   */
  readonly identifierUri?: string;
  /**
   * ID of the exposed scope to import; the same as `exposedScope.id`.
   * @default - the scope is created
   */
  readonly permissionScopeId?: string;
  /**
   * Admin consents to application permissions.
   * @default []
   */
  readonly appRoleAssignments?: readonly AppRoleAssignmentImport[];
  /**
   * Admin consents to delegated permissions, one per API.
   * @default []
   */
  readonly delegatedPermissionGrants?: readonly DelegatedPermissionGrantImport[];
  /**
   * Users and groups assigned to the application.
   * @default []
   */
  readonly signInAssignments?: readonly SignInAssignmentImport[];
}

/** `ApplicationImportProps` with its defaults applied. */
export interface ApplicationImport {
  readonly applicationObjectId: string;
  readonly servicePrincipalObjectId?: string;
  readonly identifierUri?: string;
  readonly permissionScopeId?: string;
  readonly appRoleAssignments: readonly Required<AppRoleAssignmentImport>[];
  readonly delegatedPermissionGrants: readonly Required<DelegatedPermissionGrantImport>[];
  readonly signInAssignments: readonly SignInAssignmentImport[];
}

/** Applies the defaults. */
export function normalizeApplicationImport(props: ApplicationImportProps): ApplicationImport {
  return {
    // UUIDs as Graph returns them (lower case); assignment and grant IDs are case-sensitive keys, kept.
    applicationObjectId: graphId(props.applicationObjectId),
    ...(props.servicePrincipalObjectId !== undefined ? { servicePrincipalObjectId: graphId(props.servicePrincipalObjectId) } : {}),
    ...(props.identifierUri !== undefined ? { identifierUri: props.identifierUri } : {}),
    ...(props.permissionScopeId !== undefined ? { permissionScopeId: graphId(props.permissionScopeId) } : {}),
    appRoleAssignments: (props.appRoleAssignments ?? []).map((a) => ({
      ...a,
      api: a.api ?? DEFAULT_PERMISSION_API,
      resourceServicePrincipalObjectId: graphId(a.resourceServicePrincipalObjectId),
    })),
    delegatedPermissionGrants: (props.delegatedPermissionGrants ?? []).map((g) => ({ ...g, api: g.api ?? DEFAULT_PERMISSION_API })),
    signInAssignments: [...(props.signInAssignments ?? [])],
  };
}

/** The config's `mfaPolicy.import`: the portal-made policy and target group this declaration takes over. */
export interface ConditionalAccessPolicyImportProps {
  /** The policy's ID (Conditional Access → the policy → Policy ID). */
  readonly policyId: string;
  /**
   * Object ID of the target group to import into `group.create`.
   * @default - the group is created
   */
  readonly groupObjectId?: string;
}

/** A named location's `import`: the portal-made named location this declaration takes over. */
export interface NamedLocationImportProps {
  /** The named location's ID (Graph `namedLocation.id`; Conditional Access → Named locations → the location, in the URL). */
  readonly namedLocationId: string;
}

// ---------------------------------------------------------------------------------------------
// The provider's import IDs. Each is what the resource's `Importer` at hashicorp/terraform-provider-
// azuread v3.7.0 validates (paths below), and the format its documentation's "Import" section shows.

/** Terraform import IDs of the azuread provider v3.7.0, per resource type. */
export const IMPORT_ID = {
  /** `azuread_application`: `/applications/{objectId}` (stable.ValidateApplicationID; internal/services/applications/application_resource.go). */
  application: (objectId: string) => `/applications/${objectId}`,
  /**
   * `azuread_application_identifier_uri`: `/applications/{objectId}/identifierUris/{base64 of the URI}`
   * (parse.ValidateIdentifierUriID; the segment is `base64.StdEncoding` of the URI, application_identifier_uri_resource.go).
   */
  identifierUri: (applicationObjectId: string, uri: string) =>
    `/applications/${applicationObjectId}/identifierUris/${Buffer.from(uri, 'utf8').toString('base64')}`,
  /** `azuread_application_permission_scope`: `/applications/{objectId}/permissionScopes/{scopeId}` (parse.ValidatePermissionScopeID). */
  permissionScope: (applicationObjectId: string, scopeId: string) => `/applications/${applicationObjectId}/permissionScopes/${scopeId}`,
  /** `azuread_service_principal`: `/servicePrincipals/{objectId}` (stable.ValidateServicePrincipalID; serviceprincipals/service_principal_resource.go). */
  servicePrincipal: (objectId: string) => `/servicePrincipals/${objectId}`,
  /**
   * `azuread_app_role_assignment`: `/servicePrincipals/{resource service principal}/appRoleAssignedTo/{assignment ID}`
   * (stable.ValidateServicePrincipalIdAppRoleAssignedToID; approleassignments/app_role_assignment_resource.go).
   */
  appRoleAssignment: (resourceServicePrincipalObjectId: string, assignmentId: string) =>
    `/servicePrincipals/${resourceServicePrincipalObjectId}/appRoleAssignedTo/${assignmentId}`,
  /** `azuread_service_principal_delegated_permission_grant`: `/oauth2PermissionGrants/{id}` (stable.ValidateOAuth2PermissionGrantID). */
  delegatedPermissionGrant: (grantId: string) => `/oauth2PermissionGrants/${grantId}`,
  /** `azuread_group`: `/groups/{objectId}` (beta.ValidateGroupID; groups/group_resource.go). */
  group: (objectId: string) => `/groups/${objectId}`,
  /** `azuread_conditional_access_policy`: `/identity/conditionalAccess/policies/{id}` (stable.ValidateIdentityConditionalAccessPolicyID). */
  conditionalAccessPolicy: (policyId: string) => `/identity/conditionalAccess/policies/${policyId}`,
  /**
   * `azuread_named_location`: `/identity/conditionalAccess/namedLocations/{id}`
   * (stable.ValidateIdentityConditionalAccessNamedLocationID; conditionalaccess/named_location_resource.go).
   */
  namedLocation: (namedLocationId: string) => `/identity/conditionalAccess/namedLocations/${namedLocationId}`,
} as const;

// ---------------------------------------------------------------------------------------------
// Rules

/** What Graph's appRoleAssignment and oAuth2PermissionGrant IDs look like: base64url, about 43 characters. */
const GRAPH_KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** Why `value` is not a Graph assignment or grant ID, or undefined. */
export function graphKeyProblem(value: string, what: string): string | undefined {
  return GRAPH_KEY_PATTERN.test(value)
    ? undefined
    : `${show(value)} is not ${what}: expected the base64url "id" Graph returns for it (letters, digits, - and _), as npm run adopt writes it`;
}

/** Why `value` is not the object ID of an existing object, or undefined (a UUID, not the nil UUID, not a well-known constant). */
export function existingIdProblem(value: string, what: string): string | undefined {
  if (!isUuid(value)) return `${show(value)} is not ${what}: expected a UUID such as ${EXAMPLE_UUID}`;
  return wellKnownIdProblem(value, what);
}

/** What this project's identifier URI is: `api://` and the client ID. */
export const IDENTIFIER_URI_PATTERN = new RegExp(`^api://${UUID_PATTERN.source.slice(1, -1)}$`);

const apiProblem = (api: unknown): string | undefined =>
  api === undefined || (API_NAMES as readonly unknown[]).includes(api) ? undefined : `must be one of ${API_NAMES.join(', ')}`;

/** The rules of `application.import`, one entry per field. */
export const APPLICATION_IMPORT_RULES: RuleSet<ApplicationImportProps> = {
  fields: {
    applicationObjectId: (p) => problemAt(['applicationObjectId'], existingIdProblem(p.applicationObjectId, "the application's object ID")),
    servicePrincipalObjectId: (p) =>
      p.servicePrincipalObjectId === undefined
        ? []
        : problemAt(['servicePrincipalObjectId'], existingIdProblem(p.servicePrincipalObjectId, "the service principal's object ID")),
    identifierUri: (p) =>
      p.identifierUri === undefined || IDENTIFIER_URI_PATTERN.test(p.identifierUri)
        ? []
        : [
            {
              path: ['identifierUri'],
              message: `${show(p.identifierUri)} is not api://<client ID>, the only identifier URI this project declares: leave it out, and the URI stays as it is in Entra ID (not managed here)`,
            },
          ],
    permissionScopeId: (p) => (p.permissionScopeId === undefined ? [] : problemAt(['permissionScopeId'], existingIdProblem(p.permissionScopeId, 'a scope ID'))),
    appRoleAssignments: each(
      (a: AppRoleAssignmentImport) => [
        ...problemAt(['api'], apiProblem(a.api)),
        ...(a.permission.trim() === '' ? [{ path: ['permission'], message: 'must name the application permission, e.g. IMAP.AccessAsApp' }] : []),
        ...problemAt(
          ['resourceServicePrincipalObjectId'],
          existingIdProblem(a.resourceServicePrincipalObjectId, "the resource API's service principal object ID"),
        ),
        ...problemAt(['assignmentId'], graphKeyProblem(a.assignmentId, 'an app role assignment ID')),
      ],
      (p) => p.appRoleAssignments,
    ),
    delegatedPermissionGrants: each(
      (g: DelegatedPermissionGrantImport) => [
        ...problemAt(['api'], apiProblem(g.api)),
        ...problemAt(['grantId'], graphKeyProblem(g.grantId, 'a delegated permission grant ID')),
      ],
      (p) => p.delegatedPermissionGrants,
    ),
    signInAssignments: each(
      (s: SignInAssignmentImport) => [
        ...problemAt(['principal'], objectIdProblem(s.principal, 'principal')),
        ...problemAt(['assignmentId'], graphKeyProblem(s.assignmentId, 'an app role assignment ID')),
      ],
      (p) => p.signInAssignments,
    ),
  },
  across: [
    {
      reads: ['appRoleAssignments', 'delegatedPermissionGrants', 'signInAssignments', 'servicePrincipalObjectId'],
      check: (p) =>
        p.servicePrincipalObjectId === undefined && [p.appRoleAssignments, p.delegatedPermissionGrants, p.signInAssignments].some((l) => (l ?? []).length > 0)
          ? [
              {
                path: ['servicePrincipalObjectId'],
                message: 'is needed: consents and assignments belong to the service principal, and importing them onto a new one would replace them',
              },
            ]
          : [],
    },
    {
      reads: ['appRoleAssignments', 'delegatedPermissionGrants', 'signInAssignments'],
      check: (p) => [
        ...repeated(
          (p.appRoleAssignments ?? []).map((a) => [a.api ?? DEFAULT_PERMISSION_API, a.permission]),
          ['appRoleAssignments'],
          'permission',
        ),
        ...repeated(
          (p.appRoleAssignments ?? []).map((a) => a.assignmentId),
          ['appRoleAssignments'],
          'assignment ID',
        ),
        ...repeated(
          (p.delegatedPermissionGrants ?? []).map((g) => g.api ?? DEFAULT_PERMISSION_API),
          ['delegatedPermissionGrants'],
          'API (one grant per API)',
        ),
        ...repeated(
          (p.signInAssignments ?? []).map((s) => s.principal.toLowerCase()),
          ['signInAssignments'],
          'principal',
        ),
      ],
    },
  ],
};

/** The rules of `mfaPolicy.import`, one entry per field. */
export const CONDITIONAL_ACCESS_POLICY_IMPORT_RULES: RuleSet<ConditionalAccessPolicyImportProps> = {
  fields: {
    policyId: (p) => problemAt(['policyId'], existingIdProblem(p.policyId, "the conditional access policy's ID")),
    groupObjectId: (p) => (p.groupObjectId === undefined ? [] : problemAt(['groupObjectId'], objectIdProblem(p.groupObjectId, 'group'))),
  },
  across: [],
};

/** The rules of a named location's `import`, one entry per field. */
export const NAMED_LOCATION_IMPORT_RULES: RuleSet<NamedLocationImportProps> = {
  fields: {
    namedLocationId: (p) => problemAt(['namedLocationId'], existingIdProblem(p.namedLocationId, "the named location's ID")),
  },
  across: [],
};

/** A portal object a declaration imports, for `adoptedTwice`: where the config names it, and its ID. */
export interface AdoptedObject {
  /** The field that names it, from the top of the config. */
  readonly path: readonly (string | number)[];
  /** Its object ID (application, service principal, policy or group). */
  readonly id: string;
}

/**
 * Objects imported by two declarations: two stacks (or two resources of one stack) would manage
 * one object, each undoing the other's changes. Object IDs are unique in every tenant, so the
 * whole config is compared, without regard to case.
 */
export function adoptedTwice(objects: readonly AdoptedObject[]): { readonly path: readonly (string | number)[]; readonly message: string }[] {
  const seen = new Map<string, readonly (string | number)[]>();
  const out: { path: readonly (string | number)[]; message: string }[] = [];
  for (const o of objects) {
    const key = o.id.toLowerCase();
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, o.path);
    else
      out.push({
        path: o.path,
        message: `is imported by ${formatPath(earlier)} too: one object can be managed by one declaration only; remove one of the imports`,
      });
  }
  return out;
}

/** @deprecated Renamed `ConditionalAccessPolicyImportProps`. */
export type MfaPolicyImportProps = ConditionalAccessPolicyImportProps;
