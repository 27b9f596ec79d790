/**
 * What the review shows for one environment: plain data, built from the constructs by
 * `collect.ts` and rendered to markdown by `render.ts`. Deploy-time values are kept as
 * `${…}` expressions; the renderer words them ("known after apply").
 */
import type { GuardrailFinding } from '../guardrails/finding';

export interface EnvironmentReview {
  /** The stack's name (the environment). */
  readonly environment: string;
  readonly applications: readonly ApplicationReview[];
  readonly policies: readonly PolicyReview[];
  /** Guardrail findings, suppressed ones included. Paths are relative to the stack. */
  readonly findings: readonly GuardrailFinding[];
  /** Every resource of the stack, in words, for reading a plan. */
  readonly resources: readonly ResourceLabel[];
}

/** A Terraform resource in the reviewer's words. */
export interface ResourceLabel {
  /** `azuread_application.itsm-mail_application_DE9ACE3A` (data sources: `data.…`). */
  readonly address: string;
  readonly type: string;
  /** Construct path below the stack. */
  readonly path: string;
  /** e.g. `application "Pandora ITSM mail"`. */
  readonly label: string;
}

export interface ApplicationReview {
  readonly displayName: string;
  /** Construct path (below the stack) of the `azuread_application`. */
  readonly path: string;
  readonly address: string;
  readonly servicePrincipalAddresses: readonly string[];
  readonly signInAudience: string;
  /** Owners' object IDs or expressions. */
  readonly owners: readonly string[];
  /**
   * Who may sign in: `undefined` when assignment is not required (any user of the tenant), else the
   * object IDs assigned to the service principal (empty when assignment is required but unknown here).
   */
  readonly assignedPrincipals?: readonly string[];
  readonly redirectUris: readonly { readonly uri: string; readonly platform: 'web' | 'spa' | 'publicClient' }[];
  /** The mail preset, for applications built with `ItsmMailApplication`. */
  readonly mail?: {
    readonly flow: 'delegated' | 'app-only';
    readonly protocols: readonly string[];
    readonly mailboxes: readonly string[];
    readonly mailboxAccess: 'rbac' | 'fullAccess';
  };
  readonly secrets: readonly SecretReview[];
  readonly permissions: readonly PermissionReview[];
  readonly identifierUris: readonly string[];
  readonly scopes: readonly ScopeReview[];
}

export interface SecretReview {
  readonly path: string;
  readonly addresses: readonly string[];
  readonly credential: 'applicationPassword' | 'servicePrincipalPassword';
  readonly rotating: boolean;
  readonly lifetimeDays?: number;
  readonly lifetimeFrom: string;
}

export interface PermissionReview {
  readonly apiDisplayName: string;
  /** The name, or the ID when the catalogue does not know it. */
  readonly name: string;
  readonly id?: string;
  readonly type: 'delegated' | 'application';
  readonly adminConsentRequired?: boolean;
  /** The catalogue's short text ("Read and write access to mailboxes via IMAP"). */
  readonly displayName?: string;
  /** The catalogue's description (what it allows). */
  readonly description?: string;
  readonly requested: boolean;
  readonly consented: boolean;
  readonly justification?: string;
  /** Why it is high privilege, when it is. */
  readonly highPrivilege?: string;
}

export interface ScopeReview {
  readonly value: string;
  /** `Admin` or `User`. */
  readonly consentType: string;
  readonly adminConsentDisplayName?: string;
  readonly path: string;
  readonly address: string;
}

/** A group a policy includes or excludes: its object ID (or expression) and, if declared here, its name. */
export interface GroupRef {
  readonly id: string;
  readonly displayName?: string;
  readonly address?: string;
}

export interface PolicyReview {
  readonly displayName: string;
  readonly path: string;
  readonly address: string;
  /** `enabled`, `disabled` or `enabledForReportingButNotEnforced`. */
  readonly state: string;
  readonly includedUsers: readonly string[];
  readonly excludedUsers: readonly string[];
  readonly includedGroups: readonly GroupRef[];
  readonly excludedGroups: readonly GroupRef[];
  readonly includedRoles: readonly string[];
  readonly excludedRoles: readonly string[];
  readonly includedApplications: readonly string[];
  readonly excludedApplications: readonly string[];
  readonly clientAppTypes: readonly string[];
  readonly builtInControls: readonly string[];
  readonly authenticationStrengthPolicyId?: string;
  readonly operator?: string;
  /** `everyTime`, or a period such as `12 hours`. */
  readonly signInFrequency?: string;
}
