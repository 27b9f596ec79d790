/**
 * The ITSM tool that reads and sends the mail (`application.itsmTool`): one preset per tool, with
 * what the tool's public source code and documentation establish about it — the flows it
 * supports, the protocols it speaks, the delegated permissions its own sign-in asks for, where it
 * calls back, which sign-in audiences work with the login endpoint it calls, whether it takes a
 * certificate, and the labels of its form fields.
 *
 * The facts are data (`ITSM_TOOLS`), each with its source and grade ([code], [docs], [issue];
 * docs/itsm-tools.md cites them). The rules that hold a config against them are written once,
 * here (`toolFlowProblems`, `toolRedirectUriProblems`, `toolAudienceProblems`); the application
 * model runs them for the config loader and the construct. A preset only gives starting values:
 * everything it fills in can be written in the config instead, and `appliedItsmTool` records what
 * it filled in, for the review.
 *
 * Adding a tool: an entry in `ITSM_TOOL_IDS` and `ITSM_TOOLS` (the compiler asks for the entry)
 * and its section in docs/itsm-tools.md.
 */
import { MAIL_PROTOCOLS, type MailFlow, type MailProtocol } from './mail-access';
import { NOTHING_UNRESOLVED, type IsUnresolved, type Problem } from './problem';
import { dotSegmentIn, redirectUriProblem, writtenPath } from './redirect-uri';
import { SIGN_IN_AUDIENCES, type SignInAudience } from './sign-in-audience';

/** The tools with a preset; `pandora-itsm` is the default. */
export const ITSM_TOOL_IDS = ['pandora-itsm', 'glpi', 'zammad', 'osticket', 'znuny', 'itop', 'freescout'] as const;
/** An ITSM tool with a preset. */
export type ItsmToolId = (typeof ITSM_TOOL_IDS)[number];
/** The preset used when `itsmTool` is not given: Pandora ITSM, what this project was written for. */
export const DEFAULT_ITSM_TOOL: ItsmToolId = 'pandora-itsm';

/** How a fact is known: read in the tool's code, in its official documentation, or in a public issue. */
export type EvidenceGrade = 'code' | 'docs' | 'issue';

/** Where a fact comes from: repository, commit, file and place, or the document. */
export interface Evidence {
  readonly grade: EvidenceGrade;
  readonly where: string;
}

/**
 * How the tool names the tenant in its login URLs.
 * - `tenantField`: its form has a tenant field; left empty the tool signs in at `/common`, which
 *   Entra ID refuses for a single-tenant application (AADSTS50194): fill in the tenant ID.
 * - `endpointFields`: its form takes the authorization and token endpoint URLs, whose defaults name
 *   `/common`: paste the tenant's endpoints.
 * - `commonOnly`: it always signs in at `/common`, with no setting to change it, so the application
 *   must be multi-tenant (AADSTS50194 otherwise).
 */
export type TenantEndpoint = 'tenantField' | 'endpointFields' | 'commonOnly';

/**
 * Whether the tool can authenticate with a certificate (a signed client assertion) instead of a
 * client secret. `unsupported`: its code sends only a client secret; `unknown`: not established
 * (its code is not public). No tool with a preset takes a certificate, so the project offers no
 * certificate credential; guardrail ITSM-SEC-003 stays quiet where a certificate is unsupported.
 */
export type CertificateSupport = 'unsupported' | 'unknown';

/** Where the tool's authorization-code flow returns: the redirect URI it sends. */
export interface ToolCallback {
  /** The redirect URI's path ends with one of these (the part before depends on the install). */
  readonly pathEndsWith: readonly string[];
  /** How the tool builds it, for messages and the review. */
  readonly pattern: string;
  /** Where the tool shows it, so it can be copied. */
  readonly shownAs: string;
  readonly evidence: Evidence;
}

/** What goes into one field of the tool's forms (`itsm_tool_settings`). */
export type ToolFormValue =
  | { readonly from: 'tenantId' | 'clientId' | 'clientSecret' | 'mailbox' | 'scope' | 'authorizeEndpoint' | 'tokenEndpoint' | 'protocolNames' }
  /** The redirect URI registered for this protocol's callback (for any chosen protocol when not given). */
  | { readonly from: 'redirectUri'; readonly protocol?: MailProtocol }
  | { readonly literal: string };

/** One field of the tool's forms, named as the tool labels it (`<where>: <label>`). */
export interface ToolFormField {
  readonly field: string;
  readonly value: ToolFormValue;
  /** Listed only when one of these protocols is used. @default - always */
  readonly protocols?: readonly MailProtocol[];
  /** Listed only for this flow. @default - for every flow */
  readonly flow?: MailFlow;
}

/** The facts of one tool, as established from its code and documentation. */
export interface ItsmToolPreset {
  readonly id: ItsmToolId;
  readonly displayName: string;
  /** Which module or channel of the tool, and the release or commit the facts were read at. */
  readonly covers: string;
  /** The flows it supports, in the order they are listed. */
  readonly flows: readonly MailFlow[];
  /** The protocols it speaks to Exchange Online with OAuth. */
  readonly protocols: readonly MailProtocol[];
  /** The protocols requested when `mail.protocols` is not given. */
  readonly defaultProtocols: readonly MailProtocol[];
  /**
   * Set when the tool asks for all its protocols in one sign-in (its scope is fixed in code): each
   * must then be requested and consented, or the sign-in asks for consent to the missing one.
   */
  readonly protocolsTogether: boolean;
  /** Delegated Microsoft Graph permissions its sign-in asks for beside the protocols' (OpenID Connect scopes, offline_access). */
  readonly signInPermissions: readonly string[];
  /** Its callbacks by protocol; undefined when not established (redirect URIs are then not held against a pattern). */
  readonly callbacks?: Readonly<Partial<Record<MailProtocol, ToolCallback>>>;
  /** What to add when the delegated flow has no redirect URI. */
  readonly callbackHint: string;
  /** The sign-in audiences that work with the endpoint it calls. */
  readonly audiences: readonly SignInAudience[];
  /** The audience used when `signInAudience` is not given. */
  readonly defaultAudience: SignInAudience;
  readonly tenantEndpoint: TenantEndpoint;
  readonly certificate: CertificateSupport;
  /** Whether its setup guide has the "Expose an API" step: the delegated flow then exposes one by default. */
  readonly exposesApi: boolean;
  /** Its form fields, for the `itsm_tool_settings` output; undefined when `itsm_email_settings` already is its form. */
  readonly form?: readonly ToolFormField[];
  /** The source of each fact. */
  readonly evidence: {
    readonly flows: readonly Evidence[];
    readonly protocols: readonly Evidence[];
    readonly signIn: readonly Evidence[];
    readonly tenant: readonly Evidence[];
    readonly certificate: readonly Evidence[];
    readonly audiences?: readonly Evidence[];
    readonly form?: readonly Evidence[];
  };
}

const ALL_AUDIENCES: readonly SignInAudience[] = SIGN_IN_AUDIENCES;
const SECRET = { from: 'clientSecret' } as const;
const CLIENT_ID = { from: 'clientId' } as const;
const TENANT_ID = { from: 'tenantId' } as const;
const IMAP_HOST = { literal: 'outlook.office365.com' } as const;
const SMTP_HOST = { literal: 'smtp.office365.com' } as const;

const GLPI_PLUGIN = 'pluginsGLPI/oauthimap@285ae3f (1.5.3)';
const GLPI_CORE = 'glpi-project/glpi@2eccb6c';
const GLPI_PLUGIN_CALLBACK: ToolCallback = {
  pathEndsWith: ['/plugins/oauthimap/front/authorization.callback.php', '/marketplace/oauthimap/front/authorization.callback.php'],
  pattern: '<GLPI URL>/plugins/oauthimap/front/authorization.callback.php (/marketplace/oauthimap/… when installed from the marketplace)',
  shownAs: 'the "Callback url" of the OAuth IMAP application',
  evidence: {
    grade: 'code',
    where: `${GLPI_PLUGIN} inc/application.class.php getCallbackUrl(): Plugin::getWebDir('oauthimap') . '/front/authorization.callback.php'`,
  },
};
const GLPI_SMTP_CALLBACK: ToolCallback = {
  pathEndsWith: ['/front/smtp_oauth2_callback.php'],
  pattern: '<GLPI URL>/front/smtp_oauth2_callback.php',
  shownAs: 'the "Callback URL" of the email notification settings (Oauth provider Azure)',
  evidence: { grade: 'code', where: `${GLPI_CORE} src/Mail/SMTP/OauthConfig.php getSmtpOauthProvider(): url_base . '/front/smtp_oauth2_callback.php'` },
};

const ZAMMAD = 'zammad/zammad@7a3090a';
const ZAMMAD_CALLBACK: ToolCallback = {
  pathEndsWith: ['/api/v1/external_credentials/microsoft365/callback'],
  pattern: '<HTTP type>://<FQDN>/api/v1/external_credentials/microsoft365/callback',
  shownAs: '"Your callback URL" in the Connect Microsoft 365 App dialog',
  evidence: { grade: 'code', where: 'zammad/zammad@5df9868 app/models/external_credential.rb callback_url(provider)' },
};

const OSTICKET = 'osTicket/osTicket-plugins PR #292, read at skaschimer/osTicket-plugins@67a1450';
const OSTICKET_CALLBACK: ToolCallback = {
  pathEndsWith: ['/api/auth/oauth2'],
  pattern: '<helpdesk URL>/api/auth/oauth2',
  shownAs: 'the "Redirect URI" (Callback Endpoint) of the IdP Config tab',
  evidence: { grade: 'code', where: `${OSTICKET} auth-oauth2/auth.php callback_url() and auth-oauth2/config.php (the field must end with /api/auth/oauth2)` },
};

const ZNUNY = 'znuny/Znuny';
const ZNUNY_CALLBACK: ToolCallback = {
  pathEndsWith: ['/get-oauth2-token-by-authorization-code.pl'],
  pattern: '<HttpType>://<FQDN>/<ScriptAlias>get-oauth2-token-by-authorization-code.pl (ScriptAlias is usually otrs/)',
  shownAs: 'the system configuration HttpType, FQDN and ScriptAlias (Znuny builds it from them)',
  evidence: { grade: 'code', where: `${ZNUNY} Kernel/System/OAuth2Token.pm GetAuthorizationCodeRequestRedirectURL()` },
};

const ITOP = 'Combodo/iTop@dd34fda (itop-oauth-client 3.3.0)';
const ITOP_CALLBACK: ToolCallback = {
  pathEndsWith: ['/pages/oauth.landing.php'],
  pattern: '<iTop app_root_url>/pages/oauth.landing.php',
  shownAs: 'the "Redirect url" of the OAuth client for Microsoft Azure',
  evidence: { grade: 'code', where: `${ITOP} sources/Core/Authentication/Client/OAuth/OAuthClientProviderFactory.php GetRedirectUri()` },
};

const FREESCOUT = 'freescout-helpdesk/freescout@7c3e57a (1.8.145)';
const FREESCOUT_CALLBACK: ToolCallback = {
  pathEndsWith: ['/mailbox/oauth'],
  pattern: '<FreeScout URL>/mailbox/oauth',
  shownAs: 'no field (it is the route mailboxes.oauth_callback under APP_URL)',
  evidence: { grade: 'code', where: `${FREESCOUT} routes/web.php: Route::get('/mailbox/oauth', …)->name('mailboxes.oauth_callback')` },
};

/** Every preset, by ID. Facts only; the rules are the functions below. */
export const ITSM_TOOLS: Readonly<Record<ItsmToolId, ItsmToolPreset>> = {
  'pandora-itsm': {
    id: 'pandora-itsm',
    displayName: 'Pandora ITSM',
    covers: 'Pandora ITSM / Integria IMS, Email setup (manual version 108); its OAuth code is not public',
    flows: ['delegated', 'app-only'],
    protocols: MAIL_PROTOCOLS,
    defaultProtocols: ['imap', 'smtp'],
    protocolsTogether: false,
    signInPermissions: ['offline_access', 'openid'],
    callbackHint: "the ITSM tool's callback (Pandora ITSM: https://<host>/pandoraitsm/godmode/godmode/setup/setup_mail)",
    audiences: ALL_AUDIENCES,
    defaultAudience: 'AzureADMyOrg',
    tenantEndpoint: 'tenantField',
    certificate: 'unknown',
    exposesApi: true,
    evidence: {
      flows: [
        {
          grade: 'docs',
          where:
            'pandorafms.com manual v108, "Integration with Microsoft Office 365 Mail Server Protocols": a Web redirect URI (authorization code); which flows the code supports is not established, so this preset refuses none',
        },
      ],
      protocols: [{ grade: 'docs', where: 'the same manual (IMAP, POP, SMTP); not established from code, so this preset refuses none' }],
      signIn: [
        {
          grade: 'docs',
          where: "the same manual (permissions only in a screenshot): offline_access and openid are this project's choice since its first release",
        },
      ],
      tenant: [{ grade: 'docs', where: 'the same manual: the form asks for the Tenant ID and the Client ID' }],
      certificate: [
        { grade: 'docs', where: 'the same manual shows only a client secret; whether the tool takes a certificate is not established (code not public)' },
      ],
    },
  },
  glpi: {
    id: 'glpi',
    displayName: 'GLPI',
    covers: `the oauthimap plugin (${GLPI_PLUGIN}) for the mail receiver (IMAP), and GLPI's own SMTP OAuth (${GLPI_CORE}) for notifications`,
    flows: ['delegated'],
    protocols: ['imap', 'smtp'],
    defaultProtocols: ['imap'],
    protocolsTogether: false,
    signInPermissions: ['openid', 'email', 'offline_access'],
    callbacks: { imap: GLPI_PLUGIN_CALLBACK, smtp: GLPI_SMTP_CALLBACK },
    callbackHint: `GLPI's callback (${GLPI_PLUGIN_CALLBACK.pattern} for IMAP, ${GLPI_SMTP_CALLBACK.pattern} for SMTP)`,
    audiences: ALL_AUDIENCES,
    defaultAudience: 'AzureADMyOrg',
    tenantEndpoint: 'tenantField',
    certificate: 'unsupported',
    exposesApi: false,
    form: [
      { field: 'OAuth IMAP application: Oauth provider', value: { literal: 'Azure' }, protocols: ['imap'] },
      { field: 'OAuth IMAP application: Client ID', value: CLIENT_ID, protocols: ['imap'] },
      { field: 'OAuth IMAP application: Client secret', value: SECRET, protocols: ['imap'] },
      { field: 'OAuth IMAP application: Tenant ID', value: TENANT_ID, protocols: ['imap'] },
      { field: 'OAuth IMAP application: Callback url (must be)', value: { from: 'redirectUri', protocol: 'imap' }, protocols: ['imap'] },
      { field: 'Email notifications: Oauth provider', value: { literal: 'Azure' }, protocols: ['smtp'] },
      { field: 'Email notifications: Callback URL (must be)', value: { from: 'redirectUri', protocol: 'smtp' }, protocols: ['smtp'] },
      { field: 'Email notifications: Client ID', value: CLIENT_ID, protocols: ['smtp'] },
      { field: 'Email notifications: Client secret', value: SECRET, protocols: ['smtp'] },
      { field: 'Email notifications: Tenant ID', value: TENANT_ID, protocols: ['smtp'] },
      { field: 'Email notifications: SMTP host', value: SMTP_HOST, protocols: ['smtp'] },
      { field: 'Email notifications: Port', value: { literal: '587' }, protocols: ['smtp'] },
      { field: 'Email notifications: Email sender', value: { from: 'mailbox' }, protocols: ['smtp'] },
    ],
    evidence: {
      flows: [
        {
          grade: 'code',
          where: `${GLPI_PLUGIN} inc/application.class.php getProvider(), redirectToAuthorizationUrl(): authorization code with a refresh token; no client-credentials path`,
        },
      ],
      protocols: [
        {
          grade: 'code',
          where: `${GLPI_PLUGIN} inc/mailcollectorfeature.class.php (protocol imap-oauth-<id>), inc/imap/imapoauthprotocol.class.php (AUTHENTICATE XOAUTH2)`,
        },
        { grade: 'code', where: `${GLPI_CORE} src/Mail/SMTP/OauthProvider/Azure.php (SMTP.Send), src/Mail/SMTP/OauthConfig.php` },
      ],
      signIn: [
        {
          grade: 'code',
          where: `${GLPI_PLUGIN} inc/application.class.php getProviderScopes(): openid, email, offline_access, https://outlook.office.com/IMAP.AccessAsUser.All`,
        },
        {
          grade: 'code',
          where: `${GLPI_CORE} src/Mail/SMTP/OauthProvider/Azure.php getScopes(): openid, email, offline_access, https://outlook.office.com/SMTP.Send`,
        },
      ],
      tenant: [
        { grade: 'code', where: `${GLPI_PLUGIN} inc/application.class.php getProvider(): tenant = "Tenant ID" when filled, else the library's default common` },
        { grade: 'code', where: `${GLPI_CORE} src/Mail/SMTP/OauthProvider/Azure.php getAdditionalParameters(): "Tenant ID", default common` },
      ],
      certificate: [
        {
          grade: 'code',
          where: `${GLPI_PLUGIN} inc/application.class.php getProvider() passes clientId and clientSecret only; areCredentialsValid() requires client_secret`,
        },
        { grade: 'code', where: `${GLPI_CORE} src/Mail/SMTP/OauthConfig.php passes clientId and clientSecret only` },
      ],
      form: [
        { grade: 'code', where: `${GLPI_PLUGIN} inc/application.class.php getAdditionalFields(), templates/application_form_extra.html.twig` },
        { grade: 'code', where: 'glpi-project/glpi@065763d templates/pages/setup/notification/mailing_setting.html.twig' },
      ],
    },
  },
  zammad: {
    id: 'zammad',
    displayName: 'Zammad',
    covers: `the Microsoft 365 IMAP Email channel (${ZAMMAD} lib/external_credential/microsoft365.rb); not the Microsoft 365 Graph Email channel`,
    flows: ['delegated'],
    protocols: ['imap', 'smtp'],
    defaultProtocols: ['imap', 'smtp'],
    protocolsTogether: true,
    signInPermissions: ['offline_access', 'openid', 'profile', 'email'],
    callbacks: { imap: ZAMMAD_CALLBACK, smtp: ZAMMAD_CALLBACK },
    callbackHint: `Zammad's callback (${ZAMMAD_CALLBACK.pattern})`,
    audiences: ['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount'],
    defaultAudience: 'AzureADMyOrg',
    tenantEndpoint: 'tenantField',
    certificate: 'unsupported',
    exposesApi: false,
    form: [
      { field: 'Connect Microsoft 365 App: Client ID', value: CLIENT_ID },
      { field: 'Connect Microsoft 365 App: Client Secret', value: SECRET },
      { field: 'Connect Microsoft 365 App: Tenant UUID/Name', value: TENANT_ID },
      { field: 'Connect Microsoft 365 App: Your callback URL (must be)', value: { from: 'redirectUri' } },
    ],
    evidence: {
      flows: [
        {
          grade: 'code',
          where: `${ZAMMAD} lib/external_credential/microsoft_base.rb generate_authorize_url() (response_type code), link_account() (refresh_token required); no client credentials`,
        },
      ],
      protocols: [
        {
          grade: 'code',
          where: `${ZAMMAD} lib/external_credential/microsoft365.rb authorize_scope (IMAP and SMTP in one sign-in), channel_options_inbound/outbound`,
        },
      ],
      signIn: [{ grade: 'code', where: `${ZAMMAD} lib/external_credential/microsoft365.rb authorize_scope: … offline_access openid profile email` }],
      tenant: [
        { grade: 'code', where: `${ZAMMAD} lib/external_credential/microsoft_base.rb: client_tenant, or common when empty` },
        {
          grade: 'code',
          where: 'zammad/zammad@7bd3efb app/assets/javascripts/app/views/microsoft365/app_config.jst.eco ("Tenant UUID/Name", placeholder common)',
        },
      ],
      certificate: [
        {
          grade: 'code',
          where: `${ZAMMAD} lib/external_credential/microsoft_base.rb request_account_to_link() requires client_secret; the token requests send client_secret`,
        },
      ],
      audiences: [
        {
          grade: 'docs',
          where:
            'zammad/zammad-admin-documentation@32eafb7 channels/microsoft365/accounts/register-app.rst ("Personal Microsoft accounts only" are not supported)',
        },
      ],
      form: [{ grade: 'code', where: 'zammad/zammad@7bd3efb app/assets/javascripts/app/views/microsoft365/app_config.jst.eco' }],
    },
  },
  osticket: {
    id: 'osticket',
    displayName: 'osTicket',
    covers: `the OAuth2 plugin's "OAuth2 - Microsoft" email authorization (${OSTICKET}) with osTicket/osTicket@4689926 (v1.18.1)`,
    flows: ['delegated'],
    protocols: MAIL_PROTOCOLS,
    defaultProtocols: ['imap', 'smtp'],
    protocolsTogether: false,
    signInPermissions: ['offline_access'],
    callbacks: { imap: OSTICKET_CALLBACK, pop: OSTICKET_CALLBACK, smtp: OSTICKET_CALLBACK },
    callbackHint: `osTicket's callback (${OSTICKET_CALLBACK.pattern})`,
    audiences: ALL_AUDIENCES,
    defaultAudience: 'AzureADMyOrg',
    tenantEndpoint: 'endpointFields',
    certificate: 'unsupported',
    exposesApi: false,
    form: [
      { field: 'IdP Config: Redirect URI (must be)', value: { from: 'redirectUri' } },
      { field: 'IdP Config: Client Id', value: CLIENT_ID },
      { field: 'IdP Config: Client Secret', value: SECRET },
      { field: 'IdP Config: Authorization Endpoint', value: { from: 'authorizeEndpoint' } },
      { field: 'IdP Config: Token Endpoint', value: { from: 'tokenEndpoint' } },
      { field: 'IdP Config: Outlook Scopes', value: { from: 'scope' } },
      { field: 'Remote Mailbox: Authentication', value: { literal: 'OAuth2 - Microsoft' }, protocols: ['imap', 'pop'] },
      { field: 'Remote Mailbox: Hostname', value: IMAP_HOST, protocols: ['imap', 'pop'] },
      { field: 'Remote Mailbox (IMAP): Port Number', value: { literal: '993' }, protocols: ['imap'] },
      { field: 'Remote Mailbox (POP): Port Number', value: { literal: '995' }, protocols: ['pop'] },
      { field: 'SMTP: Authentication', value: { literal: 'OAuth2 - Microsoft' }, protocols: ['smtp'] },
      { field: 'SMTP: Hostname', value: SMTP_HOST, protocols: ['smtp'] },
      { field: 'SMTP: Port Number', value: { literal: '587' }, protocols: ['smtp'] },
      { field: 'Email: Email Address', value: { from: 'mailbox' } },
    ],
    evidence: {
      flows: [{ grade: 'code', where: `${OSTICKET} auth-oauth2/oauth2.php (authorization code; "Unable to obtain Refresh Token" without one)` }],
      protocols: [
        { grade: 'code', where: 'osTicket/osTicket@4689926 include/class.mail.php (IMAP AUTHENTICATE XOAUTH2, POP3 AUTH XOAUTH2, SMTP XOAUTH2)' },
        { grade: 'code', where: `${OSTICKET} auth-oauth2/config.php OAuth2MicrosoftEmailConfig: "Outlook Scopes" is free text` },
      ],
      signIn: [
        {
          grade: 'code',
          where: `${OSTICKET} auth-oauth2/oauth2.php MicrosoftEmailOauth2Provider::$defaults scopes: offline_access and the three outlook.office.com scopes`,
        },
      ],
      tenant: [
        { grade: 'code', where: `${OSTICKET} auth-oauth2/oauth2.php MicrosoftEmailOauth2Provider::$defaults: …/common/oauth2/v2.0/authorize and /token` },
        {
          grade: 'docs',
          where: 'osTicket/docs@7c00956 "OAuth2/Microsoft Authorization Guide.rst": paste the tenant\'s OAuth 2.0 authorization and token endpoints (v2)',
        },
      ],
      certificate: [{ grade: 'code', where: `${OSTICKET} auth-oauth2/config.php getClientSettings(): clientId and clientSecret only` }],
      form: [
        { grade: 'code', where: `${OSTICKET} auth-oauth2/config.php getAllOptions(), OAuth2MicrosoftEmailConfig::getFields()` },
        { grade: 'code', where: 'osTicket/osTicket@4689926 include/staff/email.inc.php, include/staff/templates/email-mailbox.tmpl.php, email-smtp.tmpl.php' },
      ],
    },
  },
  znuny: {
    id: 'znuny',
    displayName: 'Znuny',
    covers: `OAuth2 Token Management with the Microsoft Exchange Online templates (${ZNUNY} scripts/OAuth2TokenManagement/TokenConfigTemplates), PostMaster Mail Accounts and SMTP`,
    flows: ['delegated', 'app-only'],
    protocols: MAIL_PROTOCOLS,
    defaultProtocols: ['imap', 'smtp'],
    protocolsTogether: false,
    signInPermissions: ['offline_access'],
    callbacks: { imap: ZNUNY_CALLBACK, pop: ZNUNY_CALLBACK, smtp: ZNUNY_CALLBACK },
    callbackHint: `Znuny's callback (${ZNUNY_CALLBACK.pattern})`,
    audiences: ALL_AUDIENCES,
    defaultAudience: 'AzureADMyOrg',
    tenantEndpoint: 'endpointFields',
    certificate: 'unsupported',
    exposesApi: false,
    form: [
      { field: 'OAuth2 token: Client ID', value: CLIENT_ID },
      { field: 'OAuth2 token: Client secret', value: SECRET },
      { field: 'OAuth2 token: Scope', value: { from: 'scope' } },
      { field: 'OAuth2 token: URL (AuthorizationCode)', value: { from: 'authorizeEndpoint' }, flow: 'delegated' },
      { field: 'OAuth2 token: URL (TokenByAuthorizationCode)', value: { from: 'tokenEndpoint' }, flow: 'delegated' },
      { field: 'OAuth2 token: URL (TokenByRefreshToken)', value: { from: 'tokenEndpoint' }, flow: 'delegated' },
      { field: 'OAuth2 token: URL (TokenByClientCredentials)', value: { from: 'tokenEndpoint' }, flow: 'app-only' },
      { field: 'Redirect URI (from HttpType, FQDN and ScriptAlias; must be)', value: { from: 'redirectUri' }, flow: 'delegated' },
      { field: 'PostMaster Mail Account: Authentication Type', value: { literal: 'OAuth2 token' }, protocols: ['imap', 'pop'] },
      { field: 'PostMaster Mail Account: Username', value: { from: 'mailbox' }, protocols: ['imap', 'pop'] },
      { field: 'System configuration: SendmailModule::Host', value: SMTP_HOST, protocols: ['smtp'] },
      { field: 'System configuration: SendmailModule::Port', value: { literal: '587' }, protocols: ['smtp'] },
      { field: 'System configuration: SendmailModule::AuthUser', value: { from: 'mailbox' }, protocols: ['smtp'] },
    ],
    evidence: {
      flows: [
        {
          grade: 'code',
          where: `${ZNUNY}@34016fe scripts/OAuth2TokenManagement/TokenConfigTemplates/MicrosoftExchangeOnlineAuthorizationCodeFlow.yml (AuthFlow: AuthorizationCode)`,
        },
        {
          grade: 'code',
          where: `${ZNUNY}@6d7362f scripts/OAuth2TokenManagement/TokenConfigTemplates/MicrosoftExchangeOnlineClientCredentialsFlow.yml (AuthFlow: ClientCredentials, scope https://outlook.office.com/.default)`,
        },
        {
          grade: 'docs',
          where:
            'doc.znuny.org 7.3 admin/authentication/token: "Authorization Flow, Client Credentials Flow" (the 7.1 manual has the authorization code flow only)',
        },
      ],
      protocols: [
        { grade: 'docs', where: 'znuny/manual@98f449a source/admin/email/postmaster_mail_account.rst (IMAP, POP3 with Authentication Type OAuth2 token)' },
        { grade: 'code', where: `${ZNUNY} Kernel/System/Email/SMTP.pm (SendmailModule::OAuth2TokenConfigName)` },
        { grade: 'docs', where: 'znuny/manual@98f449a source/admin/authentication/token/index.rst ("Scope" field since 6.4.4)' },
      ],
      signIn: [
        {
          grade: 'code',
          where: `${ZNUNY}@34016fe MicrosoftExchangeOnlineAuthorizationCodeFlow.yml Scope: the three outlook.office.com scopes and offline_access`,
        },
      ],
      tenant: [{ grade: 'code', where: `${ZNUNY} the Microsoft templates' URLs name /common/; the "URL" fields take the tenant's (manual 6.4.3+)` }],
      certificate: [{ grade: 'code', where: `${ZNUNY} the Microsoft templates map client_secret: ClientSecret; no client assertion` }],
      form: [
        {
          grade: 'docs',
          where:
            'znuny/manual@98f449a source/admin/authentication/token/index.rst (Client ID, Client secret, URL, Scope), source/admin/email/postmaster_mail_account.rst',
        },
        { grade: 'docs', where: 'Znuny manual, admin/email/smtp_settings.rst (SendmailModule::Host, ::Port, ::AuthUser, ::OAuth2TokenConfigName)' },
      ],
    },
  },
  itop: {
    id: 'itop',
    displayName: 'iTop',
    covers: `itop-oauth-client (${ITOP}) with combodo-oauth-email-synchro@1ab3f3d (mail inbox) and SMTP_OAuth`,
    flows: ['delegated'],
    protocols: ['imap', 'smtp'],
    defaultProtocols: ['imap', 'smtp'],
    protocolsTogether: false,
    signInPermissions: ['offline_access'],
    callbacks: { imap: ITOP_CALLBACK, smtp: ITOP_CALLBACK },
    callbackHint: `iTop's callback (${ITOP_CALLBACK.pattern})`,
    audiences: ALL_AUDIENCES,
    defaultAudience: 'AzureADMyOrg',
    tenantEndpoint: 'tenantField',
    certificate: 'unsupported',
    exposesApi: false,
    form: [
      { field: 'OAuth client for Microsoft Azure: Login', value: { from: 'mailbox' } },
      { field: 'OAuth client for Microsoft Azure: Client id', value: CLIENT_ID },
      { field: 'OAuth client for Microsoft Azure: Client secret', value: SECRET },
      { field: 'OAuth client for Microsoft Azure: Redirect url (must be)', value: { from: 'redirectUri' } },
      { field: 'OAuth client for Microsoft Azure: Tenant', value: TENANT_ID },
      { field: 'OAuth client for Microsoft Azure: Scope', value: { from: 'protocolNames' } },
      { field: 'OAuth client for Microsoft Azure: Used for SMTP', value: { literal: 'Yes' }, protocols: ['smtp'] },
    ],
    evidence: {
      flows: [
        { grade: 'code', where: `${ITOP} sources/Core/Authentication/Client/OAuth/OAuthClientProviderAzure.php (authorization code, prompt consent)` },
        { grade: 'code', where: 'Combodo/combodo-oauth-email-synchro@1ab3f3d src/Helper/ProviderHelper.php (refresh_token grant only)' },
      ],
      protocols: [
        {
          grade: 'code',
          where: `${ITOP} datamodels/2.x/itop-oauth-client/datamodel.itop-oauth-client.xml OAuthClientAzure::GetScope() (SMTP and IMAP boxes of "Scope")`,
        },
      ],
      signIn: [
        {
          grade: 'code',
          where: `${ITOP} datamodels/2.x/itop-oauth-client/datamodel.itop-oauth-client.xml OAuthClientAzure::GetScope(): offline_access and the ticked protocols`,
        },
      ],
      tenant: [
        {
          grade: 'code',
          where: `${ITOP} sources/Core/Authentication/Client/OAuth/OAuthClientProviderAzure.php (tenant from the "Tenant" field, default common)`,
        },
        {
          grade: 'issue',
          where: 'Combodo/iTop PR #553 (N°5775): the Tenant field, first in 2.7.11, 3.1.2 and 3.2.0; before it only multi-tenant applications worked',
        },
      ],
      certificate: [
        { grade: 'code', where: `${ITOP} sources/Core/Authentication/Client/OAuth/OAuthClientProviderAzure.php passes clientId and clientSecret only` },
      ],
      form: [{ grade: 'code', where: `${ITOP} datamodels/2.x/itop-oauth-client/dictionaries/en.dict.itop-oauth-client.php` }],
    },
  },
  freescout: {
    id: 'freescout',
    displayName: 'FreeScout',
    covers: `the mailbox "Microsoft Exchange" OAuth connection of ${FREESCOUT}; later releases were not read`,
    flows: ['delegated'],
    protocols: ['imap', 'smtp'],
    defaultProtocols: ['imap', 'smtp'],
    protocolsTogether: true,
    signInPermissions: ['offline_access'],
    callbacks: { imap: FREESCOUT_CALLBACK, smtp: FREESCOUT_CALLBACK },
    callbackHint: `FreeScout's callback (${FREESCOUT_CALLBACK.pattern})`,
    audiences: ['AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount'],
    defaultAudience: 'AzureADMultipleOrgs',
    tenantEndpoint: 'commonOnly',
    certificate: 'unsupported',
    exposesApi: false,
    form: [
      { field: 'Connection Settings (incoming): Protocol', value: { literal: 'IMAP' } },
      { field: 'Connection Settings (incoming): Server', value: IMAP_HOST },
      { field: 'Connection Settings (incoming): Port', value: { literal: '993' } },
      { field: 'Connection Settings (incoming): Username', value: CLIENT_ID },
      { field: 'Connection Settings (incoming): Password', value: SECRET },
      { field: 'Connection Settings (incoming): Encryption', value: { literal: 'SSL' } },
      { field: 'Connection Settings (outgoing): Method', value: { literal: 'SMTP' } },
      { field: 'Connection Settings (outgoing): SMTP Server', value: SMTP_HOST },
      { field: 'Connection Settings (outgoing): Port', value: { literal: '587' } },
      { field: 'Connection Settings (outgoing): Username', value: CLIENT_ID },
      { field: 'Connection Settings (outgoing): Password', value: SECRET },
      { field: 'Connection Settings (outgoing): Encryption', value: { literal: 'TLS (+StartTLS)' } },
      { field: 'Mailbox settings: Email Address', value: { from: 'mailbox' } },
      { field: 'Redirect URI (APP_URL/mailbox/oauth; must be)', value: { from: 'redirectUri' } },
    ],
    evidence: {
      flows: [
        {
          grade: 'code',
          where: `${FREESCOUT} app/Misc/Mail.php oauthGetAuthorizationUrl(), oauthGetAccessToken(); app/Http/Controllers/MailboxesController.php oauth()`,
        },
      ],
      protocols: [
        {
          grade: 'code',
          where: `${FREESCOUT} app/Misc/Mail.php: one scope "offline_access …/IMAP.AccessAsUser.All …/SMTP.Send" for both directions; app/Mailbox.php outOauthEnabled()`,
        },
      ],
      signIn: [{ grade: 'code', where: `${FREESCOUT} app/Misc/Mail.php scope: offline_access and the IMAP and SMTP scopes` }],
      tenant: [
        {
          grade: 'code',
          where: `${FREESCOUT} app/Misc/Mail.php: https://login.microsoftonline.com/common/oauth2/v2.0/authorize and /token, no tenant setting`,
        },
        { grade: 'issue', where: 'freescout-help-desk/freescout #2439 (open): "Azure AD - Single tenant for mail connection", AADSTS50194' },
      ],
      certificate: [{ grade: 'code', where: `${FREESCOUT} app/Misc/Mail.php: client_secret (the mailbox password field) in the token request` }],
      audiences: [{ grade: 'code', where: `${FREESCOUT} app/Misc/Mail.php signs in at /common only, which a single-tenant application refuses (AADSTS50194)` }],
      form: [
        {
          grade: 'code',
          where: `${FREESCOUT} resources/views/mailboxes/connection_incoming.blade.php, connection.blade.php, update.blade.php, app/Http/Controllers/MailboxesController.php ("Enter oAuth Client ID as Username")`,
        },
        { grade: 'issue', where: 'freescout-help-desk/freescout #4198: in a subfolder install the callback is <APP_URL>/<folder>/mailbox/oauth' },
      ],
    },
  },
};

/** The preset of a tool ID; the default preset for an ID that is not one (its shape problem is reported elsewhere). */
export function itsmToolPreset(id: ItsmToolId | undefined): ItsmToolPreset {
  return (id !== undefined && Object.prototype.hasOwnProperty.call(ITSM_TOOLS, id) ? ITSM_TOOLS[id] : undefined) ?? ITSM_TOOLS[DEFAULT_ITSM_TOOL];
}

/** The flow a preset fills in when `mail.flow` is not given: its only flow, or none when it has several. */
export function presetFlow(tool: ItsmToolPreset): MailFlow | undefined {
  return tool.flows.length === 1 ? tool.flows[0] : undefined;
}

/** `Zammad (itsmTool: zammad)`. */
function named(tool: ItsmToolPreset): string {
  return `${tool.displayName} (itsmTool: ${tool.id})`;
}

function words(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const FLOW_WORDS: Readonly<Record<MailFlow, string>> = { delegated: 'delegated (authorization code)', 'app-only': 'app-only (client credentials)' };

/** The parts of the application's props a preset governs, as given. */
export interface ToolChoice {
  readonly itsmTool?: ItsmToolId;
  readonly signInAudience?: SignInAudience;
  readonly redirectUris?: readonly string[];
  readonly mail: { readonly flow?: MailFlow; readonly protocols?: readonly MailProtocol[] };
}

/** The flow in effect: as given, else the preset's only flow. */
export function flowOf(p: Pick<ToolChoice, 'itsmTool' | 'mail'>): MailFlow | undefined {
  return p.mail.flow ?? presetFlow(itsmToolPreset(p.itsmTool));
}

/** The protocols in effect: as given, else the preset's. */
export function protocolsOf(p: Pick<ToolChoice, 'itsmTool' | 'mail'>): readonly MailProtocol[] {
  return p.mail.protocols ?? itsmToolPreset(p.itsmTool).defaultProtocols;
}

/** Problems of the flow and protocols against the tool (paths relative to the application). */
export function toolFlowProblems(p: Pick<ToolChoice, 'itsmTool' | 'mail'>): Problem[] {
  const tool = itsmToolPreset(p.itsmTool);
  const problems: Problem[] = [];
  const flow = p.mail.flow;
  if (flow === undefined && presetFlow(tool) === undefined) {
    problems.push({
      path: ['mail', 'flow'],
      message: `is required; allowed: ${tool.flows.map((f) => JSON.stringify(f)).join(', ')} (${named(tool)} supports ${words(tool.flows)})`,
    });
  } else if (flow !== undefined && !tool.flows.includes(flow)) {
    problems.push({
      path: ['mail', 'flow'],
      message: `is ${flow}, but ${named(tool)} supports only the ${words(tool.flows.map((f) => FLOW_WORDS[f]))} flow (${tool.evidence.flows[0].where}): use flow: ${tool.flows[0]}, or another itsmTool`,
    });
  }
  const given = p.mail.protocols;
  if (given !== undefined) {
    given.forEach((protocol, i) => {
      if (!tool.protocols.includes(protocol)) {
        problems.push({
          path: ['mail', 'protocols', i],
          message: `"${protocol}": ${named(tool)} does not use ${protocol.toUpperCase()} with OAuth; it supports ${words(tool.protocols)}: remove "${protocol}", or choose another itsmTool`,
        });
      }
    });
    const missing = tool.protocolsTogether && given.length > 0 ? tool.protocols.filter((x) => !given.includes(x)) : [];
    if (missing.length > 0) {
      problems.push({
        path: ['mail', 'protocols'],
        message: `lacks ${words(missing)}: ${named(tool)} asks for ${words(tool.protocols.map((x) => x.toUpperCase()))} in one sign-in (${tool.evidence.protocols[0].where}), so each must be requested and consented, or the sign-in asks for consent to the missing one: list [${tool.protocols.join(', ')}]`,
      });
    }
  }
  return problems;
}

/** The callbacks of the protocols in use, each once, with the protocols that share it. */
export function callbacksInUse(
  tool: ItsmToolPreset,
  protocols: readonly MailProtocol[],
): { readonly protocols: readonly MailProtocol[]; readonly callback: ToolCallback }[] {
  const out: { protocols: MailProtocol[]; callback: ToolCallback }[] = [];
  for (const protocol of MAIL_PROTOCOLS) {
    const callback = tool.callbacks?.[protocol];
    if (!callback || !protocols.includes(protocol)) continue;
    const same = out.find((c) => c.callback === callback);
    if (same) same.protocols.push(protocol);
    else out.push({ protocols: [protocol], callback });
  }
  return out;
}

/**
 * True when a (valid) redirect URI, exactly as written, is the callback: its path ends as the
 * callback's does, with no dot segment and no query. Nothing is normalised first: the tool sends
 * its callback as it builds it, and Entra ID compares that text with the registered URI character
 * for character (see `writtenPath`), so a URI that only resolves or decodes to the callback fails
 * sign-in with AADSTS50011.
 */
export function matchesCallback(uri: string, callback: ToolCallback): boolean {
  const written = writtenPath(uri);
  if (!written || written.query !== undefined || dotSegmentIn(written.path) !== undefined) return false;
  return callback.pathEndsWith.some((end) => written.path.endsWith(end));
}

/**
 * Why a redirect URI that a browser would resolve to the callback (dot segments removed, escapes
 * decoded, query dropped) is still not what the tool sends, or undefined when it does not resolve
 * to the callback either.
 */
function callbackAsResolved(uri: string, callback: ToolCallback): string | undefined {
  const written = writtenPath(uri);
  let resolved: string;
  try {
    resolved = new URL(uri).pathname;
  } catch {
    return undefined;
  }
  const decoded = (() => {
    try {
      return decodeURIComponent(resolved);
    } catch {
      return resolved;
    }
  })();
  if (!written || !callback.pathEndsWith.some((end) => resolved.endsWith(end) || decoded.endsWith(end))) return undefined;
  const dot = dotSegmentIn(written.path);
  if (dot !== undefined) return `has the dot segment ${JSON.stringify(dot)} in its path, which Entra ID does not resolve`;
  if (written.query !== undefined) return 'has a query string (?…), which the tool does not send';
  if (written.path !== resolved || /%[0-9A-Fa-f]{2}/.test(written.path)) return 'has percent-escapes in its path, which Entra ID does not decode';
  return undefined;
}

/** The first redirect URI that is the tool's callback for `protocol` (any protocol in use when not given), else the first one. */
export function callbackUri(tool: ItsmToolPreset, protocols: readonly MailProtocol[], redirectUris: readonly string[], protocol?: MailProtocol): string {
  const candidates = callbacksInUse(tool, protocols).filter((c) => protocol === undefined || c.protocols.includes(protocol));
  return redirectUris.find((u) => candidates.some((c) => matchesCallback(u, c.callback))) ?? (tool.callbacks === undefined ? (redirectUris[0] ?? '') : '');
}

/**
 * Problems of the redirect URIs against the tool: the delegated flow needs one; where the tool's
 * callback is established, each URI must be one of the callbacks in use, and each callback in use
 * must be registered. URIs Entra ID would refuse anyway are left to their own rule.
 */
export function toolRedirectUriProblems(p: Pick<ToolChoice, 'itsmTool' | 'mail' | 'redirectUris'>, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  const tool = itsmToolPreset(p.itsmTool);
  if (flowOf(p) !== 'delegated') return [];
  const uris = p.redirectUris ?? [];
  if (uris.length === 0) {
    return [
      {
        path: ['redirectUris'],
        message: `is empty, but the delegated flow signs in through the authorization-code flow, which returns to a redirect URI: add ${tool.callbackHint}${tool.flows.includes('app-only') ? ', or use flow: app-only' : ''}`,
      },
    ];
  }
  if (tool.callbacks === undefined) return [];
  const inUse = callbacksInUse(tool, protocolsOf(p));
  const problems: Problem[] = [];
  uris.forEach((uri, i) => {
    if (isUnresolved(uri) || redirectUriProblem(uri) !== undefined || inUse.some((c) => matchesCallback(uri, c.callback))) return;
    const otherProtocol = MAIL_PROTOCOLS.find((x) => tool.callbacks?.[x] !== undefined && matchesCallback(uri, tool.callbacks[x]!));
    const asResolved = inUse.map((c) => ({ c, why: callbackAsResolved(uri, c.callback) })).find((x) => x.why !== undefined);
    problems.push({
      path: ['redirectUris', i],
      message: asResolved
        ? `${JSON.stringify(uri)} ${asResolved.why}: ${tool.displayName} sends its callback as ${asResolved.c.callback.pattern}, and Entra ID compares the redirect URI it is sent with the registered one exactly as written, so sign-in would fail with AADSTS50011; write the URI as shown in ${asResolved.c.callback.shownAs}`
        : otherProtocol !== undefined
          ? `${JSON.stringify(uri)} is ${tool.displayName}'s callback for ${otherProtocol.toUpperCase()}, but mail.protocols does not list ${otherProtocol}: add it, or remove the URI`
          : `${JSON.stringify(uri)} is not a callback of ${named(tool)}, which returns to ${inUse.map((c) => `${c.callback.pattern}${inUse.length > 1 ? ` for ${words(c.protocols.map((x) => x.toUpperCase()))}` : ''}`).join('; ')}: copy the URI from ${inUse[0]?.callback.shownAs ?? 'the tool'}`,
    });
  });
  for (const c of inUse) {
    // A URI known only at deploy time may be this callback.
    if (!uris.some((u) => isUnresolved(u) || matchesCallback(u, c.callback))) {
      problems.push({
        path: ['redirectUris'],
        message: `has no callback for ${words(c.protocols.map((x) => x.toUpperCase()))}: ${named(tool)} returns to ${c.callback.pattern} (${c.callback.evidence.where}); add it as shown in ${c.callback.shownAs}`,
      });
    }
  }
  return problems;
}

/** Problems of the sign-in audience against the endpoint the tool signs in at. */
export function toolAudienceProblems(p: Pick<ToolChoice, 'itsmTool' | 'signInAudience'>): Problem[] {
  const tool = itsmToolPreset(p.itsmTool);
  const audience = p.signInAudience;
  if (audience === undefined || tool.audiences.includes(audience)) return [];
  const why =
    tool.tenantEndpoint === 'commonOnly'
      ? `signs in at the /common endpoint only (${tool.evidence.tenant[0].where}), which Entra ID refuses for a single-tenant application (AADSTS50194)`
      : `works with ${words(tool.audiences)} only (${(tool.evidence.audiences ?? tool.evidence.tenant)[0].where})`;
  return [{ path: ['signInAudience'], message: `is ${audience}, but ${named(tool)} ${why}: use ${tool.defaultAudience}` }];
}

/** What a preset did for one application: which tool, and what it filled in or decided. */
export interface AppliedItsmTool {
  readonly id: ItsmToolId;
  readonly displayName: string;
  /** The settings the preset filled in because the props left them out. */
  readonly filled: {
    readonly flow?: MailFlow;
    readonly protocols?: readonly MailProtocol[];
    readonly signInAudience?: SignInAudience;
    readonly exposeApi?: boolean;
  };
  /** Delegated Microsoft Graph permissions of the tool's own sign-in, requested beside the protocols' (delegated flow only). */
  readonly signInPermissions: readonly string[];
  /** The callbacks the redirect URIs were held against; empty when the tool's callback is not established or the flow is app-only. */
  readonly callbacks: readonly { readonly protocols: readonly MailProtocol[]; readonly pattern: string }[];
  readonly tenantEndpoint: TenantEndpoint;
  readonly certificate: CertificateSupport;
  /** The output with the tool's field labels, when it has one. */
  readonly settingsOutput?: string;
}

/** The output that holds a tool's form fields. */
export const TOOL_SETTINGS_OUTPUT = 'itsm_tool_settings';

/** What the preset filled in and decided, for props without problems. */
export function appliedItsmTool(
  p: ToolChoice & { readonly exposeApi?: boolean; readonly exposedScope?: unknown },
  resolved: { readonly flow: MailFlow; readonly protocols: readonly MailProtocol[]; readonly exposeApi: boolean },
): AppliedItsmTool {
  const tool = itsmToolPreset(p.itsmTool);
  return {
    id: tool.id,
    displayName: tool.displayName,
    filled: {
      ...(p.mail.flow === undefined ? { flow: resolved.flow } : {}),
      ...(p.mail.protocols === undefined ? { protocols: [...resolved.protocols] } : {}),
      ...(p.signInAudience === undefined ? { signInAudience: tool.defaultAudience } : {}),
      ...(p.exposeApi === undefined && p.exposedScope === undefined ? { exposeApi: resolved.exposeApi } : {}),
    },
    signInPermissions: resolved.flow === 'delegated' ? [...tool.signInPermissions] : [],
    callbacks:
      resolved.flow === 'delegated' ? callbacksInUse(tool, resolved.protocols).map((c) => ({ protocols: c.protocols, pattern: c.callback.pattern })) : [],
    tenantEndpoint: tool.tenantEndpoint,
    certificate: tool.certificate,
    ...(tool.form ? { settingsOutput: TOOL_SETTINGS_OUTPUT } : {}),
  };
}
