import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runSynth, runSynthInProcess, snapshotTree, workdir } from '../test-support/cli';

const APP = (name: string) =>
  `  ${name}:\n    application:\n      displayName: ITSM ${name}\n      redirectUris: [https://itsm.example.com/mail/]\n      mail:\n        flow: delegated\n`;
const TWO_ENVS = `environments:\n${APP('prod')}${APP('staging')}`;

describe('command line (npm run synth)', () => {
  it('synthesizes the built-in example when no config is named', () => {
    const dir = workdir();
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config/example.yaml'), readFileSync(join(ROOT, 'config/example.yaml')));
    const r = runSynth(dir, []);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('config/example.yaml: synthesized');
    const json = JSON.parse(readFileSync(join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'), 'utf8'));
    expect(Object.keys(json.resource.azuread_application)).toHaveLength(1);
  });

  it('writes one stack folder per environment', () => {
    const dir = workdir({ 'c.yaml': TWO_ENVS });
    const r = runSynthInProcess(dir, ['--config', 'c.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('c.yaml: synthesized 2 stack(s) into cdktf.out/stacks: prod, staging\n');
    for (const env of ['prod', 'staging']) expect(existsSync(join(dir, `cdktf.out/stacks/${env}/cdk.tf.json`))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, 'cdktf.out/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(['prod', 'staging']);
  });

  it('selects the config from ITSM_MAIL_CONFIG, and --config wins over it', () => {
    const dir = workdir({ 'a.yaml': `environments:\n${APP('alpha')}`, 'b.yaml': `environments:\n${APP('beta')}` });
    expect(runSynthInProcess(dir, [], { ITSM_MAIL_CONFIG: 'a.yaml' }).stdout).toContain('stacks: alpha');
    expect(runSynthInProcess(dir, ['--config=b.yaml'], { ITSM_MAIL_CONFIG: 'a.yaml' }).stdout).toContain('stacks: beta');
  });

  it('drops the folder of an environment removed from the config but keeps Terraform working files', () => {
    const dir = workdir({ 'c.yaml': TWO_ENVS });
    expect(runSynthInProcess(dir, ['-c', 'c.yaml']).status).toBe(0);
    mkdirSync(join(dir, 'cdktf.out/stacks/prod/.terraform'));
    writeFileSync(join(dir, 'cdktf.out/stacks/prod/.terraform/marker'), 'x');
    writeFileSync(join(dir, 'c.yaml'), `environments:\n${APP('prod')}`);
    expect(runSynthInProcess(dir, ['-c', 'c.yaml']).status).toBe(0);
    expect(existsSync(join(dir, 'cdktf.out/stacks/staging'))).toBe(false);
    expect(readFileSync(join(dir, 'cdktf.out/stacks/prod/.terraform/marker'), 'utf8')).toBe('x');
  });

  it('keeps files synthesis does not write: a plan in a kept folder, a removed environment that holds one', () => {
    const dir = workdir({ 'c.yaml': TWO_ENVS });
    expect(runSynthInProcess(dir, ['-c', 'c.yaml']).status).toBe(0);
    writeFileSync(join(dir, 'cdktf.out/stacks/prod/tfplan'), 'plan');
    writeFileSync(join(dir, 'cdktf.out/stacks/staging/tfplan'), 'plan');
    writeFileSync(join(dir, 'c.yaml'), `environments:\n${APP('prod')}`);
    expect(runSynthInProcess(dir, ['-c', 'c.yaml']).status).toBe(0);
    expect(readFileSync(join(dir, 'cdktf.out/stacks/prod/tfplan'), 'utf8')).toBe('plan');
    expect(readFileSync(join(dir, 'cdktf.out/stacks/staging/tfplan'), 'utf8')).toBe('plan');
    expect(existsSync(join(dir, 'cdktf.out/stacks/staging/cdk.tf.json'))).toBe(false);
  });

  it('writes into CDKTF_OUTDIR, also when it ends with a slash', () => {
    const dir = workdir({ 'c.yaml': `environments:\n${APP('prod')}` });
    for (let i = 0; i < 2; i++) expect(runSynthInProcess(dir, ['-c', 'c.yaml'], { CDKTF_OUTDIR: 'out/' }).status).toBe(0);
    expect(existsSync(join(dir, 'out/stacks/prod/cdk.tf.json'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['c.yaml', 'out']);
  });

  it('fails on a bad config with one line per problem, no stack trace, and leaves cdktf.out untouched', () => {
    const dir = workdir({ 'good.yaml': TWO_ENVS, 'bad.yaml': 'environments:\n  prod:\n    tenantId: nope\n    aplication: {}\n' });
    expect(runSynthInProcess(dir, ['-c', 'good.yaml']).status).toBe(0);
    const before = snapshotTree(join(dir, 'cdktf.out'));
    const r = runSynth(dir, ['--config', 'bad.yaml']);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    // FILE:LINE:COL: error: …, the form compilers print: editors and problem matchers read it.
    expect(r.stderr.trim().split('\n')).toEqual([
      'bad.yaml:3:5: error: environments.prod.tenantId: must be the directory (tenant) ID: a UUID such as 00000000-0000-0000-0000-000000000000',
      'bad.yaml:4:5: error: environments.prod.aplication: unknown key "aplication" (did you mean "application"?); allowed here: tenant, tenantId, provider, backend, application, mfaPolicy, guardrails',
      'bad.yaml: 2 problem(s); nothing was written.',
    ]);
    expect(snapshotTree(join(dir, 'cdktf.out'))).toEqual(before);
    expect(readFileSync(join(dir, 'cdktf.out/stacks/staging/cdk.tf.json'), 'utf8')).toContain('ITSM staging');
  });

  it('fails on a missing file without creating cdktf.out', () => {
    const dir = workdir();
    const r = runSynth(dir, ['--config', 'nope.yaml']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('nope.yaml: error: (file): file not found (check the path given to --config or ITSM_MAIL_CONFIG)');
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  it('prints usage for --help and refuses unknown arguments', () => {
    const dir = workdir();
    const help = runSynth(dir, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: entra-itsm-mail synth [flags]');
    expect(help.stdout).toMatch(/-c, --config FILE .*\n.*--format FORMAT/);
    expect(help.stdout).toMatch(
      /Exit codes:\n {2}0 {2}success\n {2}1 {2}unexpected failure.*\n {2}2 {2}usage.*\n {2}3 {2}input problems.*\n {2}4 {2}unsuppressed guardrail errors/,
    );
    const bad = runSynth(dir, ['--confg', 'x']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('error: unknown flag "--confg" (did you mean --config?)');
  });
});
