// Entry point of this repository's `npm run review`: the command's `review`, with this
// repository's example as the default config. All logic lives in lib/.
import { main } from './lib/entry/command';

main(['review', ...process.argv.slice(2)], { defaultConfig: 'config/example.yaml' });
