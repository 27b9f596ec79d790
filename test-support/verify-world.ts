import { createSign, randomBytes, randomUUID } from 'node:crypto';
import type { TestPki } from './verify-pki';

/**
 * The tenant the verify tests run against: who exists, what each app was granted, which mailboxes
 * exist and who may open them. The test token endpoint (fake-entra.ts) issues tokens from it and
 * the mail peer (mail-peer.ts) enforces it, like Entra ID and Exchange Online would.
 * IDs are fixed and obviously fake; secrets are made at run time.
 */
export const TENANT = '7e570000-0000-4000-8000-00000000a001';
export const OTHER_TENANT = '7e570000-0000-4000-8000-00000000b002';
export const DOMAIN = 'example.test';
export const ALICE = `alice@${DOMAIN}`;
export const BOB = `bob@${DOMAIN}`;
/** Has Exchange permissions granted but no mailbox (opening it fails after a good login). */
export const CAROL = `carol@${DOMAIN}`;
/** A mailbox the app-only app may open, with IMAP turned off for it (Set-CASMailbox -ImapEnabled $false): POP and SMTP work, IMAP is refused. */
export const DAVE = `dave@${DOMAIN}`;
/** Mailboxes that exist on the mail peer. */
export const MAILBOXES = [ALICE, BOB, DAVE];
/** Protocols turned off per mailbox (Get-CASMailbox shows ImapEnabled/PopEnabled False, SmtpClientAuthenticationDisabled True). */
export const CAS_DISABLED: Readonly<Record<string, readonly ('imap' | 'pop' | 'smtp')[]>> = { [DAVE]: ['imap'] };

export const EXO = 'https://outlook.office365.com';
export const EXO_DELEGATED = 'https://outlook.office.com';
export const GRAPH = 'https://graph.microsoft.com';
/** Resources the tenant has (anything else answers AADSTS500011). */
export const RESOURCES = [EXO, EXO_DELEGATED, GRAPH, '00000002-0000-0ff1-ce00-000000000000'];

/** A client secret shaped like the ones Entra ID issues (three characters, a digit, "Q~", 34 more), made fresh. */
export function fakeEntraSecret(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  const pick = (n: number) => [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${pick(3)}${randomBytes(1)[0] % 10}Q~${pick(34)}`;
}

export interface TestApp {
  readonly name: string;
  readonly clientId: string;
  readonly spObjectId: string;
  readonly secret: string;
  readonly expiredSecret: string;
  /** Exchange Online application permissions with admin consent (the token's roles). */
  readonly roles: readonly string[];
  /** New-ServicePrincipal was run for it in Exchange Online. */
  readonly exchangeRegistered: boolean;
  /** Add-MailboxPermission ... FullAccess: the mailboxes it may open. */
  readonly mailboxGrants: readonly string[];
  /** New-ManagementRoleAssignment "Application SMTP.SendAsApp" scoped to these mailboxes. */
  readonly smtpRbac: readonly string[];
  /** A Conditional Access policy for workload identities blocks it (AADSTS53003). */
  readonly blockedByConditionalAccess?: boolean;
}

function app(name: string, n: number, rest: Partial<TestApp>): TestApp {
  const hex = n.toString(16).padStart(2, '0');
  return {
    name,
    clientId: `c11e0000-0000-4000-8000-0000000000${hex}`,
    spObjectId: `5e000000-0000-4000-8000-0000000000${hex}`,
    secret: fakeEntraSecret(),
    expiredSecret: fakeEntraSecret(),
    roles: [],
    exchangeRegistered: true,
    mailboxGrants: [],
    smtpRbac: [],
    ...rest,
  };
}

export interface TestWorld {
  readonly tenant: string;
  readonly apps: Readonly<Record<'appOnly' | 'unregistered' | 'noConsent' | 'imapOnly' | 'blocked' | 'delegated' | 'delegatedBlocked', TestApp>>;
}

/** A fresh world (new secrets) per suite. */
export function makeWorld(): TestWorld {
  return {
    tenant: TENANT,
    apps: {
      // The app-only setup as the runbook leaves it: IMAP/POP roles, SMTP by RBAC, alice and carol granted.
      appOnly: app('app-only', 1, { roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp'], mailboxGrants: [ALICE, CAROL, DAVE], smtpRbac: [ALICE, CAROL, DAVE] }),
      // Roles consented in Entra ID, but New-ServicePrincipal never ran in Exchange Online.
      unregistered: app('not registered in Exchange', 2, {
        roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp'],
        exchangeRegistered: false,
        mailboxGrants: [ALICE],
        smtpRbac: [ALICE],
      }),
      // Exchange side done, but no admin consent: tokens carry no roles.
      noConsent: app('no admin consent', 3, { mailboxGrants: [ALICE], smtpRbac: [ALICE] }),
      // Consent for IMAP only (POP was added to the config later, or consent was granted by hand).
      imapOnly: app('IMAP consent only', 7, { roles: ['IMAP.AccessAsApp'], mailboxGrants: [ALICE] }),
      blocked: app('blocked by conditional access', 4, {
        roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp'],
        mailboxGrants: [ALICE],
        blockedByConditionalAccess: true,
      }),
      // Delegated apps hold no application permissions.
      delegated: app('delegated', 5, {}),
      delegatedBlocked: app('delegated, blocked by conditional access', 6, { blockedByConditionalAccess: true }),
    },
  };
}

export type ClaimSet = Record<string, unknown>;

/** Signs claims as an RS256 JWT with the test key (header as Entra ID writes it: typ, alg, kid, x5t). */
export function signJwt(claims: ClaimSet, pki: TestPki, key: string = pki.jwtPrivateKey): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ typ: 'JWT', alg: 'RS256', x5t: pki.jwtKeyId, kid: pki.jwtKeyId })}.${b64(claims)}`;
  const sig = createSign('RSA-SHA256').update(head).sign(key).toString('base64url');
  return `${head}.${sig}`;
}

const now = () => Math.floor(Date.now() / 1000);

/** The claims of an app-only v1 token (what Entra ID issues to Exchange Online). */
export function appOnlyClaims(a: TestApp, aud: string, tenant = TENANT): ClaimSet {
  const t = now();
  return {
    aud,
    iss: `https://sts.windows.net/${tenant}/`,
    iat: t - 300,
    nbf: t - 300,
    exp: t + 3300,
    aio: randomBytes(24).toString('base64url'),
    app_displayname: `ITSM mail (${a.name})`,
    appid: a.clientId,
    appidacr: '1',
    idp: `https://sts.windows.net/${tenant}/`,
    idtyp: 'app',
    oid: a.spObjectId,
    ...(a.roles.length > 0 && (aud === EXO || aud === EXO_DELEGATED) ? { roles: [...a.roles] } : {}),
    sid: randomUUID(),
    sub: a.spObjectId,
    tid: tenant,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
}

/** The claims of a delegated v1 token the ITSM tool would get after a user's sign-in. */
export function delegatedClaims(a: TestApp, user: string, scp: string, overrides: ClaimSet = {}): ClaimSet {
  const t = now();
  return {
    aud: EXO_DELEGATED,
    iss: `https://sts.windows.net/${TENANT}/`,
    iat: t - 60,
    nbf: t - 60,
    exp: t + 3540,
    acr: '1',
    amr: ['pwd', 'mfa'],
    appid: a.clientId,
    appidacr: '1',
    family_name: user.split('@')[0],
    ipaddr: '192.0.2.10',
    name: user.split('@')[0],
    oid: `0b1d0000-0000-4000-8000-${Buffer.from(user).toString('hex').slice(0, 12).padEnd(12, '0')}`,
    puid: '10030000A1B2C3D4',
    scp,
    sid: randomUUID(),
    sub: randomBytes(16).toString('base64url'),
    tid: TENANT,
    unique_name: user,
    upn: user,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
    ...overrides,
  };
}

/** The delegated scp the ITSM tool gets for IMAP, POP and SMTP. */
export const FULL_SCP = 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send';
