import { findingFor, runbookHint, type ClaimsEvaluation } from './claims';
import { PROTOCOL_NAME, addMailboxPermission, newServicePrincipal, ps, setCasMailbox, spObjectId } from './fixes';
import type { StepOutcome } from './protocols';
import type { MailProtocol, MailServer, VerifyTarget } from './types';

export interface ServerCause {
  readonly causeId: string;
  readonly cause: string;
  readonly fix: string;
}

export type Step = 'auth' | 'mailbox' | 'mail-from' | 'send';

export interface AnswerContext {
  readonly target: VerifyTarget;
  readonly protocol: MailProtocol;
  readonly server: MailServer;
  readonly step: Step;
  readonly outcome: StepOutcome;
  /** What the token's claims showed, to tell apart refusals whose server answer is the same. */
  readonly claims?: ClaimsEvaluation;
  readonly timeoutMs: number;
}

/**
 * Known server answers. Office 365 and the Dovecot test peer word the same failures differently;
 * both are matched (sources in docs/verify.md). Exchange answers most token refusals with one
 * generic line, so the cause of a refusal comes from the claims when they show one, else from the
 * flow: what Exchange checks after the token is valid.
 */
const SMTP_AUTH_DISABLED = /5\.7\.139\b.*SmtpClientAuthentication is disabled for the (Tenant|Mailbox)/i;
const BASIC_AUTH_DISABLED = /5\.7\.139\b.*basic authentication is disabled/i;
const SMTP_BAD_USER = /\b5\.5\.124\b|User address provided is not valid/i;
const SEND_AS_DENIED = /\b5\.7\.60\b|SendAsDenied|does not have permissions to send as this sender/i;
const TEMPORARY = /^(\S+ NO \[UNAVAILABLE\]|-ERR \[(SYS\/TEMP|IN-USE)\]|4\d\d[ -])/i;
const PROTOCOL_REJECT = /^(\S+ BAD\b|-ERR \[AUTH\] Invalid base64|50[0-4][ -])/i;
const UNKNOWN_MECHANISM = /^504[ -]|Unrecognized authentication type/i;

export function serverCause(c: AnswerContext): ServerCause {
  const { target, protocol, server, outcome } = c;
  const P = PROTOCOL_NAME[protocol];
  const answer = outcome.answer ?? '';
  const field = `itsm_email_settings.${protocol}_server / ${protocol}_port`;

  switch (outcome.causeId) {
    case 'connect-failed':
      return {
        causeId: 'connect-failed',
        cause: `no connection to ${server.host}:${server.port}`,
        fix: `allow outbound TCP ${server.port} to ${server.host} from this machine (firewall, proxy), and check ${field}; run verify from the ITSM server, whose network is the one that matters`,
      };
    case 'dns':
      return { causeId: 'dns', cause: `${server.host} does not resolve`, fix: `check ${field} and this machine's DNS` };
    case 'timeout':
      return {
        causeId: 'timeout',
        cause: `${server.host}:${server.port} did not answer within ${Math.round(c.timeoutMs / 1000)} s`,
        fix: `a firewall that drops outbound TCP ${server.port} looks like this: allow it; or raise --timeout on a slow link`,
      };
    case 'tls-untrusted':
      return {
        causeId: 'tls-untrusted',
        cause: `the TLS certificate presented for ${server.host} is not trusted`,
        fix: `check ${field}; behind a TLS-inspecting proxy, give Node the proxy's CA (NODE_EXTRA_CA_CERTS=/path/to/ca.pem); never turn certificate checks off`,
      };
    case 'tls-failed':
      return { causeId: 'tls-failed', cause: `the TLS handshake with ${server.host}:${server.port} failed`, fix: `check ${field} and the port's security (${server.security === 'tls' ? 'implicit TLS' : 'STARTTLS'})` };
    case 'connection-closed':
      return { causeId: 'connection-closed', cause: `${server.host} closed the connection unexpectedly`, fix: 'run verify again; if it persists, the answer above is the server\'s last word' };
    case 'starttls-missing':
      return {
        causeId: 'starttls-missing',
        cause: `${server.host}:${server.port} did not offer STARTTLS, so the token would travel unencrypted; verify refused to send it`,
        fix: `Exchange Online offers STARTTLS on smtp.office365.com:587: check ${field}; a proxy or antivirus that filters port ${server.port} can strip STARTTLS, and it would expose the ITSM tool's tokens too`,
      };
    case 'xoauth2-not-offered':
      return { causeId: 'xoauth2-not-offered', cause: `${server.host} does not offer XOAUTH2 for ${P}`, fix: `check ${field}: Exchange Online offers XOAUTH2 on IMAP, POP and (after STARTTLS) SMTP` };
    case 'protocol-error':
      return protocolError(server, field);
    case 'server-temporary':
      return temporary(server);
    case 'recipient-rejected':
      return { causeId: 'recipient-rejected', cause: 'the server refused the test recipient', fix: 'check the --send-test-to address; the organisation may block some recipients (outbound spam or transport rules)' };
    default:
      break;
  }

  if (c.step === 'auth') {
    const disabled = SMTP_AUTH_DISABLED.exec(answer);
    if (protocol === 'smtp' && disabled) {
      const forTenant = disabled[1].toLowerCase() === 'tenant';
      return {
        causeId: forTenant ? 'smtp-auth-disabled-tenant' : 'smtp-auth-disabled-mailbox',
        cause: forTenant ? 'SMTP AUTH is disabled for the organisation and not enabled for this mailbox' : 'SMTP AUTH is disabled for this mailbox',
        fix: `${setCasMailbox(target, 'smtp')} (the runbook's last step: it enables SMTP AUTH for this mailbox only and keeps it off organisation-wide, CISA SCuBA MS.EXO.5.1)${forTenant ? '; only if every mailbox must use it: Set-TransportConfig -SmtpClientAuthenticationDisabled $false' : ''}`,
      };
    }
    if (protocol === 'smtp' && BASIC_AUTH_DISABLED.test(answer)) return protocolError(server, field);
    if (protocol === 'smtp' && SMTP_BAD_USER.test(answer)) {
      return { causeId: 'mailbox-address-invalid', cause: `the server does not accept ${target.mailbox} as the XOAUTH2 user`, fix: 'use the mailbox\'s primary SMTP address (itsm_email_settings.mailbox or --mailbox)' };
    }
    if (TEMPORARY.test(answer)) return temporary(server);
    if (protocol === 'smtp' && UNKNOWN_MECHANISM.test(answer)) return { causeId: 'xoauth2-not-offered', cause: `${server.host} does not take AUTH XOAUTH2`, fix: `check ${field}` };
    if (PROTOCOL_REJECT.test(answer)) return protocolError(server, field);
    const finding = findingFor(c.claims, protocol);
    if (finding) return { causeId: finding.causeId, cause: `${finding.cause}, so the server refused it`, fix: finding.fix };
    if (target.flow === 'delegated' && c.claims?.otherUser) {
      const user = c.claims.otherUser;
      return {
        causeId: 'wrong-user',
        cause: `the token is ${user}'s, not ${target.mailbox}'s, and ${user} may not open ${target.mailbox}`,
        fix: `sign in in the ITSM tool as ${target.mailbox}; or, to use it as a shared mailbox, give ${user} access: ${addMailboxPermission(target, ps(user))}`,
      };
    }
    return target.flow === 'app-only' ? exchangeRefusedApp(target, protocol) : exchangeRefusedUser(target, protocol);
  }

  if (c.step === 'mailbox') {
    if (TEMPORARY.test(answer) && !/Internal error/i.test(answer)) return temporary(server);
    return target.flow === 'app-only'
      ? {
          causeId: 'mailbox-not-accessible',
          cause: `the token was accepted, but ${target.mailbox} cannot be opened: Exchange does not connect this app to the mailbox (New-ServicePrincipal was given the app registration's object ID instead of the service principal's, or the mailbox permission is missing), or the mailbox does not exist`,
          fix: `in Exchange Online, Get-ServicePrincipal must list ObjectId ${spObjectId(target)} for AppId ${target.clientId} (else Remove-ServicePrincipal, then ${newServicePrincipal(target)}); then ${addMailboxPermission(target)}; see ${runbookHint(target)}`,
        }
      : {
          causeId: 'mailbox-not-accessible',
          cause: `the token was accepted, but ${target.mailbox} cannot be opened: the account has no Exchange Online mailbox (licence), or the signed-in user may not open it`,
          fix: `give the account an Exchange Online licence, and sign in in the ITSM tool as ${target.mailbox} (or grant the signed-in user FullAccess to it)`,
        };
  }

  if (c.step === 'mail-from') {
    if (/^4\d\d/.test(answer)) return temporary(server);
    if (/^530\b/.test(answer)) return { causeId: 'not-authenticated', cause: 'the server did not consider the session logged in', fix: 'report this with the answer: AUTH had succeeded' };
    if (SEND_AS_DENIED.test(answer)) return sendAsDenied(target);
    return { causeId: 'sender-refused', cause: `the server refused ${target.mailbox} as the sender`, fix: 'the sender must be the mailbox the token logs in to (itsm_email_settings.mailbox or --mailbox)' };
  }

  // send
  if (/^4\d\d/.test(answer)) return temporary(server);
  if (SEND_AS_DENIED.test(answer)) return sendAsDenied(target);
  return { causeId: 'message-refused', cause: 'the server refused the test message', fix: 'read the server answer; transport rules or outbound spam policies can refuse messages' };
}

function exchangeRefusedApp(t: VerifyTarget, p: MailProtocol): ServerCause {
  const smtpRbac = p === 'smtp' && t.expected.byProtocol.smtp?.source !== 'token';
  const grant = smtpRbac
    ? `the RBAC role assignment (New-ManagementRoleAssignment -App ${spObjectId(t)} -Role "Application SMTP.SendAsApp" scoped to the mailbox; Test-ServicePrincipalAuthorization -Identity ${spObjectId(t)} -Resource ${ps(t.mailbox)} shows it)`
    : addMailboxPermission(t);
  return {
    causeId: 'exchange-refused-app',
    cause: `the token's claims look right, but Exchange Online refused it for ${t.mailbox}: the app's service principal is not registered in Exchange Online, it has no access to this mailbox, or ${PROTOCOL_NAME[p]} is disabled for the mailbox`,
    fix: `run ${runbookHint(t)}: ${newServicePrincipal(t)} (the service principal's object ID, not the app registration's), then ${grant}, and ${setCasMailbox(t, p)}; list the mailbox in application.mail.mailboxes so the runbook covers it. Exchange can take a while to apply permission changes`,
  };
}

function exchangeRefusedUser(t: VerifyTarget, p: MailProtocol): ServerCause {
  return {
    causeId: 'exchange-refused-user',
    cause: `the token's claims look right, but Exchange Online refused it for ${t.mailbox}: ${PROTOCOL_NAME[p]} is disabled for the mailbox, or the account has no Exchange Online mailbox`,
    fix: `${setCasMailbox(t, p)}; check the account has an Exchange Online licence`,
  };
}

function sendAsDenied(t: VerifyTarget): ServerCause {
  return {
    causeId: 'send-as-denied',
    cause: `the logged-in identity may not send as ${t.mailbox}`,
    fix:
      t.flow === 'app-only'
        ? `the app's SMTP grant must cover ${t.mailbox} (${runbookHint(t)}); the sender must be the mailbox it logs in to`
        : `send as the signed-in user's own address, or grant SendAs: Add-RecipientPermission -Identity ${ps(t.mailbox)} -Trustee <user> -AccessRights SendAs`,
  };
}

function temporary(server: MailServer): ServerCause {
  return { causeId: 'server-temporary', cause: `${server.host} reported a temporary failure`, fix: 'run verify again in a few minutes; if it persists, check the Microsoft 365 service health' };
}

function protocolError(server: MailServer, field: string): ServerCause {
  return {
    causeId: 'protocol-error',
    cause: `${server.host} answered in a way verify does not expect`,
    fix: `check ${field} points at Exchange Online; if it does, report the answer above`,
  };
}
