// `review --plan P` without a config runs the guardrails on what the plan leaves, as synthesis
// does: an unsuppressed error fails (exit 4) unless --fail-on never, and a suppressions file
// (--suppressions) accepts findings on plan addresses, each with a written reason, read by the
// config's YAML reader and checked by the same rules. Through the compiled command line, on real
// plans of the corpus.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../lib/cli/exit-codes';
import { PROD_APPLICATION_LINES, ROOT, workdir } from '../test-support/cli';
import { validReport, validSarif } from '../test-support/report-schemas';

const BIN = join(ROOT, 'dist', 'cli.js');
const CORPUS = join(__dirname, 'fixtures', 'plans', 'corpus');
// Two unsuppressed ITSM-PERM-001 errors on azuread_application.hr_sync and an ITSM-SEC-003 warning
// on its password; nothing on the Attention list.
const HR_SYNC = join(CORPUS, 'hr-sync-daemon/3-drop-group-read/app-remove-permission.update.json');
// Dangerous changes on the Attention list and ITSM-PERM-001 errors on azuread_application.gha.
const GITHUB_DEPLOY = join(CORPUS, 'github-deploy-identity/1-initial/github-deploy-identity.create.json');

function run(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, 'review', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ACCEPT_HR_SYNC = [
  'suppressions:',
  '  - rule: ITSM-PERM-001',
  '    resource: azuread_application.hr_sync',
  '    reason: The HR sync writes users and their role assignments; approved by the identity team.',
  '  - rule: ITSM-SEC-003',
  '    resource: azuread_application_password.hr_sync',
  '    reason: The HR product accepts only a client secret; it is rotated every 90 days.',
  '',
].join('\n');

describe('the guardrails gate a plan reviewed without a config', () => {
  it('exits 4 on an unsuppressed guardrail error, after writing the review, and says which rules and how to accept them', () => {
    const dir = workdir();
    const r = run(dir, ['--plan', HR_SYNC, '--out', 'out']);
    expect(r.status).toBe(ExitCode.guardrail);
    expect(existsSync(join(dir, 'out', 'app-remove-permission.update.md'))).toBe(true);
    expect(r.stderr).toContain('2 guardrail error(s) on the plan (ITSM-PERM-001): exit 4');
    expect(r.stderr).toContain('--suppressions file');
    expect(r.stdout).toContain(
      '**Guardrails on the plan:** 2 errors (the review exits 4 until they are fixed or suppressed), 1 warning, 0 notes, 0 suppressed.',
    );
  });

  it('only reports them with --fail-on never', () => {
    const r = run(workdir(), ['--plan', HR_SYNC, '--out', 'out', '--fail-on', 'never']);
    expect(r.status).toBe(ExitCode.ok);
    expect(r.stderr).not.toContain('guardrail error');
  });

  it('puts the guardrail gate before the review gate, and the review gate back once the errors are accepted', () => {
    expect(run(workdir(), ['--plan', GITHUB_DEPLOY, '--out', 'out']).status).toBe(ExitCode.guardrail);
    const dir = workdir({
      's.yaml': [
        'suppressions:',
        '  - rule: ITSM-PERM-001',
        '    resource: azuread_application.gha',
        '    reason: The deploy identity manages app registrations for the platform team, by design.',
        '',
      ].join('\n'),
    });
    const r = run(dir, ['--plan', GITHUB_DEPLOY, '--out', 'out', '--suppressions', 's.yaml']);
    expect(r.stderr).not.toContain('guardrail error');
    expect(r.status).toBe(ExitCode.reviewGate);
  });
});

describe('--suppressions FILE', () => {
  it('accepts findings on plan addresses: shown with their reason and the file, not counted, exit 0', () => {
    const dir = workdir({ 'accept.yaml': ACCEPT_HR_SYNC });
    const r = run(dir, ['--plan', HR_SYNC, '--out', 'out', '--suppressions', 'accept.yaml']);
    expect(r.status).toBe(ExitCode.ok);
    const md = readFileSync(join(dir, 'out', 'app-remove-permission.update.md'), 'utf8');
    expect(md).toContain('**Guardrails on the plan:** 0 errors, 0 warnings, 0 notes, 3 suppressed.');
    expect(md).toContain('#### Suppressed, with the reason given');
    expect(md).toMatch(
      /\| ITSM-PERM-001 High-privilege permission without a justification \(error\) \| `azuread_application\.hr_sync` \| Microsoft Graph application permission RoleManagement\.ReadWrite\.Directory: .* \| The HR sync writes users and their role assignments; approved by the identity team\. \(accept\.yaml\) \|/,
    );
    expect(md).toMatch(/\| ITSM-SEC-003 .* \(warning\) \| `azuread_application_password\.hr_sync` \| .* rotated every 90 days\. \(accept\.yaml\) \|/);
  });

  it('is carried into --format json and sarif: suppressed with the reason, not blocking', () => {
    const dir = workdir({ 'accept.yaml': ACCEPT_HR_SYNC });
    const json = validReport(run(dir, ['--plan', HR_SYNC, '--suppressions', 'accept.yaml', '--format', 'json']).stdout);
    expect(json.exitCode).toBe(ExitCode.ok);
    const findings = json.reviews[0].findings as Record<string, any>[];
    expect(findings.filter((f) => f.ruleId === 'ITSM-PERM-001')).toHaveLength(2);
    for (const f of findings) {
      expect(f.blocking).toBe(false);
      expect(f.suppressed.reason).toMatch(/^The HR (sync|product)/);
    }
    const sarif = validSarif(run(dir, ['--plan', HR_SYNC, '--suppressions', 'accept.yaml', '--format', 'sarif']).stdout);
    const results = sarif.runs[0].results as Record<string, any>[];
    const perm = results.filter((x) => x.ruleId === 'ITSM-PERM-001');
    expect(perm).toHaveLength(2);
    for (const x of perm) expect(x.suppressions[0].justification).toContain('approved by the identity team');
  });

  it('reports a suppression that names no resource of the plan (ITSM-GR-001) or suppresses nothing (ITSM-GR-002)', () => {
    const dir = workdir({
      's.yaml': [
        ACCEPT_HR_SYNC.trimEnd(),
        '  - rule: ITSM-SEC-003',
        '    resource: azuread_application.not_in_this_plan',
        '    reason: Written for another workspace, whose plan this is not.',
        '  - rule: ITSM-CA-001',
        '    resource: azuread_app_role_assignment.graph["User.ReadWrite.All"]',
        '    reason: An instance address with its key, where this rule finds nothing at all.',
        '',
      ].join('\n'),
    });
    const r = run(dir, ['--plan', HR_SYNC, '--out', 'out', '--suppressions', 's.yaml']);
    expect(r.status).toBe(ExitCode.ok);
    expect(r.stdout).toMatch(
      /\| warning \| ITSM-GR-001 Suppression that matches nothing \| `azuread_application\.not_in_this_plan` \| suppression of ITSM-SEC-003 \(config\) names "azuread_application\.not_in_this_plan", which is no resource address of the plan \|/,
    );
    expect(r.stdout).toMatch(
      /\| warning \| ITSM-GR-002 Suppression that suppresses nothing \| `azuread_app_role_assignment\.graph\["User\.ReadWrite\.All"\]` \|/,
    );
  });

  it('takes JSON as well as YAML', () => {
    const dir = workdir({
      's.json': JSON.stringify({
        suppressions: [{ rule: 'ITSM-PERM-001', resource: 'azuread_application.hr_sync', reason: 'Approved by the identity team for the HR sync.' }],
      }),
    });
    expect(run(dir, ['--plan', HR_SYNC, '--out', 'out', '--suppressions', 's.json']).status).toBe(ExitCode.ok);
  });

  it('refuses a bad file (exit 3) with every problem at its line and column, writing no review', () => {
    const dir = workdir({
      'bad.yaml': [
        'suppressions:', //                                           1
        '  - rule: ITSM-PERM-01', //                                  2
        '    resource: itsm-mail/application', //                     3
        '    reason: ok', //                                          4
        '  - rule: ITSM-SEC-003', //                                  5
        '    resourc: azuread_application_password.hr_sync', //       6
        '    reason: A typo in the key name is said with a hint.', // 7
        '  - rule: ITSM-SEC-003', //                                  8
        '    resource: azuread_application.hr_sync; rm -rf x', //     9
        '    reason: An address that is not an address at all here.', // 10
        '',
      ].join('\n'),
    });
    const r = run(dir, ['--plan', HR_SYNC, '--out', 'out', '--suppressions', 'bad.yaml']);
    expect(r.status).toBe(ExitCode.input);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^bad\.yaml:2:5: error: suppressions\[0\]\.rule: "ITSM-PERM-01" is not allowed; .* \(did you mean "ITSM-PERM-001"\?\)$/);
    expect(lines[1]).toMatch(/^bad\.yaml:3:5: error: suppressions\[0\]\.resource: must be a plan address, not a construct path/);
    expect(lines[2]).toMatch(/^bad\.yaml:4:5: error: suppressions\[0\]\.reason: must say in a sentence/);
    expect(lines[3]).toMatch(/^bad\.yaml:5:5: error: suppressions\[1\]\.resource: is required/);
    expect(lines[4]).toMatch(/^bad\.yaml:6:5: error: suppressions\[1\]\.resourc: unknown key "resourc" \(did you mean "resource"\?\)/);
    expect(lines[5]).toMatch(/^bad\.yaml:9:5: error: suppressions\[2\]\.resource: must be a resource address of the plan/);
    expect(lines[6]).toBe('bad.yaml: 6 problem(s); no review was written.');
    expect(lines).toHaveLength(7);
  });

  it.each([
    ['an escape sequence', '\\e[2J'],
    ['a right-to-left override', '\\u202e'],
    ['a zero-width space', '\\u200b'],
  ])('refuses a reason with %s (it would reach the terminal, the review and code scanning), and so does a config', (_what, escaped) => {
    const reason = `"Approved by the identity team ${escaped} for the HR sync."`;
    const file = `suppressions:\n  - rule: ITSM-PERM-001\n    resource: azuread_application.hr_sync\n    reason: ${reason}\n`;
    const dir = workdir({
      's.yaml': file,
      'c.yaml': [
        ...PROD_APPLICATION_LINES,
        '    guardrails:',
        '      suppressions:',
        '        - rule: ITSM-SEC-003',
        '          resource: itsm-mail/client-secret',
        `          reason: ${reason}`,
        '',
      ].join('\n'),
    });
    const r = run(dir, ['--plan', HR_SYNC, '--out', 'out', '--suppressions', 's.yaml']);
    expect(r.status).toBe(ExitCode.input);
    expect(r.stderr).toMatch(/^s\.yaml:4:5: error: suppressions\[0\]\.reason: must be one line of printable text/m);
    expect(r.stderr).not.toMatch(/[\u001b\u202e\u200b]/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const synth = spawnSync(process.execPath, [BIN, 'synth', '-c', 'c.yaml'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    expect(synth.status).toBe(ExitCode.input);
    expect(synth.stderr).toMatch(/^c\.yaml:11:11: error: environments\.prod\.guardrails\.suppressions\[0\]\.reason: must be one line of printable text/m);
  });

  it('refuses a credential in a reason without repeating it', () => {
    const secret = ['Server=tcp:db.example.invalid;', 'Password=', 'not', '-a-', 'real', '-one;'].join('');
    const dir = workdir({
      's.yaml': `suppressions:\n  - rule: ITSM-PERM-001\n    resource: azuread_application.hr_sync\n    reason: "${secret}"\n`,
    });
    const r = run(dir, ['--plan', HR_SYNC, '--out', 'out', '--suppressions', 's.yaml']);
    expect(r.status).toBe(ExitCode.input);
    expect(r.stderr).toMatch(/^s\.yaml:4:5: error: suppressions\[0\]\.reason: .*connection string/m);
    expect(r.stderr).not.toContain('not-a-real-one');
  });

  it.each([
    ['empty', '', 'is empty; it must list accepted findings under "suppressions:"'],
    ['a list', '- a\n', '(top level): must be a mapping, got a list'],
    ['two documents', 'suppressions: []\n---\nsuppressions: []\n', 'holds 2 YAML documents'],
  ])('refuses a file that is %s', (_what, text, message) => {
    const r = run(workdir({ 's.yaml': text }), ['--plan', HR_SYNC, '--out', 'out', '--suppressions', 's.yaml']);
    expect(r.status).toBe(ExitCode.input);
    expect(r.stderr).toContain(message);
  });

  it('names a missing file and the flag that named it', () => {
    const r = run(workdir(), ['--plan', HR_SYNC, '--suppressions', 'nope.yaml']);
    expect(r.status).toBe(ExitCode.input);
    expect(r.stderr).toContain('nope.yaml: error: (file): file not found (check the path given to --suppressions)');
  });

  it.each([
    ['without --plan', ['--suppressions', 's.yaml'], {}, '--suppressions is for a plan reviewed without a config: give --plan PLAN.json too'],
    [
      'with --config',
      ['--plan', HR_SYNC, '-c', 'c.yaml', '--suppressions', 's.yaml'],
      {},
      "and --config names one: write the suppressions in the config's guardrails section",
    ],
    ['with $ITSM_MAIL_CONFIG', ['--plan', HR_SYNC, '--suppressions', 's.yaml'], { ITSM_MAIL_CONFIG: 'c.yaml' }, 'and $ITSM_MAIL_CONFIG names one'],
  ])('is a usage error %s (exit 2)', (_what, args, env, message) => {
    const r = run(workdir({ 's.yaml': ACCEPT_HR_SYNC }), args as string[], env as NodeJS.ProcessEnv);
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stderr).toContain(message);
  });
});
