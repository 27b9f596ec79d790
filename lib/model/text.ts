/**
 * Rules for free text that ends up in Terraform JSON (display names, descriptions, notes,
 * reasons): one line of printable text that Terraform takes literally.
 */
import { credentialIn } from '../private/credentials';
import { nameSkeleton } from '../private/look-alike';
import { hasUnprintable } from '../private/printable';

/** True when Terraform would evaluate the text as a template (`${…}` interpolation or `%{…}` directive). */
export function hasTemplateSequence(value: string): boolean {
  return /[$%]\{/.test(value);
}

/** The message for text that holds a template sequence. */
export const TEMPLATE_SEQUENCE_MESSAGE = 'must not contain "${" or "%{": Terraform would evaluate it as an expression';

/** Why `value` holds a credential, or undefined. The value is never repeated. */
export function credentialProblem(value: string): string | undefined {
  const what = credentialIn(value);
  return what
    ? `holds what looks like ${what} (not repeated here): a credential never goes in the config; Entra ID and the provider read secrets from the environment`
    : undefined;
}

/** A credential found in a value or a key: where, what to say, and whether it is the key itself. */
export interface CredentialFound {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly isKey: boolean;
}

/**
 * Every string and key of `value` that holds a credential, with the message to say for it (the
 * value is never repeated). The config loader runs it on the whole file, `runRules` on a
 * construct's props, so both refuse a credential wherever it is, in the same words. Values only
 * known at deploy time (`isUnresolved`) are skipped.
 */
export function credentialsIn(value: unknown, isUnresolved: (v: unknown) => boolean = () => false, path: readonly (string | number)[] = []): CredentialFound[] {
  const out: CredentialFound[] = [];
  const walk = (v: unknown, at: readonly (string | number)[]): void => {
    if (typeof v === 'string') {
      const message = isUnresolved(v) ? undefined : credentialProblem(v);
      if (message) out.push({ path: at, message, isKey: false });
    } else if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...at, i]));
    else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const message = credentialProblem(k);
        if (message) out.push({ path: [...at, k], message: `this key ${message.replace(/^holds /, 'is ')}`, isKey: true });
        walk(item, [...at, k]);
      }
    }
  };
  walk(value, path);
  return out;
}

/** Why `value` is not acceptable text of at most `max` characters, or undefined. */
export function textProblem(value: string, max: number): string | undefined {
  const credential = credentialProblem(value);
  if (credential) return credential;
  if (value.length === 0) return 'must not be empty';
  if (value.length > max) return `is too long: at most ${max} characters`;
  if (hasUnprintable(value)) return 'must be one line of printable text (no control characters, no invisible or bidirectional formatting characters)';
  if (hasTemplateSequence(value)) return TEMPLATE_SEQUENCE_MESSAGE;
  return undefined;
}

/** Minimum length of a written reason (a suppression, a waiver). */
export const MIN_REASON_LENGTH = 20;
/** Minimum number of words of a written reason. */
export const MIN_REASON_WORDS = 4;

/**
 * True when `reason` reads as a sentence: at least MIN_REASON_LENGTH characters and
 * MIN_REASON_WORDS words with letters. Shared by guardrail suppressions and the enforce-without-
 * break-glass waiver, so both refuse the same things in the same words.
 */
export function isSentence(reason: string): boolean {
  const text = reason.trim();
  const words = text.split(/\s+/).filter((w) => /[A-Za-z\u00c0-\u024f]/.test(w));
  // Different words: "TODO TODO TODO TODO" is one word said four times.
  const distinct = new Set(words.map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')));
  return text.length >= MIN_REASON_LENGTH && distinct.size >= MIN_REASON_WORDS;
}

/** Words that mark a reason as still to be written. */
const PLACEHOLDER_WORDS = /(?<![\p{L}\p{N}])(todo|tbd|tbc|fixme|xxx+|lorem|ipsum|placeholder|changeme)(?![\p{L}\p{N}])/iu;

/** Why `reason` is not a written reason, or undefined; `what` says what it must explain, `example` shows one. */
export function reasonProblem(reason: string, what: string, example: string): string | undefined {
  const placeholder = PLACEHOLDER_WORDS.exec(reason);
  if (placeholder) return `holds the placeholder ${JSON.stringify(placeholder[0])}: say in a sentence ${what}, e.g. "${example}"`;
  if (isSentence(reason)) return undefined;
  return `must say in a sentence (at least ${MIN_REASON_LENGTH} characters and ${MIN_REASON_WORDS} different words) ${what}, e.g. "${example}"`;
}

/**
 * True when two display names read the same: equal but for case and surrounding spaces, or with
 * the same Unicode skeleton (look-alike letters such as Cyrillic о for Latin o, a no-break space,
 * zero-width characters; `nameSkeleton`). Names that read the same cannot be told apart in the
 * Entra admin center or the sign-in logs.
 */
export function sameDisplayName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase() || nameSkeleton(a) === nameSkeleton(b);
}

/** Words to add when `a` and `b` read the same only through look-alike or invisible characters; '' otherwise. */
export function lookAlikeNote(a: string, b: string): string {
  if (a.trim().toLowerCase() === b.trim().toLowerCase()) return '';
  // The characters that make the difference, by code point: printed as they are, they look alike.
  const unusual = [...new Set([...a, ...b].filter((c) => !/[\x20-\x7e]/.test(c)))].map(
    (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
  return ` (it differs from ${JSON.stringify(b)} only by look-alike or invisible characters${unusual.length > 0 ? ` (${unusual.join(', ')})` : ''}, which read the same in the portal and the sign-in logs)`;
}
