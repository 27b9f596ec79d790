import { Fn, TerraformVariable, Testing } from 'cdktf';
// A TypeScript user's view: the public index only.
import {
  ConfigError,
  InvalidPropsError,
  ItsmMailApplication,
  ItsmMailStack,
  ConditionalAccessPolicy,
  NamedLocation,
  parseConfigText,
  SecurityGroup,
  TenantStack,
  type ItsmMailApplicationProps,
  type ConditionalAccessPolicyProps,
} from '../lib';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefgh';
// Shaped like an Entra ID client secret, built from parts so that no secret-shaped text is committed.
const SECRET = ['Fak', '8Q~', 'NOTaREALsecretFAKEfakeFAKEfake00'].join('');
const MAIL = { flow: 'app-only', protocols: ['imap'], mailboxes: ['helpdesk@contoso.com'] } as const;

/** The loader's problems for one environment, with the section's prefix taken off. */
function loaderProblems(section: 'application' | 'mfaPolicy', props: object): string[] {
  try {
    parseConfigText(JSON.stringify({ environments: { prod: { [section]: props } } }), 'c.json');
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems.map((p) => `${p.path.replace(`environments.prod.${section}.`, '')}: ${p.message}`);
  }
}

/** The construct's problems, in the loader's path notation. */
function constructProblems(build: (stack: ItsmMailStack) => void): string[] {
  const stack = new ItsmMailStack(Testing.app(), 'prod');
  try {
    build(stack);
    return [];
  } catch (e) {
    if (!(e instanceof InvalidPropsError)) throw e;
    return e.problems.map((p) => `${p.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('')}: ${p.message}`);
  }
}

describe('a credential in a construct prop is refused as the config loader refuses it', () => {
  const application: [string, ItsmMailApplicationProps][] = [
    ['a mailbox', { displayName: 'X', mail: { ...MAIL, mailboxes: [JWT] } }],
    ['an owner', { displayName: 'X', mail: MAIL, owners: [SECRET] }],
    ['an assigned principal', { displayName: 'X', mail: MAIL, assignedPrincipals: [JWT] }],
    ['notes', { displayName: 'X', mail: MAIL, notes: SECRET }],
  ];
  it.each(application)('in %s of ItsmMailApplication: the same problem, the value never repeated', (_, props) => {
    const fromLoader = loaderProblems('application', props);
    const fromConstruct = constructProblems((s) => new ItsmMailApplication(s, 'itsm-mail', props));
    expect(fromLoader).toHaveLength(1);
    expect(fromConstruct).toEqual(fromLoader);
    expect(fromConstruct.join('\n')).not.toContain(JWT.slice(0, 20));
    expect(fromConstruct.join('\n')).not.toContain(SECRET.slice(0, 20));
  });

  const policy: [string, ConditionalAccessPolicyProps][] = [
    ['excludeUsers', { excludeUsers: [JWT] }],
    ['includeGroups', { includeGroups: [SECRET] }],
    ['group.create.owners', { group: { create: { displayName: 'G', owners: [JWT] } } }],
  ];
  it.each(policy)('in %s of ConditionalAccessPolicy', (_, props) => {
    const fromLoader = loaderProblems('mfaPolicy', props);
    expect(fromLoader).toHaveLength(1);
    expect(constructProblems((s) => new ConditionalAccessPolicy(s, 'mfa-policy', props))).toEqual(fromLoader);
  });
});

describe('deploy-time references where an ID or a URI goes', () => {
  it('assigns sign-in to a group declared in the same stack (assignedPrincipals: a token)', () => {
    const stack = new ItsmMailStack(Testing.app(), 'prod');
    const group = new SecurityGroup(stack, 'itsm-users', { displayName: 'ITSM users' });
    new ItsmMailApplication(stack, 'itsm-mail', {
      displayName: 'X',
      mail: MAIL,
      assignedPrincipals: [group.groupObjectId, '6b1d6a6e-2f0e-4a5c-9a57-0c1f3c0b7a11'],
    });
    const json = JSON.parse(Testing.synth(stack));
    const principals = Object.values(json.resource.azuread_app_role_assignment as Record<string, { principal_object_id: string }>).map(
      (a) => a.principal_object_id,
    );
    expect(principals).toEqual(expect.arrayContaining(['${azuread_group.itsm-users.object_id}', '6b1d6a6e-2f0e-4a5c-9a57-0c1f3c0b7a11']));
  });

  it('accepts a redirect URI known at deploy time for a tool with fixed callbacks (GLPI)', () => {
    const stack = new ItsmMailStack(Testing.app(), 'prod');
    const host = new TerraformVariable(stack, 'glpi_host', { type: 'string' });
    const uri = Fn.format('https://%s/plugins/oauthimap/front/authorization.callback.php', [host.stringValue]);
    expect(
      () =>
        new ItsmMailApplication(stack, 'itsm-mail', {
          displayName: 'X',
          itsmTool: 'glpi',
          redirectUris: [uri],
          mail: { flow: 'delegated', protocols: ['imap'] },
        }),
    ).not.toThrow();
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.values(json.resource.azuread_application as Record<string, { web: { redirect_uris: string[] } }>)[0].web.redirect_uris[0]).toContain(
      'var.glpi_host',
    );
  });
  it("a tenant's policy takes a named location's objectId (a token) in includeLocations", () => {
    const app = Testing.app();
    const stack = new TenantStack(app, 'tenant-contoso', { namedLocations: { office: { displayName: 'Office', ipRanges: ['203.0.113.0/24'] } } });
    const other = new NamedLocation(stack, 'partner', { displayName: 'Partner', ipRanges: ['198.51.100.0/24'] });
    expect(() => new TenantStack(app, 'tenant-fabrikam', { conditionalAccessPolicies: { p: { includeLocations: [other.objectId] } } })).not.toThrow();
  });
});
