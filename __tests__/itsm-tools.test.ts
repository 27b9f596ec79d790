// The ITSM tool presets (application.itsmTool): per tool, what the config file synthesizes through
// the command line (required_resource_access, admin consent, redirect URIs, sign-in audience, the
// itsm_tool_settings output), what the review says, what the guardrails find, and every wrong
// combination refused with the tool's name and what it supports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { ItsmMailApplication } from '../lib/application/itsm-mail-application';
import { InvalidPropsError } from '../lib/model/problem';
import { ITSM_TOOL_IDS, ITSM_TOOLS } from '../lib/model/itsm-tool';
import { ItsmMailStack } from '../lib/stack/itsm-mail-stack';
import { runReviewInProcess, runSynthInProcess, workdir } from '../test-support/cli';
import { configProblems } from '../test-support/problems';
import { synthConfigText, type TfJson } from '../test-support/synth';

const GRAPH = '00000003-0000-0000-c000-000000000000';
const EXO = '00000002-0000-0ff1-ce00-000000000000';
/** Microsoft Graph delegated permission IDs, as Microsoft publishes them. */
const SCOPE_ID: Record<string, string> = {
  'IMAP.AccessAsUser.All': '652390e4-393a-48de-9484-05f9b1212954',
  'POP.AccessAsUser.All': 'd7b7f2d9-0f45-4ea1-9d42-e50810c06991',
  'SMTP.Send': '258f6531-6087-4cc4-bb90-092c5fb3ed3f',
  email: '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0',
  offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
  openid: '37f7f235-527c-4136-accd-4a02d197296e',
  profile: '14dad69e-099b-42c9-810b-d002981feec1',
};
const CLIENT_ID = '${azuread_application.itsm-mail_application_DE9ACE3A.client_id}';
const TENANT_ID = '${data.azuread_client_config.itsm-mail_current_DDBD0734.tenant_id}';
const AUTHORIZE = `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/authorize`;
const TOKEN = `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`;
const SECRET = 'sensitive output client_secret (terraform output -raw client_secret)';
const EXO_ROLE = (name: string) => `\${data.azuread_service_principal.itsm-mail_exchange-online_502E67A5.app_role_ids["${name}"]}`;

/** One environment per preset (and Znuny's second flow), as a user would write them. */
const CONFIG = `
environments:
  pandora:
    application:
      displayName: Pandora ITSM mail
      itsmTool: pandora-itsm
      redirectUris: [https://itsm.example.com/pandoraitsm/godmode/godmode/setup/setup_mail]
      mail: { flow: delegated, mailboxes: [helpdesk@example.com] }
      exposeApi: false
  glpi:
    application:
      displayName: GLPI mail
      itsmTool: glpi
      redirectUris:
        - https://glpi.example.com/plugins/oauthimap/front/authorization.callback.php
        - https://glpi.example.com/front/smtp_oauth2_callback.php
      mail: { protocols: [imap, smtp], mailboxes: [helpdesk@example.com] }
  zammad:
    application:
      displayName: Zammad mail
      itsmTool: zammad
      redirectUris: [https://zammad.example.com/api/v1/external_credentials/microsoft365/callback]
      mail: { mailboxes: [helpdesk@example.com] }
  osticket:
    application:
      displayName: osTicket mail
      itsmTool: osticket
      redirectUris: [https://help.example.com/support/api/auth/oauth2]
      mail: { protocols: [pop, smtp], mailboxes: [helpdesk@example.com] }
  znuny:
    application:
      displayName: Znuny mail
      itsmTool: znuny
      redirectUris: [https://znuny.example.com/otrs/get-oauth2-token-by-authorization-code.pl]
      mail: { flow: delegated, mailboxes: [helpdesk@example.com] }
  znuny-app:
    application:
      displayName: Znuny mail app-only
      itsmTool: znuny
      mail: { flow: app-only, protocols: [imap, pop, smtp], mailboxes: [helpdesk@example.com] }
  itop:
    application:
      displayName: iTop mail
      itsmTool: itop
      redirectUris: [https://itop.example.com/itop/pages/oauth.landing.php]
      mail: { protocols: [imap], mailboxes: [helpdesk@example.com] }
  freescout:
    application:
      displayName: FreeScout mail
      itsmTool: freescout
      redirectUris: [https://desk.example.com/mailbox/oauth]
      mail: { mailboxes: [helpdesk@example.com] }
`;

/** Synthesized once through the command line (npm run synth -- --config tools.yaml). */
let dir: string;
let synth: ReturnType<typeof runSynthInProcess>;
const stack = (env: string): TfJson => JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', env, 'cdk.tf.json'), 'utf8')) as TfJson;
const app = (env: string) => Object.values(stack(env).resource!.azuread_application)[0] as Record<string, any>;
const graphScopes = (env: string) => {
  const rra = (app(env).required_resource_access as { resource_app_id: string; resource_access: { id: string; type: string }[] }[]).find(
    (r) => r.resource_app_id === GRAPH,
  );
  return rra?.resource_access ?? [];
};
const grantedScopes = (env: string) =>
  Object.values(stack(env).resource!.azuread_service_principal_delegated_permission_grant ?? {}).flatMap((g) => g.claim_values as string[]);
const toolSettings = (env: string) => stack(env).output!.itsm_tool_settings?.value as Record<string, string> | undefined;
const scopesOf = (...names: string[]) => names.map((n) => ({ id: SCOPE_ID[n], type: 'Scope' }));

beforeAll(() => {
  dir = workdir({ 'tools.yaml': CONFIG });
  synth = runSynthInProcess(dir, ['--config', 'tools.yaml']);
});

describe('presets through the command line', () => {
  it('synthesizes every tool: exit 0, one stack each, warnings only', () => {
    expect(synth.stderr).not.toMatch(/ error: /);
    expect(synth.status).toBe(0);
    expect(synth.stdout).toBe('tools.yaml: synthesized 8 stack(s) into cdktf.out/stacks: freescout, glpi, itop, osticket, pandora, zammad, znuny, znuny-app\n');
  });

  it('has a preset for every tool ID, and one environment here per tool', () => {
    expect([...ITSM_TOOL_IDS].sort()).toEqual(Object.keys(ITSM_TOOLS).sort());
    for (const id of ITSM_TOOL_IDS) expect(CONFIG).toContain(`itsmTool: ${id}\n`);
  });

  describe('pandora-itsm (the default)', () => {
    it('requests what it always did: the protocols, offline_access and openid; no itsm_tool_settings', () => {
      expect(graphScopes('pandora')).toEqual(scopesOf('IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access', 'openid'));
      expect(grantedScopes('pandora')).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access', 'openid']);
      expect(app('pandora').sign_in_audience).toBe('AzureADMyOrg');
      expect(app('pandora').web.redirect_uris).toEqual(['https://itsm.example.com/pandoraitsm/godmode/godmode/setup/setup_mail']);
      expect(stack('pandora').output!.itsm_tool_settings).toBeUndefined();
    });

    it('synthesizes the same JSON whether itsmTool: pandora-itsm is written or left out', () => {
      const written = CONFIG.split('  glpi:')[0];
      const omitted = written.replace('      itsmTool: pandora-itsm\n', '');
      expect(omitted).not.toContain('itsmTool');
      expect(synthConfigText(omitted)).toEqual(synthConfigText(written));
    });
  });

  describe('glpi', () => {
    it("requests IMAP (oauthimap) and SMTP (GLPI core) with the sign-in's openid, email and offline_access, consented", () => {
      expect(graphScopes('glpi')).toEqual(scopesOf('IMAP.AccessAsUser.All', 'SMTP.Send', 'email', 'offline_access', 'openid'));
      expect(grantedScopes('glpi')).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'email', 'offline_access', 'openid']);
      expect(app('glpi').sign_in_audience).toBe('AzureADMyOrg');
      expect(app('glpi').web.redirect_uris).toEqual([
        'https://glpi.example.com/plugins/oauthimap/front/authorization.callback.php',
        'https://glpi.example.com/front/smtp_oauth2_callback.php',
      ]);
      expect(stack('glpi').resource!.azuread_application_permission_scope).toBeUndefined();
    });

    it('fills in the OAuth IMAP application and the email notification form', () => {
      expect(toolSettings('glpi')).toEqual({
        'OAuth IMAP application: Oauth provider': 'Azure',
        'OAuth IMAP application: Client ID': CLIENT_ID,
        'OAuth IMAP application: Client secret': SECRET,
        'OAuth IMAP application: Tenant ID': TENANT_ID,
        'OAuth IMAP application: Callback url (must be)': 'https://glpi.example.com/plugins/oauthimap/front/authorization.callback.php',
        'Email notifications: Oauth provider': 'Azure',
        'Email notifications: Callback URL (must be)': 'https://glpi.example.com/front/smtp_oauth2_callback.php',
        'Email notifications: Client ID': CLIENT_ID,
        'Email notifications: Client secret': SECRET,
        'Email notifications: Tenant ID': TENANT_ID,
        'Email notifications: SMTP host': 'smtp.office365.com',
        'Email notifications: Port': '587',
        'Email notifications: Email sender': 'helpdesk@example.com',
      });
    });

    it('defaults to IMAP only, the oauthimap plugin, with its one callback', () => {
      const json = synthConfigText(
        `environments:\n  g:\n    application:\n      displayName: G\n      itsmTool: glpi\n      redirectUris: [https://g.example.com/glpi/marketplace/oauthimap/front/authorization.callback.php]\n      mail: {}\n`,
      );
      const a = Object.values(json.resource!.azuread_application)[0] as any;
      expect(a.required_resource_access[0].resource_access).toEqual(scopesOf('IMAP.AccessAsUser.All', 'email', 'offline_access', 'openid'));
      expect(Object.keys(json.output!.itsm_tool_settings.value as object).every((k) => k.startsWith('OAuth IMAP application: '))).toBe(true);
    });
  });

  describe('zammad', () => {
    it('requests IMAP and SMTP with offline_access, openid, profile and email, consented', () => {
      expect(graphScopes('zammad')).toEqual(scopesOf('IMAP.AccessAsUser.All', 'SMTP.Send', 'email', 'offline_access', 'openid', 'profile'));
      expect(grantedScopes('zammad')).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'email', 'offline_access', 'openid', 'profile']);
      expect(app('zammad').web.redirect_uris).toEqual(['https://zammad.example.com/api/v1/external_credentials/microsoft365/callback']);
      expect(app('zammad').sign_in_audience).toBe('AzureADMyOrg');
    });

    it('fills in the Connect Microsoft 365 App dialog', () => {
      expect(toolSettings('zammad')).toEqual({
        'Connect Microsoft 365 App: Client ID': CLIENT_ID,
        'Connect Microsoft 365 App: Client Secret': SECRET,
        'Connect Microsoft 365 App: Tenant UUID/Name': TENANT_ID,
        'Connect Microsoft 365 App: Your callback URL (must be)': 'https://zammad.example.com/api/v1/external_credentials/microsoft365/callback',
      });
    });
  });

  describe('osticket', () => {
    it('requests the chosen protocols (POP and SMTP here) with offline_access only, consented', () => {
      expect(graphScopes('osticket')).toEqual(scopesOf('POP.AccessAsUser.All', 'SMTP.Send', 'offline_access'));
      expect(grantedScopes('osticket')).toEqual(['POP.AccessAsUser.All', 'SMTP.Send', 'offline_access']);
      expect(app('osticket').web.redirect_uris).toEqual(['https://help.example.com/support/api/auth/oauth2']);
    });

    it("fills in the IdP Config with the tenant's endpoints and the Outlook Scopes for the protocols chosen", () => {
      expect(toolSettings('osticket')).toEqual({
        'IdP Config: Redirect URI (must be)': 'https://help.example.com/support/api/auth/oauth2',
        'IdP Config: Client Id': CLIENT_ID,
        'IdP Config: Client Secret': SECRET,
        'IdP Config: Authorization Endpoint': AUTHORIZE,
        'IdP Config: Token Endpoint': TOKEN,
        'IdP Config: Outlook Scopes': 'https://outlook.office.com/POP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access',
        'Remote Mailbox: Authentication': 'OAuth2 - Microsoft',
        'Remote Mailbox: Hostname': 'outlook.office365.com',
        'Remote Mailbox (POP): Port Number': '995',
        'SMTP: Authentication': 'OAuth2 - Microsoft',
        'SMTP: Hostname': 'smtp.office365.com',
        'SMTP: Port Number': '587',
        'Email: Email Address': 'helpdesk@example.com',
      });
    });
  });

  describe('znuny', () => {
    it('delegated: requests the protocols with offline_access, and fills in the authorization-code token', () => {
      expect(graphScopes('znuny')).toEqual(scopesOf('IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access'));
      expect(grantedScopes('znuny')).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access']);
      expect(app('znuny').web.redirect_uris).toEqual(['https://znuny.example.com/otrs/get-oauth2-token-by-authorization-code.pl']);
      expect(toolSettings('znuny')).toEqual({
        'OAuth2 token: Client ID': CLIENT_ID,
        'OAuth2 token: Client secret': SECRET,
        'OAuth2 token: Scope': 'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access',
        'OAuth2 token: URL (AuthorizationCode)': AUTHORIZE,
        'OAuth2 token: URL (TokenByAuthorizationCode)': TOKEN,
        'OAuth2 token: URL (TokenByRefreshToken)': TOKEN,
        'Redirect URI (from HttpType, FQDN and ScriptAlias; must be)': 'https://znuny.example.com/otrs/get-oauth2-token-by-authorization-code.pl',
        'PostMaster Mail Account: Authentication Type': 'OAuth2 token',
        'PostMaster Mail Account: Username': 'helpdesk@example.com',
        'System configuration: SendmailModule::Host': 'smtp.office365.com',
        'System configuration: SendmailModule::Port': '587',
        'System configuration: SendmailModule::AuthUser': 'helpdesk@example.com',
      });
    });

    it('app-only: requests the Exchange Online app roles (SMTP by Exchange RBAC), consented, no sign-in scopes, no redirect URI', () => {
      const rra = app('znuny-app').required_resource_access as { resource_app_id: string; resource_access: unknown[] }[];
      expect(rra).toEqual([
        {
          resource_app_id: EXO,
          resource_access: [
            { id: EXO_ROLE('IMAP.AccessAsApp'), type: 'Role' },
            { id: EXO_ROLE('POP.AccessAsApp'), type: 'Role' },
          ],
        },
      ]);
      expect(Object.values(stack('znuny-app').resource!.azuread_app_role_assignment).map((r) => r.app_role_id)).toEqual([
        EXO_ROLE('IMAP.AccessAsApp'),
        EXO_ROLE('POP.AccessAsApp'),
      ]);
      expect(stack('znuny-app').resource!.azuread_service_principal_delegated_permission_grant).toBeUndefined();
      expect(app('znuny-app').web).toBeUndefined();
      expect(toolSettings('znuny-app')).toEqual({
        'OAuth2 token: Client ID': CLIENT_ID,
        'OAuth2 token: Client secret': SECRET,
        'OAuth2 token: Scope': 'https://outlook.office365.com/.default',
        'OAuth2 token: URL (TokenByClientCredentials)': TOKEN,
        'PostMaster Mail Account: Authentication Type': 'OAuth2 token',
        'PostMaster Mail Account: Username': 'helpdesk@example.com',
        'System configuration: SendmailModule::Host': 'smtp.office365.com',
        'System configuration: SendmailModule::Port': '587',
        'System configuration: SendmailModule::AuthUser': 'helpdesk@example.com',
      });
    });
  });

  describe('itop', () => {
    it('requests the ticked protocols (IMAP here) with offline_access, consented, and fills in the OAuth client', () => {
      expect(graphScopes('itop')).toEqual(scopesOf('IMAP.AccessAsUser.All', 'offline_access'));
      expect(grantedScopes('itop')).toEqual(['IMAP.AccessAsUser.All', 'offline_access']);
      expect(app('itop').web.redirect_uris).toEqual(['https://itop.example.com/itop/pages/oauth.landing.php']);
      expect(toolSettings('itop')).toEqual({
        'OAuth client for Microsoft Azure: Login': 'helpdesk@example.com',
        'OAuth client for Microsoft Azure: Client id': CLIENT_ID,
        'OAuth client for Microsoft Azure: Client secret': SECRET,
        'OAuth client for Microsoft Azure: Redirect url (must be)': 'https://itop.example.com/itop/pages/oauth.landing.php',
        'OAuth client for Microsoft Azure: Tenant': TENANT_ID,
        'OAuth client for Microsoft Azure: Scope': 'IMAP',
      });
    });
  });

  describe('freescout', () => {
    it('is multi-tenant by default (it signs in at /common only) and requests IMAP and SMTP with offline_access', () => {
      expect(app('freescout').sign_in_audience).toBe('AzureADMultipleOrgs');
      expect(graphScopes('freescout')).toEqual(scopesOf('IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access'));
      expect(grantedScopes('freescout')).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access']);
      expect(app('freescout').web.redirect_uris).toEqual(['https://desk.example.com/mailbox/oauth']);
    });

    it('fills in the connection settings, where the client ID and secret go into Username and Password', () => {
      expect(toolSettings('freescout')).toEqual({
        'Connection Settings (incoming): Protocol': 'IMAP',
        'Connection Settings (incoming): Server': 'outlook.office365.com',
        'Connection Settings (incoming): Port': '993',
        'Connection Settings (incoming): Username': CLIENT_ID,
        'Connection Settings (incoming): Password': SECRET,
        'Connection Settings (incoming): Encryption': 'SSL',
        'Connection Settings (outgoing): Method': 'SMTP',
        'Connection Settings (outgoing): SMTP Server': 'smtp.office365.com',
        'Connection Settings (outgoing): Port': '587',
        'Connection Settings (outgoing): Username': CLIENT_ID,
        'Connection Settings (outgoing): Password': SECRET,
        'Connection Settings (outgoing): Encryption': 'TLS (+StartTLS)',
        'Mailbox settings: Email Address': 'helpdesk@example.com',
        'Redirect URI (APP_URL/mailbox/oauth; must be)': 'https://desk.example.com/mailbox/oauth',
      });
    });

    it('is reported by ITSM-APP-004 (a warning), not by the error ITSM-APP-001', () => {
      expect(synth.stderr).toMatch(
        /environments\.freescout\.application(\.[a-zA-Z]+)?: ITSM-APP-004 warning: FreeScout signs in at \/common only; sign_in_audience is AzureADMultipleOrgs/,
      );
      expect(synth.stderr).not.toMatch(/ITSM-APP-001/);
    });
  });

  it('keeps itsm_email_settings with the same keys for every tool (npm run verify reads them)', () => {
    const keys = Object.keys(stack('pandora').output!.itsm_email_settings.value as object);
    for (const env of ['glpi', 'zammad', 'osticket', 'znuny', 'znuny-app', 'itop', 'freescout']) {
      expect(Object.keys(stack(env).output!.itsm_email_settings.value as object)).toEqual(keys);
    }
    expect(stack('glpi').output!.itsm_email_settings.value).toMatchObject({
      tenant_id: TENANT_ID,
      client_id: CLIENT_ID,
      flow: 'delegated',
      token_endpoint: TOKEN,
      imap_server: 'outlook.office365.com',
      smtp_port: '587',
      mailbox: 'helpdesk@example.com',
    });
  });

  it('never puts a secret in itsm_tool_settings: it is not sensitive and every secret field points at client_secret', () => {
    for (const env of ['glpi', 'zammad', 'osticket', 'znuny', 'znuny-app', 'itop', 'freescout']) {
      const out = stack(env).output!.itsm_tool_settings;
      expect(out.sensitive).toBe(false);
      for (const [k, v] of Object.entries(out.value as Record<string, string>)) if (/secret|password/i.test(k)) expect(v).toBe(SECRET);
      expect(JSON.stringify(out.value)).not.toMatch(/azuread_application_password/);
    }
  });
});

describe('ITSM-SEC-003 and the preset', () => {
  it('stays quiet where the tool sends only a client secret, and is reported for Pandora ITSM (not established)', () => {
    expect(synth.stderr).toMatch(/environments\.pandora\.application(\.clientSecret)?: ITSM-SEC-003 warning: rotating client secret/);
    for (const env of ['glpi', 'zammad', 'osticket', 'znuny', 'znuny-app', 'itop', 'freescout']) {
      expect(synth.stderr).not.toMatch(new RegExp(`environments\\.${env}: ITSM-SEC-003`));
    }
  });

  it('makes a suppression of ITSM-SEC-003 on a GLPI secret idle (ITSM-GR-002): there is nothing to accept', () => {
    const d = workdir({
      'g.yaml': `environments:\n  g:\n    application:\n      displayName: G\n      itsmTool: glpi\n      redirectUris: [https://g.example.com/plugins/oauthimap/front/authorization.callback.php]\n      mail: {}\n    guardrails:\n      suppressions:\n        - { rule: ITSM-SEC-003, resource: itsm-mail/client-secret, reason: GLPI accepts only a client secret for OAuth mail today. }\n`,
    });
    const r = runSynthInProcess(d, ['--config', 'g.yaml']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/ITSM-GR-002 warning: suppression of ITSM-SEC-003 \(config\) at "g\/itsm-mail\/client-secret" suppresses nothing/);
  });
});

describe('the review says which preset is in effect and what it set', () => {
  it('names the tool, what it filled in, its sign-in permissions, callbacks, tenant and credential', () => {
    const r = runReviewInProcess(dir, ['--config', 'tools.yaml', '--env', 'zammad']);
    expect(r.status).toBe(0);
    const md = readFileSync(join(dir, 'review', 'zammad.md'), 'utf8');
    expect(md).toContain(
      '- **ITSM tool:** Zammad (`itsmTool: zammad`); the preset filled in flow `delegated`, protocols IMAP and SMTP, sign-in audience `AzureADMyOrg` and "Expose an API" off',
    );
    expect(md).toContain(
      "  - The tool's own sign-in: `offline_access`, `openid`, `profile`, `email` (Microsoft Graph, delegated), requested beside the protocols' permissions",
    );
    expect(md).toContain(
      "  - Redirect URIs: each must be the tool's callback: \\<HTTP type\\>://\\<FQDN\\>/api/v1/external_credentials/microsoft365/callback for IMAP and SMTP",
    );
    expect(md).toContain(
      "  - Credential: a client secret: the tool's code sends only a client secret, so a certificate would not work (ITSM-SEC-003 does not apply)",
    );
    expect(md).toContain("  - Form fields: output `itsm_tool_settings`, by the tool's own labels");
  });

  it('says nothing was filled in when the config writes every setting the preset governs', () => {
    runReviewInProcess(dir, ['--config', 'tools.yaml', '--env', 'pandora']);
    const md = readFileSync(join(dir, 'review', 'pandora.md'), 'utf8');
    expect(md).toContain(
      '- **ITSM tool:** Pandora ITSM (`itsmTool: pandora-itsm`); the preset filled in protocols IMAP and SMTP and sign-in audience `AzureADMyOrg`',
    );
    expect(md).toContain('  - Credential: a client secret; whether the tool takes a certificate is not established (ITSM-SEC-003 applies)');
    expect(md).toContain('  - Redirect URIs: not held against a pattern (no callback is established for this tool and flow)');
  });
});

describe('a preset is a starting value the config can change', () => {
  const env = (application: string) => `environments:\n  e:\n    application:\n${application.replace(/^/gm, '      ')}\n`;

  it('takes the audience, protocols and "Expose an API" the config writes', () => {
    const json = synthConfigText(
      env(
        'displayName: Z\nitsmTool: zammad\nsignInAudience: AzureADMultipleOrgs\nexposeApi: true\nredirectUris: [https://z.example.com/api/v1/external_credentials/microsoft365/callback]\nmail: { protocols: [imap, smtp] }',
      ),
    );
    const a = Object.values(json.resource!.azuread_application)[0] as any;
    expect(a.sign_in_audience).toBe('AzureADMultipleOrgs');
    expect(Object.keys(json.resource!.azuread_application_permission_scope ?? {})).toHaveLength(1);
  });

  it("adds the extra permissions the config lists (osTicket's guide also lists User.Read)", () => {
    const json = synthConfigText(
      env(
        'displayName: O\nitsmTool: osticket\nredirectUris: [https://o.example.com/api/auth/oauth2]\nmail: {}\npermissions: [{ type: delegated, name: User.Read }]',
      ),
    );
    const a = Object.values(json.resource!.azuread_application)[0] as any;
    expect(a.required_resource_access[0].resource_access.map((x: { id: string }) => x.id)).toEqual([
      SCOPE_ID['IMAP.AccessAsUser.All'],
      SCOPE_ID['SMTP.Send'],
      'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
      SCOPE_ID.offline_access,
    ]);
  });
});

describe('wrong combinations are config errors naming the tool and what it supports', () => {
  const FILE = 'tools.yaml';
  const problems = (application: string) => configProblems(`environments:\n  prod:\n    application:\n${application.replace(/^/gm, '      ')}\n`, FILE);
  const at = (path: string) => `${FILE}: environments.prod.application.${path}: `;

  it('refuses a flow the tool does not support (GLPI: delegated only)', () => {
    expect(problems('displayName: G\nitsmTool: glpi\nmail: { flow: app-only }')).toEqual([
      expect.stringContaining(
        `${at('mail.flow')}is app-only, but GLPI (itsmTool: glpi) supports only the delegated (authorization code) flow (pluginsGLPI/oauthimap@285ae3f (1.5.3) inc/application.class.php`,
      ),
    ]);
  });

  it.each(['zammad', 'osticket', 'itop', 'freescout'])('refuses app-only for %s, which supports only delegated', (tool) => {
    const [p] = problems(`displayName: T\nitsmTool: ${tool}\nmail: { flow: app-only }`);
    expect(p).toContain(
      `${at('mail.flow')}is app-only, but ${ITSM_TOOLS[tool as 'zammad'].displayName} (itsmTool: ${tool}) supports only the delegated (authorization code) flow`,
    );
  });

  it('asks for the flow where the tool supports both (Znuny, Pandora ITSM)', () => {
    expect(problems('displayName: N\nitsmTool: znuny\nmail: {}')).toEqual([
      expect.stringContaining(`${at('mail.flow')}is required; allowed: "delegated", "app-only" (Znuny (itsmTool: znuny) supports delegated and app-only)`),
    ]);
    expect(problems('displayName: P\nmail: {}')).toEqual([
      expect.stringContaining(
        `${at('mail.flow')}is required; allowed: "delegated", "app-only" (Pandora ITSM (itsmTool: pandora-itsm) supports delegated and app-only)`,
      ),
    ]);
  });

  it.each([
    ['glpi', 'pop', 'https://g.example.com/plugins/oauthimap/front/authorization.callback.php', 'imap and smtp'],
    ['zammad', 'pop', 'https://z.example.com/api/v1/external_credentials/microsoft365/callback', 'imap and smtp'],
    ['itop', 'pop', 'https://i.example.com/pages/oauth.landing.php', 'imap and smtp'],
    ['freescout', 'pop', 'https://f.example.com/mailbox/oauth', 'imap and smtp'],
  ])('refuses a protocol %s does not use (%s)', (tool, protocol, uri, supported) => {
    const found = problems(`displayName: T\nitsmTool: ${tool}\nredirectUris: [${uri}]\nmail: { protocols: [imap, smtp, ${protocol}] }`);
    expect(found).toEqual([
      expect.stringContaining(
        `${at('mail.protocols[2]')}"${protocol}": ${ITSM_TOOLS[tool as 'glpi'].displayName} (itsmTool: ${tool}) does not use POP with OAuth; it supports ${supported}`,
      ),
    ]);
  });

  it.each([
    ['zammad', 'https://z.example.com/api/v1/external_credentials/microsoft365/callback', 'lib/external_credential/microsoft365.rb'],
    ['freescout', 'https://f.example.com/mailbox/oauth', 'app/Misc/Mail.php'],
  ])('refuses a protocol left out where %s asks for IMAP and SMTP in one sign-in', (tool, uri, source) => {
    const [p] = problems(`displayName: T\nitsmTool: ${tool}\nredirectUris: [${uri}]\nmail: { protocols: [imap] }`);
    expect(p).toContain(
      `${at('mail.protocols')}lacks smtp: ${ITSM_TOOLS[tool as 'zammad'].displayName} (itsmTool: ${tool}) asks for IMAP and SMTP in one sign-in`,
    );
    expect(p).toContain(source);
    expect(p).toContain('list [imap, smtp]');
  });

  it('refuses a single-tenant application for FreeScout, which signs in at /common only (AADSTS50194)', () => {
    expect(
      problems('displayName: F\nitsmTool: freescout\nsignInAudience: AzureADMyOrg\nredirectUris: [https://f.example.com/mailbox/oauth]\nmail: {}'),
    ).toEqual([
      expect.stringMatching(
        /signInAudience: is AzureADMyOrg, but FreeScout \(itsmTool: freescout\) signs in at the \/common endpoint only \(.*app\/Misc\/Mail\.php.*\), which Entra ID refuses for a single-tenant application \(AADSTS50194\): use AzureADMultipleOrgs/,
      ),
    ]);
  });

  it('refuses personal accounts only for Zammad, whose documentation says they are not supported', () => {
    expect(
      problems(
        'displayName: Z\nitsmTool: zammad\nsignInAudience: PersonalMicrosoftAccount\nredirectUris: [https://z.example.com/api/v1/external_credentials/microsoft365/callback]\nmail: {}',
      ),
    ).toEqual([
      expect.stringContaining(
        `${at('signInAudience')}is PersonalMicrosoftAccount, but Zammad (itsmTool: zammad) works with AzureADMyOrg, AzureADMultipleOrgs and AzureADandPersonalMicrosoftAccount only (zammad/zammad-admin-documentation@32eafb7`,
      ),
    ]);
  });

  it.each([
    ['glpi', 'https://g.example.com/glpi/front/oauth.php', '<GLPI URL>/plugins/oauthimap/front/authorization.callback.php'],
    [
      'zammad',
      'https://z.example.com/api/v1/external_credentials/microsoft_graph/callback',
      '<HTTP type>://<FQDN>/api/v1/external_credentials/microsoft365/callback',
    ],
    ['osticket', 'https://o.example.com/api/auth/oauth2/callback', '<helpdesk URL>/api/auth/oauth2'],
    ['znuny', 'https://n.example.com/otrs/index.pl', '<HttpType>://<FQDN>/<ScriptAlias>get-oauth2-token-by-authorization-code.pl'],
    ['itop', 'https://i.example.com/pages/UI.php', '<iTop app_root_url>/pages/oauth.landing.php'],
    ['freescout', 'https://f.example.com/mailbox/oauth/1', '<FreeScout URL>/mailbox/oauth'],
  ])('refuses a redirect URI that is not a callback of %s', (tool, uri, pattern) => {
    const found = problems(`displayName: T\nitsmTool: ${tool}\nredirectUris: [${uri}]\nmail: { flow: delegated }`);
    expect(found[0]).toContain(
      `${at('redirectUris[0]')}"${uri}" is not a callback of ${ITSM_TOOLS[tool as 'glpi'].displayName} (itsmTool: ${tool}), which returns to ${pattern}`,
    );
    // And the callback in use is missing.
    expect(found[1]).toContain(`${at('redirectUris')}has no callback for `);
    expect(found).toHaveLength(2);
  });

  it("refuses GLPI's SMTP callback when mail.protocols does not list smtp", () => {
    expect(
      problems(
        'displayName: G\nitsmTool: glpi\nredirectUris: [https://g.example.com/plugins/oauthimap/front/authorization.callback.php, https://g.example.com/front/smtp_oauth2_callback.php]\nmail: { protocols: [imap] }',
      ),
    ).toEqual([
      expect.stringContaining(
        `${at('redirectUris[1]')}"https://g.example.com/front/smtp_oauth2_callback.php" is GLPI's callback for SMTP, but mail.protocols does not list smtp: add it, or remove the URI`,
      ),
    ]);
  });

  it("asks for GLPI's SMTP callback when mail.protocols lists smtp", () => {
    expect(
      problems(
        'displayName: G\nitsmTool: glpi\nredirectUris: [https://g.example.com/plugins/oauthimap/front/authorization.callback.php]\nmail: { protocols: [imap, smtp] }',
      ),
    ).toEqual([
      expect.stringContaining(
        `${at('redirectUris')}has no callback for SMTP: GLPI (itsmTool: glpi) returns to <GLPI URL>/front/smtp_oauth2_callback.php (glpi-project/glpi@2eccb6c src/Mail/SMTP/OauthConfig.php`,
      ),
    ]);
  });

  it('asks for a redirect URI in the words of the tool, without offering app-only where the tool has none', () => {
    expect(problems('displayName: I\nitsmTool: itop\nmail: {}')).toEqual([
      `${at('redirectUris')}is empty, but the delegated flow signs in through the authorization-code flow, which returns to a redirect URI: add iTop's callback (<iTop app_root_url>/pages/oauth.landing.php) (line 3)`,
    ]);
  });

  it('refuses an unknown tool with a suggestion', () => {
    expect(problems('displayName: G\nitsmTool: glpl\nmail: { flow: delegated }')).toEqual([
      `${at('itsmTool')}"glpl" is not allowed; allowed: "pandora-itsm", "glpi", "zammad", "osticket", "znuny", "itop", "freescout" (did you mean "glpi"?) (line 5)`,
    ]);
  });

  it('reports through the command line: exit 1, one line per problem, nothing written', () => {
    const d = workdir({
      'bad.yaml': 'environments:\n  prod:\n    application:\n      displayName: G\n      itsmTool: glpi\n      mail: { flow: app-only, protocols: [pop] }\n',
    });
    const r = runSynthInProcess(d, ['--config', 'bad.yaml']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(
      'bad.yaml:6:15: error: environments.prod.application.mail.flow: is app-only, but GLPI (itsmTool: glpi) supports only the delegated (authorization code) flow',
    );
    expect(r.stderr).toContain(
      'bad.yaml:6:43: error: environments.prod.application.mail.protocols[0]: "pop": GLPI (itsmTool: glpi) does not use POP with OAuth; it supports imap and smtp',
    );
    expect(r.stderr).toContain('bad.yaml: 2 problem(s); nothing was written.');
  });

  it('refuses the same combinations in the construct (library use), from the same rules', () => {
    const build = (props: ConstructorParameters<typeof ItsmMailApplication>[2]): InvalidPropsError | undefined => {
      try {
        new ItsmMailApplication(new ItsmMailStack(Testing.app(), 'lib'), 'itsm-mail', props);
      } catch (e) {
        if (e instanceof InvalidPropsError) return e;
        throw e;
      }
      return undefined;
    };
    // The redirect URIs are judged once the protocols are right.
    expect(
      build({ displayName: 'Z', itsmTool: 'zammad', redirectUris: ['https://z.example.com/cb/'], mail: { protocols: ['imap'] } })?.problems.map((p) =>
        p.path.join('.'),
      ),
    ).toEqual(['mail.protocols']);
    const e = build({ displayName: 'Z', itsmTool: 'zammad', redirectUris: ['https://z.example.com/cb/'], mail: {} });
    expect(e?.message).toContain('redirectUris[0]: "https://z.example.com/cb/" is not a callback of Zammad (itsmTool: zammad)');
    expect(e?.problems.map((p) => p.path.join('.'))).toEqual(['redirectUris.0', 'redirectUris']);
    expect(
      build({ displayName: 'Z', itsmTool: 'zammad', redirectUris: ['https://z.example.com/api/v1/external_credentials/microsoft365/callback'], mail: {} }),
    ).toBeUndefined();
  });
});

describe('docs/itsm-tools.md', () => {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'itsm-tools.md'), 'utf8');
  const sections = doc.split('\n## ').slice(1);

  it.each([...ITSM_TOOL_IDS])('has a section for %s that cites every repository and commit its preset rests on', (id) => {
    const tool = ITSM_TOOLS[id];
    const section = sections.find((s) => s.split('\n')[0].includes(`(\`itsmTool: ${id}\``));
    expect(section).toBeDefined();
    const evidence = [...Object.values(tool.evidence).flat(), ...Object.values(tool.callbacks ?? {}).map((c) => c!.evidence)];
    const cited = new Set(evidence.flatMap((e) => e!.where.match(/[\w.-]+\/[\w.-]+@[0-9a-f]{7}/g) ?? []));
    // Pandora ITSM's facts come from its manual only (its OAuth code is not public).
    expect(cited.size > 0).toBe(id !== 'pandora-itsm');
    for (const ref of cited) expect({ id, ref, cited: section!.includes(ref) }).toEqual({ id, ref, cited: true });
    expect(section).toContain(tool.displayName);
  });
});
