/**
 * Reads an access token's claims for diagnosis. The signature is not checked (the servers do
 * that); nothing here returns or prints the token itself.
 */

export type Claims = Readonly<Record<string, unknown>>;

export class NotAJwtError extends Error {}

function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(segment)) throw new NotAJwtError('a token segment is not base64url');
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
}

/** The payload of a JWS compact token (three dot-separated parts), or a NotAJwtError. */
export function decodeJwtClaims(token: string): Claims {
  const parts = token.split('.');
  // Exchange Online access tokens are JWS (3 parts); a 5-part JWE cannot be read without its key.
  if (parts.length !== 3) throw new NotAJwtError(`the token has ${parts.length} dot-separated parts, not 3 (not a readable JWT)`);
  let payload: unknown;
  try {
    decodeSegment(parts[0]);
    payload = decodeSegment(parts[1]);
  } catch (e) {
    if (e instanceof NotAJwtError) throw e;
    throw new NotAJwtError('the token header or payload is not base64url JSON');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new NotAJwtError('the token payload is not a JSON object');
  return payload as Claims;
}

export function stringClaim(claims: Claims, name: string): string | undefined {
  const v = claims[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberClaim(claims: Claims, name: string): number | undefined {
  const v = claims[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** `roles` as a list (app-only tokens); empty when absent. */
export function rolesClaim(claims: Claims): string[] {
  const v = claims.roles;
  return Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string') : [];
}

/** `scp` split on spaces (delegated tokens); empty when absent. */
export function scopesClaim(claims: Claims): string[] {
  const v = stringClaim(claims, 'scp');
  return v ? v.split(/\s+/).filter((s) => s !== '') : [];
}

/** The user a delegated token was issued to: `upn` (v1), `preferred_username` (v2), `unique_name` or `email`. */
export function tokenUser(claims: Claims): string | undefined {
  for (const name of ['upn', 'preferred_username', 'unique_name', 'email']) {
    const v = stringClaim(claims, name);
    if (v) return v;
  }
  return undefined;
}

/** The client the token was issued to: `appid` (v1 tokens, which Exchange Online gets) or `azp` (v2). */
export function tokenClient(claims: Claims): string | undefined {
  return stringClaim(claims, 'appid') ?? stringClaim(claims, 'azp');
}
