/**
 * What the guardrail rules look at: plain, read-only data, built from the construct tree by
 * `model.ts` (L2 constructs and raw provider resources alike). Rules never see constructs, so they
 * are pure functions, tested on hand-written subjects.
 *
 * A value that is only known at deploy time is a string holding a Terraform expression
 * (`${azuread_application.x.client_id}`); rules skip such values (see `isUnknown`).
 */
import type { PermissionInfo } from '../permissions/catalogue';

/** True for a value only known at deploy time: a string holding a Terraform expression. */
export function isUnknown(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('${') || value.includes('%{'));
}

/** One permission as requested or consented, named from the catalogue where it is known. */
export interface PermissionView {
  /** Client ID of the resource API (e.g. Microsoft Graph's `00000003-…`), or an expression. */
  readonly resourceAppId: string;
  /** The API's display name, or its client ID when the catalogue does not know it. */
  readonly apiDisplayName: string;
  readonly type: 'delegated' | 'application';
  /** The permission name, when known (from the catalogue, the construct, or the expression). */
  readonly name?: string;
  /** The scope or app role ID, when it is a literal. */
  readonly id?: string;
  /** The catalogue entry, when the permission is catalogued. */
  readonly info?: PermissionInfo;
  /** Why it is requested (config `permissions[].justification`, or the construct's). */
  readonly justification?: string;
}

/** An app registration (`azuread_application`), raw or inside an `ItsmMailApplication`. */
export interface ApplicationSubject {
  readonly kind: 'application';
  /** Construct path of the `azuread_application`. */
  readonly path: string;
  readonly address: string;
  readonly displayName: string;
  /** `sign_in_audience`; the provider's default `AzureADMyOrg` when not set. */
  readonly signInAudience: string;
  /** Owners' object IDs (or expressions), inline and from `azuread_application_owner`. */
  readonly owners: readonly string[];
  readonly redirectUris: readonly { readonly uri: string; readonly platform: 'web' | 'spa' | 'publicClient' }[];
  /** `required_resource_access`, in the order declared. */
  readonly requested: readonly PermissionView[];
  /** App role assignments and delegated grants to the application's service principal(s). */
  readonly consented: readonly (PermissionView & { readonly path: string })[];
  /** True when the registration has a service principal in the same stack (consent needs one). */
  readonly hasServicePrincipal: boolean;
}

/** A client secret: a `RotatingClientSecret`, or a raw application / service principal password. */
export interface SecretSubject {
  readonly kind: 'secret';
  readonly path: string;
  /** Terraform addresses of the password resources. */
  readonly addresses: readonly string[];
  readonly credential: 'applicationPassword' | 'servicePrincipalPassword';
  /** True for a `RotatingClientSecret` (two slots that rotate). */
  readonly rotating: boolean;
  /** Lifetime of each secret in days; undefined when only known at deploy time. */
  readonly lifetimeDays?: number;
  /** How the lifetime is known, for messages: `lifetimeDays`, `end_date_relative`, … */
  readonly lifetimeFrom: string;
}

/** An exposed delegated scope (`azuread_application_permission_scope` or an inline `api` scope). */
export interface ExposedScopeSubject {
  readonly kind: 'exposedScope';
  readonly path: string;
  readonly address: string;
  readonly value: string;
  /** `Admin` or `User` (who may consent). */
  readonly consentType: string;
}

/** An `azuread_conditional_access_policy`, raw or inside an `MfaConditionalAccessPolicy`. */
export interface ConditionalAccessSubject {
  readonly kind: 'conditionalAccess';
  readonly path: string;
  readonly address: string;
  readonly displayName: string;
  /** `enabled`, `disabled` or `enabledForReportingButNotEnforced` (or an expression). */
  readonly state: string;
  readonly includedUsers: readonly string[];
  readonly excludedUsers: readonly string[];
  readonly includedGroups: readonly string[];
  readonly excludedGroups: readonly string[];
  readonly includedRoles: readonly string[];
  readonly excludedRoles: readonly string[];
  readonly includedApplications: readonly string[];
  readonly excludedApplications: readonly string[];
  readonly clientAppTypes: readonly string[];
  readonly builtInControls: readonly string[];
  readonly authenticationStrengthPolicyId?: string;
  readonly operator?: string;
  /**
   * The written reason given to the construct for enforcing without a break-glass exclusion, if
   * any; it suppresses the break-glass rule with that reason.
   */
  readonly breakGlassWaiver?: string;
}

/** A group that a conditional access policy includes or excludes, declared in the same stack. */
export interface PolicyGroupSubject {
  readonly kind: 'policyGroup';
  readonly path: string;
  readonly address: string;
  readonly displayName: string;
  /** `security_enabled` as declared; undefined when not set or not known. */
  readonly securityEnabled?: boolean;
  readonly mailEnabled?: boolean;
  /** Display names of the policies that use it. */
  readonly usedBy: readonly string[];
}

/** The mail access of an `ItsmMailApplication` and the Exchange Online runbook made from it. */
export interface MailAccessSubject {
  readonly kind: 'mailAccess';
  readonly path: string;
  readonly flow: 'delegated' | 'app-only';
  readonly protocols: readonly string[];
  readonly mailboxes: readonly string[];
  readonly mailboxAccess: 'rbac' | 'fullAccess';
  /** Application permissions requested that reach mailboxes (Graph `Mail.*`, Exchange `full_access_as_app`, …). */
  readonly tenantWideMailPermissions: readonly string[];
}

/** Everything a rule can look at. */
export type GuardrailSubject =
  | ApplicationSubject
  | SecretSubject
  | ExposedScopeSubject
  | ConditionalAccessSubject
  | PolicyGroupSubject
  | MailAccessSubject;

/** The kind of a subject: `application`, `secret`, `exposedScope`, `conditionalAccess`, `policyGroup`, `mailAccess`. */
export type SubjectKind = GuardrailSubject['kind'];

/** The subject type of a kind. */
export type SubjectOf<K extends SubjectKind> = Extract<GuardrailSubject, { readonly kind: K }>;
