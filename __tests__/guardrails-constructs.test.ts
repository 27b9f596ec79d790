import { PROD_APPLICATION_LINES } from '../test-support/cli';
// Guardrails on construct trees: this project's constructs, raw provider resources, suppressions,
// the Aspect, and the config file's guardrails section.
import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationPasswordA } from '@cdktf/provider-azuread/lib/application-password';
import { ApplicationPermissionScope } from '@cdktf/provider-azuread/lib/application-permission-scope';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { ConditionalAccessPolicy as AzureadConditionalAccessPolicy } from '@cdktf/provider-azuread/lib/conditional-access-policy';
import { Group } from '@cdktf/provider-azuread/lib/group';
import { ServicePrincipalPassword } from '@cdktf/provider-azuread/lib/service-principal-password';
import { App, Aspects, Testing } from 'cdktf';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ItsmMailApplication, type ItsmMailApplicationProps } from '../lib/application/itsm-mail-application';
import { ConditionalAccessPolicy } from '../lib/conditional-access/conditional-access-policy';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { parseConfigText } from '../lib/config/load-config';
import { ConfigError } from '../lib/config/problems';
import { GuardrailsAspect } from '../lib/guardrails/aspect';
import { checkGuardrails, type GuardrailFinding } from '../lib/guardrails/check';
import { applyGuardrailsConfig } from '../lib/config/guardrails-config';
import { Guardrails } from '../lib/guardrails/guardrails';
import { ItsmMailStack } from '../lib/stack/itsm-mail-stack';

const BREAK_GLASS = '6f1c2f0e-4a8e-4a47-9a51-2b1f3c6d7e80';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const REASON = 'Pandora ITSM only supports client secrets for OAuth mail.';

function stackWith(build: (stack: ItsmMailStack) => void): ItsmMailStack {
  const stack = new ItsmMailStack(Testing.app(), 'prod');
  build(stack);
  return stack;
}

const summary = (fs: readonly GuardrailFinding[]) => fs.map((f) => `${f.ruleId} ${f.severity} ${f.path}${f.suppressedReason ? ' (suppressed)' : ''}`);

const delegated = (o: Partial<ItsmMailApplicationProps> = {}): ItsmMailApplicationProps => ({
  displayName: 'Pandora ITSM mail',
  redirectUris: ['https://itsm.example.com/pandoraitsm/setup/setup_mail'],
  mail: { flow: 'delegated', protocols: ['imap'], mailboxes: ['helpdesk@example.com'] },
  ...o,
});

describe("guardrails on this project's constructs", () => {
  it("finds only the client secret on the manual's delegated IMAP application", () => {
    const stack = stackWith((s) => new ItsmMailApplication(s, 'itsm-mail', delegated()));
    expect(summary(checkGuardrails(stack))).toEqual(['ITSM-SEC-003 warning prod/itsm-mail/client-secret']);
  });

  it('warns about SMTP AUTH when the application sends over SMTP', () => {
    const stack = stackWith(
      (s) =>
        new ItsmMailApplication(
          s,
          'itsm-mail',
          delegated({
            redirectUris: ['https://itsm.example.com/mail/'],
            mail: { flow: 'delegated', protocols: ['imap', 'smtp'], mailboxes: ['helpdesk@example.com'] },
          }),
        ),
    );
    expect(checkGuardrails(stack).find((f) => f.ruleId === 'ITSM-EXO-002')).toMatchObject({
      path: 'prod/itsm-mail',
      detail: 'SMTP AUTH is enabled for helpdesk@example.com',
    });
  });

  it('warns about a secret lifetime above 180 days', () => {
    const stack = stackWith((s) => new ItsmMailApplication(s, 'itsm-mail', delegated({ clientSecret: { lifetimeDays: 365 } })));
    expect(checkGuardrails(stack).find((f) => f.ruleId === 'ITSM-SEC-002')).toMatchObject({
      severity: 'warning',
      detail: 'client secret valid 365 days (lifetimeDays)',
    });
  });

  it('fails on a high-privilege permission without a justification, and passes with one', () => {
    const bare = stackWith(
      (s) => new ItsmMailApplication(s, 'itsm-mail', delegated({ permissions: [{ api: 'MicrosoftGraph', type: 'application', name: 'User.ReadWrite.All' }] })),
    );
    expect(checkGuardrails(bare).find((f) => f.ruleId === 'ITSM-PERM-001')).toMatchObject({
      severity: 'error',
      path: 'prod/itsm-mail/application',
      detail:
        'Microsoft Graph application permission User.ReadWrite.All: the application, without a signed-in user, can change every object of its kind in the tenant',
    });
    const justified = stackWith(
      (s) =>
        new ItsmMailApplication(
          s,
          'itsm-mail',
          delegated({
            permissions: [{ api: 'MicrosoftGraph', type: 'application', name: 'User.ReadWrite.All', justification: 'Creates ticket requesters as users.' }],
          }),
        ),
    );
    expect(checkGuardrails(justified).map((f) => f.ruleId)).not.toContain('ITSM-PERM-001');
  });

  it('warns about every permission when admin consent is off', () => {
    const stack = stackWith((s) => new ItsmMailApplication(s, 'itsm-mail', delegated({ adminConsent: false })));
    expect(
      checkGuardrails(stack)
        .filter((f) => f.ruleId === 'ITSM-PERM-002')
        .map((f) => f.detail),
    ).toEqual([
      'Microsoft Graph delegated permission IMAP.AccessAsUser.All is requested but not consented',
      'Microsoft Graph delegated permission offline_access is requested but not consented',
      'Microsoft Graph delegated permission openid is requested but not consented',
    ]);
  });

  it('matches Exchange Online app roles read at plan time by name: app-only consent passes', () => {
    const stack = stackWith(
      (s) =>
        new ItsmMailApplication(s, 'itsm-mail', delegated({ mail: { flow: 'app-only', protocols: ['imap', 'pop'], mailboxes: ['helpdesk@example.com'] } })),
    );
    expect(summary(checkGuardrails(stack))).toEqual(['ITSM-SEC-003 warning prod/itsm-mail/client-secret']);
  });

  it('fails on an app role granted to the service principal that the application does not request', () => {
    const stack = stackWith((s) => {
      const app = new ItsmMailApplication(s, 'itsm-mail', delegated());
      new AppRoleAssignment(s, 'extra-grant', {
        principalObjectId: app.servicePrincipalObjectId,
        resourceObjectId: new DataAzureadServicePrincipal(s, 'graph', { clientId: GRAPH }).objectId,
        appRoleId: '19dbc75e-c2e2-444c-a770-ec69d8559fc7', // Directory.ReadWrite.All
      });
    });
    expect(checkGuardrails(stack).find((f) => f.ruleId === 'ITSM-PERM-003')).toMatchObject({
      severity: 'error',
      path: 'prod/extra-grant',
      detail: 'Microsoft Graph application permission Directory.ReadWrite.All is consented but not requested by "Pandora ITSM mail"',
    });
  });

  it('warns when users may consent to the exposed scope', () => {
    const stack = stackWith((s) => new ItsmMailApplication(s, 'itsm-mail', delegated({ exposedScope: { whoCanConsent: 'adminsAndUsers' } })));
    expect(checkGuardrails(stack).find((f) => f.ruleId === 'ITSM-SCOPE-001')).toMatchObject({ path: 'prod/itsm-mail/exposed-api/scope' });
  });

  it('warns when app-only access lists no mailboxes', () => {
    const stack = stackWith((s) => new ItsmMailApplication(s, 'itsm-mail', delegated({ mail: { flow: 'app-only', protocols: ['imap'] } })));
    expect(checkGuardrails(stack).find((f) => f.ruleId === 'ITSM-EXO-001')).toMatchObject({ path: 'prod/itsm-mail' });
  });

  it('reminds that the MFA policy is report-only, and passes its security group', () => {
    const stack = stackWith((s) => new ConditionalAccessPolicy(s, 'mfa-policy', { excludeUsers: [BREAK_GLASS] }));
    expect(summary(checkGuardrails(stack))).toEqual(['ITSM-CA-007 info prod/mfa-policy']);
  });

  it('passes an enforced MFA policy with a break-glass exclusion', () => {
    const stack = stackWith((s) => new ConditionalAccessPolicy(s, 'mfa-policy', { state: 'on', excludeUsers: [BREAK_GLASS] }));
    expect(checkGuardrails(stack)).toEqual([]);
  });

  it("counts the policy construct's written waiver as a suppression of ITSM-CA-001", () => {
    const reason = 'Break-glass accounts are excluded by tenant policy CA000, owned by the identity team';
    const stack = stackWith((s) => new ConditionalAccessPolicy(s, 'mfa-policy', { state: 'on', allowEnforcedWithoutBreakGlassExclusion: { reason } }));
    const [f] = checkGuardrails(stack);
    expect(f).toMatchObject({ ruleId: 'ITSM-CA-001', path: 'prod/mfa-policy', suppressedBy: 'construct' });
  });

  it('fails when an escape-hatch override removes the break-glass exclusion', () => {
    const stack = stackWith((s) => {
      const p = new ConditionalAccessPolicy(s, 'mfa-policy', { state: 'on', excludeUsers: [BREAK_GLASS] });
      p.resource.addOverride('conditions.users.excluded_users', null);
    });
    expect(summary(checkGuardrails(stack))).toEqual(['ITSM-CA-001 error prod/mfa-policy']);
  });
});

describe('guardrails on raw provider resources', () => {
  it('check a raw application: audience, owners, redirect URIs, high-privilege role, no consent', () => {
    const stack = stackWith((s) => {
      new Application(s, 'raw', {
        displayName: 'raw',
        signInAudience: 'AzureADMultipleOrgs',
        web: { redirectUris: ['http://itsm.example.com/cb'] },
        requiredResourceAccess: [{ resourceAppId: GRAPH, resourceAccess: [{ id: '810c84a8-4a9e-49e6-bf7d-12d183f40d01', type: 'Role' }] }],
      });
    });
    expect(checkGuardrails(stack).map((f) => `${f.ruleId} ${f.detail}`)).toEqual([
      'ITSM-APP-001 sign_in_audience is AzureADMultipleOrgs',
      'ITSM-APP-002 no owners declared',
      'ITSM-APP-003 redirect URI "http://itsm.example.com/cb" uses http:// for a host other than localhost',
      'ITSM-PERM-001 Microsoft Graph application permission Mail.Read: the application, without a signed-in user, reaches every mailbox of the tenant',
      'ITSM-PERM-002 Microsoft Graph application permission Mail.Read is requested but not consented',
    ]);
  });

  it('see a wildcard redirect URI added by an override', () => {
    const stack = stackWith((s) => {
      const app = new ItsmMailApplication(s, 'itsm-mail', delegated());
      app.application.addOverride('web.redirect_uris', ['https://*.example.com/cb']);
    });
    expect(checkGuardrails(stack).find((f) => f.ruleId === 'ITSM-APP-003')).toMatchObject({ severity: 'error', path: 'prod/itsm-mail/application' });
  });

  it.each([
    ['end_date_relative above 2 years', { endDateRelative: '17544h' }, 'ITSM-SEC-001', 'client secret valid 731 days (end_date_relative 17544h)'],
    ['no end date (2 years)', {}, 'ITSM-SEC-002', 'client secret valid 730 days (no end date: Entra ID makes it valid for 2 years)'],
    [
      'start and end dates a year apart',
      { startDate: '2026-01-01T00:00:00Z', endDate: '2027-01-01T00:00:00Z' },
      'ITSM-SEC-002',
      'client secret valid 365 days (start_date to end_date)',
    ],
  ])('check a raw password with %s', (_name, props, ruleId, detail) => {
    const stack = stackWith((s) => {
      const app = new Application(s, 'raw', { displayName: 'raw', owners: [BREAK_GLASS] });
      new ApplicationPasswordA(s, 'pw', { applicationId: app.id, ...props });
    });
    expect(checkGuardrails(stack).find((f) => f.ruleId === ruleId)).toMatchObject({ path: 'prod/pw', detail });
  });

  it('passes a raw password of 90 days, but still warns that it is a secret', () => {
    const stack = stackWith((s) => {
      const app = new Application(s, 'raw', { displayName: 'raw', owners: [BREAK_GLASS] });
      new ApplicationPasswordA(s, 'pw', { applicationId: app.id, endDateRelative: '2160h' });
    });
    expect(summary(checkGuardrails(stack))).toEqual(['ITSM-SEC-003 warning prod/pw']);
  });

  it('skips a lifetime only known at apply (end_date without start_date)', () => {
    const stack = stackWith((s) => new ServicePrincipalPassword(s, 'sp-pw', { servicePrincipalId: '/servicePrincipals/x', endDate: '2030-01-01T00:00:00Z' }));
    expect(checkGuardrails(stack).map((f) => `${f.ruleId} ${f.detail}`)).toEqual(['ITSM-SEC-003 service principal password']);
  });

  it('treat a raw permission scope without type as user-consentable (the provider default)', () => {
    const stack = stackWith(
      (s) =>
        new ApplicationPermissionScope(s, 'scope', {
          applicationId: '/applications/x',
          scopeId: BREAK_GLASS,
          value: 'x',
          adminConsentDescription: 'd',
          adminConsentDisplayName: 'n',
        }),
    );
    expect(checkGuardrails(stack).map((f) => `${f.ruleId} ${f.detail}`)).toEqual(['ITSM-SCOPE-001 scope "x" has consent type User']);
  });

  it('check a raw policy: enforced, no exclusion, excluded role, block on All, approved client app, no users', () => {
    const stack = stackWith((s) => {
      new AzureadConditionalAccessPolicy(s, 'raw-policy', {
        displayName: 'Block everything',
        state: 'enabled',
        conditions: {
          clientAppTypes: ['all'],
          applications: { includedApplications: ['All'] },
          users: { includedUsers: ['None'], excludedRoles: ['62e90394-69f5-4237-9190-012177145e10'] },
        },
        grantControls: { operator: 'OR', builtInControls: ['block', 'approvedApplication'] },
      });
    });
    expect(summary(checkGuardrails(stack))).toEqual([
      'ITSM-CA-001 error prod/raw-policy',
      'ITSM-CA-002 warning prod/raw-policy',
      'ITSM-CA-003 error prod/raw-policy',
      'ITSM-CA-004 warning prod/raw-policy',
      'ITSM-CA-006 warning prod/raw-policy',
    ]);
  });

  it('check a raw policy requiring mfa and an authentication strength', () => {
    const stack = stackWith((s) => {
      new AzureadConditionalAccessPolicy(s, 'raw-policy', {
        displayName: 'MFA',
        state: 'disabled',
        conditions: { clientAppTypes: ['all'], applications: { includedApplications: ['Office365'] }, users: { includedUsers: ['All'] } },
        grantControls: {
          operator: 'OR',
          builtInControls: ['mfa'],
          authenticationStrengthPolicyId: '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004',
        },
      });
    });
    expect(summary(checkGuardrails(stack))).toEqual(['ITSM-CA-005 error prod/raw-policy']);
  });

  it('warns about a Microsoft 365 group used by a policy', () => {
    const stack = stackWith((s) => {
      const g = new Group(s, 'm365', { displayName: 'Helpdesk', mailEnabled: true, mailNickname: 'helpdesk', types: ['Unified'], securityEnabled: false });
      new AzureadConditionalAccessPolicy(s, 'raw-policy', {
        displayName: 'MFA',
        state: 'disabled',
        conditions: { clientAppTypes: ['all'], applications: { includedApplications: ['Office365'] }, users: { includedGroups: [g.objectId] } },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      });
    });
    expect(checkGuardrails(stack).map((f) => `${f.ruleId} ${f.path} ${f.detail}`)).toEqual([
      'ITSM-GRP-001 prod/m365 group "Helpdesk" used by "MFA" is not security-enabled',
    ]);
  });
});

describe('suppressions in code', () => {
  it('suppress a finding on the construct and below, and keep it in the findings with the reason', () => {
    const stack = stackWith((s) => {
      const app = new ItsmMailApplication(s, 'itsm-mail', delegated());
      Guardrails.suppress(app, 'ITSM-SEC-003', REASON);
    });
    expect(checkGuardrails(stack)).toEqual([expect.objectContaining({ ruleId: 'ITSM-SEC-003', suppressedReason: REASON, suppressedBy: 'code' })]);
  });

  it('refuse an unknown rule with a suggestion, and a reason that is not a sentence', () => {
    const stack = stackWith(() => undefined);
    expect(() => Guardrails.suppress(stack, 'ITSM-SEC-03', REASON)).toThrow(
      'Guardrails.suppress(prod, "ITSM-SEC-03"): unknown guardrail rule "ITSM-SEC-03" (did you mean "ITSM-SEC-003"?)',
    );
    expect(() => Guardrails.suppress(stack, 'ITSM-SEC-003', 'accepted')).toThrow(/must say in a sentence \(at least 20 characters and 4 different words\)/);
  });

  it("on a construct's Default resource, or on the App, cover the construct's findings", () => {
    const stack = stackWith((s) => {
      const p = new ConditionalAccessPolicy(s, 'mfa-policy', { excludeUsers: [BREAK_GLASS] });
      Guardrails.suppress(p.resource, 'ITSM-CA-007', 'The pilot stays report-only until the sign-in logs are checked.');
      Guardrails.suppress(s.node.root, 'ITSM-SEC-003', REASON);
      new ItsmMailApplication(s, 'itsm-mail', delegated());
    });
    expect(summary(checkGuardrails(stack))).toEqual([
      'ITSM-SEC-003 warning prod/itsm-mail/client-secret (suppressed)',
      'ITSM-CA-007 info prod/mfa-policy (suppressed)',
    ]);
  });

  it('are never written into the synthesized Terraform', () => {
    const stack = stackWith((s) => Guardrails.suppress(new ItsmMailApplication(s, 'itsm-mail', delegated()), 'ITSM-SEC-003', REASON));
    expect(Testing.synth(stack)).not.toContain('Pandora ITSM only supports');
  });
});

describe('reading the tree', () => {
  it('reads the stack as cdktf renders it: a logical ID override made before the check is the address it reports', () => {
    // The check renders the stack (TerraformStack.toTerraform), which fixes logical IDs as cdktf's
    // own synthesis does; it reads no cdktf internals. Overrides belong before it (documented).
    const stack = stackWith(() => undefined);
    const app = new Application(stack, 'raw', { displayName: 'raw' });
    app.overrideLogicalId('renamed');
    expect(checkGuardrails(stack).find((f) => f.ruleId === 'ITSM-APP-002')).toMatchObject({ path: 'prod/raw' });
    expect(Object.keys(JSON.parse(Testing.synth(stack)).resource.azuread_application)).toEqual(['renamed']);
  });

  it('checks every stack of an app, in a stable order', () => {
    const app = Testing.app();
    for (const env of ['staging', 'prod']) new ItsmMailApplication(new ItsmMailStack(app, env), 'itsm-mail', delegated());
    expect(summary(checkGuardrails(app))).toEqual([
      'ITSM-SEC-003 warning prod/itsm-mail/client-secret',
      'ITSM-SEC-003 warning staging/itsm-mail/client-secret',
    ]);
  });
});

describe('GuardrailsAspect', () => {
  const appIn = () => new App({ outdir: mkdtempSync(join(tmpdir(), 'itsm-aspect-')), stackTraces: false });

  it('fails synthesis on an unsuppressed error, naming the rule and the construct', () => {
    const app = appIn();
    const stack = new ItsmMailStack(app, 'prod');
    new Application(stack, 'raw', { displayName: 'raw', owners: [BREAK_GLASS], signInAudience: 'AzureADMultipleOrgs' });
    Guardrails.applyTo(app);
    expect(() => app.synth()).toThrow(/\[prod\/raw\] \[ITSM-APP-001\] sign_in_audience is AzureADMultipleOrgs/);
  });

  it('must be applied after the stacks are declared', () => {
    expect(() => Guardrails.applyTo(appIn())).toThrow('Guardrails.applyTo(app): no stack at or above it yet; call it after declaring the stacks');
  });

  it('records warnings and suppressed findings as annotations and lets synthesis pass', () => {
    const app = appIn();
    const stack = new ItsmMailStack(app, 'prod');
    const mail = new ItsmMailApplication(stack, 'itsm-mail', delegated({ clientSecret: { lifetimeDays: 365 } }));
    Guardrails.suppress(mail.clientSecret, 'ITSM-SEC-003', REASON);
    // Added twice on purpose: findings are annotated once.
    Aspects.of(stack).add(new GuardrailsAspect());
    Aspects.of(stack).add(new GuardrailsAspect());
    app.synth();
    const messages = mail.clientSecret.node.metadata.filter((m) => m.type.startsWith('@cdktf/')).map((m) => `${m.type} ${String(m.data)}`);
    expect(messages).toEqual([
      expect.stringMatching(/^@cdktf\/warn \[ITSM-SEC-002\] client secret valid 365 days \(lifetimeDays\): .* Fix: /),
      `@cdktf/info [ITSM-SEC-003] suppressed (code): ${REASON} | rotating client secret (two slots)`,
    ]);
  });
});

describe("the config file's guardrails section", () => {
  const FILE = 'test.yaml';
  const config = (guardrails: string, extra = '') =>
    [...PROD_APPLICATION_LINES, extra, '    guardrails:', ...guardrails.split('\n').map((l) => `      ${l}`)].join('\n');
  const problems = (text: string) => {
    try {
      parseConfigText(text, FILE);
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
      throw e;
    }
  };

  it('suppresses a finding with a written reason', () => {
    const parsed = parseConfigText(config(`suppressions:\n  - { rule: ITSM-SEC-003, resource: itsm-mail/client-secret, reason: "${REASON}" }`), FILE);
    const [stack] = buildStacksFromConfig(Testing.app(), parsed);
    applyGuardrailsConfig(stack, parsed.environments.prod.guardrails);
    applyGuardrailsConfig(stack, parsed.environments.prod.guardrails); // idempotent
    expect(checkGuardrails(stack)).toEqual([
      expect.objectContaining({ ruleId: 'ITSM-SEC-003', path: 'prod/itsm-mail/client-secret', suppressedReason: REASON, suppressedBy: 'config' }),
    ]);
  });

  it('reports a suppression whose path names no construct', () => {
    const parsed = parseConfigText(config(`suppressions:\n  - { rule: ITSM-SEC-003, resource: itsm-mail/secret, reason: "${REASON}" }`), FILE);
    const [stack] = buildStacksFromConfig(Testing.app(), parsed);
    applyGuardrailsConfig(stack, parsed.environments.prod.guardrails);
    expect(summary(checkGuardrails(stack))).toEqual(['ITSM-SEC-003 warning prod/itsm-mail/client-secret', 'ITSM-GR-001 warning prod/itsm-mail/secret']);
  });

  it('refuses an unknown rule with a did-you-mean', () => {
    expect(problems(config(`suppressions:\n  - { rule: ITSM-SEC-03, resource: itsm-mail, reason: "${REASON}" }`))).toEqual([
      expect.stringMatching(
        /^environments\.prod\.guardrails\.suppressions\[0\]\.rule: "ITSM-SEC-03" is not allowed; allowed: "ITSM-SEC-001", .* \(did you mean "ITSM-SEC-003"\?\)$/,
      ),
    ]);
  });

  it('refuses a reason that is not a sentence', () => {
    expect(problems(config('suppressions:\n  - { rule: ITSM-SEC-003, resource: itsm-mail, reason: accepted }'))).toEqual([
      expect.stringMatching(/^environments\.prod\.guardrails\.suppressions\[0\]\.reason: must say in a sentence/),
    ]);
  });

  it('refuses a resource that names no construct of the environment, with a suggestion', () => {
    expect(problems(config(`suppressions:\n  - { rule: ITSM-SEC-003, resource: itsm-mial/client-secret, reason: "${REASON}" }`))).toEqual([
      'environments.prod.guardrails.suppressions[0].resource: "itsm-mial/client-secret" names no construct of this environment (did you mean "itsm-mail/client-secret"?); paths start with "itsm-mail", as printed in brackets after each finding',
    ]);
    expect(problems(config(`suppressions:\n  - { rule: ITSM-SEC-003, resource: prod/itsm-mail, reason: "${REASON}" }`))).toEqual([
      'environments.prod.guardrails.suppressions[0].resource: "prod/itsm-mail" starts with the environment name; paths are below the stack: write "itsm-mail"',
    ]);
    expect(problems(config(`suppressions:\n  - { rule: ITSM-SEC-003, resource: /itsm-mail, reason: "${REASON}" }`))).toEqual([
      expect.stringMatching(/resource: must be a construct path below the stack/),
    ]);
  });

  it('refuses unknown keys in a suppression', () => {
    expect(problems(config(`suppressions:\n  - { rule: ITSM-SEC-003, resource: itsm-mail, reason: "${REASON}", expires: 2027 }`))).toEqual([
      expect.stringMatching(/suppressions\[0\]\.expires: unknown key "expires"/),
    ]);
  });
});
