/**
 * Entra ID object IDs: what they look like and which kinds of directory object a list holds, so
 * that every rule about an ID says the same thing wherever it runs (config file, construct,
 * guardrail).
 */
import { KnownApi } from '../permissions/catalogue';
import { UUID_PATTERN } from '../private/uuid-pattern';
import directoryRoles from './data/directory-roles.json';
import { show } from './problem';

/** An example ID for messages. */
export const EXAMPLE_UUID = '00000000-0000-0000-0000-000000000000';

/** The shared prefix of obviously fake IDs, such as the example config's break-glass placeholder. */
export const PLACEHOLDER_ID_PREFIX = '00000000-0000-0000-0000-';

/** True for an ID in Entra ID's 8-4-4-4-12 hex form. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * An ID as Graph returns it: a UUID in lower case (Graph writes every GUID so); anything else
 * (keywords, deploy-time references) unchanged. The provider compares the ID lists it reads back
 * as text (no diff suppression), so an ID written in upper case would show in every plan.
 */
export function graphId(value: string): string {
  return isUuid(value) ? value.toLowerCase() : value;
}

/** True for an obviously fake ID such as 00000000-0000-0000-0000-00000000b001. */
export function isPlaceholderId(value: string): boolean {
  return isUuid(value) && value.toLowerCase().startsWith(PLACEHOLDER_ID_PREFIX);
}

/** The nil UUID: never the ID of a real object. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** The default access app role that "Users and groups" assignments use when an app defines none (the nil UUID). */
export const DEFAULT_ACCESS_APP_ROLE_ID = NIL_UUID;

/** A built-in directory role by its template ID (the same in every tenant), from Microsoft's list. */
export function directoryRoleTemplate(id: string): { readonly displayName: string; readonly privileged: boolean } | undefined {
  const roles = directoryRoles.roles as Record<string, { displayName: string; privileged: boolean } | undefined>;
  return Object.hasOwn(roles, id.toLowerCase()) ? roles[id.toLowerCase()] : undefined;
}

/** A built-in directory role's template ID by its display name (exactly as Microsoft's list spells it). */
export function directoryRoleIdByName(displayName: string): string | undefined {
  return Object.entries(directoryRoles.roles as Record<string, { displayName: string }>).find(([, r]) => r.displayName === displayName)?.[0];
}

/** "Microsoft Azure Management", as its service principal is named: the manual's target resource. */
export const AZURE_MANAGEMENT = { clientId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', displayName: 'Windows Azure Service Management API' } as const;

/** Client IDs of Microsoft first-party applications this project names: never users or groups. */
const FIRST_PARTY_APPLICATIONS: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(Object.values(KnownApi).map((api) => [api.resourceAppId, api.displayName])),
  [AZURE_MANAGEMENT.clientId]: AZURE_MANAGEMENT.displayName,
});

/**
 * Why an ID that must name a real object of the tenant (a user, group, owner, tenant, client)
 * cannot be one, or undefined: the nil UUID, a built-in role's template ID, a first-party
 * application's client ID. These are well-known constants, the same in every tenant.
 */
export function wellKnownIdProblem(value: string, what: string): string | undefined {
  const id = value.toLowerCase();
  if (id === NIL_UUID) return `${show(value)} is the nil UUID, not ${what}`;
  const role = directoryRoleTemplate(id);
  if (role) return `${show(value)} is the template ID of the directory role ${role.displayName}, not ${what}`;
  // Own keys only (an ID of `constructor` is not Object's); Object.hasOwn, not table(), keeps synthesis from loading another module.
  const app = Object.hasOwn(FIRST_PARTY_APPLICATIONS, id) ? FIRST_PARTY_APPLICATIONS[id] : undefined;
  if (app) return `${show(value)} is the client ID of ${app}, not ${what}`;
  return undefined;
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
  if (isUuid(value)) {
    if (kind === 'role') return undefined;
    const wellKnown = wellKnownIdProblem(value, KIND[kind].what);
    if (wellKnown) return `${wellKnown}: ${KIND[kind].where}`;
    // Owners, members and assigned principals are written as they are: a placeholder would reach Entra ID.
    if ((kind === 'owner' || kind === 'member' || kind === 'principal') && isPlaceholderId(value)) {
      return `${show(value)} is a placeholder, not ${KIND[kind].what}: ${KIND[kind].where}`;
    }
    return undefined;
  }
  if (value === UNKNOWN_FUTURE_VALUE) return unknownFutureValueMessage(KIND[kind].what);
  const upn = value.includes('@') ? ' (a sign-in name is not an ID)' : '';
  return `${show(value)} is not ${KIND[kind].what}${upn}: expected a UUID such as ${EXAMPLE_UUID}; ${KIND[kind].where}`;
}

/** The message for `unknownFutureValue`, which the provider refuses. */
export function unknownFutureValueMessage(allowed: string): string {
  return `"${UNKNOWN_FUTURE_VALUE}" is a Graph placeholder that the azuread provider rejects; ${allowed}`;
}
