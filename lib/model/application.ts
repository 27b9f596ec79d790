/**
 * The app registration of the ITSM tool and everything on it: the model behind the config's
 * `application` section and the `ItsmMailApplication` construct (same keys, same words). Defaults
 * are written once, in `APPLICATION_DEFAULTS` and the parts' own defaults; rules once, in
 * `applicationProblems`.
 */
import { APPLICATION_IMPORT_RULES, normalizeApplicationImport, type ApplicationImport, type ApplicationImportProps } from './adoption';
import { CLIENT_SECRET_RULES, normalizeClientSecret, type ClientSecret, type ClientSecretProps } from './client-secret';
import { EXPOSED_SCOPE_DEFAULTS, EXPOSED_SCOPE_RULES, normalizeExposedScope, type ExposedScope, type ExposedScopeProps } from './exposed-scope';
import {
  appliedItsmTool,
  DEFAULT_ITSM_TOOL,
  flowOf,
  itsmToolPreset,
  presetFlow,
  toolAudienceProblems,
  toolFlowProblems,
  toolRedirectUriProblems,
  type AppliedItsmTool,
  type ItsmToolId,
} from './itsm-tool';
import { MAIL_ACCESS_RULES, mailPermissions, mailPresetConflict, normalizeMailAccess, type MailAccess, type MailAccessProps } from './mail-access';
import { DEFAULT_PERMISSION_API, permissionRefProblems, resolvePermissions, type PermissionRef, type ResolvedPermission } from './permissions';
import { NOTHING_UNRESOLVED, problemAt, repeated, show, type IsUnresolved, type Problem } from './problem';
import { graphId } from './ids';
import { each, nested, runRules, type RuleSet } from './rules';
import { objectIdListProblems } from './security-group';
import { redirectUriAudienceProblem, redirectUriCountProblem, redirectUriProblem } from './redirect-uri';
import { allowsPersonalAccounts, type SignInAudience } from './sign-in-audience';
import { textProblem } from './text';

export { allowsPersonalAccounts, SIGN_IN_AUDIENCES, type SignInAudience } from './sign-in-audience';

/** The config's `application` section and the props of `ItsmMailApplication`. */
export interface ItsmMailApplicationProps {
  /** Display name of the app registration. */
  readonly displayName: string;
  /** @default - none */
  readonly description?: string;
  /** @default - none */
  readonly notes?: string;
  /**
   * The ITSM tool that reads and sends the mail. Its preset gives the starting values of the
   * flow, the protocols, the sign-in audience and "Expose an API", adds the delegated permissions
   * its own sign-in asks for, holds the redirect URIs against its callback, refuses what the tool
   * does not support, and names the `itsm_tool_settings` output's fields as the tool's forms do.
   * See docs/itsm-tools.md.
   * @default 'pandora-itsm'
   */
  readonly itsmTool?: ItsmToolId;
  /**
   * Supported account types.
   * @default - the ITSM tool's: 'AzureADMyOrg' (single tenant, as the manual chooses), 'AzureADMultipleOrgs' for freescout (it signs in at /common only)
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
   * "Expose an API" (identifier URI and scope). Pandora ITSM's manual has this step for the
   * delegated flow; the app-only flow has no signed-in user, so nothing would request the scope,
   * and no other ITSM tool's setup asks for it.
   * @default true when exposedScope is given, or for the delegated flow of pandora-itsm; else false
   */
  readonly exposeApi?: boolean;
  /**
   * Objects made in the portal that this declaration takes over: synthesis writes a Terraform
   * `import` block (Terraform 1.5+) for each, so the first apply imports them instead of creating
   * new ones. `npm run adopt` writes this section.
   * @default - nothing is imported: everything is created
   */
  readonly import?: ApplicationImportProps;
}

/** Owners per application, counting the deployer (the provider's MaxItems). */
export const MAX_OWNERS = 100;
/** Length of a scope value when personal Microsoft accounts sign in (the provider's CustomizeDiff). */
export const MAX_SCOPE_VALUE_WITH_PERSONAL_ACCOUNTS = 40;

/** The application's defaults that do not depend on the ITSM tool, written once. */
export const APPLICATION_DEFAULTS = {
  itsmTool: DEFAULT_ITSM_TOOL,
  owners: [],
  includeDeployerAsOwner: true,
  preventDuplicateNames: true,
  redirectUris: [],
  assignedPrincipals: [],
  permissions: [],
  adminConsent: true,
} as const satisfies Partial<Required<ItsmMailApplicationProps>>;

/** The sign-in audience in effect: as given, else the ITSM tool's. */
export function signInAudienceOf(props: Pick<ItsmMailApplicationProps, 'itsmTool' | 'signInAudience'>): SignInAudience {
  return props.signInAudience ?? itsmToolPreset(props.itsmTool).defaultAudience;
}

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
  /** The ITSM tool preset in effect and what it filled in. */
  readonly itsmTool: AppliedItsmTool;
  /** What is imported, when adopting objects made in the portal. */
  readonly import?: ApplicationImport;
}

/**
 * Whether "Expose an API" is declared: as asked, else when a scope is given, else for the
 * delegated flow of a tool whose setup has the step (Pandora ITSM's manual).
 */
export function exposesApi(props: Pick<ItsmMailApplicationProps, 'exposeApi' | 'exposedScope' | 'mail' | 'itsmTool'>): boolean {
  return props.exposeApi ?? (props.exposedScope !== undefined || (itsmToolPreset(props.itsmTool).exposesApi && flowOf(props) === 'delegated'));
}

/** The mail preset with the ITSM tool's defaults; call it on props without problems. */
export function mailOf(props: Pick<ItsmMailApplicationProps, 'mail' | 'itsmTool'>): MailAccess {
  const tool = itsmToolPreset(props.itsmTool);
  return normalizeMailAccess(props.mail, { flow: presetFlow(tool), protocols: tool.defaultProtocols });
}

/**
 * `api.requested_access_token_version`: 2 where personal Microsoft accounts may sign in (the
 * provider's CustomizeDiff requires it), else 1 (what the provider reads back for an unset one).
 */
export function requestedAccessTokenVersion(personalAccounts: boolean): 1 | 2 {
  return personalAccounts ? 2 : 1;
}

/** Applies every default; call it on props without problems. */
export function normalizeApplication(props: ItsmMailApplicationProps): ItsmMailApplicationModel {
  const d = APPLICATION_DEFAULTS;
  const tool = itsmToolPreset(props.itsmTool ?? d.itsmTool);
  const signInAudience = signInAudienceOf(props);
  const mail = mailOf(props);
  const permissions = [...(props.permissions ?? d.permissions)];
  const exposeApi = exposesApi(props);
  return {
    displayName: props.displayName,
    ...(props.description !== undefined ? { description: props.description } : {}),
    ...(props.notes !== undefined ? { notes: props.notes } : {}),
    signInAudience,
    owners: (props.owners ?? d.owners).map(graphId),
    includeDeployerAsOwner: props.includeDeployerAsOwner ?? d.includeDeployerAsOwner,
    preventDuplicateNames: props.preventDuplicateNames ?? d.preventDuplicateNames,
    redirectUris: [...(props.redirectUris ?? d.redirectUris)],
    // principal_object_id is ForceNew and read back from Graph in lower case: an upper-case ID would replace the assignment.
    assignedPrincipals: (props.assignedPrincipals ?? d.assignedPrincipals).map(graphId),
    mail,
    permissions,
    adminConsent: props.adminConsent ?? d.adminConsent,
    clientSecret: normalizeClientSecret(props.clientSecret),
    ...(exposeApi ? { exposedScope: normalizeExposedScope(props.exposedScope ?? {}, props.displayName) } : {}),
    requestedAccessTokenVersion: requestedAccessTokenVersion(allowsPersonalAccounts(signInAudience)),
    requestedPermissions: resolvePermissions([...mailPermissions(mail, tool.signInPermissions), ...permissions]),
    itsmTool: appliedItsmTool(props, { flow: mail.flow, protocols: mail.protocols, exposeApi }),
    ...(props.import !== undefined ? { import: normalizeApplicationImport(props.import) } : {}),
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
    itsmTool: null,
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
    permissions: each(
      (ref: PermissionRef) => permissionRefProblems(ref),
      (p) => p.permissions,
    ),
    adminConsent: null,
    clientSecret: nested(CLIENT_SECRET_RULES, (p) => p.clientSecret),
    exposedScope: nested(EXPOSED_SCOPE_RULES, (p) => p.exposedScope),
    exposeApi: null,
    import: nested(APPLICATION_IMPORT_RULES, (p) => p.import),
  },
  across: [
    {
      reads: ['redirectUris', 'signInAudience', 'itsmTool'],
      check: (p, isUnresolved) => {
        const personalAccounts = allowsPersonalAccounts(signInAudienceOf(p));
        const uris = p.redirectUris ?? [];
        const problems: Problem[] = [...problemAt(['redirectUris'], redirectUriCountProblem(uris.length, { personalAccounts }))];
        uris.forEach((uri, i) => {
          if (!isUnresolved(uri) && redirectUriProblem(uri) === undefined)
            problems.push(...problemAt(['redirectUris', i], redirectUriAudienceProblem(uri, { personalAccounts })));
        });
        return problems;
      },
    },
    // The ITSM tool's rules (lib/model/itsm-tool.ts), split by the fields they read so that one
    // mistyped field does not hide the others.
    { reads: ['itsmTool', 'mail'], check: (p) => toolFlowProblems(p) },
    {
      reads: ['itsmTool', 'mail', 'redirectUris'],
      check: (p, isUnresolved) => (toolFlowProblems(p).length > 0 ? [] : toolRedirectUriProblems(p, isUnresolved)),
    },
    { reads: ['itsmTool', 'signInAudience'], check: (p) => toolAudienceProblems(p) },
    {
      reads: ['owners', 'includeDeployerAsOwner'],
      check: (p) => {
        const count = (p.owners ?? []).length + ((p.includeDeployerAsOwner ?? APPLICATION_DEFAULTS.includeDeployerAsOwner) ? 1 : 0);
        return count > MAX_OWNERS
          ? [
              {
                path: ['owners'],
                message: `gives ${count} owners counting the deployer; an application may have at most ${MAX_OWNERS} (the provider's limit): remove some, or set includeDeployerAsOwner: false`,
              },
            ]
          : [];
      },
    },
    {
      reads: ['signInAudience', 'exposeApi', 'exposedScope', 'mail', 'itsmTool'],
      check: (p, isUnresolved) => {
        const value = p.exposedScope?.value ?? EXPOSED_SCOPE_DEFAULTS.value;
        if (!exposesApi(p) || isUnresolved(value) || !allowsPersonalAccounts(signInAudienceOf(p))) return [];
        return value.length > MAX_SCOPE_VALUE_WITH_PERSONAL_ACCOUNTS
          ? [
              {
                path: ['exposedScope', 'value'],
                message: `is ${value.length} characters; at most ${MAX_SCOPE_VALUE_WITH_PERSONAL_ACCOUNTS} are allowed when personal Microsoft accounts sign in (the provider's plan-time rule)`,
              },
            ]
          : [];
      },
    },
    {
      reads: ['exposeApi', 'exposedScope'],
      check: (p) =>
        p.exposeApi === false && p.exposedScope !== undefined
          ? [{ path: ['exposedScope'], message: 'is set but exposeApi is false, so it would be ignored: remove one of them' }]
          : [],
    },
    {
      reads: ['mail', 'permissions', 'itsmTool'],
      check: (p) => {
        if (toolFlowProblems(p).length > 0) return [];
        const conflict = mailPresetConflict(mailOf(p), p.permissions ?? []);
        return conflict ? [{ path: ['permissions', conflict.index, 'name'], message: conflict.message }] : [];
      },
    },
    {
      reads: ['import', 'mail', 'permissions', 'adminConsent'],
      check: (p) => (p.import ? importedConsentProblems(p, p.import) : []),
    },
    {
      reads: ['import', 'assignedPrincipals'],
      check: (p) => {
        const assigned = new Set((p.assignedPrincipals ?? []).map((x) => x.toLowerCase()));
        return (p.import?.signInAssignments ?? []).flatMap((s, i) =>
          assigned.has(s.principal.toLowerCase())
            ? []
            : [
                {
                  path: ['import', 'signInAssignments', i, 'principal'],
                  message: `${show(s.principal)} is not in assignedPrincipals, so no assignment is declared to import it into: add it there, or remove this entry`,
                },
              ],
        );
      },
    },
    {
      reads: ['import', 'exposeApi', 'exposedScope', 'mail'],
      check: (p) => {
        const i = p.import;
        if (!i) return [];
        const problems: Problem[] = [];
        if (!exposesApi(p)) {
          for (const key of ['identifierUri', 'permissionScopeId'] as const) {
            if (i[key] !== undefined)
              problems.push({
                path: ['import', key],
                message:
                  'imports into "Expose an API", which this application does not declare (exposeApi is false): set exposeApi: true, or remove this entry',
              });
          }
          return problems;
        }
        if (i.permissionScopeId !== undefined && p.exposedScope?.id?.toLowerCase() !== i.permissionScopeId.toLowerCase()) {
          problems.push({
            path: ['import', 'permissionScopeId'],
            message:
              p.exposedScope?.id === undefined
                ? 'needs exposedScope.id set to the same ID: without it the project gives the scope a new ID, and the provider would replace the imported scope (disabling and deleting it)'
                : `differs from exposedScope.id ${show(p.exposedScope.id)}: the scope is imported by this ID and declared with that one, so the provider would replace it; make them the same`,
          });
        }
        return problems;
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

/**
 * Imported consents must land on consents this application declares: an import block whose target
 * is not in the configuration fails the plan ("Configuration for import target does not exist").
 */
function importedConsentProblems(p: ItsmMailApplicationProps, i: ApplicationImportProps): Problem[] {
  const roles = i.appRoleAssignments ?? [];
  const grants = i.delegatedPermissionGrants ?? [];
  if (roles.length + grants.length === 0) return [];
  // Without a flow the mail preset is unknown; its absence is reported by the tool's rules.
  if (flowOf(p) === undefined || toolFlowProblems(p).length > 0) return [];
  if ((p.adminConsent ?? APPLICATION_DEFAULTS.adminConsent) === false) {
    return [
      {
        path: ['import'],
        message:
          'imports admin consents, but adminConsent is false, so none is declared: set adminConsent: true, or remove appRoleAssignments and delegatedPermissionGrants',
      },
    ];
  }
  const requested = resolvePermissions([...mailPermissions(mailOf(p), itsmToolPreset(p.itsmTool).signInPermissions), ...(p.permissions ?? [])]);
  const problems: Problem[] = [];
  roles.forEach((a, index) => {
    const api = a.api ?? DEFAULT_PERMISSION_API;
    if (!requested.some((r) => r.api === api && r.type === 'application' && r.name === a.permission)) {
      problems.push({
        path: ['import', 'appRoleAssignments', index, 'permission'],
        message: `${show(a.permission)} (${api}) is not an application permission this application requests, so no consent to it is declared: request it (mail preset or permissions), or remove this entry`,
      });
    }
  });
  grants.forEach((g, index) => {
    const api = g.api ?? DEFAULT_PERMISSION_API;
    if (!requested.some((r) => r.api === api && r.type === 'delegated')) {
      problems.push({
        path: ['import', 'delegatedPermissionGrants', index, 'api'],
        message: `${api} has no delegated permission this application requests, so no grant is declared for it: remove this entry`,
      });
    }
  });
  return problems;
}
