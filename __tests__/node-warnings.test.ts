// Nothing on stderr that the project did not write (issue 22), on every supported Node: no
// deprecation or other process warning from Node or a dependency. CI runs the suite on the oldest
// and the newest supported Node (.ci/run), so this file runs on both.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, workdir } from '../test-support/cli';

const PLANS = join(__dirname, 'fixtures', 'plans');

/** A line Node writes for a process warning: `(node:1234) [DEP0044] DeprecationWarning: ...`. */
const NODE_WARNING = /^\(node:\d+\) |\b(Deprecation|Experimental)Warning\b|^\s+at .*\(node:/m;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a compiled entry point as a user's shell would. `--pending-deprecation` makes Node also
 * report the deprecations it otherwise reports only in its documentation (so Node 20 reports
 * more of what 22 and 24 print anyway); `--trace-deprecation` names the caller in the failure.
 */
function run(cwd: string, entry: string, args: readonly string[]): Run {
  const r = spawnSync(process.execPath, ['--pending-deprecation', '--trace-deprecation', '--trace-warnings', join(ROOT, entry), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project(): string {
  const dir = workdir();
  mkdirSync(join(dir, 'config'));
  for (const f of ['example.yaml', 'tenant-example.yaml']) copyFileSync(join(ROOT, 'config', f), join(dir, 'config', f));
  copyFileSync(join(PLANS, 'replace.json'), join(dir, 'plan.json'));
  return dir;
}

describe('no process warning on stderr', () => {
  const dir = project();
  it.each([
    ['synth (example)', 'dist/main.js', ['--config', 'config/example.yaml'], 0],
    ['synth (tenant example)', 'dist/main.js', ['--config', 'config/tenant-example.yaml'], 0],
    [
      'review with a plan',
      'dist/review.js',
      ['--config', 'config/example.yaml', '--plan', 'plan.json', '--env', 'prod', '--out', 'review', '--fail-on', 'never'],
      0,
    ],
    ['verify without outputs (its error path)', 'dist/verify.js', ['--env', 'prod'], undefined],
    ['verify --help', 'dist/verify.js', ['--help'], 0],
    ['adopt --help', 'dist/adopt.js', ['--help'], 0],
  ] as const)('%s', (_name, entry, args, status) => {
    const r = run(dir, entry, args);
    expect(r.stderr).not.toMatch(NODE_WARNING);
    expect(r.stdout).not.toMatch(NODE_WARNING);
    if (status !== undefined) expect({ status: r.status, stderr: r.stderr.slice(0, 2000) }).toMatchObject({ status });
    else expect(r.status).not.toBe(0);
  });
});

/**
 * Node 20 warns for none of util's deprecated type checks (DEP0044 and its siblings are runtime
 * deprecations from Node 22/23 on), so a warning test alone would pass on Node 20 however cdktf is
 * called. This one fails on any Node: it synthesizes both example configs in this process with
 * each deprecated `util` function replaced by a spy, and expects none to be called (cdktf 0.21's
 * `TerraformOutput.isITerraformAddressable` called `util.isArray` for every object output; see
 * lib/private/terraform-output.ts).
 */
describe('synthesis calls no deprecated util function', () => {
  const DEPRECATED = [
    'isArray',
    'isBoolean',
    'isBuffer',
    'isDate',
    'isError',
    'isFunction',
    'isNull',
    'isNullOrUndefined',
    'isNumber',
    'isObject',
    'isPrimitive',
    'isRegExp',
    'isString',
    'isSymbol',
    'isUndefined',
    '_extend',
    'log',
  ] as const;

  it.each(['example.yaml', 'tenant-example.yaml'])('config/%s', (file) => {
    // The module object itself (an `import * as` would be a copy): the one cdktf's require('util') returns.
    const util = require('node:util') as Record<string, unknown>;
    const present = DEPRECATED.filter((name) => typeof util[name] === 'function');
    expect(present).toContain('isArray');
    const spies = present.map((name) => [name, jest.spyOn(util as Record<string, () => unknown>, name)] as const);
    try {
      const { loadConfigFile, synthesizeConfig } = require(join(ROOT, 'dist', 'lib', 'index.js')) as typeof import('../lib/index');
      const out = join(workdir(), 'cdktf.out');
      const result = synthesizeConfig(loadConfigFile(join(ROOT, 'config', file)), out);
      expect(result.stacks.length).toBeGreaterThan(0);
      expect(spies.filter(([, spy]) => spy.mock.calls.length > 0).map(([name]) => `util.${name}`)).toEqual([]);
    } finally {
      for (const [, spy] of spies) spy.mockRestore();
    }
  });
});
