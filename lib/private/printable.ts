import { redactCredentials } from './credentials';

/**
 * Characters that must not reach a terminal or a log line raw: C0/C1 controls (a newline would
 * split one problem over two lines; ESC starts terminal sequences), line/paragraph separators and
 * Unicode format characters (bidi overrides can make text read differently than it is).
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * Replaces unprintable characters by `\u{…}` escapes, so every message stays one honest line, and
 * anything shaped like a credential by a note of what it was, so none is ever echoed.
 */
export function printable(s: string): string {
  return redactCredentials(s).replace(UNPRINTABLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** True when the string holds a character that `printable` would escape. */
export function hasUnprintable(s: string): boolean {
  UNPRINTABLE.lastIndex = 0;
  const found = UNPRINTABLE.test(s);
  UNPRINTABLE.lastIndex = 0;
  return found;
}
