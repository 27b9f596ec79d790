// scripts/generate-permission-tiers.mjs, run as a maintainer runs it: on a Test-MtHighRiskAppPermissions.ps1
// shaped input. The inputs here are written by the test (their IDs taken from this project's own
// catalogue), not copies of Maester's file, which is never committed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, workdir } from '../test-support/cli';
import graphCatalogue from '../lib/permissions/data/microsoft-graph.generated.json';

const SCRIPT = join(ROOT, 'scripts', 'generate-permission-tiers.mjs');
const COMMIT = 'a'.repeat(40);
const catalogue = graphCatalogue as unknown as Record<'application' | 'delegated', Record<string, { id: string }>>;
const MIT = (holder: string) =>
  `MIT License\n\nCopyright (c) 2024 ${holder}\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software ...\n`;

type Entry = { id: string; name: string; type: 'Application' | 'Delegated'; path: string };
const entry = (name: string, type: Entry['type'], path = 'Indirect'): Entry => ({
  id: catalogue[type === 'Application' ? 'application' : 'delegated'][name].id,
  name,
  type,
  path,
});

/** A .ps1 shaped as Maester's: the entries in `$allCriticalGraphPermissions = @( ... )`, UTF-8 with a BOM. */
function ps1(entries: readonly Entry[]): string {
  const literals = entries
    .map(
      (e) =>
        `        [pscustomobject]@{\n            Id   = '${e.id}'\n            Name = '${e.name}'\n            Type = '${e.type}'\n            Path = '${e.path}'\n        }`,
    )
    .join('\n');
  return `\uFEFFfunction Test-Something {\n    param()\n\n    $allCriticalGraphPermissions = @(\n${literals}\n    )\n\n    return $true\n}\n`;
}

function run(entries: readonly Entry[], options: { license?: string; args?: string[] } = {}) {
  const dir = workdir({ 'Test-MtHighRiskAppPermissions.ps1': ps1(entries), LICENSE: options.license ?? MIT('Example Maintainers') });
  const out = join(dir, 'out');
  const r = spawnSync(
    process.execPath,
    [SCRIPT, `--commit=${COMMIT}`, join(dir, 'Test-MtHighRiskAppPermissions.ps1'), `--out=${out}`, ...(options.args ?? [])],
    { cwd: dir, encoding: 'utf8' },
  );
  return { ...r, dir, out };
}

describe('scripts/generate-permission-tiers.mjs', () => {
  const good = [
    entry('RoleManagement.ReadWrite.Directory', 'Application', 'Direct'),
    entry('RoleManagement.ReadWrite.Directory', 'Delegated', 'Direct'),
    entry('Application.ReadWrite.All', 'Application'),
    entry('Application.ReadWrite.All', 'Application'), // an exact repeat, as Maester's list has a few
  ];

  it('keeps ID, name, type and path type, records commit, SHA-256, license and copyright, and copies the LICENSE', () => {
    const r = run(good);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(3 permissions: 2 application, 1 delegated, from 4 entries)');
    const data = JSON.parse(readFileSync(join(r.out, 'graph-permission-tiers.generated.json'), 'utf8'));
    const input = readFileSync(join(r.dir, 'Test-MtHighRiskAppPermissions.ps1'));
    expect(data.source).toMatchObject({
      repository: 'maester365/maester',
      commit: COMMIT,
      url: `https://github.com/maester365/maester/blob/${COMMIT}/powershell/public/maester/entra/Test-MtHighRiskAppPermissions.ps1`,
      sha256: createHash('sha256').update(input).digest('hex'),
      license: 'MIT',
      copyright: 'Copyright (c) 2024 Example Maintainers',
      licenseFile: 'graph-permission-tiers.LICENSE',
      entries: 4,
    });
    expect(data.application).toEqual({
      'Application.ReadWrite.All': { id: catalogue.application['Application.ReadWrite.All'].id, pathType: 'Indirect' },
      'RoleManagement.ReadWrite.Directory': { id: catalogue.application['RoleManagement.ReadWrite.Directory'].id, pathType: 'Direct' },
    });
    expect(data.delegated).toEqual({
      'RoleManagement.ReadWrite.Directory': { id: catalogue.delegated['RoleManagement.ReadWrite.Directory'].id, pathType: 'Direct' },
    });
    expect(readFileSync(join(r.out, 'graph-permission-tiers.LICENSE'), 'utf8')).toBe(MIT('Example Maintainers'));
    // --check on what it just wrote: up to date.
    const check = spawnSync(process.execPath, [SCRIPT, `--commit=${COMMIT}`, join(r.dir, 'Test-MtHighRiskAppPermissions.ps1'), `--out=${r.out}`, '--check'], {
      encoding: 'utf8',
    });
    expect([check.status, check.stdout]).toEqual([0, expect.stringContaining('up to date')]);
  });

  it('fails when an ID/name pair disagrees with the catalogue, naming the entry and both IDs, and writes nothing', () => {
    const wrong = { ...entry('Directory.ReadWrite.All', 'Application'), id: catalogue.application['Directory.Read.All'].id };
    const r = run([...good, wrong]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('disagrees with the permission catalogue');
    expect(r.stderr).toContain(
      `$allCriticalGraphPermissions[4]: application permission Directory.ReadWrite.All has ID ${wrong.id} here but ${catalogue.application['Directory.ReadWrite.All'].id} in the catalogue`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(r.out)).toBe(false);
  });

  it('fails on a name the catalogue lacks, a type mismatch, a repeat that disagrees, a bad field, a license that is not MIT', () => {
    const unknown = run([{ id: '0a0a0a0a-0000-4000-8000-00000000b001', name: 'Made.Up.All', type: 'Application', path: 'Direct' }]);
    expect([unknown.status, unknown.stderr]).toEqual([
      2,
      expect.stringContaining('application permission Made.Up.All (0a0a0a0a-0000-4000-8000-00000000b001) is not in the catalogue'),
    ]);
    // The delegated ID of a permission given as Application.
    const swapped = run([{ ...entry('User.ReadWrite.All', 'Delegated'), type: 'Application' }]);
    expect([swapped.status, swapped.stderr]).toEqual([2, expect.stringContaining('application permission User.ReadWrite.All has ID')]);
    const repeat = run([entry('Group.ReadWrite.All', 'Application'), entry('Group.ReadWrite.All', 'Application', 'Direct')]);
    expect([repeat.status, repeat.stderr]).toEqual([2, expect.stringContaining('application Group.ReadWrite.All is listed twice, differently')]);
    const path = run([entry('Group.ReadWrite.All', 'Application', 'Sideways')]);
    expect([path.status, path.stderr]).toEqual([2, expect.stringContaining('Path "Sideways" is neither Direct nor Indirect')]);
    const gpl = run(good, { license: 'GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n' });
    expect([gpl.status, gpl.stderr]).toEqual([2, expect.stringContaining('does not look like the MIT license')]);
    for (const r of [unknown, swapped, repeat, path, gpl]) expect(readdirSync(r.dir)).not.toContain('out');
  });

  it('--check against the committed data: a different input is reported out of date, and the committed files stay as they are', () => {
    const committed = join(ROOT, 'lib/permissions/data/graph-permission-tiers.generated.json');
    const before = readFileSync(committed, 'utf8');
    const dir = workdir({ 'Test-MtHighRiskAppPermissions.ps1': ps1(good), LICENSE: MIT('Example Maintainers') });
    const r = spawnSync(process.execPath, [SCRIPT, `--commit=${COMMIT}`, join(dir, 'Test-MtHighRiskAppPermissions.ps1'), '--check'], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([1, expect.stringContaining('permission tiers are out of date')]);
    expect(readFileSync(committed, 'utf8')).toBe(before);
  });

  it('refuses a command line without the input or a full commit', () => {
    const noCommit = spawnSync(process.execPath, [SCRIPT, 'x.ps1'], { encoding: 'utf8' });
    expect([noCommit.status, noCommit.stderr]).toEqual([2, expect.stringContaining('--commit must be the 40-character lowercase hex commit')]);
    const noInput = spawnSync(process.execPath, [SCRIPT, `--commit=${COMMIT}`], { encoding: 'utf8' });
    expect([noInput.status, noInput.stderr]).toEqual([2, expect.stringContaining('give the path of Test-MtHighRiskAppPermissions.ps1')]);
  });
});
