// `npm run review` as a pipeline runs it: the compiled entry point, in a scratch folder. Most cases
// call the compiled `runReviewCli` in-process (what dist/review.js calls, with the same arguments,
// folder and environment) to keep `npm test` fast; those marked `spawn` run the real process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROD_APPLICATION_LINES, ROOT, workdir } from '../test-support/cli';

const REVIEW = join(ROOT, 'dist', 'review.js');
const PLANS = join(__dirname, 'fixtures', 'plans');

function runReview(cwd: string, args: readonly string[], how: 'spawn' | 'in-process' = 'in-process') {
  if (how === 'spawn') {
    const r = spawnSync(process.execPath, [REVIEW, ...args], {
      cwd,
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  const { runReviewCli } = require(join(ROOT, 'dist', 'lib', 'cli', 'review-cli.js')) as typeof import('../lib/cli/review-cli');
  const stdout: string[] = [];
  const stderr: string[] = [];
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const status = runReviewCli(
      args,
      { PATH: process.env.PATH, HOME: process.env.HOME },
      {
        stdout: (l) => stdout.push(`${l}\n`),
        stderr: (l) => stderr.push(`${l}\n`),
      },
      { defaultConfig: 'config/example.yaml' },
    );
    return { status, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    process.chdir(previous);
  }
}

function withExample(files: Record<string, string> = {}): string {
  const dir = workdir(files);
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config/example.yaml'), readFileSync(join(ROOT, 'config/example.yaml')));
  return dir;
}

const TWO_ENVS = [
  'environments:',
  ...['prod', 'staging'].flatMap((e) => [
    `  ${e}:`,
    '    application:',
    `      displayName: ITSM ${e}`,
    '      redirectUris: [https://itsm.example.com/mail/]',
    '      mail: { flow: delegated }',
  ]),
].join('\n');

describe('npm run review', () => {
  it("prints the example's permissions and policy in words and writes review/prod.md", () => {
    const dir = withExample();
    const r = runReview(dir, [], 'spawn');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '- Microsoft Graph · `IMAP.AccessAsUser.All` · delegated · admin consent not required · Read and write access to mailboxes via IMAP. · consent granted',
    );
    expect(r.stdout).toContain(
      'Require MFA for members of MFA-Test-Group signing in to Windows Azure Service Management API from any client app; excludes 1 emergency-access account (a placeholder ID: replace before enforcing); report-only.',
    );
    expect(r.stderr).toBe('config/example.yaml: wrote review/prod.md\n');
    expect(readFileSync(join(dir, 'review/prod.md'), 'utf8')).toBe(`${r.stdout.trimEnd()}\n`);
    expect(r.stdout).not.toMatch(/TfToken|\$\{/);
    expect(r.stdout).toContain('- **Who may sign in:** any user of the tenant (assignment not required, the default; set `assignedPrincipals` to restrict it)');
  });

  it('writes the same bytes on every run', () => {
    const dir = withExample();
    const a = runReview(dir, ['--out', 'a']);
    expect(runReview(dir, ['--out', 'b']).status).toBe(0);
    expect(a.status).toBe(0);
    expect(readFileSync(join(dir, 'a/prod.md'))).toEqual(readFileSync(join(dir, 'b/prod.md')));
  });

  it('marks what a plan changes and calls out the dangerous changes', () => {
    const dir = withExample();
    const r = runReview(dir, ['-c', 'config/example.yaml', '--plan', join(PLANS, 'replace.json'), '--out', 'out']);
    // --fail-on dangerous, the default: the review is written and printed, and the run fails.
    expect(r.status).toBe(5);
    expect(r.stdout).toContain('### Needs attention in the plan');
    expect(r.stdout).toContain(
      '- **Dangerous: Replaces the application** `azuread_application.itsm-mail_application_DE9ACE3A`: a new registration gets a new client ID',
    );
    expect(r.stdout).not.toContain('SECRET-VALUE');
  });

  it('reviews one environment of several with --env, and needs it with --plan', () => {
    const dir = workdir({ 'c.yaml': TWO_ENVS });
    const both = runReview(dir, ['-c', 'c.yaml']);
    expect(both.status).toBe(0);
    expect(both.stdout).toMatch(/## Entra ID review: `prod`[\s\S]*## Entra ID review: `staging`/);
    expect(existsSync(join(dir, 'review/staging.md'))).toBe(true);

    const plan = runReview(dir, ['-c', 'c.yaml', '--plan', join(PLANS, 'create.json')]);
    expect(plan.status).toBe(2);
    expect(plan.stderr).toMatch(/^error: --plan needs --env NAME: c\.yaml has 2 environments \(prod, staging\) and a plan belongs to one/);

    const one = runReview(dir, ['-c', 'c.yaml', '--env', 'staging', '--plan', join(PLANS, 'create.json'), '--out', 'one']);
    expect(one.status).toBe(0);
    expect(one.stdout).toContain(
      '| create | `azuread_conditional_access_policy.mfa-policy` | conditional access policy "MFA Pilot" (not declared in environment staging); **In a sentence:** Require MFA for members of group',
    );
  });

  it('refuses an unknown --env with a suggestion', () => {
    const dir = workdir({ 'c.yaml': TWO_ENVS });
    const r = runReview(dir, ['-c', 'c.yaml', '--env', 'prd']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(
      /^c\.yaml: error: environments: has no environment or tenant stack "prd" \(given to --env\) \(did you mean "prod"\?\); it has prod, staging\n/,
    );
  });

  it.each([
    ['a missing plan', 'nope.json', null, 'nope.json: error: (file): file not found (check the path given to --plan)'],
    ['a plan that is not JSON', 'p.json', 'Plan: 1 to add', 'p.json: error: (file): is not valid JSON'],
    [
      'a plan of the wrong shape',
      'p.json',
      '{"format_version":"1.2","resource_changes":[{"address":"a.b"}]}',
      'p.json: error: resource_changes[0].type: must be a non-empty string, got nothing',
    ],
  ])('reports %s as FILE: error: path: message, writes nothing, no stack trace', (_name, file, content, line) => {
    const dir = withExample(content === null ? {} : { [file]: content });
    const r = runReview(dir, ['-c', 'config/example.yaml', '--plan', file], file === 'nope.json' ? 'spawn' : 'in-process');
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0].startsWith(line)).toBe(true);
    expect(r.stderr).toMatch(/no review was written\.\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'review'))).toBe(false);
  });

  it('reports a bad config like synth does', () => {
    const dir = workdir({
      'c.yaml':
        'environments:\n  prod:\n    guardrails:\n      suppressions: [{ rule: ITSM-SEC-03, resource: itsm-mail, reason: "Pandora ITSM only supports client secrets." }]\n',
    });
    const r = runReview(dir, ['-c', 'c.yaml']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('c.yaml:4:24: error: environments.prod.guardrails.suppressions[0].rule: "ITSM-SEC-03" is not allowed');
  });

  it('shows suppressions from the config file with their reason', () => {
    const config = [
      ...PROD_APPLICATION_LINES,
      '    guardrails:',
      '      suppressions:',
      '        - rule: ITSM-SEC-003',
      '          resource: itsm-mail/client-secret',
      '          reason: Pandora ITSM only supports client secrets; the secret rotates every 90 days.',
    ].join('\n');
    const dir = workdir({ 'c.yaml': config });
    const r = runReview(dir, ['-c', 'c.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '| ITSM-SEC-003 The application authenticates with a client secret (warning) | `itsm-mail/client-secret` | rotating client secret (two slots) | Pandora ITSM only supports client secrets; the secret rotates every 90 days. (config) |',
    );
  });

  it('prints usage on --help and refuses unknown arguments', () => {
    const dir = workdir();
    const help = runReview(dir, ['--help'], 'spawn').stdout;
    expect(help).toMatch(/^usage: entra-itsm-mail review \[flags\]/);
    expect(help).toMatch(/--fail-on LEVEL .*\(dangerous\|attention\|never\)/);
    expect(help).toMatch(
      /Exit codes:\n {2}0 {2}success\n {2}1 {2}.*\n {2}2 {2}.*\n {2}3 {2}.*\n {2}4 {2}unsuppressed guardrail errors .*\n {2}5 {2}review gate/,
    );
    const r = runReview(dir, ['--plna', 'x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown flag "--plna" \(did you mean --plan\?\)/);
  });

  it('says who may sign in when assignment is required', () => {
    const user = '11111111-2222-3333-4444-555555555555';
    const dir = workdir({
      'c.yaml': `environments:\n  prod:\n    application:\n      displayName: x\n      assignedPrincipals: [${user}]\n      redirectUris: [https://itsm.example.com/mail/]\n      mail: { flow: delegated }\n`,
    });
    const r = runReview(dir, ['-c', 'c.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`- **Who may sign in:** only the assigned users and groups: \`${user}\``);
  });
});
