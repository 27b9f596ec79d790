/**
 * A lookup table whose keys come from outside (a plan's values, Graph's answers): no prototype, so
 * `table.constructor` or `table.toString` is undefined like any other key the table lacks, and
 * frozen.
 */
export function table<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
