/**
 * The app registration of the ITSM tool and everything on it: the model behind the config's
 * `application` section and the `ItsmMailApplication` construct (same keys, same words). Defaults
 * are written once, in `APPLICATION_DEFAULTS` and the parts' own defaults; rules once, in
 * `applicationProblems`.
 */
import { CLIENT_SECRET_RULES, normalizeClientSecret, type ClientSecret, type ClientSecretProps } from './client-secret';
import { EXPOSED_SCOPE_DEFAULTS, EXPOSED_SCOPE_RULES, normalizeExposedScope, type ExposedScope, type ExposedScopeProps } from './exposed-scope';
import { MAIL_ACCESS_RULES, mailPermissions, mailPresetConflict, normalizeMailAccess, type MailAccess, type MailAccessProps } from './mail-access';
import { permissionRefProblems, resolvePermissions, type PermissionRef, type ResolvedPermission } from './permissions';
import { NOTHING_UNRESOLVED, problemAt, repeated, type IsUnresolved, type Problem } from './problem';
import { each, nested, runRules, type RuleSet } from './rules';
import { objectIdListProblems } from './security-group';
import { redirectUriAudienceProblem, redirectUriCountProblem, redirectUriProblem } from './redirect-uri';
import { textProblem } from './text';

/** Supported account types, as `sign_in_audience` accepts them. */
export const SIGN_IN_AUDIENCES = ['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'] as const;
/** Supported account types: single tenant (`AzureADMyOrg`, the manual's choice), multi-tenant, or with personal accounts. */
export type SignInAudience = (typeof SIGN_IN_AUDIENCES)[number];

/** The config's `application` section and the props of `ItsmMailApplication`. */
export interface ItsmMailApplicationProps {
  /** Display name of the app registration. */
  readonly displayName: string;
  /** @default - none */
  readonly description?: string;
  /** @default - none */
  readonly notes?: string;
  /**
   * Supported account types.
   * @default 'AzureADMyOrg' (single tenant, as the manual chooses)
   */
  readonly signInAudience?: SignInAudience;
  /**
   * Owners' object IDs, in addition to the deployer (see includeDeployerAsOwner).
   * @default []
   */
  readonly owners?: readonly string[];
  /**
   * Make the identity that runs Terraform an owner of the application and service principal.
   * @default true
   */
  readonly includeDeployerAsOwner?: boolean;
  /**
   * Fail instead of creating a second application with the same display name.
   * @default true
   */
  readonly preventDuplicateNames?: boolean;
  /**
   * Web redirect URIs for the authorization-code flow (Pandora ITSM: `https://<host>/.../setup/setup_mail`).
   * No wildcards; `http://` only for localhost.
   * @default []
   */
  readonly redirectUris?: readonly string[];
  /**
   * Users or groups (object IDs) allowed to sign in to the application ("Assignment required" and
   * "Users and groups" of the Enterprise application). When set, no one else can sign in to it,
   * which keeps the tenant-wide delegated consent from serving other users' mailboxes.
   * @default [] (assignment not required: any user of the tenant can sign in, as the portal's default)
   */
  readonly assignedPrincipals?: readonly string[];
  /** The mail preset: flow, protocols, optional Graph mail permissions, mailboxes. */
  readonly mail: MailAccessProps;
  /**
   * More API permissions by name, beyond the mail preset.
   * @default []
   */
  readonly permissions?: readonly PermissionRef[];
  /**
   * Grant admin consent for every requested permission ("Grant admin consent for <tenant>").
   * @default true
   */
  readonly adminConsent?: boolean;
  /**
   * The client secret; it rotates alternately every half lifetime.
   * @default { lifetimeDays: 180 }
   */
  readonly clientSecret?: ClientSecretProps;
  /**
   * "Expose an API": identifier URI `api://<client id>` and one scope, with these settings.
   * @default - exposed with the defaults of ExposedScopeProps
   */
  readonly exposedScope?: ExposedScopeProps;
  /**
   * "Expose an API" (identifier URI and scope). The delegated flow's tools may use it; the app-only
   * flow has no signed-in user, so nothing would request the scope.
   * @default true for the delegated flow, or when exposedScope is given; false for app-only
   */
  readonly exposeApi?: boolean;
}

/** Owners per application, counting the deployer (the provider's MaxItems). */
export const MAX_OWNERS = 100;
/** Length of a scope value when personal Microsoft accounts sign in (the provider's CustomizeDiff). */
export const MAX_SCOPE_VALUE_WITH_PERSONAL_ACCOUNTS = 40;

/** The application's defaults, written once. */
export const APPLICATION_DEFAULTS = {
  signInAudience: 'AzureADMyOrg',
  owners: [],
  includeDeployerAsOwner: true,
  preventDuplicateNames: true,
  redirectUris: [],
  assignedPrincipals: [],
  permissions: [],
  adminConsent: true,
} as const satisfies Partial<Required<ItsmMailApplicationProps>>;

/** `ItsmMailApplicationProps` with every default applied and every permission resolved. */
export interface ItsmMailApplicationModel {
  readonly displayName: string;
  readonly description?: string;
  readonly notes?: string;
  readonly signInAudience: SignInAudience;
  readonly owners: readonly string[];
  readonly includeDeployerAsOwner: boolean;
  readonly preventDuplicateNames: boolean;
  readonly redirectUris: readonly string[];
  readonly assignedPrincipals: readonly string[];
  readonly mail: MailAccess;
  /** The permissions beyond the mail preset, as given. */
  readonly permissions: readonly PermissionRef[];
  readonly adminConsent: boolean;
  readonly clientSecret: ClientSecret;
  /** The exposed scope, or undefined when exposeApi is false. */
  readonly exposedScope?: ExposedScope;
  /** `api.requested_access_token_version`: 2 for personal Microsoft accounts (the provider's plan-time rule), else 1. */
  readonly requestedAccessTokenVersion: 1 | 2;
  /** Every permission requested (mail preset and extra), resolved from the catalogue, in a stable order. */
  readonly requestedPermissions: readonly ResolvedPermission[];
}

/** True for the audiences in which personal Microsoft accounts may sign in. */
export function allowsPersonalAccounts(audience: SignInAudience): boolean {
  return audience === 'AzureADandPersonalMicrosoftAccount' || audience === 'PersonalMicrosoftAccount';
}

/** Whether "Expose an API" is declared: as asked, else for the delegated flow or a given scope. */
export function exposesApi(props: Pick<ItsmMailApplicationProps, 'exposeApi' | 'exposedScope' | 'mail'>): boolean {
  return props.exposeApi ?? (props.mail.flow === 'delegated' || props.exposedScope !== undefined);
}

/** Applies every default; call it on props without problems. */
export function normalizeApplication(props: ItsmMailApplicationProps): ItsmMailApplicationModel {
  const d = APPLICATION_DEFAULTS;
  const signInAudience = props.signInAudience ?? d.signInAudience;
  const mail = normalizeMailAccess(props.mail);
  const permissions = [...(props.permissions ?? d.permissions)];
  const exposeApi = exposesApi(props);
  return {
    displayName: props.displayName,
    ...(props.description !== undefined ? { description: props.description } : {}),
    ...(props.notes !== undefined ? { notes: props.notes } : {}),
    signInAudience,
    owners: [...(props.owners ?? d.owners)],
    includeDeployerAsOwner: props.includeDeployerAsOwner ?? d.includeDeployerAsOwner,
    preventDuplicateNames: props.preventDuplicateNames ?? d.preventDuplicateNames,
    redirectUris: [...(props.redirectUris ?? d.redirectUris)],
    assignedPrincipals: [...(props.assignedPrincipals ?? d.assignedPrincipals)],
    mail,
    permissions,
    adminConsent: props.adminConsent ?? d.adminConsent,
    clientSecret: normalizeClientSecret(props.clientSecret),
    ...(exposeApi ? { exposedScope: normalizeExposedScope(props.exposedScope ?? {}, props.displayName) } : {}),
    requestedAccessTokenVersion: allowsPersonalAccounts(signInAudience) ? 2 : 1,
    requestedPermissions: resolvePermissions([...mailPermissions(mail), ...permissions]),
  };
}

const text = (key: 'displayName' | 'description' | 'notes', max: number) => (p: ItsmMailApplicationProps, isUnresolved: IsUnresolved) => {
  const v = p[key];
  return v === undefined || isUnresolved(v) ? [] : problemAt([key], textProblem(v, max));
};

/** The application's rules, one entry per field, and those across fields. */
export const APPLICATION_RULES: RuleSet<ItsmMailApplicationProps> = {
  fields: {
    displayName: text('displayName', 120),
    description: text('description', 1024),
    notes: text('notes', 1024),
    signInAudience: null,
    owners: (p, u) => objectIdListProblems(p.owners, ['owners'], 'owner', u),
    includeDeployerAsOwner: null,
    preventDuplicateNames: null,
    redirectUris: (p, isUnresolved) => {
      const problems: Problem[] = [];
      (p.redirectUris ?? []).forEach((uri, i) => {
        if (!isUnresolved(uri)) problems.push(...problemAt(['redirectUris', i], redirectUriProblem(uri)));
      });
      return p.redirectUris ? [...problems, ...repeated(p.redirectUris, ['redirectUris'], 'redirect URI')] : problems;
    },
    assignedPrincipals: (p, u) => objectIdListProblems(p.assignedPrincipals, ['assignedPrincipals'], 'principal', u),
    mail: nested(MAIL_ACCESS_RULES, (p) => p.mail),
    permissions: each((ref: PermissionRef) => permissionRefProblems(ref), (p) => p.permissions),
    adminConsent: null,
    clientSecret: nested(CLIENT_SECRET_RULES, (p) => p.clientSecret),
    exposedScope: nested(EXPOSED_SCOPE_RULES, (p) => p.exposedScope),
    exposeApi: null,
  },
  across: [
    {
      reads: ['redirectUris', 'signInAudience'],
      check: (p, isUnresolved) => {
        const personalAccounts = allowsPersonalAccounts(p.signInAudience ?? APPLICATION_DEFAULTS.signInAudience);
        const uris = p.redirectUris ?? [];
        const problems: Problem[] = [...problemAt(['redirectUris'], redirectUriCountProblem(uris.length, { personalAccounts }))];
        uris.forEach((uri, i) => {
          if (!isUnresolved(uri) && redirectUriProblem(uri) === undefined) problems.push(...problemAt(['redirectUris', i], redirectUriAudienceProblem(uri, { personalAccounts })));
        });
        return problems;
      },
    },
    {
      reads: ['mail', 'redirectUris'],
      check: (p) =>
        p.mail.flow === 'delegated' && (p.redirectUris ?? []).length === 0
          ? [
              {
                path: ['redirectUris'],
                message:
                  'is empty, but the delegated flow signs in through the authorization-code flow, which returns to a redirect URI: add the ITSM tool\'s callback (Pandora ITSM: https://<host>/pandoraitsm/godmode/godmode/setup/setup_mail), or use flow: app-only',
              },
            ]
          : [],
    },
    {
      reads: ['owners', 'includeDeployerAsOwner'],
      check: (p) => {
        const count = (p.owners ?? []).length + ((p.includeDeployerAsOwner ?? APPLICATION_DEFAULTS.includeDeployerAsOwner) ? 1 : 0);
        return count > MAX_OWNERS
          ? [{ path: ['owners'], message: `gives ${count} owners counting the deployer; an application may have at most ${MAX_OWNERS} (the provider's limit): remove some, or set includeDeployerAsOwner: false` }]
          : [];
      },
    },
    {
      reads: ['signInAudience', 'exposeApi', 'exposedScope', 'mail'],
      check: (p, isUnresolved) => {
        const value = p.exposedScope?.value ?? EXPOSED_SCOPE_DEFAULTS.value;
        if (!exposesApi(p) || isUnresolved(value) || !allowsPersonalAccounts(p.signInAudience ?? APPLICATION_DEFAULTS.signInAudience)) return [];
        return value.length > MAX_SCOPE_VALUE_WITH_PERSONAL_ACCOUNTS
          ? [{ path: ['exposedScope', 'value'], message: `is ${value.length} characters; at most ${MAX_SCOPE_VALUE_WITH_PERSONAL_ACCOUNTS} are allowed when personal Microsoft accounts sign in (the provider's plan-time rule)` }]
          : [];
      },
    },
    {
      reads: ['exposeApi', 'exposedScope'],
      check: (p) => (p.exposeApi === false && p.exposedScope !== undefined ? [{ path: ['exposedScope'], message: 'is set but exposeApi is false, so it would be ignored: remove one of them' }] : []),
    },
    {
      reads: ['mail', 'permissions'],
      check: (p) => {
        const conflict = mailPresetConflict(normalizeMailAccess(p.mail), p.permissions ?? []);
        return conflict ? [{ path: ['permissions', conflict.index, 'name'], message: conflict.message }] : [];
      },
    },
  ],
};

/**
 * Every problem of the application's props, paths relative to the section (config keys). Values
 * only known at deploy time (cdktf tokens, for library users) are skipped.
 */
export function applicationProblems(props: ItsmMailApplicationProps, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  return runRules(APPLICATION_RULES, props, isUnresolved);
}
