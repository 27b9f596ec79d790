// Compares two cdktf.out folders written by CDK for Terraform 0.21 and by CDK Terrain 0.24 (CI,
// .ci/run): the same files, each byte for byte except for two things the frameworks write
// differently and that mean the same to Terraform:
//  - the framework's version in the metadata (`"version": "0.21.0"` / `"0.24.0"`, in each stack's
//    "//".metadata and in manifest.json);
//  - the layout of an empty object or array: cdktf 0.21 writes with json-stable-stringify
//    (`{` and `}` on two lines), CDK Terrain with safe-stable-stringify (`{}`).
// Everything else (keys, order, values, indentation) must be identical. Exit 1 with the first
// difference of each file otherwise.
//
// usage: node scripts/compare-cdk-out.mjs CDKTF_OUT CDKTN_OUT
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  process.stderr.write('usage: node scripts/compare-cdk-out.mjs CDKTF_OUT CDKTN_OUT\n');
  process.exit(2);
}

function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** The framework's version: "//".metadata.version of a stack, the top-level "version" of manifest.json. */
function frameworkVersion(doc) {
  return doc?.['//']?.metadata?.version ?? doc?.version;
}

function normalized(text, file) {
  let out = text;
  if (file.endsWith('.json')) {
    const version = frameworkVersion(JSON.parse(text));
    if (version === undefined) throw new Error(`${file}: no framework version found`);
    // The first such line is the framework's ("//" sorts first; manifest.json has one): a provider's
    // pinned version ("3.7.0") further down is left alone.
    out = out.replace(`"version": "${version}"`, '"version": "<framework version>"');
  }
  return out.replace(/\{\n\s*\}/g, '{}').replace(/\[\n\s*\]/g, '[]');
}

const left = files(a);
const right = files(b);
let failed = false;
if (left.join('\n') !== right.join('\n')) {
  process.stderr.write(`different files:\n  ${a}: ${left.join(', ')}\n  ${b}: ${right.join(', ')}\n`);
  failed = true;
}
let compared = 0;
for (const f of left.filter((x) => right.includes(x))) {
  const x = normalized(readFileSync(join(a, f), 'utf8'), f);
  const y = normalized(readFileSync(join(b, f), 'utf8'), f);
  compared += 1;
  if (x === y) continue;
  failed = true;
  const xl = x.split('\n');
  const yl = y.split('\n');
  const i = xl.findIndex((l, k) => l !== yl[k]);
  process.stderr.write(`${f}: differs at line ${i + 1}:\n  ${a}: ${xl[i]}\n  ${b}: ${yl[i]}\n`);
}
if (failed) process.exit(1);
process.stdout.write(`${compared} files identical but for the framework version and the layout of empty objects and arrays\n`);
