import type { MailProtocol, VerifyTarget } from './types';

/** Words and commands shared by the causes: filled with the target's IDs where they are known. */

export const PROTOCOL_NAME: Readonly<Record<MailProtocol, string>> = { imap: 'IMAP', pop: 'POP', smtp: 'SMTP' };

/** The Set-CASMailbox switch that turns the protocol on for one mailbox. */
export const CAS_SWITCH: Readonly<Record<MailProtocol, string>> = {
  imap: '-ImapEnabled $true',
  pop: '-PopEnabled $true',
  smtp: '-SmtpClientAuthenticationDisabled $false',
};

/** Single-quoted PowerShell text. */
export function ps(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function spObjectId(t: VerifyTarget): string {
  return t.servicePrincipalObjectId ?? '<service principal object ID (output service_principal_object_id)>';
}

export function outputCommand(t: VerifyTarget, output: string): string {
  return `terraform output -raw ${output}${t.environment ? ` (in cdktf.out/stacks/${t.environment})` : ''}`;
}

export function newServicePrincipal(t: VerifyTarget): string {
  return `New-ServicePrincipal -AppId ${t.clientId} -ObjectId ${spObjectId(t)}`;
}

export function addMailboxPermission(t: VerifyTarget, user = spObjectId(t)): string {
  return `Add-MailboxPermission -Identity ${ps(t.mailbox)} -User ${user} -AccessRights FullAccess`;
}

export function setCasMailbox(t: VerifyTarget, protocol: MailProtocol): string {
  return `Set-CASMailbox -Identity ${ps(t.mailbox)} ${CAS_SWITCH[protocol]}`;
}

export const ADMIN_CONSENT = 'keep application.adminConsent: true (the default) and run terraform apply, or have an administrator use "Grant admin consent" under Enterprise applications → Permissions';
