import { KnownApi } from '../../permissions/catalogue';
import { hit, type GuardrailRule, type RuleHit } from '../rule';
import { isUnknown, type PermissionView } from '../subjects';

const GRAPH = KnownApi.MicrosoftGraph.resourceAppId;
const EXCHANGE = KnownApi.ExchangeOnline.resourceAppId;

/**
 * Why a permission is high privilege, or undefined. High privilege: `*.ReadWrite.All`,
 * `Directory.*`, `RoleManagement.*`, Microsoft Graph `Mail.*` application permissions (every
 * mailbox), Exchange Online `full_access_as_app` (every mailbox over EWS) and `Exchange.ManageAsApp`
 * (Exchange administration).
 */
export function highPrivilegeReason(p: Pick<PermissionView, 'resourceAppId' | 'type' | 'name'>): string | undefined {
  const name = p.name;
  if (name === undefined) return undefined;
  const who = p.type === 'application' ? 'the application, without a signed-in user,' : 'the application, as the signed-in user,';
  if (name.startsWith('RoleManagement.')) return `${who} can manage directory role assignments: a path to Global Administrator`;
  if (name.startsWith('Directory.')) return `${who} reaches the whole directory`;
  if (p.resourceAppId === GRAPH && p.type === 'application' && name.startsWith('Mail.')) return `${who} reaches every mailbox of the tenant`;
  if (p.resourceAppId === EXCHANGE && name === 'full_access_as_app') return `${who} has full access to every mailbox through EWS`;
  if (p.resourceAppId === EXCHANGE && name === 'Exchange.ManageAsApp') return `${who} can administer Exchange Online`;
  if (name.endsWith('.ReadWrite.All')) return `${who} can change every object of its kind in the tenant`;
  return undefined;
}

/** `Microsoft Graph application permission Mail.Read`. */
export function describePermission(p: PermissionView): string {
  return `${p.apiDisplayName} ${p.type} permission ${p.name ?? p.id ?? '(unknown)'}`;
}

/** The key that matches a requested permission with its consent; undefined when not comparable. */
export function permissionKey(p: PermissionView): string | undefined {
  const which = p.name ?? p.id;
  if (which === undefined || isUnknown(which) || isUnknown(p.resourceAppId)) return undefined;
  return `${p.resourceAppId.toLowerCase()}|${p.type}|${which}`;
}

/** ITSM-PERM-001: a high-privilege permission without a written justification. */
export const highPrivilegeWithoutJustification: GuardrailRule<'application'> = {
  id: 'ITSM-PERM-001',
  severity: 'error',
  title: 'High-privilege permission without a justification',
  explanation: 'these permissions reach far beyond one mailbox; a reviewer must be told why the ITSM tool needs them.',
  source: 'Microsoft Learn: least privileged access for applications (Microsoft Graph permissions overview)',
  fix: 'drop the permission, or say why it is needed in permissions[].justification (config) or PermissionRef.justification (code); for a raw azuread_application, suppress the finding with the reason.',
  appliesTo: 'application',
  check: (a) => {
    const hits: RuleHit[] = [];
    for (const p of a.requested) {
      const why = highPrivilegeReason(p);
      if (why && !p.justification?.trim()) hits.push(hit(`${describePermission(p)}: ${why}`));
    }
    return hits;
  },
};

/** ITSM-PERM-002: a permission requested but not consented in the same stack. */
export const requestedNotConsented: GuardrailRule<'application'> = {
  id: 'ITSM-PERM-002',
  severity: 'warning',
  title: 'Permission requested but not consented',
  explanation:
    'the ITSM tool fails until someone grants consent outside this code, and that grant is then invisible to the review.',
  source: 'Pandora ITSM manual ("Grant admin consent"); Microsoft Learn: grant tenant-wide admin consent',
  fix: 'keep adminConsent: true (the default) so consent is declared with the request, or remove the permission.',
  appliesTo: 'application',
  check: (a) => {
    const consented = new Set(a.consented.map(permissionKey));
    const hits: RuleHit[] = [];
    for (const p of a.requested) {
      const key = permissionKey(p);
      if (key && !consented.has(key)) hits.push(hit(`${describePermission(p)} is requested but not consented`));
    }
    return hits;
  },
};

/** ITSM-PERM-003: a consent (app role assignment or delegated grant) for a permission the application does not request. */
export const consentedNotRequested: GuardrailRule<'application'> = {
  id: 'ITSM-PERM-003',
  severity: 'error',
  title: 'Permission consented but not requested',
  explanation:
    'the grant gives the service principal access that the app registration does not show, so the portal and a permission review both miss it.',
  source: 'Microsoft Learn: review permissions granted to enterprise applications',
  fix: 'request the permission on the application (permissions in config or code), or remove the app role assignment / delegated grant.',
  appliesTo: 'application',
  check: (a) => {
    const requested = new Set(a.requested.map(permissionKey));
    const hits: RuleHit[] = [];
    for (const c of a.consented) {
      const key = permissionKey(c);
      if (key && !requested.has(key)) hits.push(hit(`${describePermission(c)} is consented but not requested by "${a.displayName}"`, c.path));
    }
    return hits;
  },
};
