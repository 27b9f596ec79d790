// The npm package as a platform team meets it (issue 18): `npm pack` of the project, installed into a
// fresh cdktf TypeScript app in a temporary folder, offline, beside the peers the app brings itself;
// a main.ts that imports only the package's entry point is type-checked with TypeScript 5.x (what most
// consumers compile with) and synthesized, and its JSON is compared with this repository's own
// synthesis of the same settings from a config file.
//
// Offline: the project's tarball, and every other package `npm pack`ed from this repository's
// node_modules (the peers and the package's dependencies, with theirs), installed with --offline and
// an empty npm cache, so nothing can come from a registry. The default peers are cdktf 0.21 and the
// newest constructs the peer range allows (devDependency `constructs-newest`). .ci/run runs this file
// again for the other bounds of the peer ranges, with tarballs it fetched before (see PEERS_GIVEN).
//
// Slow (a pack, a clean build, an install, a TypeScript 5 type check): about half a minute.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ROOT } from '../test-support/cli';

/**
 * Peers given instead of the ones in node_modules, `name=spec` separated by commas: a tarball
 * (`constructs=/tmp/constructs-10.4.2.tgz`) or a registry spec that ITSM_MAIL_PACKAGE_CACHE holds
 * (`cdktf=npm:cdktn@0.24.0,constructs=10.6.0`: CDK Terrain under the name cdktf, as the README tells
 * users; a tarball cannot carry it, npm installs a tarball under the name inside it).
 */
const PEERS_GIVEN = new Map(
  (process.env.ITSM_MAIL_PACKAGE_PEERS ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]),
);
/**
 * An npm cache filled beforehand (`npm cache add cdktn@0.24.0 ...`, .ci/run) for the registry specs
 * of ITSM_MAIL_PACKAGE_PEERS; the install stays --offline. Without it, an empty cache.
 */
const CACHE = process.env.ITSM_MAIL_PACKAGE_CACHE;
/** Where a tarball run keeps its folder for inspection (otherwise removed). */
const KEEP = process.env.ITSM_MAIL_PACKAGE_KEEP === '1';

const NODE_WARNING = /^\(node:\d+\) |\b(Deprecation|Experimental)Warning\b/m;

function sh(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', npm_config_update_notifier: 'false', ...env },
  });
  if (r.error) throw r.error;
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The folder of package `name` as Node resolves it from `from` (a package folder). */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name} is not installed below ${from}`);
  }
}

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  bundleDependencies?: string[];
  bundledDependencies?: string[];
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/**
 * `npm pack`s each package folder into `into` (scripts off: these are installed packages, not
 * sources), and the folders of their dependencies, recursively (bundled ones travel inside).
 * Returns the tarball of each package name.
 */
function packClosure(roots: ReadonlyMap<string, string>, into: string): Map<string, string> {
  const dirs = new Map<string, string>();
  const queue = [...roots.entries()];
  while (queue.length > 0) {
    const [name, dir] = queue.shift()!;
    if (dirs.has(name)) continue;
    dirs.set(name, dir);
    const pkg = readJson<PackageJson>(join(dir, 'package.json'));
    const bundled = new Set(pkg.bundleDependencies ?? pkg.bundledDependencies ?? []);
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (!bundled.has(dep) && !dirs.has(dep)) queue.push([dep, packageDir(dep, dir)]);
  }
  // One npm process for all of them; it lists the tarballs in the order of its arguments.
  const names = [...dirs.keys()];
  const out = ok(
    sh('npm', ['pack', ...names.map((n) => dirs.get(n)!), '--ignore-scripts', '--json', '--pack-destination', into], into),
    'npm pack of the peers',
  );
  const packed = JSON.parse(out) as { name: string; filename: string }[];
  return new Map(packed.map((p) => [p.name, join(into, p.filename)]));
}

/**
 * The newest constructs in node_modules that both the package's peer range and the installed
 * cdktf's allow: devDependency `constructs-newest` (10.8.1) beside cdktf 0.21; beside CDK Terrain
 * 0.24 (CI's cdktn run, whose constructs range ends below 10.8) the repository's own `constructs`.
 */
function newestConstructs(manifest: PackageJson): string {
  const semver = require(packageDir('semver', ROOT)) as { satisfies: (v: string, range: string) => boolean; rcompare: (a: string, b: string) => number };
  const cdktf = readJson<PackageJson>(join(packageDir('cdktf', ROOT), 'package.json'));
  const ranges = [manifest.peerDependencies!.constructs, cdktf.peerDependencies?.constructs ?? '*'];
  const candidates = ['constructs-newest', 'constructs']
    .map((alias) => packageDir(alias, ROOT))
    .map((dir) => ({ dir, version: readJson<PackageJson>(join(dir, 'package.json')).version }))
    .filter((c) => ranges.every((r) => semver.satisfies(c.version, r)))
    .sort((x, y) => semver.rcompare(x.version, y.version));
  if (candidates.length === 0) throw new Error(`no constructs in node_modules satisfies ${ranges.join(' and ')}`);
  return candidates[0].dir;
}

/** The package's own tarball, packed from a copy of the sources (prepack builds it clean there). */
function packProject(into: string): { file: string; files: number; size: number; unpacked: number } {
  const src = join(into, 'src');
  const skip = new Set(['node_modules', 'dist', 'cdktf.out', '.git', 'review', 'coverage']);
  cpSync(ROOT, src, { recursive: true, filter: (s) => !skip.has(relative(ROOT, s).split('/')[0]) && !/\.staging-|\.tgz$/.test(s) });
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  const out = ok(sh('npm', ['pack', '--json', '--pack-destination', into], src), 'npm pack of the project');
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string; entryCount: number; size: number; unpackedSize: number }[];
  return { file: join(into, info.filename), files: info.entryCount, size: info.size, unpacked: info.unpackedSize };
}

/** The same settings twice: as a config file (for this repository's synthesis) and as TypeScript (the consumer's). */
const CONFIG_YAML = `environments:
  prod:
    backend: {type: azurerm, storageAccountName: tfstate01, containerName: tfstate}
    application:
      displayName: Pandora ITSM mail
      mail: {flow: app-only, protocols: [imap, smtp], mailboxes: [helpdesk@contoso.com]}
    mfaPolicy:
      displayName: MFA Pilot
      group: {existingObjectId: 00000000-0000-4000-8000-00000000fa4e}
      excludeUsers: [00000000-0000-4000-8000-0000000b7ea5]
    guardrails:
      suppressions:
        - {rule: ITSM-SEC-003, resource: itsm-mail/client-secret, reason: The ITSM tool accepts only a client secret.}
`;

const MAIN_TS = `// A platform team's cdktf app: the package's entry point only (no deep import), TypeScript 5.x.
import { App } from 'cdktf';
import {
  addApplicationOutputs,
  addMfaPolicyOutputs,
  Guardrails,
  ItsmMailApplication,
  ItsmMailStack,
  MfaConditionalAccessPolicy,
  type GuardrailFinding,
  type ItsmMailApplicationProps,
  type ItsmMailStackProps,
  type MfaPolicyProps,
} from 'entra-itsm-mail';

const app = new App({ outdir: 'cdktf.out' });
const stackProps: ItsmMailStackProps = { backend: { type: 'azurerm', storageAccountName: 'tfstate01', containerName: 'tfstate' } };
const stack = new ItsmMailStack(app, 'prod', stackProps);
const application: ItsmMailApplicationProps = {
  displayName: 'Pandora ITSM mail',
  mail: { flow: 'app-only', protocols: ['imap', 'smtp'], mailboxes: ['helpdesk@contoso.com'] },
};
const mail = new ItsmMailApplication(stack, 'itsm-mail', application);
addApplicationOutputs(stack, mail);
const policyProps: MfaPolicyProps = {
  displayName: 'MFA Pilot',
  group: { existingObjectId: '00000000-0000-4000-8000-00000000fa4e' },
  excludeUsers: ['00000000-0000-4000-8000-0000000b7ea5'],
};
addMfaPolicyOutputs(stack, new MfaConditionalAccessPolicy(stack, 'mfa-policy', policyProps));
Guardrails.suppress(mail.clientSecret, 'ITSM-SEC-003', 'The ITSM tool accepts only a client secret.');
const findings: GuardrailFinding[] = Guardrails.check(stack);
app.synth();
console.log(JSON.stringify(findings.map((f) => [f.ruleId, f.severity, f.suppressedReason !== undefined])));
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'es2022',
    lib: ['es2022'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    // As cdktf init writes it; the package's declarations are checked on their own (exported-types.test.ts).
    skipLibCheck: true,
    types: ['node'],
    outDir: 'build',
  },
  files: ['main.ts'],
};

/** The JSON without cdktf's version metadata (cdktf writes 0.21.0, CDK Terrain 0.24.0). */
function withoutVersion(json: string): unknown {
  const doc = JSON.parse(json) as { '//'?: { metadata?: { version?: string } } };
  if (doc['//']?.metadata) doc['//'].metadata.version = '<version>';
  return doc;
}

describe('the npm package, installed into a fresh cdktf app', () => {
  const work = mkdtempSync(join(tmpdir(), 'itsm-mail-package-'));
  const deps = join(work, 'deps');
  const appDir = join(work, 'app');
  mkdirSync(deps);
  mkdirSync(appDir);
  let project: ReturnType<typeof packProject>;
  let peers: Record<string, string>;
  /** The version of each peer the app must end up with. */
  let expected: Record<string, string>;

  afterAll(() => {
    if (!KEEP) rmSync(work, { recursive: true, force: true });
  });

  it('packs: only the library, the command (dist/cli.js), the schema, the examples and the package documents', () => {
    project = packProject(work);
    const listing = ok(sh('tar', ['tzf', project.file], work), 'tar')
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    expect(listing).toContain('dist/lib/index.js');
    expect(listing).toContain('dist/lib/index.d.ts');
    // The licences of the data it ships (the permission catalogue, the tier-0 classification): MIT asks for the notice in every copy.
    expect(listing).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'CHANGELOG.md',
        'schema/itsm-mail-config.schema.json',
        'lib/permissions/data/microsoft-graph.LICENSE',
        'lib/permissions/data/graph-permission-tiers.LICENSE',
      ]),
    );
    // dist/cli.js: the command (package.json "bin"), once it is built.
    const unexpected = listing.filter(
      (f) =>
        !/^(dist\/lib\/.+\.(js|d\.ts|json)|dist\/cli\.js|schema\/[^/]+\.json|config\/[^/]+\.yaml|lib\/permissions\/data\/[^/]+\.LICENSE|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(
          f,
        ),
    );
    expect(unexpected).toEqual([]);
    expect(listing.filter((f) => /__tests__|test-support|\.ci\/|tsbuildinfo|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    process.stdout.write(`package tarball: ${project.files} files, ${project.size} bytes (${project.unpacked} unpacked)\n`);
  }, 120_000);

  it('installs offline beside the peers the app brings, with one copy of each', () => {
    const manifest = readJson<PackageJson>(join(ROOT, 'package.json'));
    const roots = new Map<string, string>();
    // The package's dependencies, and the peers a consumer app has: from this repository's node_modules.
    for (const dep of Object.keys(manifest.dependencies ?? {})) roots.set(dep, packageDir(dep, ROOT));
    for (const peer of Object.keys(manifest.peerDependencies ?? {}))
      roots.set(peer, peer === 'constructs' ? newestConstructs(manifest) : packageDir(peer, ROOT));
    roots.set('@types/node', packageDir('@types/node', ROOT));
    for (const name of PEERS_GIVEN.keys()) roots.delete(name);
    if (roots.has('cdktf') && readJson<PackageJson>(join(roots.get('cdktf')!, 'package.json')).name !== 'cdktf') {
      throw new Error(
        'node_modules/cdktf is CDK Terrain: give it as ITSM_MAIL_PACKAGE_PEERS=cdktf=npm:cdktn@<version> with ITSM_MAIL_PACKAGE_CACHE (see .ci/run)',
      );
    }
    const tarballs = packClosure(roots, deps);
    peers = Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`]));
    for (const [name, spec] of PEERS_GIVEN) peers[name] = spec.endsWith('.tgz') ? `file:${spec}` : spec;
    expected = Object.fromEntries(
      Object.entries(peers).map(([name, spec]) => [
        name,
        spec.startsWith('file:') ? tarballManifest(spec.slice('file:'.length)).version : /(\d+\.\d+\.\d+[^@]*)$/.exec(spec)![1],
      ]),
    );
    const direct = [...Object.keys(manifest.peerDependencies ?? {}), '@types/node'];
    writeFileSync(
      join(appDir, 'package.json'),
      JSON.stringify(
        {
          name: 'consumer-app',
          private: true,
          dependencies: { 'entra-itsm-mail': `file:${project.file}`, ...Object.fromEntries(direct.map((n) => [n, peers[n]])) },
          // Every other package from its tarball too, and cdktf as the app declares it (so CDK Terrain
          // under the name cdktf satisfies the provider bindings' peer cdktf ^0.21, as the README tells users).
          overrides: { ...Object.fromEntries(Object.entries(peers).filter(([n]) => !direct.includes(n))), cdktf: '$cdktf' },
        },
        null,
        2,
      ),
    );
    writeFileSync(
      join(appDir, 'cdktf.json'),
      JSON.stringify(
        {
          language: 'typescript',
          app: 'node build/main.js',
          projectId: 'consumer-app',
          sendCrashReports: 'false',
          terraformProviders: [],
          terraformModules: [],
          context: {},
        },
        null,
        2,
      ),
    );
    writeFileSync(join(appDir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    writeFileSync(join(appDir, 'main.ts'), MAIN_TS);
    writeFileSync(join(appDir, 'prod.yaml'), CONFIG_YAML);
    ok(sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', CACHE ?? join(work, 'empty-npm-cache')], appDir), 'offline npm install');

    // One copy of each peer, at the app's top level: none nested under the package.
    const nested = join(appDir, 'node_modules', 'entra-itsm-mail', 'node_modules');
    expect(existsSync(nested) ? readdirSync(nested) : []).toEqual([]);
    const installed = (n: string) => readJson<PackageJson>(join(appDir, 'node_modules', n, 'package.json')).version;
    for (const peer of direct) expect(`${peer}@${installed(peer)}`).toBe(`${peer}@${expected[peer]}`);
    process.stdout.write(`consumer peers: ${direct.map((n) => `${n}@${installed(n)}`).join(', ')}\n`);
  }, 300_000);

  it('type-checks a main.ts that imports only the entry point, with TypeScript 5.x', () => {
    const tsc = join(ROOT, 'node_modules', 'ts5', 'bin', 'tsc');
    expect(readJson<PackageJson>(join(ROOT, 'node_modules', 'ts5', 'package.json')).version).toMatch(/^5\./);
    const r = sh(process.execPath, [tsc, '-p', 'tsconfig.json'], appDir);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('synthesizes the JSON this repository writes for the same settings', () => {
    const r = sh(process.execPath, ['build/main.js'], appDir);
    expect(r.stderr).not.toMatch(NODE_WARNING);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    // The findings the consumer sees: ITSM-SEC-003 suppressed as in the config file.
    expect(JSON.parse(r.stdout)).toContainEqual(['ITSM-SEC-003', 'warning', true]);

    const { loadConfigFile, synthesizeConfig } = require(join(ROOT, 'dist', 'lib', 'index.js')) as typeof import('../lib/index');
    const ours = join(work, 'ours');
    synthesizeConfig(loadConfigFile(join(appDir, 'prod.yaml')), ours);
    const theirs = readFileSync(join(appDir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8');
    const mine = readFileSync(join(ours, 'stacks', 'prod', 'cdk.tf.json'), 'utf8');
    expect(withoutVersion(theirs)).toEqual(withoutVersion(mine));
    // Byte for byte but for the framework's version and, when the app uses CDK Terrain, the layout of
    // an empty object or array (as scripts/compare-cdk-out.mjs compares in CI).
    const version = (json: string) => (JSON.parse(json) as { '//': { metadata: { version: string } } })['//'].metadata.version;
    const layout = (json: string) => json.replace(/\{\n\s*\}/g, '{}').replace(/\[\n\s*\]/g, '[]');
    const same = mine.replace(`"version": "${version(mine)}"`, `"version": "${version(theirs)}"`);
    if (version(theirs) === version(mine)) expect(theirs).toBe(mine);
    else expect(layout(theirs)).toBe(layout(same));
    expect(version(theirs)).toBe(expected.cdktf);
  }, 120_000);

  // The installed command (package.json "bin"), run from the app's folder as a pipeline runs it.
  it('installs the command: entra-itsm-mail synth and review --format sarif work from the app folder', () => {
    const bin = join(appDir, 'node_modules', '.bin', 'entra-itsm-mail');
    const synth = sh(bin, ['synth', '--config', 'prod.yaml'], appDir, { CDKTF_OUTDIR: 'cli-out' });
    expect({ status: synth.status, stdout: synth.stdout }).toEqual({ status: 0, stdout: 'prod.yaml: synthesized 1 stack(s) into cli-out/stacks: prod\n' });
    expect(synth.stderr).not.toMatch(NODE_WARNING);
    const fromCommand = readFileSync(join(appDir, 'cli-out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8');
    const fromApp = readFileSync(join(appDir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8');
    expect(fromCommand).toBe(fromApp);
    const review = sh(bin, ['review', '--config', 'prod.yaml', '--format', 'sarif'], appDir);
    expect(review.status).toBe(0);
    const Ajv = require('ajv') as typeof import('ajv').default;
    const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(readJson<object>(join(ROOT, 'schema', 'third-party', 'sarif-schema-2.1.0.json')));
    const log = JSON.parse(review.stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect({ valid: validate(log), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
    expect(log.runs[0].results.map((r) => r.ruleId)).toContain('ITSM-SEC-003');
    expect(readFileSync(join(appDir, 'review', 'prod.md'), 'utf8').startsWith('<!-- entra-itsm-mail:review:prod -->\n')).toBe(true);
  }, 120_000);
});

/** The package.json inside an npm tarball. */
function tarballManifest(file: string): PackageJson {
  return JSON.parse(ok(sh('tar', ['xzf', file, '-O', 'package/package.json'], dirname(file)), `tar of ${file}`)) as PackageJson;
}
