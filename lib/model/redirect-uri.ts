/**
 * Web redirect URIs of the authorization-code flow: what Entra ID and the azuread provider accept,
 * checked on the exact text that is written into the Terraform.
 */

/** Entra ID's limit for one redirect URI, in characters. */
export const MAX_REDIRECT_URI_LENGTH = 256;

/** True when `hostname` (as `URL` parses it) is the local machine: `localhost`, 127.0.0.1 or [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** Why a redirect URI is refused, or undefined when it is acceptable. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.includes('*')) return `"${uri}" contains a wildcard; Entra ID matches redirect URIs exactly: list each URI in full`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `"${uri}" is not an absolute URI; write it in full, e.g. https://itsm.example.com/integria/setup/setup_mail`;
  }
  if (uri.length > MAX_REDIRECT_URI_LENGTH) return `"${uri.slice(0, 40)}..." is longer than ${MAX_REDIRECT_URI_LENGTH} characters, the Entra ID limit`;
  if (url.hash) return `"${uri}" has a fragment (#...); redirect URIs may not`;
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) return `"${uri}" uses http:// for a host other than localhost; use https://`;
  } else if (url.protocol !== 'https:') {
    return `"${uri}" uses ${url.protocol}//; a Web redirect URI must use https:// (http:// only for localhost)`;
  }
  return undefined;
}

/**
 * Why a redirect URI that is already in a resource is unsafe (guardrail ITSM-APP-003): a wildcard,
 * or `http://` to a host other than the local machine. Undefined when it is neither.
 */
export function unsafeRedirectUriReason(uri: string): string | undefined {
  if (uri.includes('*')) return `redirect URI "${uri}" contains a wildcard`;
  if (/^http:\/\//i.test(uri)) {
    let host: string | undefined;
    try {
      host = new URL(uri).hostname;
    } catch {
      host = undefined;
    }
    if (host === undefined || !isLoopbackHost(host)) return `redirect URI "${uri}" uses http:// for a host other than localhost`;
  }
  return undefined;
}
