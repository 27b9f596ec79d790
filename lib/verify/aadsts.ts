import { ADMIN_CONSENT, outputCommand } from './fixes';
import type { AadError } from './token-client';
import type { VerifyTarget } from './types';

export interface AadCause {
  readonly causeId: string;
  readonly cause: string;
  readonly fix: string;
}

interface Context {
  readonly target: VerifyTarget;
  readonly loginEndpoint: string;
  readonly scope: string;
  readonly aad: AadError;
}

type Rule = (c: Context) => AadCause;

/**
 * AADSTS codes → cause and fix, in the project's words. Data, not logic: Microsoft says the codes
 * are subject to change (reference-error-codes.md), so unknown codes fall through to a generic
 * cause that still quotes the code and its description. Some codes are never answered to the
 * client-credentials request verify makes; they are here because the ITSM tool shows them at
 * sign-in, and docs/verify.md lists which is which.
 */
const RULES: Readonly<Record<number, Rule>> = {
  7000215: ({ target }) => ({
    causeId: 'secret-invalid',
    cause:
      "the token endpoint does not accept this client secret for this client ID (AADSTS7000215): most often the secret's ID was copied instead of its value, or the secret belongs to another app registration or environment",
    fix: `use the value of ${outputCommand(target, 'client_secret')} for this environment (or set ITSM_MAIL_CLIENT_SECRET to it), and paste the same value into the ITSM tool`,
  }),
  7000222: ({ target }) => ({
    causeId: 'secret-expired',
    cause: 'the client secret has expired (AADSTS7000222)',
    fix: `run terraform apply for this environment (the rotation replaces secrets before they expire when applied at least monthly), then copy the new value of ${outputCommand(target, 'client_secret')} into the ITSM tool`,
  }),
  90002: (c) => tenantNotFound(c, 90002),
  900023: (c) => tenantNotFound(c, 900023),
  700016: ({ target }) => ({
    causeId: 'app-not-found',
    cause: `tenant ${target.tenantId} has no application with client ID ${target.clientId} (AADSTS700016): a wrong client ID or tenant ID, an application that was deleted, or one created moments ago that has not replicated yet`,
    fix: 'compare tenant_id and client_id with the app registration; right after a first apply wait a minute and run verify again; if it was deleted, terraform apply creates a new one (with a new client ID: update the ITSM tool)',
  }),
  7000229: () => ({
    causeId: 'service-principal-missing',
    cause: 'the application has no service principal (Enterprise application) in this tenant (AADSTS7000229)',
    fix: 'terraform apply creates it (the project declares azuread_service_principal); if it was deleted by hand, apply again',
  }),
  7000218: () => ({
    causeId: 'secret-missing',
    cause: 'the request carried no client secret (AADSTS7000218)',
    fix: 'set ITSM_MAIL_CLIENT_SECRET, or make the sensitive output client_secret readable (terraform output -raw client_secret)',
  }),
  700025: () => ({
    causeId: 'public-client',
    cause: 'the application is marked as a public client (AADSTS700025), which takes no secret',
    fix: 'turn "Allow public client flows" off again (Authentication blade); this project never enables it, and the next terraform apply resets it',
  }),
  7000112: () => ({
    causeId: 'app-disabled',
    cause: 'the application is disabled in this tenant (AADSTS7000112)',
    fix: 'enable the service principal: Enterprise applications → the app → Properties → "Enabled for users to sign in?" Yes',
  }),
  65001: () => ({
    causeId: 'consent-missing',
    cause: 'no one has consented to the permissions the request needs (AADSTS65001)',
    fix: ADMIN_CONSENT,
  }),
  53003: (c) => conditionalAccess(c, 53003),
  530032: (c) => conditionalAccess(c, 530032),
  500011: ({ scope, target }) => ({
    causeId: 'resource-not-found',
    cause: `the resource of the scope ${scope} is not in tenant ${target.tenantId} (AADSTS500011): Exchange Online is not provisioned there (no Exchange Online licence), or the scope is mistyped`,
    fix: 'check itsm_email_settings.scope (app-only: https://outlook.office365.com/.default); the tenant needs Exchange Online',
  }),
  70011: (c) => invalidScope(c, 70011),
  1002012: (c) => invalidScope(c, 1002012),
  50011: () => ({
    causeId: 'redirect-uri',
    cause: 'the redirect URI the ITSM tool sends is not registered on the application (AADSTS50011)',
    fix: 'add the exact URI (Pandora ITSM: https://<host>/<path>/setup/setup_mail) to application.redirectUris and run terraform apply',
  }),
  50076: () => mfa(50076),
  50079: () => mfa(50079),
  50173: () => grantExpired(50173),
  70008: () => grantExpired(70008),
  700082: () => grantExpired(700082),
  65004: () => ({
    causeId: 'consent-declined',
    cause: 'the user declined the consent prompt (AADSTS65004)',
    fix: ADMIN_CONSENT,
  }),
  50020: ({ target }) => ({
    causeId: 'user-other-tenant',
    cause: `the signed-in user is not from tenant ${target.tenantId} (AADSTS50020)`,
    fix: 'sign in in the ITSM tool with the mailbox account of this tenant',
  }),
};

function tenantNotFound({ target, loginEndpoint }: Context, code: number): AadCause {
  return {
    causeId: 'tenant-not-found',
    cause: `tenant ${target.tenantId} was not found at ${loginEndpoint} (AADSTS${code}): a wrong tenant ID, or a tenant of another cloud`,
    fix: "check tenant_id (the config's tenantId or ARM_TENANT_ID at deploy time) and the cloud: ARM_ENVIRONMENT or ARM_METADATA_HOSTNAME must name the cloud the tenant lives in, as for terraform",
  };
}

function conditionalAccess({ target, aad }: Context, code: number): AadCause {
  const where = aad.correlationId ? ` (correlation ID ${aad.correlationId})` : '';
  return {
    causeId: 'conditional-access',
    cause:
      target.flow === 'app-only'
        ? `a Conditional Access policy blocked the token (AADSTS${code}): a policy for workload identities that includes this service principal, typically one allowing only a named location that this machine is not in`
        : `a Conditional Access policy blocked the token (AADSTS${code})`,
    fix: `find the sign-in${where} under Entra ID → Sign-in logs → Service principal sign-ins to see which policy; exclude this service principal from it, or add the ITSM server's public address to the policy's trusted named location (run verify from the ITSM server: its address is the one that matters)`,
  };
}

function invalidScope({ scope, target }: Context, code: number): AadCause {
  return {
    causeId: 'scope-invalid',
    cause: `the token endpoint refused the scope ${scope} (AADSTS${code})${code === 1002012 ? ': client credentials need a scope ending in /.default' : ''}`,
    fix:
      target.flow === 'app-only'
        ? 'itsm_email_settings.scope must be https://outlook.office365.com/.default for app-only'
        : 'check itsm_email_settings.scope (https://outlook.office.com/IMAP.AccessAsUser.All ... offline_access)',
  };
}

function mfa(code: number): AadCause {
  return {
    causeId: 'mfa-required',
    cause: `the sign-in needs multi-factor authentication (AADSTS${code})`,
    fix: 'complete the interactive sign-in in the ITSM tool (the MFA policy applies to users, not to client credentials)',
  };
}

function grantExpired(code: number): AadCause {
  return {
    causeId: 'grant-expired',
    cause: `the ITSM tool's refresh token is expired or revoked (AADSTS${code}), e.g. after a password change`,
    fix: 'sign in again in the ITSM tool (Email setup → authorize)',
  };
}

/** The cause of a token endpoint error, by its first AADSTS code. */
export function aadCause(target: VerifyTarget, loginEndpoint: string, scope: string, aad: AadError): AadCause {
  const code = aad.codes[0];
  const rule = code !== undefined ? RULES[code] : undefined;
  if (rule) return rule({ target, loginEndpoint, scope, aad });
  if (aad.status === 429 || aad.status >= 500) {
    return {
      causeId: 'token-endpoint-unavailable',
      cause: `the token endpoint is busy or failing (HTTP ${aad.status}${code !== undefined ? `, AADSTS${code}` : ''})`,
      fix: 'run verify again in a few minutes; check the Microsoft 365 / Azure service health if it persists',
    };
  }
  return {
    causeId: 'aad-error',
    cause: `the token endpoint refused the request (${aad.error ?? 'error'}${code !== undefined ? `, AADSTS${code}` : ''}, HTTP ${aad.status})`,
    fix:
      code !== undefined
        ? `look the code up: https://login.microsoftonline.com/error?code=${code}`
        : 'read the description above; report it with the correlation ID if it is unclear',
  };
}

/** Codes with a named cause, for the docs and the tests. */
export const KNOWN_AADSTS_CODES: readonly number[] = Object.keys(RULES).map(Number);
