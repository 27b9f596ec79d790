import { mailTokenScope, type MailFlow, type MailProtocol } from '../model/mail-access';

/** What the Integria IMS / Pandora ITSM "Email setup" form asks for. No secrets. */
export interface ItsmEmailSettings {
  /** Directory (tenant) ID. (The older manual swaps the tenant and client ID labels; these are right.) */
  readonly tenant_id: string;
  /** Application (client) ID. */
  readonly client_id: string;
  readonly flow: MailFlow;
  readonly token_endpoint: string;
  /** Authorization endpoint (delegated flow only; empty for app-only). */
  readonly authorize_endpoint: string;
  /** The scope string to request for this flow. */
  readonly scope: string;
  readonly imap_server: string;
  readonly imap_port: string;
  readonly imap_security: string;
  readonly pop_server: string;
  readonly pop_port: string;
  readonly pop_security: string;
  readonly smtp_server: string;
  readonly smtp_port: string;
  readonly smtp_security: string;
  /** The first redirect URI (delegated flow), empty when none. */
  readonly redirect_uri: string;
  /** The mailbox the ITSM tool logs in with (the first of `mail.mailboxes`), empty when none is configured. */
  readonly mailbox: string;
  /** App-only: how Exchange Online grants the mailboxes (`rbac` or `fullAccess`); empty for delegated. */
  readonly mailbox_access: string;
  /** Where the client secret is: never in this bundle. */
  readonly client_secret: string;
}

export interface ItsmEmailSettingsInput {
  readonly tenantId: string;
  readonly clientId: string;
  readonly flow: MailFlow;
  readonly protocols: readonly MailProtocol[];
  readonly redirectUris: readonly string[];
  readonly mailboxes: readonly string[];
  readonly mailboxAccess: string;
}

/** The Entra ID login host of the global cloud. */
export const LOGIN = 'https://login.microsoftonline.com';

/** Where the client secret is, in every settings output: never in the output itself. */
export const CLIENT_SECRET_POINTER = 'sensitive output client_secret (terraform output -raw client_secret)';

/**
 * The Email setup values for one environment (Microsoft's IMAP/POP/SMTP OAuth guide): hosts and
 * ports of Exchange Online, the v2.0 endpoints of the tenant, and the scope for the flow.
 * Protocols not chosen are left empty so the form shows only what is used.
 */
export function itsmEmailSettings(input: ItsmEmailSettingsInput): ItsmEmailSettings {
  const uses = (p: MailProtocol) => input.protocols.includes(p);
  return {
    tenant_id: input.tenantId,
    client_id: input.clientId,
    flow: input.flow,
    token_endpoint: `${LOGIN}/${input.tenantId}/oauth2/v2.0/token`,
    authorize_endpoint: input.flow === 'delegated' ? `${LOGIN}/${input.tenantId}/oauth2/v2.0/authorize` : '',
    scope: mailTokenScope(input.flow, input.protocols),
    imap_server: uses('imap') ? 'outlook.office365.com' : '',
    imap_port: uses('imap') ? '993' : '',
    imap_security: uses('imap') ? 'SSL/TLS' : '',
    pop_server: uses('pop') ? 'outlook.office365.com' : '',
    pop_port: uses('pop') ? '995' : '',
    pop_security: uses('pop') ? 'SSL/TLS' : '',
    smtp_server: uses('smtp') ? 'smtp.office365.com' : '',
    smtp_port: uses('smtp') ? '587' : '',
    smtp_security: uses('smtp') ? 'STARTTLS' : '',
    redirect_uri: input.flow === 'delegated' ? (input.redirectUris[0] ?? '') : '',
    mailbox: input.mailboxes[0] ?? '',
    mailbox_access: input.flow === 'app-only' ? input.mailboxAccess : '',
    client_secret: CLIENT_SECRET_POINTER,
  };
}
