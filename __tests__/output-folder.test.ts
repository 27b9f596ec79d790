import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MAIN, runSynth, runSynthInProcess, snapshotTree, workdir } from '../test-support/cli';

/*
 * The output folder as the command line replaces it: a read-only one is refused before anything
 * changes, what a killed run leaves is recovered by the next, parallel runs take turns, and the
 * folder is never left missing.
 */

const CONFIG = 'environments:\n  prod:\n    application:\n      displayName: ITSM prod\n      mail: { flow: app-only }\n';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function project(): string {
  const d = workdir({ 'c.yaml': CONFIG });
  dirs.push(d);
  return d;
}
const synth = (dir: string, env: NodeJS.ProcessEnv = {}) => runSynthInProcess(dir, ['-c', 'c.yaml'], env);
const beside = (dir: string) => readdirSync(dir).sort();

/**
 * As root every folder is writable, so the read-only case runs as an unprivileged user (nobody),
 * which must be able to read the project; where it cannot (a checkout under /root), that one case
 * is skipped and says so.
 */
const UNPRIVILEGED = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
const canRunUnprivileged =
  UNPRIVILEGED === undefined ||
  spawnSync(process.execPath, ['-e', `require(${JSON.stringify(MAIN)}.replace(/main.js$/, 'lib/private/printable.js'))`], { ...UNPRIVILEGED }).status === 0;
if (!canRunUnprivileged) console.log('output-folder: the read-only case is skipped: user nobody cannot read this checkout');

describe('the output folder', () => {
  (canRunUnprivileged ? it : it.skip)('refuses a read-only output folder before changing anything', () => {
    const dir = project();
    expect(synth(dir).status).toBe(0);
    writeFileSync(join(dir, 'cdktf.out/stacks/prod/tfplan'), 'plan');
    const asUser = UNPRIVILEGED;
    if (asUser) {
      for (const p of [dir, join(dir, 'c.yaml'), join(dir, 'cdktf.out'), join(dir, 'cdktf.out/stacks'), join(dir, 'cdktf.out/stacks/prod')])
        chownSync(p, asUser.uid, asUser.gid);
    }
    chmodSync(join(dir, 'cdktf.out/stacks/prod'), 0o555);
    const before = snapshotTree(join(dir, 'cdktf.out'));
    const r = spawnSync(process.execPath, [MAIN, '-c', 'c.yaml'], { cwd: dir, encoding: 'utf8', ...(asUser ?? {}), env: { PATH: process.env.PATH } });
    chmodSync(join(dir, 'cdktf.out/stacks/prod'), 0o755);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^c\.yaml: .*cdktf\.out\/stacks\/prod is read-only, and synthesis replaces .*cdktf\.out as a whole: make it writable \(chmod -R u\+w .*\) or set CDKTF_OUTDIR to another folder; nothing was written\n$/,
    );
    expect(snapshotTree(join(dir, 'cdktf.out'))).toEqual(before);
    expect(beside(dir)).toEqual(['c.yaml', 'cdktf.out']);
  });

  it('restores the output folder a run killed between its two renames left missing', () => {
    const dir = project();
    expect(synth(dir).status).toBe(0);
    writeFileSync(join(dir, 'cdktf.out/stacks/prod/tfplan'), 'plan');
    // What a kill between "rename cdktf.out aside" and "rename staging in" leaves: no cdktf.out.
    renameSync(join(dir, 'cdktf.out'), join(dir, 'cdktf.out.old-4000001'));
    mkdirSync(join(dir, 'cdktf.out.staging-4000001/stacks/prod'), { recursive: true });
    const r = synth(dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('c.yaml: restored ');
    expect(r.stderr).toContain('from cdktf.out.old-4000001, left by an interrupted run');
    expect(r.stderr).toContain('c.yaml: removed cdktf.out.staging-4000001, left by an interrupted run');
    expect(readFileSync(join(dir, 'cdktf.out/stacks/prod/tfplan'), 'utf8')).toBe('plan');
    expect(existsSync(join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'))).toBe(true);
    expect(beside(dir)).toEqual(['c.yaml', 'cdktf.out']);
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const dir = project();
    const dead = spawnSync('true').pid!;
    writeFileSync(join(dir, 'cdktf.out.lock'), JSON.stringify({ pid: dead, host: hostname(), started: '2026-01-01T00:00:00Z' }));
    expect(synth(dir).status).toBe(0);
    expect(beside(dir)).toEqual(['c.yaml', 'cdktf.out']);
  });

  it('waits for a live run, and says who holds the lock when it gives up', () => {
    const dir = project();
    const live = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'cdktf.out.lock'), JSON.stringify({ pid: live.pid, host: hostname(), started: '2026-01-01T00:00:00Z' }));
      const r = synth(dir, { ITSM_MAIL_LOCK_WAIT_SECONDS: '0.3' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`waiting for another synthesis into cdktf.out (process ${live.pid} on ${hostname()}`);
      expect(r.stderr).toMatch(/cdktf\.out is locked by another synthesis \(process \d+ .*\); if none is running, delete .*cdktf\.out\.lock/);
      expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
    } finally {
      live.kill();
    }
  });

  it('keeps carried-over files as links to the same data, with the old folder whole until the swap', () => {
    const dir = project();
    expect(synth(dir).status).toBe(0);
    mkdirSync(join(dir, 'cdktf.out/stacks/prod/.terraform/providers'), { recursive: true });
    writeFileSync(join(dir, 'cdktf.out/stacks/prod/.terraform/providers/bin'), 'x'.repeat(1000));
    const inode = statSync(join(dir, 'cdktf.out/stacks/prod/.terraform/providers/bin')).ino;
    expect(synth(dir).status).toBe(0);
    expect(statSync(join(dir, 'cdktf.out/stacks/prod/.terraform/providers/bin')).ino).toBe(inode);
  });

  it('lets parallel runs take turns: every run succeeds and the output is whole', async () => {
    const dir = project();
    const run = () =>
      new Promise<{ status: number | null; stderr: string }>((done) => {
        const p = spawn(process.execPath, [MAIN, '-c', 'c.yaml'], { cwd: dir, env: { PATH: process.env.PATH } });
        let stderr = '';
        p.stderr.on('data', (d) => (stderr += d));
        p.on('close', (status) => done({ status, stderr }));
      });
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all(Array.from({ length: 6 }, run));
      expect(results.map((r) => r.status)).toEqual(Array(6).fill(0));
      expect(JSON.parse(readFileSync(join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'), 'utf8')).resource.azuread_application).toBeDefined();
      expect(beside(dir)).toEqual(['c.yaml', 'cdktf.out']);
    }
  }, 60_000);

  it('is not created for a config that fails', () => {
    const dir = project();
    writeFileSync(join(dir, 'c.yaml'), 'environments: {}\n');
    expect(runSynth(dir, ['-c', 'c.yaml']).status).toBe(3);
    expect(beside(dir)).toEqual(['c.yaml']);
  });
});
