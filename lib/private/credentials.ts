/**
 * What credentials look like, so that none is ever accepted into a config file or echoed back:
 * the config loader refuses any value or key of these shapes, and every line this project prints
 * or writes passes through `redactCredentials`.
 */

/** Shapes of credentials, each with the words that say what was found (never the value). */
const CREDENTIAL_SHAPES: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  // Entra ID client secrets: three characters, a digit, "Q~", then 31-34 more.
  { what: 'an Entra ID client secret', pattern: /[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}/ },
  { what: 'a JSON Web Token (an access or ID token)', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/ },
  { what: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: 'a storage account key or connection string', pattern: /(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/=]{20,}/i },
  { what: 'a shared access signature', pattern: /(?:^|[?&;])sig=[A-Za-z0-9%+/=]{20,}/i },
  // Starts only where a scheme can start, so a long run of letters is scanned once, not once per letter.
  { what: 'a password in a URI', pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^/?#\s@:]*:[^/?#\s@]*@/ },
  {
    what: 'a credential in a URI query',
    pattern: /[?&#](?:client_secret|client_assertion|secret|password|passwd|pwd|access_token|refresh_token|id_token|token|api[_-]?key|apikey)=[^&#\s]+/i,
  },
  // `code` and `key` name other things too (an error code, a lookup key): only a long value counts.
  { what: 'a credential in a URI query', pattern: /[?&#](?:code|key)=[A-Za-z0-9._~%+/=-]{20,}/i },
  { what: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { what: 'an AWS access key', pattern: /\bAKIA[0-9A-Z]{16}\b/ },
];

/** What credential `text` contains, in words, or undefined. */
export function credentialIn(text: string): string | undefined {
  return CREDENTIAL_SHAPES.find((c) => c.pattern.test(text))?.what;
}

/** `text` with every credential-shaped part replaced by a note of what it was. */
export function redactCredentials(text: string): string {
  let out = text;
  for (const c of CREDENTIAL_SHAPES) {
    out = out.replace(new RegExp(c.pattern.source, `${c.pattern.flags.replace('g', '')}g`), `<redacted: ${c.what}>`);
  }
  return out;
}
