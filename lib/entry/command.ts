/**
 * `entra-itsm-mail <subcommand>`: the one command, installed as the package's `bin`. Each
 * subcommand's module is loaded only when it runs, so `synth` pays for nothing else.
 */
import { PROGRAM } from '../cli/args';
import { EXIT_CODE_WORDS, ExitCode } from '../cli/exit-codes';
import type { CliIo, CliOptions } from '../cli/synth-cli';

const SUBCOMMANDS: readonly (readonly [string, string])[] = [
  ['synth', 'synthesize the Terraform stacks of a config, after the guardrails'],
  ['review', 'write a review of each stack (and of a plan) in words, for the pull request'],
  ['verify', 'check that the ITSM tool can sign in and use the mailbox (IMAP, POP, SMTP)'],
  ['adopt', 'declare what the Azure portal made (an app registration, a policy) in the config'],
  ['schema', 'print the JSON Schema of the config file or of the JSON report'],
];

/** The top-level --help. */
export function programHelp(): string {
  return [
    `usage: ${PROGRAM} <command> [flags]`,
    '',
    'Commands:',
    ...SUBCOMMANDS.map(([n, w]) => `  ${n.padEnd(8)} ${w}`),
    '',
    `Run "${PROGRAM} <command> --help" for a command's flags. Paths are relative to the working directory.`,
    '',
    'Exit codes:',
    ...EXIT_CODE_WORDS.map(([c, w]) => `  ${c}  ${w}`),
  ].join('\n');
}

/**
 * Runs `argv` (the subcommand and its flags).
 * @returns the exit code, at once for synth, review and schema, as a promise for verify and adopt
 */
export function runCommand(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo = defaultIo, options: CliOptions = {}): number | Promise<number> {
  const [name, ...args] = argv;
  switch (name) {
    case 'synth':
      return (require('../cli/synth-cli') as typeof import('../cli/synth-cli')).runCli(args, env, io, options);
    case 'review':
      return (require('../cli/review-cli') as typeof import('../cli/review-cli')).runReviewCli(args, env, io, options);
    case 'verify':
      return (require('../verify/cli') as typeof import('../verify/cli')).runVerifyCli(args, env, io);
    case 'adopt':
      return (require('../adopt/cli') as typeof import('../adopt/cli')).runAdoptCli(args, env, io);
    case 'schema':
      return (require('../cli/schema-cli') as typeof import('../cli/schema-cli')).runSchemaCli(args, io);
    case '--help':
    case '-h':
    case 'help':
      io.stdout(programHelp());
      return ExitCode.ok;
    case '--version':
    case '-V':
      io.stdout((require('../cli/report') as typeof import('../cli/report')).toolVersion());
      return ExitCode.ok;
    default: {
      const { quote } = require('../cli/args') as typeof import('../cli/args');
      io.stderr(name === undefined ? 'error: name a command' : `error: unknown command ${quote(name)}`);
      io.stderr(programHelp());
      return ExitCode.usage;
    }
  }
}

/** Runs the command line of this process and sets its exit code. */
export function main(argv: readonly string[], options: CliOptions = {}): void {
  const code = runCommand(argv, process.env, defaultIo, options);
  if (typeof code === 'number') process.exitCode = code;
  else
    void code.then(
      (c) => {
        process.exitCode = c;
      },
      (e: unknown) => {
        process.stderr.write(`${PROGRAM}: failed unexpectedly: ${(e as Error).message}\n`);
        process.exitCode = ExitCode.unexpected;
      },
    );
}

const defaultIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};
