import { PROTOCOL_NAME, ADMIN_CONSENT, outputCommand } from './fixes';
import { numberClaim, rolesClaim, scopesClaim, stringClaim, tokenClient, tokenUser, type Claims } from './jwt';
import { isExchangeResource, normalizeAudience, scopeResource } from './permissions';
import type { MailProtocol, VerifyTarget } from './types';

/** One problem found in the token's claims. `protocols` names the protocols it breaks (all when absent). */
export interface ClaimFinding {
  readonly causeId: string;
  readonly cause: string;
  readonly fix: string;
  readonly protocols?: readonly MailProtocol[];
}

export interface ClaimsEvaluation {
  /** The claims worth showing: aud, tid, appid, roles/scp, the user, expiry. Never the token. */
  readonly summary: string;
  readonly findings: readonly ClaimFinding[];
  /** Remarks that are not failures (a permission Exchange may grant outside the token, a shared mailbox). */
  readonly notes: readonly string[];
  /** The user of a delegated token, when it differs from the mailbox. */
  readonly otherUser?: string;
}

/** Tokens whose `nbf` is this far ahead of the local clock point at a wrong clock, not a bad token. */
const CLOCK_SKEW_S = 300;

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Compares an access token's claims with what the configuration requests. The token is decoded
 * for diagnosis only: the servers check its signature. Findings are ordered most basic first, so
 * the first one explains a refusal best.
 */
export function evaluateClaims(claims: Claims, target: VerifyTarget, nowMs: number): ClaimsEvaluation {
  const findings: ClaimFinding[] = [];
  const notes: string[] = [];
  const now = nowMs / 1000;
  const aud = stringClaim(claims, 'aud');
  const tid = stringClaim(claims, 'tid');
  const client = tokenClient(claims);
  const exp = numberClaim(claims, 'exp');
  const nbf = numberClaim(claims, 'nbf');
  const roles = rolesClaim(claims);
  const scopes = scopesClaim(claims);
  const user = tokenUser(claims);
  const expected = target.expected;

  const parts: string[] = [`aud ${aud ?? '(none)'}`];
  if (expected.claim === 'roles') parts.push(`roles [${roles.join(', ')}]`);
  else parts.push(`scp "${scopes.join(' ')}"`);
  const oid = stringClaim(claims, 'oid');
  if (user) parts.push(`user ${user}`);
  parts.push(`tid ${tid ?? '(none)'}`, `appid ${client ?? '(none)'}`);
  if (target.flow === 'app-only' && oid) parts.push(`oid ${oid}`);
  if (exp !== undefined) parts.push(`expires ${iso(exp)}`);
  const summary = parts.join(', ');

  if (exp === undefined || exp <= now) {
    findings.push({
      causeId: 'token-expired',
      cause: exp === undefined ? 'the token has no expiry (exp)' : `the token expired at ${iso(exp)}`,
      fix:
        target.flow === 'app-only'
          ? "a token the endpoint has just issued is expired only if this machine's clock is wrong: check it (timedatectl / NTP)"
          : 'access tokens last about an hour: get a fresh one (sign in again in the ITSM tool) and pass it with --access-token-file',
    });
  } else if (nbf !== undefined && nbf > now + CLOCK_SKEW_S) {
    findings.push({
      causeId: 'clock-skew',
      cause: `the token is valid only from ${iso(nbf)}, ${Math.round(nbf - now)} s ahead of this machine's clock`,
      fix: "this machine's clock is behind: fix it (timedatectl / NTP); servers compare the token with their own clock",
    });
  }
  const audienceOk = aud !== undefined && expected.audiences.includes(normalizeAudience(aud));
  if (!audienceOk) {
    const resource = scopeResource(target.scope);
    const scopeIsExchange = resource !== undefined && isExchangeResource(resource);
    const want = target.flow === 'app-only' ? 'https://outlook.office365.com/.default' : 'https://outlook.office.com/IMAP.AccessAsUser.All ... offline_access';
    findings.push({
      causeId: 'wrong-audience',
      cause: `the token is for ${aud ?? 'no audience'}, not Exchange Online (${expected.audiences.filter((a) => a.startsWith('https://')).join(' or ')})`,
      fix: !scopeIsExchange
        ? `itsm_email_settings.scope is ${target.scope}: IMAP, POP and SMTP need Exchange Online scopes (${want}), not Microsoft Graph ones`
        : target.flow === 'app-only'
          ? `request the scope ${target.scope} (itsm_email_settings.scope) and use that token`
          : `the ITSM tool must request the scopes of itsm_email_settings.scope (${target.scope}), not Microsoft Graph ones (https://graph.microsoft.com/...)`,
    });
  }
  if (!tid || tid.toLowerCase() !== target.tenantId.toLowerCase()) {
    findings.push({
      causeId: 'wrong-tenant',
      cause: `the token was issued by tenant ${tid ?? '(none)'}, not ${target.tenantId}`,
      fix: 'use the token endpoint of this tenant (itsm_email_settings.token_endpoint) and sign in with an account of this tenant',
    });
  }
  if (!client || client.toLowerCase() !== target.clientId.toLowerCase()) {
    findings.push({
      causeId: 'wrong-client',
      cause: `the token was issued to client ${client ?? '(none)'}, not this app (${target.clientId})`,
      fix: 'use a token the ITSM tool obtained with this client ID (itsm_email_settings.client_id)',
    });
  }

  if (!audienceOk) {
    // Permissions of another resource say nothing about Exchange Online's.
  } else if (target.flow === 'app-only') {
    if (scopes.length > 0 || user) {
      findings.push({
        causeId: 'wrong-flow',
        cause: `the token is a user's (delegated${user ? `, ${user}` : ''}), but the flow is app-only`,
        fix: 'app-only tokens come from client credentials; check itsm_email_settings.flow and the ITSM tool setting',
      });
    }
    const sp = target.servicePrincipalObjectId;
    if (sp && oid && oid.toLowerCase() !== sp.toLowerCase()) {
      findings.push({
        causeId: 'service-principal-mismatch',
        cause: `the token's service principal (oid ${oid}) is not the output service_principal_object_id (${sp}): the runbook's Exchange Online commands name another object`,
        fix: 'the outputs are stale or from another environment: run terraform apply (or read the outputs of this environment), then run the runbook with the right object ID',
      });
    }
    const missing: MailProtocol[] = [];
    for (const p of target.protocols) {
      const e = expected.byProtocol[p];
      if (!e) continue;
      const has = roles.includes(e.permission);
      if (!has && e.source === 'token') missing.push(p);
      else if (!has && e.source === 'unknown') {
        notes.push(
          `${e.permission} is not in the token: fine if ${PROTOCOL_NAME[p]} is granted by Exchange RBAC for Applications (mailboxAccess: rbac); the ${p} checks decide`,
        );
      } else if (has && e.source === 'exchange-rbac') {
        findings.push({
          causeId: 'smtp-role-with-rbac',
          cause: `the token carries ${e.permission}, but SMTP is meant to be granted by Exchange RBAC for Applications (mailboxAccess: rbac): the Entra ID app role lets the app send as every mailbox of the tenant`,
          fix: `revoke the ${e.permission} consent (Enterprise applications → Permissions); this project does not request it with mailboxAccess: rbac, so someone added it by hand`,
        });
      }
    }
    if (missing.length > 0) {
      const names = missing.map((p) => expected.byProtocol[p]!.permission);
      findings.push({
        causeId: roles.length === 0 ? 'admin-consent-missing' : 'permission-missing',
        cause:
          roles.length === 0
            ? `the token carries no roles at all: the Exchange Online application permissions (${names.join(', ')}) have no admin consent`
            : `the token's roles lack ${names.join(', ')}`,
        fix: `${ADMIN_CONSENT}; application.mail.protocols must list ${missing.join(', ')}`,
        protocols: missing,
      });
    }
  } else {
    if (!user) {
      findings.push({
        causeId: 'not-a-user-token',
        cause: 'the token names no user (no upn, preferred_username or unique_name): it is an app-only token, but the flow is delegated',
        fix: 'pass a token the ITSM tool obtained by signing in as the mailbox user',
      });
    } else if (user.toLowerCase() !== target.mailbox.toLowerCase()) {
      notes.push(`the token is ${user}'s, the mailbox is ${target.mailbox}: that works only as a shared mailbox the user has FullAccess to`);
    }
    const missing: MailProtocol[] = [];
    for (const p of target.protocols) {
      const e = expected.byProtocol[p];
      if (e && !scopes.includes(e.permission)) missing.push(p);
    }
    if (missing.length > 0) {
      const names = missing.map((p) => expected.byProtocol[p]!.permission);
      const notRequested = names.filter((n) => !target.scope.split(/\s+/).some((s) => s.endsWith(`/${n}`)));
      findings.push({
        causeId: 'permission-missing',
        cause: `the token's scp lacks ${names.join(', ')}`,
        fix:
          notRequested.length > 0
            ? `the configured scope (itsm_email_settings.scope) does not ask for ${notRequested.join(', ')}: check application.mail.protocols, terraform apply, then sign in again in the ITSM tool`
            : `the ITSM tool must request ${target.scope}; ${ADMIN_CONSENT}; then sign in again in the ITSM tool`,
        protocols: missing,
      });
    }
  }
  return {
    summary,
    findings,
    notes,
    ...(target.flow === 'delegated' && user && user.toLowerCase() !== target.mailbox.toLowerCase() ? { otherUser: user } : {}),
  };
}

/** The finding that best explains a refusal of `protocol`, if any: the first that applies to it. */
export function findingFor(evaluation: ClaimsEvaluation | undefined, protocol: MailProtocol): ClaimFinding | undefined {
  return evaluation?.findings.find((f) => !f.protocols || f.protocols.includes(protocol));
}

/** Where the runbook is, for fixes. */
export function runbookHint(target: VerifyTarget): string {
  return `the Exchange Online runbook (${outputCommand(target, 'exchange_online_runbook')})`;
}
