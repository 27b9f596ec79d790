/**
 * Types of `npm run verify`: what is checked (VerifyTarget, built from the Terraform outputs by
 * target-from-outputs.ts) and what comes out (one CheckResult per check).
 *
 * Nothing here imports cdktf or the construct code: the command must start fast and keep working
 * while the rest of the project changes.
 */

/** How the ITSM tool reaches the mailbox (the config's `mail.flow`). */
export type MailFlow = 'delegated' | 'app-only';

/** A mail protocol the ITSM tool speaks to Exchange Online. */
export type MailProtocol = 'imap' | 'pop' | 'smtp';

export const MAIL_PROTOCOLS: readonly MailProtocol[] = ['imap', 'pop', 'smtp'];

/** A mail server: `tls` is implicit TLS (IMAPS 993, POP3S 995, SMTPS 465); `starttls` upgrades a plain connection (SMTP 587). */
export interface MailServer {
  readonly host: string;
  readonly port: number;
  readonly security: 'tls' | 'starttls';
}

/**
 * Where the Entra ID login endpoint comes from, as the azuread provider decides it:
 * `ARM_METADATA_HOSTNAME` (the metadata document's `authentication.loginEndpoint`), else
 * `ARM_ENVIRONMENT` (built-in clouds, default `global`); or a login endpoint given directly.
 */
export type CloudSetting =
  | { readonly kind: 'metadata-host'; readonly host: string }
  | { readonly kind: 'environment'; readonly name: string; readonly fromEnv: boolean }
  | { readonly kind: 'login-endpoint'; readonly loginEndpoint: string };

/**
 * How a permission reaches the token:
 * - `token`: an Entra ID permission, so it must be in the token's `roles` (app-only) or `scp` (delegated);
 * - `exchange-rbac`: granted by an Exchange Online RBAC for Applications role assignment
 *   (app-only SMTP with `mailboxAccess: rbac`), so it is absent from the token by design;
 * - `unknown`: either (the outputs do not say); absence is reported but not a failure, and the
 *   protocol check decides.
 */
export type PermissionSource = 'token' | 'exchange-rbac' | 'unknown';

export interface PermissionExpectation {
  /** e.g. `IMAP.AccessAsApp` (app-only) or `IMAP.AccessAsUser.All` (delegated). */
  readonly permission: string;
  readonly source: PermissionSource;
}

export interface ExpectedPermissions {
  /** The claim that carries the permissions: `roles` for app-only tokens, `scp` for delegated ones. */
  readonly claim: 'roles' | 'scp';
  /** Accepted `aud` values: the resource of the configured scope (and its Exchange Online aliases). */
  readonly audiences: readonly string[];
  readonly byProtocol: Readonly<Partial<Record<MailProtocol, PermissionExpectation>>>;
}

/** Everything `verify` checks, in one plain object. */
export interface VerifyTarget {
  /** The environment (stack) name, for messages only. */
  readonly environment?: string;
  /** Where terraform keeps the environment's state and outputs (`<CDKTF_OUTDIR or cdktf.out>/stacks/<env>`), for the fixes. */
  readonly stackDir?: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** The service principal's object ID (Exchange Online's New-ServicePrincipal -ObjectId), for the fixes. */
  readonly servicePrincipalObjectId?: string;
  readonly flow: MailFlow;
  /** The protocols in use: those with a server. */
  readonly protocols: readonly MailProtocol[];
  /** The address the ITSM tool logs in with (XOAUTH2 `user=`, SMTP `MAIL FROM`). */
  readonly mailbox: string;
  readonly servers: Readonly<Partial<Record<MailProtocol, MailServer>>>;
  /** The scope string the ITSM tool requests (itsm_email_settings.scope). */
  readonly scope: string;
  readonly expected: ExpectedPermissions;
  readonly cloud: CloudSetting;
  /** The token endpoint the ITSM tool is told to use (itsm_email_settings.token_endpoint). */
  readonly advertisedTokenEndpoint?: string;
  /** The client secret. Never printed, never put into a result. */
  readonly clientSecret?: string;
}

export type CheckStatus = 'pass' | 'fail' | 'skip';

export type CheckId =
  | 'outputs'
  | 'cloud'
  | 'token'
  | 'claims'
  | 'imap-auth'
  | 'imap-inbox'
  | 'pop-auth'
  | 'pop-mailbox'
  | 'smtp-auth'
  | 'smtp-mail-from'
  | 'smtp-send';

/** One line of the report. No field ever holds the secret or a token. */
export interface CheckResult {
  readonly id: CheckId;
  readonly status: CheckStatus;
  readonly detail: string;
  /** A stable identifier of the cause (see docs/verify.md), for pipelines. */
  readonly causeId?: string;
  /** The cause, in words. */
  readonly cause?: string;
  /** What to do about it. */
  readonly fix?: string;
  /** The server's or token endpoint's answer that shows it (scrubbed of anything token-like). */
  readonly serverAnswer?: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}
