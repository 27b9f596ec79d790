/**
 * What credentials look like, so that none is ever accepted into a config file or echoed back:
 * the config loader refuses any value or key of these shapes, and every line this project prints
 * or writes passes through `redactCredentials`.
 *
 * Shapes are classes, not samples: each is a pattern that finds candidates and, where the pattern
 * alone would also match legitimate values (object IDs, Graph's base64url assignment IDs, construct
 * paths, certificates), a check of the candidate (`confirm`). Text is also checked as it reads once
 * and twice percent-decoded, so a credential encoded once more (a SAS URL inside a URL) is found.
 */

/** A shape of credential: what to say when it is found (never the value), candidates, and a check of each. */
interface CredentialShape {
  readonly what: string;
  readonly pattern: RegExp;
  readonly confirm?: (match: string) => boolean;
}

/** The bytes of a base64 (or base64url) text, or undefined when it is not one. */
function base64Bytes(text: string): Buffer | undefined {
  const clean = text.replace(/\s+/g, '').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/_-]+$/.test(clean) || clean.length % 4 === 1) return undefined;
  return Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** The length of the DER header (tag and length octets) of the element at `at`, or undefined. */
function derHeader(b: Buffer, at: number): number | undefined {
  const len = b[at + 1];
  if (len === undefined) return undefined;
  if (len < 0x80) return 2;
  if (len >= 0x81 && len <= 0x83) return 2 + (len - 0x80);
  return undefined;
}

/** DER object identifiers of password-based encryption of a private key (PBES2, RFC 8018; PKCS#12 PBE, RFC 7292). */
const PBE_OIDS = [Buffer.from('2a864886f70d01050d', 'hex'), Buffer.from('2a864886f70d010c01', 'hex')];

/**
 * True when `text` is the base64 body of a private key without its PEM header: the DER of a PKCS#8
 * PrivateKeyInfo (RFC 5208: SEQUENCE { INTEGER 0|1, SEQUENCE algorithm, … }), a PKCS#1 RSA or DSA
 * key (SEQUENCE { INTEGER 0, INTEGER …}), a SEC1 EC key (RFC 5915: SEQUENCE { INTEGER 1, OCTET
 * STRING … }), a PKCS#12 file (RFC 7292: SEQUENCE { INTEGER 3, SEQUENCE … }) or an encrypted PKCS#8
 * key (SEQUENCE { SEQUENCE { OID PBES2 or PKCS#12 PBE … } … }). A certificate (SEQUENCE { SEQUENCE
 * tbsCertificate … }) or a public key is none of these.
 */
function isPrivateKeyDer(text: string): boolean {
  const b = base64Bytes(text);
  if (!b || b.length < 32 || b[0] !== 0x30) return false;
  const outer = derHeader(b, 0);
  if (outer === undefined) return false;
  const at = outer;
  if (b[at] === 0x02 && b[at + 1] === 0x01) {
    const version = b[at + 2];
    const next = b[at + 3];
    if ((version === 0 || version === 1) && (next === 0x30 || next === 0x02 || next === 0x04)) return true;
    return version === 3 && next === 0x30;
  }
  if (b[at] === 0x30) {
    const inner = derHeader(b, at);
    if (inner === undefined || b[at + inner] !== 0x06) return false;
    const oid = b.subarray(at + inner + 2, at + inner + 2 + b[at + inner + 1]);
    return PBE_OIDS.some((o) => oid.length >= o.length && oid.subarray(0, o.length).equals(o));
  }
  return false;
}

/** True when the first segment of a dotted token is a JOSE header: base64url of a JSON object naming `alg`. */
function isJose(token: string): boolean {
  const header = base64Bytes(token.split('.')[0]);
  if (!header) return false;
  const json = header.toString('utf8');
  if (!/^\s*\{/.test(json)) return false;
  try {
    const parsed = JSON.parse(json) as unknown;
    return typeof parsed === 'object' && parsed !== null && 'alg' in parsed;
  } catch {
    return false;
  }
}

const classOf = (c: string) => (/[a-z]/.test(c) ? 'l' : /[A-Z]/.test(c) ? 'u' : /[0-9]/.test(c) ? 'd' : 's');

/**
 * True when `token` has the shape of an Entra ID client secret of the formats before 2021 (the
 * current one has `Q~` at its fourth and fifth place): 32 to 44 random characters, which Entra ID
 * drew from letters, digits and `~ . _ - [ ] @ : ? = * + /` (the 44-character form is base64 of
 * 32 random bytes). Random means all three of lower case, upper case and digits, the kind of
 * character (lower, upper, digit, other) changing at 45% of places or more, and no run of more
 * than eight letters of one case, and not a file path. Measured: 96% or more of 20,000 random secrets of each older format
 * (34 of `A-Za-z0-9_.~-`; 32 of the 2019 set; 44 of base64) are found; the rest read as words
 * and are let through. None of the 24,000 tokens of 32 to 44 such characters in this repository's
 * configs, docs, sources and the real plans it reads is taken for one, except random base64 data. Legitimate values of that length are refused by none of these: UUIDs and hex (no upper and
 * lower case mixed with digits), e-mail addresses and URIs (excluded by form), construct paths,
 * Terraform addresses and display names (runs of words), and Graph's base64url IDs of app role
 * assignments and permission grants (43 characters of `A-Z a-z 0-9 - _`, excluded by form; they
 * are written into `application.import`).
 */
function isOldClientSecret(token: string): boolean {
  if (token.length < 32 || token.length > 44) return false;
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || !/[0-9]/.test(token)) return false;
  if (isKnownForm(token)) return false;
  let changes = 0;
  for (let i = 1; i < token.length; i++) if (classOf(token[i]) !== classOf(token[i - 1])) changes++;
  const longestRun = Math.max(...(token.match(/[a-z]+|[A-Z]+/g) ?? ['']).map((r) => r.length));
  return changes / (token.length - 1) >= 0.45 && longestRun <= 8;
}

/** Values of 32 to 44 such characters that are not secrets: Graph's base64url IDs, hex and UUIDs, URIs, e-mail addresses. */
function isKnownForm(token: string): boolean {
  return (
    /^[A-Za-z0-9_-]{43}$/.test(token) ||
    /^[0-9a-f-]+$/i.test(token) ||
    token.includes('://') ||
    /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/.test(token)
  );
}

/** Punctuation that ends a phrase after a value (`path: message`, `… ID.`), and may end an older secret too. */
const TRAILING_PUNCTUATION = /[:.?]+$/;

/** The characters of the older client secrets; a run of them is a candidate, and so is what follows its last `=` or `:`. */
const SECRET_CHARS = 'A-Za-z0-9_.~+/=\\[\\]@:?*-';
function hasOldClientSecret(run: string): boolean {
  // A URI is checked by the URI shapes (a password in its authority, a credential in its query).
  if (run.includes('://')) return false;
  // A known form followed by punctuation (a Graph ID before the `: ` of a problem line) is that
  // form, whichever way the text around it ends: judged as it reads without the punctuation.
  const bare = run.replace(TRAILING_PUNCTUATION, '');
  if (bare !== run && isKnownForm(bare)) return false;
  const parts = partsOf(run);
  if (parts) return parts.parts.some((part) => hasOldClientSecret(part));
  if (isOldClientSecret(run)) return true;
  const tail = /[=:]([^=:]{32,44})$/.exec(run);
  return tail !== null && isOldClientSecret(tail[1]);
}

/**
 * The parts of a run that is judged part by part, with the separator that joins them, or undefined.
 * A file path (`/tmp/itsm-mail-UvpB0O/cdktf.out`, `./config/prod.yaml`) and a dotted name
 * (`tenants.contoso.namedLocations.j-6-1-l-x`, a config path with keys of the user's;
 * `module.mail.azuread_application.this[0]`) mix kinds of character as a secret does when one of
 * their parts does: each part is judged instead of the whole (the dotted name was found by the
 * fuzzer, seed 2081902911), and only a part that is a secret is redacted.
 */
function partsOf(run: string): { parts: string[]; separator: string } | undefined {
  if (isFilePath(run)) return { parts: run.split('/'), separator: '/' };
  if (isDottedName(run.replace(TRAILING_PUNCTUATION, ''))) return { parts: run.split('.'), separator: '.' };
  return undefined;
}

/**
 * True when `run` reads as a dotted name: a first key that is a word (`tenants`, `namedLocations`,
 * `azuread_application`), then keys of letters, digits, `_` and `-`, each perhaps with `[index]`s.
 * A random secret starts so (three or more lower-case letters, then a dot) about once in a thousand
 * (measured on 100,000 random secrets of 34 characters: 98.4% found before this rule, 98.2% after).
 */
function isDottedName(run: string): boolean {
  const [first, ...rest] = run.split('.');
  return rest.length > 0 && /^[a-z]{3,}(?:[A-Z_][a-z]+)*$/.test(first) && rest.every((key) => /^[A-Za-z0-9_-]+(?:\[[^\]]*\])*$/.test(key));
}

/** True when `run` reads as a file path: absolute, relative to `.`/`..`/`~`, or ending in a file extension after a `/`. */
function isFilePath(run: string): boolean {
  if (!run.includes('/')) return false;
  return /^(?:\/|\.{1,2}\/|~\/)/.test(run) || /\/[^/]*\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(run);
}

/**
 * A key block: its first line, then what a PEM or PuTTY body holds (base64, the `Name: value`
 * lines of an encrypted PEM or a PuTTY file, line ends raw or escaped as `\n` in JSON or `\u{a}` on
 * a terminal), up to the last line when there is one; else up to the first character a body
 * cannot hold (a quote ending a JSON string), so a block cut short is redacted whole.
 */
function keyBlock(first: string, last: string): RegExp {
  const body = String.raw`(?:[A-Za-z0-9+/=:,.@ \t\r\n-]|\\[nrt]|\\u\{[9ad]\})`;
  return new RegExp(`${first}${body}*?(?:${last}|(?!${body}))`);
}

/** Shapes of credentials, each with the words that say what was found (never the value). */
const CREDENTIAL_SHAPES: readonly CredentialShape[] = [
  // Entra ID client secrets: three characters, a digit, "Q~", then 31-34 more.
  { what: 'an Entra ID client secret', pattern: /[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}/ },
  // After a letter or digit it would be inside a longer word; after `-` or `_` (`x-eyJ…`, `token_eyJ…`) it is still a token.
  { what: 'a JSON Web Token (an access or ID token)', pattern: /(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/ },
  // A JWT whose header is not written `{"…` (whitespace first): its first segment still decodes to a JOSE header.
  { what: 'a JSON Web Token (an access or ID token)', pattern: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, confirm: isJose },
  // A key block from its first line to its last (or, cut short, to the end of what can be its body):
  // the body is the key, so it goes with the header.
  { what: 'a private key', pattern: keyBlock('-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----', '-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----') },
  { what: 'a private key', pattern: keyBlock('PuTTY-User-Key-File-\\d', 'Private-MAC: *[0-9A-Fa-f]+') },
  // The body of a key without its PEM lines: DER starts with a SEQUENCE (0x30, "M" in base64).
  { what: 'a private key', pattern: /(?<![A-Za-z0-9+/])M[A-Za-z0-9+/](?:[A-Za-z0-9+/]|\r?\n[ \t]*){62,}={0,2}/, confirm: isPrivateKeyDer },
  { what: 'a storage account key or connection string', pattern: /(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/=]{20,}/i },
  // A storage account key alone: 64 random bytes in base64.
  { what: 'a storage account key or connection string', pattern: /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/ },
  // ADO.NET, ODBC and JDBC connection strings: a Password (Pwd) key with a value, first or after a `;`.
  { what: 'a password in a connection string', pattern: /(?:^|;)\s*(?:password|pwd)\s*=\s*(?:"[^"]+"|'[^']+'|\{[^}]+\}|[^;\s"'{][^;]*)/i },
  { what: 'a shared access signature', pattern: /(?:^|[?&;])sig=[A-Za-z0-9%+/=]{20,}/i },
  // Starts only where a scheme can start, so a long run of letters is scanned once, not once per letter.
  { what: 'a password in a URI', pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^/?#\s@:]*:[^/?#\s@]*@/ },
  {
    what: 'a credential in a URI query',
    pattern: /[?&#](?:client_secret|client_assertion|secret|password|passwd|pwd|access_token|refresh_token|id_token|token|api[_-]?key|apikey)=[^&#\s]+/i,
  },
  // `code` and `key` name other things too (an error code, a lookup key): only a long value counts.
  { what: 'a credential in a URI query', pattern: /[?&#](?:code|key)=[A-Za-z0-9._~%+/=-]{20,}/i },
  // Only a random-looking value: "Basic authentication-for-mailboxes" is words.
  {
    what: 'a bearer token',
    pattern: /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/-]{20,}=*/,
    confirm: (m) => /[a-z]/.test(m.split(/\s+/)[1]) && /[A-Z]/.test(m.split(/\s+/)[1]) && /[0-9]/.test(m),
  },
  { what: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b/ },
  { what: 'an AWS access key', pattern: /\bAKIA[0-9A-Z]{16}\b/ },
  { what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: 'a Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { what: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  // Last: the more specific shapes above name what they find first.
  { what: 'an Entra ID client secret', pattern: new RegExp(`(?<![${SECRET_CHARS}])[${SECRET_CHARS}]{32,}(?![${SECRET_CHARS}])`), confirm: hasOldClientSecret },
];

const global = (p: RegExp) => new RegExp(p.source, `${p.flags.replace('g', '')}g`);

/** The shape `text` holds as it is written, or undefined. */
function shapeIn(text: string): CredentialShape | undefined {
  return CREDENTIAL_SHAPES.find((c) => {
    if (!c.confirm) return c.pattern.test(text);
    for (const m of text.matchAll(global(c.pattern))) if (c.confirm(m[0])) return true;
    return false;
  });
}

/** `text` percent-decoded once (`%2B` → `+`); a sequence that is not UTF-8 is decoded byte by byte. */
function percentDecoded(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-7][0-9A-Fa-f])/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** `text`, and as it reads once and twice percent-decoded (when that changes it). */
function readings(text: string): string[] {
  const out = [text];
  for (let i = 0; i < 2; i++) {
    const next = percentDecoded(out[out.length - 1]);
    if (next === out[out.length - 1]) break;
    out.push(next);
  }
  return out;
}

/** What credential `text` contains, in words, or undefined. */
export function credentialIn(text: string): string | undefined {
  for (const reading of readings(text)) {
    const found = shapeIn(reading);
    if (found) return found.what;
  }
  return undefined;
}

/** `text` with every credential-shaped part replaced by a note of what it was. */
export function redactCredentials(text: string): string {
  let out = text;
  for (const c of CREDENTIAL_SHAPES) {
    const redact = (m: string): string => {
      if (c.confirm && !c.confirm(m)) return m;
      // A path or dotted name keeps the parts that are not the credential.
      const parts = c.confirm === hasOldClientSecret ? partsOf(m) : undefined;
      if (parts) return parts.parts.map(redact).join(parts.separator);
      // Punctuation after the value stays when the value alone is the credential: `a.<redacted>: message`
      // keeps the separator of a problem line.
      const bare = m.replace(TRAILING_PUNCTUATION, '');
      return bare !== m && bare.length > 0 && (!c.confirm || c.confirm(bare)) && c.pattern.test(bare)
        ? `<redacted: ${c.what}>${m.slice(bare.length)}`
        : `<redacted: ${c.what}>`;
    };
    out = out.replace(global(c.pattern), redact);
  }
  if (credentialIn(out) === undefined) return out;
  // Found only once decoded (a SAS URL encoded once more): every word that holds it goes.
  out = out.replace(/\S+/g, (word) => {
    const what = credentialIn(word);
    return what ? `<redacted: ${what}>` : word;
  });
  const what = credentialIn(out);
  return what ? `<redacted: ${what}>` : out;
}
