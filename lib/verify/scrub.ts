import { printable } from '../private/printable';

/** JWT-shaped text: a base64url JSON header (`eyJ`), possibly cut short. */
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}/g;
/** Client secrets as Entra ID issues them: three characters, a digit, `Q~`, then 31 to 34 more. */
const ENTRA_SECRET_LIKE = /[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}/g;
/** Long base64 runs (an XOAUTH2 blob, an encoded token): nothing a reader needs. */
const LONG_BASE64 = /[A-Za-z0-9+/_-]{64,}={0,2}/g;

export type Scrubber = (text: string) => string;

/**
 * Makes every text safe to print: the known secrets (client secret, access tokens) and their
 * XOAUTH2/base64 forms are removed outright, anything shaped like a token, a client secret or a long
 * base64 run is replaced by a placeholder, and control characters are escaped so one answer stays one
 * line (unless `escape: false`, for text that JSON.stringify escapes anyway).
 */
export function makeScrubber(secrets: readonly (string | undefined)[], options: { readonly escape?: boolean } = {}): Scrubber {
  const escape = options.escape ?? true;
  const known = new Set<string>();
  for (const s of secrets) {
    if (s === undefined || s.length < 6) continue;
    known.add(s);
    known.add(Buffer.from(s).toString('base64'));
    known.add(encodeURIComponent(s));
  }
  const ordered = [...known].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const s of ordered) out = out.split(s).join('<redacted>');
    out = out.replace(JWT_LIKE, '<token>').replace(ENTRA_SECRET_LIKE, '<secret>').replace(LONG_BASE64, (m) => `<${m.length} base64 characters>`);
    // JSON output escapes control characters itself.
    return escape ? printable(out) : out;
  };
}
