import { aadCause } from './aadsts';
import { serverCause, type Evidence, type Step } from './answers';
import { evaluateClaims, type ClaimsEvaluation } from './claims';
import { resolveCloud, tokenEndpoint } from './cloud';
import { Deadline } from './deadline';
import { ANSWER_TOO_LARGE, TIMED_OUT, type HttpClient } from './http';
import { NAME_MISMATCH, type ReplyLimits } from './line-socket';
import { NotAJwtError, decodeJwtClaims } from './jwt';
import { scopeResource } from './permissions';
import { probeImap, probePop, probeSmtp, type StepOutcome } from './protocols';
import { makeScrubber, type Scrubber } from './scrub';
import { aadHeadline, requestClientCredentialsToken } from './token-client';
import { MAIL_PROTOCOLS, type CheckId, type CheckResult, type MailProtocol, type VerifyReport, type VerifyTarget } from './types';

export interface VerifyOptions {
  /** Send a test message to this address (SMTP); without it SMTP stops after MAIL FROM. */
  readonly sendTestTo?: string;
  /** Delegated flow: an access token a user obtained (e.g. from the ITSM tool), for the claims and protocol checks. */
  readonly accessToken?: string;
}

export interface VerifyIo {
  readonly http: HttpClient;
  /** Trusted roots for the mail servers' TLS instead of Node's (tests, private clouds). */
  readonly ca?: string | Buffer;
  /**
   * The time limit (`--timeout`) of each phase, whatever a server does: the cloud metadata request,
   * the token request (each from connecting to the answer's last byte), and the mail checks
   * together (they run side by side under one deadline: connecting, TLS, every read). A whole run
   * ends within three times this.
   */
  readonly timeoutMs: number;
  readonly now: () => number;
  /** How long a server's reply may be (default REPLY_LIMITS; smaller ones for tests). */
  readonly replyLimits?: Partial<ReplyLimits>;
}

const SIGN_IN = 'sign in in the ITSM tool (Email setup → authorize)';

/**
 * Runs the checks in order: cloud endpoints, token, claims, then IMAP, POP and SMTP (connected
 * concurrently, reported in that order). A failed check does not stop the protocol checks when
 * they can still run: their server answers are the evidence. Every result is scrubbed of the secret
 * and the tokens before `onCheck` sees it.
 */
export async function runVerify(target: VerifyTarget, options: VerifyOptions, io: VerifyIo, onCheck?: (c: CheckResult) => void): Promise<VerifyReport> {
  // Each phase (the cloud request, the token request, the mail checks) gets io.timeoutMs; see
  // docs/verify.md. The HTTP requests carry their own limit; this one only words the messages.
  const phase = new Deadline(io.timeoutMs);
  const secrets: (string | undefined)[] = [target.clientSecret, options.accessToken];
  let scrub: Scrubber = makeScrubber(secrets);
  const checks: CheckResult[] = [];
  const emit = (c: CheckResult) => {
    const clean = scrubCheck(c, scrub);
    checks.push(clean);
    onCheck?.(clean);
  };
  const skipRest = (from: CheckId[], why: string) => {
    for (const id of from) emit({ id, status: 'skip', detail: `not run: ${why}` });
  };
  const protocolChecks = target.protocols.flatMap((p) => CHECKS_OF[p]);

  // 1. Where the login endpoint is (as the azuread provider sees it).
  const cloud = await resolveCloud(target.cloud, io.http, io.timeoutMs);
  if (!cloud.ok) {
    emit({
      id: 'cloud',
      status: 'fail',
      detail: cloud.message,
      causeId: cloud.causeId,
      cause:
        cloud.causeId === 'unknown-environment'
          ? 'the cloud name is not one the azuread provider knows'
          : 'the cloud metadata endpoint did not give a login endpoint',
      fix:
        cloud.causeId === 'unknown-environment'
          ? 'set ARM_ENVIRONMENT to one of those (as for terraform), or unset it for the public cloud'
          : 'ARM_METADATA_HOSTNAME must be the host[:port] terraform uses (no https://), reachable from here with a trusted certificate (a private CA: NODE_EXTRA_CA_CERTS=/path/to/ca.pem)',
      ...(cloud.answer ? { serverAnswer: scrub.answer(cloud.answer) } : {}),
    });
    skipRest(['token', 'claims', ...protocolChecks], 'the login endpoint is not known');
    return finish(checks);
  }
  const endpoint = tokenEndpoint(cloud.loginEndpoint, target.tenantId);
  const advertised = target.advertisedTokenEndpoint;
  if (advertised && norm(advertised) !== norm(endpoint)) {
    emit({
      id: 'cloud',
      status: 'fail',
      detail: `login endpoint ${cloud.loginEndpoint} (${cloud.source}), but itsm_email_settings.token_endpoint is ${advertised}`,
      causeId: 'token-endpoint-mismatch',
      cause: 'the ITSM tool is told to get tokens from another endpoint than the cloud terraform deploys to',
      fix: `enter ${endpoint} as the token endpoint in the ITSM tool, or run verify with the ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME terraform uses`,
    });
  } else {
    emit({
      id: 'cloud',
      status: 'pass',
      detail: `login endpoint ${cloud.loginEndpoint} (${cloud.source})${advertised ? '; matches itsm_email_settings.token_endpoint' : ''}`,
    });
  }

  // 2. A token (app-only), or proof that tenant, client ID and secret are right (delegated).
  const resource = scopeResource(target.scope);
  const requestScope = target.flow === 'app-only' ? target.scope : resource ? `${resource}/.default` : target.scope;
  let appToken: string | undefined;
  if (!target.clientSecret) {
    emit({
      id: 'token',
      status: 'fail',
      detail: 'no client secret to try',
      causeId: 'secret-not-available',
      cause: 'neither ITSM_MAIL_CLIENT_SECRET nor the sensitive output client_secret gave a secret',
      fix: 'set ITSM_MAIL_CLIENT_SECRET to the secret the ITSM tool uses, or run verify where terraform output -raw client_secret works',
    });
  } else {
    const r = await requestClientCredentialsToken(io.http, {
      loginEndpoint: cloud.loginEndpoint,
      tenantId: target.tenantId,
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      scope: requestScope,
      timeoutMs: io.timeoutMs,
    });
    if (r.ok) {
      secrets.push(r.accessToken);
      scrub = makeScrubber(secrets);
      if (target.flow === 'app-only') {
        appToken = r.accessToken;
        emit({
          id: 'token',
          status: 'pass',
          detail: `client credentials token issued for ${requestScope}${r.expiresIn !== undefined ? ` (valid ${r.expiresIn} s)` : ''}`,
        });
      } else {
        emit({
          id: 'token',
          status: 'pass',
          detail: `tenant ${target.tenantId}, client ID and secret accepted (a client-credentials request for ${requestScope}; the token is not used: the ITSM tool's own tokens come from a user's sign-in)`,
        });
      }
    } else if (r.kind === 'aad') {
      // The endpoint's own words reach the cause and fix only as excerpts (a hostile endpoint could quote the secret in pieces).
      const said = (v: string | undefined) => (v === undefined ? undefined : scrub.answer(v));
      const c = aadCause(target, cloud.loginEndpoint, requestScope, {
        ...r.aad,
        error: said(r.aad.error),
        description: said(r.aad.description),
        correlationId: said(r.aad.correlationId),
        traceId: said(r.aad.traceId),
        timestamp: said(r.aad.timestamp),
      });
      // Each piece the endpoint sent is an excerpt of its own, so the correlation ID survives a long description.
      const answer =
        `HTTP ${r.aad.status} ${r.aad.error ? scrub.answer(r.aad.error) : ''}: ${scrub.answer(aadHeadline(r.aad))}${r.aad.correlationId ? ` (correlation ID ${scrub.answer(r.aad.correlationId)})` : ''}`.replace(
          / {2,}/g,
          ' ',
        );
      // A workload-identity policy can block client credentials without touching the users' sign-ins,
      // so for the delegated flow this says nothing about the ITSM tool: not checked, not failed.
      const onlyProbe = target.flow === 'delegated' && c.causeId === 'conditional-access';
      emit({
        id: 'token',
        status: onlyProbe ? 'skip' : 'fail',
        detail: onlyProbe
          ? `not checked: a Conditional Access policy for workload identities blocks this app's client-credentials request (${answer}); the delegated sign-ins of the ITSM tool fall under the users' policies instead`
          : `the token endpoint refused the request: ${answer}`,
        causeId: c.causeId,
        cause: c.cause,
        ...(onlyProbe ? {} : { fix: c.fix }),
        serverAnswer: answer,
      });
    } else if (r.kind === 'http') {
      const busy = r.status === 429 || r.status >= 500;
      emit({
        id: 'token',
        status: 'fail',
        detail: `${r.url} answered HTTP ${r.status} without a token or an error${r.body.trim() ? `: ${scrub.answer(r.body.trim())}` : ''}`,
        causeId: busy ? 'token-endpoint-unavailable' : 'token-endpoint-unexpected',
        cause: busy
          ? 'the token endpoint is busy or failing'
          : 'something other than the Microsoft identity platform answered (a proxy, a wrong ARM_METADATA_HOSTNAME)',
        fix: busy ? 'run verify again in a few minutes' : 'check the login endpoint above and any HTTPS proxy between this machine and it',
        serverAnswer: scrub.answer(r.body),
      });
    } else {
      emit({
        id: 'token',
        status: 'fail',
        detail: `no answer from ${r.url}: ${scrub.answer(r.message)} (${r.code})`,
        ...tokenTransportCause(r.code, r.connected, r.url, phase),
      });
    }
  }

  // 3. The token's claims against the configuration.
  let claims: ClaimsEvaluation | undefined;
  const mailToken = target.flow === 'app-only' ? appToken : options.accessToken;
  if (!mailToken && target.flow === 'delegated') {
    // Nothing the ITSM tool does with the mailbox has been tried: not a pass, whatever else passed.
    emit({
      id: 'claims',
      status: 'fail',
      detail: `not verified: no mailbox was tested. A delegated token comes from a user's sign-in (${SIGN_IN}), and none was given`,
      causeId: 'not-verified',
      cause: `the delegated flow's claims and mail checks need a user's access token; without one verify proved only the tenant, client ID and secret${target.clientSecret ? '' : ' (if that)'}, not that the ITSM tool can use ${target.mailbox}`,
      fix: `pass --access-token-file FILE with an access token a user obtained for this app (the ITSM tool's current one: audience https://outlook.office.com, signed in as ${target.mailbox}); keep the file chmod 600 and delete it afterwards. To verify without a user, use the app-only flow (mail.flow: app-only), which verify tests end to end by itself`,
    });
  } else if (!mailToken) {
    emit({ id: 'claims', status: 'skip', detail: 'not run: no token' });
  } else {
    try {
      claims = evaluateClaims(decodeJwtClaims(mailToken), target, io.now());
      const notes = claims.notes.length > 0 ? `; note: ${claims.notes.join('; ')}` : '';
      if (claims.findings.length === 0) {
        emit({ id: 'claims', status: 'pass', detail: `${claims.summary}${notes}` });
      } else {
        emit({
          id: 'claims',
          status: 'fail',
          detail: `${claims.summary}${notes}`,
          causeId: claims.findings[0].causeId,
          cause: claims.findings.map((f) => f.cause).join('; '),
          fix: [...new Set(claims.findings.map((f) => f.fix))].join('; '),
        });
      }
    } catch (e) {
      if (!(e instanceof NotAJwtError)) throw e;
      emit({
        id: 'claims',
        status: 'fail',
        detail: `the token cannot be read: ${e.message}`,
        causeId: 'token-not-jwt',
        cause: 'the token is not a JWT access token',
        fix:
          target.flow === 'app-only'
            ? 'report this: the token endpoint returned an unexpected token'
            : 'pass the access token itself (not a refresh or ID token, not the JSON around it) with --access-token-file',
      });
    }
  }

  // 4. The mail servers, with that token.
  if (!mailToken) {
    const why = target.flow === 'app-only' ? 'no token' : `needs a user's token: ${SIGN_IN}, or pass --access-token-file FILE`;
    for (const id of protocolChecks)
      emit({
        id,
        status: 'skip',
        detail: id === 'smtp-send' && !options.sendTestTo ? 'no test message asked for (--send-test-to ADDRESS)' : `not run: ${why}`,
      });
    return finish(checks);
  }
  // One deadline for all the mail checks (they run side by side): no server can stretch its check past it.
  const deadline = new Deadline(io.timeoutMs);
  const socket = { deadline, ...(io.ca !== undefined ? { ca: io.ca } : {}), ...(io.replyLimits ? { limits: io.replyLimits } : {}) };
  const login = { mailbox: target.mailbox, accessToken: mailToken };
  const running: Partial<Record<MailProtocol, Promise<[CheckId, Step, StepOutcome][]>>> = {};
  for (const p of target.protocols) {
    const server = target.servers[p]!;
    if (p === 'imap')
      running.imap = probeImap(server, login, socket).then((o) => [
        ['imap-auth', 'auth', o.auth],
        ['imap-inbox', 'mailbox', o.inbox],
      ]);
    if (p === 'pop')
      running.pop = probePop(server, login, socket).then((o) => [
        ['pop-auth', 'auth', o.auth],
        ['pop-mailbox', 'mailbox', o.mailbox],
      ]);
    if (p === 'smtp') {
      running.smtp = probeSmtp(server, { ...login, now: new Date(io.now()), ...(options.sendTestTo ? { sendTo: options.sendTestTo } : {}) }, socket).then(
        (o) => [
          ['smtp-auth', 'auth', o.auth],
          ['smtp-mail-from', 'mail-from', o.mailFrom],
          ...(o.send ? [['smtp-send', 'send', o.send] as [CheckId, Step, StepOutcome]] : []),
        ],
      );
    }
  }
  // A probe only rejects on a bug; keep the others' rejections from going unhandled meanwhile.
  for (const p of Object.values(running)) p.catch(() => undefined);
  // All protocols first (they run side by side): each one's login is evidence for the others' causes.
  const results: Partial<Record<MailProtocol, [CheckId, Step, StepOutcome][]>> = {};
  for (const p of MAIL_PROTOCOLS) if (running[p]) results[p] = await running[p];
  const evidence: Evidence = { loggedIn: MAIL_PROTOCOLS.filter((p) => results[p]?.some(([, step, o]) => step === 'auth' && o.ok)) };
  for (const p of MAIL_PROTOCOLS) {
    const done = results[p];
    if (!done) continue;
    for (const [id, step, outcome] of done) emit(stepCheck(id, step, outcome, target, p, claims, deadline, evidence, scrub));
    if (p === 'smtp' && !options.sendTestTo) emit({ id: 'smtp-send', status: 'skip', detail: 'no test message asked for (--send-test-to ADDRESS)' });
  }
  return finish(checks);
}

const CHECKS_OF: Readonly<Record<MailProtocol, CheckId[]>> = {
  imap: ['imap-auth', 'imap-inbox'],
  pop: ['pop-auth', 'pop-mailbox'],
  smtp: ['smtp-auth', 'smtp-mail-from', 'smtp-send'],
};

function stepCheck(
  id: CheckId,
  step: Step,
  outcome: StepOutcome,
  target: VerifyTarget,
  protocol: MailProtocol,
  claims: ClaimsEvaluation | undefined,
  deadline: Deadline,
  evidence: Evidence,
  scrub: Scrubber,
): CheckResult {
  const server = target.servers[protocol]!;
  const where = `${server.host}:${server.port}`;
  // What a server said is shown as a scrubbed excerpt only (see scrub.ts); the causes read it whole.
  const shown = outcome.answer !== undefined ? scrub.answer(outcome.answer) : undefined;
  if (outcome.ok) return { id, status: 'pass', detail: `${where}: ${outcome.detail}`, ...(shown ? { serverAnswer: shown } : {}) };
  if (outcome.causeId === 'not-run') return { id, status: 'skip', detail: outcome.detail };
  const c = serverCause({ target, protocol, server, step, outcome, claims, timeLimit: deadline.describe(), evidence });
  const answer = [shown, outcome.challenge ? `(error challenge ${scrub.answer(outcome.challenge)})` : undefined].filter((s) => s !== undefined).join(' ');
  return {
    id,
    status: 'fail',
    // A transport failure's words can carry server text too (a certificate's names): excerpted as well.
    detail: `${where}: ${scrub.answer(outcome.detail)}${shown ? `: ${shown}` : ''}`,
    causeId: c.causeId,
    cause: c.cause,
    fix: c.fix,
    ...(answer ? { serverAnswer: answer } : {}),
  };
}

/** The cause of a token request that got no complete answer. */
function tokenTransportCause(code: string, connected: boolean, url: string, deadline: Deadline): Pick<CheckResult, 'causeId' | 'cause' | 'fix'> {
  const host = new URL(url).host;
  if (code === NAME_MISMATCH) {
    return {
      causeId: 'tls-name-mismatch',
      cause: `the TLS certificate presented by ${host} is issued for another name (a host name mismatch)`,
      fix: 'check the login endpoint above (ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME); a TLS-inspecting proxy must issue its certificates for the name it intercepts',
    };
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO/.test(code)) {
    return {
      causeId: 'tls-untrusted',
      cause: "the token endpoint's TLS certificate is not trusted",
      fix: "behind a TLS-inspecting proxy, give Node the proxy's CA (NODE_EXTRA_CA_CERTS=/path/to/ca.pem)",
    };
  }
  if (code === ANSWER_TOO_LARGE) {
    return {
      causeId: 'reply-too-long',
      cause: `${host} sent an answer longer than any token response; verify stopped reading it`,
      fix: 'something other than the Microsoft identity platform answered: check the login endpoint above and any HTTPS proxy between this machine and it',
    };
  }
  if (code === TIMED_OUT && connected) {
    return {
      causeId: 'reply-timeout',
      cause: `the connection to ${host} was made, but no complete answer came within the time limit (${deadline.describe()})`,
      fix: 'no firewall blocks it (the connection was made): check the login endpoint above and any HTTPS proxy between this machine and it; run verify again, and raise --timeout only on a very slow link',
    };
  }
  return {
    causeId: 'token-endpoint-unreachable',
    cause: 'the token endpoint cannot be reached from this machine',
    fix: `allow outbound HTTPS to ${host}; check DNS and the login endpoint above`,
  };
}

function norm(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}

function scrubCheck(c: CheckResult, scrub: Scrubber): CheckResult {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c)) out[k] = typeof v === 'string' ? scrub(v) : v;
  return out as unknown as CheckResult;
}

function finish(checks: CheckResult[]): VerifyReport {
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}
