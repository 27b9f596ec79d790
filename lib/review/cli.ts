// Placeholder; the review work (issue #6) replaces it.
export function runReviewCli(_args: readonly string[], _env: NodeJS.ProcessEnv): number {
  process.stderr.write('npm run review is not implemented yet\n');
  return 70;
}
