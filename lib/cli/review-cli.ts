import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CONFIG_ENV, DEFAULT_CONFIG, type CliIo } from './synth-cli';
import { loadConfigFile } from '../config/load-config';
import { ConfigError, formatProblem, type ConfigProblem } from '../config/problems';
import type { ItsmMailConfig } from '../config/schema';
import { didYouMean } from '../private/did-you-mean';
import { withoutTokenStackTraces } from '../private/token-stack-traces';
import { PlanError, readPlanFile } from '../review/plan';
import { reviewPlan } from '../review/plan-review';
import { renderReview } from '../review/render';
import type { EnvironmentReview } from '../review/review-model';
import { tenantStackName } from '../model/tenant';

/** Where the review files go when --out is not given. */
/** The longest comment GitHub accepts, in characters. */
const GITHUB_COMMENT_LIMIT = 65_536;

export const DEFAULT_REVIEW_DIR = 'review';

const USAGE = `usage: npm run review -- [--config FILE] [--plan PLAN.json] [--env NAME] [--out DIR]

Writes a markdown review of each environment of FILE to DIR/<environment>.md and prints it.
FILE defaults to $${CONFIG_ENV}, then ${DEFAULT_CONFIG}; DIR defaults to ${DEFAULT_REVIEW_DIR}.
--plan reads the JSON of a saved plan (terraform show -json tfplan > plan.json) and marks what it
creates, updates, replaces or destroys; with more than one environment, name its --env.
--plan without --config (and without $${CONFIG_ENV}) reviews any plan of the azuread provider on its
own: every change and every change made outside Terraform in words, the dangerous ones called out,
and the guardrails on what it leaves; written to DIR/<plan file name>.md.`;

interface Options {
  configFile: string;
  /** True when --config or $ITSM_MAIL_CONFIG named the config file. */
  configGiven: boolean;
  planFile?: string;
  environment?: string;
  outDir: string;
}

/**
 * The `npm run review` command line.
 * @returns the process exit code: 0 written, 1 bad config or plan, 2 unexpected failure, 64 usage
 */
export function runReviewCli(args: readonly string[], env: NodeJS.ProcessEnv, io: CliIo = defaultIo): number {
  const parsed = parseArgs(args, env);
  if (typeof parsed === 'string') {
    if (parsed === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    io.stderr(`error: ${parsed}`);
    io.stderr(USAGE);
    return 64;
  }
  const o = parsed;
  // No config named: the plan is reviewed on its own (any azuread plan, from any tool).
  if (o.planFile !== undefined && !o.configGiven) return runPlanAlone(o.planFile, o.outDir, env, io);
  try {
    const config = loadConfigFile(o.configFile);
    // Each environment's stack, and each tenant's (tenant-<name>).
    const names = [...Object.keys(config.environments).sort(), ...Object.keys(config.tenants ?? {}).sort().map(tenantStackName)];
    if (o.environment !== undefined && !names.includes(o.environment)) {
      const hint = didYouMean(o.environment, names);
      throw new ConfigError([
        { file: o.configFile, path: 'environments', message: `has no environment or tenant stack "${o.environment}" (given to --env)${hint ? ` (did you mean "${hint}"?)` : ''}; it has ${names.join(', ')}` },
      ]);
    }
    const selected = o.environment !== undefined ? [o.environment] : names;
    if (o.planFile !== undefined && selected.length > 1) {
      io.stderr(`error: --plan needs --env NAME: ${o.configFile} has ${selected.length} environments (${selected.join(', ')}) and a plan belongs to one`);
      return 64;
    }
    const plan = o.planFile !== undefined ? readPlanFile(o.planFile) : undefined;
    const reviews = buildReviews(config, selected);
    const texts = reviews.map((r) =>
      renderReview(r, { configFile: o.configFile, ...(plan ? { plan: reviewPlan(plan, r), planFile: o.planFile } : {}) }),
    );
    mkdirSync(o.outDir, { recursive: true });
    reviews.forEach((r, i) => writeFileSync(join(o.outDir, `${r.environment}.md`), texts[i]));
    io.stdout(texts.join('\n').trimEnd());
    io.stderr(`${o.configFile}: wrote ${reviews.map((r) => join(o.outDir, `${r.environment}.md`)).join(', ')}`);
    // GitHub refuses a comment longer than 65,536 characters (docs/review.md posts one per environment).
    texts.forEach((t, i) => {
      if (t.length > GITHUB_COMMENT_LIMIT) {
        io.stderr(`${join(o.outDir, `${reviews[i].environment}.md`)}: ${t.length} characters, more than the ${GITHUB_COMMENT_LIMIT} a GitHub comment takes: post it as a file (an artifact or a gist) and link it, or split the plan`);
      }
    });
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof PlanError) {
      const problems: readonly ConfigProblem[] = e.problems;
      for (const p of problems) io.stderr(formatProblem(p));
      io.stderr(`${problems[0]?.file ?? o.configFile}: ${problems.length} problem(s); no review was written.`);
      return 1;
    }
    const err = e as Error;
    io.stderr(`${o.configFile}: review failed: ${err.message}`);
    if (env.ITSM_MAIL_DEBUG) io.stderr(String(err.stack));
    else io.stderr('Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this.');
    return 2;
  }
}

/**
 * Builds the environments' constructs (nothing is synthesized) and reads their reviews. cdktf is
 * loaded only here, as on the synth path: a bad file or plan is reported without its start-up.
 */
export function buildReviews(config: ItsmMailConfig, environments: readonly string[]): EnvironmentReview[] {
  const { App } = require('cdktf') as typeof import('cdktf');
  const { buildStacksFromConfig } = require('../config/build-from-config') as typeof import('../config/build-from-config');
  const { collectReviews } = require('../review/collect') as typeof import('../review/collect');
  // The App creates its outdir; nothing is written into it.
  const outdir = mkdtempSync(join(tmpdir(), 'itsm-review-'));
  try {
    // Everything is built (a tenant's stack reads its environments' applications), then the
    // stacks asked for are reviewed. Suppressions are applied by buildStacksFromConfig, as on the synth path.
    return withoutTokenStackTraces(() => {
      const app = new App({ outdir, stackTraces: false });
      buildStacksFromConfig(app, config);
      return collectReviews(app).filter((r) => environments.includes(r.environment));
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv): Options | string {
  const o: Options = { configFile: env[CONFIG_ENV] || DEFAULT_CONFIG, configGiven: Boolean(env[CONFIG_ENV]), outDir: DEFAULT_REVIEW_DIR };
  const flags: Record<string, 'configFile' | 'planFile' | 'environment' | 'outDir'> = {
    '--config': 'configFile',
    '-c': 'configFile',
    '--plan': 'planFile',
    '--env': 'environment',
    '--out': 'outDir',
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const key = flags[flag];
    if (!key) return `unknown argument "${arg}"`;
    const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') return `${flag} needs a value`;
    o[key] = value;
    if (key === 'configFile') o.configGiven = true;
  }
  return o;
}

/** `review --plan FILE` without a config: the plan alone, written to DIR/<plan name>.md and printed. */
function runPlanAlone(planFile: string, outDir: string, env: NodeJS.ProcessEnv, io: CliIo): number {
  const { reviewPlanAlone } = require('../review/plan-alone') as typeof import('../review/plan-alone');
  try {
    const plan = readPlanFile(planFile);
    const name = basename(planFile).replace(/\.json$/i, '') || 'plan';
    const { text } = reviewPlanAlone(plan, basename(planFile));
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, `${name}.md`);
    writeFileSync(out, text);
    io.stdout(text.trimEnd());
    io.stderr(`${planFile}: wrote ${out}`);
    if (text.length > GITHUB_COMMENT_LIMIT) io.stderr(`${out}: ${text.length} characters, more than the ${GITHUB_COMMENT_LIMIT} a GitHub comment takes: post it as a file (an artifact or a gist) and link it, or split the plan`);
    return 0;
  } catch (e) {
    if (e instanceof PlanError) {
      for (const p of e.problems) io.stderr(formatProblem(p));
      io.stderr(`${planFile}: ${e.problems.length} problem(s); no review was written.`);
      return 1;
    }
    const err = e as Error;
    io.stderr(`${planFile}: review failed: ${err.message}`);
    if (env.ITSM_MAIL_DEBUG) io.stderr(String(err.stack));
    else io.stderr('Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this.');
    return 2;
  }
}

const defaultIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};
