/**
 * The classes of plan change the review calls out (its Attention list), each with a stable ID, so
 * that code scanning groups them and shows what each class means and how to act on it. One home:
 * the review tags each Attention item with one of these IDs (the compiler checks it), the SARIF
 * output lists them as rules, and docs/review.md's table is checked against them by a test.
 */
import type { GuardrailRuleInfo } from '../guardrails/pack';

const MAESTER = "Maester's list of high-risk Microsoft Graph permissions (MIT), from the azure-tiering research";

export const PLAN_RULES = [
  {
    id: 'ITSM-PLAN-001',
    severity: 'error',
    title: 'Tenant-takeover permission requested or granted',
    explanation:
      'the plan requests, or grants by admin consent, a Microsoft Graph permission with a known path to Global Administrator: whoever holds a credential of the application (or, for a delegated permission, an administrator who uses it) can take over the tenant.',
    source: MAESTER,
    fix: 'apply only when the application truly needs this permission and its credentials are guarded as a Global Administrator is; prefer a narrower permission.',
  },
  {
    id: 'ITSM-PLAN-002',
    severity: 'error',
    title: 'Credential added to a tenant-takeover application',
    explanation:
      'a secret, certificate or federated credential is added to an application that requests or holds a permission with a known path to Global Administrator: one more way to sign in as it.',
    source: MAESTER,
    fix: 'check who will hold the new credential and that an old one is removed; prefer a federated credential with a narrow subject.',
  },
  {
    id: 'ITSM-PLAN-003',
    severity: 'error',
    title: 'Federated credential admits too much',
    explanation:
      'the subject of a federated identity credential admits any repository of an organization, any pull request, a whole repository or project, or matches by wildcard: workflows the team does not control can sign in as the application.',
    source: 'Microsoft Learn: workload identity federation; GitHub: OpenID Connect claims',
    fix: 'narrow the subject to one repository and one protected branch or environment.',
  },
  {
    id: 'ITSM-PLAN-004',
    severity: 'error',
    title: 'Owner added to a tenant-takeover application',
    explanation:
      'owners are added to an application or service principal that holds a permission with a known path to Global Administrator: an owner can add credentials to it and sign in as it.',
    source: MAESTER,
    fix: 'keep owners of such applications to the few who administer the tenant.',
  },
  {
    id: 'ITSM-PLAN-005',
    severity: 'error',
    title: 'Directory role assigned',
    explanation:
      'a directory role Microsoft labels privileged is assigned or made eligible, or members or owners are added to a role-assignable group (other roles: a note).',
    source: 'Microsoft Learn: Microsoft Entra built-in roles (privileged roles)',
    fix: 'check the principal and the scope; prefer eligible (PIM) over active assignments and the least privileged role.',
  },
  {
    id: 'ITSM-PLAN-006',
    severity: 'error',
    title: 'Conditional access weakened',
    explanation:
      'a conditional access policy is removed, switched off or moved to report-only, its exclusions are widened, its scope narrowed or its grant controls dropped (session controls dropped, a trusted location widened, exclusions swapped: notes).',
    source: 'Microsoft Learn: Conditional Access',
    fix: 'apply only when the weaker policy is intended; keep break-glass exclusions the only standing ones.',
  },
  {
    id: 'ITSM-PLAN-007',
    severity: 'error',
    title: 'Application opened up',
    explanation: 'an application is opened to other tenants, or a service principal no longer requires assignment, so more people can sign in to it.',
    source: 'Microsoft Learn: sign-in audience; assignment required',
    fix: 'apply only when other tenants or every user of this one must sign in.',
  },
  {
    id: 'ITSM-PLAN-008',
    severity: 'warning',
    title: 'Application reach widened',
    explanation: 'redirect URIs are added, an application permission is added to an API, or more delegated permissions are consented for every user.',
    source: 'Microsoft Learn: redirect URIs; permissions and consent',
    fix: 'check each new redirect URI is one the team controls and each permission is needed.',
  },
  {
    id: 'ITSM-PLAN-009',
    severity: 'error',
    title: 'Application, service principal or credential replaced or removed',
    explanation:
      'an application or service principal is replaced (a new client or object ID that every client must be given), or (notes) deleted, or a credential removed or replaced: sign-ins that use the old one stop.',
    source: 'Microsoft Learn: application and service principal objects',
    fix: 'apply only in a change window, with the new IDs or secret ready for the tools that use them.',
  },
] as const satisfies readonly GuardrailRuleInfo[];

/** The ID of a class of plan change. */
export type PlanRuleId = (typeof PLAN_RULES)[number]['id'];
