/**
 * "Expose an API": the identifier URI `api://<client id>` and one delegated scope.
 */
import { v5 as uuidv5 } from 'uuid';
import { graphId, isUuid, NIL_UUID } from './ids';
import { problemAt, show, type IsUnresolved } from './problem';
import type { RuleSet } from './rules';
import { textProblem } from './text';

/** Who may consent, in the portal's words: "Admins only" or "Admins and users". */
export const WHO_CAN_CONSENT = ['admins', 'adminsAndUsers'] as const;
/** `admins` ("Admins only") or `adminsAndUsers` ("Admins and users", CISA SCuBA MS.AAD.5.2 advises against). */
export type WhoCanConsent = (typeof WHO_CAN_CONSENT)[number];

/** The provider's `type` of a scope for each choice. */
export const SCOPE_CONSENT_TYPE = { admins: 'Admin', adminsAndUsers: 'User' } as const satisfies Record<WhoCanConsent, string>;
/** `Admin` or `User`, as `azuread_application_permission_scope.type` takes it. */
export type ScopeConsentType = (typeof SCOPE_CONSENT_TYPE)[WhoCanConsent];

/** The config's `application.exposedScope`, the construct's `exposedScope`. */
export interface ExposedScopeProps {
  /**
   * The scope's ID. Give the existing scope's ID when adopting a scope made in the portal (Expose
   * an API → the scope's ID in the manifest): the provider replaces a scope whose ID changes, and
   * replacing disables and deletes the one clients use.
   * @default - a UUIDv5 of the construct path and the value, the same at every synthesis
   */
  readonly id?: string;
  /**
   * The scope value, as it appears in tokens (`scp`).
   * @default 'access_as_user'
   */
  readonly value?: string;
  /**
   * Shown to admins in the consent prompt.
   * @default 'Access <application display name>'
   */
  readonly adminConsentDisplayName?: string;
  /**
   * @default 'Allows the application to access <application display name> on behalf of the signed-in user.'
   */
  readonly adminConsentDescription?: string;
  /**
   * Shown to users in their consent prompt (when users may consent); written when given, whoever may consent.
   * @default - the admin texts, when whoCanConsent is adminsAndUsers
   */
  readonly userConsentDisplayName?: string;
  /** @default - the admin texts, when whoCanConsent is adminsAndUsers */
  readonly userConsentDescription?: string;
  /**
   * Who can consent: `admins` or `adminsAndUsers`.
   * @default 'admins'
   */
  readonly whoCanConsent?: WhoCanConsent;
}

/** The defaults of `ExposedScopeProps` that do not depend on the application. */
export const EXPOSED_SCOPE_DEFAULTS = { value: 'access_as_user', whoCanConsent: 'admins' } as const satisfies Pick<
  Required<ExposedScopeProps>,
  'value' | 'whoCanConsent'
>;

/** `ExposedScopeProps` with its defaults applied, in the provider's terms. */
export interface ExposedScope {
  /** The ID given; without one the construct derives it from its path (`scopeId`). */
  readonly id?: string;
  readonly value: string;
  readonly adminConsentDisplayName: string;
  readonly adminConsentDescription: string;
  readonly userConsentDisplayName?: string;
  readonly userConsentDescription?: string;
  readonly whoCanConsent: WhoCanConsent;
  readonly consentType: ScopeConsentType;
}

/** Applies the defaults; the texts name the application. */
export function normalizeExposedScope(props: ExposedScopeProps, applicationDisplayName: string): ExposedScope {
  const whoCanConsent = props.whoCanConsent ?? EXPOSED_SCOPE_DEFAULTS.whoCanConsent;
  const adminConsentDisplayName = props.adminConsentDisplayName ?? `Access ${applicationDisplayName}`;
  const adminConsentDescription =
    props.adminConsentDescription ?? `Allows the application to access ${applicationDisplayName} on behalf of the signed-in user.`;
  const users = whoCanConsent === 'adminsAndUsers';
  return {
    // As Graph returns it: the provider's scope_id forces a new scope when the text differs.
    ...(props.id !== undefined ? { id: graphId(props.id) } : {}),
    value: props.value ?? EXPOSED_SCOPE_DEFAULTS.value,
    adminConsentDisplayName,
    adminConsentDescription,
    // Texts given are written whoever may consent; the admin texts stand in only when users may.
    ...(users || props.userConsentDisplayName !== undefined ? { userConsentDisplayName: props.userConsentDisplayName ?? adminConsentDisplayName } : {}),
    ...(users || props.userConsentDescription !== undefined ? { userConsentDescription: props.userConsentDescription ?? adminConsentDescription } : {}),
    whoCanConsent,
    consentType: SCOPE_CONSENT_TYPE[whoCanConsent],
  };
}

/** The longest scope value Entra ID takes. */
const SCOPE_VALUE_MAX = 120;

/** What a scope value may look like. */
export const SCOPE_VALUE_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${SCOPE_VALUE_MAX - 1}}$`);

/** The identifier URI this project declares for an application, as the portal proposes it: `api://<client ID>`. */
export function identifierUriOf(clientId: string): string {
  return `api://${clientId}`;
}

const text =
  (key: 'adminConsentDisplayName' | 'adminConsentDescription' | 'userConsentDisplayName' | 'userConsentDescription', max: number) =>
  (p: ExposedScopeProps, isUnresolved: IsUnresolved) => {
    const v = p[key];
    return v === undefined || isUnresolved(v) ? [] : problemAt([key], textProblem(v, max));
  };

/** The rules of `ExposedScopeProps`, one entry per field. */
export const EXPOSED_SCOPE_RULES: RuleSet<ExposedScopeProps> = {
  fields: {
    id: (p, isUnresolved) =>
      p.id === undefined || isUnresolved(p.id)
        ? []
        : !isUuid(p.id) || p.id === NIL_UUID
          ? [
              {
                path: ['id'],
                message: `${show(p.id)} is not a scope ID: expected the UUID of the scope (the "id" of api.oauth2PermissionScopes in the manifest), or leave it out for a new scope`,
              },
            ]
          : [],
    value: (p, isUnresolved) =>
      p.value === undefined || isUnresolved(p.value) || SCOPE_VALUE_PATTERN.test(p.value)
        ? []
        : [
            {
              path: ['value'],
              message: `${show(p.value)} must be letters, digits, dots, underscores or hyphens, not starting with a symbol, at most ${SCOPE_VALUE_MAX} characters`,
            },
          ],
    adminConsentDisplayName: text('adminConsentDisplayName', 200),
    adminConsentDescription: text('adminConsentDescription', 1000),
    userConsentDisplayName: text('userConsentDisplayName', 200),
    userConsentDescription: text('userConsentDescription', 1000),
    whoCanConsent: null,
  },
  across: [],
};

/** Namespace of this project's name-based (UUIDv5) scope IDs. Changing it changes every scope ID. */
export const SCOPE_ID_NAMESPACE = 'ad4ebb23-dad1-443d-8947-e9e24f9856a7';

/** The scope's ID: a UUIDv5 of where it is declared and its value, so it never changes between syntheses. */
export function scopeId(constructPath: string, value: string): string {
  return uuidv5(`${constructPath}/${value}`, SCOPE_ID_NAMESPACE);
}
