// Runs a compiled entry point (dist/main.js, dist/review.js, dist/verify.js or dist/adopt.js: thin
// wrappers over the one command, dist/cli.js), compiling first only when a
// source is newer than the last build: `npm run synth` and cdktf.json's app pay for TypeScript
// only after an edit. Plain CommonJS, no dependencies.
'use strict';
const { spawnSync } = require('node:child_process');
const { readdirSync, rmSync, statSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const SOURCES = ['cli.ts', 'main.ts', 'review.ts', 'verify.ts', 'adopt.ts', 'lib', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newestSource(path) {
  let s;
  try {
    s = statSync(path);
  } catch {
    return 0;
  }
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs; // a deleted file changes its folder's mtime
  for (const name of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, name)));
  return newest;
}

function mtimeOf(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Compiles `root` unless its build info is at least as new as every source. Returns false when
 * the build failed (and forgets it, so the next run compiles again).
 */
function buildIfNeeded(root, compile) {
  const buildInfo = join(root, 'dist', '.tsbuildinfo');
  const newest = Math.max(...SOURCES.map((p) => newestSource(join(root, p))));
  if (newest <= mtimeOf(buildInfo)) return true;
  if (!compile(buildInfo)) {
    rmSync(buildInfo, { force: true });
    return false;
  }
  // tsc leaves its build info alone when nothing changed (a touched file). Stamp it with the newest
  // source time seen before compiling, not "now": a file saved during the build stays newer.
  // Rounded up to the millisecond: file times are finer than what utimes sets, and a stamp a
  // fraction below the source would make every later run compile again.
  const stamp = new Date(Math.ceil(newest));
  utimesSync(buildInfo, stamp, stamp);
  return true;
}

module.exports = { buildIfNeeded };

if (require.main === module) {
  const root = join(__dirname, '..');
  const entry = process.argv[2];
  if (entry !== 'main' && entry !== 'review' && entry !== 'verify' && entry !== 'adopt') {
    process.stderr.write('usage: node scripts/run.js main|review|verify|adopt [args...]\n');
    process.exit(2);
  }
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const compile = (buildInfo) =>
    spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--incremental', '--tsBuildInfoFile', buildInfo], { stdio: 'inherit' })
      .status === 0;
  if (!buildIfNeeded(root, compile)) {
    // noEmitOnError kept dist/ as it was.
    process.stderr.write('TypeScript build failed; nothing was synthesized.\n');
    process.exit(1);
  }
  // The entry reads process.argv.slice(2): drop this script's own argument.
  process.argv.splice(2, 1);
  require(join(root, 'dist', `${entry}.js`));
}
