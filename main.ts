// Entry point of this repository's `npm run synth` and of cdktf.json's "app": the command's
// `synth`, with this repository's example as the default config. All logic lives in lib/.
import { main } from './lib/entry/command';

main(['synth', ...process.argv.slice(2)], { defaultConfig: 'config/example.yaml' });
