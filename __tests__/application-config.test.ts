import { normalizeApplication } from '../lib/model/application';
import { parseConfigText } from '../lib/config/load-config';
import { configProblems } from '../test-support/problems';

const FILE = 'app.yaml';

function config(applicationYaml: string): string {
  const indented = applicationYaml
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  return `environments:\n  prod:\n    application:\n${indented}\n`;
}

const problemsOf = (text: string | Uint8Array) => configProblems(text, FILE);

const BASE = 'displayName: ITSM mail\nmail:\n  flow: app-only';

describe('application section of the config file', () => {
  it('is the construct props as written; the model applies the defaults', () => {
    const section = parseConfigText(config(BASE), FILE).environments.prod.application!;
    expect(section).toEqual({ displayName: 'ITSM mail', mail: { flow: 'app-only' } });
    expect(normalizeApplication(section)).toMatchObject({
      signInAudience: 'AzureADMyOrg',
      includeDeployerAsOwner: true,
      preventDuplicateNames: true,
      adminConsent: true,
      clientSecret: { lifetimeDays: 180 },
      mail: { flow: 'app-only', protocols: ['imap', 'smtp'], mailboxAccess: 'rbac', mailboxes: [], graphMailPermissions: [] },
    });
    // App-only: no signed-in user would request a scope, so "Expose an API" is not declared unless asked for.
    expect(normalizeApplication(section).exposedScope).toBeUndefined();
  });

  it('exposes the API for the delegated flow, and for app-only when a scope or exposeApi is given', () => {
    const delegated = `displayName: ITSM mail\nredirectUris: [https://itsm.example.com/cb]\nmail:\n  flow: delegated`;
    expect(normalizeApplication(parseConfigText(config(delegated), FILE).environments.prod.application!).exposedScope).toMatchObject({
      consentType: 'Admin',
      whoCanConsent: 'admins',
      value: 'access_as_user',
    });
    expect(normalizeApplication(parseConfigText(config(`${BASE}\nexposeApi: true`), FILE).environments.prod.application!).exposedScope).toMatchObject({
      value: 'access_as_user',
    });
    expect(
      normalizeApplication(parseConfigText(config(`${BASE}\nexposedScope: { value: read_mail }`), FILE).environments.prod.application!).exposedScope,
    ).toMatchObject({ value: 'read_mail' });
  });

  it('maps whoCanConsent adminsAndUsers to the User consent type, and exposeApi false to no scope', () => {
    const a = normalizeApplication(parseConfigText(config(`${BASE}\nexposedScope:\n  whoCanConsent: adminsAndUsers`), FILE).environments.prod.application!);
    expect(a.exposedScope).toMatchObject({ consentType: 'User' });
    const b = normalizeApplication(parseConfigText(config(`${BASE}\nexposeApi: false`), FILE).environments.prod.application!);
    expect(b.exposedScope).toBeUndefined();
  });

  it('fails on an unknown permission name with the field path and a suggestion', () => {
    expect(problemsOf(config(`${BASE}\npermissions:\n  - type: application\n    name: Mail.Raed`))).toEqual([
      `${FILE}: environments.prod.application.permissions[0].name: unknown Microsoft Graph application permission "Mail.Raed" (did you mean "Mail.Read"?) (line 9)`,
    ]);
  });

  it('fails on a permission of the wrong type', () => {
    expect(problemsOf(config(`${BASE}\npermissions:\n  - api: ExchangeOnline\n    type: delegated\n    name: IMAP.AccessAsApp`))).toEqual([
      `${FILE}: environments.prod.application.permissions[0].name: "IMAP.AccessAsApp" is an application permission of Office 365 Exchange Online, not a delegated one (line 10)`,
    ]);
  });

  it('fails on a permission GUID instead of a name', () => {
    const [p] = problemsOf(config(`${BASE}\npermissions:\n  - type: application\n    name: 810c84a8-4a9e-49e6-bf7d-12d183f40d01`));
    expect(p).toMatch(/^app\.yaml: environments\.prod\.application\.permissions\[0\]\.name: unknown Microsoft Graph application permission/);
  });

  it('fails on a wildcard redirect URI and on http:// to a remote host', () => {
    expect(problemsOf(config(`${BASE}\nredirectUris: ["https://*.example.com/x", "http://itsm.example.com/x"]`))).toEqual([
      `${FILE}: environments.prod.application.redirectUris[0]: "https://*.example.com/x" contains a wildcard; Entra ID matches redirect URIs exactly: list each URI in full (line 7)`,
      `${FILE}: environments.prod.application.redirectUris[1]: "http://itsm.example.com/x" uses http:// for a host other than localhost, 127.0.0.1 or [::1]; use https:// (line 7)`,
    ]);
  });

  it('fails on a secret lifetime above two years', () => {
    expect(problemsOf(config(`${BASE}\nclientSecret:\n  lifetimeDays: 800`))).toEqual([
      `${FILE}: environments.prod.application.clientSecret.lifetimeDays: is 800 days; Entra ID allows at most 730 (2 years) and 180 or less is recommended (CISA SCuBA MS.AAD.5.6) (line 8)`,
    ]);
  });

  it('fails on an unknown protocol and an unknown flow', () => {
    const problems = problemsOf(config('displayName: x\nmail:\n  flow: app_only\n  protocols: [imap, imaps]'));
    expect(problems).toEqual([
      `${FILE}: environments.prod.application.mail.flow: "app_only" is not allowed; allowed: "delegated", "app-only" (did you mean "app-only"?) (line 6)`,
      `${FILE}: environments.prod.application.mail.protocols[1]: "imaps" is not allowed; allowed: "imap", "pop", "smtp" (did you mean "imap"?) (line 7)`,
    ]);
  });

  it('fails on a mailbox that is not an address', () => {
    const [p] = problemsOf(config(`${BASE}\n  mailboxes: [helpdesk]`));
    expect(p).toBe(`${FILE}: environments.prod.application.mail.mailboxes[0]: "helpdesk" must be a mailbox address such as itsm@contoso.com (line 7)`);
  });

  it('fails when the mail section is missing', () => {
    expect(problemsOf(config('displayName: x'))).toEqual([`${FILE}: environments.prod.application.mail: is required (expected a mapping) (line 3)`]);
  });

  it('fails on text Terraform would evaluate', () => {
    expect(problemsOf(config('displayName: "ITSM ${path.cwd}"\nredirectUris: [https://itsm.example.com/mail/]\nmail:\n  flow: delegated'))).toEqual([
      `${FILE}: environments.prod.application.displayName: must not contain "\${" or "%{": Terraform would evaluate it as an expression (line 4)`,
    ]);
  });

  it('fails when an exposed scope is configured but exposeApi is false', () => {
    expect(problemsOf(config(`${BASE}\nexposeApi: false\nexposedScope: { value: x }`))).toEqual([
      `${FILE}: environments.prod.application.exposedScope: is set but exposeApi is false, so it would be ignored: remove one of them (line 8)`,
    ]);
  });

  it('fails when SMTP.SendAsApp is requested while Exchange RBAC grants SMTP', () => {
    const [p] = problemsOf(config(`${BASE}\npermissions:\n  - { api: ExchangeOnline, type: application, name: SMTP.SendAsApp }`));
    expect(p).toMatch(/^app\.yaml: environments\.prod\.application\.permissions\[0\]\.name: SMTP\.SendAsApp is granted by Exchange RBAC for Applications/);
  });
});
