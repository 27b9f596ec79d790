/**
 * A model of how PowerShell's tokenizer splits one line of a script into command tokens, for the
 * parts the runbook uses: single-quoted strings (PowerShell's `ScanStringLiteral`: any of ' ‘ ’ ‚ ‛
 * opens and closes one, and a doubled one stands for itself, CharExtensions.IsSingleQuote),
 * double-quoted strings, `#` comments, barewords, and the statement separators and operators that
 * would start another command (`;`, `|`, `&`, a newline). Written from PowerShell's documented
 * rules (about_Quoting_Rules, about_Parsing) to check what the runbook emits, not to run it.
 */
export type PsToken =
  | { readonly kind: 'single' | 'double' | 'word'; readonly text: string }
  | { readonly kind: 'separator'; readonly text: string }
  | { readonly kind: 'comment'; readonly text: string };

const SINGLE = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);
const DOUBLE = new Set(['"', '\u201C', '\u201D', '\u201E']);

export function tokenizeLine(line: string): PsToken[] {
  const tokens: PsToken[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '#') {
      tokens.push({ kind: 'comment', text: line.slice(i + 1) });
      break;
    } else if (c === ';' || c === '|' || c === '&' || c === '\n' || c === '\r') {
      tokens.push({ kind: 'separator', text: c });
      i++;
    } else if (SINGLE.has(c)) {
      let text = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated single-quoted string in: ${line}`);
        const d = line[i];
        if (SINGLE.has(d)) {
          if (i + 1 < line.length && SINGLE.has(line[i + 1])) {
            text += d;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += d;
        i++;
      }
      tokens.push({ kind: 'single', text });
    } else if (DOUBLE.has(c)) {
      const end = [...line.slice(i + 1)].findIndex((d) => DOUBLE.has(d));
      if (end < 0) throw new Error(`unterminated double-quoted string in: ${line}`);
      tokens.push({ kind: 'double', text: line.slice(i + 1, i + 1 + end) });
      i += end + 2;
    } else {
      let j = i;
      while (j < line.length && !/[\s;|&#]/.test(line[j]) && !SINGLE.has(line[j]) && !DOUBLE.has(line[j])) j++;
      tokens.push({ kind: 'word', text: line.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}
