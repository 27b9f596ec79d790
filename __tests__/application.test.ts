import { ItsmMailApplication, type ItsmMailApplicationProps } from '../lib/application/itsm-mail-application';
import { addApplicationOutputs } from '../lib/application/application-outputs';
import { lookupPermission } from '../lib/permissions/catalogue';
import { addressOf, onlyResource, resourcesOf, synthStack, type TfJson } from '../test-support/synth';

const GRAPH = '00000003-0000-0000-c000-000000000000';
const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';

function synthApp(props: Partial<ItsmMailApplicationProps> = {}, withOutputs = true): TfJson {
  return synthStack((stack) => {
    const app = new ItsmMailApplication(stack, 'itsm-mail', {
      displayName: 'ITSM mail',
      redirectUris: ['https://itsm.example.com/mail/'],
      mail: { flow: 'delegated' },
      ...props,
    });
    if (withOutputs) addApplicationOutputs(stack, app);
  });
}

interface Access {
  resource_app_id: string;
  resource_access: { id: string; type: string }[];
}

/** (resource app, id, type) triples requested in required_resource_access. */
function requested(json: TfJson): string[] {
  const app = onlyResource(json, 'azuread_application');
  return ((app.required_resource_access as Access[]) ?? []).flatMap((r) => r.resource_access.map((a) => `${r.resource_app_id} ${a.type} ${a.id}`)).sort();
}

/** The same triples, reconstructed from what admin consent grants. */
function consented(json: TfJson): string[] {
  const spData = json.data?.azuread_service_principal ?? {};
  const appIdOfSp = (ref: string) => {
    const name = /data\.azuread_service_principal\.([^.]+)\.object_id/.exec(ref)![1];
    return spData[name].client_id as string;
  };
  // Consent is what the app's own service principal is granted; sign-in assignments are not.
  const spObjectId = `\${${addressOf(json, 'azuread_service_principal')}.object_id}`;
  const roles = resourcesOf(json, 'azuread_app_role_assignment')
    .filter((a) => a.principal_object_id === spObjectId)
    .map((a) => `${appIdOfSp(a.resource_object_id as string)} Role ${a.app_role_id as string}`);
  const scopes = resourcesOf(json, 'azuread_service_principal_delegated_permission_grant').flatMap((g) => {
    const resourceAppId = appIdOfSp(g.resource_service_principal_object_id as string);
    const api = resourceAppId === GRAPH ? 'MicrosoftGraph' : 'ExchangeOnline';
    return (g.claim_values as string[]).map((name) => {
      const found = lookupPermission(api, 'delegated', name);
      if (!found.ok) throw new Error(found.message);
      return `${resourceAppId} Scope ${found.permission.id}`;
    });
  });
  return [...roles, ...scopes].sort();
}

describe('ItsmMailApplication', () => {
  describe('registration', () => {
    it('is single tenant, owned by the deployer and refuses duplicate names by default', () => {
      const app = onlyResource(synthApp(), 'azuread_application');
      expect(app.sign_in_audience).toBe('AzureADMyOrg');
      expect(app.prevent_duplicate_names).toBe(true);
      expect(app.owners).toEqual([expect.stringMatching(/^\$\{data\.azuread_client_config\.[^.]+\.object_id\}$/)]);
    });

    it('adds configured owners after the deployer, or alone when the deployer is left out', () => {
      const owner = '11111111-2222-3333-4444-555555555555';
      expect(onlyResource(synthApp({ owners: [owner] }), 'azuread_application').owners).toEqual([expect.stringContaining('azuread_client_config'), owner]);
      expect(onlyResource(synthApp({ owners: [owner], includeDeployerAsOwner: false }), 'azuread_application').owners).toEqual([owner]);
    });

    it('declares an api block, so ignore_changes on the exposed scope has a path to hold on to', () => {
      // Terraform applies ignore_changes only to paths present in the config: without an api block,
      // a second plan drops the scope azuread_application_permission_scope wrote (and deletes it).
      const app = onlyResource(synthApp(), 'azuread_application');
      expect(app.api).toEqual({ requested_access_token_version: 1 });
      expect(app.lifecycle).toEqual({ ignore_changes: ['identifier_uris', 'api[0].oauth2_permission_scope'] });
      const appOnly = onlyResource(synthApp({ mail: { flow: 'app-only' } }), 'azuread_application');
      expect(appOnly.api).toEqual({ requested_access_token_version: 1 });
    });

    it('ignores the inline scope and identifier URIs only while the standalone resources write them', () => {
      const json = synthApp({ exposeApi: false });
      expect(resourcesOf(json, 'azuread_application_permission_scope')).toEqual([]);
      expect(onlyResource(json, 'azuread_application').lifecycle).toBeUndefined();
    });

    it('requests v2 access tokens when personal Microsoft accounts may sign in (the provider refuses 1 at plan)', () => {
      for (const signInAudience of ['AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'] as const) {
        expect(onlyResource(synthApp({ signInAudience }), 'azuread_application').api).toEqual({ requested_access_token_version: 2 });
      }
      expect(onlyResource(synthApp({ signInAudience: 'AzureADMultipleOrgs' }), 'azuread_application').api).toEqual({ requested_access_token_version: 1 });
    });

    it('keeps description and notes', () => {
      const app = onlyResource(synthApp({ description: 'd', notes: 'n' }), 'azuread_application');
      expect([app.description, app.notes]).toEqual(['d', 'n']);
    });

    it('emits Web redirect URIs only when given', () => {
      expect(onlyResource(synthApp({ redirectUris: undefined, mail: { flow: 'app-only' } }), 'azuread_application').web).toBeUndefined();
      const uri = 'https://itsm.example.com/pandoraitsm/setup/setup_mail';
      expect(onlyResource(synthApp({ redirectUris: [uri, 'http://localhost:8080/cb'] }), 'azuread_application').web).toEqual({
        redirect_uris: [uri, 'http://localhost:8080/cb'],
      });
    });

    it('fails when a redirect URI has a wildcard', () => {
      expect(() => synthApp({ redirectUris: ['https://*.example.com/cb'] })).toThrow(/redirectUris\[0\]: "https:\/\/\*\.example\.com\/cb" contains a wildcard/);
    });

    it('fails when a redirect URI uses http:// for a host other than localhost', () => {
      expect(() => synthApp({ redirectUris: ['http://itsm.example.com/cb'] })).toThrow(
        /uses http:\/\/ for a host other than localhost, 127\.0\.0\.1 or \[::1\]; use https:\/\//,
      );
    });

    it('ignores the inline identifier URIs and scopes that the standalone resources manage', () => {
      const app = onlyResource(synthApp(), 'azuread_application');
      expect(app.lifecycle).toEqual({ ignore_changes: ['identifier_uris', 'api[0].oauth2_permission_scope'] });
      expect(app.identifier_uris).toBeUndefined();
      expect((app.api as Record<string, unknown>).oauth2_permission_scope).toBeUndefined();
    });
  });

  describe('service principal', () => {
    it('is created for the application client ID with the same owners', () => {
      const json = synthApp();
      const sp = onlyResource(json, 'azuread_service_principal');
      expect(sp.client_id).toBe(`\${${addressOf(json, 'azuread_application')}.client_id}`);
      expect(sp.owners).toEqual(onlyResource(json, 'azuread_application').owners);
    });

    it('is the principal of every consent, never the application object', () => {
      const json = synthApp({
        mail: { flow: 'app-only', protocols: ['imap', 'pop'] },
        permissions: [{ api: 'MicrosoftGraph', type: 'delegated', name: 'User.Read' }],
      });
      const spObjectId = `\${${addressOf(json, 'azuread_service_principal')}.object_id}`;
      for (const a of resourcesOf(json, 'azuread_app_role_assignment')) expect(a.principal_object_id).toBe(spObjectId);
      for (const g of resourcesOf(json, 'azuread_service_principal_delegated_permission_grant')) expect(g.service_principal_object_id).toBe(spObjectId);
    });
  });

  describe('who may sign in', () => {
    it('leaves assignment off by default, as the portal does', () => {
      const json = synthApp();
      expect(onlyResource(json, 'azuread_service_principal').app_role_assignment_required).toBeUndefined();
    });

    it('requires assignment and assigns the given users or groups with the default access role', () => {
      const user = '11111111-2222-3333-4444-555555555555';
      const json = synthApp({ assignedPrincipals: [user] });
      const sp = addressOf(json, 'azuread_service_principal');
      expect(onlyResource(json, 'azuread_service_principal').app_role_assignment_required).toBe(true);
      const assignments = resourcesOf(json, 'azuread_app_role_assignment').filter((a) => a.principal_object_id === user);
      expect(assignments).toEqual([
        expect.objectContaining({ app_role_id: '00000000-0000-0000-0000-000000000000', resource_object_id: `\${${sp}.object_id}` }),
      ]);
      // sign-in assignments are not permissions: requested and consented still match
      expect(consented(json)).toEqual(requested(json));
    });
  });

  describe('permissions and admin consent', () => {
    it('requests the delegated mail preset from Microsoft Graph with offline_access', () => {
      const json = synthApp({ redirectUris: ['https://itsm.example.com/mail/'], mail: { flow: 'delegated', protocols: ['imap', 'pop', 'smtp'] } });
      const ids = (name: string) => (lookupPermission('MicrosoftGraph', 'delegated', name) as { permission: { id: string } }).permission.id;
      expect(requested(json)).toEqual(
        ['IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'SMTP.Send', 'offline_access', 'openid'].map((n) => `${GRAPH} Scope ${ids(n)}`).sort(),
      );
      expect(ids('IMAP.AccessAsUser.All')).toBe('652390e4-393a-48de-9484-05f9b1212954');
    });

    it('requests exactly what it consents to, for delegated and app-only presets with extras', () => {
      for (const props of [
        {},
        { mail: { flow: 'app-only' as const, protocols: ['imap' as const, 'pop' as const, 'smtp' as const], mailboxAccess: 'fullAccess' as const } },
        {
          mail: { flow: 'app-only' as const, graphMailPermissions: ['Mail.Send' as const] },
          permissions: [{ api: 'MicrosoftGraph' as const, type: 'delegated' as const, name: 'User.Read' }],
        },
      ]) {
        const json = synthApp(props);
        expect(requested(json).length).toBeGreaterThan(0);
        expect(consented(json)).toEqual(requested(json));
      }
    });

    it('resolves Exchange Online app roles from the tenant service principal at plan time', () => {
      const json = synthApp({ mail: { flow: 'app-only', protocols: ['imap', 'smtp'], mailboxAccess: 'fullAccess' } });
      const exchange = Object.entries(json.data!.azuread_service_principal).find(([, d]) => d.client_id === EXCHANGE)!;
      const lookup = (name: string) => `\${data.azuread_service_principal.${exchange[0]}.app_role_ids["${name}"]}`;
      const app = onlyResource(json, 'azuread_application');
      expect(app.required_resource_access).toEqual([
        {
          resource_app_id: EXCHANGE,
          resource_access: [
            { id: lookup('IMAP.AccessAsApp'), type: 'Role' },
            { id: lookup('SMTP.SendAsApp'), type: 'Role' },
          ],
        },
      ]);
      expect(
        resourcesOf(json, 'azuread_app_role_assignment')
          .map((a) => a.app_role_id)
          .sort(),
      ).toEqual([lookup('IMAP.AccessAsApp'), lookup('SMTP.SendAsApp')].sort());
    });

    it('leaves SMTP.SendAsApp out of Entra ID when SMTP is granted by Exchange RBAC for Applications', () => {
      const json = synthApp({ mail: { flow: 'app-only', protocols: ['imap', 'smtp'] } });
      expect(JSON.stringify(onlyResource(json, 'azuread_application').required_resource_access)).not.toContain('SMTP.SendAsApp');
      expect(json.output!.exchange_online_runbook.value).toContain(`-Role "Application SMTP.SendAsApp"`);
    });

    it('grants Graph mail application permissions with the catalogue role ID', () => {
      const json = synthApp({ mail: { flow: 'app-only', protocols: ['imap'], graphMailPermissions: ['Mail.Read'] } });
      expect(resourcesOf(json, 'azuread_app_role_assignment').map((a) => a.app_role_id)).toContain('810c84a8-4a9e-49e6-bf7d-12d183f40d01');
    });

    it('grants delegated scopes once per API for all principals', () => {
      const grant = onlyResource(synthApp(), 'azuread_service_principal_delegated_permission_grant');
      expect(grant.claim_values).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access', 'openid']);
      expect(grant.user_object_id).toBeUndefined();
    });

    it('declares no consent when admin consent is off, but still requests the permissions', () => {
      const json = synthApp({ adminConsent: false });
      expect(resourcesOf(json, 'azuread_app_role_assignment')).toHaveLength(0);
      expect(resourcesOf(json, 'azuread_service_principal_delegated_permission_grant')).toHaveLength(0);
      expect(requested(json)).toHaveLength(4);
    });

    it('fails on an unknown permission name with a suggestion', () => {
      expect(() => synthApp({ permissions: [{ api: 'MicrosoftGraph', type: 'application', name: 'Mail.Raed' }] })).toThrow(
        /unknown Microsoft Graph application permission "Mail\.Raed" \(did you mean "Mail\.Read"\?\)/,
      );
    });

    it('fails on a permission used with the wrong type', () => {
      expect(() => synthApp({ permissions: [{ api: 'ExchangeOnline', type: 'delegated', name: 'IMAP.AccessAsApp' }] })).toThrow(
        /"IMAP\.AccessAsApp" is an application permission of Office 365 Exchange Online, not a delegated one/,
      );
    });

    it('merges a permission listed twice', () => {
      const json = synthApp({ permissions: [{ api: 'MicrosoftGraph', type: 'delegated', name: 'offline_access' }] });
      expect(requested(json)).toHaveLength(4);
    });
  });

  describe('text that Terraform or PowerShell would evaluate', () => {
    it('fails on a display name with a Terraform template sequence', () => {
      expect(() => synthApp({ displayName: 'ITSM ${path.cwd}' })).toThrow(/displayName: must not contain "\$\{" or "%\{"/);
    });

    it('quotes the display name for PowerShell literally', () => {
      const runbook = synthApp({ displayName: `O'Brien "mail" $env:USER`, mail: { flow: 'app-only', protocols: ['imap'] } }).output!.exchange_online_runbook
        .value as string;
      expect(runbook).toContain(`-DisplayName 'O''Brien "mail" $env:USER'`);
    });
  });

  it('fails when SMTP.SendAsApp is requested in Entra ID while Exchange RBAC grants SMTP', () => {
    expect(() =>
      synthApp({
        mail: { flow: 'app-only', protocols: ['smtp'] },
        permissions: [{ api: 'ExchangeOnline', type: 'application', name: 'SMTP.SendAsApp' }],
      }),
    ).toThrow(/SMTP\.SendAsApp is granted by Exchange RBAC for Applications/);
  });

  describe('client secret', () => {
    it('has two alternating slots with explicit end dates from time_rotating', () => {
      const json = synthApp();
      const secrets = resourcesOf(json, 'azuread_application_password');
      expect(secrets).toHaveLength(2);
      const clocks = Object.keys(json.resource!.time_rotating);
      expect(clocks).toHaveLength(2);
      secrets.forEach((s, i) => {
        expect(s.end_date).toBe(`\${time_rotating.${clocks[i]}.rotation_rfc3339}`);
        expect(s.rotate_when_changed).toEqual({ rotation: `\${time_rotating.${clocks[i]}.id}` });
        expect(s.end_date_relative).toBeUndefined();
      });
    });

    it('rotates slot a every lifetime and due slot b half a lifetime away, read once', () => {
      const json = synthApp({ clientSecret: { lifetimeDays: 90 } });
      const [a, b] = Object.values(json.resource!.time_rotating);
      expect(a.rotation_days).toBe(90);
      expect(b.rotation_rfc3339).toMatch(
        /^\$\{\(timecmp\(timeadd\(time_rotating\.[^.]+\.rotation_rfc3339, "-1080h"\), plantimestamp\(\)\) == 1\) \? timeadd\(.*"-1080h"\) : timeadd\(.*"1080h"\)\}$/,
      );
      expect(b.lifecycle).toEqual({ ignore_changes: ['rotation_rfc3339'] });
    });

    it('defaults to 180 days', () => {
      expect(Object.values(synthApp().resource!.time_rotating)[0].rotation_days).toBe(180);
    });

    it('fails when the lifetime is above two years', () => {
      expect(() => synthApp({ clientSecret: { lifetimeDays: 731 } })).toThrow(/clientSecret.lifetimeDays: is 731 days; Entra ID allows at most 730/);
    });

    it('exposes the secret value only through a sensitive output', () => {
      const json = synthApp();
      const carrying = Object.entries(json.output!).filter(([, o]) => /azuread_application_password\.[^.]+\.value/.test(JSON.stringify(o.value)));
      expect(carrying.map(([name]) => name)).toEqual(['client_secret']);
      for (const [, o] of carrying) expect(o.sensitive).toBe(true);
    });

    it('declares the time provider once', () => {
      expect(synthApp().provider!.time).toHaveLength(1);
    });
  });

  describe('exposed API scope', () => {
    it('builds the identifier URI from the client ID with the standalone resource', () => {
      const json = synthApp();
      expect(onlyResource(json, 'azuread_application_identifier_uri')).toMatchObject({
        application_id: `\${${addressOf(json, 'azuread_application')}.id}`,
        identifier_uri: `api://\${${addressOf(json, 'azuread_application')}.client_id}`,
      });
    });

    it('adds an admin-consent scope with a name-based UUID that does not change between syntheses', () => {
      const first = onlyResource(synthApp(), 'azuread_application_permission_scope');
      const second = onlyResource(synthApp(), 'azuread_application_permission_scope');
      expect(first.scope_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(second.scope_id).toBe(first.scope_id);
      expect(first).toMatchObject({ type: 'Admin', value: 'access_as_user' });
      expect(first.user_consent_display_name).toBeUndefined();
    });

    it('gives a different scope a different ID', () => {
      const a = onlyResource(synthApp(), 'azuread_application_permission_scope').scope_id;
      const b = onlyResource(synthApp({ exposedScope: { value: 'Mail.Access' } }), 'azuread_application_permission_scope').scope_id;
      expect(b).not.toBe(a);
    });

    it('lets users consent only when asked, with user texts', () => {
      const scope = onlyResource(synthApp({ exposedScope: { whoCanConsent: 'adminsAndUsers' } }), 'azuread_application_permission_scope');
      expect(scope.type).toBe('User');
      expect(scope.user_consent_display_name).toBe('Access ITSM mail');
    });

    it('declares nothing when disabled', () => {
      const json = synthApp({ exposeApi: false });
      expect(resourcesOf(json, 'azuread_application_identifier_uri')).toHaveLength(0);
      expect(json.output!.identifier_uri).toBeUndefined();
    });
  });

  describe('outputs', () => {
    it('names every ID unambiguously', () => {
      const json = synthApp();
      expect(Object.keys(json.output!).sort()).toEqual(
        [
          'application_object_id',
          'client_id',
          'client_secret',
          'client_secret_end_date',
          'exchange_online_runbook',
          'exposed_scope',
          'identifier_uri',
          'itsm_email_settings',
          'service_principal_object_id',
          'tenant_id',
        ].sort(),
      );
      expect(json.output!.application_object_id.value).toBe(`\${${addressOf(json, 'azuread_application')}.object_id}`);
      expect(json.output!.service_principal_object_id.value).toBe(`\${${addressOf(json, 'azuread_service_principal')}.object_id}`);
    });

    it('gives the ITSM tool the delegated Outlook scopes, endpoints and servers', () => {
      const json = synthApp({ redirectUris: ['https://itsm.example.com/setup/setup_mail'] });
      const s = json.output!.itsm_email_settings.value as Record<string, string>;
      expect(s.scope).toBe('https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access');
      expect(s.tenant_id).toMatch(/azuread_client_config\.[^.]+\.tenant_id/);
      expect(s.client_id).toMatch(/azuread_application\.[^.]+\.client_id/);
      expect(s.token_endpoint).toMatch(/^https:\/\/login\.microsoftonline\.com\/\$\{data\.azuread_client_config\.[^.]+\.tenant_id\}\/oauth2\/v2\.0\/token$/);
      expect([s.imap_server, s.imap_port, s.imap_security]).toEqual(['outlook.office365.com', '993', 'SSL/TLS']);
      expect([s.smtp_server, s.smtp_port, s.smtp_security]).toEqual(['smtp.office365.com', '587', 'STARTTLS']);
      expect(s.pop_server).toBe('');
      expect(s.redirect_uri).toBe('https://itsm.example.com/setup/setup_mail');
      expect(json.output!.itsm_email_settings.sensitive).toBe(false);
    });

    it('gives the ITSM tool the .default scope for app-only', () => {
      const s = synthApp({ mail: { flow: 'app-only', protocols: ['pop'] } }).output!.itsm_email_settings.value as Record<string, string>;
      expect(s.scope).toBe('https://outlook.office365.com/.default');
      expect([s.pop_server, s.pop_port]).toEqual(['outlook.office365.com', '995']);
      expect(s.authorize_endpoint).toBe('');
    });

    it('fills the Exchange runbook with the service principal object ID, not the application one', () => {
      const json = synthApp({ mail: { flow: 'app-only', protocols: ['imap', 'smtp'], mailboxes: ['a@example.com', 'b@example.com'] } });
      const runbook = json.output!.exchange_online_runbook.value as string;
      const sp = `\${${addressOf(json, 'azuread_service_principal')}.object_id}`;
      const client = `\${${addressOf(json, 'azuread_application')}.client_id}`;
      expect(runbook).toContain(`New-ServicePrincipal -AppId ${client} -ObjectId ${sp} -DisplayName 'ITSM mail'`);
      expect(runbook).not.toContain(`${addressOf(json, 'azuread_application')}.object_id`);
      for (const m of ['a@example.com', 'b@example.com']) {
        expect(runbook).toContain(`Add-MailboxPermission -Identity '${m}' -User ${sp} -AccessRights FullAccess`);
        expect(runbook).toContain(`Set-CASMailbox -Identity '${m}' -ImapEnabled $true -SmtpClientAuthenticationDisabled $false`);
      }
      expect(runbook).toContain(
        `New-ManagementScope -Name 'ITSM mail mailboxes' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''a@example.com'' -or PrimarySmtpAddress -eq ''b@example.com'''`,
      );
      // Terraform would interpolate these: the fixed text must contain none.
      expect(runbook.replace(/\$\{[a-z_]+\.[^}]+\}/g, '')).not.toMatch(/\$\{|%\{/);
    });
  });
});
