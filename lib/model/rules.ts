/**
 * How a model holds its rules: one entry per field of its props (the compiler asks for an entry
 * when a field is added), plus the rules that read several fields. The constructs run all of
 * them; the config loader runs those whose fields have a valid shape, so a file with one mistyped
 * field still gets every other rule checked in the same run.
 */
import { NOTHING_UNRESOLVED, under, type IsUnresolved, type Problem } from './problem';
import { credentialsIn } from './text';

/** The rules of one field: its problems given the whole props (paths from the props' root). */
export type FieldRule<P> = (props: P, isUnresolved: IsUnresolved) => readonly Problem[];

/** A field that is a concept of its own, with its own rule set. */
export interface NestedRule<P> {
  readonly nested: RuleSet<never>;
  /** The field's value, undefined when absent. */
  readonly of: (props: P) => unknown;
}

/** A list or map field whose items are checked one by one (a malformed item does not stop the others). */
export interface EachRule<P> {
  /** An item's problems, paths relative to the item. */
  readonly each: (item: never, key: never, isUnresolved: IsUnresolved) => readonly Problem[];
  readonly of: (props: P) => readonly unknown[] | Readonly<Record<string, unknown>> | undefined;
}

/** A model's rules. */
export interface RuleSet<P> {
  /** Every field of the props: its rule, a nested rule set, or `null` when it has none of its own. */
  readonly fields: { readonly [K in keyof Required<P>]: FieldRule<P> | NestedRule<P> | EachRule<P> | null };
  /** Rules that read several fields: they run only when every field they read is valid. */
  readonly across: readonly { readonly reads: readonly (keyof P & string)[]; readonly check: FieldRule<P> }[];
}

/** Paths (below the props) whose shape is invalid; everything at or below them is skipped. */
export type ShapeIssues = readonly (readonly PropertyKey[])[];

/**
 * Every problem of `props`, skipping what lies at or below a path in `invalid`. A value (or a map's
 * key) that holds a credential gets the credential's problem alone, as in the config loader: the
 * field's own rule would quote the value back.
 */
export function runRules<P>(set: RuleSet<P>, props: P, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED, invalid: ShapeIssues = []): Problem[] {
  const problems = fieldProblems(set, props, isUnresolved, invalid);
  if (props === null || typeof props !== 'object' || Array.isArray(props)) return problems;
  const below = (path: readonly PropertyKey[], prefix: readonly PropertyKey[]) => prefix.every((k, i) => path[i] === k);
  const credentials = Object.keys(set.fields)
    .filter((key) => key in props)
    .flatMap((key) => credentialsIn((props as Record<string, unknown>)[key], isUnresolved, [key]))
    .filter((c) => !invalid.some((p) => below(c.path, p)));
  if (credentials.length === 0) return problems;
  const at = new Set(credentials.map((c) => JSON.stringify(c.path)));
  return [...credentials.map((c) => ({ path: c.path, message: c.message })), ...problems.filter((p) => !at.has(JSON.stringify(p.path)))];
}

function fieldProblems<P>(set: RuleSet<P>, props: P, isUnresolved: IsUnresolved, invalid: ShapeIssues): Problem[] {
  // A value whose own shape is wrong (a list where a mapping belongs) has no fields to check.
  if (invalid.some((p) => p.length === 0) || props === null || typeof props !== 'object' || Array.isArray(props)) return [];
  const bad = (key: string) => invalid.some((p) => p[0] === key);
  const exactlyBad = (key: string) => invalid.some((p) => p.length === 1 && p[0] === key);
  const problems: Problem[] = [];
  for (const key of Object.keys(set.fields) as (keyof P & string)[]) {
    const rule = set.fields[key as keyof Required<P>];
    if (rule === null) continue;
    if (typeof rule === 'function') {
      if (!bad(key)) problems.push(...rule(props, isUnresolved));
    } else if ('each' in rule) {
      const items = rule.of(props);
      if (items === undefined || items === null || typeof items !== 'object' || exactlyBad(key)) continue;
      const entries: [string | number, unknown][] = Array.isArray(items) ? items.map((item, i) => [i, item]) : Object.entries(items);
      for (const [k, item] of entries) {
        if (!invalid.some((p) => p[0] === key && p[1] === k)) problems.push(...under([key, k], rule.each(item as never, k as never, isUnresolved)));
      }
    } else {
      const value = rule.of(props);
      if (value === undefined || exactlyBad(key)) continue;
      const inner = invalid.filter((p) => p[0] === key).map((p) => p.slice(1));
      problems.push(...under([key], fieldProblems(rule.nested, value as never, isUnresolved, inner)));
    }
  }
  for (const a of set.across) if (!a.reads.some(bad)) problems.push(...a.check(props, isUnresolved));
  return problems;
}

/** A field that is a concept with its own rule set. */
export function nested<P, V>(rules: RuleSet<V>, of: (props: P) => V | undefined): NestedRule<P> {
  return { nested: rules as unknown as RuleSet<never>, of };
}

/** A list field checked item by item. */
export function each<P, V>(
  check: (item: V, index: number, isUnresolved: IsUnresolved) => readonly Problem[],
  of: (props: P) => readonly V[] | undefined,
): EachRule<P> {
  return { each: check as unknown as EachRule<P>['each'], of };
}

/** A map field checked entry by entry. */
export function eachEntry<P, V>(
  check: (item: V, key: string, isUnresolved: IsUnresolved) => readonly Problem[],
  of: (props: P) => Readonly<Record<string, V>> | undefined,
): EachRule<P> {
  return { each: check as unknown as EachRule<P>['each'], of };
}
