// Entry point of this repository's `npm run adopt`: the command's `adopt`. All logic lives in lib/.
import { main } from './lib/entry/command';

main(['adopt', ...process.argv.slice(2)]);
