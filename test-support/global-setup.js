// Compiles the app once so command-line tests run `node dist/main.js` exactly as `npm run synth` does.
// Type errors are reported by `tsc --noEmit`, the first half of `npm test`; tsc still emits on them,
// so here only a missing output counts as a failure.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async () => {
  const root = join(__dirname, '..');
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0 && !existsSync(join(root, 'dist/main.js'))) {
    throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
  }
};
