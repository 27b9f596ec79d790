// Entry point of `npm run verify`. All logic lives in lib/verify/.
import { runVerifyCli } from './lib/verify/cli';

void runVerifyCli(process.argv.slice(2), process.env).then((code) => {
  process.exitCode = code;
});
