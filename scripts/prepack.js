// `npm pack` / `npm publish` run this first (package.json "prepack"): a clean build of dist/ from
// the sources, so the tarball holds compiled code that matches them and nothing left over from an
// older build (a deleted source's .js). Only dist/lib (and what package.json "files" lists) ships.
'use strict';
const { spawnSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(
  process.execPath,
  [tsc, '-p', join(root, 'tsconfig.build.json'), '--incremental', '--tsBuildInfoFile', join(root, 'dist', '.tsbuildinfo')],
  { stdio: 'inherit' },
);
if (r.status !== 0) {
  process.stderr.write('prepack: the TypeScript build failed; nothing was packed.\n');
  process.exit(r.status ?? 1);
}
