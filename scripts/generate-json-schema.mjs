// Writes schema/itsm-mail-config.schema.json from the compiled zod schema (run `npm run schema`).
// A test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { configJsonSchema } = require(join(root, 'dist/lib/config/json-schema.js'));
const target = join(root, 'schema/itsm-mail-config.schema.json');
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
