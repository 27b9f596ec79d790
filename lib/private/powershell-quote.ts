/**
 * PowerShell's single quotes: the ASCII one and the typographic ‘ ’ ‚ ‛ (U+2018, U+2019, U+201A,
 * U+201B), which its tokenizer treats alike (CharExtensions.IsSingleQuote in PowerShell's
 * CharTraits.cs). Any of them ends a single-quoted string unless doubled.
 */
const POWERSHELL_SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

/**
 * `text` as a PowerShell single-quoted string: taken literally (no `$` expansion, no escapes),
 * every single quote of any kind doubled, so no value can end the string and append a command.
 * (Its one home: the Exchange Online runbook and verify's fixes both quote with it; it lives in
 * lib/private so that `verify` can use it without loading the construct code.)
 */
export function powerShellSingleQuoted(text: string): string {
  return `'${text.replace(POWERSHELL_SINGLE_QUOTES, (c) => c + c)}'`;
}
