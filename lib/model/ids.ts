/**
 * Entra ID object IDs: what they look like and which kinds of directory object a list holds, so
 * that every rule about an ID says the same thing wherever it runs (config file, construct,
 * guardrail).
 */
import { UUID_PATTERN } from '../private/uuid-pattern';
import { show } from './problem';

/** An example ID for messages. */
export const EXAMPLE_UUID = '00000000-0000-0000-0000-000000000000';

/** The shared prefix of obviously fake IDs, such as the example config's break-glass placeholder. */
export const PLACEHOLDER_ID_PREFIX = '00000000-0000-0000-0000-';

/** True for an ID in Entra ID's 8-4-4-4-12 hex form. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** True for an obviously fake ID such as 00000000-0000-0000-0000-00000000b001. */
export function isPlaceholderId(value: string): boolean {
  return isUuid(value) && value.toLowerCase().startsWith(PLACEHOLDER_ID_PREFIX);
}

/** What kind of directory object an ID (list) holds; it words the error. */
export type ObjectIdKind = 'user' | 'group' | 'role' | 'member' | 'owner' | 'principal';

const KIND: Readonly<Record<ObjectIdKind, { readonly what: string; readonly where: string }>> = {
  user: { what: 'a user object ID', where: "copy the Object ID from the user's Overview page in the Entra admin center" },
  group: { what: 'a group object ID', where: "copy the Object ID from the group's Overview page (display names are not accepted)" },
  role: {
    what: 'a directory role template ID',
    where: 'find it under Roles and administrators > the role > Description, e.g. 62e90394-69f5-4237-9190-012177145e10 for Global Administrator',
  },
  member: { what: 'the object ID of a user, group, device or service principal', where: 'copy the Object ID from its Overview page' },
  owner: { what: 'the object ID of a user or service principal', where: 'copy the Object ID from its Overview page' },
  principal: { what: 'a user or group object ID', where: 'copy the Object ID from its Overview page in the Entra admin center' },
};

/** Graph's placeholder for enum members added later. Documented in places, rejected by the provider. */
export const UNKNOWN_FUTURE_VALUE = 'unknownFutureValue';

/** Why `value` is not an object ID of that kind, or undefined. */
export function objectIdProblem(value: string, kind: ObjectIdKind): string | undefined {
  if (isUuid(value)) return undefined;
  if (value === UNKNOWN_FUTURE_VALUE) return unknownFutureValueMessage(KIND[kind].what);
  const upn = value.includes('@') ? ' (a sign-in name is not an ID)' : '';
  return `${show(value)} is not ${KIND[kind].what}${upn}: expected a UUID such as ${EXAMPLE_UUID}; ${KIND[kind].where}`;
}

/** The message for `unknownFutureValue`, which the provider refuses. */
export function unknownFutureValueMessage(allowed: string): string {
  return `"${UNKNOWN_FUTURE_VALUE}" is a Graph placeholder that the azuread provider rejects; ${allowed}`;
}
