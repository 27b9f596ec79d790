// Entry point of `npm run review`. All logic lives in lib/review/.
import { runReviewCli } from './lib/cli/review-cli';

process.exitCode = runReviewCli(process.argv.slice(2), process.env);
