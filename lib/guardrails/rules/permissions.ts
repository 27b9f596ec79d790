import type { InspectedPermission } from '../../inspection/inspection';
import { highPrivilegeReason } from '../../model/permissions';
import { KnownApi } from '../../permissions/catalogue';
import { hit, type GuardrailRule, type RuleHit } from '../rule';
import { isDeferred, literal } from '../subjects';

/** Why an inspected permission is high privilege, or undefined (unnamed ones are reported by ITSM-PERM-004). */
export function inspectedHighPrivilege(p: InspectedPermission): string | undefined {
  return p.api !== undefined && p.name !== undefined ? highPrivilegeReason({ api: p.api, type: p.type, name: p.name }) : undefined;
}

/** `Microsoft Graph application permission Mail.Read`, or the ID when the name is unknown. */
export function describePermission(p: InspectedPermission): string {
  const api = p.api ? KnownApi[p.api].displayName : (literal(p.resourceAppId) ?? 'an API of this stack');
  const which = p.name ?? literal(p.id) ?? 'resolved at plan time';
  return `${api} ${p.type} permission ${which}`;
}

/** The key that matches a requested permission with its consent; undefined when not comparable. */
export function permissionKey(p: InspectedPermission): string | undefined {
  const which = p.name ?? literal(p.id);
  const app = literal(p.resourceAppId);
  if (which === undefined || app === undefined) return undefined;
  return `${app.toLowerCase()}|${p.type}|${which}`;
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
      const why = inspectedHighPrivilege(p);
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
  explanation: 'the ITSM tool fails until someone grants consent outside this code, and that grant is then invisible to the review.',
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
  explanation: 'the grant gives the service principal access that the app registration does not show, so the portal and a permission review both miss it.',
  source: 'Microsoft Learn: review permissions granted to enterprise applications',
  fix: 'request the permission on the application (permissions in config or code), or remove the app role assignment / delegated grant.',
  appliesTo: 'application',
  check: (a) => {
    const requested = new Set(a.requested.map(permissionKey));
    const hits: RuleHit[] = [];
    for (const c of a.consented) {
      const key = permissionKey(c);
      const name = isDeferred(a.displayName) ? 'the application' : `"${a.displayName}"`;
      if (key && !requested.has(key)) hits.push(hit(`${describePermission(c)} is consented but not requested by ${name}`, c.path));
    }
    return hits;
  },
};

/** ITSM-PERM-004: a permission the guardrails cannot name (a raw resource resolving its ID at plan time). */
export const unnamedPermission: GuardrailRule<'application'> = {
  id: 'ITSM-PERM-004',
  severity: 'warning',
  title: 'Permission the guardrails cannot name',
  explanation:
    'the permission ID is only known at plan time and no construct declared which permission it is, so the high-privilege and consent checks cannot judge it.',
  source: 'this project (the guardrails read what the stack declares)',
  fix: 'request the permission by name through ItsmMailApplication (permissions), which records it, or write the app role ID as a literal from the permission catalogue.',
  appliesTo: 'application',
  check: (a) =>
    [...a.requested, ...a.consented]
      .filter((p) => p.namedBy === 'unknown')
      .map((p) =>
        hit(
          `${describePermission(p)} (${isDeferred(p.id) ? 'ID resolved at plan time' : 'ID not in the catalogue'})`,
          'path' in p ? (p as { path: string }).path : undefined,
        ),
      ),
};
