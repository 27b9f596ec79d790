/**
 * The typed inspection of one synthesized stack: every resource, data source, output, provider and
 * backend setting the project can emit, read from the Terraform JSON and from what the constructs
 * declared (`declarations.ts`). The guardrails and the review read this, and only this.
 *
 * Entities are named in Entra ID's and the provider's words; attributes in camelCase. A value that
 * Terraform only knows at plan or apply time is `Deferred` (see `values.ts`).
 */
import type { AppliedItsmTool } from '../model/itsm-tool';
import type { MailAccess } from '../model/mail-access';
import type { ApiName, PermissionIdSource, PermissionType } from '../model/permissions';
import type { TfScalar, TfString } from './values';

/** Terraform's `lifecycle` and `depends_on` meta-arguments, as written. */
export interface ResourceMeta {
  readonly ignoreChanges: readonly string[];
  readonly preventDestroy?: boolean;
  readonly createBeforeDestroy?: boolean;
  readonly replaceTriggeredBy: readonly string[];
  readonly dependsOn: readonly string[];
}

/** What every inspected resource or data source has. */
export interface Located {
  /** `azuread_application.itsm-mail_application_DE9ACE3A`; `data.…` for a data source. */
  readonly address: string;
  /** The construct path of the resource (from the JSON's `//` metadata). */
  readonly path: string;
  /** Where findings about it go: the parent construct for a construct's `Default` child, else `path`. */
  readonly owner: string;
  readonly meta: ResourceMeta;
}

/** One permission requested or consented, named from the declaration or the catalogue. */
export interface InspectedPermission {
  /** The resource API's client ID (`resource_app_id`), or deferred. */
  readonly resourceAppId: TfString;
  /** The API, when the client ID is one the catalogue knows. */
  readonly api?: ApiName;
  readonly type: PermissionType;
  /** The permission name, when declared or found in the catalogue by a literal ID. */
  readonly name?: string;
  /** The ID as written in the Terraform: a literal, or a plan-time look-up. */
  readonly id: TfString;
  /** The catalogue's ID for the name, when known. */
  readonly catalogueId?: string;
  /** Whether a public source confirms the catalogue's ID. */
  readonly idVerified?: boolean;
  /** Where the written ID comes from, when declared. */
  readonly idSource?: PermissionIdSource;
  /** How the name is known: declared by a construct, looked up in the catalogue by ID, or not at all. */
  readonly namedBy: 'declaration' | 'catalogue' | 'unknown';
  readonly justification?: string;
}

/** A Web, single-page or public-client redirect URI. */
export interface InspectedRedirectUri {
  readonly uri: TfString;
  readonly platform: 'web' | 'spa' | 'publicClient';
}

/** A scope inside an application's `api` block (raw resources only; this project uses the standalone resource). */
export interface InlineScope {
  readonly id?: TfString;
  readonly value?: TfString;
  readonly type?: TfString;
  readonly enabled?: TfScalar<boolean>;
  readonly adminConsentDisplayName?: TfString;
  readonly adminConsentDescription?: TfString;
  readonly userConsentDisplayName?: TfString;
  readonly userConsentDescription?: TfString;
}

/** An `azuread_application`. */
export interface InspectedApplication extends Located {
  readonly kind: 'application';
  readonly displayName?: TfString;
  readonly description?: TfString;
  readonly notes?: TfString;
  /** `sign_in_audience` as written; the provider's default is `AzureADMyOrg`. */
  readonly signInAudience?: TfString;
  readonly owners: readonly TfString[];
  readonly preventDuplicateNames?: TfScalar<boolean>;
  readonly redirectUris: readonly InspectedRedirectUri[];
  /** The `api` block, when declared. */
  readonly api?: { readonly requestedAccessTokenVersion?: TfScalar<number>; readonly scopes: readonly InlineScope[] };
  /** `identifier_uris` set inline. */
  readonly identifierUris: readonly TfString[];
  /** `required_resource_access`, in the order written. */
  readonly requestedPermissions: readonly InspectedPermission[];
  /** The mail preset it was built from, when an ItsmMailApplication declared it. */
  readonly mail?: MailAccess;
  /** The construct path of the ItsmMailApplication that declared the mail preset. */
  readonly declaredBy?: string;
  /** The ITSM tool preset it was built with and what the preset filled in, when an ItsmMailApplication declared it. */
  readonly itsmTool?: AppliedItsmTool;
}

/** An `azuread_service_principal`. */
export interface InspectedServicePrincipal extends Located {
  readonly kind: 'servicePrincipal';
  readonly clientId?: TfString;
  /** The application of this stack it is the service principal of. */
  readonly application?: string;
  readonly owners: readonly TfString[];
  readonly appRoleAssignmentRequired?: TfScalar<boolean>;
}

/** An `azuread_app_role_assignment`: admin consent for an application permission, or a sign-in assignment. */
export interface InspectedAppRoleAssignment extends Located {
  readonly kind: 'appRoleAssignment';
  readonly appRoleId?: TfString;
  readonly principalObjectId?: TfString;
  readonly resourceObjectId?: TfString;
  /**
   * - `consent`: grants an application permission to the principal (the permission is set);
   * - `signIn`: lets a user or group sign in to the resource (the default access role);
   * - `unknown`: a raw assignment that declares neither.
   */
  readonly purpose: 'consent' | 'signIn' | 'unknown';
  readonly permission?: InspectedPermission;
}

/** An `azuread_service_principal_delegated_permission_grant`: admin consent for delegated permissions. */
export interface InspectedDelegatedGrant extends Located {
  readonly kind: 'delegatedGrant';
  readonly servicePrincipalObjectId?: TfString;
  readonly resourceServicePrincipalObjectId?: TfString;
  readonly userObjectId?: TfString;
  readonly claimValues: readonly TfString[];
  readonly permissions: readonly InspectedPermission[];
}

/** An `azuread_application_password` or `azuread_service_principal_password`. */
export interface InspectedPassword extends Located {
  readonly kind: 'password';
  readonly credential: 'applicationPassword' | 'servicePrincipalPassword';
  /** The application (`application_id`) or service principal (`service_principal_id`) it belongs to. */
  readonly parentId?: TfString;
  readonly displayName?: TfString;
  readonly startDate?: TfString;
  readonly endDate?: TfString;
  readonly endDateRelative?: TfString;
  readonly rotateWhenChanged: Readonly<Record<string, TfString>>;
}

/** A `time_rotating` clock. */
export interface InspectedRotatingClock extends Located {
  readonly kind: 'rotatingClock';
  readonly rotationDays?: TfScalar<number>;
  readonly rotationHours?: TfScalar<number>;
  readonly rotationMonths?: TfScalar<number>;
  readonly rotationYears?: TfScalar<number>;
  readonly rotationRfc3339?: TfString;
}

/** Two password slots that rotate alternately (a RotatingClientSecret), as declared. */
export interface InspectedRotatingSecret {
  readonly kind: 'rotatingSecret';
  /** The construct path of the RotatingClientSecret. */
  readonly path: string;
  /** The address of the application whose secret it is. */
  readonly application?: string;
  readonly lifetimeDays: number;
  readonly slots: readonly { readonly slot: string; readonly password: string; readonly clock: string }[];
}

/** An `azuread_application_identifier_uri`. */
export interface InspectedIdentifierUri extends Located {
  readonly kind: 'identifierUri';
  readonly applicationId?: TfString;
  readonly identifierUri?: TfString;
}

/** An `azuread_application_permission_scope`. */
export interface InspectedPermissionScope extends Located {
  readonly kind: 'permissionScope';
  readonly applicationId?: TfString;
  readonly scopeId?: TfString;
  readonly value?: TfString;
  /** `Admin` or `User`; the provider's default is `User`. */
  readonly type?: TfString;
  readonly adminConsentDisplayName?: TfString;
  readonly adminConsentDescription?: TfString;
  readonly userConsentDisplayName?: TfString;
  readonly userConsentDescription?: TfString;
}

/** A `filter` block (devices, client applications). */
export interface InspectedFilter {
  readonly mode?: TfString;
  readonly rule?: TfString;
}

/** `included_/excluded_guests_or_external_users`. */
export interface InspectedGuests {
  readonly guestOrExternalUserTypes: readonly TfString[];
  readonly externalTenants: readonly { readonly membershipKind?: TfString; readonly members: readonly TfString[] }[];
}

/** An `azuread_conditional_access_policy`, every condition and control. */
export interface InspectedPolicy extends Located {
  readonly kind: 'conditionalAccessPolicy';
  readonly displayName?: TfString;
  /** `enabled`, `disabled` or `enabledForReportingButNotEnforced`. */
  readonly state?: TfString;
  readonly conditions: {
    readonly clientAppTypes: readonly TfString[];
    readonly applications: {
      readonly includedApplications: readonly TfString[];
      readonly excludedApplications: readonly TfString[];
      readonly includedUserActions: readonly TfString[];
    };
    readonly users: {
      readonly includedUsers: readonly TfString[];
      readonly excludedUsers: readonly TfString[];
      readonly includedGroups: readonly TfString[];
      readonly excludedGroups: readonly TfString[];
      readonly includedRoles: readonly TfString[];
      readonly excludedRoles: readonly TfString[];
      readonly includedGuestsOrExternalUsers: readonly InspectedGuests[];
      readonly excludedGuestsOrExternalUsers: readonly InspectedGuests[];
    };
    readonly clientApplications?: {
      readonly includedServicePrincipals: readonly TfString[];
      readonly excludedServicePrincipals: readonly TfString[];
      readonly filter?: InspectedFilter;
    };
    readonly devices?: { readonly filter?: InspectedFilter };
    readonly locations?: { readonly includedLocations: readonly TfString[]; readonly excludedLocations: readonly TfString[] };
    readonly platforms?: { readonly includedPlatforms: readonly TfString[]; readonly excludedPlatforms: readonly TfString[] };
    readonly signInRiskLevels: readonly TfString[];
    readonly userRiskLevels: readonly TfString[];
    readonly servicePrincipalRiskLevels: readonly TfString[];
    readonly insiderRiskLevels?: TfString;
    readonly authenticationFlowTransferMethods: readonly TfString[];
  };
  readonly grantControls?: {
    readonly operator?: TfString;
    readonly builtInControls: readonly TfString[];
    readonly authenticationStrengthPolicyId?: TfString;
    readonly customAuthenticationFactors: readonly TfString[];
    readonly termsOfUse: readonly TfString[];
  };
  readonly sessionControls?: {
    readonly applicationEnforcedRestrictionsEnabled?: TfScalar<boolean>;
    readonly cloudAppSecurityPolicy?: TfString;
    readonly disableResilienceDefaults?: TfScalar<boolean>;
    readonly persistentBrowserMode?: TfString;
    readonly signInFrequency?: TfScalar<number>;
    readonly signInFrequencyPeriod?: TfString;
    readonly signInFrequencyInterval?: TfString;
    readonly signInFrequencyAuthenticationType?: TfString;
  };
  /** The written reason for enforcing without a break-glass exclusion, when the construct was given one. */
  readonly breakGlassWaiver?: string;
  /** The preset the policy started from, when it did (its settings are the attributes above). */
  readonly preset?: { readonly name: string; readonly summary: string; readonly source: string; readonly requires?: string };
  /** Settings the construct was given under their former names, each with its Graph name, when any. */
  readonly formerSettingNames?: readonly { readonly from: string; readonly to: string }[];
}

/** An `azuread_named_location`. */
export interface InspectedNamedLocation extends Located {
  readonly kind: 'namedLocation';
  readonly displayName?: TfString;
  readonly ip?: { readonly ipRanges: readonly TfString[]; readonly trusted?: TfScalar<boolean> };
  readonly country?: {
    readonly countriesAndRegions: readonly TfString[];
    readonly includeUnknownCountriesAndRegions?: TfScalar<boolean>;
    readonly countryLookupMethod?: TfString;
  };
}

/** An `azuread_group`. */
export interface InspectedGroup extends Located {
  readonly kind: 'group';
  readonly displayName?: TfString;
  readonly description?: TfString;
  readonly securityEnabled?: TfScalar<boolean>;
  readonly mailEnabled?: TfScalar<boolean>;
  readonly preventDuplicateNames?: TfScalar<boolean>;
  readonly assignableToRole?: TfScalar<boolean>;
  readonly members: readonly TfString[];
  readonly owners: readonly TfString[];
}

/** A data source: what it looks up, by which arguments. */
export interface InspectedDataSource extends Located {
  readonly kind: 'dataSource';
  /** `azuread_client_config`, `azuread_service_principal`, `azuread_group`, ... */
  readonly type: string;
  /** The arguments, as written (literals or deferred). */
  readonly arguments: Readonly<Record<string, TfString | TfScalar<number> | TfScalar<boolean>>>;
}

/** A stack output. */
export interface InspectedOutput {
  readonly name: string;
  readonly description?: string;
  readonly sensitive: boolean;
  /** The value: a string (or deferred), or a map of them. */
  readonly value: TfString | Readonly<Record<string, TfString>>;
}

/** The azuread provider's settings. None takes a secret. */
export interface InspectedProvider {
  readonly name: string;
  readonly settings: Readonly<Record<string, TfString | TfScalar<boolean>>>;
}

/** The state backend. */
export interface InspectedBackend {
  readonly type: string;
  readonly settings: Readonly<Record<string, TfString | TfScalar<boolean> | Readonly<Record<string, TfString>>>>;
}

/**
 * A Terraform `import` block (Terraform 1.5+): an existing object, made in the portal, that the
 * first plan takes into the state instead of creating a new one.
 */
export interface InspectedImport {
  /** The resource it imports into, e.g. `azuread_application.itsm-mail_application_DE9ACE3A`. */
  readonly to: string;
  /** The provider's import ID, e.g. `/applications/<object ID>`. */
  readonly id: TfString;
  /** The `provider` meta-argument (`azuread.alias`), when written. */
  readonly provider?: string;
}

/** A resource or attribute the inspection does not read: listed, so nothing passes unseen. */
export interface Unread {
  readonly address: string;
  /** The attribute path (`web.implicit_grant`), or empty for a resource type the inspection does not know. */
  readonly attribute: string;
}

/** Everything one stack declares. */
export interface StackInspection {
  /** The stack's name (the environment). */
  readonly stack: string;
  readonly applications: readonly InspectedApplication[];
  readonly servicePrincipals: readonly InspectedServicePrincipal[];
  readonly appRoleAssignments: readonly InspectedAppRoleAssignment[];
  readonly delegatedGrants: readonly InspectedDelegatedGrant[];
  readonly passwords: readonly InspectedPassword[];
  readonly rotatingClocks: readonly InspectedRotatingClock[];
  readonly rotatingSecrets: readonly InspectedRotatingSecret[];
  readonly identifierUris: readonly InspectedIdentifierUri[];
  readonly permissionScopes: readonly InspectedPermissionScope[];
  readonly policies: readonly InspectedPolicy[];
  readonly namedLocations: readonly InspectedNamedLocation[];
  readonly groups: readonly InspectedGroup[];
  readonly dataSources: readonly InspectedDataSource[];
  readonly outputs: readonly InspectedOutput[];
  readonly providers: readonly InspectedProvider[];
  readonly backend?: InspectedBackend;
  /** The `import` blocks, in the order written: objects the first plan takes over instead of creating. */
  readonly imports: readonly InspectedImport[];
  /** `terraform.required_providers`: each provider's source and pinned version. */
  readonly requiredProviders: readonly { readonly name: string; readonly source: string; readonly version: string }[];
  /** Every resource and data source by address, with its construct path. */
  readonly addresses: readonly { readonly address: string; readonly path: string; readonly owner: string }[];
  readonly unread: readonly Unread[];
}
