import { printable } from '../private/printable';

/** JWT-shaped text: a base64url JSON header (`eyJ`), possibly cut short. */
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}/g;
/** Client secrets as Entra ID issues them: three characters, a digit, `Q~`, then 31 to 34 more. */
const ENTRA_SECRET_LIKE = /[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}/g;
/** Long base64 runs (an XOAUTH2 blob, an encoded token): nothing a reader needs. */
const LONG_BASE64 = /[A-Za-z0-9+/_-]{64,}={0,2}/g;

/**
 * The promise (docs/verify.md, "What verify never prints"):
 * - no RUN letters or digits in a row from a credential's forms reach the output, compared without
 *   regard to case and to anything between them that is not a letter or a digit (spaces, line
 *   breaks, punctuation, the protocol's own framing);
 * - a credential's forms: the value itself, its base64 and base64url at each of the three byte
 *   alignments (so also inside an XOAUTH2 blob, whatever precedes it), its hex, and the URL
 *   encodings of all of those;
 * - server text is shown only as an excerpt of at most EXCERPT characters, and not at all when
 *   more than DENSITY of its letters and digits come in runs of PIECE or more from a credential
 *   (pieces interleaved with other characters).
 */
export const RUN = 8;
export const PIECE = 4;
export const DENSITY = 0.5;
export const EXCERPT = 300;

/** What the scrubbers put in place of a credential (here and in lib/private/credentials.ts). */
const PLACEHOLDERS = /<(?:redacted|token|secret|\d+ base64 characters)>|<redacted: [^<>]*>/g;

export interface Scrubber {
  /** Any text verify prints (details, causes, fixes): credentials removed, one line. */
  (text: string): string;
  /** Text a server or token endpoint sent: scrubbed as above, withheld when it quotes a credential in pieces, cut to an excerpt. */
  answer(text: string): string;
}

/** Letters and digits only, lower case, with each one's position in the original text. */
function skeleton(text: string): { readonly chars: string; readonly at: readonly number[] } {
  let chars = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      chars += c.toLowerCase();
      at.push(i);
    }
  }
  return { chars, at };
}

/** The forms a credential can take on the wire or in an echo (see the promise above). */
export function credentialForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, bytes.toString('hex')];
  for (let k = 0; k < 3; k++) {
    // After k leading bytes the value starts at another base64 alignment: an XOAUTH2 blob
    // ("user=…^Aauth=Bearer <token>^A^A") encodes the token at whichever its prefix gives.
    const b64 = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    forms.push(b64, Buffer.concat([Buffer.alloc(k), bytes]).toString('base64url'));
  }
  for (const f of [...forms]) forms.push(encodeURIComponent(f));
  return forms;
}

function grams(forms: readonly string[], n: number): Set<string> {
  const out = new Set<string>();
  for (const f of forms) {
    const s = skeleton(f).chars;
    for (let i = 0; i + n <= s.length; i++) out.add(s.slice(i, i + n));
  }
  return out;
}

/** Which skeleton positions lie in a window of `n` that is a credential's. */
function covered(chars: string, set: ReadonlySet<string>, n: number): boolean[] {
  const hit = new Array<boolean>(chars.length).fill(false);
  for (let i = 0; i + n <= chars.length; i++) {
    if (set.has(chars.slice(i, i + n))) for (let j = i; j < i + n; j++) hit[j] = true;
  }
  return hit;
}

/**
 * Makes every text safe to print: the known secrets (client secret, access tokens) are removed
 * in whole and in part (see the promise above), anything shaped like a token, a client secret or a
 * long base64 run is replaced by a placeholder, and control characters are escaped so one answer
 * stays one line (unless `escape: false`, for text that JSON.stringify escapes anyway).
 *
 * `shapes: false` leaves out the placeholders for shapes (a token, a client secret, a long base64
 * run), for a command's own output that legitimately holds long base64-like runs (adopt's import
 * IDs: `/servicePrincipals/{id}/appRoleAssignedTo/{base64url id}`): the known credentials are still
 * removed whole and in pieces, and `printable` (with `escape`) still redacts what has a
 * credential's shape, with its checks against such IDs. What a server sent goes through a scrubber
 * with the shapes, and `answer`.
 */
export function makeScrubber(secrets: readonly (string | undefined)[], options: { readonly escape?: boolean; readonly shapes?: boolean } = {}): Scrubber {
  const escape = options.escape ?? true;
  const shapes = options.shapes ?? true;
  const exact = new Set<string>();
  const forms: string[] = [];
  const piecesForms: string[] = [];
  for (const s of secrets) {
    if (s === undefined || s.length < 6) continue;
    // Whole values first (also when shorter than a run), then shapes, then what is left in pieces.
    for (const f of [s, Buffer.from(s).toString('base64'), encodeURIComponent(s)]) exact.add(f);
    forms.push(...credentialForms(s));
    piecesForms.push(...credentialForms(s).filter((f) => !/^[0-9a-f]+$/.test(f) && !/^(%[0-9A-F]{2}|[0-9a-f])+$/.test(f)));
  }
  const ordered = [...exact].sort((a, b) => b.length - a.length);
  const runs = grams(forms, RUN);
  // For the density rule: no hex forms and no all-digit pieces, whose 4-grams a server's own
  // numbers (codes, timestamps, IDs) match by chance; a letter-bearing base64 piece is the signal.
  const pieces = new Set([...grams(piecesForms, PIECE)].filter((g) => /[a-z]/.test(g)));

  const removeRuns = (text: string): string => {
    if (runs.size === 0) return text;
    const { chars, at } = skeleton(text);
    const hit = covered(chars, runs, RUN);
    let out = '';
    let from = 0;
    for (let i = 0; i < chars.length; i++) {
      if (!hit[i]) continue;
      let j = i;
      while (j + 1 < chars.length && hit[j + 1]) j++;
      out += `${text.slice(from, at[i])}<redacted>`;
      from = at[j] + 1;
      i = j;
    }
    return out + text.slice(from);
  };

  const scrub = ((text: string) => {
    let out = text;
    for (const s of ordered) out = out.split(s).join('<redacted>');
    if (shapes)
      out = out
        .replace(JWT_LIKE, '<token>')
        .replace(ENTRA_SECRET_LIKE, '<secret>')
        .replace(LONG_BASE64, (m) => `<${m.length} base64 characters>`);
    // Last, what is left of the known credentials in pieces (the shapes above no longer match them).
    out = removeRuns(out);
    // JSON output escapes control characters itself.
    return escape ? printable(out) : out;
  }) as Scrubber;

  scrub.answer = (text: string) => {
    const clean = scrub(text);
    // What survives the scrub may still be a credential cut into short pieces with other characters
    // between them: an answer made mostly of such pieces is not shown at all.
    if (pieces.size > 0) {
      // The placeholders are this scrubber's words, not the server's: they do not count.
      const { chars } = skeleton(clean.replace(PLACEHOLDERS, ' '));
      if (chars.length >= 6 * PIECE) {
        const hit = covered(chars, pieces, PIECE);
        const share = hit.filter(Boolean).length / chars.length;
        if (share > DENSITY) return `<answer withheld: ${Math.round(share * 100)}% of its letters and digits are pieces of the secret or a token>`;
      }
    }
    const chars = [...clean];
    return chars.length <= EXCERPT ? clean : `${chars.slice(0, EXCERPT).join('')}… (${chars.length - EXCERPT} more characters not shown)`;
  };
  return scrub;
}
