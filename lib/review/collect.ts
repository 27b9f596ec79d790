/**
 * The review data of each stack: its inspection, the guardrail findings on it, and a label in
 * words for every resource. The same inspection the guardrails read.
 */
import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { checkStack } from '../guardrails/check';
import type { GuardrailFinding } from '../guardrails/finding';
import { inspectStack } from '../inspection/from-stack';
import type { StackInspection } from '../inspection/inspection';
import { literal, refersTo, type TfString } from '../inspection/values';
import { KnownApi } from '../permissions/catalogue';
import type { EnvironmentReview, ResourceLabel } from './review-model';
import { plain } from './words';

/** The review data of every stack at or below `scope`, in stack order. */
export function collectReviews(scope: IConstruct): EnvironmentReview[] {
  const stacks = scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  return stacks.map((stack) => {
    const inspection = inspectStack(stack);
    return reviewOf(inspection, checkStack(stack, inspection), stack.node.path);
  });
}

/** The review data of one inspected stack; paths become relative to `stackPath`. */
export function reviewOf(inspection: StackInspection, findings: readonly GuardrailFinding[], stackPath: string): EnvironmentReview {
  const rel = (path: string) => (path.startsWith(`${stackPath}/`) ? path.slice(stackPath.length + 1) : path);
  return {
    environment: inspection.stack,
    inspection,
    findings: findings.map((f) => ({ ...f, path: rel(f.path) })),
    resources: labelsOf(inspection).map((l) => ({ ...l, path: rel(l.path) })),
  };
}

/** Every resource and data source of the stack in words. */
export function labelsOf(s: StackInspection): ResourceLabel[] {
  const name = (v: TfString | undefined) => (v === undefined ? '' : `"${plain(v)}"`);
  const appName = (ref: TfString | undefined): string => {
    const address = refersTo(ref);
    const app = s.applications.find((a) => a.address === address);
    if (app) return ` of ${name(app.displayName)}`;
    const sp = s.servicePrincipals.find((x) => x.address === address);
    return sp ? appName(sp.clientId) : '';
  };
  const labels = new Map<string, string>();
  for (const a of s.applications) labels.set(a.address, `application ${name(a.displayName)}`);
  for (const sp of s.servicePrincipals) labels.set(sp.address, `service principal${appName(sp.clientId)}`);
  for (const p of s.passwords) {
    labels.set(
      p.address,
      p.credential === 'applicationPassword'
        ? `client secret ${name(p.displayName)}${appName(p.parentId)}`.replace(/\s+/g, ' ')
        : `service principal password${appName(p.parentId)}`,
    );
  }
  for (const u of s.identifierUris) labels.set(u.address, `identifier URI${appName(u.applicationId)}`);
  for (const x of s.permissionScopes) labels.set(x.address, `exposed scope ${name(x.value)}${appName(x.applicationId)}`);
  for (const r of s.appRoleAssignments) {
    if (r.purpose === 'signIn') {
      const who = literal(r.principalObjectId);
      labels.set(r.address, `sign-in assignment of ${who !== undefined ? `\`${who}\`` : 'a user or group'}${appName(r.resourceObjectId)}`);
      continue;
    }
    const p = r.permission;
    labels.set(
      r.address,
      `admin consent to ${p?.name && p.api ? `${KnownApi[p.api].displayName} ${p.name}` : 'an application permission'}${appName(r.principalObjectId)}`,
    );
  }
  for (const g of s.delegatedGrants)
    labels.set(g.address, `admin consent to delegated permissions ${g.claimValues.map(plain).join(', ')}${appName(g.servicePrincipalObjectId)}`);
  for (const p of s.policies) labels.set(p.address, `conditional access policy ${name(p.displayName)}`);
  for (const l of s.namedLocations) labels.set(l.address, `named location ${name(l.displayName)}`);
  for (const g of s.groups) labels.set(g.address, `group ${name(g.displayName)}`);
  for (const c of s.rotatingClocks) labels.set(c.address, `rotation clock of the client secret (${c.path.split('/').slice(-1)[0]})`);
  for (const d of s.dataSources) {
    const arg = Object.entries(d.arguments)[0];
    labels.set(
      d.address,
      d.type === 'azuread_client_config'
        ? 'reads the identity that runs Terraform'
        : `reads the ${d.type.replace(/^azuread_/, '').replace(/_/g, ' ')}${arg ? ` ${typeof arg[1] === 'object' ? plain(arg[1]) : String(arg[1])}` : ''}`.trim(),
    );
  }
  return s.addresses.map((r) => ({ address: r.address, path: r.owner, label: labels.get(r.address) ?? r.address.split('.').slice(-2, -1)[0] }));
}

/** The literal display name of a group this stack declares, referred to by an object ID value. */
export function groupOf(s: StackInspection, id: TfString): { readonly displayName?: string; readonly address: string } | undefined {
  const address = refersTo(id, 'object_id');
  const g = s.groups.find((x) => x.address === address);
  if (!g) return undefined;
  const displayName = literal(g.displayName);
  return { address: g.address, ...(displayName !== undefined ? { displayName } : {}) };
}
