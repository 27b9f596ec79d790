import { hit, type GuardrailRule, type RuleHit } from '../rule';

/** ITSM-EXO-001: app-only mail access that the Exchange Online runbook does not scope to mailboxes. */
export const appOnlyMailWithoutMailboxScope: GuardrailRule<'mailAccess'> = {
  id: 'ITSM-EXO-001',
  severity: 'warning',
  title: 'App-only mail access without mailbox scoping',
  explanation: 'an application permission to mail reaches every mailbox of the tenant unless Exchange Online limits it to the ITSM mailboxes.',
  source: 'Maester MT.1058 (Exchange application access policies must be configured); Microsoft Learn: RBAC for Applications in Exchange Online',
  fix: 'list the mailboxes (application.mail.mailboxes) so the runbook scopes IMAP/POP/SMTP to them, and scope Graph or EWS access with an RBAC for Applications management scope (New-ManagementScope, New-ManagementRoleAssignment -CustomResourceScope).',
  appliesTo: 'mailAccess',
  check: (m) => {
    const hits: RuleHit[] = [];
    if (m.mail.flow === 'app-only' && m.mail.mailboxes.length === 0) {
      hits.push(hit('app-only mail access with no mailboxes listed: the Exchange Online runbook has only a placeholder to scope'));
    }
    if (m.tenantWideMailPermissions.length > 0) {
      hits.push(hit(`${m.tenantWideMailPermissions.join(', ')} reach every mailbox; the Exchange Online runbook does not scope them`));
    }
    return hits;
  },
};

/** ITSM-EXO-002: SMTP AUTH enabled for the ITSM mailboxes. */
export const smtpAuthEnabled: GuardrailRule<'mailAccess'> = {
  id: 'ITSM-EXO-002',
  severity: 'warning',
  title: 'SMTP AUTH enabled for mailboxes',
  explanation:
    'the runbook enables SMTP AUTH on each ITSM mailbox (Set-CASMailbox -SmtpClientAuthenticationDisabled $false); that is an exception to the baseline, which wants it off organisation-wide.',
  source: 'CISA SCuBA MS.EXO.5.1 (SMTP AUTH disabled)',
  fix: 'keep SMTP AUTH disabled organisation-wide (Set-TransportConfig -SmtpClientAuthenticationDisabled $true) and only on these mailboxes; if the ITSM tool must send over SMTP, suppress this finding with that reason, or drop smtp from mail.protocols.',
  appliesTo: 'mailAccess',
  check: (m) =>
    m.mail.protocols.includes('smtp')
      ? [hit(`SMTP AUTH is enabled for ${m.mail.mailboxes.length > 0 ? m.mail.mailboxes.join(', ') : 'the ITSM mailboxes'}`)]
      : [],
};
