/**
 * The form two display names are compared by, so names that read the same are the same: the
 * "skeleton" of Unicode Technical Standard #39 (Unicode Security Mechanisms, section 4,
 * https://www.unicode.org/reports/tr39/#Confusable_Detection): NFD, each character replaced by its
 * prototype from Unicode's confusables.txt (the `unhomoglyph` package, which carries that table),
 * NFD again. Before it, characters that show nothing (default ignorables: zero-width spaces and
 * joiners, soft hyphens) are dropped and compatibility forms folded (NFKC: full-width letters,
 * ligatures, the no-break space; UTS #39 leaves these to NFKC); after it, case is folded and runs of spaces (a no-break space
 * is one) become one, as a reader does not tell them apart in the portal or the sign-in logs.
 */
let unhomoglyph: ((text: string) => string) | undefined;

export function nameSkeleton(name: string): string {
  const visible = name
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .normalize('NFKC')
    .normalize('NFD');
  // Loaded on first use (its table takes a few hundredths of a second): only configs that compare names need it.
  unhomoglyph ??= require('unhomoglyph') as (text: string) => string;
  return unhomoglyph(visible).normalize('NFD').toLowerCase().replace(/\s+/gu, ' ').trim();
}
