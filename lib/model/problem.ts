/**
 * One thing wrong with a setting: where (the path of keys below the concept it belongs to, in the
 * config file's words, which are also the construct props' names) and what to do about it.
 *
 * Every model's `…Problems` function returns these; the config loader prefixes the section's path
 * and adds the file and line, the constructs throw them as one error. One wording for both.
 */
export interface Problem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Tells a value that is only known at deploy time (a cdktf token) from a literal. Rules skip such
 * values; pure callers (the config file) never have any. Constructs pass cdktf's `Token.isUnresolved`.
 */
export type IsUnresolved = (value: unknown) => boolean;

/** The predicate of pure callers: nothing is unresolved. */
export const NOTHING_UNRESOLVED: IsUnresolved = () => false;

/** The problems of a part, re-rooted under `prefix`. */
export function under(prefix: readonly (string | number)[], problems: readonly Problem[]): Problem[] {
  return problems.map((p) => ({ path: [...prefix, ...p.path], message: p.message }));
}

/** One problem at `path`, when `message` is defined. */
export function problemAt(path: readonly (string | number)[], message: string | undefined): Problem[] {
  return message === undefined ? [] : [{ path, message }];
}

/** A repeated entry of a list, reported on the list. */
export function repeated(values: readonly unknown[], path: readonly (string | number)[], what: string): Problem[] {
  return new Set(values.map((v) => JSON.stringify(v))).size === values.length
    ? []
    : [{ path, message: `must not repeat ${/^[aeio]/i.test(what) ? 'an' : 'a'} ${what}` }];
}

/** `a.b[0].c`, or `(props)` for the whole. */
export function renderProblemPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out || '(props)';
}

/** The error a construct throws for its problems: one line per problem, with its path. */
export class InvalidPropsError extends Error {
  constructor(
    public readonly owner: string,
    public readonly problems: readonly Problem[],
  ) {
    super(`${owner} has ${problems.length} invalid setting(s):\n${problems.map((p) => `  ${renderProblemPath(p.path)}: ${p.message}`).join('\n')}`);
    this.name = 'InvalidPropsError';
  }
}

/** Throws `InvalidPropsError` when there is any problem. */
export function throwIfProblems(owner: string, problems: readonly Problem[]): void {
  if (problems.length > 0) throw new InvalidPropsError(owner, problems);
}

/** A value for messages: quoted, shortened, never a secret (see `secretShape`). */
export function show(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}
