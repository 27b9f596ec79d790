import type { ApiName, PermissionType } from '../permissions/catalogue';

/**
 * How the ITSM tool reaches the mailbox.
 * - `delegated`: it signs in as the mailbox user (authorization-code flow, refresh tokens).
 * - `app-only`: client credentials, no user; Exchange Online must also grant the app each mailbox.
 */
export type MailFlow = 'delegated' | 'app-only';

/** A mail protocol the ITSM tool speaks to Exchange Online. */
export type MailProtocol = 'imap' | 'pop' | 'smtp';

/** Microsoft Graph application permissions for tools that use the Graph mail API instead of IMAP/SMTP. */
export type GraphMailPermission = 'Mail.Read' | 'Mail.ReadWrite' | 'Mail.Send';

/**
 * How app-only mailbox access is granted in Exchange Online (see the runbook).
 * - `rbac`: RBAC for Applications scoped to the mailboxes where Exchange offers a role (SMTP.SendAsApp),
 *   mailbox permissions for IMAP/POP (no RBAC role exists for them).
 * - `fullAccess`: `Add-MailboxPermission -AccessRights FullAccess` on each mailbox for every protocol.
 */
export type MailboxAccess = 'rbac' | 'fullAccess';

/** A permission named by API, type and name; ids come from the catalogue or the tenant. */
export interface PermissionRef {
  readonly api: ApiName;
  readonly type: PermissionType;
  readonly name: string;
  /** Why it is needed; shown in the review and required by the guardrails for high privilege. */
  readonly justification?: string;
}

export interface MailAccessOptions {
  readonly flow: MailFlow;
  /** @default ['imap', 'smtp'] */
  readonly protocols?: readonly MailProtocol[];
  /** @default [] */
  readonly graphMailPermissions?: readonly GraphMailPermission[];
  /** @default 'rbac' */
  readonly mailboxAccess?: MailboxAccess;
  /**
   * Why the Graph mail application permissions are needed. They reach every mailbox of the tenant
   * unless Exchange scopes them, so the guardrails require a written reason.
   * @default - none (the guardrails report ITSM-PERM-001 when graphMailPermissions are set)
   */
  readonly graphMailJustification?: string;
}

/** Delegated sign-in scopes every delegated flow needs: refresh tokens and the user's identity. */
const DELEGATED_SIGN_IN: readonly string[] = ['offline_access', 'openid'];

const DELEGATED_BY_PROTOCOL: Readonly<Record<MailProtocol, string>> = {
  imap: 'IMAP.AccessAsUser.All',
  pop: 'POP.AccessAsUser.All',
  smtp: 'SMTP.Send',
};

const APP_ONLY_BY_PROTOCOL: Readonly<Record<MailProtocol, string>> = {
  imap: 'IMAP.AccessAsApp',
  pop: 'POP.AccessAsApp',
  smtp: 'SMTP.SendAsApp',
};

/**
 * The API permissions a mail preset requests, in a stable order.
 *
 * Delegated: Microsoft Graph `IMAP.AccessAsUser.All` / `POP.AccessAsUser.All` / `SMTP.Send` per
 * protocol plus `offline_access` and `openid`, as Microsoft's IMAP/POP/SMTP OAuth guide lists them.
 * App-only: Office 365 Exchange Online `IMAP.AccessAsApp` / `POP.AccessAsApp` / `SMTP.SendAsApp`.
 * With `mailboxAccess: 'rbac'`, SMTP is granted by an Exchange RBAC role assignment instead, and
 * Microsoft's SMTP RBAC guide says not to add the `SMTP.SendAsApp` app role as well.
 */
export function mailPermissions(options: MailAccessOptions): PermissionRef[] {
  const protocols = options.protocols ?? ['imap', 'smtp'];
  const ordered = (['imap', 'pop', 'smtp'] as const).filter((p) => protocols.includes(p));
  const out: PermissionRef[] = [];
  if (options.flow === 'delegated') {
    for (const p of ordered) out.push({ api: 'MicrosoftGraph', type: 'delegated', name: DELEGATED_BY_PROTOCOL[p] });
    for (const name of DELEGATED_SIGN_IN) out.push({ api: 'MicrosoftGraph', type: 'delegated', name });
  } else {
    const rbac = (options.mailboxAccess ?? 'rbac') === 'rbac';
    for (const p of ordered) {
      if (p === 'smtp' && rbac) continue;
      out.push({ api: 'ExchangeOnline', type: 'application', name: APP_ONLY_BY_PROTOCOL[p] });
    }
  }
  for (const name of options.graphMailPermissions ?? []) {
    out.push({
      api: 'MicrosoftGraph',
      type: 'application',
      name,
      justification: options.graphMailJustification,
    });
  }
  return out;
}

/** The OAuth scope string the ITSM tool requests for a flow (Graph-prefixed scopes do not work for IMAP/SMTP). */
export function mailTokenScope(flow: MailFlow, protocols: readonly MailProtocol[]): string {
  if (flow === 'app-only') return 'https://outlook.office365.com/.default';
  const ordered = (['imap', 'pop', 'smtp'] as const).filter((p) => protocols.includes(p));
  return [...ordered.map((p) => `https://outlook.office.com/${DELEGATED_BY_PROTOCOL[p]}`), 'offline_access'].join(' ');
}

/**
 * Why extra permissions contradict the mail preset, or undefined. With app-only SMTP granted by
 * Exchange RBAC for Applications, an `SMTP.SendAsApp` app role in Entra ID as well would make
 * Exchange check mailbox permissions instead of the RBAC scope (Microsoft's SMTP RBAC guide).
 */
export function mailPresetConflict(options: MailAccessOptions, extra: readonly PermissionRef[]): string | undefined {
  const rbacSmtp = options.flow === 'app-only' && (options.protocols ?? ['imap', 'smtp']).includes('smtp') && (options.mailboxAccess ?? 'rbac') === 'rbac';
  const doubled = extra.some((p) => p.api === 'ExchangeOnline' && p.type === 'application' && p.name === 'SMTP.SendAsApp');
  return rbacSmtp && doubled
    ? 'SMTP.SendAsApp is granted by Exchange RBAC for Applications (mail.mailboxAccess: rbac); requesting the Entra ID app role too defeats the mailbox scoping: remove it, or set mail.mailboxAccess: fullAccess'
    : undefined;
}
