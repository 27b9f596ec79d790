/**
 * What the guardrail rules look at: plain, read-only data taken from the stack's inspection
 * (`lib/inspection`), so rules are pure functions over what the stack really declares, whether
 * this project's constructs or raw provider resources declared it.
 */
import type { InspectedPermission, InspectedPolicy, InspectedRedirectUri, StackInspection } from '../inspection/inspection';
import { isDeferred, literal, refersTo, type TfString } from '../inspection/values';
import type { AppliedItsmTool } from '../model/itsm-tool';
import type { MailAccess } from '../model/mail-access';
import { reachesEveryMailbox } from '../model/permissions';
import { KnownApi } from '../permissions/catalogue';

export { isDeferred, literal, type TfString } from '../inspection/values';

/** An app registration (`azuread_application`), with its consents and service principal. */
export interface ApplicationSubject {
  readonly kind: 'application';
  /** Construct path findings are reported on. */
  readonly path: string;
  readonly address: string;
  readonly displayName: TfString;
  /** `sign_in_audience`; the provider's default `AzureADMyOrg` when not set. */
  readonly signInAudience: TfString;
  readonly owners: readonly TfString[];
  readonly redirectUris: readonly InspectedRedirectUri[];
  /** `required_resource_access`, in the order declared. */
  readonly requested: readonly InspectedPermission[];
  /** App role assignments and delegated grants to the application's service principal(s). */
  readonly consented: readonly (InspectedPermission & { readonly path: string })[];
  /** True when the registration has a service principal in the same stack (consent needs one). */
  readonly hasServicePrincipal: boolean;
  /** The ITSM tool preset it was built with, when declared: which login endpoint the tool calls. */
  readonly itsmTool?: Pick<AppliedItsmTool, 'id' | 'displayName' | 'tenantEndpoint'>;
}

/** A client secret: a rotating pair of slots, or a raw application / service principal password. */
export interface SecretSubject {
  readonly kind: 'secret';
  readonly path: string;
  readonly addresses: readonly string[];
  readonly credential: 'applicationPassword' | 'servicePrincipalPassword';
  /** True for a rotating pair (RotatingClientSecret). */
  readonly rotating: boolean;
  /** Lifetime of each secret in days; undefined when only known at deploy time. */
  readonly lifetimeDays?: number;
  /** How the lifetime is known, for messages: `lifetimeDays`, `end_date_relative`, … */
  readonly lifetimeFrom: string;
  /** The ITSM tool preset of the application the secret belongs to, when declared: whether the tool could use a certificate. */
  readonly itsmTool?: Pick<AppliedItsmTool, 'id' | 'displayName' | 'certificate'>;
}

/** An exposed delegated scope (`azuread_application_permission_scope`, or inline in `api`). */
export interface ExposedScopeSubject {
  readonly kind: 'exposedScope';
  readonly path: string;
  readonly address: string;
  readonly value: TfString;
  /** `Admin` or `User` (who may consent); the provider's default is `User`. */
  readonly consentType: TfString;
}

/** An `azuread_conditional_access_policy`, every condition and control as declared. */
export interface ConditionalAccessSubject {
  readonly kind: 'conditionalAccess';
  readonly path: string;
  readonly address: string;
  readonly policy: InspectedPolicy;
}

/** A group that a conditional access policy includes or excludes, declared in the same stack. */
export interface PolicyGroupSubject {
  readonly kind: 'policyGroup';
  readonly path: string;
  readonly address: string;
  readonly displayName: TfString;
  readonly securityEnabled?: boolean;
  readonly mailEnabled?: boolean;
  /** Display names of the policies that use it. */
  readonly usedBy: readonly string[];
}

/** The mail access of an application built from a mail preset. */
export interface MailAccessSubject {
  readonly kind: 'mailAccess';
  readonly path: string;
  readonly mail: MailAccess;
  /** Application permissions requested that reach every mailbox (Graph `Mail.*`, Exchange `full_access_as_app`). */
  readonly tenantWideMailPermissions: readonly string[];
}

/** Everything a rule can look at. */
export type GuardrailSubject = ApplicationSubject | SecretSubject | ExposedScopeSubject | ConditionalAccessSubject | PolicyGroupSubject | MailAccessSubject;

/** The kind of a subject. */
export type SubjectKind = GuardrailSubject['kind'];

/** The subject type of a kind. */
export type SubjectOf<K extends SubjectKind> = Extract<GuardrailSubject, { readonly kind: K }>;

/** The subjects of one stack's inspection. */
export function subjectsOf(s: StackInspection): GuardrailSubject[] {
  // Indexed once: a plan of thousands of applications made these scans quadratic.
  const spsByApp = groupBy(s.servicePrincipals, (sp) => sp.application ?? '');
  const spsOf = (app: string) => spsByApp.get(app) ?? [];
  const assignmentsTo = groupBy(s.appRoleAssignments, (r) => refersTo(r.principalObjectId, 'object_id') ?? '');
  const grantsTo = groupBy(s.delegatedGrants, (g) => refersTo(g.servicePrincipalObjectId, 'object_id') ?? '');
  /** The entries of `index` for the service principals `sps`, in the inspection's order. */
  const order = new Map<unknown, number>([...s.appRoleAssignments.entries(), ...s.delegatedGrants.entries()].map(([i, x]) => [x, i]));
  const toAny = <T>(index: ReadonlyMap<string, readonly T[]>, sps: readonly string[]): T[] =>
    [...new Set(sps.flatMap((sp) => index.get(sp) ?? []))].sort((x, y) => order.get(x)! - order.get(y)!);
  const applications: ApplicationSubject[] = s.applications.map((a) => {
    const sps = spsOf(a.address).map((sp) => sp.address);
    const consented = [
      ...toAny(assignmentsTo, sps)
        .filter((r) => r.purpose !== 'signIn' && r.permission)
        .map((r) => ({ ...r.permission!, path: r.owner })),
      ...toAny(grantsTo, sps).flatMap((g) => g.permissions.map((p) => ({ ...p, path: g.owner }))),
    ];
    const owners = [...a.owners];
    return {
      kind: 'application',
      path: a.owner,
      address: a.address,
      displayName: a.displayName ?? '(unnamed)',
      signInAudience: a.signInAudience ?? 'AzureADMyOrg',
      owners,
      redirectUris: a.redirectUris,
      requested: a.requestedPermissions,
      consented,
      hasServicePrincipal: sps.length > 0,
      ...(a.itsmTool ? { itsmTool: { id: a.itsmTool.id, displayName: a.itsmTool.displayName, tenantEndpoint: a.itsmTool.tenantEndpoint } } : {}),
    };
  });

  /** The ITSM tool of the application (or its service principal) a credential belongs to. */
  const toolOf = (appAddress: string | undefined): SecretSubject['itsmTool'] => {
    const sp = s.servicePrincipals.find((x) => x.address === appAddress);
    const t = s.applications.find((a) => a.address === (sp?.application ?? appAddress))?.itsmTool;
    return t ? { id: t.id, displayName: t.displayName, certificate: t.certificate } : undefined;
  };
  const withTool = (appAddress: string | undefined) => {
    const t = toolOf(appAddress);
    return t ? { itsmTool: t } : {};
  };

  const inPair = new Set(s.rotatingSecrets.flatMap((r) => r.slots.map((x) => x.password)));
  const secrets: SecretSubject[] = [
    ...s.rotatingSecrets.map((r) => ({
      kind: 'secret' as const,
      path: r.path,
      addresses: r.slots.map((x) => x.password),
      credential: 'applicationPassword' as const,
      rotating: true,
      lifetimeDays: r.lifetimeDays,
      lifetimeFrom: 'lifetimeDays',
      ...withTool(r.application),
    })),
    ...s.passwords
      .filter((p) => !inPair.has(p.address))
      .map((p) => ({
        kind: 'secret' as const,
        path: p.owner,
        addresses: [p.address],
        credential: p.credential,
        rotating: false,
        ...passwordLifetime(p.endDateRelative, p.endDate, p.startDate),
        ...withTool(refersTo(p.parentId, 'id')),
      })),
  ];

  // The provider's default type is User, for the standalone resource and the inline block alike.
  const scopes: ExposedScopeSubject[] = [
    ...s.permissionScopes.map((p) => ({
      kind: 'exposedScope' as const,
      path: p.owner,
      address: p.address,
      value: p.value ?? '(unknown)',
      consentType: p.type ?? 'User',
    })),
    ...s.applications.flatMap((a) =>
      (a.api?.scopes ?? []).map((x) => ({
        kind: 'exposedScope' as const,
        path: a.owner,
        address: a.address,
        value: x.value ?? '(unknown)',
        consentType: x.type ?? 'User',
      })),
    ),
  ];

  const policies: ConditionalAccessSubject[] = s.policies.map((p) => ({ kind: 'conditionalAccess', path: p.owner, address: p.address, policy: p }));

  const groupUse = new Map<string, Set<string>>();
  for (const p of s.policies) {
    for (const ref of [...p.conditions.users.includedGroups, ...p.conditions.users.excludedGroups]) {
      const address = refersTo(ref, 'object_id');
      if (!address || !s.groups.some((g) => g.address === address)) continue;
      const names = groupUse.get(address) ?? new Set<string>();
      names.add(literal(p.displayName) ?? p.address);
      groupUse.set(address, names);
    }
  }
  const groups: PolicyGroupSubject[] = s.groups
    .filter((g) => groupUse.has(g.address))
    .map((g) => ({
      kind: 'policyGroup',
      path: g.owner,
      address: g.address,
      displayName: g.displayName ?? '(unnamed)',
      ...(typeof g.securityEnabled === 'boolean' ? { securityEnabled: g.securityEnabled } : {}),
      ...(typeof g.mailEnabled === 'boolean' ? { mailEnabled: g.mailEnabled } : {}),
      usedBy: [...groupUse.get(g.address)!].sort(),
    }));

  const mail: MailAccessSubject[] = s.applications
    .filter((a) => a.mail !== undefined)
    .map((a) => ({
      kind: 'mailAccess',
      path: a.declaredBy ?? a.owner,
      mail: a.mail!,
      tenantWideMailPermissions: a.requestedPermissions
        .filter((p) => p.api !== undefined && p.name !== undefined && reachesEveryMailbox({ api: p.api, type: p.type, name: p.name }))
        .map((p) => `${KnownApi[p.api!].displayName} ${p.name}`),
    }));

  return [...applications, ...secrets, ...scopes, ...policies, ...groups, ...mail];
}

/** The lifetime of a raw password, as far as it is known before apply. */
export function passwordLifetime(
  relative: TfString | undefined,
  end: TfString | undefined,
  start: TfString | undefined,
): { lifetimeDays?: number; lifetimeFrom: string } {
  if (relative !== undefined) {
    const text = isDeferred(relative) ? relative.expression : relative;
    const hours = isDeferred(relative) ? undefined : goDurationHours(relative);
    return hours === undefined ? { lifetimeFrom: `end_date_relative ${text}` } : { lifetimeDays: round(hours / 24), lifetimeFrom: `end_date_relative ${text}` };
  }
  if (end !== undefined) {
    const e = literal(end);
    const st = literal(start);
    if (e === undefined || st === undefined) return { lifetimeFrom: 'end_date, counted from the apply' };
    const ms = Date.parse(e) - Date.parse(st);
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

/** The entries of `list` by `key`, each group in the list's order. */
function groupBy<T>(list: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    const group = out.get(k);
    if (group) group.push(x);
    else out.set(k, [x]);
  }
  return out;
}
