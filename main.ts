// Entry point of `npm run synth` and of cdktf.json's "app". All logic lives in lib/.
import { runCli } from './lib/cli/synth-cli';

process.exitCode = runCli(process.argv.slice(2), process.env);
