import { mkdirSync, mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// scripts/run.js: the launcher of `npm run synth` and cdktf.json's app.
const { buildIfNeeded } = require('../scripts/run.js') as {
  buildIfNeeded: (root: string, compile: (buildInfo: string) => boolean) => boolean;
};

function project(): { root: string; source: string } {
  const root = mkdtempSync(join(tmpdir(), 'itsm-launcher-'));
  mkdirSync(join(root, 'lib'));
  mkdirSync(join(root, 'dist'));
  const source = join(root, 'lib', 'a.ts');
  writeFileSync(source, 'export {};\n');
  // a file time finer than a millisecond, as real file systems give
  utimesSync(source, 1_700_000_000.1234567, 1_700_000_000.1234567);
  return { root, source };
}

describe('scripts/run.js', () => {
  it('compiles once, then not again until a source changes', () => {
    const { root, source } = project();
    let builds = 0;
    // like tsc on an unchanged tree: writes the build info once, with an old time
    const compile = (buildInfo: string) => {
      builds++;
      writeFileSync(buildInfo, '{}');
      utimesSync(buildInfo, 1_600_000_000, 1_600_000_000);
      return true;
    };
    expect(buildIfNeeded(root, compile)).toBe(true);
    expect(buildIfNeeded(root, compile)).toBe(true);
    expect(builds).toBe(1);
    utimesSync(source, 1_800_000_000, 1_800_000_000);
    expect(buildIfNeeded(root, compile)).toBe(true);
    expect(builds).toBe(2);
    expect(statSync(join(root, 'dist', '.tsbuildinfo')).mtimeMs).toBeGreaterThanOrEqual(statSync(source).mtimeMs);
  });

  it('forgets a failed build, so the next run compiles again', () => {
    const { root } = project();
    let builds = 0;
    const failing = (buildInfo: string) => {
      builds++;
      writeFileSync(buildInfo, '{}');
      return false;
    };
    expect(buildIfNeeded(root, failing)).toBe(false);
    expect(buildIfNeeded(root, failing)).toBe(false);
    expect(builds).toBe(2);
  });
});
