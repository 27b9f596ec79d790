// A tenant's conditional access on its own: a config of only tenants is accepted and synthesized,
// a tenant takes guardrail suppressions with written reasons as an environment does, and the
// conditional access guardrails follow Microsoft's templates (ITSM-CA-002, ITSM-CA-003).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { parseConfigText } from '../lib/config/load-config';
import { checkGuardrails } from '../lib/guardrails/check';
import { runSynth, workdir } from '../test-support/cli';
import { configProblems } from '../test-support/problems';

const FILE = 't.yaml';
const BREAK_GLASS = '6b1d6a6e-2f0e-4a5c-9a57-0c1f3c0b7a11';
const SYNC_ROLE = 'd29b2b05-8046-44ba-8758-1e26182fcf32';
const GUEST_TYPES = '[b2bCollaborationGuest, b2bCollaborationMember, b2bDirectConnectUser, otherExternalUser, serviceProvider]';

/** A file of one tenant, `corp`, with these policy lines (indented below conditionalAccessPolicies) and extra tenant lines. */
const tenantOnly = (policies: string[], extra: string[] = []) =>
  ['tenants:', '  corp:', '    conditionalAccessPolicies:', ...policies.map((l) => `      ${l}`), ...extra.map((l) => `    ${l}`)].join('\n') + '\n';

/** The guardrail findings of a config, as `rule severity path (suppressed)`. */
function findings(text: string): string[] {
  const app = Testing.app();
  buildStacksFromConfig(app, parseConfigText(text, FILE));
  return checkGuardrails(app).map((f) => `${f.ruleId} ${f.severity} ${f.path}${f.suppressedReason !== undefined ? ' (suppressed)' : ''}`);
}

// Microsoft Learn, "Require device compliance with Conditional Access" (policy-all-users-device-compliance):
// all users, excluding break-glass accounts and the Directory Synchronization Accounts role, all resources, compliant device.
const COMPLIANT_DEVICE = [
  'compliant-device:',
  '  displayName: Require compliant device',
  '  includeUsers: [All]',
  `  excludeUsers: [${BREAK_GLASS}]`,
  `  excludeRoles: [${SYNC_ROLE}]`,
  '  includeApplications: [All]',
  '  grant: { mfa: false, additionalControls: [compliantDevice] }',
];
// A block of every resource for guests and external users only (members, administrators among them, keep access).
const BLOCK_GUESTS = [
  'block-guests:',
  '  displayName: Block guest access',
  `  includeGuestsOrExternalUsers: { types: ${GUEST_TYPES} }`,
  '  includeApplications: [All]',
  '  grant: { block: true }',
];
const BLOCK_ALL = [
  'block-all:',
  '  displayName: Block everything',
  '  includeUsers: [All]',
  `  excludeUsers: [${BREAK_GLASS}]`,
  '  includeApplications: [All]',
  '  grant: { block: true }',
];

describe('a config of only tenants', () => {
  it('is accepted: the config holds the tenant and no environment', () => {
    const config = parseConfigText(tenantOnly(COMPLIANT_DEVICE), FILE);
    expect(config.environments).toEqual({});
    expect(Object.keys(config.tenants ?? {})).toEqual(['corp']);
  });

  it('synthesizes the tenant stack alone on the command line (exit 0)', () => {
    const dir = workdir({ 'c.yaml': tenantOnly(COMPLIANT_DEVICE) });
    const r = runSynth(dir, ['--config', 'c.yaml']);
    expect(r.status).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('synthesized 1 stack(s) into cdktf.out/stacks: tenant-corp');
    expect(readdirSync(join(dir, 'cdktf.out', 'stacks'))).toEqual(['tenant-corp']);
  });

  it('is refused when it declares neither environments nor tenants, saying both are possible', () => {
    expect(configProblems('$schema: x.json\n', FILE)).toEqual([
      `${FILE}: environments: is required unless the file declares tenants: add an environment (e.g. "prod:" with an application section), or a tenant's conditional access under tenants (line 1)`,
    ]);
    expect(configProblems('tenants: {}\n', FILE)).toEqual([expect.stringContaining('environments: is required unless the file declares tenants')]);
  });
});

describe('a key named "constructor"', () => {
  // zod 4's record check read such a key as the mapping's class and threw (found by the fuzz test).
  it.each([
    ['a policy key', tenantOnly(['constructor: null']), 'tenants.corp.conditionalAccessPolicies.constructor'],
    ['an environment name', 'environments:\n  constructor: null\n', 'environments.constructor'],
  ])('as %s is refused with its path, not a crash', (_what, text, path) => {
    expect(configProblems(text, FILE)).toEqual([
      expect.stringMatching(new RegExp(`^t\\.yaml: ${path.replace(/\./g, '\\.')}: "constructor" cannot be a key: JavaScript objects reserve the name`)),
    ]);
  });
});

describe("a tenant's guardrail suppressions", () => {
  const suppress = (rule: string, resource: string, reason = 'The block stays report-only while the migration runs and is reviewed weekly.') => [
    'guardrails:',
    '  suppressions:',
    `    - { rule: ${rule}, resource: ${resource}, reason: "${reason}" }`,
  ];

  it('accept a finding on a policy of the tenant, with its reason, and synthesis goes on', () => {
    expect(findings(tenantOnly(BLOCK_ALL, suppress('ITSM-CA-003', 'policy-block-all')))).toContain(
      'ITSM-CA-003 error tenant-corp/policy-block-all (suppressed)',
    );
    const dir = workdir({ 'c.yaml': tenantOnly(BLOCK_ALL, suppress('ITSM-CA-003', 'policy-block-all')) });
    const r = runSynth(dir, ['--config', 'c.yaml']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /^c\.yaml:\d+:\d+: note: tenants\.corp\.conditionalAccessPolicies\.block-all\.grant\.block: ITSM-CA-003 error suppressed \[policy-block-all\]: The block stays report-only while the migration runs and is reviewed weekly\.$/m,
    );
  });

  it('without one, the same finding stops synthesis and nothing is written', () => {
    const dir = workdir({ 'c.yaml': tenantOnly(BLOCK_ALL) });
    const r = runSynth(dir, ['--config', 'c.yaml']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(
      /^c\.yaml:\d+:\d+: error: tenants\.corp\.conditionalAccessPolicies\.block-all\.grant\.block: ITSM-CA-003 error: policy "Block everything" blocks access to All resources under every condition, for all users/,
    );
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  it('must name a construct of the tenant, with the ones it has', () => {
    expect(configProblems(tenantOnly(BLOCK_ALL, suppress('ITSM-CA-003', 'policy-blok-all')), FILE)).toEqual([
      expect.stringContaining(
        'tenants.corp.guardrails.suppressions[0].resource: "policy-blok-all" names no construct of this tenant (did you mean "policy-block-all"?); paths start with "policy-block-all", as printed in brackets after each finding',
      ),
    ]);
    expect(configProblems(tenantOnly(BLOCK_ALL, suppress('ITSM-CA-003', 'tenant-corp/policy-block-all')), FILE)).toEqual([
      expect.stringContaining('"tenant-corp/policy-block-all" starts with the tenant\'s stack name; paths are below the stack: write "policy-block-all"'),
    ]);
  });

  it('need a written reason and a known rule', () => {
    expect(configProblems(tenantOnly(BLOCK_ALL, suppress('ITSM-CA-003', 'policy-block-all', 'ok')), FILE)).toEqual([
      expect.stringContaining('tenants.corp.guardrails.suppressions[0].reason:'),
    ]);
    expect(configProblems(tenantOnly(BLOCK_ALL, suppress('ITSM-CA-03', 'policy-block-all')), FILE)).toEqual([
      expect.stringContaining('tenants.corp.guardrails.suppressions[0].rule:'),
    ]);
  });
});

describe("the conditional access guardrails follow Microsoft's templates", () => {
  it("ITSM-CA-002 does not warn on the compliant-device template's exclusion of the Directory Synchronization Accounts role", () => {
    expect(findings(tenantOnly(COMPLIANT_DEVICE)).filter((f) => f.startsWith('ITSM-CA-002'))).toEqual([]);
    const other = COMPLIANT_DEVICE.map((l) => (l.includes('excludeRoles') ? `  excludeRoles: [${SYNC_ROLE}, 62e90394-69f5-4237-9190-012177145e10]` : l));
    expect(findings(tenantOnly(other)).filter((f) => f.startsWith('ITSM-CA-002'))).toEqual(['ITSM-CA-002 warning tenant-corp/policy-compliant-device']);
  });

  it('ITSM-CA-003 does not refuse a block of All resources for guests and external users only', () => {
    expect(findings(tenantOnly(BLOCK_GUESTS)).filter((f) => f.startsWith('ITSM-CA-003'))).toEqual([]);
  });

  it('ITSM-CA-003 does not refuse a block of All resources that leaves the Microsoft Admin Portals out', () => {
    expect(findings(tenantOnly([...BLOCK_ALL, '  excludeApplications: [MicrosoftAdminPortals]'])).filter((f) => f.startsWith('ITSM-CA-003'))).toEqual([]);
  });

  it('ITSM-CA-003 still refuses a block of All resources for all users', () => {
    expect(findings(tenantOnly(BLOCK_ALL)).filter((f) => f.startsWith('ITSM-CA-003'))).toEqual(['ITSM-CA-003 error tenant-corp/policy-block-all']);
  });
});
