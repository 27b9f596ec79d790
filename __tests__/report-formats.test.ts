// `--format text|json|sarif|github` of synth and review, as a pipeline reads them: the JSON against
// this project's schema (schema/report-v1.schema.json), the SARIF against the published SARIF 2.1.0
// schema (schema/third-party/), both with ajv; GitHub annotations escaped as GitHub documents; text
// lines read by the problem matcher in .github/; findings pointing at the setting's line.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, workdir } from '../test-support/cli';
import { validReport, validSarif } from '../test-support/report-schemas';

const BIN = join(ROOT, 'dist', 'cli.js');
const PLANS = join(__dirname, 'fixtures', 'plans');
const EXAMPLE = readFileSync(join(ROOT, 'config/example.yaml'), 'utf8');

function run(cwd: string, args: readonly string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A config with an error, a warning and a suppressed finding, each on a known line. */
const FINDINGS = [
  'environments:', //                                                  1
  '  prod:', //                                                        2
  '    application:', //                                               3
  '      displayName: Pandora ITSM mail', //                           4
  '      redirectUris: [https://itsm.example.com/mail/]', //           5
  '      mail: { flow: delegated, protocols: [imap] }', //             6
  '      clientSecret:', //                                            7
  '        lifetimeDays: 400', //                                      8
  '      permissions: [{ type: application, name: Mail.ReadWrite }]', // 9
  '    guardrails:', //                                                10
  '      suppressions:', //                                            11
  '        - rule: ITSM-SEC-003', //                                   12
  '          resource: itsm-mail/client-secret', //                    13
  '          reason: Pandora ITSM accepts only a client secret for OAuth mail.', // 14
].join('\n');

describe('synth --format', () => {
  it('text: each finding as FILE:LINE:COL: SEVERITY: on the line of the setting that caused it', () => {
    const dir = workdir({ 'c.yaml': FINDINGS });
    const r = run(dir, ['synth', '-c', 'c.yaml']);
    expect(r.status).toBe(4);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^c\.yaml:9:7: error: environments\.prod\.application\.permissions: ITSM-PERM-001 error: /));
    expect(lines).toContainEqual(
      expect.stringMatching(/^c\.yaml:8:9: warning: environments\.prod\.application\.clientSecret\.lifetimeDays: ITSM-SEC-002 warning: /),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^c\.yaml:7:7: note: environments\.prod\.application\.clientSecret: ITSM-SEC-003 warning suppressed \[itsm-mail\/client-secret\]: Pandora ITSM accepts only/,
      ),
    );
  });

  it('json: one document on stdout, valid against schema/report-v1.schema.json, with each finding located', () => {
    const dir = workdir({ 'c.yaml': FINDINGS });
    const r = run(dir, ['synth', '-c', 'c.yaml', '--format', 'json']);
    expect(r.status).toBe(4);
    const doc = validReport(r.stdout);
    expect(doc).toMatchObject({ formatVersion: '1.0', command: 'synth', outcome: 'guardrail-errors', exitCode: 4, stacks: [] });
    const perm = doc.findings.find((f: any) => f.ruleId === 'ITSM-PERM-001');
    expect(perm).toMatchObject({
      blocking: true,
      stack: 'prod',
      location: { file: 'c.yaml', configPath: 'environments.prod.application.permissions', line: 9, column: 7 },
    });
    const suppressed = doc.findings.find((f: any) => f.ruleId === 'ITSM-SEC-003');
    expect(suppressed).toMatchObject({ blocking: false, suppressed: { reason: 'Pandora ITSM accepts only a client secret for OAuth mail.', by: 'config' } });
    expect(r.stderr).toMatch(/^c\.yaml: 1 guardrail error\(s\); nothing was written/);
  });

  it('json: a valid run and a config with problems are documents of the same schema', () => {
    const ok = run(workdir({ 'c.yaml': EXAMPLE }), ['synth', '-c', 'c.yaml', '--format', 'json']);
    expect(ok.status).toBe(0);
    expect(validReport(ok.stdout)).toMatchObject({ outcome: 'synthesized', stacks: ['prod'], outdir: 'cdktf.out' });
    const bad = run(workdir({ 'c.yaml': 'environments:\n  prod:\n    tenantId: nope\n' }), ['synth', '-c', 'c.yaml', '--format', 'json']);
    expect(bad.status).toBe(3);
    const doc = validReport(bad.stdout);
    expect(doc.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'c.yaml', path: 'environments.prod.tenantId', line: 3, column: 5 })]));
  });

  it('sarif: valid against the published SARIF 2.1.0 schema; rules with help and source, a location per result, suppressions with their reason', () => {
    const dir = workdir({ 'c.yaml': FINDINGS });
    const r = run(dir, ['synth', '-c', 'c.yaml', '--format', 'sarif']);
    expect(r.status).toBe(4);
    const log = validSarif(r.stdout);
    expect(log.version).toBe('2.1.0');
    const run0 = log.runs[0];
    const rules = run0.tool.driver.rules as any[];
    expect(rules.map((x) => x.id)).toEqual(expect.arrayContaining(['ITSM-PERM-001', 'ITSM-SEC-002', 'ITSM-SEC-003', 'ITSM-GR-001']));
    for (const rule of rules) {
      expect(rule.help.text.length).toBeGreaterThan(10);
      expect(rule.properties.source.length).toBeGreaterThan(3);
    }
    expect(run0.results.length).toBeGreaterThanOrEqual(3);
    for (const result of run0.results) {
      expect(result.locations).toHaveLength(1);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('c.yaml');
      expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(rules[result.ruleIndex].id).toBe(result.ruleId);
    }
    const perm = run0.results.find((x: any) => x.ruleId === 'ITSM-PERM-001');
    expect(perm.level).toBe('error');
    expect(perm.locations[0].physicalLocation.region).toEqual({ startLine: 9, startColumn: 7 });
    const suppressed = run0.results.find((x: any) => x.ruleId === 'ITSM-SEC-003');
    expect(suppressed.suppressions).toEqual([{ kind: 'inSource', justification: 'Pandora ITSM accepts only a client secret for OAuth mail.' }]);
    expect(run0.invocations[0]).toEqual({ executionSuccessful: true, exitCode: 4 });
  });

  it('sarif: config problems are results too, at their line', () => {
    const r = run(workdir({ 'c.yaml': 'environments:\n  prod:\n    tenantId: nope\n' }), ['synth', '-c', 'c.yaml', '--format', 'sarif']);
    expect(r.status).toBe(3);
    const log = validSarif(r.stdout);
    expect(log.runs[0].results).toContainEqual(
      expect.objectContaining({
        ruleId: 'ITSM-INPUT-001',
        level: 'error',
        locations: [{ physicalLocation: { artifactLocation: { uri: 'c.yaml' }, region: { startLine: 3, startColumn: 5 } } }],
      }),
    );
  });

  it('github: workflow commands with file, line, col and title; suppressed findings are not annotated', () => {
    const dir = workdir({ 'c.yaml': FINDINGS });
    const r = run(dir, ['synth', '-c', 'c.yaml', '--format', 'github']);
    expect(r.status).toBe(4);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^::(error|warning|notice) file=c\.yaml,line=\d+,col=\d+,title=[^:,]*::\S/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^::error file=c\.yaml,line=9,col=7,title=ITSM-PERM-001 High-privilege permission without a justification::environments\.prod\.application\.permissions: Microsoft Graph/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^::warning file=c\.yaml,line=8,col=9,title=ITSM-SEC-002 /));
    expect(r.stdout).not.toContain('ITSM-SEC-003');
  });

  it('github: escapes %, CR, LF in messages and also , and : in properties, as GitHub documents', () => {
    const { escapeData, escapeProperty, githubLines } = require(join(ROOT, 'dist/lib/cli/report.js')) as typeof import('../lib/cli/report');
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a,b:c%d\ne')).toBe('a%2Cb%3Ac%25d%0Ae');
    const lines = githubLines({
      command: 'synth',
      configFile: 'dir,a:b/c%.yaml',
      outcome: 'input-problems',
      exitCode: 3,
      stacks: [],
      findings: [],
      summary: '',
      problems: [{ file: 'dir,a:b/c%.yaml', path: 'environments.prod', message: 'first, second: 50%', line: 2, column: 3 }],
    });
    expect(lines).toEqual(['::error file=dir%2Ca%3Ab/c%25.yaml,line=2,col=3,title=environments.prod::first, second: 50%25']);
  });
});

describe('the problem matcher (.github/itsm-mail-problem-matcher.json)', () => {
  const matcher = JSON.parse(readFileSync(join(ROOT, '.github/itsm-mail-problem-matcher.json'), 'utf8')).problemMatcher[0];
  const pattern = matcher.pattern[0];
  const regexp = new RegExp(pattern.regexp);

  it('reads the file, line, column, severity and message of real synth output', () => {
    const dir = workdir({ 'c.yaml': FINDINGS, 'bad.yaml': 'environments:\n  prod:\n    tenantId: nope\n    aplication: {}\n' });
    const text = run(dir, ['synth', '-c', 'c.yaml']).stderr + run(dir, ['synth', '-c', 'bad.yaml']).stderr;
    const matched = text
      .split('\n')
      .map((l) => regexp.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({
        file: m[pattern.file],
        line: Number(m[pattern.line]),
        column: Number(m[pattern.column]),
        severity: m[pattern.severity],
        message: m[pattern.message],
      }));
    expect(matched).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'c.yaml',
          line: 9,
          column: 7,
          severity: 'error',
          message: expect.stringMatching(/^environments\.prod\.application\.permissions: ITSM-PERM-001 error: /),
        }),
        expect.objectContaining({ file: 'c.yaml', line: 8, column: 9, severity: 'warning' }),
        expect.objectContaining({
          file: 'bad.yaml',
          line: 3,
          column: 5,
          severity: 'error',
          message: expect.stringMatching(/^environments\.prod\.tenantId: must be the directory \(tenant\) ID/),
        }),
        expect.objectContaining({
          file: 'bad.yaml',
          line: 4,
          column: 5,
          severity: 'error',
          message: expect.stringMatching(/^environments\.prod\.aplication: unknown key/),
        }),
      ]),
    );
    // Notes (suppressed findings, info) and summaries are not annotations.
    expect(matched.some((m) => m.message.includes('suppressed'))).toBe(false);
    // Each line it reads is the line of the setting in the file.
    const lines = FINDINGS.split('\n');
    for (const m of matched.filter((x) => x.file === 'c.yaml')) expect(lines[m.line - 1].slice(m.column - 1)).toMatch(/^[a-zA-Z]+:/);
  });
});

describe('review --format and --fail-on', () => {
  const example = () => workdir({ 'c.yaml': EXAMPLE });

  it('json: the Attention list and findings of the plan, valid against the schema; the gate in the document', () => {
    const r = run(example(), ['review', '-c', 'c.yaml', '--plan', join(PLANS, 'replace.json'), '--format', 'json']);
    expect(r.status).toBe(5);
    const doc = validReport(r.stdout);
    expect(doc).toMatchObject({ command: 'review', outcome: 'reviewed', failOn: 'dangerous', gateReached: true, exitCode: 5 });
    const review = doc.reviews[0];
    expect(review).toMatchObject({
      stack: 'prod',
      markdownFile: 'review/prod.md',
      marker: '<!-- entra-itsm-mail:review:prod -->',
      location: { file: 'c.yaml', configPath: 'environments.prod', line: 3, column: 3 },
    });
    expect(review.attention).toContainEqual(
      expect.objectContaining({ level: 'danger', title: 'Replaces the application', address: 'azuread_application.itsm-mail_application_DE9ACE3A' }),
    );
    expect(review.findings.map((f: any) => f.ruleId)).toEqual(expect.arrayContaining(['ITSM-CA-007', 'ITSM-SEC-003']));
  });

  it('sarif: valid against the published schema, a dangerous change as an error at the environment', () => {
    const r = run(example(), ['review', '-c', 'c.yaml', '--plan', join(PLANS, 'replace.json'), '--format', 'sarif', '--fail-on', 'never']);
    expect(r.status).toBe(0);
    const log = validSarif(r.stdout);
    const danger = log.runs[0].results.find((x: any) => x.ruleId === 'ITSM-REVIEW-DANGER');
    expect(danger).toMatchObject({
      level: 'error',
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'c.yaml' }, region: { startLine: 3, startColumn: 3 } },
          logicalLocations: [{ fullyQualifiedName: 'azuread_application.itsm-mail_application_DE9ACE3A', kind: 'resource' }],
        },
      ],
    });
  });

  it('github: an annotation per Attention item', () => {
    const r = run(example(), ['review', '-c', 'c.yaml', '--plan', join(PLANS, 'rotation.json'), '--format', 'github', '--fail-on', 'attention']);
    expect(r.status).toBe(5);
    expect(r.stdout).toMatch(/^::warning file=c\.yaml,line=3,col=3,title=prod%3A Rotates an older client secret::/m);
  });

  it.each([
    ['replace.json', 'dangerous', 5],
    ['replace.json', 'attention', 5],
    ['replace.json', 'never', 0],
    ['rotation.json', 'dangerous', 0],
    ['rotation.json', 'attention', 5],
    ['create.json', 'attention', 0],
  ])('a plan like %s with --fail-on %s exits %d, and writes the review either way', (plan, failOn, code) => {
    const dir = example();
    const r = run(dir, ['review', '-c', 'c.yaml', '--plan', join(PLANS, plan), '--fail-on', failOn]);
    expect(r.status).toBe(code);
    expect(readFileSync(join(dir, 'review/prod.md'), 'utf8')).toBe(`${r.stdout.trimEnd()}\n`);
    if (code === 5) expect(r.stderr).toMatch(new RegExp(`\\(--fail-on ${failOn}\\): exit 5`));
  });

  it('the default gate is dangerous', () => {
    expect(run(example(), ['review', '-c', 'c.yaml', '--plan', join(PLANS, 'scope-removed.json')]).status).toBe(5);
    expect(run(example(), ['review', '-c', 'c.yaml', '--plan', join(PLANS, 'rotation.json')]).status).toBe(0);
  });

  it.each(['json', 'sarif', 'github', 'text'])('a bad plan is an input problem (3) with --format %s', (format) => {
    const dir = workdir({ 'c.yaml': EXAMPLE, 'p.json': '{"format_version":"1.2","resource_changes":[{"address":"a.b"}]}' });
    const r = run(dir, ['review', '-c', 'c.yaml', '--plan', 'p.json', '--format', format]);
    expect(r.status).toBe(3);
    if (format === 'json') {
      const doc = validReport(r.stdout);
      expect(doc).toMatchObject({ outcome: 'input-problems', exitCode: 3, reviews: [] });
      expect(doc.problems.map((p: any) => p.path)).toEqual(['resource_changes[0].type', 'resource_changes[0].name', 'resource_changes[0].change']);
    } else if (format === 'sarif') expect(validSarif(r.stdout).runs[0].results).toHaveLength(3);
    else if (format === 'github')
      expect(r.stdout.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^::error file=p\.json,title=resource_changes\[0\]\.type::/),
        expect.anything(),
        expect.anything(),
      ]);
    else expect(r.stderr.split('\n')[0]).toBe('p.json: error: resource_changes[0].type: must be a non-empty string, got nothing');
  });
});

describe('the review of a plan alone in SARIF: each Attention item a result of its class of change', () => {
  const CORPUS = join(PLANS, 'corpus');
  const { PLAN_RULES } = require(join(ROOT, 'dist/lib/review/plan-rules.js')) as typeof import('../lib/review/plan-rules');

  it.each([
    ['github-deploy-identity/1-initial/github-deploy-identity.create.json', ['ITSM-PLAN-001', 'ITSM-PLAN-002', 'ITSM-PLAN-003', 'ITSM-PLAN-005']],
    ['ca-baseline/2-widen-exclusions/ca-widen-exclusions-disable-policy.update.json', ['ITSM-PLAN-006']],
  ])('%s: results under %j, each rule listed with its help', (plan, expected) => {
    const doc = validSarif(run(workdir(), ['review', '--plan', join(CORPUS, plan), '--format', 'sarif', '--fail-on', 'never']).stdout);
    const run0 = doc.runs[0];
    const rules = run0.tool.driver.rules as Record<string, any>[];
    const attention = (run0.results as Record<string, any>[]).filter((x) => /^ITSM-(PLAN|REVIEW)-/.test(x.ruleId));
    expect(attention.length).toBeGreaterThan(0);
    // No Attention item of a plan alone falls back to the generic rules.
    expect(attention.filter((x) => x.ruleId.startsWith('ITSM-REVIEW-'))).toEqual([]);
    expect([...new Set(attention.map((x) => x.ruleId))].sort()).toEqual(expected);
    for (const x of attention) {
      expect(rules[x.ruleIndex].id).toBe(x.ruleId);
      expect(rules[x.ruleIndex].help.text).toMatch(/Source: .+\.$/);
    }
  });

  it('the rules are the ones docs/review.md lists, by ID', () => {
    const docs = readFileSync(join(ROOT, 'docs/review.md'), 'utf8');
    const listed = [...docs.matchAll(/^\| (ITSM-PLAN-\d{3}) \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(PLAN_RULES.map((r) => r.id));
  });
});

describe('schema/report-v1.schema.json', () => {
  it('is the schema the code describes (npm run schema writes it)', () => {
    const { reportJsonSchema } = require(join(ROOT, 'dist/lib/cli/report-schema.js')) as typeof import('../lib/cli/report-schema');
    expect(JSON.parse(readFileSync(join(ROOT, 'schema/report-v1.schema.json'), 'utf8'))).toEqual(reportJsonSchema());
  });
});
