import { z } from 'zod';
import { hasUnprintable } from '../private/printable';
import { UUID_PATTERN } from '../private/uuid-pattern';

export { UUID_PATTERN };

/** A GUID field (tenant ID, client ID, object ID). `what` names it in the error. */
export function uuid(what: string) {
  return z.string().regex(UUID_PATTERN, {
    error: `must be ${what}: a UUID such as 00000000-0000-0000-0000-000000000000`,
  });
}

/** A non-empty single-line string of at most `max` characters. */
export function text(max: number) {
  return z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `is too long: at most ${max} characters` })
    .refine((s) => !hasUnprintable(s), {
      error: 'must be one line of printable text (no control characters, no invisible or bidirectional formatting characters)',
    })
    .refine((s) => !/[$%]\{/.test(s), { error: 'must not contain "${" or "%{": Terraform would evaluate it as an expression' });
}

/** A list without repeated entries. */
export function uniqueList<T extends z.ZodType>(item: T, what: string) {
  return z.array(item).refine((xs) => new Set(xs.map((x) => JSON.stringify(x))).size === xs.length, {
    error: `must not repeat a ${what}`,
  });
}
