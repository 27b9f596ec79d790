/**
 * Pure checks of application settings. The constructs throw on them (for library users) and the
 * config loader reports them with the field's path: one implementation of each rule.
 */

/** Microsoft's upper limit for a client secret's lifetime, in days. */
export const MAX_SECRET_LIFETIME_DAYS = 730;
/** CISA SCuBA MS.AAD.5.6 recommended limit, in days; also the default. */
export const RECOMMENDED_SECRET_LIFETIME_DAYS = 180;

/** Why a redirect URI is refused, or undefined when it is acceptable. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.includes('*')) return `"${uri}" contains a wildcard; Entra ID matches redirect URIs exactly: list each URI in full`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `"${uri}" is not an absolute URI; write it in full, e.g. https://itsm.example.com/integria/setup/setup_mail`;
  }
  if (uri.length > 256) return `"${uri.slice(0, 40)}..." is longer than 256 characters, the Entra ID limit`;
  if (url.hash) return `"${uri}" has a fragment (#...); redirect URIs may not`;
  if (url.protocol === 'http:') {
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    if (!local) return `"${uri}" uses http:// for a host other than localhost; use https://`;
  } else if (url.protocol !== 'https:') {
    return `"${uri}" uses ${url.protocol}//; a Web redirect URI must use https:// (http:// only for localhost)`;
  }
  return undefined;
}

/** Why a secret lifetime is refused, or undefined. */
export function secretLifetimeProblem(days: number): string | undefined {
  if (!Number.isInteger(days) || days < 2) return `must be a whole number of days, at least 2; got ${days}`;
  if (days > MAX_SECRET_LIFETIME_DAYS) {
    return `is ${days} days; Entra ID allows at most ${MAX_SECRET_LIFETIME_DAYS} (2 years) and ${RECOMMENDED_SECRET_LIFETIME_DAYS} or less is recommended (CISA SCuBA MS.AAD.5.6)`;
  }
  return undefined;
}
