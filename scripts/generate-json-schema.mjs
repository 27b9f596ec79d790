// Writes schema/itsm-mail-config.schema.json and schema/review-suppressions.schema.json from the
// compiled zod schemas, and schema/report-v1.schema.json
// (run `npm run schema`).
// A test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { configJsonSchema, planSuppressionsJsonSchema } = require(join(root, 'dist/lib/config/json-schema.js'));
const target = join(root, 'schema/itsm-mail-config.schema.json');
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
// The suppressions file of a plan reviewed without a config (lib/config/plan-suppressions.ts).
const suppressions = join(root, 'schema/review-suppressions.schema.json');
writeFileSync(suppressions, `${JSON.stringify(planSuppressionsJsonSchema(), null, 2)}\n`);
console.log(`wrote ${suppressions}`);
// The JSON report of synth/review --format json (lib/cli/report-schema.ts).
const { reportJsonSchema } = require(join(root, 'dist/lib/cli/report-schema.js'));
const report = join(root, 'schema/report-v1.schema.json');
writeFileSync(report, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
console.log(`wrote ${report}`);
