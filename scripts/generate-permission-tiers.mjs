#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InputError,
  licenseFileText,
  licensePathFor,
  mitCopyright,
  mitSource,
  render,
  runGenerator,
  sortedByKey,
  writeOrCheck,
} from './lib/generated-data.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CATALOGUE = join(REPO_ROOT, 'lib/permissions/data/microsoft-graph.generated.json');
const JSON_NAME = 'graph-permission-tiers.generated.json';
const LICENSE_NAME = 'graph-permission-tiers.LICENSE';
const UPSTREAM = {
  repository: 'maester365/maester',
  path: 'powershell/public/maester/entra/Test-MtHighRiskAppPermissions.ps1',
};
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPES = { Application: 'application', Delegated: 'delegated' };
const PATHS = ['Direct', 'Indirect'];
const FIELDS = ['Id', 'Name', 'Type', 'Path'];

function parseArgs(argv) {
  const options = { check: false, outDir: join(REPO_ROOT, 'lib/permissions/data') };
  for (const arg of argv) {
    if (arg === '--check') options.check = true;
    else if (arg.startsWith('--commit=')) options.commit = arg.slice('--commit='.length);
    else if (arg.startsWith('--out=')) options.outDir = resolve(process.cwd(), arg.slice('--out='.length));
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg.startsWith('-')) throw new InputError(`unknown option ${arg}`);
    else if (options.input !== undefined) throw new InputError(`only one input path is accepted, got a second one: ${arg}`);
    else options.input = resolve(process.cwd(), arg);
  }
  if (options.help) return options;
  if (options.input === undefined) throw new InputError('give the path of Test-MtHighRiskAppPermissions.ps1 (taken from maester365/maester at --commit)');
  if (!/^[0-9a-f]{40}$/.test(options.commit ?? ''))
    throw new InputError(`--commit must be the 40-character lowercase hex commit the input was taken from, got "${options.commit ?? ''}"`);
  return options;
}

/**
 * The entries of the `$allCriticalGraphPermissions = @( ... )` array: each a
 * `[pscustomobject]@{ Id = '…'  Name = '…'  Type = '…'  Path = '…' }` literal. Anything else in the
 * array, or a literal with other or missing fields, fails: the list is read, never guessed.
 */
function parsePs1(source, inputPath) {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const start = text.search(/\$allCriticalGraphPermissions\s*=\s*@\(/);
  if (start < 0) throw new InputError(`${inputPath}: no "$allCriticalGraphPermissions = @(" array found; is this Test-MtHighRiskAppPermissions.ps1?`);
  const open = text.indexOf('@(', start) + 2;
  // The array ends at the first ")" that is alone on its line.
  const close = text.slice(open).search(/\n[ \t]*\)[ \t]*\n/);
  if (close < 0) throw new InputError(`${inputPath}: the $allCriticalGraphPermissions array is not closed`);
  const body = text.slice(open, open + close);
  const entries = [];
  const problems = [];
  const literal = /\[pscustomobject\]@\{([^{}]*)\}/gi;
  let rest = body;
  let index = 0;
  for (const m of body.matchAll(literal)) {
    const where = `$allCriticalGraphPermissions[${index++}]`;
    const fields = {};
    for (const line of m[1]
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))) {
      const f = /^([A-Za-z]+)\s*=\s*'([^']*)'$/.exec(line);
      if (!f) problems.push(`${where}: cannot read ${JSON.stringify(line)} (expected Key = 'value')`);
      else if (f[1] in fields) problems.push(`${where}: ${f[1]} given twice`);
      else fields[f[1]] = f[2];
    }
    const keys = Object.keys(fields).sort();
    if (keys.join() !== [...FIELDS].sort().join()) problems.push(`${where}: has fields ${keys.join(', ') || '(none)'}, expected exactly ${FIELDS.join(', ')}`);
    else if (!GUID.test(fields.Id)) problems.push(`${where} (${fields.Name}): Id ${JSON.stringify(fields.Id)} is not a GUID`);
    else if (!(fields.Type in TYPES))
      problems.push(`${where} (${fields.Name}): Type ${JSON.stringify(fields.Type)} is neither ${Object.keys(TYPES).join(' nor ')}`);
    else if (!PATHS.includes(fields.Path)) problems.push(`${where} (${fields.Name}): Path ${JSON.stringify(fields.Path)} is neither ${PATHS.join(' nor ')}`);
    else entries.push({ id: fields.Id.toLowerCase(), name: fields.Name, type: TYPES[fields.Type], pathType: fields.Path, where });
    rest = rest.replace(m[0], '');
  }
  if (rest.replace(/#[^\n]*/g, '').trim() !== '')
    problems.push(
      `the $allCriticalGraphPermissions array holds something other than [pscustomobject]@{...} literals: ${JSON.stringify(rest.trim().slice(0, 80))}`,
    );
  if (entries.length === 0 && problems.length === 0) problems.push('the $allCriticalGraphPermissions array is empty');
  if (problems.length > 0) throw new InputError(`${inputPath} cannot be read:\n  - ${problems.join('\n  - ')}`);
  return entries;
}

/**
 * One entry per (type, name); an exact repeat is dropped (the source lists a few twice), a repeat
 * that disagrees fails. Every ID/name pair must be the catalogue's.
 */
function classify(entries, catalogue, inputPath) {
  const out = { application: new Map(), delegated: new Map() };
  const problems = [];
  const byId = new Map();
  let repeats = 0;
  for (const e of entries) {
    const seen = out[e.type].get(e.name);
    if (seen) {
      if (seen.id === e.id && seen.pathType === e.pathType) repeats++;
      else problems.push(`${e.where}: ${e.type} ${e.name} is listed twice, differently (${seen.id} ${seen.pathType} vs ${e.id} ${e.pathType})`);
      continue;
    }
    const other = byId.get(e.id);
    if (other && (other.name !== e.name || other.type !== e.type))
      problems.push(`${e.where}: ID ${e.id} is given to both ${other.type} ${other.name} and ${e.type} ${e.name}`);
    byId.set(e.id, e);
    const known = catalogue[e.type]?.[e.name];
    if (!known) {
      const byCatalogueId = Object.entries(catalogue[e.type] ?? {}).find(([, p]) => p.id.toLowerCase() === e.id);
      problems.push(
        `${e.where}: ${e.type} permission ${e.name} (${e.id}) is not in the catalogue${byCatalogueId ? `; the catalogue gives this ID to ${byCatalogueId[0]}` : ''}`,
      );
    } else if (known.id.toLowerCase() !== e.id) {
      problems.push(`${e.where}: ${e.type} permission ${e.name} has ID ${e.id} here but ${known.id} in the catalogue`);
    }
    out[e.type].set(e.name, { id: e.id, pathType: e.pathType });
  }
  if (problems.length > 0) {
    throw new InputError(
      `${inputPath} disagrees with the permission catalogue (${relative(REPO_ROOT, CATALOGUE)}):\n  - ${problems.join('\n  - ')}\nFix the input or regenerate the catalogue (scripts/generate-permission-catalogue.mjs) first.`,
    );
  }
  return { application: sortedByKey(out.application), delegated: sortedByKey(out.delegated), repeats };
}

function generate(options) {
  if (!existsSync(options.input)) throw new InputError(`input not found: ${options.input}`);
  const raw = readFileSync(options.input);
  const licensePath = licensePathFor(options.input);
  if (!existsSync(licensePath))
    throw new InputError(`license not found next to the input: ${licensePath} (copy maester365/maester's LICENSE at the same commit there)`);
  const licenseText = readFileSync(licensePath, 'utf8');
  const copyright = mitCopyright(licenseText, licensePath, 'refusing to ship data under another license');
  const entries = parsePs1(raw.toString('utf8'), options.input);
  const catalogue = JSON.parse(readFileSync(CATALOGUE, 'utf8'));
  const { application, delegated, repeats } = classify(entries, catalogue, options.input);
  const header = {
    source: {
      ...mitSource({ repository: UPSTREAM.repository, path: UPSTREAM.path, commit: options.commit, raw, copyright, licenseFile: LICENSE_NAME }),
      basedOn:
        "Maester's list is based on the azure-tiering research by Emilien Socchi (https://github.com/emiliensocchi/azure-tiering), as the source file says",
      definition:
        "Microsoft Graph permissions, application and delegated, that can lead to a direct or indirect path to Global Administrator and full tenant takeover (the source file's synopsis)",
      note: 'generated by scripts/generate-permission-tiers.mjs; do not edit by hand',
      transformations: `only each permission's ID, name, type and path type are taken; every ID/name pair checked against microsoft-graph.generated.json; ${repeats} exact repeat(s) of the source dropped; sorted by name`,
      entries: entries.length,
    },
    resourceAppId: catalogue.resourceAppId,
  };
  return {
    files: [
      [
        join(options.outDir, JSON_NAME),
        render(header, [
          ['application', application],
          ['delegated', delegated],
        ]),
      ],
      [join(options.outDir, LICENSE_NAME), licenseFileText(licenseText)],
    ],
    summary: `${application.length + delegated.length} permissions: ${application.length} application, ${delegated.length} delegated, from ${entries.length} entries`,
  };
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(
      'usage: node scripts/generate-permission-tiers.mjs --commit=<sha> path/to/Test-MtHighRiskAppPermissions.ps1 [--check] [--out=<dir>]\n',
    );
    return 0;
  }
  const { files, summary } = generate(options);
  const show = (p) => {
    const r = relative(process.cwd(), p);
    return r === '' || r.startsWith('..') ? p : r;
  };
  const code = writeOrCheck({
    files,
    outDir: options.outDir,
    check: options.check,
    what: 'permission tiers are',
    regenerate: 'Run scripts/generate-permission-tiers.mjs without --check and commit the result.',
    input: options.input,
    summary,
    show,
  });
  if (options.check || code !== 0) return code;
  process.stdout.write(`wrote ${files.map(([p]) => show(p)).join(' and ')} (${summary})\n`);
  return 0;
}

runGenerator('generate-permission-tiers', main);
