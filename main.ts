// Entry point of this repository's `npm run synth` and of cdktf.json's "app": the command's
// `synth` (entra-itsm-mail synth), with this repository's example as the default config. It calls
// the subcommand directly, not through lib/entry/command.ts: synthesis speed is a feature, and the
// dispatch would only add a module to load. All logic lives in lib/.
import { runCli } from './lib/cli/synth-cli';

process.exitCode = runCli(process.argv.slice(2), process.env, undefined, { defaultConfig: 'config/example.yaml' });
