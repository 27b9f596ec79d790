/**
 * What a plan does to one environment, in words, and which changes need a reviewer's attention.
 * Pure: a parsed plan and the environment's review data in, plain data out.
 */
import { refersTo } from '../inspection/values';
import { DESCRIBED_PROVIDERS, PlanWords, reviewWithWords, type ChangeRow, type PlanAttention } from './any-plan';
import type { Plan, PlanAction, PlanChange } from './plan';
import { changeWords } from './plan-facets';
import type { EnvironmentReview } from './review-model';
import { code, isPlaceholderId, md, POLICY_STATE_WORDS } from './words';

/** One changed resource, in words. */
export interface PlanRow {
  readonly action: PlanAction;
  readonly actions: readonly string[];
  /** The address as the plan wrote it. */
  readonly address: string;
  /** What the resource is, from the configuration; or a note that it is not declared here. */
  readonly label: string;
  /** Construct path below the stack, when the resource is declared here. */
  readonly path?: string;
  /** Attribute names that change, and what forces a replacement. */
  readonly details: readonly string[];
  /** Set when the change imports an existing object; `id` is the import ID when the plan gives it. */
  readonly importing?: { readonly id?: string };
}

/** A change that can break the ITSM tool or weaken protection (`danger`), or needs a follow-up (`note`): one type for both reviews. */
export type Attention = PlanAttention;

/** A rotating secret as the plan knows it: the state's lifetime and each slot's end date. */
export interface SecretInPlan {
  /** The RotatingClientSecret's construct path. */
  readonly path: string;
  /** `rotation_days` of slot a's clock in the state, when the plan shows it (the lifetime in force). */
  readonly lifetimeDaysInState?: number;
  /** When slot a's clock is next due, from the state. */
  readonly nextRotation?: string;
  readonly slots: readonly { readonly slot: string; readonly action?: PlanAction; readonly endDate?: string }[];
}

export interface PlanReview {
  /** Resources changed outside Terraform (`resource_drift`), in words. */
  readonly drift?: readonly ChangeRow[];
  /** True for a refresh-only plan (`terraform plan -refresh-only`): applying it only records the drift. */
  readonly refreshOnly?: boolean;
  /** The rotating secrets of the environment, with what the plan knows of them. */
  readonly secrets: readonly SecretInPlan[];
  /** Changes by action; `import` counts the changes that import an object (whatever their action). */
  readonly counts: Readonly<Record<'import' | 'create' | 'update' | 'replace' | 'delete' | 'read' | 'forget' | 'other' | 'no-op', number>>;
  readonly rows: readonly PlanRow[];
  readonly attention: readonly Attention[];
  /** Warnings about the plan itself (incomplete, or not this environment's). */
  readonly warnings: readonly string[];
}

/** Reads a plan against an environment. */
export function reviewPlan(plan: Plan, env: EnvironmentReview): PlanReview {
  const labels = new Map(env.resources.map((r) => [r.address, r]));
  const counts = { import: 0, create: 0, update: 0, replace: 0, delete: 0, read: 0, forget: 0, other: 0, 'no-op': 0 };
  const rows: PlanRow[] = [];
  const attention: Attention[] = [];
  // The same words as the plan-only review: every change said as a change, undeclared resources named.
  const words = new PlanWords(plan);
  const any = reviewWithWords(plan, words);
  for (const c of plan.changes) {
    counts[c.action]++;
    if (c.importing) counts.import++;
    // An import that changes nothing is still shown: it is what adopting does.
    if (c.action === 'no-op' && !c.importing) continue;
    const known = labels.get(c.address);
    const details = [
      ...(c.replacedBecauseOf.length > 0 ? [`replaced because of ${c.replacedBecauseOf.map(code).join(', ')}`] : []),
      ...(c.actionReason && c.replacedBecauseOf.length === 0 && c.action === 'replace' ? [reasonWords(c.actionReason)] : []),
      ...changeDetails(c, words),
      // A resource the config does not declare: what it is, in the words of the plan-only review.
      ...(!known && (c.action === 'create' || c.action === 'delete') && DESCRIBED_PROVIDERS.test(c.type) && c.mode === 'managed'
        ? words.lines(c).map((l) => words.names.explain(l))
        : []),
    ];
    rows.push({
      action: c.action,
      actions: c.actions,
      address: c.planAddress,
      label: known
        ? known.label
        : DESCRIBED_PROVIDERS.test(c.type) && c.mode === 'managed'
          ? `${words.labelOf(c)} (not declared in environment ${env.environment})`
          : `not declared in environment ${env.environment}`,
      ...(known ? { path: known.path } : {}),
      details,
      ...(c.importing ? { importing: c.importing } : {}),
    });
    attention.push(...(c.importing ? importAttention(c) : []), ...attentionFor(c, plan, env));
  }
  const warnings: string[] = [];
  if (plan.errored) warnings.push('Terraform stopped planning on an error: this plan is incomplete, and applying it is not possible.');
  const changed = plan.changes.filter((c) => c.action !== 'no-op' && c.action !== 'read');
  if (changed.length > 0 && changed.every((c) => !labels.has(c.address))) {
    warnings.push(`None of the changed resources is declared in environment ${env.environment}: is this the plan of another environment?`);
  }
  const secrets = secretsInPlan(plan, env);
  attention.push(...lifetimeChanges(secrets, env));
  // The dangerous classes of any plan (tenant-takeover permissions, credentials, federated subjects,
  // privileged roles, weakened policies, drift), except where this review already says it its way.
  const said = new Set(attention.map((a) => a.address));
  attention.push(
    ...any.attention
      .filter((a) => !(said.has(a.address) && (a.ruleId === 'ITSM-PLAN-009' || a.title === 'Removes a conditional access policy')))
      .filter(
        (a) => !(a.ruleId === 'ITSM-PLAN-009' && /password|secret|service_principal\./.test(a.address) && labels.has(a.address.replace(/\[[^\]]*\]$/, ''))),
      ),
  );
  attention.sort((a, b) => (a.level === b.level ? cmp(a.address, b.address) || cmp(a.title, b.title) : a.level === 'danger' ? -1 : 1));
  return { secrets, counts, rows, attention, warnings, drift: any.drift, refreshOnly: any.refreshOnly };
}

/**
 * Each rotating secret's end dates and lifetime as the state holds them. A slot that the plan
 * keeps (no-op or update) keeps its end date, which the plan knows; a replaced one gets a new one.
 */
function secretsInPlan(plan: Plan, env: EnvironmentReview): SecretInPlan[] {
  const byAddress = new Map(plan.changes.map((c) => [c.address, c]));
  return env.inspection.rotatingSecrets.map((r) => {
    const clockA = byAddress.get(r.slots[0]?.clock ?? '');
    const days = clockA?.valueOf('before', 'rotation_days');
    const due = clockA?.valueOf('before', 'rotation_rfc3339');
    return {
      path: r.path,
      ...(typeof days === 'number' ? { lifetimeDaysInState: days } : {}),
      ...(typeof due === 'string' && clockA?.action !== 'replace' && clockA?.action !== 'delete' ? { nextRotation: due } : {}),
      slots: r.slots.map((slot) => {
        const c = byAddress.get(slot.password);
        const end = c?.valueOf('before', 'end_date');
        const kept = c !== undefined && (c.action === 'no-op' || c.action === 'update');
        return { slot: slot.slot, ...(c ? { action: c.action } : {}), ...(kept && typeof end === 'string' ? { endDate: end } : {}) };
      }),
    };
  });
}

/** A lifetime changed in the config acts at the next rotation: the plan changes nothing yet. */
function lifetimeChanges(secrets: readonly SecretInPlan[], env: EnvironmentReview): Attention[] {
  const out: Attention[] = [];
  for (const s of secrets) {
    const declared = env.inspection.rotatingSecrets.find((r) => r.path === s.path);
    if (!declared || s.lifetimeDaysInState === undefined || s.lifetimeDaysInState === declared.lifetimeDays) continue;
    out.push({
      level: 'note',
      address: declared.slots[0]?.clock ?? s.path,
      title: `Secret lifetime ${s.lifetimeDaysInState} → ${declared.lifetimeDays} days at the next rotation`,
      text:
        `this plan changes no secret: the secrets in use keep their end dates${
          s.slots.some((x) => x.endDate)
            ? ` (${s.slots
                .filter((x) => x.endDate)
                .map((x) => `slot ${x.slot} ${md(x.endDate!)}`)
                .join(', ')})`
            : ''
        }, ` +
        `and the new lifetime applies from the next rotation${s.nextRotation ? ` (slot a is due ${md(s.nextRotation)})` : ''}. To apply it now, replace both slots (terraform apply -replace on their time_rotating clocks) and paste the new client_secret into the ITSM tool.`,
    });
  }
  return out;
}

function attentionFor(c: PlanChange, plan: Plan, env: EnvironmentReview): Attention[] {
  const gone = c.action === 'replace' || c.action === 'delete';
  const at = (level: Attention['level'], title: string, text: string): Attention[] => [{ level, address: c.planAddress, title, text }];
  if (c.mode !== 'managed') return [];
  switch (c.type) {
    case 'azuread_application':
      if (c.action === 'replace') {
        return at(
          'danger',
          'Replaces the application',
          'a new registration gets a new client ID, so the ITSM tool stops signing in until its Email setup has the new client ID and secret; admin consent and the Exchange Online registration are made again.',
        );
      }
      if (c.action === 'delete') return at('danger', 'Destroys the application', 'the ITSM tool can no longer sign in, and its consent goes with it.');
      return c.action === 'update' ? exposedApiRemovals(c) : [];
    case 'azuread_application_permission_scope':
    case 'azuread_application_identifier_uri': {
      if (!gone) return [];
      const isScope = c.type === 'azuread_application_permission_scope';
      const value = c.valueOf('before', isScope ? 'value' : 'identifier_uri');
      const what = isScope
        ? `the exposed scope${typeof value === 'string' ? ` "${value}"` : ''}`
        : `the identifier URI${typeof value === 'string' ? ` ${value}` : ''}`;
      return at(
        'danger',
        `${c.action === 'replace' ? 'Replaces' : 'Removes'} ${what}`,
        `${isScope ? 'the scope is disabled and deleted' : 'the URI is removed from the application'}${c.action === 'replace' ? ', then made again' : ''}: clients that request ${isScope ? 'it' : 'tokens for it'} fail until it exists again, and consent given to it is lost.`,
      );
    }
    case 'azuread_service_principal':
      if (c.action === 'replace') {
        return at(
          'danger',
          'Replaces the service principal',
          'it gets a new object ID: the Exchange Online registration (New-ServicePrincipal) and mailbox permissions still name the old one, so app-only mail access stops until the runbook is run again.',
        );
      }
      if (c.action === 'delete')
        return at(
          'danger',
          'Destroys the service principal',
          'the application can no longer sign in to this tenant, and every consent granted to it is removed.',
        );
      return [];
    case 'azuread_application_password':
    case 'azuread_service_principal_password':
      return gone ? secretAttention(c, plan) : [];
    case 'azuread_conditional_access_policy': {
      const before = c.valueOf('before', 'state');
      const after = c.valueOf('after', 'state');
      const name =
        typeof (c.valueOf('after', 'display_name') ?? c.valueOf('before', 'display_name')) === 'string'
          ? ` "${String(c.valueOf('after', 'display_name') ?? c.valueOf('before', 'display_name'))}"`
          : '';
      const exclusions = c.action === 'update' || c.action === 'replace' ? removedExclusions(c, name, after) : [];
      if ((c.action === 'create' || c.action === 'update' || c.action === 'replace') && after === 'enabled' && before !== 'enabled') {
        return [
          ...exclusions,
          ...at(
            'danger',
            `Switches the policy${name} to enforced`,
            `${before === undefined ? 'it is created enforced, not report-only' : `from ${stateWords(before)}`}: users in scope must use MFA from the next sign-in. Check Sign-in logs → Report-only for the pilot users first, and that a break-glass account is excluded.`,
          ),
        ];
      }
      if (c.action === 'delete') return at('danger', `Removes the policy${name}`, 'MFA is no longer required where it applied.');
      if (c.action === 'update' && before === 'enabled' && after !== undefined && after !== 'enabled') {
        return [...exclusions, ...at('note', `Stops enforcing the policy${name}`, `it becomes ${stateWords(after)}.`)];
      }
      return exclusions;
    }
    case 'azuread_group': {
      const usedByPolicy = env.inspection.policies.some((p) =>
        [...p.conditions.users.includedGroups, ...p.conditions.users.excludedGroups].some((g) => refersTo(g, 'object_id') === c.address),
      );
      if (!gone) return [];
      return at(
        usedByPolicy ? 'danger' : 'note',
        c.action === 'replace' ? 'Replaces a group' : 'Destroys a group',
        `members added in the portal are lost${usedByPolicy ? ', and the conditional access policy then targets a group without them' : ''}.`,
      );
    }
    default:
      return [];
  }
}

/**
 * Users and groups a policy stops excluding (`conditions[0].users[0].excluded_users` /
 * `excluded_groups`) without another in their place: the break-glass account, once enforced, is locked out with everyone else when
 * MFA cannot be done. Dangerous when the policy is enforced after the change, a note otherwise.
 */
function removedExclusions(c: PlanChange, name: string, stateAfter: unknown): Attention[] {
  const excluded = (when: 'before' | 'after', key: string): string[] | undefined => {
    const conditions = c.valueOf(when, 'conditions');
    if (!Array.isArray(conditions)) return undefined;
    const users = (conditions[0] as Record<string, unknown> | undefined)?.users;
    if (!Array.isArray(users)) return when === 'after' ? [] : undefined;
    const list = (users[0] as Record<string, unknown> | undefined)?.[key];
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  };
  const out: Attention[] = [];
  for (const [key, what] of [
    ['excluded_users', 'user'],
    ['excluded_groups', 'group'],
  ] as const) {
    const before = excluded('before', key);
    const after = excluded('after', key);
    // Swapping one exclusion for another (the placeholder for the real account) is the documented path.
    const gone = before && after ? before.filter((x) => !after.includes(x) && !isPlaceholderId(x)) : [];
    const added = before && after ? after.filter((x) => !before.includes(x)) : [];
    if (gone.length === 0 || gone.length <= added.length) continue;
    const enforced = stateAfter === 'enabled';
    out.push({
      level: enforced ? 'danger' : 'note',
      address: c.planAddress,
      title: `Removes the exclusion of ${gone.join(', ')} from the policy${name}`,
      text: `the ${what}${gone.length > 1 ? 's' : ''} ${gone.length > 1 ? 'are' : 'is'} no longer excluded${enforced ? ': if this is the emergency-access (break-glass) account, it is locked out with everyone else when MFA cannot be done' : ' (the policy is not enforced yet)'}. Keep at least one break-glass account excluded.`,
    });
  }
  return out;
}

/**
 * An import that is also replaced undoes the adoption (a new object, a new ID: for the application a
 * new client ID); one that is also updated changes the portal-made object in place.
 */
function importAttention(c: PlanChange): Attention[] {
  const id = c.importing?.id !== undefined ? ` ${c.importing.id}` : '';
  if (c.action === 'replace' || c.action === 'delete') {
    return [
      {
        level: 'danger',
        address: c.planAddress,
        title: `Imports${id}, then ${c.action === 'replace' ? 'replaces' : 'destroys'} it`,
        text: `the object made in the portal is ${c.action === 'replace' ? 'deleted and made again with a new ID' : 'deleted'}${c.replacedBecauseOf.length > 0 ? ` (because of ${c.replacedBecauseOf.map(code).join(', ')})` : ''}: make the configuration match it (npm run adopt writes one that does), or remove the import.`,
      },
    ];
  }
  if (c.action === 'update') {
    return [
      {
        level: 'note',
        address: c.planAddress,
        title: `Imports${id} and changes it`,
        text: `the first apply changes ${c.changedAttributes.length > 0 ? c.changedAttributes.map(code).join(', ') : 'some attributes'} of the object made in the portal: check these are the changes you chose (npm run adopt lists the ones it expects).`,
      },
    ];
  }
  return [];
}

/**
 * An in-place update of an application that drops exposed scopes (`api[0].oauth2_permission_scope`)
 * or identifier URIs: the provider disables and deletes such scopes. Seen when the application's
 * config does not hold what a standalone azuread_application_permission_scope wrote into it.
 */
function exposedApiRemovals(c: PlanChange): Attention[] {
  const scopes = (when: 'before' | 'after'): string[] | undefined => {
    const api = c.valueOf(when, 'api');
    if (!Array.isArray(api)) return undefined;
    return api.flatMap((b) => {
      const list = b !== null && typeof b === 'object' ? (b as Record<string, unknown>).oauth2_permission_scope : undefined;
      return Array.isArray(list) ? list.map((x) => (x as Record<string, unknown>)?.value).filter((v): v is string => typeof v === 'string') : [];
    });
  };
  const uris = (when: 'before' | 'after'): string[] | undefined => {
    const v = c.valueOf(when, 'identifier_uris');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
  };
  const removed = (before: string[] | undefined, after: string[] | undefined) => (before && after ? before.filter((x) => !after.includes(x)) : []);
  const out: Attention[] = [];
  const goneScopes = removed(scopes('before'), scopes('after'));
  if (goneScopes.length > 0) {
    out.push({
      level: 'danger',
      address: c.planAddress,
      title: `Removes the exposed scope${goneScopes.length > 1 ? 's' : ''} ${goneScopes.map((v) => `"${v}"`).join(', ')}`,
      text: "the provider disables and deletes a scope that the application's config no longer holds: clients that request it fail and consent given to it is lost. If a standalone azuread_application_permission_scope declares it, the application needs an api block and ignore_changes on api[0].oauth2_permission_scope.",
    });
  }
  const goneUris = removed(uris('before'), uris('after'));
  if (goneUris.length > 0) {
    out.push({
      level: 'danger',
      address: c.planAddress,
      title: `Removes the identifier URI${goneUris.length > 1 ? 's' : ''} ${goneUris.join(', ')}`,
      text: 'tokens for the exposed API are requested with this URI: clients that use it fail.',
    });
  }
  return out;
}

/**
 * A destroyed secret is a scheduled rotation when another secret of the same application stays and
 * expires later (the ITSM tool should already use that one); otherwise it is the secret in use.
 */
function secretAttention(c: PlanChange, plan: Plan): Attention[] {
  const owner = c.type === 'azuread_application_password' ? 'application_id' : 'service_principal_id';
  const app = c.valueOf('before', owner);
  const end = c.valueOf('before', 'end_date');
  const kept = plan.changes.filter(
    (o) => o !== c && o.type === c.type && o.action !== 'replace' && o.action !== 'delete' && app !== undefined && o.valueOf('before', owner) === app,
  );
  const newer = kept
    .map((o) => o.valueOf('before', 'end_date'))
    .filter((d): d is string => typeof d === 'string' && typeof end === 'string' && Date.parse(d) > Date.parse(end))
    .sort()
    .pop();
  const replaced = c.action === 'replace';
  if (newer !== undefined) {
    return [
      {
        level: 'note',
        address: c.planAddress,
        title: replaced ? 'Rotates an older client secret' : 'Destroys an older client secret',
        text: `another secret of the application stays valid until ${md(newer)}.${replaced ? ' After apply, `terraform output -raw client_secret` is the new secret: paste it into the ITSM tool before then.' : ''}`,
      },
    ];
  }
  return [
    {
      level: 'danger',
      address: c.planAddress,
      title: replaced ? 'Replaces a client secret in use' : 'Destroys a client secret in use',
      text: `no other secret of the application stays valid longer, so the ITSM tool is most likely using this one: mail stops ${replaced ? 'until the new `client_secret` output is pasted into the ITSM tool' : 'until a new secret is created and pasted into the ITSM tool'}.`,
    },
  ];
}

/**
 * What an update or replacement changes, by name: for each list what is added and what is removed
 * (permissions, claim values, owners, members, redirect URIs, policy targets), for each value its
 * old and new value. Attributes the words do not cover are still named.
 */
function changeDetails(c: PlanChange, words: PlanWords): string[] {
  if (c.action !== 'update' && c.action !== 'replace') return [];
  const described = DESCRIBED_PROVIDERS.test(c.type) && c.mode === 'managed';
  const lines = described ? words.changes(c).map((x) => words.names.explain(changeWords(x))) : [];
  if (lines.length > 0) return lines;
  return c.action === 'update' && c.changedAttributes.length > 0 ? [`changes ${c.changedAttributes.map(code).join(', ')}`] : [];
}

function stateWords(state: unknown): string {
  return typeof state === 'string' ? (POLICY_STATE_WORDS[state] ?? md(state)) : 'unknown';
}

function reasonWords(reason: string): string {
  const words: Record<string, string> = {
    replace_because_tainted: 'replaced because it is tainted',
    replace_because_cannot_update: 'replaced because the change cannot be made in place',
    replace_by_request: 'replaced on request (-replace)',
    replace_by_triggers: 'replaced by replace_triggered_by',
  };
  return words[reason] ?? md(reason);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
