#!/usr/bin/env node
// The installed command, `entra-itsm-mail <synth|review|verify|adopt|schema>` (package.json "bin").
// All logic lives in lib/entry/command.ts.
import { main } from './lib/entry/command';

main(process.argv.slice(2));
