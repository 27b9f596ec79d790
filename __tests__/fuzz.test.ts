import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../lib/config/load-config';
import { ConfigError, type ConfigProblem } from '../lib/config/problems';
import type { ItsmMailConfig } from '../lib/config/schema';
import type { GuardrailFinding } from '../lib/guardrails/check';
import { synthesizeConfig } from '../lib/cli/synthesize';
import { configKeyPaths, fuzzInput, schemaKeyPaths, validConfig, type FuzzInput } from '../test-support/fuzz-arbitraries';
import { ROOT } from '../test-support/cli';
import { machinePaths, problemIssues, stackProblems } from '../test-support/fuzz-checks';

/*
 * Property-based fuzzing of the whole pipeline, in-process: config bytes → parseConfigText →
 * synthesizeConfig (the function the command line calls, writing into a temp folder). Every
 * generated input must either synthesize Terraform JSON that passes the structural checks below,
 * or be rejected with a ConfigError (or a guardrail error) whose problems are well-formed. Anything
 * else (another exception, a malformed problem) fails. How long a case takes is printed, never
 * asserted: wall time depends on what else the machine runs (npm run bench measures time).
 *
 * Replay: the seed is printed on every run. FUZZ_SEED=<seed> FUZZ_RUNS=<runs> npx jest fuzz
 * reruns the same inputs; FUZZ_PATH=<path from the failure report> jumps to the counterexample.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 0x7fffffff);
const PATH = process.env.FUZZ_PATH;
const FILE = 'fuzz.yaml';

const work = mkdtempSync(join(tmpdir(), 'itsm-fuzz-'));
const FORBIDDEN_PATHS = machinePaths(ROOT, work);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const tally = {
  valid: 0,
  validAccepted: 0,
  mutated: 0,
  'byte-flipped': 0,
  'random-text': 0,
  'random-bytes': 0,
  synthesized: 0,
  rejected: 0,
  guardrail: 0,
  stacks: 0,
  maxMs: 0,
};
let caseNo = 0;
/** Blocking guardrail findings by rule, to see which rules the generated configs trip. */
const blocking = new Map<string, number>();

function fail(input: FuzzInput, why: string): never {
  const text = Buffer.from(input.bytes).toString('utf8');
  throw new Error(`${why}\n--- input (${input.kind}; ${input.note}):\n${text.length > 2000 ? `${text.slice(0, 2000)}...` : text}`);
}

function checkProblems(input: FuzzInput, problems: readonly ConfigProblem[]): void {
  const issues = problemIssues(FILE, problems, Buffer.from(input.bytes).toString('utf8').split('\n').length);
  if (issues.length > 0) fail(input, `badly reported problems:\n${issues.join('\n')}`);
}

function checkFindings(input: FuzzInput, findings: readonly GuardrailFinding[]): void {
  if (!findings.some((f) => f.severity === 'error' && f.suppressedReason === undefined)) fail(input, 'guardrail error without a blocking finding');
  for (const f of findings) {
    if (!f.ruleId || !f.message || !f.path) fail(input, `malformed finding ${JSON.stringify(f)}`);
  }
}

function runCase(input: FuzzInput): void {
  tally[input.kind]++;
  let config: ItsmMailConfig;
  try {
    config = parseConfigText(input.bytes, FILE);
  } catch (e) {
    if (!(e instanceof ConfigError)) fail(input, `parseConfigText threw ${(e as Error)?.stack ?? String(e)}`);
    checkProblems(input, e.problems);
    tally.rejected++;
    return;
  }
  if (input.kind === 'valid') tally.validAccepted++;
  const dir = join(work, String(caseNo++));
  const outdir = join(dir, 'cdktf.out');
  let stacks: readonly string[];
  // cdktf captures a full stack trace for every token it creates, for its error messages; under
  // jest (source-map-support) formatting those traces is most of the synthesis time. They never
  // reach the output, so they are skipped here: ~2.5x faster, same JSON.
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = () => '';
  try {
    stacks = synthesizeConfig(config, outdir).stacks;
  } catch (e) {
    if ((e as Error)?.name !== 'GuardrailError')
      fail(input, `a config the loader accepted failed to synthesize: ${(e as Error)?.name}: ${(e as Error)?.message} ${(e as Error)?.stack ?? ''}`);
    const findings = (e as Error & { findings: readonly GuardrailFinding[] }).findings;
    checkFindings(input, findings);
    for (const f of findings) if (f.severity === 'error' && f.suppressedReason === undefined) blocking.set(f.ruleId, (blocking.get(f.ruleId) ?? 0) + 1);
    tally.guardrail++;
    return;
  } finally {
    Error.prepareStackTrace = prepare;
  }
  const names = Object.keys(config.environments).sort();
  // One stack per environment, then one per tenant with its conditional access.
  const expected = [
    ...names,
    ...Object.keys(config.tenants ?? {})
      .sort()
      .map((t) => `tenant-${t}`),
  ];
  if (JSON.stringify(stacks) !== JSON.stringify(expected)) fail(input, `stacks ${stacks.join(',')} for environments and tenants ${expected.join(',')}`);
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
  if (Object.keys(manifest.stacks).sort().join() !== [...expected].sort().join()) fail(input, 'manifest stacks differ from the environments and tenants');
  for (const name of names) {
    const problems = stackProblems(name, config.environments[name], readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'), FORBIDDEN_PATHS);
    if (problems.length > 0) fail(input, problems.join('\n'));
  }
  tally.synthesized++;
  tally.stacks += names.length;
  rmSync(dir, { recursive: true, force: true });
}

describe('the structural checks', () => {
  // Proves the checks the fuzzer relies on can fail: each crafted defect must be reported.
  const config = parseConfigText(readFileSync(join(ROOT, 'config', 'example.yaml')), 'example.yaml');
  const outdir = join(work, 'example', 'cdktf.out');
  synthesizeConfig(config, outdir);
  const text = readFileSync(join(outdir, 'stacks', 'prod', 'cdk.tf.json'), 'utf8');
  const env = config.environments.prod;
  const edit = (change: (json: Record<string, any>) => void) => {
    const json = JSON.parse(text) as Record<string, any>;
    change(json);
    return stackProblems('prod', env, JSON.stringify(json, null, 2), FORBIDDEN_PATHS);
  };

  it('pass on the example', () => {
    expect(stackProblems('prod', env, text, FORBIDDEN_PATHS)).toEqual([]);
  });

  it.each([
    ['a non-sensitive secret output', (j: any) => (j.output.client_secret.sensitive = false), /output client_secret carries a secret but is not sensitive/],
    [
      'a new output of a password value',
      (j: any) => (j.output.leak = { value: '${azuread_application_password.x.value}', description: 'd' }),
      /output leak carries a secret/,
    ],
    ['a dangling reference', (j: any) => (j.output.client_id.value = '${azuread_application.gone.client_id}'), /dangling reference azuread_application\.gone/],
    [
      'an absolute state path',
      (j: any) => (j.terraform.backend.local.path = `${work}/terraform.prod.tfstate`),
      /contains the absolute path|local backend path/,
    ],
    [
      'an empty list in the policy',
      (j: any) => (Object.values(j.resource.azuread_conditional_access_policy as object)[0].conditions.client_app_types = []),
      /empty list or mapping in the policy/,
    ],
    [
      'a second application',
      (j: any) => (j.resource.azuread_application.copy = j.resource.azuread_application[Object.keys(j.resource.azuread_application)[0]]),
      /2 azuread_application/,
    ],
    [
      'a lost rotation slot',
      (j: any) => delete j.resource.azuread_application_password[Object.keys(j.resource.azuread_application_password)[0]],
      /1 azuread_application_password/,
    ],
    [
      'an import block without an import section',
      (j: any) =>
        (j.import = [{ to: 'azuread_conditional_access_policy.mfa-policy', id: '/identity/conditionalAccess/policies/4b2c3d4e-1111-4222-8333-444455556666' }]),
      /import blocks without an import section/,
    ],
    [
      'an import of a secret',
      (j: any) => (j.import = [{ to: `azuread_application_password.${Object.keys(j.resource.azuread_application_password)[0]}`, id: 'x' }]),
      /azuread_application_password, which has no importer/,
    ],
    [
      'an import ID in another format',
      (j: any) => (j.import = [{ to: 'azuread_group.mfa-group', id: '4b2c3d4e-1111-4222-8333-444455556666' }]),
      /is not the provider's format for azuread_group/,
    ],
    [
      'an import into an undeclared resource',
      (j: any) => (j.import = [{ to: 'azuread_group.gone', id: '/groups/4b2c3d4e-1111-4222-8333-444455556666' }]),
      /import into azuread_group\.gone, which is not declared/,
    ],
  ])('fail on %s', (_what, change, message) => {
    expect(edit(change).join('\n')).toMatch(message);
  });
});

describe('fuzzing', () => {
  it('generates every key the schema accepts', () => {
    // A field added to the schema but never generated here would go unfuzzed: extend the arbitraries.
    const seen = new Set<string>();
    for (const c of fc.sample(validConfig, { seed: 1, numRuns: 400 })) for (const p of configKeyPaths(c)) seen.add(p);
    const missing = [...schemaKeyPaths()].filter((p) => !seen.has(p));
    expect(missing).toEqual([]);
  });

  it(`synthesizes or cleanly rejects ${RUNS} generated configs (seed ${SEED})`, () => {
    const replay = `FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npx jest __tests__/fuzz.test.ts`;
    console.log(`fuzz: seed ${SEED}, ${RUNS} runs${PATH ? `, path ${PATH}` : ''}. Replay: ${replay}`);
    const start = performance.now();
    fc.assert(
      fc.property(fuzzInput, (input) => {
        const t = performance.now();
        runCase(input);
        const ms = performance.now() - t;
        tally.maxMs = Math.max(tally.maxMs, ms);
      }),
      // No shrinking: each case synthesizes (up to ~0.5 s), so shrinking a failure could run for hours;
      // the failing input is printed whole, with the seed and path to replay it.
      { seed: SEED, numRuns: RUNS, path: PATH, verbose: 1, endOnFailure: true },
    );
    const ms = performance.now() - start;
    console.log(
      `fuzz: ${RUNS} runs in ${(ms / 1000).toFixed(1)} s (max ${tally.maxMs.toFixed(0)} ms per case); inputs ${tally.valid} valid (${tally.validAccepted} of them accepted), ${tally.mutated} mutated, ` +
        `${tally['byte-flipped']} byte-flipped, ${tally['random-text']} random text, ${tally['random-bytes']} random bytes; ` +
        `${tally.synthesized} synthesized (${tally.stacks} stacks), ${tally.rejected} rejected by the loader, ${tally.guardrail} by guardrails ` +
        `(${
          [...blocking]
            .sort((a, b) => b[1] - a[1])
            .map(([id, n]) => `${id} ×${n}`)
            .join(', ') || 'none'
        }). Seed ${SEED}.`,
    );
    // Not vacuous: a good share of the inputs must get past the loader, and some all the way out.
    // About 30% get that far (measured); the bounds sit over four standard deviations below it at
    // 100 runs, so they catch a generator that stopped producing valid configs without flaking.
    if (RUNS >= 100) {
      expect(tally.synthesized + tally.guardrail).toBeGreaterThanOrEqual(RUNS * 0.1);
      expect(tally.synthesized).toBeGreaterThanOrEqual(RUNS * 0.04);
      // The valid generator keeps up with the rules: about 94% of its configs pass the loader
      // (measured; the rest leave out a delegated redirect URI or a break-glass exclusion on
      // purpose). A rule it does not follow yet drops this well below the bound (it had fallen
      // to 38% when the include/exclude overlap rules arrived, and the fuzz tested less).
      expect(tally.validAccepted).toBeGreaterThanOrEqual(tally.valid * 0.6);
    }
  }, 600_000);
});
