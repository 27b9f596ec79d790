// The import sections (application.import, mfaPolicy.import), exposedScope.id and
// group.create.preventDuplicateNames: their rules, as the config loader reports them, and the
// Terraform import blocks synthesis writes for them, in the azuread provider's import ID formats.
import { readFileSync } from 'node:fs';
import { Testing } from 'cdktf';
import { ItsmMailApplication } from '../lib/application/itsm-mail-application';
import { ConditionalAccessPolicy } from '../lib/conditional-access/conditional-access-policy';
import { SecurityGroup } from '../lib/conditional-access/security-group';
import { IMPORT_ID } from '../lib/model/adoption';
import { InvalidPropsError } from '../lib/model/problem';
import { ItsmMailStack } from '../lib/stack/itsm-mail-stack';
import { runSynth, workdir } from '../test-support/cli';
import { configProblems } from '../test-support/problems';
import { synthConfigText, type TfJson } from '../test-support/synth';

const FILE = 'adopt.yaml';
const APP = '1b2c3d4e-1111-4222-8333-444455556666';
const SP = '2b2c3d4e-1111-4222-8333-444455556666';
const CLIENT = '3b2c3d4e-1111-4222-8333-444455556666';
const SCOPE = '3c7b1e0a-5d7e-4f51-9a34-2f6c1f4b9e11';
const EXO_SP = '7a1b2c3d-1111-4222-8333-444455556666';
const POLICY = '4b2c3d4e-1111-4222-8333-444455556666';
const GROUP = '5b2c3d4e-1111-4222-8333-444455556666';
const USER = '8b2c3d4e-1111-4222-8333-444455556666';
const KEY = (c: string) => `${c.repeat(20)}_-AbCdEfGhIjKlMnOpQrStUvW`.slice(0, 43);

function config(application: string, policy = ''): string {
  const indent = (t: string) =>
    t
      .trim()
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n');
  return `environments:\n  prod:\n    application:\n${indent(application)}\n${policy ? `    mfaPolicy:\n${indent(policy)}\n` : ''}`;
}

const DELEGATED = `
displayName: Pandora ITSM mail
redirectUris: [https://itsm.example.com/pandoraitsm/godmode/godmode/setup/setup_mail]
preventDuplicateNames: false
mail: { flow: delegated, protocols: [imap, smtp] }
permissions: [{ type: delegated, name: User.Read }]
exposedScope: { id: ${SCOPE}, value: access_as_user }
import:
  applicationObjectId: ${APP}
  servicePrincipalObjectId: ${SP}
  identifierUri: api://${CLIENT}
  permissionScopeId: ${SCOPE}
  delegatedPermissionGrants: [{ api: MicrosoftGraph, grantId: ${KEY('g')} }]`;

const APP_ONLY = `
displayName: Pandora ITSM mail
mail: { flow: app-only, protocols: [imap, smtp], mailboxAccess: fullAccess }
assignedPrincipals: [${USER}]
import:
  applicationObjectId: ${APP}
  servicePrincipalObjectId: ${SP}
  appRoleAssignments:
    - { api: ExchangeOnline, permission: IMAP.AccessAsApp, resourceServicePrincipalObjectId: ${EXO_SP}, assignmentId: ${KEY('i')} }
    - { api: ExchangeOnline, permission: SMTP.SendAsApp, resourceServicePrincipalObjectId: ${EXO_SP}, assignmentId: ${KEY('s')} }
  signInAssignments: [{ principal: ${USER}, assignmentId: ${KEY('u')} }]`;

const POLICY_SECTION = `
displayName: MFA Pilot
group: { create: { displayName: MFA-Test-Group, preventDuplicateNames: false } }
import: { policyId: ${POLICY}, groupObjectId: ${GROUP} }`;

/** The import blocks of a stack, as `to` → `id`, with `to` reduced to the resource type. */
function importsOf(json: TfJson): { type: string; to: string; id: string }[] {
  return ((json as { import?: { to: string; id: string }[] }).import ?? []).map((i) => ({ type: i.to.split('.')[0], to: i.to, id: i.id }));
}

describe('import blocks from the config', () => {
  it('imports the delegated setup: application, service principal, identifier URI, scope and the delegated grant', () => {
    const json = synthConfigText(config(DELEGATED, POLICY_SECTION), FILE);
    const imports = importsOf(json);
    expect(imports.map((i) => [i.type, i.id])).toEqual([
      ['azuread_application', `/applications/${APP}`],
      ['azuread_service_principal', `/servicePrincipals/${SP}`],
      ['azuread_application_identifier_uri', `/applications/${APP}/identifierUris/${Buffer.from(`api://${CLIENT}`).toString('base64')}`],
      ['azuread_application_permission_scope', `/applications/${APP}/permissionScopes/${SCOPE}`],
      ['azuread_service_principal_delegated_permission_grant', `/oauth2PermissionGrants/${KEY('g')}`],
      ['azuread_group', `/groups/${GROUP}`],
      ['azuread_conditional_access_policy', `/identity/conditionalAccess/policies/${POLICY}`],
    ]);
    // Every import lands on a declared resource: Terraform refuses an import whose target is not in the configuration.
    for (const i of imports) expect(json.resource?.[i.type]?.[i.to.split('.')[1]]).toBeDefined();
    // The scope keeps the portal's ID (scope_id forces a replacement when it changes).
    expect(Object.values(json.resource!.azuread_application_permission_scope)[0].scope_id).toBe(SCOPE);
    // The secret is never imported: the provider has no importer for it; the rotating pair is created.
    expect(imports.some((i) => i.type === 'azuread_application_password')).toBe(false);
    expect(Object.keys(json.resource!.azuread_application_password)).toHaveLength(2);
  });

  it('writes the flags an adopted configuration chose to keep the first plan free of state-only changes', () => {
    const json = synthConfigText(config(DELEGATED, POLICY_SECTION), FILE);
    expect(Object.values(json.resource!.azuread_application)[0].prevent_duplicate_names).toBe(false);
    expect(Object.values(json.resource!.azuread_group)[0].prevent_duplicate_names).toBe(false);
    // Without the flag, a group refuses a taken name, as before.
    const created = synthConfigText(config(DELEGATED, 'displayName: MFA Pilot'), FILE);
    expect(Object.values(created.resource!.azuread_group)[0].prevent_duplicate_names).toBe(true);
  });

  it('decodes the identifier URI import ID back to the URI (base64.StdEncoding, as the provider parses it)', () => {
    const id = IMPORT_ID.identifierUri(APP, `api://${CLIENT}`);
    expect(Buffer.from(id.split('/').pop()!, 'base64').toString('utf8')).toBe(`api://${CLIENT}`);
  });

  it("writes the resource service principal's ID of an assignment's import in lower case, as Graph returns it; the assignment key as given", () => {
    const upper = APP_ONLY.replaceAll(EXO_SP, EXO_SP.toUpperCase()).replaceAll(SP, SP.toUpperCase());
    const ids = importsOf(synthConfigText(config(upper), FILE))
      .filter((i) => i.type === 'azuread_app_role_assignment')
      .map((i) => i.id);
    expect(ids.sort()).toEqual(
      [
        `/servicePrincipals/${EXO_SP}/appRoleAssignedTo/${KEY('i')}`,
        `/servicePrincipals/${EXO_SP}/appRoleAssignedTo/${KEY('s')}`,
        `/servicePrincipals/${SP}/appRoleAssignedTo/${KEY('u')}`,
      ].sort(),
    );
  });

  it('imports the app-only setup: consents onto the resource API service principal, sign-in assignments onto its own', () => {
    const imports = importsOf(synthConfigText(config(APP_ONLY), FILE));
    const assignments = imports.filter((i) => i.type === 'azuread_app_role_assignment');
    expect(assignments.map((i) => i.id).sort()).toEqual(
      [
        `/servicePrincipals/${EXO_SP}/appRoleAssignedTo/${KEY('i')}`,
        `/servicePrincipals/${EXO_SP}/appRoleAssignedTo/${KEY('s')}`,
        `/servicePrincipals/${SP}/appRoleAssignedTo/${KEY('u')}`,
      ].sort(),
    );
    expect(assignments.find((i) => i.id.endsWith(KEY('i')))!.to).toMatch(/admin-consent_ExchangeOnline-IMAPAccessAsApp|ExchangeOnline-IMAP/);
    expect(assignments.find((i) => i.id.endsWith(KEY('u')))!.to).toContain(`assigned-${USER}`);
  });

  it("synthesizes import blocks where no terraform is installed (cdktf's importFrom would run terraform version per import)", () => {
    const dir = workdir({ 'c.yaml': config(APP_ONLY, POLICY_SECTION) });
    const r = runSynth(dir, ['--config', 'c.yaml'], { PATH: '/nonexistent' });
    expect({
      status: r.status,
      stderr: r.stderr
        .split('\n')
        .filter((l) => !/ITSM-[A-Z]+-\d+ (warning|info)/.test(l))
        .join('\n')
        .trim(),
    }).toEqual({ status: 0, stderr: '' });
    const json = JSON.parse(readFileSync(`${dir}/cdktf.out/stacks/prod/cdk.tf.json`, 'utf8')) as TfJson;
    expect(importsOf(json).map((i) => i.type)).toEqual(expect.arrayContaining(['azuread_application', 'azuread_group', 'azuread_conditional_access_policy']));
  });

  it('writes no import block without an import section', () => {
    expect(importsOf(synthConfigText(config('displayName: X\nmail: { flow: app-only }', 'displayName: MFA Pilot'), FILE))).toEqual([]);
  });
});

describe('rules of the import sections', () => {
  it('fails when a consent to import is not one the application requests', () => {
    const text = config(APP_ONLY.replace('SMTP.SendAsApp', 'POP.AccessAsApp'));
    expect(configProblems(text, FILE)).toEqual([
      expect.stringMatching(
        /environments\.prod\.application\.import\.appRoleAssignments\[1\]\.permission: "POP\.AccessAsApp" \(ExchangeOnline\) is not an application permission this application requests/,
      ),
    ]);
  });

  it('fails when consents are imported but adminConsent is false', () => {
    expect(configProblems(config(`${APP_ONLY}\nadminConsent: false`), FILE)).toEqual([
      expect.stringMatching(/application\.import: imports admin consents, but adminConsent is false/),
    ]);
  });

  it('fails when the scope is imported without exposedScope.id, or under another ID', () => {
    expect(configProblems(config(DELEGATED.replace(`id: ${SCOPE}, `, '')), FILE)).toEqual([
      expect.stringMatching(/import\.permissionScopeId: needs exposedScope\.id set to the same ID: without it the project gives the scope a new ID/),
    ]);
    expect(configProblems(config(DELEGATED.replace(`id: ${SCOPE}, `, `id: ${POLICY}, `)), FILE)).toEqual([
      expect.stringMatching(/import\.permissionScopeId: differs from exposedScope\.id/),
    ]);
  });

  it('fails when Expose an API is imported into an application that does not declare it', () => {
    const text = config(DELEGATED.replace('exposedScope:', 'exposeApi: false\n#').replace(`permissionScopeId: ${SCOPE}`, ''));
    expect(configProblems(text, FILE)).toEqual([
      expect.stringMatching(/import\.identifierUri: imports into "Expose an API", which this application does not declare/),
    ]);
  });

  it('fails on an identifier URI this project does not declare, with what to do instead', () => {
    expect(configProblems(config(DELEGATED.replace(`api://${CLIENT}`, 'api://itsm.contoso.com')), FILE)).toEqual([
      expect.stringMatching(
        /import\.identifierUri: "api:\/\/itsm\.contoso\.com" is not api:\/\/<client ID>.*leave it out, and the URI stays as it is in Entra ID/,
      ),
    ]);
  });

  it('fails when consents are imported onto a new service principal', () => {
    expect(configProblems(config(APP_ONLY.replace(`  servicePrincipalObjectId: ${SP}\n`, '')), FILE)).toEqual([
      expect.stringMatching(/import\.servicePrincipalObjectId: is needed: consents and assignments belong to the service principal/),
    ]);
  });

  it('fails on a sign-in assignment of a principal that is not assigned, and on repeated entries', () => {
    expect(configProblems(config(APP_ONLY.replace(`assignedPrincipals: [${USER}]`, '')), FILE)).toEqual([
      expect.stringMatching(/import\.signInAssignments\[0\]\.principal: .* is not in assignedPrincipals/),
    ]);
    const twice = APP_ONLY.replace('SMTP.SendAsApp', 'IMAP.AccessAsApp');
    expect(configProblems(config(twice), FILE)).toEqual([expect.stringMatching(/import\.appRoleAssignments: must not repeat a permission/)]);
  });

  it('fails on IDs of the wrong shape, naming each field', () => {
    const text = config(`
displayName: X
mail: { flow: app-only, protocols: [imap], mailboxAccess: fullAccess }
import:
  applicationObjectId: Pandora ITSM mail
  servicePrincipalObjectId: 00000000-0000-0000-0000-000000000000
  appRoleAssignments: [{ api: ExchangeOnline, permission: IMAP.AccessAsApp, resourceServicePrincipalObjectId: ${EXO_SP}, assignmentId: "not an id!" }]`);
    expect(configProblems(text, FILE)).toEqual([
      expect.stringMatching(/import\.applicationObjectId: "Pandora ITSM mail" is not the application's object ID: expected a UUID/),
      expect.stringMatching(/import\.servicePrincipalObjectId: "00000000-0000-0000-0000-000000000000" is the nil UUID/),
      expect.stringMatching(/import\.appRoleAssignments\[0\]\.assignmentId: "not an id!" is not an app role assignment ID/),
    ]);
  });

  it('fails on an unknown key inside an import section, with a suggestion', () => {
    expect(
      configProblems(config(`displayName: X\nmail: { flow: app-only }\nimport: { applicationObjectId: ${APP}, servicePrincipalObjectID: ${SP} }`), FILE),
    ).toEqual([
      expect.stringMatching(/import\.servicePrincipalObjectID: unknown key "servicePrincipalObjectID" \(did you mean "servicePrincipalObjectId"\?\)/),
    ]);
  });

  it('fails when the target group is imported but the policy names an existing group', () => {
    const policy = `group: { existingObjectId: ${GROUP} }\nimport: { policyId: ${POLICY}, groupObjectId: ${GROUP} }`;
    expect(configProblems(config('displayName: X\nmail: { flow: app-only }', policy), FILE)).toEqual([
      expect.stringMatching(/mfaPolicy\.import\.groupObjectId: imports the target group, but group names an existing one/),
    ]);
  });

  it('fails on a scope ID that is not a UUID', () => {
    expect(configProblems(config(`displayName: X\nmail: { flow: app-only }\nexposedScope: { id: access_as_user }`), FILE)).toEqual([
      expect.stringMatching(/exposedScope\.id: "access_as_user" is not a scope ID/),
    ]);
  });
});

describe('import in the constructs', () => {
  it('imports a group the policy declares itself, and the policy', () => {
    const app = Testing.app();
    const stack = new ItsmMailStack(app, 'lib');
    new ConditionalAccessPolicy(stack, 'pilot', { import: { policyId: POLICY, groupObjectId: GROUP } });
    const json = JSON.parse(Testing.synth(stack)) as { import: { to: string; id: string }[] };
    expect(json.import.map((i) => i.id)).toEqual([`/groups/${GROUP}`, `/identity/conditionalAccess/policies/${POLICY}`]);
  });

  it('throws on an import the props do not declare a resource for, naming the field', () => {
    const stack = new ItsmMailStack(Testing.app(), 'lib');
    expect(
      () =>
        new ItsmMailApplication(stack, 'app', {
          displayName: 'X',
          mail: { flow: 'app-only', protocols: ['imap'] },
          import: { applicationObjectId: APP, permissionScopeId: SCOPE },
        }),
    ).toThrow(InvalidPropsError);
    const group = new SecurityGroup(stack, 'g', { displayName: 'G' });
    expect(() => group.importExisting('MFA-Test-Group')).toThrow(/groupObjectId: "MFA-Test-Group" is not a group object ID/);
  });
});
