// Entry point of this repository's `npm run verify`: the command's `verify`. All logic lives in lib/.
import { main } from './lib/entry/command';

main(['verify', ...process.argv.slice(2)]);
