/**
 * Rules for free text that ends up in Terraform JSON (display names, descriptions, notes,
 * reasons): one line of printable text that Terraform takes literally.
 */
import { hasUnprintable } from '../private/printable';

/** True when Terraform would evaluate the text as a template (`${…}` interpolation or `%{…}` directive). */
export function hasTemplateSequence(value: string): boolean {
  return /[$%]\{/.test(value);
}

/** The message for text that holds a template sequence. */
export const TEMPLATE_SEQUENCE_MESSAGE = 'must not contain "${" or "%{": Terraform would evaluate it as an expression';

/** Why `value` is not acceptable text of at most `max` characters, or undefined. */
export function textProblem(value: string, max: number): string | undefined {
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
  return text.length >= MIN_REASON_LENGTH && words.length >= MIN_REASON_WORDS;
}

/** Why `reason` is not a written reason, or undefined; `what` says what it must explain, `example` shows one. */
export function reasonProblem(reason: string, what: string, example: string): string | undefined {
  if (isSentence(reason)) return undefined;
  return `must say in a sentence (at least ${MIN_REASON_LENGTH} characters and ${MIN_REASON_WORDS} words) ${what}, e.g. "${example}"`;
}

/** The shape of an Entra ID client secret (three characters, a digit, `Q~`, then 31-34 more). */
export const CLIENT_SECRET_SHAPE = /[A-Za-z0-9_-]{3}[0-9]Q~[A-Za-z0-9_.~-]{31,34}/;

/** True when the text contains something shaped like an Entra ID client secret. */
export function containsSecretShape(value: string): boolean {
  return CLIENT_SECRET_SHAPE.test(value);
}
