/**
 * Any azuread (and time) resource of a plan in words: each resource type's attributes as named
 * facets (a value, or a set of named items such as permissions, owners, members, redirect URIs,
 * policy targets), so that a change is said as a change: what is added and what is removed, by
 * name. IDs are named through the plan (`PlanNames`) and the catalogues. Pure.
 */
import { directoryRoleTemplate } from '../model/ids';
import { KnownApi } from '../permissions/catalogue';
import { UNKNOWN_AFTER } from './plan';
import type { PlanNames } from './plan-names';
import { andList, AUDIENCE_WORDS, CLIENT_APP_WORDS, code, GRANT_CONTROL_WORDS, md, POLICY_STATE_WORDS } from './words';
import { table } from '../private/table';

type Values = Readonly<Record<string, unknown>>;

/** One thing a resource says: a value, or a set of items, each in words (markdown). */
export interface Facet {
  /** Stable key (the top-level attribute, or attribute/part). */
  readonly key: string;
  /** The top-level attribute it comes from (for "known after apply"). */
  readonly attr: string;
  readonly title: string;
  readonly value?: string;
  readonly set?: readonly string[];
}

/** Names IDs of one resource: by value through the plan, or by the configuration's reference when the value is not known yet. */
export interface Namer {
  readonly names: PlanNames;
  /** An object ID (or `/type/<id>` path) attribute in words. */
  id(attr: string, value: unknown): string;
  /** A list of object IDs in words. */
  ids(attr: string, value: unknown): string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v !== UNKNOWN_AFTER ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string' && x !== '' && x !== UNKNOWN_AFTER);
/** The objects of a list of blocks (a plan may hold anything where a block goes). */
const blocks = (v: unknown): Values[] => list(v).filter((x): x is Values => x !== null && typeof x === 'object' && !Array.isArray(x));
const block = (v: unknown): Values | undefined => {
  const b = Array.isArray(v) ? v[0] : v;
  return b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Values) : undefined;
};
const bool = (v: unknown, yes: string, no: string): string | undefined => (v === true ? yes : v === false ? no : undefined);

const value = (key: string, title: string, v: string | undefined, attr = key.split('/')[0]): Facet[] =>
  v === undefined ? [] : [{ key, attr, title, value: v }];
const set = (key: string, title: string, items: readonly string[], attr = key.split('/')[0]): Facet[] => [
  { key, attr, title, set: [...new Set(items)].sort() },
];
const text = (v: unknown) => (str(v) !== undefined ? `"${md(str(v)!)}"` : undefined);

/** Attributes no facet needs: Terraform's, the provider's computed bookkeeping, and values shown elsewhere. */
const NEVER = new Set([
  'timeouts',
  'id',
  'object_id',
  'key_id',
  'value',
  'password',
  'client_id',
  'application_id',
  'app_role_ids',
  'oauth2_permission_scope_ids',
  'disabled_by_microsoft',
  'publisher_domain',
  'logo_url',
  'template_id',
  'feature_tags',
  'sign_in_audience_settings',
]);

/** A resource type's facets, and the attributes they cover (others are shown as they are). */
interface TypeWords {
  /** What the resource is, e.g. `application "hr-sync"`. */
  label(v: Values, n: Namer): string;
  facets(v: Values, n: Namer): Facet[];
  readonly covers: readonly string[];
}

/** The API a client ID stands for. */
export function apiWords(n: Namer, clientId: string | undefined): string {
  if (clientId === undefined) return 'an API';
  const api = Object.values(KnownApi).find((a) => a.resourceAppId === clientId.toLowerCase());
  const named = n.names.object(clientId)?.words;
  return api ? api.displayName : named !== undefined ? md(named) : `the API with client ID ${code(clientId)}`;
}

/** `required_resource_access` in words: `Microsoft Graph User.Read.All (application)`. */
export function requestedPermissions(v: Values, n: Namer): string[] {
  return blocks(v.required_resource_access).flatMap((rra) => {
    const appId = str(rra.resource_app_id);
    return blocks(rra.resource_access).map((ra) => {
      const type = ra.type === 'Role' ? 'application' : 'delegated';
      const id = str(ra.id);
      const named = n.names.role(id, type, appId);
      return `${named ? md(named.words) : `${apiWords(n, appId)} permission ${code(id ?? '(unknown)')}`} (${type})`;
    });
  });
}

function redirectUris(v: Values): string[] {
  return [
    ...strs(block(v.web)?.redirect_uris).map((u) => `${code(u)} (web)`),
    ...strs(block(v.single_page_application)?.redirect_uris).map((u) => `${code(u)} (single-page app)`),
    ...strs(block(v.public_client)?.redirect_uris).map((u) => `${code(u)} (public client)`),
  ];
}

const MEMBER_TYPES: Readonly<Record<string, string>> = table({ User: 'users and groups', Application: 'applications (application permission)' });

const application: TypeWords = {
  label: (v) => `application ${text(v.display_name) ?? '(unnamed)'}`,
  covers: [
    'display_name',
    'sign_in_audience',
    'owners',
    'required_resource_access',
    'web',
    'single_page_application',
    'public_client',
    'identifier_uris',
    'api',
    'app_role',
    'optional_claims',
    'group_membership_claims',
    'fallback_public_client_enabled',
    'notes',
    'description',
    'prevent_duplicate_names',
    'device_only_auth_enabled',
    'oauth2_post_response_required',
  ],
  facets: (v, n) => {
    const api = block(v.api);
    const implicit = block(block(v.web)?.implicit_grant);
    const audience = str(v.sign_in_audience);
    const claims = block(v.optional_claims);
    return [
      ...value('display_name', 'Name', text(v.display_name)),
      ...value('sign_in_audience', 'Who can sign in', audience ? `${md(AUDIENCE_WORDS[audience] ?? audience)} (${code(audience)})` : undefined),
      ...set('owners', 'Owners', n.ids('owners', v.owners)),
      ...set('required_resource_access', 'Requested permissions', requestedPermissions(v, n)),
      ...set('web/redirect_uris', 'Redirect URIs', redirectUris(v), 'web'),
      ...set('identifier_uris', 'Identifier URIs', strs(v.identifier_uris).map(code)),
      ...set(
        'api/oauth2_permission_scope',
        'Exposed scopes',
        blocks(api?.oauth2_permission_scope).map((x) => {
          return `${code(str(x.value) ?? '(no value)')}: ${x.type === 'Admin' ? 'only admins may consent' : 'admins and users may consent'}${x.enabled === false ? ', disabled' : ''}${str(x.admin_consent_display_name) ? ` ("${md(str(x.admin_consent_display_name)!)}")` : ''}`;
        }),
        'api',
      ),
      ...value(
        'api/requested_access_token_version',
        'Access token version of its API',
        typeof api?.requested_access_token_version === 'number' ? `v${api.requested_access_token_version}` : undefined,
        'api',
      ),
      ...set(
        'app_role',
        'App roles',
        blocks(v.app_role).map((x) => {
          return `${code(str(x.value) ?? '(no value)')} for ${andList(strs(x.allowed_member_types).map((t) => MEMBER_TYPES[t] ?? t)) || 'no one'}${x.enabled === false ? ', disabled' : ''}${str(x.display_name) ? ` ("${md(str(x.display_name)!)}")` : ''}`;
        }),
      ),
      ...set(
        'optional_claims',
        'Optional claims',
        ['access_token', 'id_token', 'saml2_token'].flatMap((t) =>
          blocks(claims?.[t]).map((c) => `${code(str(c.name) ?? '?')} in the ${t.replace('_', ' ').replace('saml2', 'SAML')}`),
        ),
      ),
      ...set('group_membership_claims', 'Group claims', strs(v.group_membership_claims).map(code)),
      // No web block (or no implicit_grant in it) means neither token is issued, as Entra ID defaults.
      ...value(
        'web/implicit_grant',
        'Implicit grant',
        implicit || 'web' in v
          ? `access tokens ${implicit?.access_token_issuance_enabled === true ? 'issued' : 'not issued'}, ID tokens ${implicit?.id_token_issuance_enabled === true ? 'issued' : 'not issued'}`
          : undefined,
        'web',
      ),
      ...value('web/homepage_url', 'Home page', str(block(v.web)?.homepage_url) ? code(str(block(v.web)?.homepage_url)!) : undefined, 'web'),
      ...value('web/logout_url', 'Logout URL', str(block(v.web)?.logout_url) ? code(str(block(v.web)?.logout_url)!) : undefined, 'web'),
      ...value('fallback_public_client_enabled', 'Public client flows (device code, ROPC)', bool(v.fallback_public_client_enabled, 'allowed', 'not allowed')),
      ...value('device_only_auth_enabled', 'Device-only authentication', bool(v.device_only_auth_enabled, 'on', 'off')),
      ...value('prevent_duplicate_names', 'Duplicate names', bool(v.prevent_duplicate_names, 'refused', 'allowed')),
      ...value('oauth2_post_response_required', 'OAuth2 POST responses', bool(v.oauth2_post_response_required, 'required', 'not required')),
      ...value('description', 'Description', text(v.description)),
      ...value('notes', 'Notes', text(v.notes)),
      // The inline `password` block: a client secret made with the application (its value is sensitive, never read).
      ...set(
        'password',
        'Client secrets (inline)',
        blocks(v.password).map((x) => {
          return `${text(x.display_name) ?? 'a secret'}${str(x.end_date) ? ` until ${code(str(x.end_date)!)}` : ''}`;
        }),
      ),
    ];
  },
};

const servicePrincipal: TypeWords = {
  label: (v, n) => `service principal of ${n.id('client_id', v.client_id)}`,
  // What the service principal mirrors from its application (roles, scopes, redirect URIs,
  // audience, names) is shown on the application: a change there is not a second change here.
  covers: [
    'app_roles',
    'oauth2_permission_scopes',
    'redirect_uris',
    'sign_in_audience',
    'homepage_url',
    'logout_url',
    'display_name',
    'application_tenant_id',
    'type',
    'features',
    'service_principal_names',
    'saml_metadata_url',
    'object_id',
    'app_role_ids',
    'oauth2_permission_scope_ids',
    'client_id',
    'app_role_assignment_required',
    'owners',
    'account_enabled',
    'notes',
    'description',
    'use_existing',
    'notification_email_addresses',
    'alternative_names',
    'preferred_single_sign_on_mode',
    'login_url',
  ],
  facets: (v, n) => [
    ...value('client_id', 'Application', n.id('client_id', v.client_id)),
    ...value(
      'app_role_assignment_required',
      'Who may sign in',
      v.app_role_assignment_required === true
        ? 'only users and groups assigned to it (assignment required)'
        : 'any user of the tenant (assignment not required)',
    ),
    ...set('owners', 'Owners', n.ids('owners', v.owners)),
    ...value('account_enabled', 'Sign-in', bool(v.account_enabled, 'enabled', '**disabled**')),
    ...value('use_existing', 'Takes over an existing service principal', bool(v.use_existing, 'yes', 'no')),
    ...set('notification_email_addresses', 'Notification e-mail addresses', strs(v.notification_email_addresses).map(code)),
    ...set('alternative_names', 'Alternative names', strs(v.alternative_names).map(code)),
    ...value(
      'preferred_single_sign_on_mode',
      'Single sign-on mode',
      str(v.preferred_single_sign_on_mode) ? code(str(v.preferred_single_sign_on_mode)!) : undefined,
    ),
    ...value('login_url', 'Login URL', str(v.login_url) ? code(str(v.login_url)!) : undefined),
    ...value('description', 'Description', text(v.description)),
    ...value('notes', 'Notes', text(v.notes)),
  ],
};

/** The app role an assignment grants, in words. */
export function assignedRole(v: Values, n: Namer, kind = false): string {
  const resourceClient = n.names.clientIdOfServicePrincipal(str(v.resource_object_id));
  const role = n.names.role(str(v.app_role_id), 'application', resourceClient);
  if (!role) return `app role ${code(str(v.app_role_id) ?? '(known after apply)')}`;
  return `${md(role.words)}${kind ? (role.api ? ' (application permission: no signed-in user needed)' : ' (app role)') : ''}`;
}

const appRoleAssignment: TypeWords = {
  label: (v, n) => `app role assignment: ${assignedRole(v, n)} to ${n.id('principal_object_id', v.principal_object_id)}`,
  covers: ['app_role_id', 'principal_object_id', 'resource_object_id', 'principal_display_name', 'principal_type', 'resource_display_name'],
  facets: (v, n) => [
    ...value('app_role_id', 'Grants', assignedRole(v, n, true)),
    ...value('principal_object_id', 'To', n.id('principal_object_id', v.principal_object_id)),
    ...value('resource_object_id', 'On', n.id('resource_object_id', v.resource_object_id)),
  ],
};

const delegatedGrant: TypeWords = {
  label: (v, n) => `delegated permission grant to ${n.id('service_principal_object_id', v.service_principal_object_id)}`,
  covers: ['service_principal_object_id', 'resource_service_principal_object_id', 'user_object_id', 'claim_values'],
  facets: (v, n) => {
    const resource = n.names.clientIdOfServicePrincipal(str(v.resource_service_principal_object_id));
    const api = resource ? apiWords(n, resource) : n.id('resource_service_principal_object_id', v.resource_service_principal_object_id);
    return [
      ...value('service_principal_object_id', 'Client', n.id('service_principal_object_id', v.service_principal_object_id)),
      ...value('resource_service_principal_object_id', 'API', api),
      ...value(
        'user_object_id',
        'For',
        str(v.user_object_id) ? `only ${n.id('user_object_id', v.user_object_id)}` : 'every user of the tenant (admin consent on behalf of all users)',
      ),
      ...set(
        'claim_values',
        'Delegated permissions',
        strs(v.claim_values).map((c) => (resource ? `${api} ${code(c)}` : code(c))),
      ),
    ];
  },
};

function dates(v: Values): Facet[] {
  return [
    ...value('start_date', 'Valid from', str(v.start_date) ? code(str(v.start_date)!) : undefined),
    ...value(
      'end_date',
      'Valid until',
      str(v.end_date) ? code(str(v.end_date)!) : str(v.end_date_relative) ? `${code(str(v.end_date_relative)!)} after creation` : undefined,
    ),
  ];
}

const applicationPassword: TypeWords = {
  label: (v, n) => `client secret ${text(v.display_name) ?? ''} of ${n.id('application_id', v.application_id)}`.replace(/\s+/g, ' '),
  covers: ['application_id', 'display_name', 'start_date', 'end_date', 'end_date_relative', 'rotate_when_changed'],
  facets: (v, n) => [
    ...value('application_id', 'Application', n.id('application_id', v.application_id)),
    ...value('display_name', 'Description', text(v.display_name)),
    ...dates(v),
    ...set(
      'rotate_when_changed',
      'Replaced when these change',
      // The keys of the map (its values are only known after apply, or are sensitive).
      v.rotate_when_changed === UNKNOWN_AFTER ? ['*(known after apply)*'] : Object.keys(block(v.rotate_when_changed) ?? {}).map(code),
    ),
  ],
};

const servicePrincipalPassword: TypeWords = {
  ...applicationPassword,
  label: (v, n) => `service principal password of ${n.id('service_principal_id', v.service_principal_id)}`,
  covers: ['service_principal_id', ...applicationPassword.covers],
  facets: (v, n) => [
    ...value('service_principal_id', 'Service principal', n.id('service_principal_id', v.service_principal_id)),
    ...applicationPassword.facets(v, n).filter((f) => f.key !== 'application_id'),
  ],
};

const certificate: TypeWords = {
  label: (v, n) => `certificate of ${n.id('application_id', v.application_id)}`,
  covers: ['application_id', 'service_principal_id', 'type', 'encoding', 'start_date', 'end_date', 'end_date_relative'],
  facets: (v, n) => [
    ...value(
      'application_id',
      'Application',
      str(v.application_id) !== undefined || v.application_id === null ? n.id('application_id', v.application_id) : undefined,
    ),
    ...value('type', 'Kind', str(v.type) === 'Symmetric' ? 'symmetric key' : 'X.509 certificate (public key)'),
    ...value('encoding', 'Encoding', str(v.encoding) ? code(str(v.encoding)!) : undefined),
    ...dates(v),
  ],
};

/** Who issues a federated credential's tokens. */
export function issuerWords(issuer: string | undefined): string {
  if (issuer === undefined) return 'an unknown issuer';
  if (issuer === 'https://token.actions.githubusercontent.com' || issuer.startsWith('https://token.actions.githubusercontent.com/'))
    return `GitHub Actions (${code(issuer)})`;
  if (/^https:\/\/gitlab\./.test(issuer)) return `GitLab CI (${code(issuer)})`;
  if (issuer.startsWith('https://vstoken.dev.azure.com/')) return `Azure DevOps (${code(issuer)})`;
  if (/^https:\/\/login\.microsoftonline\.com\/[^/]+\/v2\.0$/.test(issuer)) return `an Entra ID tenant (${code(issuer)})`;
  if (/oidc\.eks\.|container\.googleapis|\.oic\.prod-aks\.azure\.com/.test(issuer)) return `a Kubernetes cluster (${code(issuer)})`;
  return code(issuer);
}

/** What a federated credential's subject admits, in words, and whether it is broad (any branch, any repository). */
export function subjectWords(subject: string | undefined): { readonly words: string; readonly broad?: string } {
  if (subject === undefined) return { words: 'an unknown subject' };
  const owner = /^repository_owner(_id)?:(.+)$/.exec(subject);
  if (owner)
    return {
      words: `any workflow of any repository of the GitHub organization ${code(owner[2])}`,
      broad: `the subject ${code(subject)} names only the organization: every repository, branch and pull request of ${code(owner[2])} may sign in`,
    };
  const gh = /^repo:([^:]+):(.+)$/.exec(subject);
  if (gh) {
    const [, repo, rest] = gh;
    const branch = /^ref:refs\/heads\/(.+)$/.exec(rest);
    if (branch) return { words: `workflows on the branch ${code(branch[1])} of ${code(repo)}` };
    const tag = /^ref:refs\/tags\/(.+)$/.exec(rest);
    if (tag) return { words: `workflows on the tag ${code(tag[1])} of ${code(repo)}` };
    const env = /^environment:(.+)$/.exec(rest);
    if (env) return { words: `jobs of the deployment environment ${code(env[1])} of ${code(repo)}` };
    if (rest === 'pull_request')
      return {
        words: `workflows run for any pull request of ${code(repo)}`,
        broad: `the subject ${code(subject)} admits every pull request of ${code(repo)}, whatever its branch: code not yet reviewed may sign in`,
      };
    return { words: `${code(subject)} (a customised GitHub subject of ${code(repo)})` };
  }
  const repoOnly = /^repo:([^:]+)$/.exec(subject);
  if (repoOnly)
    return {
      words: `any workflow of ${code(repoOnly[1])}`,
      broad: `the subject ${code(subject)} names the repository only: every branch and pull request may sign in`,
    };
  const gitlab = /^project_path:([^:]+)(?::ref_type:(\w+):ref:(.+))?$/.exec(subject);
  if (gitlab)
    return gitlab[3]
      ? { words: `pipelines on the ${gitlab[2]} ${code(gitlab[3])} of ${code(gitlab[1])}` }
      : { words: `any pipeline of ${code(gitlab[1])}`, broad: `the subject ${code(subject)} names the project only: every branch may sign in` };
  const k8s = /^system:serviceaccount:([^:]+):(.+)$/.exec(subject);
  if (k8s) return { words: `the Kubernetes service account ${code(k8s[2])} in namespace ${code(k8s[1])}` };
  return { words: code(subject) };
}

const federatedCredential: TypeWords = {
  label: (v, n) => `federated credential ${text(v.display_name) ?? ''} of ${n.id('application_id', v.application_id)}`.replace(/\s+/g, ' '),
  covers: ['application_id', 'display_name', 'issuer', 'subject', 'audiences', 'description', 'credential_id'],
  facets: (v, n) => [
    ...value('application_id', 'Application', n.id('application_id', v.application_id)),
    ...value('display_name', 'Name', text(v.display_name)),
    ...value('issuer', 'Issuer', issuerWords(str(v.issuer))),
    ...value('subject', 'Subject', str(v.subject) !== undefined ? `${code(str(v.subject)!)}: ${subjectWords(str(v.subject)).words}` : undefined),
    ...set('audiences', 'Audiences', strs(v.audiences).map(code)),
    ...value('description', 'Description', text(v.description)),
    ...value(
      'sign_in',
      'Who may sign in as the application',
      `tokens that ${issuerWords(str(v.issuer))} issues for ${subjectWords(str(v.subject)).words}`,
      'subject',
    ),
  ],
};

const flexibleFederatedCredential: TypeWords = {
  label: federatedCredential.label,
  covers: ['application_id', 'display_name', 'issuer', 'claims_matching_expression', 'audience', 'description', 'credential_id'],
  facets: (v, n) => [
    ...value('application_id', 'Application', n.id('application_id', v.application_id)),
    ...value('display_name', 'Name', text(v.display_name)),
    ...value('issuer', 'Issuer', issuerWords(str(v.issuer))),
    ...value(
      'claims_matching_expression',
      'Claims matching expression',
      str(v.claims_matching_expression) ? code(str(v.claims_matching_expression)!) : undefined,
    ),
    ...value('audience', 'Audience', str(v.audience) ? code(str(v.audience)!) : undefined),
    ...value('description', 'Description', text(v.description)),
  ],
};

/** A directory role by template or definition ID, with "privileged" when Microsoft labels it so. */
export function roleWords(n: Namer, attr: string, id: unknown): string {
  const t = str(id) ? directoryRoleTemplate(str(id)!) : undefined;
  return t ? `${md(t.displayName)}${t.privileged ? ' (privileged role)' : ''}` : n.id(attr, id);
}

function scopeWords(n: Namer, v: Values): string {
  const scope = str(v.directory_scope_id);
  const app = str(v.app_scope_id);
  if (app) return `the application scope ${n.id('app_scope_id', app)}`;
  if (scope === undefined || scope === '/') return 'the whole tenant';
  const au = /^\/administrativeUnits\/(.+)$/.exec(scope);
  if (au) return `only ${n.id('directory_scope_id', au[1])}`;
  return `the objects under ${code(scope)} (${n.id('directory_scope_id', scope.split('/').pop())})`;
}

const directoryRoleAssignment: TypeWords = {
  label: (v, n) => `directory role assignment: ${roleWords(n, 'role_id', v.role_id)} to ${n.id('principal_object_id', v.principal_object_id)}`,
  covers: ['role_id', 'principal_object_id', 'directory_scope_id', 'app_scope_id'],
  facets: (v, n) => [
    ...value('role_id', 'Role', roleWords(n, 'role_id', v.role_id)),
    ...value('principal_object_id', 'To', n.id('principal_object_id', v.principal_object_id)),
    ...value('directory_scope_id', 'Over', scopeWords(n, v)),
  ],
};

const roleEligibility: TypeWords = {
  label: (v, n) => `eligible directory role: ${roleWords(n, 'role_definition_id', v.role_definition_id)} for ${n.id('principal_id', v.principal_id)}`,
  covers: ['role_definition_id', 'principal_id', 'directory_scope_id', 'justification'],
  facets: (v, n) => [
    ...value('role_definition_id', 'Role (eligible, activated on demand)', roleWords(n, 'role_definition_id', v.role_definition_id)),
    ...value('principal_id', 'For', n.id('principal_id', v.principal_id)),
    ...value('directory_scope_id', 'Over', scopeWords(n, v)),
    ...value('justification', 'Justification', text(v.justification)),
  ],
};

const directoryRoleMember: TypeWords = {
  label: (v, n) => `directory role member: ${n.id('member_object_id', v.member_object_id)} in ${n.id('role_object_id', v.role_object_id)}`,
  covers: ['role_object_id', 'member_object_id'],
  facets: (v, n) => [
    ...value('role_object_id', 'Role', n.id('role_object_id', v.role_object_id)),
    ...value('member_object_id', 'Member', n.id('member_object_id', v.member_object_id)),
  ],
};

const group: TypeWords = {
  label: (v) => `group ${text(v.display_name) ?? '(unnamed)'}${v.assignable_to_role === true ? ' (role-assignable)' : ''}`,
  covers: [
    'display_name',
    'security_enabled',
    'mail_enabled',
    'assignable_to_role',
    'owners',
    'members',
    'types',
    'description',
    'dynamic_membership',
    'visibility',
    'prevent_duplicate_names',
    'mail_nickname',
    'administrative_unit_ids',
    'behaviors',
    'provisioning_options',
  ],
  facets: (v, n) => [
    ...value('display_name', 'Name', text(v.display_name)),
    ...value(
      'kind',
      'Kind',
      `${v.security_enabled === true ? 'security group' : 'not security-enabled'}${v.mail_enabled === true ? ', mail-enabled' : ''}${strs(v.types).includes('Unified') ? ', Microsoft 365 group' : ''}`,
      'security_enabled',
    ),
    ...value(
      'assignable_to_role',
      'Directory roles',
      bool(v.assignable_to_role, '**role-assignable**: directory roles can be assigned to it, so its owners and members hold them', 'not role-assignable'),
    ),
    ...set('owners', 'Owners', n.ids('owners', v.owners)),
    ...set('members', 'Members', n.ids('members', v.members)),
    ...value(
      'dynamic_membership',
      'Dynamic membership rule',
      str(block(v.dynamic_membership)?.rule) ? code(str(block(v.dynamic_membership)?.rule)!) : undefined,
    ),
    ...value('visibility', 'Visibility', str(v.visibility) ? code(str(v.visibility)!) : undefined),
    ...set('administrative_unit_ids', 'In administrative units', n.ids('administrative_unit_ids', v.administrative_unit_ids)),
    ...value('description', 'Description', text(v.description)),
  ],
};

const groupMember: TypeWords = {
  label: (v, n) => `membership of ${n.id('member_object_id', v.member_object_id)} in ${n.id('group_object_id', v.group_object_id)}`,
  covers: ['group_object_id', 'member_object_id'],
  facets: (v, n) => [
    ...value('group_object_id', 'Group', n.id('group_object_id', v.group_object_id)),
    ...value('member_object_id', 'Member', n.id('member_object_id', v.member_object_id)),
  ],
};

const administrativeUnit: TypeWords = {
  label: (v) => `administrative unit ${text(v.display_name) ?? '(unnamed)'}`,
  covers: ['display_name', 'description', 'hidden_membership_enabled', 'members', 'prevent_duplicate_names'],
  facets: (v, n) => [
    ...value('display_name', 'Name', text(v.display_name)),
    ...value('hidden_membership_enabled', 'Membership', bool(v.hidden_membership_enabled, 'hidden from non-members', 'visible')),
    ...set('members', 'Members', n.ids('members', v.members)),
    ...value('description', 'Description', text(v.description)),
  ],
};

const administrativeUnitMember: TypeWords = {
  label: (v, n) => `membership of ${n.id('member_object_id', v.member_object_id)} in ${n.id('administrative_unit_object_id', v.administrative_unit_object_id)}`,
  covers: ['administrative_unit_object_id', 'member_object_id'],
  facets: (v, n) => [
    ...value('administrative_unit_object_id', 'Administrative unit', n.id('administrative_unit_object_id', v.administrative_unit_object_id)),
    ...value('member_object_id', 'Member', n.id('member_object_id', v.member_object_id)),
  ],
};

const administrativeUnitRoleMember: TypeWords = {
  label: (v, n) =>
    `scoped role ${n.id('role_object_id', v.role_object_id)} for ${n.id('member_object_id', v.member_object_id)} over ${n.id('administrative_unit_object_id', v.administrative_unit_object_id)}`,
  covers: ['administrative_unit_object_id', 'member_object_id', 'role_object_id'],
  facets: (v, n) => [
    ...value('role_object_id', 'Role', n.id('role_object_id', v.role_object_id)),
    ...value('member_object_id', 'To', n.id('member_object_id', v.member_object_id)),
    ...value('administrative_unit_object_id', 'Over', n.id('administrative_unit_object_id', v.administrative_unit_object_id)),
  ],
};

const USER_FIELDS: readonly [string, string][] = [
  ['user_principal_name', 'Sign-in name'],
  ['mail_nickname', 'Mail nickname'],
  ['mail', 'Mail'],
  ['usage_location', 'Usage location'],
  ['job_title', 'Job title'],
  ['department', 'Department'],
  ['company_name', 'Company'],
  ['employee_id', 'Employee ID'],
  ['manager_id', 'Manager'],
];

const user: TypeWords = {
  label: (v) => `user ${text(v.display_name) ?? text(v.user_principal_name) ?? '(unnamed)'}`,
  covers: [
    'display_name',
    'account_enabled',
    'force_password_change',
    'disable_password_expiration',
    'disable_strong_password',
    'other_mails',
    ...USER_FIELDS.map(([k]) => k),
  ],
  facets: (v, n) => [
    ...value('display_name', 'Name', text(v.display_name)),
    ...USER_FIELDS.flatMap(([k, t]) => value(k, t, k === 'manager_id' ? (str(v[k]) ? n.id(k, v[k]) : undefined) : str(v[k]) ? code(str(v[k])!) : undefined)),
    ...value('account_enabled', 'Account', bool(v.account_enabled, 'enabled', '**disabled**')),
    ...value('force_password_change', 'Password change at next sign-in', bool(v.force_password_change, 'required', 'not required')),
    ...value('disable_password_expiration', 'Password expiry', bool(v.disable_password_expiration, 'never expires', 'expires by the tenant policy')),
    ...value('disable_strong_password', 'Strong password', bool(v.disable_strong_password, '**not required**', 'required')),
    ...set('other_mails', 'Other e-mail addresses', strs(v.other_mails).map(code)),
  ],
};

const invitation: TypeWords = {
  label: (v) => `invitation of ${text(v.user_display_name) ?? text(v.user_email_address) ?? 'a guest'}`,
  // redeem_url is the guest's one-time redemption link: never printed.
  covers: ['user_email_address', 'user_display_name', 'user_type', 'redirect_url', 'message', 'user_id', 'redeem_url'],
  facets: (v) => [
    ...value('user_email_address', 'E-mail', str(v.user_email_address) ? code(str(v.user_email_address)!) : undefined),
    ...value('user_display_name', 'Name', text(v.user_display_name)),
    ...value('user_type', 'As', str(v.user_type) === 'Member' ? '**member** (not guest)' : 'guest'),
    ...value('redirect_url', 'Lands on', str(v.redirect_url) ? code(str(v.redirect_url)!) : undefined),
    ...set('message/additional_recipients', 'Invitation also sent to', strs(block(v.message)?.additional_recipients).map(code), 'message'),
  ],
};

const namedLocation: TypeWords = {
  label: (v) => `named location ${text(v.display_name) ?? '(unnamed)'}`,
  covers: ['display_name', 'ip', 'country'],
  facets: (v) => {
    const ip = block(v.ip);
    const country = block(v.country);
    return [
      ...value('display_name', 'Name', text(v.display_name)),
      ...(ip
        ? [
            ...set('ip/ip_ranges', 'IP ranges', strs(ip.ip_ranges).map(code), 'ip'),
            ...value('ip/trusted', 'Trusted', bool(ip.trusted, '**trusted** (policies that exclude trusted locations skip it)', 'not trusted'), 'ip'),
          ]
        : []),
      ...(country
        ? [
            ...set('country/countries_and_regions', 'Countries and regions', strs(country.countries_and_regions).map(code), 'country'),
            ...value(
              'country/include_unknown_countries_and_regions',
              'Unknown countries',
              bool(country.include_unknown_countries_and_regions, 'included', 'not included'),
              'country',
            ),
            ...value(
              'country/country_lookup_method',
              'Looked up by',
              str(country.country_lookup_method) ? code(str(country.country_lookup_method)!) : undefined,
              'country',
            ),
          ]
        : []),
    ];
  },
};

const USER_KEYWORDS: Readonly<Record<string, string>> = { All: 'all users', None: 'no one', GuestsOrExternalUsers: 'guests and external users' };
const LOCATION_KEYWORDS: Readonly<Record<string, string>> = { All: 'any location', AllTrusted: 'all trusted locations' };
const APP_KEYWORDS: Readonly<Record<string, string>> = {
  All: 'all resources',
  Office365: 'Office 365',
  MicrosoftAdminPortals: 'the Microsoft admin portals',
  None: 'no resource',
};

const conditionalAccessPolicy: TypeWords = {
  label: (v) => `conditional access policy ${text(v.display_name) ?? '(unnamed)'}`,
  covers: ['display_name', 'state', 'conditions', 'grant_controls', 'session_controls'],
  facets: (v, n) => {
    const c = block(v.conditions);
    const u = block(c?.users);
    const a = block(c?.applications);
    const l = block(c?.locations);
    const p = block(c?.platforms);
    const g = block(v.grant_controls);
    const s = block(v.session_controls);
    const ids = (xs: unknown, keywords: Readonly<Record<string, string>> = {}) =>
      xs === UNKNOWN_AFTER
        ? n.ids('conditions', xs)
        : list(xs).map((x) => (typeof x === 'string' && Object.hasOwn(keywords, x) ? keywords[x] : n.id('conditions', x)));
    const who = (xs: unknown) => ids(xs, USER_KEYWORDS);
    const roles = (xs: unknown) => strs(xs).map((x) => `holders of ${roleWords(n, 'conditions', x)}`);
    const guests = (xs: unknown) => blocks(xs).map((x) => `guests of type ${andList(strs(x.guest_or_external_user_types).map(code))}`);
    const apps = (xs: unknown) => ids(xs, APP_KEYWORDS);
    const locations = (xs: unknown) => ids(xs, LOCATION_KEYWORDS);
    const state = str(v.state);
    const strength = str(g?.authentication_strength_policy_id);
    return [
      ...value('display_name', 'Name', text(v.display_name)),
      ...value('state', 'State', state ? `${md(POLICY_STATE_WORDS[state] ?? state)} (${code(state)})` : undefined),
      ...set(
        'conditions/included',
        'Applies to',
        [
          ...who(u?.included_users),
          ...ids(u?.included_groups).map((x) => `members of ${x}`),
          ...roles(u?.included_roles),
          ...guests(u?.included_guests_or_external_users),
        ],
        'conditions',
      ),
      ...set(
        'conditions/excluded',
        'Excluded',
        [
          ...who(u?.excluded_users),
          ...ids(u?.excluded_groups).map((x) => `members of ${x}`),
          ...roles(u?.excluded_roles),
          ...guests(u?.excluded_guests_or_external_users),
        ],
        'conditions',
      ),
      ...set('conditions/applications', 'Resources', apps(a?.included_applications), 'conditions'),
      ...set('conditions/excluded_applications', 'Resources excluded', apps(a?.excluded_applications), 'conditions'),
      ...set('conditions/user_actions', 'User actions', strs(a?.included_user_actions).map(code), 'conditions'),
      ...set(
        'conditions/client_app_types',
        'Client apps',
        strs(c?.client_app_types).map((x) => CLIENT_APP_WORDS[x] ?? code(x)),
        'conditions',
      ),
      ...set('conditions/locations', 'Locations', locations(l?.included_locations), 'conditions'),
      ...set('conditions/excluded_locations', 'Locations excluded', locations(l?.excluded_locations), 'conditions'),
      ...set(
        'conditions/platforms',
        'Device platforms',
        [...strs(p?.included_platforms).map(code), ...strs(p?.excluded_platforms).map((x) => `not ${code(x)}`)],
        'conditions',
      ),
      ...set(
        'conditions/risk',
        'Risk levels',
        [
          ...strs(c?.sign_in_risk_levels).map((x) => `sign-in risk ${x}`),
          ...strs(c?.user_risk_levels).map((x) => `user risk ${x}`),
          ...strs(c?.service_principal_risk_levels).map((x) => `service principal risk ${x}`),
        ],
        'conditions',
      ),
      ...set('conditions/flows', 'Authentication flows', strs(c?.authentication_flow_transfer_methods).map(code), 'conditions'),
      ...set(
        'grant_controls/controls',
        'Grant requires',
        [
          ...strs(g?.built_in_controls).map((x) => (x === 'block' ? '**block access**' : (GRANT_CONTROL_WORDS[x] ?? code(x)))),
          ...(strength ? [`the authentication strength ${md(n.names.authenticationStrength(strength) ?? strength)}`] : []),
          ...strs(g?.terms_of_use).map((x) => `terms of use ${code(x)}`),
        ],
        'grant_controls',
      ),
      ...value(
        'grant_controls/operator',
        'Grant operator',
        str(g?.operator) === 'AND' ? 'all of the controls' : str(g?.operator) === 'OR' ? 'one of the controls' : undefined,
        'grant_controls',
      ),
      ...set(
        'session_controls',
        'Session',
        s
          ? [
              ...(typeof s.sign_in_frequency === 'number' && s.sign_in_frequency > 0
                ? [`sign-in every ${s.sign_in_frequency} ${str(s.sign_in_frequency_period) ?? ''}`.trim()]
                : []),
              ...(str(s.sign_in_frequency_interval) === 'everyTime' ? ['sign-in every time'] : []),
              ...(str(s.persistent_browser_mode) ? [`persistent browser ${code(str(s.persistent_browser_mode)!)}`] : []),
              ...(str(s.cloud_app_security_policy) ? [`Defender for Cloud Apps ${code(str(s.cloud_app_security_policy)!)}`] : []),
              ...(s.application_enforced_restrictions_enabled === true ? ['app enforced restrictions'] : []),
              ...(s.disable_resilience_defaults === true ? ['resilience defaults disabled'] : []),
            ]
          : [],
      ),
    ];
  },
};

const timeRotating: TypeWords = {
  label: () => 'rotation clock (time_rotating)',
  covers: ['rotation_days', 'rotation_hours', 'rotation_minutes', 'rotation_months', 'rotation_years', 'rotation_rfc3339', 'rfc3339', 'triggers'],
  facets: (v) => {
    const every = ['years', 'months', 'days', 'hours', 'minutes']
      .filter((u) => typeof v[`rotation_${u}`] === 'number')
      .map((u) => `${v[`rotation_${u}`]} ${u}`);
    return [
      ...value('every', 'Rotates every', every.length > 0 ? every.join(' ') : undefined, 'rotation_days'),
      ...value('rfc3339', 'Started', str(v.rfc3339) ? code(str(v.rfc3339)!) : undefined),
      ...value('rotation_rfc3339', 'Next rotation', str(v.rotation_rfc3339) ? code(str(v.rotation_rfc3339)!) : undefined),
    ];
  },
};

/** `azuread_application_api_access`: the permissions an application requests from one API, by name. */
export function apiAccessPermissions(v: Values, n: Namer): string[] {
  const api = str(v.api_client_id);
  const named = (id: string, type: 'application' | 'delegated') => {
    const r = n.names.role(id, type, api);
    return `${r ? md(r.words) : `${apiWords(n, api)} permission ${code(id)}`} (${type})`;
  };
  return [...strs(v.role_ids).map((id) => named(id, 'application')), ...strs(v.scope_ids).map((id) => named(id, 'delegated'))];
}

const apiAccess: TypeWords = {
  label: (v, n) => `API access of ${n.id('application_id', v.application_id)} to ${apiWords(n, str(v.api_client_id))}`,
  covers: ['application_id', 'api_client_id', 'role_ids', 'scope_ids'],
  facets: (v, n) => [
    ...value('application_id', 'Application', n.id('application_id', v.application_id)),
    ...set('role_ids', 'Requested permissions', apiAccessPermissions(v, n)),
  ],
};

const applicationAppRole: TypeWords = {
  label: (v, n) => `app role ${code(str(v.value) ?? '(no value)')} of ${n.id('application_id', v.application_id)}`,
  covers: ['application_id', 'value', 'allowed_member_types', 'display_name', 'description', 'role_id'],
  facets: (v, n) => [
    ...value('application_id', 'Application', n.id('application_id', v.application_id)),
    ...value('value', 'Value', str(v.value) ? code(str(v.value)!) : undefined),
    ...set(
      'allowed_member_types',
      'For',
      strs(v.allowed_member_types).map((t) => MEMBER_TYPES[t] ?? t),
    ),
    ...value('display_name', 'Name', text(v.display_name)),
    ...value('description', 'Description', text(v.description)),
  ],
};

const applicationOwner: TypeWords = {
  label: (v, n) => `owner ${n.id('owner_object_id', v.owner_object_id)} of ${n.id('application_id', v.application_id)}`,
  covers: ['application_id', 'owner_object_id'],
  facets: (v, n) => [
    ...value('application_id', 'Application', n.id('application_id', v.application_id)),
    ...value('owner_object_id', 'Owner', n.id('owner_object_id', v.owner_object_id)),
  ],
};

const applicationRedirectUris: TypeWords = {
  label: (v, n) => `${str(v.type) ?? ''} redirect URIs of ${n.id('application_id', v.application_id)}`.trim(),
  covers: ['application_id', 'type', 'redirect_uris'],
  facets: (v, n) => [
    ...value('application_id', 'Application', n.id('application_id', v.application_id)),
    ...value('type', 'Platform', str(v.type) ? code(str(v.type)!) : undefined),
    ...set('redirect_uris', 'Redirect URIs', strs(v.redirect_uris).map(code)),
  ],
};

const identifierUri: TypeWords = {
  label: (v, n) =>
    `identifier URI ${str(v.identifier_uri) ? code(str(v.identifier_uri)!) : ''} of ${n.id('application_id', v.application_id)}`.replace(/\s+/g, ' '),
  covers: ['application_id', 'identifier_uri'],
  facets: (v, n) => [
    ...value('application_id', 'Application', n.id('application_id', v.application_id)),
    ...value('identifier_uri', 'Identifier URI', str(v.identifier_uri) ? code(str(v.identifier_uri)!) : undefined),
  ],
};

const permissionScope: TypeWords = {
  label: (v, n) => `exposed scope ${code(str(v.value) ?? '(no value)')} of ${n.id('application_id', v.application_id)}`,
  covers: [
    'application_id',
    'value',
    'type',
    'scope_id',
    'admin_consent_display_name',
    'admin_consent_description',
    'user_consent_display_name',
    'user_consent_description',
  ],
  facets: (v, n) => [
    ...value('application_id', 'Application', n.id('application_id', v.application_id)),
    ...value('value', 'Value', str(v.value) ? code(str(v.value)!) : undefined),
    ...value('type', 'Who may consent', str(v.type) === 'Admin' ? 'only admins' : 'admins and users'),
    ...value('admin_consent_display_name', 'Admins see', text(v.admin_consent_display_name)),
    ...value('user_consent_display_name', 'Users see', text(v.user_consent_display_name)),
  ],
};

const groupOwner: TypeWords = {
  label: (v, n) => `owner ${n.id('owner_object_id', v.owner_object_id)} of ${n.id('group_object_id', v.group_object_id)}`,
  covers: ['group_object_id', 'owner_object_id'],
  facets: (v, n) => [
    ...value('group_object_id', 'Group', n.id('group_object_id', v.group_object_id)),
    ...value('owner_object_id', 'Owner', n.id('owner_object_id', v.owner_object_id)),
  ],
};

/** The resource types described attribute by attribute; any other type is described generically. */
export const TYPE_WORDS: Readonly<Record<string, TypeWords>> = table({
  azuread_application: application,
  azuread_application_registration: { ...application, covers: application.covers },
  azuread_application_api_access: apiAccess,
  azuread_application_app_role: applicationAppRole,
  azuread_application_owner: applicationOwner,
  azuread_application_redirect_uris: applicationRedirectUris,
  azuread_application_identifier_uri: identifierUri,
  azuread_application_permission_scope: permissionScope,
  azuread_group_owner: groupOwner,
  azuread_service_principal: servicePrincipal,
  azuread_app_role_assignment: appRoleAssignment,
  azuread_service_principal_delegated_permission_grant: delegatedGrant,
  azuread_application_password: applicationPassword,
  azuread_service_principal_password: servicePrincipalPassword,
  azuread_application_certificate: certificate,
  azuread_service_principal_certificate: { ...certificate, label: (v, n) => `certificate of ${n.id('service_principal_id', v.service_principal_id)}` },
  azuread_application_federated_identity_credential: federatedCredential,
  azuread_application_flexible_federated_identity_credential: flexibleFederatedCredential,
  azuread_directory_role_assignment: directoryRoleAssignment,
  azuread_directory_role_eligibility_schedule_request: roleEligibility,
  azuread_directory_role_member: directoryRoleMember,
  azuread_group: group,
  azuread_group_member: groupMember,
  azuread_administrative_unit: administrativeUnit,
  azuread_administrative_unit_member: administrativeUnitMember,
  azuread_administrative_unit_role_member: administrativeUnitRoleMember,
  azuread_user: user,
  azuread_invitation: invitation,
  azuread_named_location: namedLocation,
  azuread_conditional_access_policy: conditionalAccessPolicy,
  time_rotating: timeRotating,
});

/** A resource's label in words. */
export function labelOf(type: string, v: Values, n: Namer): string {
  const words = TYPE_WORDS[type];
  if (words) return words.label(v, n);
  const kind = type.replace(/^(azuread|time)_/, '').replace(/_/g, ' ');
  return `${kind}${str(v.display_name) ? ` "${md(str(v.display_name)!)}"` : ''}`;
}

/** Every facet of a resource: its type's, then each other attribute that holds something, as it is. */
export function facetsOf(type: string, v: Values, n: Namer): Facet[] {
  const words = TYPE_WORDS[type];
  const covered = new Set([...(words?.covers ?? []), ...NEVER]);
  const generic = Object.keys(v)
    .filter((k) => !covered.has(k))
    .sort()
    .flatMap((k) => genericFacet(k, v[k], n));
  return [...(words ? words.facets(v, n) : []), ...generic];
}

/** An attribute no type describes: a list becomes a set of its items, anything else its JSON; IDs named. */
function genericFacet(k: string, x: unknown, n: Namer): Facet[] {
  const title = code(k);
  if (x === null || x === undefined || x === '' || x === false || x === UNKNOWN_AFTER) return [];
  if (Array.isArray(x)) {
    if (x.length === 0) return [];
    return set(
      k,
      title,
      x.map((e) => (typeof e === 'string' ? (/^[0-9a-f]{8}-/i.test(e) ? n.id(k, e) : code(e)) : code(JSON.stringify(e) ?? String(e)))),
    );
  }
  if (typeof x === 'object') {
    const entries = Object.entries(x as Values).filter(([, e]) => e !== null && e !== '' && !(Array.isArray(e) && e.length === 0));
    return entries.length === 0 ? [] : value(k, title, code(JSON.stringify(Object.fromEntries(entries))));
  }
  return value(k, title, typeof x === 'string' && /^[0-9a-f]{8}-/i.test(x) ? n.id(k, x) : code(String(x)));
}

/** What differs between two facet lists, in words: `Owners: adds X; removes Y`, `State: a → b`. */
export interface FacetChange {
  readonly key: string;
  readonly title: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly from?: string;
  readonly to?: string;
}

/** The differences between before and after; attributes only known after apply are named as such. */
export function diffFacets(before: readonly Facet[], after: readonly Facet[], unknown: (attr: string) => boolean = () => false): FacetChange[] {
  const out: FacetChange[] = [];
  const b = new Map(before.map((f) => [f.key, f] as const));
  const a = new Map(after.map((f) => [f.key, f] as const));
  const keys = [...new Set([...before.map((f) => f.key), ...after.map((f) => f.key)])];
  for (const key of keys) {
    const x = b.get(key);
    const y = a.get(key);
    const title = (y ?? x)!.title;
    const attr = (y ?? x)!.attr;
    if (y === undefined && unknown(attr)) {
      out.push({ key, title, added: [], removed: [], ...(x?.value !== undefined ? { from: x.value } : {}), to: '*(known after apply)*' });
      continue;
    }
    if (x?.set !== undefined || y?.set !== undefined) {
      const xs = x?.set ?? [];
      const ys = y?.set ?? [];
      const added = ys.filter((i) => !xs.includes(i));
      const removed = xs.filter((i) => !ys.includes(i));
      if (added.length > 0 || removed.length > 0) out.push({ key, title, added, removed });
      continue;
    }
    if (x?.value !== y?.value)
      out.push({
        key,
        title,
        added: [],
        removed: [],
        ...(x?.value !== undefined ? { from: x.value } : {}),
        ...(y?.value !== undefined ? { to: y.value } : {}),
      });
  }
  return out;
}

/** A facet change in one line. */
export function changeWords(c: FacetChange): string {
  if (c.added.length > 0 || c.removed.length > 0) {
    return `**${c.title}:** ${[c.added.length > 0 ? `adds ${c.added.join(', ')}` : '', c.removed.length > 0 ? `removes ${c.removed.join(', ')}` : ''].filter(Boolean).join('; ')}`;
  }
  return `**${c.title}:** ${c.from ?? '(unset)'} → ${c.to ?? '(unset)'}`;
}

/** A facet in one line. */
export function facetWords(f: Facet): string | undefined {
  if (f.set !== undefined) return f.set.length === 0 ? undefined : `**${f.title}:** ${f.set.join(', ')}`;
  return `**${f.title}:** ${f.value}`;
}
