// Entry point of `npm run adopt`. All logic lives in lib/adopt/.
import { runAdoptCli } from './lib/adopt/cli';

void runAdoptCli(process.argv.slice(2), process.env).then((code) => {
  process.exitCode = code;
});
