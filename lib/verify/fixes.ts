import { powerShellSingleQuoted } from '../private/powershell-quote';
import type { MailProtocol, VerifyTarget } from './types';

/** Words and commands shared by the causes: filled with the target's IDs where they are known. */

export const PROTOCOL_NAME: Readonly<Record<MailProtocol, string>> = { imap: 'IMAP', pop: 'POP', smtp: 'SMTP' };

/** The Set-CASMailbox switch that turns the protocol on for one mailbox. */
export const CAS_SWITCH: Readonly<Record<MailProtocol, string>> = {
  imap: '-ImapEnabled $true',
  pop: '-PopEnabled $true',
  smtp: '-SmtpClientAuthenticationDisabled $false',
};

/** Single-quoted PowerShell text (the project's one quoting helper, shared with the runbook). */
export function ps(s: string): string {
  return powerShellSingleQuoted(s);
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** An ID as a PowerShell argument: a GUID as the runbook writes it, anything else (an outputs file can say anything) quoted. */
export function psId(id: string): string {
  return GUID.test(id) ? id : ps(id);
}

export function spObjectId(t: VerifyTarget): string {
  return t.servicePrincipalObjectId ? psId(t.servicePrincipalObjectId) : '<service principal object ID (output service_principal_object_id)>';
}

/**
 * Where terraform reads this environment's outputs: `<CDKTF_OUTDIR or cdktf.out>/stacks/<env>`,
 * as the command line computes it (VerifyTarget.stackDir).
 */
export function outputCommand(t: VerifyTarget, output: string): string {
  return `terraform output -raw ${output}${t.stackDir ? ` (in ${t.stackDir})` : ''}`;
}

export function newServicePrincipal(t: VerifyTarget): string {
  return `New-ServicePrincipal -AppId ${psId(t.clientId)} -ObjectId ${spObjectId(t)}`;
}

export function addMailboxPermission(t: VerifyTarget, user = spObjectId(t)): string {
  return `Add-MailboxPermission -Identity ${ps(t.mailbox)} -User ${user} -AccessRights FullAccess`;
}

export function setCasMailbox(t: VerifyTarget, protocol: MailProtocol): string {
  return `Set-CASMailbox -Identity ${ps(t.mailbox)} ${CAS_SWITCH[protocol]}`;
}

/** Read-only Exchange Online checks, to run before changing anything. */
export function getCasMailbox(t: VerifyTarget): string {
  return `Get-CASMailbox -Identity ${ps(t.mailbox)} | fl ImapEnabled,PopEnabled,SmtpClientAuthenticationDisabled`;
}

export function getMailboxPermission(t: VerifyTarget): string {
  return `Get-MailboxPermission -Identity ${ps(t.mailbox)}`;
}

export function getServicePrincipal(t: VerifyTarget): string {
  return t.servicePrincipalObjectId ? `Get-ServicePrincipal -Identity ${spObjectId(t)}` : `Get-ServicePrincipal -Identity ${psId(t.clientId)}`;
}

export function testServicePrincipalAuthorization(t: VerifyTarget): string {
  return `Test-ServicePrincipalAuthorization -Identity ${spObjectId(t)} -Resource ${ps(t.mailbox)}`;
}

export const ADMIN_CONSENT =
  'keep application.adminConsent: true (the default) and run terraform apply, or have an administrator use "Grant admin consent" under Enterprise applications → Permissions';
