/**
 * Builds the review data of each stack from its constructs: the same reading of the tree the
 * guardrails use (resources as Terraform sees them, plus the L2 constructs' settings).
 */
import type { IConstruct } from 'constructs';
import { ItsmMailApplication } from '../application/itsm-mail-application';
import { evaluateGuardrails } from '../guardrails/engine';
import type { GuardrailFinding } from '../guardrails/finding';
import { buildStackModels, parseReference, permissionView, type StackModel, type TfResource } from '../guardrails/model';
import { highPrivilegeReason, permissionKey } from '../guardrails/rules/permissions';
import type { ApplicationSubject, ConditionalAccessSubject, PermissionView, SecretSubject } from '../guardrails/subjects';
import type { ApplicationReview, EnvironmentReview, GroupRef, PermissionReview, PolicyReview } from './review-model';

/** The review data of every stack at or below `scope`, in stack order. */
export function collectReviews(scope: IConstruct): EnvironmentReview[] {
  return buildStackModels(scope).map(reviewOf);
}

/** The review data of one stack model. */
export function reviewOf(model: StackModel): EnvironmentReview {
  const rel = (path: string) => (path.startsWith(`${model.stackPath}/`) ? path.slice(model.stackPath.length + 1) : path);
  const byAddress = new Map(model.resources.map((r) => [r.address, r]));
  const findings = evaluateGuardrails(model.subjects, model.suppressions, { knownPaths: model.knownPaths }).map((f) => ({ ...f, path: rel(f.path) }));

  const apps = model.subjects.filter((s): s is ApplicationSubject => s.kind === 'application');
  const secrets = model.subjects.filter((s): s is SecretSubject => s.kind === 'secret');
  const appOf = (ref: unknown): string | undefined => {
    const r = parseReference(ref);
    if (!r) return undefined;
    if (r.address.startsWith('azuread_application.')) return r.address;
    const sp = byAddress.get(r.address);
    return sp?.type === 'azuread_service_principal' ? parseReference(sp.attrs.client_id)?.address : undefined;
  };

  const applications: ApplicationReview[] = apps.map((a) => {
    const resource = byAddress.get(a.address)!;
    const l2 = resource.construct.node.scope instanceof ItsmMailApplication ? resource.construct.node.scope : undefined;
    const belongs = (r: TfResource, attr: string) => appOf(r.attrs[attr]) === a.address;
    return {
      displayName: a.displayName,
      path: rel(a.path),
      address: a.address,
      servicePrincipalAddresses: model.resources.filter((r) => r.type === 'azuread_service_principal' && r.mode === 'managed' && parseReference(r.attrs.client_id)?.address === a.address).map((r) => r.address),
      signInAudience: a.signInAudience,
      owners: a.owners,
      ...(l2 && l2.settings.assignedPrincipals.length > 0 ? { assignedPrincipals: [...l2.settings.assignedPrincipals] } : {}),
      redirectUris: a.redirectUris,
      ...(l2
        ? {
            mail: {
              flow: l2.settings.flow,
              protocols: [...l2.settings.protocols],
              mailboxes: [...l2.settings.mailboxes],
              mailboxAccess: l2.settings.mailboxAccess,
            },
          }
        : {}),
      secrets: secrets
        .filter((s) => s.addresses.some((addr) => { const r = byAddress.get(addr); return r !== undefined && (belongs(r, 'application_id') || belongs(r, 'service_principal_id')); }))
        .map((s) => ({ path: rel(s.path), addresses: s.addresses, credential: s.credential, rotating: s.rotating, ...(s.lifetimeDays !== undefined ? { lifetimeDays: s.lifetimeDays } : {}), lifetimeFrom: s.lifetimeFrom })),
      permissions: permissionsOf(a),
      identifierUris: [
        ...list(resource.attrs.identifier_uris),
        ...model.resources.filter((r) => r.type === 'azuread_application_identifier_uri' && belongs(r, 'application_id')).map((r) => String(r.attrs.identifier_uri)),
      ],
      scopes: model.resources
        .filter((r) => r.type === 'azuread_application_permission_scope' && belongs(r, 'application_id'))
        .map((r) => ({
          value: String(r.attrs.value ?? '(unknown)'),
          consentType: typeof r.attrs.type === 'string' ? r.attrs.type : 'User',
          ...(typeof r.attrs.admin_consent_display_name === 'string' ? { adminConsentDisplayName: r.attrs.admin_consent_display_name } : {}),
          path: rel(r.ownerPath),
          address: r.address,
        })),
    };
  });

  const policies: PolicyReview[] = model.subjects
    .filter((s): s is ConditionalAccessSubject => s.kind === 'conditionalAccess')
    .map((p) => {
      const group = (id: string): GroupRef => {
        const ref = parseReference(id);
        const g = ref ? byAddress.get(ref.address) : undefined;
        return g?.type === 'azuread_group' ? { id, displayName: String(g.attrs.display_name ?? ''), address: g.address } : { id };
      };
      const session = block(byAddress.get(p.address)?.attrs.session_controls);
      const sif =
        session?.sign_in_frequency_interval === 'everyTime'
          ? 'everyTime'
          : typeof session?.sign_in_frequency === 'number'
            ? `${session.sign_in_frequency} ${String(session.sign_in_frequency_period ?? '')}`.trim()
            : undefined;
      return {
        displayName: p.displayName,
        path: rel(p.path),
        address: p.address,
        state: p.state,
        includedUsers: p.includedUsers,
        excludedUsers: p.excludedUsers,
        includedGroups: p.includedGroups.map(group),
        excludedGroups: p.excludedGroups.map(group),
        includedRoles: p.includedRoles,
        excludedRoles: p.excludedRoles,
        includedApplications: p.includedApplications,
        excludedApplications: p.excludedApplications,
        clientAppTypes: p.clientAppTypes,
        builtInControls: p.builtInControls,
        ...(p.authenticationStrengthPolicyId !== undefined ? { authenticationStrengthPolicyId: p.authenticationStrengthPolicyId } : {}),
        ...(p.operator !== undefined ? { operator: p.operator } : {}),
        ...(sif !== undefined ? { signInFrequency: sif } : {}),
      };
    });

  return {
    environment: model.stackName,
    applications,
    policies,
    findings: findings as GuardrailFinding[],
    resources: model.resources.map((r) => ({ address: r.address, type: r.type, path: rel(r.ownerPath), label: labelOf(r, byAddress) })),
  };
}

/** Requested permissions in order, then consents of permissions not requested. */
function permissionsOf(a: ApplicationSubject): PermissionReview[] {
  const consented = new Set(a.consented.map(permissionKey).filter((k) => k !== undefined));
  const requested = new Set(a.requested.map(permissionKey).filter((k) => k !== undefined));
  const out = a.requested.map((p) => view(p, true, consented.has(permissionKey(p) ?? '')));
  for (const c of a.consented) if (!requested.has(permissionKey(c) ?? '')) out.push(view(c, false, true));
  return out;
}

function view(p: PermissionView, requested: boolean, consented: boolean): PermissionReview {
  const why = highPrivilegeReason(p);
  return {
    apiDisplayName: p.apiDisplayName,
    name: p.name ?? p.id ?? '(unknown)',
    ...(p.id !== undefined ? { id: p.id } : {}),
    type: p.type,
    ...(p.info ? { adminConsentRequired: p.info.adminConsentRequired, displayName: p.info.displayName, description: p.info.description } : {}),
    requested,
    consented,
    ...(p.justification !== undefined ? { justification: p.justification } : {}),
    ...(why !== undefined ? { highPrivilege: why } : {}),
  };
}

/** A resource in words, for the plan table. */
export function labelOf(r: TfResource, byAddress: ReadonlyMap<string, TfResource>): string {
  const a = r.attrs;
  const name = (v: unknown) => (typeof v === 'string' ? `"${v}"` : '');
  const appName = (ref: unknown) => {
    const target = byAddress.get(parseReference(ref)?.address ?? '');
    if (!target) return '';
    if (target.type === 'azuread_application') return ` of ${name(target.attrs.display_name)}`;
    if (target.type === 'azuread_service_principal') return appName(target.attrs.client_id);
    return '';
  };
  switch (r.type) {
    case 'azuread_application':
      return `application ${name(a.display_name)}`;
    case 'azuread_service_principal':
      return r.mode === 'data' ? `reads the service principal ${String(a.client_id ?? a.display_name ?? '')}`.trim() : `service principal${appName(a.client_id)}`;
    case 'azuread_application_password':
      return `client secret ${name(a.display_name)}${appName(a.application_id)}`.replace(/\s+/g, ' ');
    case 'azuread_service_principal_password':
      return `service principal password${appName(a.service_principal_id)}`;
    case 'azuread_application_identifier_uri':
      return `identifier URI${appName(a.application_id)}`;
    case 'azuread_application_permission_scope':
      return `exposed scope ${name(a.value)}${appName(a.application_id)}`;
    case 'azuread_app_role_assignment': {
      if (a.app_role_id === '00000000-0000-0000-0000-000000000000') {
        return `sign-in assignment of ${typeof a.principal_object_id === 'string' ? `\`${a.principal_object_id}\`` : 'a user or group'}${appName(a.resource_object_id)}`;
      }
      const resource = byAddress.get(parseReference(a.resource_object_id)?.address ?? '');
      const clientId = resource?.type === 'azuread_service_principal' && typeof resource.attrs.client_id === 'string' ? resource.attrs.client_id : '${unknown}';
      const p = permissionView(clientId, 'application', typeof a.app_role_id === 'string' ? a.app_role_id : undefined);
      return `admin consent to ${p.name ? `${p.apiDisplayName} ${p.name}` : 'an application permission'}${appName(a.principal_object_id)}`;
    }
    case 'azuread_service_principal_delegated_permission_grant':
      return `admin consent to delegated permissions ${list(a.claim_values).join(', ')}${appName(a.service_principal_object_id)}`;
    case 'azuread_conditional_access_policy':
      return `conditional access policy ${name(a.display_name)}`;
    case 'azuread_group':
      return `group ${name(a.display_name)}`;
    case 'azuread_client_config':
      return 'reads the identity that runs Terraform';
    case 'time_rotating':
      return `rotation clock of the client secret (${r.path.split('/').slice(-1)[0]})`;
    default:
      return `${r.mode === 'data' ? 'reads ' : ''}${r.type}`;
  }
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

function block(v: unknown): Record<string, unknown> | undefined {
  const b = Array.isArray(v) ? v[0] : v;
  return b !== null && typeof b === 'object' ? (b as Record<string, unknown>) : undefined;
}
