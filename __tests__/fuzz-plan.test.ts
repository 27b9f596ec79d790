import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ExitCode } from '../lib/cli/exit-codes';
import { runReviewInProcess } from '../test-support/cli';
import { validReport, validSarif } from '../test-support/report-schemas';

/*
 * Property-based fuzzing of `review --plan` without a config, in-process, on the real plans of
 * __tests__/fixtures/plans mutated at random places: values replaced by hostile text (terminal
 * escapes, bidirectional and invisible characters, markdown, HTML, GitHub workflow commands,
 * credentials), by values of the wrong type, keys deleted or renamed, list entries doubled, the text
 * cut short. Every input must either be reviewed (exit 0, 4 or 5) or refused as input problems
 * (exit 3, no review file), in the format asked for, and:
 * - nothing the CLI prints or writes holds a control, bidirectional or invisible character raw;
 * - no planted credential appears, nor any 12 characters of its random part;
 * - planted text never starts a line of the review or of the GitHub annotations (no heading, fence,
 *   quote, HTML or workflow command of the input's making);
 * - JSON and SARIF output validate against their schemas; GitHub output is one annotation per line.
 * Replay: FUZZ_SEED=<seed> FUZZ_RUNS=<runs> npx jest __tests__/fuzz-plan.test.ts (the seed is printed).
 * CI (.ci/run) sets FUZZ_SEED from the commit.
 */

const RUNS = Number(process.env.FUZZ_PLAN_RUNS ?? process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 0x7fffffff);
const PATH = process.env.FUZZ_PATH;

const PLANS_DIR = join(__dirname, 'fixtures', 'plans');
/** The plans (not other JSON) up to 200 KB: the four larger ones (650 KB) would make each case slow. */
const PLANS = (function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return walk(p);
    if (!n.endsWith('.json') || statSync(p).size > 200_000) return [];
    const j = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
    return typeof j.format_version === 'string' && 'terraform_version' in j ? [p] : [];
  });
})(PLANS_DIR).sort();

/** The random part of every planted credential: none of its 12-character runs may be printed. */
const RANDOM_PART = 'Zq7vK2mX9pL4wR8tY3nB6cF1hJ5';
const FAKE = 'FAKEfake';
/** Credentials of several shapes, built from clearly fake parts. */
const CREDENTIALS = [
  `${FAKE.slice(0, 3)}8Q~${RANDOM_PART}${FAKE}`, // the current client secret format
  `${RANDOM_PART.slice(0, 10)}.${RANDOM_PART.slice(10)}_${FAKE}9`, // an older one (2020 alphabet, 44)
  `Server=db.example.invalid;User Id=fake;Password=${RANDOM_PART};`,
  `-----BEGIN PRIVATE KEY-----\nMIIE${RANDOM_PART}${RANDOM_PART}\n-----END PRIVATE KEY-----`,
  `https://fake.blob.core.windows.net/c?sv=2022-11-02&sig=${RANDOM_PART}%2B${FAKE}%3D`,
];
/** Text meant to break out of where it is printed; each carries the mark. */
const MARK = 'PLANTEDxyz';
const HOSTILE = [
  `\u001b[2J\u001b[31m${MARK}`,
  `a\r\n# ${MARK} heading`,
  `a\n\n\`\`\`\n${MARK}\n\`\`\``,
  `\`\`\`${MARK}`,
  `x | ${MARK} | y\n| --- |`,
  `<img src=x onerror=alert(1)>${MARK}`,
  `[${MARK}](javascript:alert(1))`,
  `\n::error file=x::${MARK}`,
  `%0A::add-mask::${MARK}`,
  `::set-output name=x::${MARK}`,
  `\u202e${MARK}\u202c`,
  `\u200b${MARK}\ufeff`,
  `\u2028> ${MARK}`,
  `${MARK}\u0000\u0007\u007f\u0085`,
  `'; Remove-Mailbox -Identity boss ; '${MARK}`,
  `\${file("/etc/passwd")}${MARK}`,
  `${MARK}${'x'.repeat(5000)}`,
];
const WRONG_TYPES: unknown[] = [null, 0, -1, 1e308, true, [], {}, [null], JSON.parse('{"__proto__": {"polluted": 1}}'), '', ' '];

type Op =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'double'; at: number }
  | { kind: 'rename'; at: number; to: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom<unknown>(...HOSTILE, ...CREDENTIALS) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(...WRONG_TYPES) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('double' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), to: fc.constantFrom('__proto__', 'constructor', MARK, `a.b${MARK}`, '') }),
);

const input = fc.record({
  plan: fc.nat({ max: PLANS.length - 1 }),
  ops: fc.array(op, { minLength: 1, maxLength: 4 }),
  cut: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }),
  format: fc.constantFrom('text', 'json', 'sarif', 'github'),
});
type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

/** Every container and the key in it, depth first, in a fixed order. */
function places(root: unknown): { parent: Record<string, unknown> | unknown[]; key: string | number }[] {
  const out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v, key: i }), walk(x)));
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.push({ parent: v as Record<string, unknown>, key: k });
        walk(x);
      }
  };
  walk(root);
  return out;
}

/** A copy of a value to plant: the same object planted twice, then changed, would make the plan circular. */
function fresh(v: unknown): unknown {
  // JSON keeps an own "__proto__" key as JSON.parse made it.
  return v !== null && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v;
}

function mutated(i: Input): string {
  const plan = JSON.parse(readFileSync(PLANS[i.plan], 'utf8')) as unknown;
  for (const o of i.ops) {
    const all = places(plan);
    if (all.length === 0) break;
    const { parent, key } = all[o.at % all.length];
    if (Array.isArray(parent)) {
      const k = key as number;
      if (o.kind === 'set') parent[k] = fresh(o.value);
      else if (o.kind === 'delete') parent.splice(k, 1);
      else if (o.kind === 'double') parent.splice(k, 0, structuredClone(parent[k]));
      else parent[k] = { [o.to]: parent[k] };
    } else {
      const k = key as string;
      if (o.kind === 'set') parent[k] = fresh(o.value);
      else if (o.kind === 'delete') delete parent[k];
      else if (o.kind === 'double') parent[`${k}`] = [parent[k], structuredClone(parent[k])];
      else {
        // JSON.parse makes "__proto__" an own key; so does defineProperty here.
        Object.defineProperty(parent, o.to, { value: parent[k], enumerable: true, writable: true, configurable: true });
        delete parent[k];
      }
    }
  }
  const text = JSON.stringify(plan, null, 1);
  return i.cut === undefined ? text : text.slice(0, Math.floor(text.length * i.cut));
}

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/u;
const LEAK = Array.from({ length: RANDOM_PART.length - 11 }, (_x, k) => RANDOM_PART.slice(k, k + 12));

function problems(i: Input, r: { status: number | null; stdout: string; stderr: string }, review: string | undefined): string[] {
  const out: string[] = [];
  const allowed: number[] = [ExitCode.ok, ExitCode.input, ExitCode.guardrail, ExitCode.reviewGate];
  if (r.status === null || !allowed.includes(r.status)) out.push(`exit ${r.status}`);
  if (/review failed|^\s+at /m.test(r.stderr)) out.push('an unexpected failure or a stack trace on stderr');
  for (const [where, text] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
    ['review file', review ?? ''],
  ] as const) {
    const raw = RAW.exec(text);
    if (raw) out.push(`${where}: a raw U+${raw[0].codePointAt(0)!.toString(16).padStart(4, '0')}`);
    const leak = LEAK.find((l) => text.includes(l));
    if (leak) out.push(`${where}: part of a planted credential (${leak})`);
    for (const line of text.split('\n')) {
      if (/^\s*(#|```|>|<|::|\||- \[)/.test(line) && line.replace(/^\s*(#+|```+|>|<|::|\||- \[)\s*/, '').startsWith(MARK))
        out.push(`${where}: a line of the input's making: ${line.slice(0, 120)}`);
    }
  }
  if (r.status === ExitCode.input) {
    if (review !== undefined) out.push('a review file was written for refused input');
    if (i.format === 'text' && !/^plan\.json(:\d+:\d+)?: error: /m.test(r.stderr)) out.push(`no problem line on stderr: ${r.stderr.slice(0, 300)}`);
  } else if (review === undefined) out.push('no review file');
  try {
    if (i.format === 'json') validReport(r.stdout);
    if (i.format === 'sarif') validSarif(r.stdout);
  } catch (e) {
    out.push(`${i.format} output invalid: ${String((e as Error).message).slice(0, 500)}`);
  }
  if (i.format === 'github')
    for (const line of r.stdout.split('\n').filter((l) => l !== ''))
      if (!/^::(error|warning|notice)( [^:]*)?::/.test(line)) out.push(`not an annotation: ${line.slice(0, 120)}`);
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'itsm-fuzz-plan-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('fuzzing the review of any plan', () => {
  it('has plans to mutate', () => {
    expect(PLANS.length).toBeGreaterThanOrEqual(25);
  });

  it('the checks fail on what they look for', () => {
    const i: Input = { plan: 0, ops: [], cut: undefined, format: 'text' };
    const ok = { status: 0, stdout: '', stderr: '' };
    expect(problems(i, { ...ok, stdout: `a\u001b[2Jb` }, '')).toEqual(['stdout: a raw U+001b']);
    expect(problems(i, ok, `x ${RANDOM_PART.slice(3, 15)}`)).toEqual([`review file: part of a planted credential (${RANDOM_PART.slice(3, 15)})`]);
    expect(problems(i, ok, `text\n# ${MARK} heading`)).toEqual([`review file: a line of the input's making: # ${MARK} heading`]);
    expect(problems(i, { ...ok, status: 1, stderr: 'plan.json: review failed: x' }, '')).toEqual([
      'exit 1',
      'an unexpected failure or a stack trace on stderr',
    ]);
    expect(problems({ ...i, format: 'github' }, { ...ok, stdout: `::error::a\n${MARK}` }, '')).toEqual([`not an annotation: ${MARK}`]);
    expect(problems(i, { ...ok, status: ExitCode.input, stderr: 'plan.json:1:1: error: (file): x' }, 'half')).toEqual([
      'a review file was written for refused input',
    ]);
  });

  it(`reviews or cleanly refuses ${RUNS} mutated real plans, in every output format (seed ${SEED})`, () => {
    console.log(
      `fuzz-plan: seed ${SEED}, ${RUNS} runs over ${PLANS.length} plans. Replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npx jest __tests__/fuzz-plan.test.ts`,
    );
    const tally = { reviewed: 0, refused: 0 };
    let n = 0;
    fc.assert(
      fc.property(input, (i) => {
        const dir = join(work, String(n++));
        mkdirSync(dir);
        writeFileSync(join(dir, 'plan.json'), mutated(i));
        const r = runReviewInProcess(dir, ['--plan', 'plan.json', '--out', 'out', '--format', i.format], { ITSM_MAIL_DEBUG: process.env.ITSM_MAIL_DEBUG });
        const file = join(dir, 'out', 'plan.md');
        const review = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
        const found = problems(i, r, review);
        // The failing plan is kept outside the work folder, to replay by hand: review --plan <it>.
        const kept = join(tmpdir(), `fuzz-plan-failure-${SEED}.json`);
        if (found.length > 0) writeFileSync(kept, readFileSync(join(dir, 'plan.json')));
        rmSync(dir, { recursive: true, force: true });
        if (found.length > 0)
          throw new Error(
            `${found.join('\n')}\n--- input (kept in ${kept}): ${relative(PLANS_DIR, PLANS[i.plan])}, --format ${i.format}${i.cut !== undefined ? `, cut at ${i.cut}` : ''}: ${JSON.stringify(i.ops).slice(0, 2000)}\n--- exit ${r.status}, stderr:\n${r.stderr.slice(0, 2000)}`,
          );
        if (r.status === ExitCode.input) tally.refused++;
        else tally.reviewed++;
      }),
      { seed: SEED, numRuns: RUNS, path: PATH, endOnFailure: true },
    );
    console.log(`fuzz-plan: ${tally.reviewed} reviewed, ${tally.refused} refused as input problems. Seed ${SEED}.`);
    // Not vacuous: most mutations leave a plan that is still reviewed (measured: about 70%).
    if (RUNS >= 50) expect(tally.reviewed).toBeGreaterThanOrEqual(RUNS * 0.3);
  }, 600_000);
});
