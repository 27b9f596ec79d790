/**
 * Web redirect URIs of the authorization-code flow: what Entra ID and the azuread provider accept,
 * checked on the exact text that is written into the Terraform (nothing is normalised first).
 *
 * Sources: Microsoft's "Redirect URI (reply URL) outline and restrictions" (https only, http only
 * for localhost; no wildcards; no `! $ ' ( ) , ;`; at most 256 characters; at most 256 URIs, 100
 * when personal accounts sign in; query parameters only for work and school accounts), and the
 * provider at v3.7.0 (`web.redirect_uris`: `IsRedirectUriFunc(true, false)`, MaxItems 256: Go's
 * `url.Parse` must accept it, a host is required, a trailing slash is required when there is no
 * path; the personal-account CustomizeDiff: at most 100 URIs, no wildcard hosts).
 */
import { credentialProblem } from './text';

/** Entra ID's and the provider's limit for one redirect URI, in characters. */
export const MAX_REDIRECT_URI_LENGTH = 256;
/** Web redirect URIs per application (the provider's MaxItems; Entra ID's limit for work and school accounts). */
export const MAX_REDIRECT_URIS = 256;
/** Redirect URIs per application when personal Microsoft accounts sign in. */
export const MAX_REDIRECT_URIS_WITH_PERSONAL_ACCOUNTS = 100;

/** The hosts, as written, that are the local machine and may use `http://`. */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Characters Microsoft lists as not supported in redirect URIs. */
const REFUSED_CHARACTERS = /[!$'(),;]/;

/** The parts of a redirect URI as written: scheme, authority (user info, host, port), the rest. */
interface Written {
  readonly scheme: string;
  readonly authority: string;
  readonly host: string;
  readonly port?: string;
  /** Path, query: everything after the authority. */
  readonly rest: string;
}

function split(uri: string): Written | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s.exec(uri);
  if (!m) return undefined;
  const [, scheme, authority, rest] = m;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort)!;
  return { scheme, authority, host: hp[1], ...(hp[2] !== undefined ? { port: hp[2] } : {}), rest };
}

/**
 * The path of a redirect URI exactly as written (between the authority and `?` or `#`), with its
 * query as written; undefined when the URI has no authority. Nothing is decoded or resolved:
 * Entra ID compares the redirect URI a client sends with the registered one character for
 * character ("It must exactly match one of the redirect URIs you registered in the portal, except
 * it must be URL-encoded", the `redirect_uri` parameter in "Microsoft identity platform and OAuth
 * 2.0 authorization code flow", https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow),
 * so `/x/../cb` and `/%63b` are other URIs than `/cb` (AADSTS50011 at sign-in).
 */
export function writtenPath(uri: string): { readonly path: string; readonly query?: string } | undefined {
  const w = split(uri);
  if (!w) return undefined;
  const m = /^([^?#]*)(?:\?([^#]*))?/.exec(w.rest)!;
  return { path: m[1], ...(m[2] !== undefined ? { query: m[2] } : {}) };
}

/** A dot segment (`.` or `..`) of a path as written, also percent-encoded (`%2e`, `.%2E`…), or undefined. */
export function dotSegmentIn(path: string): string | undefined {
  return path.split('/').find((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}

/** True when the host, exactly as written, is the local machine: `localhost`, `127.0.0.1` or `[::1]`. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host);
}

const EXAMPLE = 'https://itsm.example.com/integria/setup/setup_mail';

/** Why a redirect URI is refused, or undefined when Entra ID and the provider accept it as written. */
export function redirectUriProblem(uri: string): string | undefined {
  const credential = credentialProblem(uri);
  if (credential) return credential;
  const shown = JSON.stringify(uri.length > 80 ? `${uri.slice(0, 60)}…` : uri);
  if (uri.length > MAX_REDIRECT_URI_LENGTH) return `${shown} is longer than ${MAX_REDIRECT_URI_LENGTH} characters, the Entra ID limit`;
  if (/\s|\p{Cc}|\p{Cf}/u.test(uri)) return `${shown} contains a space, a line break or an invisible character; write the URI exactly, with nothing around it`;
  if (/[^\x21-\x7e]/.test(uri)) {
    return `${shown} contains a character outside ASCII (a look-alike letter, or an internationalized host); write the host in its ASCII form (xn--…) and percent-encode the path`;
  }
  if (uri.includes('\\')) return `${shown} contains a backslash; URIs use forward slashes (/)`;
  if (uri.includes('*')) return `${shown} contains a wildcard; Entra ID matches redirect URIs exactly: list each URI in full`;
  if (uri.includes('#')) return `${shown} has a fragment (#); redirect URIs may not`;
  const refused = REFUSED_CHARACTERS.exec(uri);
  if (refused) return `${shown} contains ${JSON.stringify(refused[0])}; Entra ID does not support ! $ ' ( ) , ; in redirect URIs`;
  if (/%(?![0-9A-Fa-f]{2})/.test(uri)) return `${shown} has a "%" that is not a percent-escape (%XX); the provider refuses it`;
  const w = split(uri);
  if (!w) return `${shown} is not an absolute URI; write it in full, e.g. ${EXAMPLE}`;
  if (w.scheme !== 'https' && w.scheme !== 'http') {
    return /^https?$/i.test(w.scheme)
      ? `${shown}: write the scheme in lower case (${w.scheme.toLowerCase()}://)`
      : `${shown} uses ${w.scheme}://; a Web redirect URI must use https:// (http:// only for localhost)`;
  }
  if (w.authority.includes('@')) return `${shown} has user information before the host (…@); a redirect URI names only a host`;
  if (w.host === '') return `${shown} has no host`;
  if (w.port !== undefined && !(/^\d{1,5}$/.test(w.port) && Number(w.port) <= 65535)) return `${shown} has an invalid port ${JSON.stringify(w.port)}`;
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return `${shown} is not a valid URI; write it in full, e.g. ${EXAMPLE}`;
  }
  // What a browser would call the host must be the text written, so the checks below see what Entra ID sees.
  if (parsed.hostname !== w.host) {
    return `${shown}: the host ${JSON.stringify(w.host)} is read as ${JSON.stringify(parsed.hostname)}; write it as ${JSON.stringify(parsed.hostname)}`;
  }
  if (w.scheme === 'http' && !isLoopbackHost(w.host)) return `${shown} uses http:// for a host other than localhost, 127.0.0.1 or [::1]; use https://`;
  if (w.rest === '' || w.rest.startsWith('?'))
    return `${shown} has no path: add a trailing slash (${w.scheme}://${w.authority}/${w.rest}); the provider requires one`;
  return undefined;
}

/** Why a redirect URI (valid by `redirectUriProblem`) does not suit the audience, or undefined. */
export function redirectUriAudienceProblem(uri: string, { personalAccounts }: { personalAccounts: boolean }): string | undefined {
  const w = split(uri);
  if (personalAccounts && w?.rest.includes('?')) {
    return `${JSON.stringify(uri)} has a query string; Entra ID allows query parameters in redirect URIs only when work and school accounts alone sign in (signInAudience AzureADMyOrg or AzureADMultipleOrgs)`;
  }
  return undefined;
}

/** Why the list of redirect URIs is too long for the audience, or undefined. */
export function redirectUriCountProblem(count: number, { personalAccounts = false } = {}): string | undefined {
  const max = personalAccounts ? MAX_REDIRECT_URIS_WITH_PERSONAL_ACCOUNTS : MAX_REDIRECT_URIS;
  if (count <= max) return undefined;
  return personalAccounts
    ? `has ${count} URIs; at most ${max} are allowed when personal Microsoft accounts sign in`
    : `has ${count} URIs; an application may have at most ${max}`;
}

/**
 * Why a redirect URI that is already in a resource is unsafe (guardrail ITSM-APP-003): a wildcard,
 * or `http://` to a host other than the local machine, judged on the text as written. Undefined
 * when it is neither.
 */
export function unsafeRedirectUriReason(uri: string): string | undefined {
  if (uri.includes('*')) return `redirect URI "${uri}" contains a wildcard`;
  if (/^http:/i.test(uri)) {
    const w = split(uri);
    if (!w || w.authority.includes('@') || !isLoopbackHost(w.host)) return `redirect URI "${uri}" uses http:// for a host other than localhost`;
  }
  return undefined;
}
