// The conditional access policy under its Entra ID name and Microsoft Graph's setting names
// (includeApplications, includeUserActions, insiderRiskLevels), with the former names still read:
// the same Terraform, a warning (ITSM-CA-008) that names the new key, never an error.
import { Testing, TerraformStack } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { parseConfigText } from '../lib/config/load-config';
import { checkGuardrails } from '../lib/guardrails/check';
import { ConditionalAccessPolicy, MfaConditionalAccessPolicy, type ConditionalAccessPolicyProps, type MfaPolicyProps } from '../lib/index';
import { runSynth, workdir } from '../test-support/cli';
import { configProblems } from '../test-support/problems';

const FILE = 'test.yaml';
const BREAK_GLASS = '6b1d6a6e-2f0e-4a5c-9a57-0c1f3c0b7a11';

const envPolicy = (...lines: string[]) => ['environments:', '  prod:', '    mfaPolicy:', ...lines.map((l) => `      ${l}`)].join('\n') + '\n';
const tenantPolicy = (...lines: string[]) =>
  [
    'tenants:',
    '  corp:',
    '    conditionalAccessPolicies:',
    '      p:',
    ...lines.map((l) => `        ${l}`),
    'environments:',
    '  prod:',
    '    tenant: corp',
    '    application:',
    '      displayName: ITSM mail',
    '      redirectUris: [https://itsm.example.com/mail/]',
    '      mail: { flow: delegated, protocols: [imap] }',
  ].join('\n') + '\n';

function synth(text: string): { json: Record<string, string>; findings: string[] } {
  const app = Testing.app();
  const stacks = buildStacksFromConfig(app, parseConfigText(text, FILE));
  return {
    json: Object.fromEntries(stacks.map((s) => [s.node.id, Testing.synth(s)])),
    findings: checkGuardrails(app)
      .filter((f) => f.ruleId === 'ITSM-CA-008')
      .map((f) => `${f.path} ${f.detail}`),
  };
}

describe("Graph's setting names", () => {
  const cases: [string, string, string, string][] = [
    ['applications: [All]', 'includeApplications: [All]', 'applications, the former name of includeApplications', 'blockLegacyAuthentication'],
    [
      'userActions: [registerOrJoinDevices]',
      'includeUserActions: [registerOrJoinDevices]',
      'userActions, the former name of includeUserActions',
      'requireMfaForSecurityInfoRegistration',
    ],
    ['insiderRiskLevel: elevated', 'insiderRiskLevels: elevated', 'insiderRiskLevel, the former name of insiderRiskLevels', 'blockLegacyAuthentication'],
  ];

  it.each(cases)('an environment policy with the former %s synthesizes what %s does, with a warning', (former, current, words) => {
    const old = synth(envPolicy(former, 'includeUsers: [All]'));
    const now = synth(envPolicy(current, 'includeUsers: [All]'));
    expect(old.json).toEqual(now.json);
    expect(now.findings).toEqual([]);
    expect(old.findings).toEqual([expect.stringContaining(`policy "MFA Pilot" sets ${words}: rename it to`)]);
  });

  it.each(cases)('a tenant policy (over a preset) with the former %s synthesizes what %s does, with a warning', (former, current, words, preset) => {
    const old = synth(tenantPolicy(`preset: ${preset}`, former));
    const now = synth(tenantPolicy(`preset: ${preset}`, current));
    expect(old.json).toEqual(now.json);
    const conditions = JSON.parse(old.json['tenant-corp']).resource.azuread_conditional_access_policy['policy-p'].conditions;
    if (current.startsWith('includeUserActions')) expect(conditions.applications).toEqual({ included_user_actions: ['urn:user:registerdevice'] });
    else if (current.startsWith('insider')) expect(conditions.insider_risk_levels).toBe('elevated');
    else expect(conditions.applications).toEqual({ included_applications: ['All'] });
    expect(now.findings).toEqual([]);
    expect(old.findings).toEqual([expect.stringMatching(new RegExp(`^tenant-corp/policy-p policy "[^"]+" sets ${words}`))]);
  });

  it('reports a problem of a value under its former name where it was written', () => {
    expect(configProblems(envPolicy('applications: [Office 365]'), FILE)).toEqual([
      `${FILE}: environments.prod.mfaPolicy.applications[0]: "Office 365" is a display name; Graph accepts only client (application) IDs and keywords here: use the keyword Office365 (line 4)`,
    ]);
    expect(configProblems(tenantPolicy('userActions: [registerSecurityInformation]', 'excludeApplications: [Office365]'), FILE)).toEqual([
      expect.stringContaining('tenants.corp.conditionalAccessPolicies.p.excludeApplications: cannot be set together with includeUserActions'),
    ]);
  });

  it('refuses a setting given under both names, naming the one to remove', () => {
    expect(configProblems(envPolicy('applications: [All]', 'includeApplications: [Office365]'), FILE)).toEqual([
      `${FILE}: environments.prod.mfaPolicy.applications: is the former name of includeApplications, which is set too: remove applications (line 4)`,
    ]);
    expect(configProblems(tenantPolicy('insiderRiskLevel: minor', 'insiderRiskLevels: minor'), FILE)).toEqual([
      expect.stringContaining(
        'tenants.corp.conditionalAccessPolicies.p.insiderRiskLevel: is the former name of insiderRiskLevels, which is set too: remove insiderRiskLevel',
      ),
    ]);
  });

  it('prints the warning on the command line and still writes the stacks (exit 0)', () => {
    const dir = workdir({ 'c.yaml': envPolicy('applications: [MicrosoftAzureManagement]') });
    const r = runSynth(dir, ['--config', 'c.yaml']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /ITSM-CA-008 warning: policy "MFA Pilot" sets applications, the former name of includeApplications: rename it to includeApplications/,
    );
  });
});

describe('the construct under its Entra ID name', () => {
  const synthWith = (make: (s: TerraformStack) => void) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'prod');
    make(stack);
    return Testing.synth(stack);
  };

  it('MfaConditionalAccessPolicy and MfaPolicyProps still work, as deprecated aliases of the same class and props', () => {
    const props: MfaPolicyProps = { excludeUsers: [BREAK_GLASS], applications: ['Office365'] };
    const current: ConditionalAccessPolicyProps = { excludeUsers: [BREAK_GLASS], includeApplications: ['Office365'] };
    expect(MfaConditionalAccessPolicy).toBe(ConditionalAccessPolicy);
    expect(synthWith((s) => new MfaConditionalAccessPolicy(s, 'mfa-policy', props))).toBe(
      synthWith((s) => new ConditionalAccessPolicy(s, 'mfa-policy', current)),
    );
  });

  it('keeps the Terraform address: the construct ID, not the class, names the resource', () => {
    const json = JSON.parse(synthWith((s) => new ConditionalAccessPolicy(s, 'mfa-policy', { excludeUsers: [BREAK_GLASS] })));
    expect(Object.keys(json.resource.azuread_conditional_access_policy)).toEqual(['mfa-policy']);
  });
});
