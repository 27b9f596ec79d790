import { hasUnprintable, printable } from './printable';

/**
 * One thing wrong with a file the user gave (the config file, a plan's JSON): where (the file and
 * the dotted path of the field) and what.
 */
export interface FileProblem {
  /** The file, as the user named it. */
  readonly file: string;
  /** Dotted path of the field, e.g. `environments.prod.tenantId`; `(file)` for the file as a whole. */
  readonly path: string;
  /** What is wrong, what is allowed, and how to fix it. */
  readonly message: string;
  /** 1-based line of the field in the file, when known. */
  readonly line?: number;
  /** 1-based column of the field in the file, when known. */
  readonly column?: number;
}

/**
 * `FILE: path.to.field: message (line N)` — the one-line form printed on stderr. Control and format
 * characters from the file (in keys or quoted values) are escaped, so a problem is always one line.
 */
export function formatProblem(p: FileProblem): string {
  const where = p.line !== undefined ? ` (line ${p.line})` : '';
  return printable(`${p.file}: ${p.path}: ${p.message}${where}`);
}

/**
 * `FILE:LINE:COL: error: path.to.field: message`, the form compilers print, which editors and
 * problem matchers (GitHub's, VS Code's `$gcc`) read; `FILE: error: …` when the problem has no line
 * (the file as a whole). Printed by the command line; `formatProblem` stays the library's form.
 */
export function formatProblemLine(p: FileProblem): string {
  const at = p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : '';
  return printable(`${p.file}${at}: error: ${p.path}: ${p.message}`);
}

/** Renders a path of keys and indexes as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (needsQuotes(String(key))) out += `[${printable(JSON.stringify(String(key)))}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** A key that would make a dotted path ambiguous or unreadable is shown quoted: `a["b.c"]`. */
function needsQuotes(key: string): boolean {
  return key === '' || key.trim() !== key || /[.[\]"]/.test(key) || hasUnprintable(key);
}
