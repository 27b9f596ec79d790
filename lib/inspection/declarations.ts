/**
 * What the constructs record when they resolve things that the Terraform JSON alone does not say:
 * which permission an app role ID stands for (an Exchange Online role ID is only looked up at plan
 * time), the mail preset an application was built from, the ITSM tool preset and what it filled in, which passwords form one rotating secret,
 * a policy's written waiver. Recorded as construct metadata (the public `node.addMetadata`),
 * keyed by construct paths, and read back by the inspection; never synthesized.
 */
import type { IConstruct } from 'constructs';
import type { AppliedItsmTool } from '../model/itsm-tool';
import type { MailAccess } from '../model/mail-access';
import type { ApiName, PermissionIdSource, PermissionType } from '../model/permissions';

/** Node metadata type under which declarations are recorded. */
export const DECLARATION_METADATA = 'entra-itsm-mail:declaration';

/** A permission as the construct resolved it. */
export interface DeclaredPermission {
  readonly api: ApiName;
  readonly type: PermissionType;
  readonly name: string;
  /** The catalogue's ID (for a `tenant` ID source, what the catalogue says the tenant will return). */
  readonly catalogueId: string;
  /** Whether a public source confirms the catalogue's ID. */
  readonly idVerified: boolean;
  /** Where the ID written into the Terraform comes from. */
  readonly idSource: PermissionIdSource;
  readonly justification?: string;
}

/** Everything a construct can declare; `path` fields are construct paths of resources. */
export type Declaration =
  /** The permissions of an `azuread_application`'s `required_resource_access`, in the order written. */
  | { readonly kind: 'requestedPermissions'; readonly application: string; readonly permissions: readonly DeclaredPermission[] }
  /** Admin consent for one application permission (an `azuread_app_role_assignment`). */
  | { readonly kind: 'consentedAppRole'; readonly assignment: string; readonly permission: DeclaredPermission }
  /** Admin consent for delegated permissions (an `azuread_service_principal_delegated_permission_grant`). */
  | { readonly kind: 'consentedScopes'; readonly grant: string; readonly permissions: readonly DeclaredPermission[] }
  /** A user or group allowed to sign in (an `azuread_app_role_assignment` of the default access role). */
  | { readonly kind: 'signInAssignment'; readonly assignment: string }
  /** The mail preset an application was built from, and its Exchange Online runbook output. */
  | { readonly kind: 'mailAccess'; readonly application: string; readonly mail: MailAccess; readonly declaredBy: string }
  /** The ITSM tool preset an application was built with, and what it filled in. */
  | { readonly kind: 'itsmTool'; readonly application: string; readonly tool: AppliedItsmTool }
  /** Two `azuread_application_password` slots, each with its `time_rotating` clock, that rotate alternately. */
  | {
      readonly kind: 'rotatingSecret';
      /** The construct path of the rotating secret itself. */
      readonly path: string;
      readonly lifetimeDays: number;
      readonly slots: readonly { readonly slot: string; readonly password: string; readonly clock: string }[];
    }
  /** The written reason for enforcing a policy without a break-glass exclusion. */
  | { readonly kind: 'breakGlassWaiver'; readonly policy: string; readonly reason: string }
  /** The preset a conditional access policy started from (its settings are in the JSON). */
  | {
      readonly kind: 'policyPreset';
      readonly policy: string;
      readonly preset: string;
      readonly summary: string;
      readonly source: string;
      readonly requires?: string;
    }
  /** A policy setting written under its former name (before Microsoft Graph's name was taken). */
  | { readonly kind: 'formerSettingName'; readonly policy: string; readonly from: string; readonly to: string };

/** Records a declaration on `scope` (any construct of the stack). */
export function declare(scope: IConstruct, declaration: Declaration): void {
  scope.node.addMetadata(DECLARATION_METADATA, declaration, { stackTrace: false });
}

/** Every declaration recorded at or below `scope`, in tree order. */
export function collectDeclarations(scope: IConstruct): Declaration[] {
  const out: Declaration[] = [];
  for (const c of scope.node.findAll()) {
    for (const m of c.node.metadata) if (m.type === DECLARATION_METADATA) out.push(m.data as Declaration);
  }
  return out;
}
