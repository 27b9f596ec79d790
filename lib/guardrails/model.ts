/**
 * Turns a construct tree into what the rules and the review read: every Terraform resource of a
 * stack with its attributes as Terraform will see them (snake_case, overrides applied, references
 * as `${type.name.attribute}`), and the subjects built from them and from the L2 constructs.
 *
 * Reading raw resources (not only this project's constructs) means the rules also cover
 * `azuread_*` resources a library user declares directly, and escape-hatch overrides.
 */
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';
import { ItsmMailApplication } from '../application/itsm-mail-application';
import { RotatingClientSecret } from '../application/rotating-client-secret';
import { MfaConditionalAccessPolicy } from '../conditional-access/mfa-conditional-access-policy';
import { allPermissions, KnownApi, type ApiName, type PermissionInfo, type PermissionType } from '../permissions/catalogue';
import type { GuardrailSuppression } from './finding';
import { collectSuppressions } from './suppressions';
import {
  isUnknown,
  type ApplicationSubject,
  type ConditionalAccessSubject,
  type ExposedScopeSubject,
  type GuardrailSubject,
  type MailAccessSubject,
  type PermissionView,
  type PolicyGroupSubject,
  type SecretSubject,
} from './subjects';

/** One Terraform resource or data source of a stack. */
export interface TfResource {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  /** The logical ID (`itsm-mail_application_DE9ACE3A`). */
  readonly name: string;
  /** `type.name`, or `data.type.name` for a data source. */
  readonly address: string;
  /** Construct path of the resource. */
  readonly path: string;
  /** Where its findings go: the parent's path when the resource is a construct's `Default` child. */
  readonly ownerPath: string;
  /** The attributes as synthesized, references resolved to `${…}` strings. */
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly construct: IConstruct;
}

/** A stack as the rules and the review see it. */
export interface StackModel {
  /** The stack's id: the environment name. */
  readonly stackName: string;
  readonly stackPath: string;
  /** Every resource and data source, by address. */
  readonly resources: readonly TfResource[];
  readonly subjects: readonly GuardrailSubject[];
  readonly suppressions: readonly GuardrailSuppression[];
  /** Every construct path in the stack (for suppressions that name a missing one). */
  readonly knownPaths: ReadonlySet<string>;
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * The models of the stacks at or below `scope`, or of the part of the enclosing stack below
 * `scope`. Reading does not change the tree: logical IDs cached while reading are forgotten again.
 */
export function buildStackModels(scope: IConstruct): StackModel[] {
  const below = scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  if (below.length > 0) return below.map((stack) => buildStackModel(stack, stack));
  return [buildStackModel(TerraformStack.of(scope), scope)];
}

function buildStackModel(stack: TerraformStack, scope: IConstruct): StackModel {
  const nodes = scope.node.findAll();
  const resources = withoutCachedLogicalIds(nodes, () => nodes.flatMap((c) => readResource(stack, c)));
  resources.sort((a, b) => cmp(a.address, b.address));
  const index = new ResourceIndex(resources);

  const applications = nodes.filter((c): c is ItsmMailApplication => c instanceof ItsmMailApplication);
  const rotating = nodes.filter((c): c is RotatingClientSecret => c instanceof RotatingClientSecret);

  const subjects: GuardrailSubject[] = [
    ...applicationSubjects(index, applications),
    ...secretSubjects(index, rotating),
    ...scopeSubjects(index),
    ...conditionalAccessSubjects(index),
    ...policyGroupSubjects(index),
    ...applications.map(mailAccessSubject),
  ];
  const suppressions = [...collectSuppressions(scope), ...waiverSuppressions(index)];
  // Ancestors count too: a suppression on the App covers every stack.
  const knownPaths = new Set([...stack.node.scopes, ...stack.node.findAll()].map((c) => c.node.path));
  return { stackName: stack.node.id, stackPath: stack.node.path, resources, subjects, suppressions, knownPaths };
}

// ---------------------------------------------------------------------------------------------
// Reading resources

interface ElementLike extends IConstruct {
  readonly terraformResourceType: string;
  readonly friendlyUniqueId: string;
  toTerraform(): Record<string, Record<string, Record<string, Record<string, unknown>>>>;
}

function isElement(c: IConstruct): c is ElementLike {
  const e = c as Partial<ElementLike>;
  return typeof e.terraformResourceType === 'string' && typeof e.toTerraform === 'function';
}

function readResource(stack: TerraformStack, c: IConstruct): TfResource[] {
  if (!isElement(c)) return [];
  const json = Tokenization.resolve(c.toTerraform(), { scope: stack, preparing: false, resolver: RESOLVER }) as Record<
    string,
    Record<string, Record<string, Record<string, unknown>>> | undefined
  >;
  const out: TfResource[] = [];
  for (const mode of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries(json[mode] ?? {})) {
      for (const [name, attrs] of Object.entries(byName)) {
        const { ['//']: _meta, ...rest } = attrs;
        const parent = c.node.scope;
        out.push({
          mode: mode === 'resource' ? 'managed' : 'data',
          type,
          name,
          address: mode === 'resource' ? `${type}.${name}` : `data.${type}.${name}`,
          path: c.node.path,
          ownerPath: c.node.id === 'Default' && parent ? parent.node.path : c.node.path,
          attrs: rest,
          construct: c,
        });
      }
    }
  }
  return out;
}

/**
 * cdktf caches an element's logical ID the first time it is read, and a later `overrideLogicalId`
 * would then be ignored. Reading for the guardrails must not fix IDs early, so the cache is
 * restored afterwards (a no-op if cdktf renames its private field).
 */
function withoutCachedLogicalIds<T>(nodes: readonly IConstruct[], read: () => T): T {
  const elements = nodes.filter(isElement) as unknown as { _friendlyUniqueId?: string }[];
  const before = elements.map((e) => e._friendlyUniqueId);
  try {
    return read();
  } finally {
    elements.forEach((e, i) => {
      if (before[i] === undefined && '_friendlyUniqueId' in e) e._friendlyUniqueId = undefined;
    });
  }
}

/** `${azuread_application.x.client_id}` → its address and attribute. */
export function parseReference(value: unknown): { address: string; attribute: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\$\{((?:data\.)?[A-Za-z0-9_]+\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}$/.exec(value);
  return m ? { address: m[1], attribute: m[2] } : undefined;
}

class ResourceIndex {
  private readonly byAddress = new Map<string, TfResource>();
  constructor(public readonly all: readonly TfResource[]) {
    for (const r of all) this.byAddress.set(r.address, r);
  }
  get(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }
  ofType(type: string, mode: 'managed' | 'data' = 'managed'): TfResource[] {
    return this.all.filter((r) => r.type === type && r.mode === mode);
  }
  /** The resource a `${…}` reference points to. */
  target(value: unknown, attribute?: string): TfResource | undefined {
    const ref = parseReference(value);
    if (!ref || (attribute !== undefined && ref.attribute !== attribute)) return undefined;
    return this.get(ref.address);
  }
  /** Resources of `type` whose `attr` references `${address.attribute}`. */
  referencing(type: string, attr: string, address: string, attribute: string): TfResource[] {
    return this.ofType(type).filter((r) => r.attrs[attr] === `\${${address}.${attribute}}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Small readers of attribute values

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : []; // a whole-list expression: one unknown entry
}

/** A nested block, whether synthesized as an object or a one-element list. */
function block(v: unknown): Record<string, unknown> | undefined {
  const b = Array.isArray(v) ? v[0] : v;
  return b !== null && typeof b === 'object' ? (b as Record<string, unknown>) : undefined;
}

function blocks(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object');
  const b = block(v);
  return b ? [b] : [];
}

// ---------------------------------------------------------------------------------------------
// Permissions, named from the catalogue

const API_BY_APP_ID = new Map<string, ApiName>(
  (Object.keys(KnownApi) as ApiName[]).map((api) => [KnownApi[api].resourceAppId.toLowerCase(), api]),
);
let byId: Map<string, PermissionInfo> | undefined;

function catalogueById(api: ApiName, type: PermissionType, id: string): PermissionInfo | undefined {
  if (!byId) {
    byId = new Map();
    for (const a of Object.keys(KnownApi) as ApiName[]) {
      for (const t of ['delegated', 'application'] as const) for (const p of allPermissions(a, t)) byId.set(`${a}|${t}|${p.id.toLowerCase()}`, p);
    }
  }
  return byId.get(`${api}|${type}|${id.toLowerCase()}`);
}

function catalogueByName(api: ApiName, type: PermissionType, name: string): PermissionInfo | undefined {
  return allPermissions(api, type).find((p) => p.name === name);
}

/** A permission by resource client ID, type and ID or name (either may be an expression). */
export function permissionView(resourceAppId: string, type: PermissionType, idOrExpression: string | undefined, knownName?: string): PermissionView {
  const api = isUnknown(resourceAppId) ? undefined : API_BY_APP_ID.get(resourceAppId.toLowerCase());
  const literalId = idOrExpression !== undefined && !isUnknown(idOrExpression) ? idOrExpression : undefined;
  const nameFromExpression = idOrExpression !== undefined ? /(?:app_role_ids|oauth2_permission_scope_ids)\["([^"]+)"\]/.exec(idOrExpression)?.[1] : undefined;
  let info: PermissionInfo | undefined;
  if (api && literalId) info = catalogueById(api, type, literalId);
  const name = knownName ?? info?.name ?? nameFromExpression;
  if (api && !info && name) info = catalogueByName(api, type, name);
  return {
    resourceAppId,
    apiDisplayName: api ? KnownApi[api].displayName : isUnknown(resourceAppId) ? 'an API of this stack' : resourceAppId,
    type,
    ...(name !== undefined ? { name } : {}),
    ...(literalId !== undefined ? { id: literalId } : info ? { id: info.id } : {}),
    ...(info ? { info } : {}),
  };
}

/** The client ID of the API whose service principal an object ID reference points to. */
function resourceAppIdOf(index: ResourceIndex, objectIdRef: unknown): string {
  // An application of this stack has an expression as client ID: compared as unknown.
  const sp = index.target(objectIdRef, 'object_id');
  return (sp?.type === 'azuread_service_principal' ? str(sp.attrs.client_id) : undefined) ?? '${unknown}';
}

// ---------------------------------------------------------------------------------------------
// Subjects

function applicationSubjects(index: ResourceIndex, l2s: readonly ItsmMailApplication[]): ApplicationSubject[] {
  return index.ofType('azuread_application').map((app) => {
    const l2 = l2s.find((a) => a.application.node.path === app.path);
    const a = app.attrs;
    const owners = [
      ...list(a.owners),
      ...index.referencing('azuread_application_owner', 'application_id', app.address, 'id').map((o) => str(o.attrs.owner_object_id) ?? '${unknown}'),
    ];
    const redirectUris: ApplicationSubject['redirectUris'][number][] = [
      ...list(block(a.web)?.redirect_uris).map((uri) => ({ uri, platform: 'web' as const })),
      ...list(block(a.single_page_application)?.redirect_uris).map((uri) => ({ uri, platform: 'spa' as const })),
      ...list(block(a.public_client)?.redirect_uris).map((uri) => ({ uri, platform: 'publicClient' as const })),
    ];
    for (const r of index.referencing('azuread_application_redirect_uris', 'application_id', app.address, 'id')) {
      const platform = r.attrs.type === 'SPA' ? 'spa' : r.attrs.type === 'PublicClient' ? 'publicClient' : 'web';
      for (const uri of list(r.attrs.redirect_uris)) redirectUris.push({ uri, platform });
    }

    const justification = (p: PermissionView) =>
      l2?.requestedPermissions.find((r) => r.resourceAppId === p.resourceAppId && r.type === p.type && r.name === p.name)?.justification;
    const requested: PermissionView[] = [];
    for (const rra of blocks(a.required_resource_access)) {
      const resourceAppId = str(rra.resource_app_id) ?? '${unknown}';
      for (const ra of blocks(rra.resource_access)) {
        const view = permissionView(resourceAppId, ra.type === 'Role' ? 'application' : 'delegated', str(ra.id));
        const why = justification(view);
        requested.push(why !== undefined ? { ...view, justification: why } : view);
      }
    }

    const sps = index.ofType('azuread_service_principal').filter((sp) => sp.attrs.client_id === `\${${app.address}.client_id}`);
    const consented: ApplicationSubject['consented'][number][] = [];
    for (const sp of sps) {
      for (const ra of index.referencing('azuread_app_role_assignment', 'principal_object_id', sp.address, 'object_id')) {
        consented.push({ ...permissionView(resourceAppIdOf(index, ra.attrs.resource_object_id), 'application', str(ra.attrs.app_role_id)), path: ra.ownerPath });
      }
      for (const g of index.referencing('azuread_service_principal_delegated_permission_grant', 'service_principal_object_id', sp.address, 'object_id')) {
        const resourceAppId = resourceAppIdOf(index, g.attrs.resource_service_principal_object_id);
        for (const name of list(g.attrs.claim_values)) {
          if (!isUnknown(name)) consented.push({ ...permissionView(resourceAppId, 'delegated', undefined, name), path: g.ownerPath });
        }
      }
    }
    return {
      kind: 'application',
      path: app.ownerPath,
      address: app.address,
      displayName: str(a.display_name) ?? '(unnamed)',
      signInAudience: str(a.sign_in_audience) ?? 'AzureADMyOrg',
      owners,
      redirectUris,
      requested,
      consented,
      hasServicePrincipal: sps.length > 0,
    };
  });
}

const PASSWORD_TYPES = { azuread_application_password: 'applicationPassword', azuread_service_principal_password: 'servicePrincipalPassword' } as const;

function secretSubjects(index: ResourceIndex, rotating: readonly RotatingClientSecret[]): SecretSubject[] {
  const subjects: SecretSubject[] = rotating.map((r) => ({
    kind: 'secret',
    path: r.node.path,
    addresses: index.all.filter((x) => r.secrets.some((s) => s.node.path === x.path)).map((x) => x.address),
    credential: 'applicationPassword',
    rotating: true,
    ...(Token.isUnresolved(r.lifetimeDays) ? {} : { lifetimeDays: r.lifetimeDays }),
    lifetimeFrom: 'lifetimeDays',
  }));
  const inRotating = (path: string) => rotating.some((r) => path.startsWith(`${r.node.path}/`));
  for (const [type, credential] of Object.entries(PASSWORD_TYPES)) {
    for (const p of index.ofType(type)) {
      if (inRotating(p.path)) continue;
      subjects.push({ kind: 'secret', path: p.ownerPath, addresses: [p.address], credential, rotating: false, ...passwordLifetime(p.attrs) });
    }
  }
  return subjects;
}

/** The lifetime of a raw password, as far as it is known before apply. */
export function passwordLifetime(attrs: Readonly<Record<string, unknown>>): { lifetimeDays?: number; lifetimeFrom: string } {
  const relative = attrs.end_date_relative;
  const end = attrs.end_date;
  const start = attrs.start_date;
  if (typeof relative === 'string') {
    const hours = isUnknown(relative) ? undefined : goDurationHours(relative);
    return hours === undefined ? { lifetimeFrom: `end_date_relative ${relative}` } : { lifetimeDays: round(hours / 24), lifetimeFrom: `end_date_relative ${relative}` };
  }
  if (typeof end === 'string') {
    if (isUnknown(end) || typeof start !== 'string' || isUnknown(start)) return { lifetimeFrom: 'end_date, counted from the apply' };
    const ms = Date.parse(end) - Date.parse(start);
    return Number.isFinite(ms) ? { lifetimeDays: round(ms / 86_400_000), lifetimeFrom: 'start_date to end_date' } : { lifetimeFrom: 'end_date' };
  }
  return { lifetimeDays: 730, lifetimeFrom: 'no end date: Entra ID makes it valid for 2 years' };
}

/** Hours of a Go duration (`4320h`, `2160h30m`); undefined when it is not one. */
export function goDurationHours(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 1, m: 1 / 60, s: 1 / 3600, ms: 1 / 3.6e6, us: 1 / 3.6e9, µs: 1 / 3.6e9, ns: 1 / 3.6e12 };
  let hours = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/g)) hours += Number(m[1]) * unit[m[2]];
  return hours;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function scopeSubjects(index: ResourceIndex): ExposedScopeSubject[] {
  // The provider's default type is User, for the standalone resource and the inline block alike.
  const subjects: ExposedScopeSubject[] = index.ofType('azuread_application_permission_scope').map((s) => ({
    kind: 'exposedScope',
    path: s.ownerPath,
    address: s.address,
    value: str(s.attrs.value) ?? '(unknown)',
    consentType: str(s.attrs.type) ?? 'User',
  }));
  for (const app of index.ofType('azuread_application')) {
    for (const s of blocks(block(app.attrs.api)?.oauth2_permission_scope)) {
      subjects.push({ kind: 'exposedScope', path: app.ownerPath, address: app.address, value: str(s.value) ?? '(unknown)', consentType: str(s.type) ?? 'User' });
    }
  }
  return subjects;
}

function conditionalAccessSubjects(index: ResourceIndex): ConditionalAccessSubject[] {
  return index.ofType('azuread_conditional_access_policy').map((p) => {
    const c = block(p.attrs.conditions) ?? {};
    const users = block(c.users) ?? {};
    const apps = block(c.applications) ?? {};
    const grant = block(p.attrs.grant_controls) ?? {};
    const strength = str(grant.authentication_strength_policy_id);
    return {
      kind: 'conditionalAccess',
      path: p.ownerPath,
      address: p.address,
      displayName: str(p.attrs.display_name) ?? '(unnamed)',
      state: str(p.attrs.state) ?? '(unknown)',
      includedUsers: list(users.included_users),
      excludedUsers: list(users.excluded_users),
      includedGroups: list(users.included_groups),
      excludedGroups: list(users.excluded_groups),
      includedRoles: list(users.included_roles),
      excludedRoles: list(users.excluded_roles),
      includedApplications: list(apps.included_applications),
      excludedApplications: list(apps.excluded_applications),
      clientAppTypes: list(c.client_app_types),
      builtInControls: list(grant.built_in_controls),
      ...(strength !== undefined ? { authenticationStrengthPolicyId: strength } : {}),
      ...(typeof grant.operator === 'string' ? { operator: grant.operator } : {}),
    };
  });
}

function policyGroupSubjects(index: ResourceIndex): PolicyGroupSubject[] {
  const groups = new Map<string, { group: TfResource; usedBy: Set<string> }>();
  for (const p of conditionalAccessSubjects(index)) {
    for (const ref of [...p.includedGroups, ...p.excludedGroups]) {
      const g = index.target(ref, 'object_id');
      if (!g || g.type !== 'azuread_group' || g.mode !== 'managed') continue;
      const entry = groups.get(g.address) ?? { group: g, usedBy: new Set<string>() };
      entry.usedBy.add(p.displayName);
      groups.set(g.address, entry);
    }
  }
  return [...groups.values()].map(({ group, usedBy }) => ({
    kind: 'policyGroup',
    path: group.ownerPath,
    address: group.address,
    displayName: str(group.attrs.display_name) ?? '(unnamed)',
    ...(typeof group.attrs.security_enabled === 'boolean' ? { securityEnabled: group.attrs.security_enabled } : {}),
    ...(typeof group.attrs.mail_enabled === 'boolean' ? { mailEnabled: group.attrs.mail_enabled } : {}),
    usedBy: [...usedBy].sort(),
  }));
}

function mailAccessSubject(app: ItsmMailApplication): MailAccessSubject {
  const s = app.settings;
  const tenantWide = app.requestedPermissions
    .filter((p) => p.type === 'application' && ((p.api === 'MicrosoftGraph' && p.name.startsWith('Mail.')) || (p.api === 'ExchangeOnline' && p.name === 'full_access_as_app')))
    .map((p) => `${KnownApi[p.api].displayName} ${p.name}`);
  return {
    kind: 'mailAccess',
    path: app.node.path,
    flow: s.flow,
    protocols: [...s.protocols],
    mailboxes: [...s.mailboxes],
    mailboxAccess: s.mailboxAccess,
    tenantWideMailPermissions: tenantWide,
  };
}

/**
 * A construct may carry its own written waiver of a rule: the MFA policy's
 * `allowEnforcedWithoutBreakGlassExclusion.reason` counts as a suppression of ITSM-CA-001.
 */
function waiverSuppressions(index: ResourceIndex): GuardrailSuppression[] {
  const out: GuardrailSuppression[] = [];
  for (const p of index.ofType('azuread_conditional_access_policy')) {
    const owner = p.construct.node.scope;
    if (p.construct.node.id !== 'Default' || !(owner instanceof MfaConditionalAccessPolicy)) continue;
    const declared = (owner as { allowEnforcedWithoutBreakGlassExclusion?: { reason?: unknown } }).allowEnforcedWithoutBreakGlassExclusion?.reason;
    let reason: string | undefined = typeof declared === 'string' && declared.trim() !== '' ? declared.trim() : undefined;
    // The construct refuses state 'on' without an exclusion unless it was given the waiver; while it
    // does not expose the reason, an enforced policy that no override changed implies the waiver.
    const overrides = (p.construct as unknown as { rawOverrides?: object }).rawOverrides ?? {};
    if (reason === undefined && owner.state === 'on' && Object.keys(overrides).length === 0) {
      reason = 'waived in code: allowEnforcedWithoutBreakGlassExclusion was given to the MfaConditionalAccessPolicy (see its reason there)';
    }
    if (reason !== undefined) out.push({ ruleId: 'ITSM-CA-001', path: p.ownerPath, reason, origin: 'construct' });
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
