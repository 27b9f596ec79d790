/**
 * The review of any plan of the azuread (and time) providers, without this project's config: every
 * change in words (what is added and what is removed, by name), what changed outside Terraform
 * (`resource_drift`), and the dangerous changes, each with its reason and source. Pure: a parsed
 * plan in, plain data out.
 */
import type { PlanRuleId } from './plan-rules';
import { inspectPlan } from '../inspection/from-plan';
import type { StackInspection } from '../inspection/inspection';
import { directoryRoleTemplate } from '../model/ids';
import { KnownApi, type PermissionType } from '../permissions/catalogue';
import { PERMISSION_TIER_SOURCE, tenantTakeoverPermission } from '../permissions/tiers';
import { UNKNOWN_AFTER, type Plan, type PlanAction, type PlanChange, type PlanObject } from './plan';
import {
  apiAccessPermissions,
  changeWords,
  diffFacets,
  facetsOf,
  facetWords,
  labelOf,
  requestedPermissions,
  subjectWords,
  type Facet,
  type FacetChange,
  type Namer,
} from './plan-facets';
import { PlanNames } from './plan-names';
import { policySentence } from './render-policy';
import { code, md } from './words';

export type Values = Readonly<Record<string, unknown>>;

/**
 * A change that can break what people sign in or send mail with, or weaken protection (`danger`),
 * or needs a follow-up (`note`). The one shape of both reviews' Attention items (plan-review.ts's
 * `Attention` is this type), which the pipeline gate and the SARIF output read.
 */
export interface PlanAttention {
  readonly level: 'danger' | 'note';
  /** The plan address of the resource. */
  readonly address: string;
  /** Bold lead-in, e.g. "Replaces the application". */
  readonly title: string;
  readonly text: string;
  /** Where the rule comes from (a classification, Microsoft's documentation), when the review cites one. */
  readonly source?: string;
  /** The class of change (`ITSM-PLAN-001`, lib/review/plan-rules.ts), for SARIF. */
  readonly ruleId?: PlanRuleId;
  /** True when the change was made outside Terraform (`resource_drift`). */
  readonly drift?: boolean;
}

/** The providers whose resources this review describes. */
export const DESCRIBED_PROVIDERS = /^(azuread|time)_/;

/** One change (or one drifted resource), in words. */
export interface ChangeRow {
  readonly action: PlanAction;
  readonly actions: readonly string[];
  /** The address as the plan wrote it. */
  readonly address: string;
  readonly type: string;
  /** What the resource is, e.g. `application "hr-sync"`. */
  readonly label: string;
  /** What it holds (create, delete) or what changes (update, replace, drift), one line each. */
  readonly lines: readonly string[];
  readonly importing?: { readonly id?: string };
  readonly replacedBecauseOf: readonly string[];
}

export interface AnyPlanReview {
  readonly counts: Readonly<Record<'import' | 'create' | 'update' | 'replace' | 'delete' | 'read' | 'forget' | 'other' | 'no-op', number>>;
  readonly rows: readonly ChangeRow[];
  /** Resources changed outside Terraform (`resource_drift`) with what changed; empty reads of null lists left out. */
  readonly drift: readonly ChangeRow[];
  /** True for a refresh-only plan: applying it only records the drift in the state. */
  readonly refreshOnly: boolean;
  readonly attention: readonly PlanAttention[];
  readonly warnings: readonly string[];
  /** Changed resources of other providers, by address: counted, not described. */
  readonly notDescribed: readonly string[];
  /** How many resource types of the plan this review describes attribute by attribute. */
  readonly types: readonly string[];
}

/** What a plan's resources are, and the look-ups that name them: shared by the plan-only and the config review. */
export class PlanWords {
  readonly names: PlanNames;
  private readonly labels = new Map<string, string>();
  private readonly byId = new Map<string, string>();
  private readonly typeOf = new Map<string, string>();
  private readonly valuesOf = new Map<string, Values>();

  constructor(readonly plan: Plan) {
    this.names = new PlanNames(plan);
    for (const o of plan.objects) this.remember(o.address, o.type, o.values);
    for (const c of plan.changes) this.remember(c.planAddress, c.type, c.values('after') ?? c.values('before') ?? {});
    // Twice: a label may name another resource's label (a service principal its application's).
    for (let pass = 0; pass < 2; pass++) {
      for (const [address, values] of this.valuesOf) {
        const type = this.typeOf.get(address)!;
        const n = this.namer(address, values);
        const local = address.replace(/^(module\.[^.]+(\[[^\]]*\])?\.)+/, '');
        this.labels.set(address, local.startsWith('data.') ? this.dataLabel(type, values) : labelOf(type, values, n));
      }
    }
  }

  private remember(address: string, type: string, values: Values): void {
    this.typeOf.set(address, type);
    this.valuesOf.set(address, {
      ...(this.valuesOf.get(address) ?? {}),
      ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined)),
    });
    for (const key of ['object_id', 'client_id', 'id']) {
      const v = values[key];
      if (typeof v === 'string' && v !== '') {
        if (!this.byId.has(v.toLowerCase())) this.byId.set(v.toLowerCase(), address);
        const tail = v.split('/').pop()!.toLowerCase();
        if (!this.byId.has(tail)) this.byId.set(tail, address);
      }
    }
  }

  private dataLabel(type: string, values: Values): string {
    const id = typeof values.object_id === 'string' ? values.object_id : undefined;
    const named = this.names.object(id);
    if (type === 'azuread_client_config') return 'the identity that runs Terraform';
    return named ? md(named.words) : `${type.replace(/^azuread_/, '').replace(/_/g, ' ')} (read)`;
  }

  /** A resource's label by plan address. */
  label(address: string): string | undefined {
    return this.labels.get(address);
  }

  /** The plan address of the resource an ID value belongs to. */
  addressOfId(id: string | undefined): string | undefined {
    return id === undefined ? undefined : (this.byId.get(id.toLowerCase()) ?? this.byId.get(id.split('/').pop()!.toLowerCase()));
  }

  private instanceIndex: Map<string, string[]> | undefined;

  /** The addresses of each resource's instances (`x.y[0]`, `x.y["k"]`) by the resource's address (`x.y`), in label order. */
  private instances(): Map<string, string[]> {
    if (this.instanceIndex) return this.instanceIndex;
    const index = new Map<string, string[]>();
    for (const k of this.labels.keys()) {
      // Every prefix that ends before a `[`: `a.b[0].c[1]` is an instance of `a.b[0].c` (and its module's `a.b`... is not a resource).
      for (let at = k.indexOf('['); at > 0; at = k.indexOf('[', at + 1)) {
        const base = k.slice(0, at);
        const list = index.get(base);
        if (list) list.push(k);
        else index.set(base, [k]);
      }
    }
    this.instanceIndex = index;
    return index;
  }

  /** The plan address a configuration reference of `address`'s `attr` points to (the first resource reference). */
  referenced(address: string, attr: string): string[] {
    const prefix = /^((?:module\.[^.]+(?:\[[^\]]*\])?\.)*)/.exec(address)?.[1] ?? '';
    const configAddress = address.slice(prefix.length).replace(/\[[^\]]*\]$/, '');
    const moduleKey = prefix.replace(/\[[^\]]*\]/g, '');
    const refs = this.plan.references.get(`${moduleKey}${configAddress}`)?.[attr] ?? [];
    const out: string[] = [];
    for (const r of refs) {
      const m = /^((?:data\.)?[A-Za-z0-9_]+\.[A-Za-z0-9_-]+)/.exec(r);
      if (!m || /^(var|local|each|count|path|terraform|self)\./.test(r)) continue;
      const target = `${prefix}${m[1]}`;
      const found = this.labels.has(target) ? [target] : (this.instances().get(target) ?? []);
      for (const f of found) if (!out.includes(f)) out.push(f);
    }
    return out;
  }

  /** The namer of one resource's values. */
  namer(address: string, values: Values | undefined): Namer {
    const names = this.names;
    const id = (attr: string, value: unknown): string => {
      if (typeof value === 'string' && value !== '' && value !== UNKNOWN_AFTER) {
        const named = names.object(value);
        if (named) return md(named.words);
        const at = this.addressOfId(value);
        const label = at ? this.labels.get(at) : undefined;
        return label ? label : `${code(value)} (not in this plan)`;
      }
      const refs = this.referenced(address, attr)
        .map((a) => this.labels.get(a)!)
        .filter(Boolean);
      if (refs.length === 1) return refs[0];
      if (refs.length > 1) return `*(known after apply: one of ${refs.join(', ')})*`;
      return '*(known after apply)*';
    };
    return {
      names,
      id,
      ids: (attr, value) => {
        if (Array.isArray(value)) return value.map((v) => id(attr, v));
        if (values !== undefined && (value === undefined || value === null || value === UNKNOWN_AFTER)) {
          const refs = this.referenced(address, attr)
            .map((a) => this.labels.get(a)!)
            .filter(Boolean);
          return refs;
        }
        return [];
      },
    };
  }

  /** The facets of one side of a change. */
  facets(c: PlanChange, when: 'before' | 'after'): Facet[] {
    const v = c.values(when);
    return v ? facetsOf(c.type, v, this.namer(c.planAddress, v)) : [];
  }

  /** The label of a change. */
  labelOf(c: PlanChange): string {
    const v = c.values('after') ?? c.values('before') ?? {};
    return labelOf(c.type, v, this.namer(c.planAddress, v));
  }

  private inspections: Partial<Record<`${'changes' | 'drift'}:${'before' | 'after'}`, StackInspection>> = {};

  /**
   * A conditional access policy in the project's one sentence (lib/review/render-policy.ts), as the
   * plan leaves it (`after`) or as it was (`before`); undefined for other types or when absent. For a
   * drift entry (`asDrift`), as the state had it (`before`) and as Entra ID has it now (`after`):
   * read from the plan's `resource_drift`, not from its changes.
   */
  policySentence(c: PlanChange, side: 'before' | 'after', asDrift = false): string | undefined {
    if (c.type !== 'azuread_conditional_access_policy' || !c.values(side)) return undefined;
    const key = `${asDrift ? 'drift' : 'changes'}:${side}` as const;
    const source = asDrift ? { ...this.plan, changes: this.plan.drift } : this.plan;
    const s = (this.inspections[key] ??= inspectPlan(source, 'plan', side, this.names.wellKnownServicePrincipals()));
    const p = s.policies.find((x) => x.path === c.planAddress);
    return p ? `${policySentence(s, p)}.` : undefined;
  }

  /** What a change does, one line each: the facets (create, delete) or the facet changes (update, replace, drift). */
  lines(c: PlanChange, asDrift = false): string[] {
    const before = this.facets(c, 'before');
    const after = this.facets(c, 'after');
    const sensitive = (when: 'before' | 'after') =>
      ['password', 'value'].filter((k) => c.sensitive(when, k)).map((k) => `**${code(k)}:** set (sensitive, not shown)`);
    const sentence = (side: 'before' | 'after', lead: string) => {
      const x = this.policySentence(c, side);
      return x ? [`**${lead}:** ${x}`] : [];
    };
    if (!asDrift && (c.action === 'create' || (c.action === 'no-op' && c.importing)))
      return [...sentence('after', 'In a sentence'), ...after.map(facetWords).filter((x): x is string => x !== undefined), ...sensitive('after')];
    if (!asDrift && c.action === 'delete')
      return [...sentence('before', 'In a sentence'), ...before.map(facetWords).filter((x): x is string => x !== undefined)];
    const changes = this.changes(c).map(changeWords);
    if (changes.length === 0) return [];
    const was = this.policySentence(c, 'before', asDrift);
    const now = this.policySentence(c, 'after', asDrift);
    return [
      ...changes,
      ...(was !== undefined && now !== undefined && was !== now ? [`**Was:** ${was}`, `**${asDrift ? 'Now in Entra ID' : 'Becomes'}:** ${now}`] : []),
    ];
  }

  /** The facet changes of an update, replacement or drift. */
  changes(c: PlanChange): FacetChange[] {
    return diffFacets(this.facets(c, 'before'), this.facets(c, 'after'), (attr) => c.unknownAfter(attr));
  }
}

const ZERO = { import: 0, create: 0, update: 0, replace: 0, delete: 0, read: 0, forget: 0, other: 0, 'no-op': 0 };

/** Reviews any plan: its azuread and time changes in words, its drift, and the dangerous changes. */
export function reviewAnyPlan(plan: Plan): AnyPlanReview {
  return reviewWithWords(plan, new PlanWords(plan));
}

/** `reviewAnyPlan` with the plan's words already built (the config review shares them). */
export function reviewWithWords(plan: Plan, w: PlanWords): AnyPlanReview {
  const counts = { ...ZERO };
  const rows: ChangeRow[] = [];
  const notDescribed: string[] = [];
  const attention: PlanAttention[] = [];
  for (const c of plan.changes) {
    counts[c.action]++;
    if (c.importing) counts.import++;
    if (c.action === 'no-op' && !c.importing) continue;
    if (c.mode === 'data') continue;
    if (!DESCRIBED_PROVIDERS.test(c.type)) {
      notDescribed.push(c.planAddress);
      continue;
    }
    rows.push(rowOf(w, c, false));
    attention.push(...dangers(w, c, false));
  }
  const drift: ChangeRow[] = [];
  for (const c of plan.drift) {
    if (!DESCRIBED_PROVIDERS.test(c.type) || c.mode === 'data') continue;
    const row = rowOf(w, c, true);
    // The provider reads back empty lists where it stored null after a create: no change at all.
    if (row.lines.length === 0) continue;
    drift.push(row);
    attention.push(...dangers(w, c, true));
  }
  const warnings: string[] = [];
  if (plan.errored) warnings.push('Terraform stopped planning on an error: this plan is incomplete, and applying it is not possible.');
  attention.sort((a, b) => (a.level === b.level ? cmp(a.address, b.address) || cmp(a.title, b.title) : a.level === 'danger' ? -1 : 1));
  const types = [...new Set([...plan.changes, ...plan.drift].map((c) => c.type).filter((t) => DESCRIBED_PROVIDERS.test(t)))].sort();
  return { counts, rows, drift, refreshOnly: plan.refreshOnly, attention: dedupe(attention), warnings, notDescribed, types };
}

function rowOf(w: PlanWords, c: PlanChange, asDrift: boolean): ChangeRow {
  return {
    action: c.action,
    actions: c.actions,
    address: c.planAddress,
    type: c.type,
    label: w.labelOf(c),
    lines: w.lines(c, asDrift).map((l) => w.names.explain(l)),
    ...(c.importing ? { importing: c.importing } : {}),
    replacedBecauseOf: c.replacedBecauseOf,
  };
}

// ---------------------------------------------------------------------------------------------
// Dangerous changes

const ROLE_SOURCE =
  'Microsoft Entra built-in roles, the PRIVILEGED label (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference)';
const FIC_SOURCE =
  'Microsoft Learn, workload identity federation: "the subject ... must match exactly" and GitHub OIDC subject claims (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust; https://docs.github.com/actions/reference/security/oidc)';
const CA_SOURCE =
  'Microsoft Learn, Conditional Access policy components and report-only mode (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-policies)';

/** Tier-0 Microsoft Graph permissions of one type (application by default) in a list of named permissions. */
function takeover(words: readonly string[], type: PermissionType = 'application'): string[] {
  const graph = `${KnownApi.MicrosoftGraph.displayName} `;
  const suffix = ` (${type})`;
  return words
    .filter((x) => x.startsWith(graph) && x.endsWith(suffix))
    .map((x) => x.slice(graph.length, -suffix.length))
    .filter((n) => tenantTakeoverPermission(n, type) !== undefined);
}

/**
 * What a tier-0 delegated permission lets the application do, in words: it acts as the signed-in
 * user, never beyond that user's own rights, so it reaches Global Administrator when an
 * administrator (or a user with enough rights) uses it.
 */
const DELEGATED_WORDS =
  "a delegated permission acts as the signed-in user, limited by that user's own rights: when an administrator signs in to the application, it can take over the tenant";

/** The tier-0 Graph permissions an application (by plan address) requests or is granted, before or after. */
function heldByApplication(w: PlanWords, appAddress: string | undefined): string[] {
  if (appAddress === undefined) return [];
  // Asked once per change that touches the application: worked out once (a plan of thousands of
  // applications made this quadratic).
  const index = applicationIndex(w);
  const known = index.held.get(appAddress);
  if (known) return known;
  const out = heldByApplicationUncached(w, index, appAddress);
  index.held.set(appAddress, out);
  return out;
}

/** What hangs from each application, by its plan address: worked out once per review, in the plan's order. */
interface ApplicationIndex {
  readonly changes: ReadonlyMap<string, PlanChange>;
  readonly objects: ReadonlyMap<string, PlanObject>;
  /** `azuread_application_api_access` changes by the application they are on. */
  readonly apiAccess: ReadonlyMap<string, readonly PlanChange[]>;
  /** Service principal addresses by their application. */
  readonly servicePrincipals: ReadonlyMap<string, ReadonlySet<string>>;
  /** `azuread_app_role_assignment` changes by the principal they assign to. */
  readonly assignments: ReadonlyMap<string, readonly PlanChange[]>;
  /** The tier-0 Graph permissions of each application already worked out (heldByApplication). */
  readonly held: Map<string, string[]>;
}

const applicationIndexes = new WeakMap<PlanWords, ApplicationIndex>();

function applicationIndex(w: PlanWords): ApplicationIndex {
  const known = applicationIndexes.get(w);
  if (known) return known;
  const plan = w.plan;
  const push = <T>(m: Map<string, T[]>, k: string | undefined, x: T) => {
    if (k === undefined) return;
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  };
  const changes = new Map<string, PlanChange>();
  for (const c of plan.changes) if (!changes.has(c.planAddress)) changes.set(c.planAddress, c);
  const objects = new Map<string, PlanObject>();
  for (const o of plan.objects) if (!objects.has(o.address)) objects.set(o.address, o);
  const apiAccess = new Map<string, PlanChange[]>();
  const assignments = new Map<string, PlanChange[]>();
  const servicePrincipals = new Map<string, Set<string>>();
  for (const c of plan.changes) {
    const v = c.values('after') ?? c.values('before');
    if (!v) continue;
    if (c.type === 'azuread_application_api_access') push(apiAccess, targetOf(w, c.planAddress, 'application_id', v), c);
    if (c.type === 'azuread_app_role_assignment') push(assignments, targetOf(w, c.planAddress, 'principal_object_id', v), c);
  }
  for (const x of [
    ...plan.changes.map((c) => ({ address: c.planAddress, type: c.type, v: c.values('after') ?? c.values('before') })),
    ...plan.objects.map((o) => ({ address: o.address, type: o.type, v: o.values })),
  ]) {
    if (x.type !== 'azuread_service_principal' || !x.v) continue;
    const app = applicationOf(w, x.address, x.v);
    if (app === undefined) continue;
    const set = servicePrincipals.get(app) ?? new Set<string>();
    set.add(x.address);
    servicePrincipals.set(app, set);
  }
  const index = { changes, objects, apiAccess, servicePrincipals, assignments, held: new Map<string, string[]>() };
  applicationIndexes.set(w, index);
  return index;
}

function heldByApplicationUncached(w: PlanWords, index: ApplicationIndex, appAddress: string): string[] {
  const out = new Set<string>();
  const app = index.changes.get(appAddress);
  const obj = index.objects.get(appAddress);
  for (const v of [app?.values('before'), app?.values('after'), obj?.values]) {
    if (v) for (const p of takeover(requestedPermissions(v, w.namer(appAddress, v)))) out.add(p);
  }
  // Permissions requested by azuread_application_api_access resources of the application.
  for (const c of index.apiAccess.get(appAddress) ?? []) {
    const v = c.values('after') ?? c.values('before');
    if (v) for (const p of takeover(apiAccessPermissions(v, w.namer(c.planAddress, v)))) out.add(p);
  }
  // Assignments to its service principal(s).
  for (const sp of index.servicePrincipals.get(appAddress) ?? []) {
    for (const c of index.assignments.get(sp) ?? []) {
      const v = (c.values('after') ?? c.values('before'))!;
      const role = w.names.role(
        typeof v.app_role_id === 'string' ? v.app_role_id : undefined,
        'application',
        w.names.clientIdOfServicePrincipal(typeof v.resource_object_id === 'string' ? v.resource_object_id : undefined),
      );
      if (role?.api === 'MicrosoftGraph' && tenantTakeoverPermission(role.name)) out.add(role.name);
    }
  }
  return [...out].sort();
}

/** The plan address an ID attribute points to: by value, else by reference. */
function targetOf(w: PlanWords, address: string, attr: string, v: Values): string | undefined {
  const value = v[attr];
  if (typeof value === 'string' && value !== '' && value !== UNKNOWN_AFTER) return w.addressOfId(value);
  return w.referenced(address, attr)[0];
}

/** The application (plan address) of a service principal, or of a credential's `application_id`. */
function applicationOf(w: PlanWords, address: string, v: Values): string | undefined {
  const attr = 'client_id' in v || !('application_id' in v) ? 'client_id' : 'application_id';
  const t = targetOf(w, address, attr, v);
  if (t !== undefined) return t;
  return targetOf(w, address, 'application_id', v);
}

function dangers(w: PlanWords, c: PlanChange, drift: boolean): PlanAttention[] {
  const out: PlanAttention[] = [];
  const label = w.labelOf(c);
  const before = c.values('before');
  const after = c.values('after');
  const adds = c.action === 'create' || c.action === 'replace' || (c.action === 'no-op' && c.importing !== undefined);
  const push = (level: PlanAttention['level'], title: string, text: string, source: string, ruleId: PlanRuleId) =>
    out.push({
      level,
      address: c.planAddress,
      title: `${drift ? 'Changed outside Terraform: ' : ''}${title}`,
      text: w.names.explain(`${label}: ${text}`),
      source,
      ruleId,
      ...(drift ? { drift: true } : {}),
    });
  // An action this review does not know (a newer Terraform's, or a hand-made plan's) is never let
  // through unread: the gate stops at it.
  if (c.action === 'other' && !drift)
    out.push({
      level: 'danger',
      address: c.planAddress,
      title: 'Plans an action this review does not know',
      text: `${label}: Terraform plans ${c.actions.map(code).join(', ')}, which this review cannot put in words: read the plan itself before applying it.`,
      source: 'Terraform JSON output format, change representation (https://developer.hashicorp.com/terraform/internals/json-format#change-representation)',
    });
  const changes = before && after ? w.changes(c) : [];
  const changed = (key: string) => changes.find((x) => x.key === key);
  const tierText = (names: readonly string[], type: PermissionType = 'application') =>
    `${names.map(code).join(', ')}: ${names.length === 1 ? `a${type === 'delegated' ? ' delegated' : 'n application'} permission` : `${type} permissions`} with a known path to Global Administrator (tenant takeover)${names.some((n) => tenantTakeoverPermission(n, type)?.pathType === 'Direct') ? (names.length === 1 ? ', directly' : ', some directly') : ''}`;
  const requestsDelegated = (added: readonly string[]) =>
    push(
      'danger',
      `Requests delegated ${added.join(', ')}`,
      `the application requests ${tierText(added, 'delegated')}; ${DELEGATED_WORDS}.`,
      PERMISSION_TIER_SOURCE,
      'ITSM-PLAN-001',
    );

  // Tenant-takeover permissions the resource requests after the change and did not before, by type.
  const requestsTakeover = (read: typeof requestedPermissions) => {
    const newly = (type: PermissionType) => {
      const had = before ? takeover(read(before, w.namer(c.planAddress, before)), type) : [];
      return (after ? takeover(read(after, w.namer(c.planAddress, after)), type) : []).filter((p) => !had.includes(p));
    };
    const added = newly('application');
    if (added.length > 0)
      push(
        'danger',
        `Requests ${added.join(', ')}`,
        `the application requests ${tierText(added)}; consent makes it able to take over the tenant.`,
        PERMISSION_TIER_SOURCE,
        'ITSM-PLAN-001',
      );
    const addedDelegated = newly('delegated');
    if (addedDelegated.length > 0) requestsDelegated(addedDelegated);
  };

  switch (c.type) {
    case 'azuread_app_role_assignment': {
      if (!after || (!adds && !drift)) break;
      const role = w.names.role(
        typeof after.app_role_id === 'string' ? after.app_role_id : undefined,
        'application',
        w.names.clientIdOfServicePrincipal(typeof after.resource_object_id === 'string' ? after.resource_object_id : undefined),
      );
      if (role?.api === 'MicrosoftGraph' && tenantTakeoverPermission(role.name)) {
        push(
          'danger',
          `Grants ${KnownApi.MicrosoftGraph.displayName} ${role.name}`,
          `admin consent to ${tierText([role.name])}; whoever holds a credential of this service principal can take over the tenant.`,
          PERMISSION_TIER_SOURCE,
          'ITSM-PLAN-001',
        );
      }
      break;
    }
    case 'azuread_application':
    case 'azuread_application_registration': {
      if (adds || c.action === 'update' || drift) requestsTakeover(requestedPermissions);
      const owners = changed('owners');
      const held = heldByApplication(w, c.planAddress);
      if (owners && owners.added.length > 0 && held.length > 0) {
        push(
          'danger',
          'Adds owners to a privileged application',
          `adds the owner(s) ${owners.added.join(', ')}; owners can add credentials and so act as the application, which holds ${tierText(held)}.`,
          PERMISSION_TIER_SOURCE,
          'ITSM-PLAN-004',
        );
      }
      const inline = after && Array.isArray(after.password) && after.password.length > (Array.isArray(before?.password) ? before.password.length : 0);
      if (inline && held.length > 0)
        push(
          'danger',
          'Adds a credential to an application that can take over the tenant',
          `a new client secret (inline \`password\` block) signs in as an application that holds ${tierText(held)}.`,
          PERMISSION_TIER_SOURCE,
          'ITSM-PLAN-002',
        );
      const audience = changed('sign_in_audience');
      if (
        audience &&
        before?.sign_in_audience === 'AzureADMyOrg' &&
        after?.sign_in_audience !== 'AzureADMyOrg' &&
        typeof after?.sign_in_audience === 'string'
      ) {
        push(
          'danger',
          'Opens the application to other tenants',
          `sign-in audience ${audience.from} → ${audience.to}: users and admins of other directories can now sign in to it and consent to it.`,
          'Microsoft Learn, sign-in audience (https://learn.microsoft.com/entra/identity-platform/supported-accounts-validation)',
          'ITSM-PLAN-007',
        );
      }
      const uris = changed('web/redirect_uris');
      if (uris && uris.added.length > 0)
        push(
          'note',
          'Adds redirect URIs',
          `adds ${uris.added.join(', ')}: authorization codes and tokens can be sent there.`,
          'Microsoft Learn, redirect URI restrictions (https://learn.microsoft.com/entra/identity-platform/reply-url)',
          'ITSM-PLAN-008',
        );
      const roles = changed('app_role');
      if (roles && roles.added.some((r) => r.includes('applications (application permission)')))
        push(
          'note',
          'Adds an application permission to its API',
          `adds ${roles.added.filter((r) => r.includes('applications (')).join(', ')}: other applications can be granted it without a user.`,
          'Microsoft Learn, app roles (https://learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps)',
          'ITSM-PLAN-008',
        );
      if (c.action === 'replace' && !drift)
        push(
          'danger',
          'Replaces the application',
          `a new registration gets a new client ID${c.replacedBecauseOf.length > 0 ? ` (forced by ${c.replacedBecauseOf.map(code).join(', ')})` : ''}: everything that signs in with the old one, its credentials and its consents stop working until they are set up again.`,
          'Microsoft Learn, application and service principal objects (https://learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals)',
          'ITSM-PLAN-009',
        );
      if (c.action === 'delete' && !drift)
        push(
          'note',
          'Deletes the application',
          'everything that signs in with it (its secrets, certificates, federated credentials) stops working; Entra ID keeps it 30 days in deleted items.',
          'Microsoft Learn, restore deleted applications (https://learn.microsoft.com/entra/identity/enterprise-apps/delete-recover-faq)',
          'ITSM-PLAN-009',
        );
      break;
    }
    case 'azuread_application_api_access': {
      requestsTakeover(apiAccessPermissions);
      break;
    }
    case 'azuread_application_owner': {
      if (!after || !adds) break;
      const held = heldByApplication(w, targetOf(w, c.planAddress, 'application_id', after));
      if (held.length > 0)
        push(
          'danger',
          'Adds an owner to a privileged application',
          `the owner can add credentials and so act as the application, which holds ${tierText(held)}.`,
          PERMISSION_TIER_SOURCE,
          'ITSM-PLAN-004',
        );
      break;
    }
    case 'azuread_service_principal': {
      const owners = changed('owners');
      const app = after ? applicationOf(w, c.planAddress, after) : undefined;
      const held = heldByApplication(w, app);
      if (owners && owners.added.length > 0 && held.length > 0)
        push(
          'danger',
          'Adds owners to a privileged service principal',
          `adds the owner(s) ${owners.added.join(', ')}; owners can add credentials to it, and it holds ${tierText(held)}.`,
          PERMISSION_TIER_SOURCE,
          'ITSM-PLAN-004',
        );
      if (c.action === 'replace' && !drift)
        push(
          'danger',
          'Replaces the service principal',
          'it gets a new object ID: its app role assignments, delegated grants, directory roles and group memberships are removed with the old one unless this plan makes them again.',
          'Microsoft Learn, application and service principal objects (https://learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals)',
          'ITSM-PLAN-009',
        );
      if (c.action === 'delete' && !drift)
        push(
          'note',
          'Deletes the service principal',
          'the application can no longer sign in to this tenant, and every consent and app role assignment of it goes.',
          'Microsoft Learn, application and service principal objects (https://learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals)',
          'ITSM-PLAN-009',
        );
      const required = changed('app_role_assignment_required');
      if (required && before?.app_role_assignment_required === true && after?.app_role_assignment_required !== true)
        push(
          'danger',
          'Lets every user sign in',
          'assignment is no longer required: any user of the tenant can sign in to it.',
          'Microsoft Learn, assignment required (https://learn.microsoft.com/entra/identity/enterprise-apps/assign-user-or-group-access-portal)',
          'ITSM-PLAN-007',
        );
      break;
    }
    case 'azuread_application_password':
    case 'azuread_application_certificate':
    case 'azuread_application_federated_identity_credential':
    case 'azuread_application_flexible_federated_identity_credential':
    case 'azuread_service_principal_password':
    case 'azuread_service_principal_certificate': {
      const v = after ?? before;
      if (!v) break;
      if (adds) {
        const app = c.type.startsWith('azuread_service_principal')
          ? applicationOf(
              w,
              targetOf(w, c.planAddress, 'service_principal_id', v) ?? '',
              w.plan.objects.find((o) => o.address === targetOf(w, c.planAddress, 'service_principal_id', v))?.values ?? {},
            )
          : targetOf(w, c.planAddress, 'application_id', v);
        const held = heldByApplication(w, app);
        if (held.length > 0)
          push(
            'danger',
            'Adds a credential to an application that can take over the tenant',
            `a new credential signs in as an application that holds ${tierText(held)}.`,
            PERMISSION_TIER_SOURCE,
            'ITSM-PLAN-002',
          );
      }
      if (!drift && (c.action === 'delete' || c.action === 'replace') && before) {
        push(
          'note',
          c.action === 'replace' ? 'Replaces a credential' : 'Removes a credential',
          `whatever signs in with ${c.action === 'replace' ? 'the old one' : 'it'} stops working at apply${c.action === 'replace' && c.type.endsWith('password') ? ': the new secret has to reach it first' : ''}.`,
          'Microsoft Learn, application credentials (https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials)',
          'ITSM-PLAN-009',
        );
      }
      if (after && (adds || c.action === 'update' || drift)) {
        const subject = typeof after.subject === 'string' ? subjectWords(after.subject) : undefined;
        const subjectChanged = !before || before.subject !== after.subject;
        if (subject?.broad && subjectChanged) push('danger', 'A federated credential admits too much', `${subject.broad}.`, FIC_SOURCE, 'ITSM-PLAN-003');
        const expression = typeof after.claims_matching_expression === 'string' ? after.claims_matching_expression : undefined;
        if (expression && /\*|matches\s+'[^']*\*/.test(expression) && (!before || before.claims_matching_expression !== expression)) {
          push(
            'danger',
            'A flexible federated credential matches by wildcard',
            `the claims matching expression ${code(expression)} admits every subject it matches: check that no branch, pull request or repository outside the intended ones matches.`,
            'Microsoft Learn, flexible federated identity credentials (https://learn.microsoft.com/entra/workload-id/workload-identities-flexible-federated-identity-credentials)',
            'ITSM-PLAN-003',
          );
        }
      }
      break;
    }
    case 'azuread_directory_role_assignment':
    case 'azuread_directory_role_eligibility_schedule_request': {
      if (!after || !adds) break;
      const id = after.role_id ?? after.role_definition_id;
      const role = typeof id === 'string' ? directoryRoleTemplate(id) : undefined;
      const holder = (name: string) => (c.type.includes('eligibility') ? `eligible for ${name} (activated on demand)` : `a holder of ${name}`);
      if (role?.privileged)
        push(
          'danger',
          `Assigns the privileged role ${role.displayName}`,
          `makes the principal ${holder(role.displayName)}, which Microsoft labels privileged.`,
          ROLE_SOURCE,
          'ITSM-PLAN-005',
        );
      else if (role) push('note', `Assigns the role ${role.displayName}`, `makes the principal ${holder(role.displayName)}.`, ROLE_SOURCE, 'ITSM-PLAN-005');
      else push('note', 'Assigns a directory role', 'a custom or unknown role: check what it allows.', ROLE_SOURCE, 'ITSM-PLAN-005');
      break;
    }
    case 'azuread_group': {
      const roleAssignable = (after ?? before)?.assignable_to_role === true;
      for (const key of ['members', 'owners']) {
        const x = changed(key);
        if (x && x.added.length > 0 && roleAssignable)
          push(
            'danger',
            `Adds ${key} to a role-assignable group`,
            `adds ${x.added.join(', ')}: the group's directory roles apply to its ${key === 'owners' ? 'members, and owners manage the membership' : 'members'}.`,
            ROLE_SOURCE,
            'ITSM-PLAN-005',
          );
      }
      break;
    }
    case 'azuread_group_member': {
      if (!after || !adds) break;
      const g = targetOf(w, c.planAddress, 'group_object_id', after);
      const group = w.plan.changes.find((x) => x.planAddress === g)?.values('after') ?? w.plan.objects.find((o) => o.address === g)?.values;
      if (group?.assignable_to_role === true)
        push(
          'danger',
          'Adds a member to a role-assignable group',
          'the member holds every directory role assigned to the group.',
          ROLE_SOURCE,
          'ITSM-PLAN-005',
        );
      break;
    }
    case 'azuread_conditional_access_policy': {
      if (c.action === 'delete' && !drift) {
        push(
          'danger',
          'Removes a conditional access policy',
          `the protection it gives ends at apply${before?.state === 'enabled' ? ' (it is enforced today)' : ''}.`,
          CA_SOURCE,
          'ITSM-PLAN-006',
        );
        break;
      }
      if (!before || !after) break;
      const state = changed('state');
      if (state && before.state === 'enabled' && after.state !== 'enabled')
        push(
          'danger',
          after.state === 'disabled' ? 'Switches a policy off' : 'Moves a policy to report-only',
          `state ${state.from} → ${state.to}: the policy no longer blocks or requires anything.`,
          CA_SOURCE,
          'ITSM-PLAN-006',
        );
      for (const [key, what] of [
        ['conditions/excluded', 'excludes'],
        ['conditions/excluded_applications', 'excludes the resources'],
        ['conditions/excluded_locations', 'excludes the locations'],
      ] as const) {
        const x = changed(key);
        // One exclusion swapped for another (a placeholder for the real break-glass account) is a note.
        if (x && x.added.length > 0 && x.added.length > x.removed.length)
          push('danger', 'Widens the exclusions of a policy', `${what} ${x.added.join(', ')}: they are no longer protected by it.`, CA_SOURCE, 'ITSM-PLAN-006');
        else if (x && x.added.length > 0)
          push('note', 'Changes the exclusions of a policy', `${what} ${x.added.join(', ')} instead of ${x.removed.join(', ')}.`, CA_SOURCE, 'ITSM-PLAN-006');
      }
      for (const [key, what] of [
        ['conditions/included', 'no longer applies to'],
        ['conditions/applications', 'no longer covers'],
      ] as const) {
        const x = changed(key);
        if (x && x.removed.length > 0) push('danger', 'Narrows a policy', `${what} ${x.removed.join(', ')}.`, CA_SOURCE, 'ITSM-PLAN-006');
      }
      const grant = changed('grant_controls/controls');
      if (grant && grant.removed.length > 0)
        push('danger', 'Drops grant controls of a policy', `no longer requires ${grant.removed.join(', ')}.`, CA_SOURCE, 'ITSM-PLAN-006');
      const session = changed('session_controls');
      if (session && session.removed.length > 0)
        push('note', 'Drops session controls of a policy', `no longer applies ${session.removed.join(', ')}.`, CA_SOURCE, 'ITSM-PLAN-006');
      break;
    }
    case 'azuread_named_location': {
      const trusted = changed('ip/trusted');
      const ranges = changed('ip/ip_ranges');
      const ip = Array.isArray(after?.ip) ? (after.ip[0] as unknown) : undefined;
      const isTrusted = ip !== null && typeof ip === 'object' && (ip as Values).trusted === true;
      if ((trusted && isTrusted) || (ranges && ranges.added.length > 0 && isTrusted))
        push(
          'note',
          'Widens a trusted location',
          `${ranges && ranges.added.length > 0 ? `adds ${ranges.added.join(', ')} to ` : 'marks as trusted '}a trusted location: policies that exclude trusted locations skip sign-ins from there.`,
          CA_SOURCE,
          'ITSM-PLAN-006',
        );
      break;
    }
    case 'azuread_service_principal_delegated_permission_grant': {
      const claims = changed('claim_values');
      const tenantWide = after && (after.user_object_id === null || after.user_object_id === undefined || after.user_object_id === '');
      if (claims && claims.added.length > 0 && tenantWide)
        push(
          'note',
          'Consents to more delegated permissions for every user',
          `adds ${claims.added.join(', ')} on behalf of every user of the tenant.`,
          'Microsoft Learn, admin consent (https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent)',
          'ITSM-PLAN-008',
        );
      // A grant of tier-0 Microsoft Graph scopes: new (create, import, drift) or widened.
      if (after && (adds || c.action === 'update' || drift)) {
        const resource = w.names.clientIdOfServicePrincipal(
          typeof after.resource_service_principal_object_id === 'string' ? after.resource_service_principal_object_id : undefined,
        );
        const claimsOf = (v: Values | undefined) => (Array.isArray(v?.claim_values) ? v.claim_values.filter((x): x is string => typeof x === 'string') : []);
        const had = claimsOf(before);
        const granted =
          resource === KnownApi.MicrosoftGraph.resourceAppId ? claimsOf(after).filter((n) => !had.includes(n) && tenantTakeoverPermission(n, 'delegated')) : [];
        if (granted.length > 0) {
          const who = tenantWide
            ? 'on behalf of every user of the tenant'
            : `on behalf of ${typeof after.user_object_id === 'string' ? code(after.user_object_id) : 'one user'} only`;
          push(
            'danger',
            `Grants delegated ${KnownApi.MicrosoftGraph.displayName} ${granted.join(', ')}`,
            `consent ${who} to ${tierText(granted, 'delegated')}; ${DELEGATED_WORDS}.`,
            PERMISSION_TIER_SOURCE,
            'ITSM-PLAN-001',
          );
        }
      }
      break;
    }
    default:
      break;
  }
  return out;
}

function dedupe(list: PlanAttention[]): PlanAttention[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const k = `${a.address}\u0000${a.title}\u0000${a.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
