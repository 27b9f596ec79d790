/**
 * ISO 3166-1 alpha-2 country codes, from i18n-iso-countries (its `getAlpha2Codes`, kept current
 * with the ISO 3166 Maintenance Agency's list; it also lists XK, Kosovo, a user-assigned code that
 * Microsoft Graph's own example of a countries named location uses). Graph's countryNamedLocation
 * takes "countries and/or regions in two-letter format" (Microsoft Learn, countryNamedLocation
 * resource type, https://learn.microsoft.com/en-us/graph/api/resources/countrynamedlocation).
 */
let codes: ReadonlySet<string> | undefined;

/** The codes, loaded on first use: most configs have no countries location, and the package takes about 0.1 s to load. */
function alpha2(): ReadonlySet<string> {
  codes ??= new Set(Object.keys((require('i18n-iso-countries') as typeof import('i18n-iso-countries')).getAlpha2Codes()));
  return codes;
}

/** Codes people write for a country that ISO 3166-1 gives another code (the European Union's usage, top-level domains). */
const WRITTEN_FOR: Readonly<Record<string, string>> = { UK: 'GB', EL: 'GR', EU: '(none: the European Union is not a country; list its countries)' };

/** True when `code` is an ISO 3166-1 alpha-2 code, written in capitals. */
export function isCountryCode(code: string): boolean {
  return alpha2().has(code);
}

/** The code meant by `code` when it is a known other spelling (`UK` → `GB`, `gb` → `GB`), or undefined. */
export function countryCodeMeant(code: string): string | undefined {
  if (WRITTEN_FOR[code.toUpperCase()] !== undefined) return WRITTEN_FOR[code.toUpperCase()];
  return alpha2().has(code.toUpperCase()) && code !== code.toUpperCase() ? code.toUpperCase() : undefined;
}
