/**
 * cdktf captures a full stack trace (no depth limit) for every token it creates, on a plain object,
 * only to quote it in its own error messages; at 1000 stacks that is a tenth of the run. The CLI
 * prints no stack traces, so while it synthesizes, captures onto plain objects are skipped; real
 * Error objects keep theirs. Restored afterwards; ITSM_MAIL_DEBUG=1 keeps cdktf's traces.
 */
export function withoutTokenStackTraces<T>(run: () => T): T {
  if (process.env.ITSM_MAIL_DEBUG) return run();
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = (target: object, constructorOpt?: Function) => {
    if (target instanceof Error) capture(target, constructorOpt);
  };
  try {
    return run();
  } finally {
    Error.captureStackTrace = capture;
  }
}
