import { powerShellSingleQuoted } from '../private/powershell-quote';
import { mailboxGrants, type MailAccess, type MailProtocol } from '../model/mail-access';

export interface ExchangeRunbookInput {
  readonly displayName: string;
  /** Application (client) ID. */
  readonly clientId: string;
  /** Object ID of the service principal (Enterprise application), not of the app registration. */
  readonly servicePrincipalObjectId: string;
  /** The mail preset, defaults applied. */
  readonly mail: MailAccess;
}

// Moved to lib/private/powershell-quote.ts (verify's fixes use it too, without the construct code).
export { powerShellSingleQuoted };

/**
 * The Exchange Online PowerShell that the azuread provider cannot run, filled in for one
 * environment. Cmdlets and parameters as documented on Microsoft Learn (New-ServicePrincipal,
 * Add-MailboxPermission, New-ManagementScope, New-ManagementRoleAssignment, Set-CASMailbox,
 * Test-ServicePrincipalAuthorization). The text never contains `${` or `%{`, so Terraform keeps it
 * verbatim apart from the values passed in.
 */
export function exchangeOnlineRunbook(input: ExchangeRunbookInput): string {
  const q = powerShellSingleQuoted;
  const { mail } = input;
  const lines: string[] = [];
  const mailboxes = mail.mailboxes.length > 0 ? mail.mailboxes : ['<mailbox@your-domain>'];
  const uses = (p: MailProtocol) => mail.protocols.includes(p);
  lines.push(`# Exchange Online steps for ${q(input.displayName)} (run as an Exchange administrator).`);
  lines.push('Connect-ExchangeOnline -UserPrincipalName <admin@your-domain>');
  if (mail.mailboxes.length === 0) lines.push('# No mailboxes are configured: replace <mailbox@your-domain> below.');

  const grants = mailboxGrants(mail);
  if (mail.flow === 'app-only') {
    lines.push('');
    lines.push('# 1. Register the application in Exchange Online. -ObjectId is the SERVICE PRINCIPAL object ID');
    lines.push('#    (Enterprise applications), not the object ID shown under App registrations.');
    lines.push(`New-ServicePrincipal -AppId ${input.clientId} -ObjectId ${input.servicePrincipalObjectId} -DisplayName ${q(input.displayName)}`);
    lines.push('');
    lines.push('# 2. Give the application access to these mailboxes only.');
    if (grants.some((g) => g.kind === 'mailboxPermission')) {
      const what = mail.mailboxAccess === 'fullAccess' ? 'IMAP/POP/SMTP' : 'IMAP/POP (Exchange has no RBAC role for them)';
      lines.push(`#    ${what}: mailbox permission.`);
      for (const m of mailboxes) lines.push(`Add-MailboxPermission -Identity ${q(m)} -User ${input.servicePrincipalObjectId} -AccessRights FullAccess`);
    }
    for (const g of grants) {
      if (g.kind !== 'rbacRole') continue;
      lines.push('#    SMTP: RBAC for Applications, scoped to the mailboxes (no SMTP.SendAsApp app role in Entra ID).');
      // The address is quoted for OPATH (Exchange's parser: ASCII quotes, doubled), then the whole
      // filter for PowerShell, which doubles every kind of single quote once more.
      const filter = mailboxes.map((m) => `PrimarySmtpAddress -eq '${m.replace(/'/g, "''")}'`).join(' -or ');
      const scopeName = `${input.displayName} mailboxes`;
      lines.push(`New-ManagementScope -Name ${q(scopeName)} -RecipientRestrictionFilter ${q(filter)}`);
      lines.push(`New-ManagementRoleAssignment -App ${input.servicePrincipalObjectId} -Role "${g.role}" -CustomResourceScope ${q(scopeName)}`);
      lines.push('#    Check the role reaches each mailbox (InScope: True):');
      for (const m of mailboxes) lines.push(`Test-ServicePrincipalAuthorization -Identity ${input.servicePrincipalObjectId} -Resource ${q(m)}`);
    }
  } else {
    lines.push('');
    lines.push("# Delegated flow: the ITSM tool signs in as a user, and Exchange Online checks that user's rights.");
    lines.push('#    For a shared mailbox, the user who signs in on the Email setup page needs Full Access to it;');
    lines.push("#    the tool then logs in with the shared mailbox address and the user's token. Replace <user@your-domain>:");
    for (const m of mailboxes) lines.push(`Add-MailboxPermission -Identity ${q(m)} -User <user@your-domain> -AccessRights FullAccess -AutoMapping $false`);
    lines.push("#    Skip this for a user's own mailbox: the user already has access to it.");
  }

  const protocolSettings: string[] = [];
  if (uses('imap')) protocolSettings.push('-ImapEnabled $true');
  if (uses('pop')) protocolSettings.push('-PopEnabled $true');
  if (uses('smtp')) protocolSettings.push('-SmtpClientAuthenticationDisabled $false');
  lines.push('');
  lines.push(`# ${mail.flow === 'app-only' ? '3' : '1'}. Enable the protocols on each mailbox.`);
  if (uses('smtp')) {
    lines.push('#    SMTP AUTH is enabled for these mailboxes only; keep it disabled organisation-wide');
    lines.push('#    (Set-TransportConfig -SmtpClientAuthenticationDisabled $true; CISA SCuBA MS.EXO.5.1).');
  }
  for (const m of mailboxes) lines.push(`Set-CASMailbox -Identity ${q(m)} ${protocolSettings.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
