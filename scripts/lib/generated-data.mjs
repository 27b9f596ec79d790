// What the generators of lib/permissions/data have in common: input errors (exit 2), the MIT
// licence beside an input, the reviewable JSON layout (header objects indented, one entry per
// line), and writing the files or, with --check, failing when the committed ones differ.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** A problem with the input or the command line: reported in one line, exit 2. */
export class InputError extends Error {}

/** The licence of an input: `<input name>.LICENSE` beside it, else `LICENSE` in its folder. */
export function licensePathFor(input) {
  const beside = join(dirname(input), `${basename(input, extname(input))}.LICENSE`);
  return existsSync(beside) ? beside : join(dirname(input), 'LICENSE');
}

/** The "Copyright ..." line of an MIT licence text; fails (saying `refusal`) on any other licence. */
export function mitCopyright(licenseText, licensePath, refusal) {
  if (!/^\s*MIT License\b/.test(licenseText) || !/Permission is hereby granted, free of charge/.test(licenseText)) {
    throw new InputError(`${licensePath} does not look like the MIT license; ${refusal}`);
  }
  const line = licenseText.split(/\r?\n/).find((l) => /^\s*Copyright\b/.test(l));
  if (!line) throw new InputError(`${licensePath} has no "Copyright ..." line`);
  return line.trim();
}

/**
 * The provenance every generated file starts its `source` with: where the input was taken from (the
 * commit's URL), the input's SHA-256, and its MIT licence with the copyright line and the licence
 * file shipped beside the output. The caller adds its own keys after these.
 */
export function mitSource({ repository, path, commit, raw, copyright, licenseFile }) {
  return {
    repository,
    path,
    commit,
    url: `https://github.com/${repository}/blob/${commit}/${path}`,
    sha256: createHash('sha256').update(raw).digest('hex'),
    license: 'MIT',
    copyright,
    licenseFile,
  };
}

/** The licence text as shipped beside the output: ending in a newline. */
export function licenseFileText(text) {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** A map's entries sorted by key in code-unit order: stable across machines and locales. */
export function sortedByKey(map) {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Pretty enough to review and diff: header objects indented, then each list with one entry per line. */
export function render(header, lists) {
  const lines = ['{'];
  for (const [key, value] of Object.entries(header)) lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')},`);
  lists.forEach(([key, entries], listIndex) => {
    lines.push(`  ${JSON.stringify(key)}: {`);
    entries.forEach(([name, entry], i) => {
      lines.push(`    ${JSON.stringify(name)}: ${JSON.stringify(entry)}${i < entries.length - 1 ? ',' : ''}`);
    });
    lines.push(`  }${listIndex < lists.length - 1 ? ',' : ''}`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `files` ([path, content] pairs) into `outDir`, or with `check` compares them with what is
 * there. `what` names the data ("permission catalogue is ..."), `regenerate` says how to fix a
 * stale copy. Returns the exit code (1: out of date).
 */
export function writeOrCheck({ files, outDir, check, what, regenerate, input, summary, show }) {
  if (check) {
    const stale = files.filter(([path, content]) => !existsSync(path) || readFileSync(path, 'utf8') !== content);
    if (stale.length > 0) {
      process.stderr.write(`${what} out of date: ${stale.map(([p]) => show(p)).join(', ')} differ(s) from what ${show(input)} generates.\n${regenerate}\n`);
      return 1;
    }
    process.stdout.write(`${what} up to date (${summary})\n`);
    return 0;
  }
  mkdirSync(outDir, { recursive: true });
  for (const [path, content] of files) writeFileSync(path, content);
  return 0;
}

/** Runs a generator's main: its exit code, or 2 with one line for an InputError. */
export function runGenerator(name, main) {
  try {
    process.exitCode = main();
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      throw error;
    }
  }
}
