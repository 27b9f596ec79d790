/**
 * "Did you mean …?" suggestions for misspelt names (permission names, configuration keys).
 *
 * Why no dependency (e.g. `fastest-levenshtein`): the candidate lists here are small (a few hundred
 * names of ~30 characters, looked up only when something is already wrong), so a plain two-row
 * Levenshtein with a length pre-filter and an early cut-off answers in well under a millisecond per
 * lookup. A package would buy speed we do not need at the cost of one more supply-chain entry.
 */

/**
 * Returns the candidate the user most likely meant by `input`, or `undefined` when none is close.
 *
 * 1. A candidate equal to `input` ignoring case wins (names are case-sensitive, so "mail.read" is
 *    a miss that should point at "Mail.Read").
 * 2. Otherwise the candidate with the smallest Levenshtein distance to `input`, compared
 *    case-insensitively, provided the distance is at most max(2, ⌊length / 3⌋) — but always less
 *    than the input's length, so that a very short input never "matches" an unrelated name.
 *
 * Ties go to the smaller case-sensitive distance, then to the lexicographically smaller candidate,
 * so the answer never depends on the order of `candidates`. Returns `undefined` when `input` itself
 * is one of the candidates (there is nothing to suggest) or is empty.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length === 0) return undefined;
  const pool = [...new Set(candidates)];
  if (pool.includes(input)) return undefined;

  const lowered = input.toLowerCase();
  const caseOnly = pool.filter((c) => c.toLowerCase() === lowered).sort(compareCodeUnits);
  if (caseOnly.length > 0) return caseOnly[0];

  const maxDistance = Math.min(Math.max(2, Math.floor(input.length / 3)), input.length - 1);
  if (maxDistance < 1) return undefined;

  let best: { candidate: string; distance: number; exactDistance: number } | undefined;
  for (const candidate of pool) {
    if (Math.abs(candidate.length - input.length) > maxDistance) continue;
    const bound = best ? best.distance : maxDistance;
    const distance = levenshtein(lowered, candidate.toLowerCase(), bound);
    if (distance > bound) continue;
    const exactDistance = levenshtein(input, candidate);
    if (
      !best ||
      distance < best.distance ||
      (distance === best.distance &&
        (exactDistance < best.exactDistance || (exactDistance === best.exactDistance && compareCodeUnits(candidate, best.candidate) < 0)))
    ) {
      best = { candidate, distance, exactDistance };
    }
  }
  return best?.candidate;
}

/**
 * Levenshtein (insert / delete / substitute, each costing 1) distance between `a` and `b`, counted
 * in UTF-16 code units. With `bound`, stops early and returns `bound + 1` as soon as the distance is
 * known to exceed it.
 */
export function levenshtein(a: string, b: string, bound = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;

  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;

  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > bound) return bound + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
