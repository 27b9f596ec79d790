/**
 * What cdktf-cli tells the app it runs (cdktf.json's "app") through the environment. Read from
 * cdktf-cli 0.21's synth step (@cdktf/cli-core src/lib/synth-stack.ts): it runs the app with
 * CDKTF_OUTDIR, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true ("we want to display the errors
 * ourselves": it prints every annotation as INFO/WARN/ERROR and fails on an ERROR one),
 * SYNTH_HCL_OUTPUT and CDKTF_CONTEXT_JSON with its cdktfRelativeModules; it logs the app's stdout as
 * plain lines and each chunk of its stderr through its logger as `[ERROR] default -`, whatever it
 * says.
 */

/** The variable cdktf's error message advertises to synthesize in spite of error annotations. */
export const CONTINUE_ON_ERROR_ANNOTATIONS = 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS';

/** True when this process is the app cdktf-cli runs for `cdktf synth|diff|deploy`. */
export function runByCdktfCli(env: NodeJS.ProcessEnv): boolean {
  return env.SYNTH_HCL_OUTPUT !== undefined && (env.CDKTF_CONTEXT_JSON ?? '').includes('"cdktfRelativeModules"');
}

/** True when cdktf's synthesizer is told to write stacks in spite of error annotations. */
export function continuesOnErrorAnnotations(env: NodeJS.ProcessEnv): boolean {
  return env[CONTINUE_ON_ERROR_ANNOTATIONS] !== undefined;
}
