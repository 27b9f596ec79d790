// The rule pack as pure functions: each rule on a subject that triggers it and one that passes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateGuardrails } from '../lib/guardrails/engine';
import { GUARDRAIL_RULES, SUPPRESSIBLE_RULE_IDS, UNMATCHED_SUPPRESSION, suppressionReasonProblem, unknownRuleIdProblem } from '../lib/guardrails/pack';
import { applyRule } from '../lib/guardrails/rule';
import type {
  ApplicationSubject,
  ConditionalAccessSubject,
  ExposedScopeSubject,
  GuardrailSubject,
  MailAccessSubject,
  PolicyGroupSubject,
  SecretSubject,
} from '../lib/guardrails/subjects';
import { highPrivilegeReason } from '../lib/model/permissions';
import { inspectedPermission, inspectedPolicy, t, type FlatPolicy } from '../test-support/inspected';
import { normalizeMailAccess, type MailAccessProps } from '../lib/model/mail-access';
import { KnownApi } from '../lib/permissions/catalogue';

const GRAPH = KnownApi.MicrosoftGraph.resourceAppId;
const EXO = KnownApi.ExchangeOnline.resourceAppId;
const perm = inspectedPermission;

const app = (o: Partial<ApplicationSubject> = {}): ApplicationSubject => ({
  kind: 'application',
  path: 'prod/itsm-mail/application',
  address: 'azuread_application.a',
  displayName: 'Pandora ITSM mail',
  signInAudience: 'AzureADMyOrg',
  owners: [t('${data.azuread_client_config.current.object_id}')],
  redirectUris: [{ uri: 'https://itsm.example.com/pandoraitsm/setup/setup_mail', platform: 'web' }],
  requested: [perm('IMAP.AccessAsUser.All')],
  consented: [{ ...perm('IMAP.AccessAsUser.All'), path: 'prod/itsm-mail/admin-consent/grant' }],
  hasServicePrincipal: true,
  ...o,
});

const secret = (o: Partial<SecretSubject> = {}): SecretSubject => ({
  kind: 'secret',
  path: 'prod/itsm-mail/client-secret',
  addresses: ['azuread_application_password.a'],
  credential: 'applicationPassword',
  rotating: true,
  lifetimeDays: 180,
  lifetimeFrom: 'lifetimeDays',
  ...o,
});

const scope = (o: Partial<ExposedScopeSubject> = {}): ExposedScopeSubject => ({
  kind: 'exposedScope',
  path: 'prod/itsm-mail/exposed-api/scope',
  address: 'azuread_application_permission_scope.s',
  value: 'access_as_user',
  consentType: 'Admin',
  ...o,
});

/** A policy subject from the flat fields a test changes, as the inspection would hold them. */
const policy = (o: Partial<FlatPolicy> = {}): ConditionalAccessSubject => {
  const p = inspectedPolicy(o);
  return { kind: 'conditionalAccess', path: p.owner, address: p.address, policy: p };
};

const group = (o: Partial<PolicyGroupSubject> = {}): PolicyGroupSubject => ({
  kind: 'policyGroup',
  path: 'prod/mfa-group',
  address: 'azuread_group.mfa-group',
  displayName: 'MFA-Test-Group',
  securityEnabled: true,
  mailEnabled: false,
  usedBy: ['MFA Pilot'],
  ...o,
});

const mail = (o: Partial<MailAccessProps> & { tenantWideMailPermissions?: string[] } = {}): MailAccessSubject => {
  const { tenantWideMailPermissions = [], ...props } = o;
  return {
    kind: 'mailAccess',
    path: 'prod/itsm-mail',
    mail: normalizeMailAccess(
      { flow: 'app-only', protocols: ['imap'], mailboxes: ['helpdesk@example.com'], mailboxAccess: 'rbac', ...props },
      { protocols: ['imap', 'smtp'] },
    ),
    tenantWideMailPermissions,
  };
};

/** For each rule: subjects that trigger it (with the expected detail) and subjects that pass. */
const CASES: Record<string, { trigger: [GuardrailSubject, RegExp][]; pass: GuardrailSubject[] }> = {
  'ITSM-SEC-001': {
    trigger: [
      [secret({ lifetimeDays: 731, rotating: false, lifetimeFrom: 'end_date_relative 17544h' }), /client secret valid 731 days \(end_date_relative 17544h\)/],
    ],
    pass: [secret({ lifetimeDays: 730 }), secret({ lifetimeDays: undefined, lifetimeFrom: 'end_date, counted from the apply' })],
  },
  'ITSM-SEC-002': {
    trigger: [
      [secret({ lifetimeDays: 181 }), /valid 181 days/],
      [secret({ lifetimeDays: 730, rotating: false, lifetimeFrom: 'no end date: Entra ID makes it valid for 2 years' }), /730 days \(no end date/],
    ],
    pass: [secret({ lifetimeDays: 180 }), secret({ lifetimeDays: 731 }), secret({ lifetimeDays: undefined })],
  },
  'ITSM-SEC-003': {
    trigger: [
      [secret(), /^rotating client secret \(two slots\)$/],
      [secret({ credential: 'servicePrincipalPassword', rotating: false }), /^service principal password$/],
      // Pandora ITSM's code is not public: whether it takes a certificate is not established.
      [secret({ itsmTool: { id: 'pandora-itsm', displayName: 'Pandora ITSM', certificate: 'unknown' } }), /^rotating client secret \(two slots\)$/],
    ],
    // A tool whose code sends only a client secret: a certificate would not work there.
    pass: [app(), scope(), secret({ itsmTool: { id: 'glpi', displayName: 'GLPI', certificate: 'unsupported' } })],
  },
  'ITSM-APP-001': {
    trigger: [
      [app({ signInAudience: 'AzureADMultipleOrgs' }), /sign_in_audience is AzureADMultipleOrgs/],
      [
        app({ signInAudience: 'AzureADMultipleOrgs', itsmTool: { id: 'zammad', displayName: 'Zammad', tenantEndpoint: 'tenantField' } }),
        /sign_in_audience is AzureADMultipleOrgs/,
      ],
    ],
    // FreeScout signs in at /common only: ITSM-APP-004 reports it instead.
    pass: [
      app(),
      app({ signInAudience: t('${var.audience}') }),
      app({ signInAudience: 'AzureADMultipleOrgs', itsmTool: { id: 'freescout', displayName: 'FreeScout', tenantEndpoint: 'commonOnly' } }),
    ],
  },
  'ITSM-APP-004': {
    trigger: [
      [
        app({ signInAudience: 'AzureADMultipleOrgs', itsmTool: { id: 'freescout', displayName: 'FreeScout', tenantEndpoint: 'commonOnly' } }),
        /^FreeScout signs in at \/common only; sign_in_audience is AzureADMultipleOrgs$/,
      ],
    ],
    pass: [
      app({ signInAudience: 'AzureADMultipleOrgs' }),
      app({ signInAudience: 'AzureADMultipleOrgs', itsmTool: { id: 'glpi', displayName: 'GLPI', tenantEndpoint: 'tenantField' } }),
    ],
  },
  'ITSM-APP-002': {
    trigger: [[app({ owners: [] }), /no owners/]],
    pass: [app(), app({ owners: [t('${azuread_user.owner.object_id}')] })],
  },
  'ITSM-APP-003': {
    trigger: [
      [app({ redirectUris: [{ uri: 'https://*.example.com/cb', platform: 'web' }] }), /wildcard/],
      [app({ redirectUris: [{ uri: 'http://itsm.example.com/cb', platform: 'web' }] }), /uses http:\/\/ for a host other than localhost/],
    ],
    pass: [
      app({ redirectUris: [{ uri: 'http://localhost:8080/cb', platform: 'publicClient' }] }),
      app({ redirectUris: [{ uri: t('${var.uri}'), platform: 'web' }] }),
    ],
  },
  'ITSM-PERM-001': {
    trigger: [
      [app({ requested: [perm('Mail.Read', 'application')] }), /Microsoft Graph application permission Mail.Read: .* every mailbox/],
      [app({ requested: [perm('Directory.Read.All')] }), /Directory.Read.All: .* whole directory/],
      [app({ requested: [perm('RoleManagement.ReadWrite.Directory', 'application')] }), /Global Administrator/],
      [app({ requested: [perm('Sites.ReadWrite.All', 'application', { justification: '   ' })] }), /Sites.ReadWrite.All/],
      [
        app({ requested: [perm('full_access_as_app', 'application', { resourceAppId: EXO, api: 'ExchangeOnline' })] }),
        /full access to every mailbox through EWS/,
      ],
    ],
    pass: [
      app(),
      app({ requested: [perm('Mail.Read', 'application', { justification: 'The ITSM tool reads the helpdesk mailbox through the Graph API.' })] }),
      app({ requested: [perm('Mail.Read', 'delegated')] }),
    ],
  },
  'ITSM-PERM-002': {
    trigger: [[app({ consented: [] }), /Microsoft Graph delegated permission IMAP.AccessAsUser.All is requested but not consented/]],
    pass: [app(), app({ requested: [perm(undefined, 'delegated', { id: t('${var.id}'), namedBy: 'unknown' })], consented: [] })],
  },
  'ITSM-PERM-003': {
    trigger: [
      [
        app({
          consented: [
            { ...perm('IMAP.AccessAsUser.All'), path: 'p' },
            { ...perm('User.Read.All', 'application'), path: 'prod/extra-grant' },
          ],
        }),
        /Microsoft Graph application permission User.Read.All is consented but not requested by "Pandora ITSM mail"/,
      ],
    ],
    pass: [app(), app({ consented: [] })],
  },
  'ITSM-PERM-004': {
    trigger: [
      [
        app({
          requested: [
            perm(undefined, 'application', {
              resourceAppId: EXO,
              api: 'ExchangeOnline',
              id: t('${data.azuread_service_principal.x.app_role_ids.full_access_as_app}'),
              namedBy: 'unknown',
            }),
          ],
        }),
        /Office 365 Exchange Online application permission resolved at plan time \(ID resolved at plan time\)/,
      ],
      [
        app({ consented: [{ ...perm(undefined, 'application', { id: '11111111-2222-3333-4444-555555555555', namedBy: 'unknown' }), path: 'prod/raw-grant' }] }),
        /ID not in the catalogue/,
      ],
    ],
    pass: [app()],
  },
  'ITSM-SCOPE-001': {
    trigger: [[scope({ consentType: 'User' }), /scope "access_as_user" has consent type User/]],
    pass: [scope(), scope({ consentType: t('${var.t}') })],
  },
  'ITSM-CA-001': {
    trigger: [
      [policy({ excludedUsers: [] }), /policy "MFA Pilot" is enforced and excludes no user or group/],
      [policy({ excludedUsers: ['00000000-0000-0000-0000-00000000b001'] }), /excludes only placeholder IDs \(00000000-0000-0000-0000-00000000b001\)/],
      [policy({ excludedUsers: ['GuestsOrExternalUsers'] }), /excludes no user or group/],
    ],
    pass: [
      policy(),
      policy({ excludedUsers: [], excludedGroups: ['${azuread_group.break-glass.object_id}'] }),
      policy({ excludedUsers: [], state: 'enabledForReportingButNotEnforced' }),
      policy({ excludedUsers: [], state: 'disabled' }),
    ],
  },
  'ITSM-CA-002': {
    trigger: [
      [
        policy({ excludedRoles: ['62e90394-69f5-4237-9190-012177145e10'] }),
        /excludes 1 directory role\(s\): Global Administrator \(62e90394-69f5-4237-9190-012177145e10\)/,
      ],
      // Beside the sync accounts, another role is still reported, and only that one.
      [
        policy({ excludedRoles: ['d29b2b05-8046-44ba-8758-1e26182fcf32', '29232cdf-9323-42fd-ade2-1d097af3e4de'] }),
        /excludes 1 directory role\(s\): Exchange Administrator \(29232cdf-9323-42fd-ade2-1d097af3e4de\)$/,
      ],
    ],
    // Microsoft's compliant-device and MFA-for-all-users templates exclude the Directory Synchronization Accounts role.
    pass: [
      policy(),
      policy({ includedUsers: ['All'], includedGroups: [], excludedRoles: ['d29b2b05-8046-44ba-8758-1e26182fcf32'] }),
      policy({ excludedRoles: ['D29B2B05-8046-44BA-8758-1E26182FCF32'] }),
    ],
  },
  'ITSM-CA-003': {
    trigger: [
      [
        policy({ builtInControls: ['block'], includedApplications: ['All'] }),
        /blocks access to All resources under every condition, for members of the included groups, who may include the administrators/,
      ],
      [policy({ builtInControls: ['block'], includedApplications: ['All'], includedUsers: ['All'], includedGroups: [] }), /for all users, who may include/],
      [
        policy({ builtInControls: ['block'], includedApplications: ['All'], includedGroups: [], includedRoles: ['62e90394-69f5-4237-9190-012177145e10'] }),
        /for holders of Global Administrator \(62e90394-69f5-4237-9190-012177145e10\)/,
      ],
      // Guests beside members: the members may be the administrators.
      [
        policy({
          builtInControls: ['block'],
          includedApplications: ['All'],
          includedUsers: ['GuestsOrExternalUsers', '2b9c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d'],
          includedGroups: [],
        }),
        /for listed users/,
      ],
      // Leaving out only the Azure management API keeps the Entra admin center blocked.
      [
        policy({ builtInControls: ['block'], includedApplications: ['All'], excludedApplications: ['797f4846-ba00-4fd7-ba43-dac1f8f63013'] }),
        /blocks access to All resources/,
      ],
    ],
    pass: [
      policy({ builtInControls: ['block'] }),
      policy({ includedApplications: ['All'] }),
      // Blocking legacy clients only (Microsoft's "Block legacy authentication") leaves admins their way in.
      policy({ builtInControls: ['block'], includedApplications: ['All'], clientAppTypes: ['exchangeActiveSync', 'other'] }),
      // Guests and external users only: the tenant's members, administrators among them, keep access.
      policy({ builtInControls: ['block'], includedApplications: ['All'], includedUsers: ['GuestsOrExternalUsers'], includedGroups: [] }),
      // The Microsoft Admin Portals left out: the administrators keep the portals to undo the policy.
      policy({
        builtInControls: ['block'],
        includedApplications: ['All'],
        includedUsers: ['All'],
        includedGroups: [],
        excludedApplications: ['MicrosoftAdminPortals'],
      }),
    ],
  },
  'ITSM-CA-004': {
    trigger: [[policy({ builtInControls: ['mfa', 'approvedApplication'] }), /approvedApplication/]],
    pass: [policy({ builtInControls: ['mfa', 'compliantApplication'] })],
  },
  'ITSM-CA-005': {
    trigger: [
      [
        policy({ authenticationStrengthPolicyId: '/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004' }),
        /requires mfa and the authentication strength \/policies\/authenticationStrengthPolicies\/00000000-0000-0000-0000-000000000004/,
      ],
    ],
    pass: [policy(), policy({ builtInControls: [], authenticationStrengthPolicyId: '/policies/authenticationStrengthPolicies/x' })],
  },
  'ITSM-CA-006': {
    trigger: [
      [policy({ includedGroups: [], includedUsers: ['None'] }), /includes no users, groups, roles or service principals/],
      [policy({ includedApplications: [] }), /includes no resources/],
    ],
    pass: [
      policy(),
      policy({ includedGroups: [], includedUsers: ['All'] }),
      policy({ includedGroups: [], includedRoles: ['62e90394-69f5-4237-9190-012177145e10'] }),
    ],
  },
  'ITSM-CA-007': {
    trigger: [[policy({ state: 'enabledForReportingButNotEnforced' }), /policy "MFA Pilot" is report-only/]],
    pass: [policy(), policy({ state: 'disabled' })],
  },
  'ITSM-CA-008': {
    trigger: [
      [
        { ...policy(), policy: { ...policy().policy, formerSettingNames: [{ from: 'applications', to: 'includeApplications' }] } } as ConditionalAccessSubject,
        /policy "MFA Pilot" sets applications, the former name of includeApplications: rename it to includeApplications/,
      ],
    ],
    pass: [policy()],
  },
  'ITSM-GRP-001': {
    trigger: [
      [group({ securityEnabled: false, mailEnabled: true }), /group "MFA-Test-Group" used by "MFA Pilot" is not security-enabled/],
      [group({ securityEnabled: undefined }), /not security-enabled/],
    ],
    pass: [group()],
  },
  'ITSM-EXO-001': {
    trigger: [
      [mail({ mailboxes: [] }), /app-only mail access with no mailboxes listed/],
      [mail({ flow: 'delegated', tenantWideMailPermissions: ['Microsoft Graph Mail.Read'] }), /Microsoft Graph Mail.Read reach every mailbox/],
    ],
    pass: [mail(), mail({ flow: 'delegated', mailboxes: [] })],
  },
  'ITSM-EXO-002': {
    trigger: [[mail({ protocols: ['imap', 'smtp'] }), /SMTP AUTH is enabled for helpdesk@example.com/]],
    pass: [mail()],
  },
};

describe('guardrail rule pack', () => {
  it('has a triggering and a passing case for every rule, and no case for a rule it lacks', () => {
    expect(Object.keys(CASES).sort()).toEqual([...SUPPRESSIBLE_RULE_IDS].sort());
    for (const c of Object.values(CASES)) {
      expect(c.trigger.length).toBeGreaterThan(0);
      expect(c.pass.length).toBeGreaterThan(0);
    }
  });

  it('gives every rule a stable ID, a severity, a title, an explanation, a source and a fix', () => {
    for (const r of GUARDRAIL_RULES) {
      expect(r.id).toMatch(/^ITSM-(SEC|APP|PERM|SCOPE|CA|GRP|EXO)-\d{3}$/);
      expect(['error', 'warning', 'info']).toContain(r.severity);
      for (const text of [r.title, r.explanation, r.source, r.fix]) expect(text.length).toBeGreaterThan(10);
    }
    expect(new Set(GUARDRAIL_RULES.map((r) => r.id)).size).toBe(GUARDRAIL_RULES.length);
  });

  describe.each(GUARDRAIL_RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    it.each(CASES[id].trigger.map(([s, re], i) => [i, s, re] as const))('triggers on case %i', (_i, subject, detail) => {
      const hits = applyRule(rule, subject);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.map((h) => h.detail).join('\n')).toMatch(detail);
    });

    it.each(CASES[id].pass.map((s, i) => [i, s] as const))('passes on case %i', (_i, subject) => {
      expect(applyRule(rule, subject)).toEqual([]);
    });
  });

  it('is documented: docs/guardrails.md has a row per rule with its severity, title and source', () => {
    const doc = readFileSync(join(__dirname, '..', 'docs', 'guardrails.md'), 'utf8');
    for (const r of [...GUARDRAIL_RULES, UNMATCHED_SUPPRESSION]) {
      expect(doc).toContain(`| ${r.id} | ${r.severity} | ${r.title} | ${r.source} | ${r.fix} |`);
    }
  });

  it('reports a consent without request at the consent resource, not the application', () => {
    const [f] = evaluateGuardrails([
      app({
        consented: [
          { ...perm('IMAP.AccessAsUser.All'), path: 'x' },
          { ...perm('User.Read.All', 'application'), path: 'prod/extra' },
        ],
      }),
    ]);
    expect(f).toMatchObject({ ruleId: 'ITSM-PERM-003', severity: 'error', path: 'prod/extra' });
  });
});

describe('high privilege', () => {
  it.each([
    ['Directory.Read.All', 'delegated', GRAPH],
    ['RoleManagement.Read.Directory', 'application', GRAPH],
    ['User.ReadWrite.All', 'delegated', GRAPH],
    ['Mail.Send', 'application', GRAPH],
    ['full_access_as_app', 'application', EXO],
    ['Exchange.ManageAsApp', 'application', EXO],
  ] as const)('counts %s (%s) as high privilege', (name, type, resourceAppId) => {
    expect(highPrivilegeReason({ name, type, api: resourceAppId === GRAPH ? 'MicrosoftGraph' : 'ExchangeOnline' })).toBeDefined();
  });

  it.each([
    ['IMAP.AccessAsUser.All', 'delegated', GRAPH],
    ['Mail.Send', 'delegated', GRAPH],
    ['IMAP.AccessAsApp', 'application', EXO],
    ['User.Read', 'delegated', GRAPH],
  ] as const)('does not count %s (%s)', (name, type, resourceAppId) => {
    expect(highPrivilegeReason({ name, type, api: resourceAppId === GRAPH ? 'MicrosoftGraph' : 'ExchangeOnline' })).toBeUndefined();
  });
});

describe('findings', () => {
  it('explain themselves: detail, why, the fix and the source in one message', () => {
    const [f] = evaluateGuardrails([secret({ lifetimeDays: 400 })]).filter((x) => x.ruleId === 'ITSM-SEC-002');
    expect(f.message).toBe(
      'client secret valid 400 days (lifetimeDays): the longer a secret lives, the longer a leaked copy can be used. ' +
        'Fix: set the lifetime to 180 days or less; the rotating secret renews itself, so a shorter lifetime costs only the paste into the ITSM tool. ' +
        '(CISA SCuBA MS.AAD.5.6 (password lifetime 180 days or less))',
    );
  });

  it('are sorted by path, then rule, whatever the order of subjects', () => {
    const subjects = [mail({ protocols: ['smtp'] }), secret(), policy({ state: 'enabledForReportingButNotEnforced' })];
    const a = evaluateGuardrails(subjects);
    const b = evaluateGuardrails([...subjects].reverse());
    expect(a).toEqual(b);
    expect(a.map((f) => `${f.path} ${f.ruleId}`)).toEqual([
      'prod/itsm-mail ITSM-EXO-002',
      'prod/itsm-mail/client-secret ITSM-SEC-003',
      'prod/mfa-policy ITSM-CA-007',
    ]);
  });
});

describe('suppressions (pure)', () => {
  const reason = 'Pandora ITSM only supports client secrets for OAuth mail.';

  it('suppress the rule at the path and below, with the most specific reason', () => {
    const findings = evaluateGuardrails(
      [secret()],
      [
        { ruleId: 'ITSM-SEC-003', path: 'prod', reason: 'Accepted for the whole environment by the security team.', origin: 'config' },
        { ruleId: 'ITSM-SEC-003', path: 'prod/itsm-mail/client-secret', reason, origin: 'code' },
      ],
    );
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'ITSM-SEC-003', suppressedReason: reason, suppressedBy: 'code' })]);
  });

  it('do not suppress another rule or a sibling path', () => {
    const findings = evaluateGuardrails(
      [secret()],
      [
        { ruleId: 'ITSM-SEC-002', path: 'prod/itsm-mail/client-secret', reason, origin: 'code' },
        { ruleId: 'ITSM-SEC-003', path: 'prod/itsm-mail/client', reason, origin: 'code' },
      ],
    );
    expect(findings[0].suppressedReason).toBeUndefined();
  });

  it('that match no construct are reported as ITSM-GR-001, which cannot be suppressed', () => {
    const findings = evaluateGuardrails([], [{ ruleId: 'ITSM-SEC-003', path: 'prod/itsm-mail/secret', reason, origin: 'config' }], {
      knownPaths: new Set(['prod', 'prod/itsm-mail']),
    });
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'ITSM-GR-001',
        severity: 'warning',
        path: 'prod/itsm-mail/secret',
        detail: 'suppression of ITSM-SEC-003 (config) names "prod/itsm-mail/secret", which is no construct',
      }),
    ]);
    expect(unknownRuleIdProblem('ITSM-GR-001')).toMatch(/cannot be suppressed/);
  });

  it('need a known rule ID, with a suggestion for a typo', () => {
    expect(unknownRuleIdProblem('ITSM-SEC-003')).toBeUndefined();
    expect(unknownRuleIdProblem('ITSM-SEC-03')).toBe(
      'unknown guardrail rule "ITSM-SEC-03" (did you mean "ITSM-SEC-003"?); the rules are listed in docs/guardrails.md',
    );
  });

  it.each(['', 'because', 'accepted risk', 'ok ok ok ok', '  too short, 4 words  '])('refuse the reason %j', (r) => {
    expect(suppressionReasonProblem(r)).toMatch(/must say in a sentence/);
  });

  it('accept a sentence as the reason', () => {
    expect(suppressionReasonProblem(reason)).toBeUndefined();
  });
});
