import { findingFor, runbookHint, type ClaimsEvaluation } from './claims';
import {
  PROTOCOL_NAME,
  addMailboxPermission,
  getCasMailbox,
  getMailboxPermission,
  getServicePrincipal,
  newServicePrincipal,
  ps,
  setCasMailbox,
  spObjectId,
  testServicePrincipalAuthorization,
} from './fixes';
import { REPLY_LIMITS } from './line-socket';
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
  /** The run's time limit, in words ("20 s"). */
  readonly timeLimit: string;
  /** What the other protocols showed with the same token and mailbox (a login that passed rules causes out). */
  readonly evidence?: Evidence;
}

/** Facts the whole run established, beyond the step being explained. */
export interface Evidence {
  /** Protocols whose XOAUTH2 login was accepted. */
  readonly loggedIn: readonly MailProtocol[];
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
        cause: `no connection to ${server.host}:${server.port} within the time limit (${c.timeLimit}): nothing answered the TCP handshake`,
        fix: `a firewall that drops outbound TCP ${server.port} looks like this: allow it from this machine; check ${field}; or raise --timeout on a slow link`,
      };
    case 'reply-timeout':
      return {
        causeId: 'reply-timeout',
        cause: `the connection to ${server.host}:${server.port} was made, but the server did not complete its reply within the time limit (${c.timeLimit}): it stayed silent or sent too slowly`,
        fix: `no firewall blocks port ${server.port} (the connection was made): check ${field} names Exchange Online (a server that is not a mail server, or a proxy that holds connections, behaves like this); run verify again, and raise --timeout only on a very slow link`,
      };
    case 'reply-too-long':
      return {
        causeId: 'reply-too-long',
        cause: `${server.host}:${server.port} sent a reply longer than any mail server's (the limits: ${REPLY_LIMITS.maxReplyLines} lines, ${REPLY_LIMITS.maxReplyBytes} bytes, ${REPLY_LIMITS.maxLineBytes} bytes in one line); verify stopped reading it`,
        fix: `check ${field} names Exchange Online: a server that is not a mail server, or a proxy, answers like this`,
      };
    case 'tls-untrusted':
      return {
        causeId: 'tls-untrusted',
        cause: `the TLS certificate presented for ${server.host} is not trusted`,
        fix: `check ${field}; behind a TLS-inspecting proxy, give Node the proxy's CA (NODE_EXTRA_CA_CERTS=/path/to/ca.pem); never turn certificate checks off`,
      };
    case 'tls-name-mismatch':
      return {
        causeId: 'tls-name-mismatch',
        cause: `the TLS certificate presented by ${server.host}:${server.port} is issued for another name than ${server.host} (a host name mismatch; the certificate itself may be trusted)`,
        fix: `use the host name the server's certificate is issued for in ${field} (Exchange Online: outlook.office365.com for IMAP and POP, smtp.office365.com for SMTP), not an IP address or an alias; a TLS-inspecting proxy must issue its certificates for the name it intercepts; never turn certificate checks off`,
      };
    case 'tls-failed':
      return {
        causeId: 'tls-failed',
        cause: `the TLS handshake with ${server.host}:${server.port} failed`,
        fix: `check ${field} and the port's security (${server.security === 'tls' ? 'implicit TLS' : 'STARTTLS'})`,
      };
    case 'connection-closed':
      return {
        causeId: 'connection-closed',
        cause: `${server.host} closed the connection unexpectedly`,
        fix: "run verify again; if it persists, the answer above is the server's last word",
      };
    case 'starttls-missing':
      return {
        causeId: 'starttls-missing',
        cause: `${server.host}:${server.port} did not offer STARTTLS, so the token would travel unencrypted; verify refused to send it`,
        fix: `Exchange Online offers STARTTLS on smtp.office365.com:587: check ${field}; a proxy or antivirus that filters port ${server.port} can strip STARTTLS, and it would expose the ITSM tool's tokens too`,
      };
    case 'xoauth2-not-offered':
      return {
        causeId: 'xoauth2-not-offered',
        cause: `${server.host} does not offer XOAUTH2 for ${P}`,
        fix: `check ${field}: Exchange Online offers XOAUTH2 on IMAP, POP and (after STARTTLS) SMTP`,
      };
    case 'protocol-error':
      return protocolError(server, field);
    case 'server-temporary':
      return temporary(server);
    case 'recipient-rejected':
      return {
        causeId: 'recipient-rejected',
        cause: 'the server refused the test recipient',
        fix: 'check the --send-test-to address; the organisation may block some recipients (outbound spam or transport rules)',
      };
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
      return {
        causeId: 'mailbox-address-invalid',
        cause: `the server does not accept ${target.mailbox} as the XOAUTH2 user`,
        fix: "use the mailbox's primary SMTP address (itsm_email_settings.mailbox or --mailbox)",
      };
    }
    if (TEMPORARY.test(answer)) return temporary(server);
    if (protocol === 'smtp' && UNKNOWN_MECHANISM.test(answer))
      return { causeId: 'xoauth2-not-offered', cause: `${server.host} does not take AUTH XOAUTH2`, fix: `check ${field}` };
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
    return target.flow === 'app-only' ? exchangeRefusedApp(target, protocol, c.evidence) : exchangeRefusedUser(target, protocol, c.evidence);
  }

  if (c.step === 'mailbox') {
    if (TEMPORARY.test(answer) && !/Internal error/i.test(answer)) return temporary(server);
    return target.flow === 'app-only'
      ? {
          causeId: 'mailbox-not-accessible',
          cause: `the token was accepted, but ${target.mailbox} cannot be opened: Exchange does not connect this app to the mailbox (New-ServicePrincipal was given the app registration's object ID instead of the service principal's, or the mailbox permission is missing), or the mailbox does not exist`,
          fix: `check first (read-only): ${getServicePrincipal(target)} must show ObjectId ${spObjectId(target)} for AppId ${target.clientId}, and ${getMailboxPermission(target)} must list it with FullAccess; then change only what is wrong: a wrong ObjectId needs Remove-ServicePrincipal, then ${newServicePrincipal(target)}; a missing permission ${addMailboxPermission(target)}; see ${runbookHint(target)}`,
        }
      : {
          causeId: 'mailbox-not-accessible',
          cause: `the token was accepted, but ${target.mailbox} cannot be opened: the account has no Exchange Online mailbox (licence), or the signed-in user may not open it`,
          fix: `give the account an Exchange Online licence, and sign in in the ITSM tool as ${target.mailbox} (or grant the signed-in user FullAccess to it)`,
        };
  }

  if (c.step === 'mail-from') {
    if (/^4\d\d/.test(answer)) return temporary(server);
    if (/^530\b/.test(answer))
      return {
        causeId: 'not-authenticated',
        cause: 'the server did not consider the session logged in',
        fix: 'report this with the answer: AUTH had succeeded',
      };
    if (SEND_AS_DENIED.test(answer)) return sendAsDenied(target);
    return {
      causeId: 'sender-refused',
      cause: `the server refused ${target.mailbox} as the sender`,
      fix: 'the sender must be the mailbox the token logs in to (itsm_email_settings.mailbox or --mailbox)',
    };
  }

  // send
  if (/^4\d\d/.test(answer)) return temporary(server);
  if (SEND_AS_DENIED.test(answer)) return sendAsDenied(target);
  return {
    causeId: 'message-refused',
    cause: 'the server refused the test message',
    fix: 'read the server answer; transport rules or outbound spam policies can refuse messages',
  };
}

/** "IMAP and POP", "SMTP": a list of protocol names in words. */
function names(ps: readonly MailProtocol[]): string {
  const n = ps.map((p) => PROTOCOL_NAME[p]);
  return n.length <= 1 ? n.join('') : `${n.slice(0, -1).join(', ')} and ${n.at(-1)}`;
}

/**
 * An app-only token with good claims, refused by Exchange Online. Exchange does not say why, but
 * the other protocols' logins with the same token and mailbox rule causes out: any accepted login
 * shows the service principal is registered in Exchange Online (New-ServicePrincipal), and an
 * accepted IMAP or POP login shows the app has access to this mailbox (Add-MailboxPermission; both
 * protocols need it). The fix starts with the read-only commands that tell the rest apart, and
 * offers only the changes the evidence leaves open.
 */
function exchangeRefusedApp(t: VerifyTarget, p: MailProtocol, evidence: Evidence | undefined): ServerCause {
  const others = (evidence?.loggedIn ?? []).filter((o) => o !== p);
  const registered = others.length > 0;
  const smtpRbac = p === 'smtp' && t.expected.byProtocol.smtp?.source !== 'token';
  const mailboxAccessShown = p !== 'smtp' && others.some((o) => o !== 'smtp');
  const causes: string[] = [];
  const checks: string[] = [getCasMailbox(t)];
  const changes: string[] = [];
  if (!registered) {
    causes.push("the app's service principal is not registered in Exchange Online");
    checks.push(`${getServicePrincipal(t)} (must show ObjectId ${spObjectId(t)} for AppId ${t.clientId})`);
    changes.push(`${newServicePrincipal(t)} (the service principal's object ID, not the app registration's)`);
  }
  if (smtpRbac) {
    causes.push('it has no "Application SMTP.SendAsApp" role assignment covering this mailbox');
    checks.push(testServicePrincipalAuthorization(t));
    changes.push(`the RBAC role assignment (New-ManagementRoleAssignment -App ${spObjectId(t)} -Role "Application SMTP.SendAsApp" scoped to the mailbox)`);
  } else if (!mailboxAccessShown) {
    causes.push('it has no access to this mailbox');
    checks.push(`${getMailboxPermission(t)} (must list ${spObjectId(t)} with FullAccess)`);
    changes.push(addMailboxPermission(t));
  }
  causes.push(`${PROTOCOL_NAME[p]} is disabled for the mailbox`);
  changes.push(setCasMailbox(t, p));
  const shown = registered
    ? ` (${names(others)} logged in with the same token, so the service principal is registered in Exchange Online${mailboxAccessShown ? ' and has access to the mailbox' : ''})`
    : '';
  return {
    causeId: 'exchange-refused-app',
    cause: `the token's claims look right, but Exchange Online refused it for ${t.mailbox}${shown}: ${causes.length === 1 ? causes[0] : `${causes.slice(0, -1).join(', ')}, or ${causes.at(-1)}`}`,
    fix: `check first (read-only, in Exchange Online PowerShell): ${checks.join('; ')}. Then change only what they show missing: ${changes.join('; ')}. The commands are in ${runbookHint(t)}; list the mailbox in application.mail.mailboxes so the runbook covers it. Exchange can take a while to apply permission changes`,
  };
}

function exchangeRefusedUser(t: VerifyTarget, p: MailProtocol, evidence: Evidence | undefined): ServerCause {
  const others = (evidence?.loggedIn ?? []).filter((o) => o !== p);
  if (others.length > 0) {
    // The same user's token logged in elsewhere: the account has its mailbox and licence.
    return {
      causeId: 'exchange-refused-user',
      cause: `the token's claims look right, but Exchange Online refused it for ${t.mailbox} (${names(others)} logged in with the same token, so the account has an Exchange Online mailbox): ${PROTOCOL_NAME[p]} is disabled for the mailbox`,
      fix: `check first (read-only): ${getCasMailbox(t)}; then, if it is off: ${setCasMailbox(t, p)}`,
    };
  }
  return {
    causeId: 'exchange-refused-user',
    cause: `the token's claims look right, but Exchange Online refused it for ${t.mailbox}: ${PROTOCOL_NAME[p]} is disabled for the mailbox, or the account has no Exchange Online mailbox`,
    fix: `check first (read-only): ${getCasMailbox(t)}; then, if it is off: ${setCasMailbox(t, p)}; check the account has an Exchange Online licence`,
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
  return {
    causeId: 'server-temporary',
    cause: `${server.host} reported a temporary failure`,
    fix: 'run verify again in a few minutes; if it persists, check the Microsoft 365 service health',
  };
}

function protocolError(server: MailServer, field: string): ServerCause {
  return {
    causeId: 'protocol-error',
    cause: `${server.host} answered in a way verify does not expect`,
    fix: `check ${field} points at Exchange Online; if it does, report the answer above`,
  };
}
