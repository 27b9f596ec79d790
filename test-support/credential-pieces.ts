/**
 * The measure of "never, in whole or in part" (docs/verify.md, "What verify never prints"; adopt
 * keeps the same promise): the runs of a credential's letters and digits that a text holds, in any
 * of the forms it can be quoted in, at any base64 alignment, whatever the case and whatever stands
 * between them. Used by the verify and adopt echo suites.
 */

/** Letters and digits only, lower case: pieces are found whatever stands between them and whatever the case. */
export const skeleton = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The forms a credential can be quoted in: itself, URL-encoded, hex, base64 and base64url at each of the three alignments. */
export function credentialForms(secret: string): string[] {
  const out = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('hex')];
  for (const pad of ['', 'a', 'ab']) {
    // The prefix shifts the alignment; the characters it touches are dropped.
    const skip = pad.length === 0 ? 0 : 2 + pad.length;
    out.push(
      Buffer.from(pad + secret)
        .toString('base64')
        .slice(skip),
      Buffer.from(pad + secret)
        .toString('base64url')
        .slice(skip),
    );
  }
  return out;
}

/** The distinct runs of `n` letters and digits of the credential (any form) that `text` holds. */
export function credentialPieces(text: string, secret: string, n: number): string[] {
  const t = skeleton(text);
  const found = new Set<string>();
  for (const f of credentialForms(secret)) {
    const s = skeleton(f);
    for (let i = 0; i + n <= s.length; i++) if (t.includes(s.slice(i, i + n))) found.add(s.slice(i, i + n));
  }
  return [...found];
}

/** The largest share of one form's characters that `text` holds in runs of at least `n`, and the longest run. */
export function credentialLeak(text: string, secret: string, n = 8): { share: number; longest: number } {
  const t = skeleton(text);
  let longest = 0;
  let share = 0;
  for (const f of credentialForms(secret)) {
    const s = skeleton(f);
    const hit = new Array<boolean>(s.length).fill(false);
    for (let i = 0; i + n <= s.length; i++) {
      if (!t.includes(s.slice(i, i + n))) continue;
      let len = n;
      while (i + len < s.length && t.includes(s.slice(i, i + len + 1))) len++;
      longest = Math.max(longest, len);
      for (let j = i; j < i + len; j++) hit[j] = true;
    }
    share = Math.max(share, hit.filter(Boolean).length / s.length);
  }
  return { share, longest };
}
