import type { ExpectedPermissions, MailFlow, MailProtocol, PermissionExpectation, PermissionSource } from './types';

/** Office 365 Exchange Online's application ID: a v1 token's `aud` when the resource is asked for by ID. */
export const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

/** The Exchange Online resource URIs of the public cloud; both are accepted by IMAP, POP and SMTP. */
const PUBLIC_EXCHANGE_RESOURCES = ['https://outlook.office.com', 'https://outlook.office365.com'];

/** Application permissions (Office 365 Exchange Online), in the token's `roles`. */
export const APP_ONLY_PERMISSION: Readonly<Record<MailProtocol, string>> = {
  imap: 'IMAP.AccessAsApp',
  pop: 'POP.AccessAsApp',
  smtp: 'SMTP.SendAsApp',
};

/** Delegated permissions, in the token's `scp`. */
export const DELEGATED_PERMISSION: Readonly<Record<MailProtocol, string>> = {
  imap: 'IMAP.AccessAsUser.All',
  pop: 'POP.AccessAsUser.All',
  smtp: 'SMTP.Send',
};

/**
 * How app-only SMTP is granted: the Entra ID app role `SMTP.SendAsApp` (in the token), an Exchange
 * RBAC for Applications role assignment (not in the token), or not known.
 */
export type SmtpGrant = 'entra-app-role' | 'exchange-rbac' | 'unknown';

/** The resource of a scope string: the origin of its first URL (`https://outlook.office365.com/.default` → `https://outlook.office365.com`). */
export function scopeResource(scope: string): string | undefined {
  for (const part of scope.split(/\s+/)) {
    if (!/^https:\/\//i.test(part)) continue;
    try {
      return new URL(part).origin;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** An Exchange Online host: outlook.office365.com, outlook.office.com, outlook.office365.us, partner.outlook.cn, ... */
export function isExchangeResource(resource: string): boolean {
  try {
    return /(^|\.)outlook\./i.test(new URL(resource).hostname);
  } catch {
    return false;
  }
}

/** `aud` without a trailing slash, lower-cased. */
export function normalizeAudience(aud: string): string {
  return aud.replace(/\/+$/, '').toLowerCase();
}

/**
 * What the token must carry for the configured flow and protocols.
 *
 * App-only SMTP: with Exchange RBAC for Applications (the project's `mailboxAccess: rbac`, its
 * default) the `SMTP.SendAsApp` app role is deliberately not requested in Entra ID, so it is not in
 * the token; Exchange checks the role assignment instead. The token cannot show that assignment, so
 * when the outputs do not say how SMTP is granted, a missing `SMTP.SendAsApp` is reported but does
 * not fail the claims check: the SMTP check, which asks Exchange itself, decides.
 */
export function expectedPermissions(flow: MailFlow, protocols: readonly MailProtocol[], scope: string, smtpGrant: SmtpGrant): ExpectedPermissions {
  const byProtocol: Partial<Record<MailProtocol, PermissionExpectation>> = {};
  for (const p of protocols) {
    if (flow === 'delegated') {
      byProtocol[p] = { permission: DELEGATED_PERMISSION[p], source: 'token' };
    } else {
      const source: PermissionSource =
        p !== 'smtp' ? 'token' : smtpGrant === 'entra-app-role' ? 'token' : smtpGrant === 'exchange-rbac' ? 'exchange-rbac' : 'unknown';
      byProtocol[p] = { permission: APP_ONLY_PERMISSION[p], source };
    }
  }
  // Exchange Online's resource URIs: the public cloud's, and the scope's own when it names an
  // Exchange host (sovereign clouds have their own, e.g. outlook.office365.us); never the scope's
  // resource as such, or a Microsoft Graph scope would make a Graph token look right.
  const audiences = new Set<string>(PUBLIC_EXCHANGE_RESOURCES);
  const resource = scopeResource(scope);
  if (resource && isExchangeResource(resource)) audiences.add(normalizeAudience(resource));
  audiences.add(EXCHANGE_ONLINE_APP_ID);
  return { claim: flow === 'app-only' ? 'roles' : 'scp', audiences: [...audiences], byProtocol };
}
