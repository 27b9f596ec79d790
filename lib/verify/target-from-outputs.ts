/**
 * The glue between this project's Terraform outputs and a VerifyTarget. It is the only file that
 * knows the output names: when they change, adapt it here.
 *
 * Outputs read (`terraform output -json`, one object keyed by output name, each `{value, sensitive, type}`):
 * - `itsm_email_settings` (required): tenant_id, client_id, flow, token_endpoint, scope,
 *   imap_/pop_/smtp_server, _port, _security, and `mailbox` when present;
 * - `tenant_id`, `client_id`: used when the settings lack them;
 * - `service_principal_object_id`: fills in the Exchange Online commands in the fixes;
 * - `client_secret` (sensitive): the secret, unless ITSM_MAIL_CLIENT_SECRET is set;
 * - how app-only SMTP is granted: `itsm_email_settings.mailbox_access` (`rbac` | `fullAccess`)
 *   when present, else read from `exchange_online_runbook` (its "Application SMTP.SendAsApp" role
 *   assignment appears only with mailboxAccess: rbac), else unknown.
 */
import { join } from 'node:path';
import { cloudFromEnv } from './cloud';
import { expectedPermissions, type SmtpGrant } from './permissions';
import { MAIL_PROTOCOLS, type MailFlow, type MailProtocol, type MailServer, type VerifyTarget } from './types';

/** The environment variable that holds the client secret; it wins over the output. */
export const SECRET_ENV = 'ITSM_MAIL_CLIENT_SECRET';

export type TerraformOutputs = Readonly<Record<string, { readonly value?: unknown; readonly sensitive?: boolean } | undefined>>;

export class OutputsError extends Error {}

export interface TargetOverrides {
  readonly environment?: string;
  /** --mailbox: wins over itsm_email_settings.mailbox. */
  readonly mailbox?: string;
}

/** Thrown when neither the outputs nor --mailbox name the mailbox (a usage error: exit 64). */
export class MailboxMissingError extends Error {}

const ADDRESS = /^[^\s<>()@,;:"\\]+@[^\s<>()@,;:"\\]+\.[^\s<>()@,;:"\\]+$/;

export function isMailAddress(s: string): boolean {
  return ADDRESS.test(s) && s.length <= 254;
}

function value(outputs: TerraformOutputs, name: string): unknown {
  return outputs[name]?.value;
}

function text(settings: Record<string, unknown>, key: string): string {
  const v = settings[key];
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
}

/** The folder whose Terraform holds an environment's outputs, as cdktf lays it out: `<CDKTF_OUTDIR or cdktf.out>/stacks/<env>`. */
export function stackDirOf(env: NodeJS.ProcessEnv, environment: string): string {
  return join(env.CDKTF_OUTDIR || 'cdktf.out', 'stacks', environment);
}

export function targetFromOutputs(outputs: TerraformOutputs, env: NodeJS.ProcessEnv, overrides: TargetOverrides = {}): VerifyTarget {
  const raw = value(outputs, 'itsm_email_settings');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new OutputsError(
      `no itsm_email_settings output (outputs found: ${Object.keys(outputs).sort().join(', ') || 'none'}): has this environment been applied?`,
    );
  }
  const s = raw as Record<string, unknown>;
  const tenantId = text(s, 'tenant_id') || String(value(outputs, 'tenant_id') ?? '');
  const clientId = text(s, 'client_id') || String(value(outputs, 'client_id') ?? '');
  if (!tenantId) throw new OutputsError('itsm_email_settings has no tenant_id');
  if (!clientId) throw new OutputsError('itsm_email_settings has no client_id');
  const flow = text(s, 'flow');
  if (flow !== 'delegated' && flow !== 'app-only') throw new OutputsError(`itsm_email_settings.flow is "${flow}", not delegated or app-only`);
  const scope = text(s, 'scope');
  if (!scope) throw new OutputsError('itsm_email_settings has no scope');

  const servers: Partial<Record<MailProtocol, MailServer>> = {};
  for (const p of MAIL_PROTOCOLS) {
    const host = text(s, `${p}_server`);
    if (!host) continue;
    const port = Number(text(s, `${p}_port`));
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new OutputsError(`itsm_email_settings.${p}_port is "${text(s, `${p}_port`)}", not a port number`);
    const security = text(s, `${p}_security`).toUpperCase();
    let mode: MailServer['security'];
    if (security === 'SSL/TLS' || security === 'SSL' || security === 'TLS') mode = 'tls';
    else if (security === 'STARTTLS' && p === 'smtp') mode = 'starttls';
    else
      throw new OutputsError(
        `itsm_email_settings.${p}_security is "${text(s, `${p}_security`)}": verify speaks ${p === 'smtp' ? 'SSL/TLS or STARTTLS' : 'SSL/TLS'} for ${p}`,
      );
    servers[p] = { host, port, security: mode };
  }
  const protocols = MAIL_PROTOCOLS.filter((p) => servers[p] !== undefined);
  if (protocols.length === 0) throw new OutputsError('itsm_email_settings names no IMAP, POP or SMTP server');

  const mailbox = overrides.mailbox ?? (text(s, 'mailbox') || undefined);
  if (!mailbox) throw new MailboxMissingError('itsm_email_settings has no mailbox: name the one the ITSM tool logs in with (--mailbox ADDRESS)');
  if (!isMailAddress(mailbox)) throw new MailboxMissingError(`"${mailbox}" is not a mail address`);

  const secret = env[SECRET_ENV] || stringValue(value(outputs, 'client_secret'));
  const sp = stringValue(value(outputs, 'service_principal_object_id'));
  const advertised = text(s, 'token_endpoint');
  return {
    ...(overrides.environment ? { environment: overrides.environment, stackDir: stackDirOf(env, overrides.environment) } : {}),
    tenantId,
    clientId,
    ...(sp ? { servicePrincipalObjectId: sp } : {}),
    flow: flow as MailFlow,
    protocols,
    mailbox,
    servers,
    scope,
    expected: expectedPermissions(flow, protocols, scope, smtpGrant(s, value(outputs, 'exchange_online_runbook'))),
    cloud: cloudFromEnv(env),
    ...(advertised ? { advertisedTokenEndpoint: advertised } : {}),
    ...(secret ? { clientSecret: secret } : {}),
  };
}

function stringValue(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** How app-only SMTP is granted, from what the outputs say (see the file comment). */
export function smtpGrant(settings: Record<string, unknown>, runbook: unknown): SmtpGrant {
  const access = text(settings, 'mailbox_access');
  if (access === 'rbac') return 'exchange-rbac';
  if (access === 'fullAccess') return 'entra-app-role';
  if (typeof runbook === 'string' && text(settings, 'flow') === 'app-only' && text(settings, 'smtp_server')) {
    return runbook.includes('-Role "Application SMTP.SendAsApp"') ? 'exchange-rbac' : 'entra-app-role';
  }
  return 'unknown';
}
