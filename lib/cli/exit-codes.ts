/**
 * One exit-code scheme for every subcommand of `entra-itsm-mail` (synth, review, verify, adopt,
 * schema), so a pipeline can gate on them. Documented in README.md ("Exit codes") and in each
 * subcommand's --help; a test checks the table there against this one.
 */
export const ExitCode = Object.freeze({
  /** Done; for review: no plan change at or above --fail-on. */
  ok: 0,
  /** Unexpected failure: a bug or the environment (no stack trace unless ITSM_MAIL_DEBUG=1). */
  unexpected: 1,
  /** Usage: a bad command line (unknown flag, missing or refused value). */
  usage: 2,
  /** Input problems: the config file, the plan file or the suppressions file is invalid or unreadable. */
  input: 3,
  /** synth: unsuppressed guardrail errors, nothing was written; review of a plan without a config: unsuppressed guardrail errors on it. */
  guardrail: 4,
  /** review: the plan has a change at or above --fail-on (dangerous or attention). */
  reviewGate: 5,
  /** verify / adopt: a remote check failed (sign-in, mailbox, Microsoft Graph). */
  remote: 6,
} as const);

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The table, in words, as README.md and every --help print it. */
export const EXIT_CODE_WORDS: readonly (readonly [ExitCodeValue, string])[] = [
  [ExitCode.ok, 'success'],
  [ExitCode.unexpected, 'unexpected failure (a bug or the environment; ITSM_MAIL_DEBUG=1 prints the stack trace)'],
  [ExitCode.usage, 'usage: a bad command line'],
  [ExitCode.input, 'input problems: the config file or plan file is invalid or unreadable'],
  [ExitCode.guardrail, 'unsuppressed guardrail errors (synth: nothing was written; review of a plan without a config)'],
  [ExitCode.reviewGate, 'review gate: a plan change at or above --fail-on'],
  [ExitCode.remote, 'verify / adopt: a remote check failed (sign-in, mailbox, Microsoft Graph)'],
];

/** The exit codes a subcommand can return, as lines for its --help. */
export function exitCodeHelp(codes: readonly ExitCodeValue[]): string {
  return ['Exit codes:', ...EXIT_CODE_WORDS.filter(([c]) => codes.includes(c)).map(([c, w]) => `  ${c}  ${w}`)].join('\n');
}
