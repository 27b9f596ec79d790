/**
 * How the ITSM tool reaches its mailboxes: the flow, the protocols, the permissions each preset
 * requests and how Exchange Online grants app-only access. The runbook, the guardrails and the
 * review all describe mailbox access from `mailboxGrants`, so they cannot disagree.
 */
import { z } from 'zod';
import { type PermissionRef } from './permissions';
import { problemAt, repeated, show, type Problem } from './problem';
import type { RuleSet } from './rules';
import { textProblem } from './text';

/** `delegated` (the tool signs in as the mailbox user) or `app-only` (client credentials, no user). */
export const MAIL_FLOWS = ['delegated', 'app-only'] as const;
/**
 * How the ITSM tool reaches the mailbox.
 * - `delegated`: it signs in as the mailbox user (authorization-code flow, refresh tokens).
 * - `app-only`: client credentials, no user; Exchange Online must also grant the app each mailbox.
 */
export type MailFlow = (typeof MAIL_FLOWS)[number];

/** The mail protocols, in the order they are always listed. */
export const MAIL_PROTOCOLS = ['imap', 'pop', 'smtp'] as const;
/** A mail protocol the ITSM tool speaks to Exchange Online. */
export type MailProtocol = (typeof MAIL_PROTOCOLS)[number];

/** Microsoft Graph application permissions for tools that use the Graph mail API instead of IMAP/SMTP. */
export const GRAPH_MAIL_PERMISSIONS = ['Mail.Read', 'Mail.ReadWrite', 'Mail.Send'] as const;
/** `Mail.Read`, `Mail.ReadWrite` or `Mail.Send`. */
export type GraphMailPermission = (typeof GRAPH_MAIL_PERMISSIONS)[number];

/** How app-only mailbox access is granted in Exchange Online (see the runbook). */
export const MAILBOX_ACCESS = ['rbac', 'fullAccess'] as const;
/**
 * - `rbac`: RBAC for Applications scoped to the mailboxes where Exchange offers a role (SMTP),
 *   mailbox permissions for IMAP/POP (Exchange has no RBAC role for them).
 * - `fullAccess`: `Add-MailboxPermission -AccessRights FullAccess` on each mailbox for every protocol.
 */
export type MailboxAccess = (typeof MAILBOX_ACCESS)[number];

/** The mail preset of an application: the config's `application.mail`, the construct's `mail`. */
export interface MailAccessProps {
  /**
   * `delegated` (the tool signs in as the mailbox user) or `app-only` (client credentials).
   * @default - the ITSM tool's only flow (application.itsmTool); required when the tool supports both (pandora-itsm, znuny)
   */
  readonly flow?: MailFlow;
  /**
   * Mail protocols the ITSM tool uses.
   * @default - the ITSM tool's (application.itsmTool); ['imap', 'smtp'] for pandora-itsm
   */
  readonly protocols?: readonly MailProtocol[];
  /**
   * Microsoft Graph mail application permissions, for tools that use the Graph API instead of
   * IMAP/SMTP. They reach every mailbox unless Exchange scopes them.
   * @default []
   */
  readonly graphMailPermissions?: readonly GraphMailPermission[];
  /**
   * Why the Graph mail application permissions are needed (they reach every mailbox); guardrail
   * ITSM-PERM-001 requires it when graphMailPermissions is set.
   * @default - none
   */
  readonly graphMailJustification?: string;
  /**
   * The mailboxes the ITSM tool reads or sends as; the Exchange Online runbook scopes access to them.
   * @default []
   */
  readonly mailboxes?: readonly string[];
  /**
   * How the Exchange Online runbook grants app-only access: `rbac` (RBAC for Applications,
   * Microsoft's recommendation) or `fullAccess` (Add-MailboxPermission).
   * @default 'rbac'
   */
  readonly mailboxAccess?: MailboxAccess;
}

/** The defaults of `MailAccessProps` that do not depend on the ITSM tool, written once. */
export const MAIL_ACCESS_DEFAULTS = {
  graphMailPermissions: [],
  mailboxes: [],
  mailboxAccess: 'rbac',
} as const satisfies Required<Omit<MailAccessProps, 'flow' | 'protocols' | 'graphMailJustification'>>;

/** The defaults an ITSM tool preset gives a mail preset: its only flow (if it has one) and its protocols. */
export interface MailToolDefaults {
  readonly flow?: MailFlow;
  readonly protocols: readonly MailProtocol[];
}

/** `MailAccessProps` with its defaults applied and the protocols in their fixed order. */
export interface MailAccess {
  readonly flow: MailFlow;
  readonly protocols: readonly MailProtocol[];
  readonly graphMailPermissions: readonly GraphMailPermission[];
  readonly graphMailJustification?: string;
  readonly mailboxes: readonly string[];
  readonly mailboxAccess: MailboxAccess;
}

/**
 * Applies the defaults, the flow and protocols from the ITSM tool's preset (`toolDefaults`). Call
 * it on props without problems: a flow that neither the props nor the preset give is one.
 */
export function normalizeMailAccess(props: MailAccessProps, toolDefaults: MailToolDefaults): MailAccess {
  const flow = props.flow ?? toolDefaults.flow;
  if (flow === undefined) throw new Error('mail.flow is not given and the ITSM tool supports more than one flow: check the props first (applicationProblems)');
  const protocols = props.protocols ?? toolDefaults.protocols;
  return {
    flow,
    protocols: MAIL_PROTOCOLS.filter((p) => protocols.includes(p)),
    graphMailPermissions: [...(props.graphMailPermissions ?? MAIL_ACCESS_DEFAULTS.graphMailPermissions)],
    ...(props.graphMailJustification !== undefined ? { graphMailJustification: props.graphMailJustification } : {}),
    mailboxes: [...(props.mailboxes ?? MAIL_ACCESS_DEFAULTS.mailboxes)],
    mailboxAccess: props.mailboxAccess ?? MAIL_ACCESS_DEFAULTS.mailboxAccess,
  };
}

const MAILBOX_ADDRESS = z.email();

/** The rules of a mail preset, one entry per field. */
export const MAIL_ACCESS_RULES: RuleSet<MailAccessProps> = {
  fields: {
    flow: null,
    protocols: (p) =>
      p.protocols === undefined
        ? []
        : [
            ...(p.protocols.length === 0 ? [{ path: ['protocols'], message: 'must list at least one of imap, pop, smtp' }] : []),
            ...repeated(p.protocols, ['protocols'], 'protocol'),
          ],
    graphMailPermissions: (p) => (p.graphMailPermissions ? repeated(p.graphMailPermissions, ['graphMailPermissions'], 'permission') : []),
    graphMailJustification: (p) =>
      p.graphMailJustification === undefined ? [] : problemAt(['graphMailJustification'], textProblem(p.graphMailJustification, 1000)),
    mailboxes: (p) => {
      const problems: Problem[] = [];
      (p.mailboxes ?? []).forEach((m, i) => {
        if (!MAILBOX_ADDRESS.safeParse(m).success)
          problems.push({ path: ['mailboxes', i], message: `${show(m)} must be a mailbox address such as itsm@contoso.com` });
      });
      return p.mailboxes ? [...problems, ...repeated(p.mailboxes, ['mailboxes'], 'mailbox')] : problems;
    },
    mailboxAccess: null,
  },
  across: [],
};

/** The delegated Microsoft Graph permission of each protocol. */
export const DELEGATED_BY_PROTOCOL: Readonly<Record<MailProtocol, string>> = {
  imap: 'IMAP.AccessAsUser.All',
  pop: 'POP.AccessAsUser.All',
  smtp: 'SMTP.Send',
};

/** The Office 365 Exchange Online application permission of each protocol. */
export const APP_ONLY_BY_PROTOCOL: Readonly<Record<MailProtocol, string>> = {
  imap: 'IMAP.AccessAsApp',
  pop: 'POP.AccessAsApp',
  smtp: 'SMTP.SendAsApp',
};

/**
 * How Exchange Online gives the application one protocol on the mailboxes (app-only flow):
 * - `mailboxPermission`: `Add-MailboxPermission -AccessRights FullAccess` (IMAP and POP always:
 *   Exchange has no RBAC for Applications role for them; SMTP with `mailboxAccess: fullAccess`);
 * - `rbacRole`: the RBAC for Applications role `Application SMTP.SendAsApp`, scoped to the mailboxes
 *   (SMTP with `mailboxAccess: rbac`; the SMTP.SendAsApp app role is then not requested in Entra ID).
 * In the delegated flow the signed-in user's own mailbox access applies: nothing is granted.
 */
export type MailboxGrant = { readonly protocol: MailProtocol } & (
  | { readonly kind: 'mailboxPermission' }
  | { readonly kind: 'rbacRole'; readonly role: string }
);

/** The Exchange Online grants of each protocol, in protocol order (empty for the delegated flow). */
export function mailboxGrants(mail: MailAccess): MailboxGrant[] {
  if (mail.flow !== 'app-only') return [];
  return mail.protocols.map((protocol) =>
    protocol === 'smtp' && mail.mailboxAccess === 'rbac'
      ? { protocol, kind: 'rbacRole', role: 'Application SMTP.SendAsApp' }
      : { protocol, kind: 'mailboxPermission' },
  );
}

/**
 * The API permissions a mail preset requests, in a stable order.
 *
 * Delegated: Microsoft Graph `IMAP.AccessAsUser.All` / `POP.AccessAsUser.All` / `SMTP.Send` per
 * protocol, as Microsoft's IMAP/POP/SMTP OAuth guide lists them, plus the delegated permissions the
 * ITSM tool's own sign-in asks for (`signInPermissions`, from its preset: `offline_access` and
 * `openid` for Pandora ITSM), so that admin consent covers every scope the tool requests.
 * App-only: Office 365 Exchange Online `IMAP.AccessAsApp` / `POP.AccessAsApp` / `SMTP.SendAsApp`,
 * except the protocols Exchange grants by an RBAC role (`mailboxGrants`): Microsoft's SMTP RBAC
 * guide says not to add the `SMTP.SendAsApp` app role as well.
 */
export function mailPermissions(mail: MailAccess, signInPermissions: readonly string[]): PermissionRef[] {
  const out: PermissionRef[] = [];
  if (mail.flow === 'delegated') {
    for (const p of mail.protocols) out.push({ api: 'MicrosoftGraph', type: 'delegated', name: DELEGATED_BY_PROTOCOL[p] });
    for (const name of signInPermissions) out.push({ api: 'MicrosoftGraph', type: 'delegated', name });
  } else {
    for (const g of mailboxGrants(mail)) {
      if (g.kind === 'mailboxPermission') out.push({ api: 'ExchangeOnline', type: 'application', name: APP_ONLY_BY_PROTOCOL[g.protocol] });
    }
  }
  for (const name of mail.graphMailPermissions) {
    out.push({ api: 'MicrosoftGraph', type: 'application', name, justification: mail.graphMailJustification });
  }
  return out;
}

/** The OAuth scope string the ITSM tool requests for a flow (Graph-prefixed scopes do not work for IMAP/SMTP). */
export function mailTokenScope(flow: MailFlow, protocols: readonly MailProtocol[]): string {
  if (flow === 'app-only') return 'https://outlook.office365.com/.default';
  const ordered = MAIL_PROTOCOLS.filter((p) => protocols.includes(p));
  return [...ordered.map((p) => `https://outlook.office.com/${DELEGATED_BY_PROTOCOL[p]}`), 'offline_access'].join(' ');
}

/**
 * Why extra permissions contradict the mail preset, or undefined. With app-only SMTP granted by
 * Exchange RBAC for Applications, an `SMTP.SendAsApp` app role in Entra ID as well would make
 * Exchange check mailbox permissions instead of the RBAC scope (Microsoft's SMTP RBAC guide).
 */
export function mailPresetConflict(mail: MailAccess, extra: readonly PermissionRef[]): { index: number; message: string } | undefined {
  const rbacSmtp = mailboxGrants(mail).some((g) => g.kind === 'rbacRole' && g.protocol === 'smtp');
  const index = extra.findIndex((p) => p.api === 'ExchangeOnline' && p.type === 'application' && p.name === 'SMTP.SendAsApp');
  return rbacSmtp && index >= 0
    ? {
        index,
        message:
          'SMTP.SendAsApp is granted by Exchange RBAC for Applications (mail.mailboxAccess: rbac); requesting the Entra ID app role too defeats the mailbox scoping: remove it, or set mail.mailboxAccess: fullAccess',
      }
    : undefined;
}
