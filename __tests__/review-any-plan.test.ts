import { ExitCode } from '../lib/cli/exit-codes';
// `npm run review -- --plan plan.json` without a config: any azuread plan in words, through the
// command line as a pipeline runs it, on every plan of the Entra ID plan corpus (real azuread 3.7.0
// and time 0.13.1 plans of hand-written HCL, __tests__/fixtures/plans/README.md) and on the plans
// written here for the classes the corpus lacks.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, runReviewInProcess, workdir } from '../test-support/cli';
import { TYPE_WORDS } from '../lib/review/plan-facets';
import { parsePlan } from '../lib/review/plan';
import { reviewAnyPlan } from '../lib/review/any-plan';
import { renderAnyPlanReview } from '../lib/review/render-any-plan';
import { tenantTakeoverPermission, tenantTakeoverPermissions } from '../lib/permissions/tiers';
import graphCatalogue from '../lib/permissions/data/microsoft-graph.generated.json';
import exchangeCatalogue from '../lib/permissions/data/exchange-online.json';
import directoryRoles from '../lib/model/data/directory-roles.json';
import tiers from '../lib/permissions/data/graph-permission-tiers.generated.json';

const PLANS = join(__dirname, 'fixtures', 'plans');
const CORPUS = join(PLANS, 'corpus');
const OWN = join(PLANS, 'own');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? jsonFiles(p) : n.endsWith('.json') && n !== 'fake-seed.json' ? [p] : [];
    });
}
const corpus = jsonFiles(CORPUS);
const own = jsonFiles(OWN);
const plan = (path: string) => join(CORPUS, path);

/** The review of one plan through the compiled command line, without a config. */
const reviews = new Map<string, { status: number | null; stdout: string; stderr: string; md: string }>();
function review(file: string, env: NodeJS.ProcessEnv = {}) {
  const key = `${file}\u0000${JSON.stringify(env)}`;
  if (!reviews.has(key)) {
    const dir = workdir();
    // The content, not the gate (--fail-on is tested in report-formats.test.ts).
    const r = runReviewInProcess(dir, ['--plan', file, '--out', 'out', '--fail-on', 'never'], env);
    const name = file
      .split('/')
      .pop()!
      .replace(/\.json$/, '');
    const md = join(dir, 'out', `${name}.md`);
    reviews.set(key, { ...r, md: existsSync(md) ? readFileSync(md, 'utf8') : '' });
  }
  return reviews.get(key)!;
}
/** The bullet lines of the attention list. */
const attention = (text: string) => text.split('\n').filter((l) => /^- \*\*(Dangerous|Note):/.test(l));

describe('every plan of the corpus, without a config', () => {
  it('holds the 25 plans of the shared corpus', () => {
    expect(corpus).toHaveLength(25);
  });

  it.each(corpus.map((f) => [relative(CORPUS, f)]))('%s: reviewed in words, written to DIR/<plan>.md, no secret, no expression', (name) => {
    const r = review(plan(name));
    expect(r.stderr).toMatch(/: wrote out\/.*\.md\n$/);
    expect(r.status).toBe(0);
    expect(r.md).toBe(`${r.stdout.trimEnd()}\n`);
    expect(r.stdout).toMatch(/^<!-- entra-itsm-mail:review:[^\n]+ -->\n## Entra ID plan review: `/);
    expect(r.stdout).not.toMatch(/FAKE-graphfake-secret|FAKE-example-password|redeem\?rd=|\$\{|undefined|\[object Object\]/);
    // Every change (not no-op) of the plan is listed with its address.
    const json = JSON.parse(readFileSync(plan(name), 'utf8'));
    for (const rc of json.resource_changes ?? []) {
      const actions = rc.change.actions.join(',');
      if (actions === 'no-op' && !rc.change.importing) continue;
      expect(r.stdout).toContain(`(\`${rc.address}\`)`);
    }
  });

  it('describes every resource type of the corpus attribute by attribute', () => {
    const types = new Set<string>();
    for (const f of corpus) for (const rc of JSON.parse(readFileSync(f, 'utf8')).resource_changes ?? []) if (rc.mode === 'managed') types.add(rc.type);
    expect([...types].filter((t) => !(t in TYPE_WORDS))).toEqual([]);
    expect(types.size).toBe(16);
  });

  it('writes the same bytes on every run', () => {
    const file = plan('github-deploy-identity/2-add-client-secret/privileged-app-add-secret.update.json');
    const a = runReviewInProcess(workdir(), ['--plan', file]);
    const b = runReviewInProcess(workdir(), ['--plan', file]);
    expect(a.stdout).toBe(b.stdout);
  });
});

/**
 * The names a reviewer could be given for the IDs of a plan, found independently of the review:
 * every object of the plan with a display name (by object ID, client ID and id path), the app roles
 * and scopes of its applications and service principals, the permission catalogues and the built-in
 * directory roles.
 */
function nameableIds(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (id: unknown, ...names: unknown[]) => {
    if (typeof id !== 'string') return;
    const key = id.split('/').pop()!.toLowerCase();
    if (!/^[0-9a-f-]{36}$/.test(key)) return;
    out.set(key, [...(out.get(key) ?? []), ...names.filter((n): n is string => typeof n === 'string' && n !== '')]);
  };
  const visit = (values: Record<string, unknown> | null | undefined) => {
    if (!values) return;
    const name = values.display_name ?? values.user_display_name;
    if (typeof name === 'string') for (const k of ['object_id', 'client_id', 'id', 'user_id']) add(values[k], name);
    for (const k of ['app_role_ids', 'oauth2_permission_scope_ids'])
      for (const [n, id] of Object.entries((values[k] as Record<string, string>) ?? {})) add(id, n);
    for (const k of ['app_roles', 'app_role', 'oauth2_permission_scopes'])
      for (const r of (values[k] as { id?: string; value?: string }[]) ?? []) add(r.id, r.value);
  };
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const walk = (m: { resources?: { values: Record<string, unknown> }[]; child_modules?: unknown[] } | undefined) => {
    for (const r of m?.resources ?? []) visit(r.values);
    for (const c of (m?.child_modules ?? []) as (typeof m)[]) walk(c);
  };
  walk(json.prior_state?.values?.root_module);
  walk(json.planned_values?.root_module);
  for (const rc of [...(json.resource_changes ?? []), ...(json.resource_drift ?? [])]) {
    visit(rc.change.before);
    visit(rc.change.after);
  }
  for (const file of [graphCatalogue, exchangeCatalogue] as unknown as {
    delegated: Record<string, { id: string }>;
    application: Record<string, { id: string }>;
  }[]) {
    for (const type of ['delegated', 'application'] as const) for (const [n, p] of Object.entries(file[type])) add(p.id, n);
  }
  for (const [id, role] of Object.entries(directoryRoles.roles)) add(id, role.displayName);
  add('00000003-0000-0000-c000-000000000000', 'Microsoft Graph');
  add('00000002-0000-0ff1-ce00-000000000000', 'Exchange Online');
  return out;
}

describe('no ID left unexplained where the plan or a catalogue names it', () => {
  it.each([...corpus, ...own].map((f) => [relative(PLANS, f)]))('%s', (name) => {
    const file = join(PLANS, name);
    const text = review(file).stdout;
    const names = nameableIds(file);
    const unexplained: string[] = [];
    for (const line of text.split('\n')) {
      for (const id of line.match(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g) ?? []) {
        const candidates = names.get(id.toLowerCase());
        if (candidates && !candidates.some((n) => line.includes(n))) unexplained.push(`${id} (${candidates.join(' / ')}) in: ${line.slice(0, 200)}`);
      }
    }
    expect(unexplained).toEqual([]);
  });

  it('names the IDs the HCL wrote as GUIDs: Graph permissions by a dynamic block, the Graph service principal by literal object ID', () => {
    const text = review(plan('hr-sync-daemon/1-initial/hr-sync-daemon.create.json')).stdout;
    expect(text).toContain('**Requested permissions:** Microsoft Graph Group.Read.All (application), Microsoft Graph User.ReadWrite.All (application)');
    expect(text).toContain('**On:** service principal of Microsoft Graph');
    expect(text).not.toContain('b3d1f7a2-64c8-4e09-9a5d-2c7e8f1b0a93');
    // A user only the directory knows (not in the plan) stays an ID, said to be outside the plan.
    expect(review(plan('ca-baseline/2-widen-exclusions/ca-portal-drift.refresh-only.json')).stdout).toContain(
      '`4d1c7e2a-9f3b-4a6e-8d2c-1b5e9f7a3c10` (not in this plan)',
    );
  });
});

describe('every change said as a change', () => {
  it('names the permission an update removes and the assignment it destroys', () => {
    const text = review(plan('hr-sync-daemon/3-drop-group-read/app-remove-permission.update.json')).stdout;
    expect(text).toContain(
      '- **update in place** application "hr-sync-daemon" (`azuread_application.hr_sync`)\n  - **Requested permissions:** removes Microsoft Graph Group.Read.All (application)',
    );
    expect(text).toContain('- **destroy** app role assignment: Microsoft Graph Group.Read.All to service principal of application "hr-sync-daemon"');
  });

  it('names added and removed exclusions, claim values, redirect URIs, app roles and the audience', () => {
    const ca = review(plan('ca-baseline/2-widen-exclusions/ca-widen-exclusions-disable-policy.update.json')).stdout;
    expect(ca).toContain('**Excluded:** adds holders of Exchange Administrator, members of `c9d8e7f6-1a2b-4c3d-8e5f-6a7b8c9d0e02` (not in this plan)');
    expect(ca).toContain('**State:** enforced (`enabled`) → off (`disabled`)');
    const grant = review(plan('partner-portal-api/3-reinvite-guest/invitation-replace-and-grant-widen.replace.json')).stdout;
    expect(grant).toContain('**Delegated permissions:** adds Microsoft Graph `User.ReadBasic.All`');
    expect(grant).toContain('**E-mail:** `lena.hoffmann@fabrikam.example` → `lena.hoffmann@partners.fabrikam.example`');
    const app = review(plan('partner-portal-api/2-multitenant-new-role/app-multitenant-add-privileged-app-role.update.json')).stdout;
    expect(app).toContain('**Redirect URIs:** adds `https://staging-partners.contoso.example/signin-oidc` (web)');
    expect(app).toContain('**App roles:** adds `Partners.ReadWrite.All` for applications (application permission)');
    expect(app).toContain(
      '**Who can sign in:** single tenant (accounts in this directory only) (`AzureADMyOrg`) → multi-tenant (accounts in any Entra ID directory) (`AzureADMultipleOrgs`)',
    );
  });

  it('says what forces a replacement, and the old and new value', () => {
    const text = review(plan('github-deploy-identity/3-rename-and-rerole/fic-rename-and-directory-role-change.replace.json')).stdout;
    expect(text).toContain('- **replace (destroy, then create), forced by `role_id`** directory role assignment: Application Administrator (privileged role)');
    expect(text).toContain('**Role:** Cloud Application Administrator (privileged role) → Application Administrator (privileged role)');
  });

  it("says a conditional access policy in the project's sentence (lib/review/render-policy.ts), before and after", () => {
    const created = review(plan('ca-baseline/1-initial/ca-baseline.create.json')).stdout;
    expect(created).toContain(
      '**In a sentence:** Block access for all users signing in to all resources from any client app from the named location "Embargoed countries"',
    );
    const imported = review(plan('portal-app-import/1-import/portal-objects.import.json')).stdout;
    expect(imported).toMatch(/\*\*Was:\*\* .*; report-only\.\n {2}- \*\*Becomes:\*\* .*; enforced\./);
    expect(imported).toContain('- **import `/applications/0e5d7c9b-1a3f-4b6d-8e2c-4f6a8b0d2e01`, then update in place** application "Contoso Expenses"');
  });

  it('explains federated credentials: which issuer and subject may sign in as the application', () => {
    const text = review(plan('github-deploy-identity/1-initial/github-deploy-identity.create.json')).stdout;
    expect(text).toContain(
      '**Who may sign in as the application:** tokens that GitHub Actions (`https://token.actions.githubusercontent.com`) issues for workflows on the branch `main` of `contoso/platform-infra`',
    );
  });
});

describe('dangerous changes, each with its reason and source', () => {
  const TIER_SOURCE =
    'Maester, high-risk Microsoft Graph permissions (direct or indirect path to Global Administrator), based on the azure-tiering research (https://github.com/maester365/maester/blob/';

  it('an application granted a tenant-takeover permission (app role assignment and requested access)', () => {
    const lines = attention(review(plan('hr-sync-daemon/2-grant-role-management/app-grant-privileged-role.update.json')).stdout);
    expect(lines).toEqual([
      expect.stringMatching(
        /^- \*\*Dangerous: Grants Microsoft Graph RoleManagement\.ReadWrite\.Directory\*\* `azuread_app_role_assignment\.graph\["RoleManagement\.ReadWrite\.Directory"\]`: .*path to Global Administrator.*Maester, high-risk Microsoft Graph permissions/,
      ),
      expect.stringMatching(/^- \*\*Dangerous: Requests RoleManagement\.ReadWrite\.Directory\*\* `azuread_application\.hr_sync`/),
    ]);
    expect(lines.every((l) => l.includes(TIER_SOURCE))).toBe(true);
  });

  it('a credential added to an application that holds such a permission', () => {
    const lines = attention(review(plan('github-deploy-identity/2-add-client-secret/privileged-app-add-secret.update.json')).stdout);
    expect(lines).toEqual([
      expect.stringMatching(
        /^- \*\*Dangerous: Adds a credential to an application that can take over the tenant\*\* `azuread_application_password\.legacy_runner`: .*`AppRoleAssignment\.ReadWrite\.All`, `Application\.ReadWrite\.All`/,
      ),
    ]);
  });

  it('a federated credential whose subject admits any repository of the organization, or any pull request', () => {
    const lines = attention(review(plan('github-deploy-identity/1-initial/github-deploy-identity.create.json')).stdout).filter((l) =>
      l.includes('admits too much'),
    );
    expect(lines).toEqual([
      expect.stringContaining(
        '`azuread_application_federated_identity_credential.org_wide`: federated credential "github-contoso-any-repo" of application "gha-platform-infra-deploy": the subject `repository_owner:contoso` names only the organization',
      ),
      expect.stringContaining('`azuread_application_federated_identity_credential.pull_requests`'),
    ]);
    expect(lines.every((l) => l.includes('learn.microsoft.com/entra/workload-id'))).toBe(true);
  });

  it("a client secret added inline (the application's password block) to such an application", () => {
    const app = (password: unknown[]) => ({
      display_name: 'daemon',
      required_resource_access: [
        { resource_app_id: '00000003-0000-0000-c000-000000000000', resource_access: [{ id: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', type: 'Role' }] },
      ],
      password,
    });
    const secret = { display_name: 'inline', end_date: '2027-01-01T00:00:00Z', value: ['FAKE', 'not-a-secret'].join('-') };
    const parsed = parsePlan(
      {
        format_version: '1.2',
        resource_changes: [
          {
            address: 'azuread_application.d',
            mode: 'managed',
            type: 'azuread_application',
            name: 'd',
            change: { actions: ['update'], before: app([]), after: app([secret]), after_sensitive: { password: [{ value: true }] } },
          },
        ],
      },
      'p.json',
    );
    const r = reviewAnyPlan(parsed);
    expect(r.attention).toEqual([
      expect.objectContaining({ level: 'danger', title: 'Adds a credential to an application that can take over the tenant', ruleId: 'ITSM-PLAN-002' }),
    ]);
    expect(r.rows[0].lines).toEqual(['**Client secrets (inline):** adds "inline" until `2027-01-01T00:00:00Z`']);
    expect(JSON.stringify(r)).not.toContain('not-a-secret');
  });

  it('the split application resources of azuread 3.x: API access by name, an owner added to a privileged application', () => {
    const app = {
      object_id: 'a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5',
      id: '/applications/a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5',
      client_id: 'f6f6f6f6-a7a7-4b8b-9c9c-d0d0d0d0d0d0',
      display_name: 'registrar',
    };
    const parsed = parsePlan(
      {
        format_version: '1.2',
        prior_state: {
          values: {
            root_module: {
              resources: [{ address: 'azuread_application_registration.r', mode: 'managed', type: 'azuread_application_registration', name: 'r', values: app }],
            },
          },
        },
        resource_changes: [
          {
            address: 'azuread_application_api_access.graph',
            mode: 'managed',
            type: 'azuread_application_api_access',
            name: 'graph',
            change: {
              actions: ['create'],
              before: null,
              after: {
                application_id: app.id,
                api_client_id: '00000003-0000-0000-c000-000000000000',
                role_ids: ['06b708a9-e830-4db3-a914-8e69da51d44f'],
                scope_ids: ['e1fe6dd8-ba31-4d61-89e7-88639da4683d'],
              },
            },
          },
          {
            address: 'azuread_application_owner.extra',
            mode: 'managed',
            type: 'azuread_application_owner',
            name: 'extra',
            change: { actions: ['create'], before: null, after: { application_id: app.id, owner_object_id: '0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e' } },
          },
        ],
      },
      'p.json',
    );
    const r = reviewAnyPlan(parsed);
    expect(r.rows.find((x) => x.address === 'azuread_application_api_access.graph')?.lines).toEqual([
      '**Application:** application "registrar"',
      '**Requested permissions:** Microsoft Graph AppRoleAssignment.ReadWrite.All (application), Microsoft Graph User.Read (delegated)',
    ]);
    expect(r.attention.map((a) => `${a.address}: ${a.title}`)).toEqual([
      'azuread_application_api_access.graph: Requests AppRoleAssignment.ReadWrite.All',
      'azuread_application_owner.extra: Adds an owner to a privileged application',
    ]);
  });

  it('a flexible federated credential that matches by wildcard', () => {
    const lines = attention(review(join(OWN, 'flexible-fic-eligibility-module.create.json')).stdout);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          '**Dangerous: A flexible federated credential matches by wildcard** `module.identity.azuread_application_flexible_federated_identity_credential.branches`',
        ),
        expect.stringContaining(
          '**Dangerous: Adds a credential to an application that can take over the tenant** `module.identity.azuread_application_flexible_federated_identity_credential.branches`',
        ),
      ]),
    );
  });

  it("a privileged directory role assigned (by Microsoft's privileged label), active or eligible", () => {
    const text = review(plan('privileged-access/1-initial/privileged-access.create.json')).stdout;
    expect(attention(text).filter((l) => l.includes('Assigns the privileged role'))).toHaveLength(4);
    expect(text).toContain(
      '- **Dangerous: Assigns the privileged role Global Administrator** `azuread_directory_role_assignment.global_admins`: directory role assignment: Global Administrator (privileged role) to group "PIM-Tier0-GlobalAdministrators" (role-assignable)',
    );
    const eligible = review(join(OWN, 'flexible-fic-eligibility-module.create.json')).stdout;
    expect(eligible).toContain('makes the principal eligible for Global Administrator (activated on demand), which Microsoft labels privileged');
  });

  it('a member added to a role-assignable group', () => {
    const lines = attention(review(plan('privileged-access/2-add-member-rescope/role-assignable-group-add-member-rescope-au-role.replace.json')).stdout);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('**Dangerous: Adds a member to a role-assignable group** `azuread_group_member.global_admins_contractor`'),
      ]),
    );
  });

  it('owners added to a privileged application (here in the portal)', () => {
    const lines = attention(review(plan('hr-sync-daemon/3-drop-group-read/app-portal-drift.refresh-only.json')).stdout);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          '**Dangerous: Changed outside Terraform: Adds owners to a privileged application** `azuread_application.hr_sync`: application "hr-sync-daemon": adds the owner(s) `3f2a6c1e-8b47-4d0a-9e15-6c2b7d9a4e01`',
        ),
      ]),
    );
  });

  it('a conditional access policy switched off, removed, its exclusions widened', () => {
    const update = attention(review(plan('ca-baseline/2-widen-exclusions/ca-widen-exclusions-disable-policy.update.json')).stdout);
    expect(update).toEqual([
      expect.stringContaining('**Dangerous: Widens the exclusions of a policy** `azuread_conditional_access_policy.ca001_admins_mfa`'),
      expect.stringContaining('**Dangerous: Switches a policy off** `azuread_conditional_access_policy.ca002_block_legacy_auth`'),
    ]);
    const removed = attention(review(plan('ca-baseline/3-retire-policy/ca-delete-policy-and-revert-portal-change.delete.json')).stdout);
    expect(removed).toEqual([
      expect.stringContaining('**Dangerous: Removes a conditional access policy** `azuread_conditional_access_policy.ca004_mfa_off_network`'),
    ]);
  });

  it('a conditional access policy moved to report-only, its grant controls dropped; a trusted location widened', () => {
    const lines = attention(review(join(OWN, 'ca-weakened.update.json')).stdout);
    expect(lines.map((l) => /^- \*\*(\w+): ([^*]+)\*\*/.exec(l)!.slice(1).join(': '))).toEqual([
      'Dangerous: Drops grant controls of a policy',
      'Dangerous: Moves a policy to report-only',
      'Dangerous: Widens the exclusions of a policy',
      'Note: Drops session controls of a policy',
      'Note: Widens a trusted location',
    ]);
  });

  it('an application opened to other tenants', () => {
    const lines = attention(review(plan('partner-portal-api/2-multitenant-new-role/app-multitenant-add-privileged-app-role.update.json')).stdout);
    expect(lines[0]).toContain('**Dangerous: Opens the application to other tenants** `azuread_application.portal`');
  });

  it('notes for what stops signing in: a credential removed, the application and service principal deleted', () => {
    const lines = attention(review(plan('github-deploy-identity/3-rename-and-rerole/github-deploy-identity.destroy.json')).stdout);
    expect(lines.filter((l) => l.startsWith('- **Note: Removes a credential**'))).toHaveLength(5);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('**Note: Deletes the application** `azuread_application.gha`'),
        expect.stringContaining('**Note: Deletes the service principal** `azuread_service_principal.gha`'),
      ]),
    );
    expect(lines.some((l) => l.startsWith('- **Dangerous'))).toBe(false);
  });

  it('what the config review already calls out, said on any plan: the application and service principal replaced', () => {
    const lines = attention(review(join(PLANS, 'replace.json')).stdout);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          '**Dangerous: Replaces the application** `azuread_application.itsm-mail_application_DE9ACE3A`: application "Pandora ITSM mail": a new registration gets a new client ID',
        ),
        expect.stringContaining('**Dangerous: Replaces the service principal** `azuread_service_principal.itsm-mail_service-principal_1635FAB6`'),
      ]),
    );
    expect(review(join(PLANS, 'replace.json')).stdout).not.toContain('SECRET-VALUE');
  });

  it('none in plans that only create harmless objects, or change nothing', () => {
    expect(attention(review(plan('ca-baseline/1-initial/ca-baseline.create.json')).stdout)).toEqual([]);
    expect(attention(review(plan('portal-app-import/1-import/portal-objects-after-import.no-changes.json')).stdout)).toEqual([]);
  });
});

describe('hostile names', () => {
  it('escapes markdown and HTML in display names read from the plan, wherever they are shown', () => {
    const evil = 'x | <img src=x onerror=alert(1)> **bold** [link](http://e.example)';
    const parsed = parsePlan(
      {
        format_version: '1.2',
        prior_state: {
          values: {
            root_module: {
              resources: [
                {
                  address: 'data.azuread_group.g',
                  mode: 'data',
                  type: 'azuread_group',
                  name: 'g',
                  values: { object_id: 'b1b1b1b1-c2c2-4d3d-8e4e-f5f5f5f5f5f5', display_name: evil },
                },
              ],
            },
          },
        },
        resource_changes: [
          {
            address: 'azuread_application.a',
            mode: 'managed',
            type: 'azuread_application',
            name: 'a',
            change: { actions: ['create'], before: null, after: { display_name: evil, owners: [] } },
          },
          {
            address: 'azuread_group_member.m',
            mode: 'managed',
            type: 'azuread_group_member',
            name: 'm',
            change: {
              actions: ['create'],
              before: null,
              after: { group_object_id: 'b1b1b1b1-c2c2-4d3d-8e4e-f5f5f5f5f5f5', member_object_id: 'c1c1c1c1-d2d2-4e3e-8f4f-a5a5a5a5a5a5' },
            },
          },
        ],
      },
      'p.json',
    );
    const text = renderAnyPlanReview(reviewAnyPlan(parsed));
    expect(text).toContain('group "x \\| \\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\* \\[link\\](http://e.example)"');
    expect(text).not.toMatch(/[^\\]<img/);
    expect(text).not.toMatch(/[^\\]\*\*bold/);
  });
});

describe('drift: changed outside Terraform', () => {
  it.each(['ca-portal-drift.refresh-only.json', 'ca-portal-drift.plan.json'])(
    'says the drifted policy as the state had it and as Entra ID has it now, from the drift, not the plan (%s)',
    (file) => {
      const text = review(plan(`ca-baseline/2-widen-exclusions/${file}`)).stdout;
      const drift = text.slice(text.indexOf('### Changed outside Terraform'), text.indexOf('### ', text.indexOf('### Changed outside Terraform') + 4));
      const was = /\*\*Was:\*\* (.*)/.exec(drift)?.[1];
      const now = /\*\*Now in Entra ID:\*\* (.*)/.exec(drift)?.[1];
      // The portal switched the policy off and excluded one more user: "was" is enforced without that user.
      expect(was).toMatch(/; excludes members of group [^;]*; enforced\.$/);
      expect(now).toMatch(/; excludes 1 emergency-access account and members of group [^;]*; off\.$/);
    },
  );

  it('a refresh-only plan is reviewed as drift only, with the dangerous drift flagged', () => {
    const text = review(plan('ca-baseline/2-widen-exclusions/ca-portal-drift.refresh-only.json')).stdout;
    expect(text).toContain('**Plan:** refresh-only: no change to Entra ID; applying it records 1 change made outside Terraform in the state.');
    expect(text).toContain('### Changed outside Terraform');
    expect(text).toContain(
      '- **changed outside Terraform** conditional access policy "CA003: Block sign-ins from embargoed countries" (`azuread_conditional_access_policy.ca003_block_embargoed`)\n  - **State:** enforced (`enabled`) → off (`disabled`)',
    );
    expect(text).toContain('None: a refresh-only plan changes nothing in Entra ID.');
    expect(attention(text)).toEqual([
      expect.stringContaining('**Dangerous: Changed outside Terraform: Switches a policy off**'),
      expect.stringContaining('**Dangerous: Changed outside Terraform: Widens the exclusions of a policy**'),
    ]);
  });

  it('a plan after drift shows what was changed in the portal and what the plan puts back', () => {
    const text = review(plan('hr-sync-daemon/3-drop-group-read/app-portal-drift.plan.json')).stdout;
    expect(text).toContain(
      '- **changed outside Terraform** application "hr-sync-daemon" (`azuread_application.hr_sync`)\n  - **Owners:** adds `3f2a6c1e-8b47-4d0a-9e15-6c2b7d9a4e01` (not in this plan)\n  - **Requested permissions:** adds Microsoft Graph Application.ReadWrite.All (application)',
    );
    expect(text).toContain('- **update in place** application "hr-sync-daemon" (`azuread_application.hr_sync`)\n  - **Owners:** removes');
    expect(attention(text)).toEqual(
      expect.arrayContaining([expect.stringContaining('**Dangerous: Changed outside Terraform: Requests Application.ReadWrite.All**')]),
    );
  });

  it('leaves out the provider reading back empty lists after a create (no change at all)', () => {
    const text = review(plan('hr-sync-daemon/2-grant-role-management/app-grant-privileged-role.update.json')).stdout;
    expect(JSON.parse(readFileSync(plan('hr-sync-daemon/2-grant-role-management/app-grant-privileged-role.update.json'), 'utf8')).resource_drift).toHaveLength(
      2,
    );
    expect(text).not.toContain('Changed outside Terraform');
  });
});

describe('the guardrails on the plan', () => {
  it('runs the same rules on what the plan leaves, with findings on plan addresses', () => {
    const text = review(plan('exchange-mail-archiver/1-initial/exchange-mail-archiver.create.json')).stdout;
    expect(text).toContain('### Guardrail findings on the plan');
    expect(text).toMatch(
      /\| error \| ITSM-PERM-001 High-privilege permission without a justification \| `azuread_application\.archiver` \| Office 365 Exchange Online application permission full_access_as_app:/,
    );
    expect(text).toMatch(/\| warning \| ITSM-APP-002 Application has no owners \| `azuread_application\.archiver` \|/);
    // Consent is read through the plan: app role assignments on the Graph service principal (a literal object ID) count.
    expect(text).not.toContain('ITSM-PERM-002');
    expect(text).toContain('**Guardrails on the plan:** 2 errors (the review exits 4 until they are fixed or suppressed), 1 warning, 0 notes, 0 suppressed.');
  });

  it('reads an unset string of a block as unset, not as a value (no MFA-and-strength false finding)', () => {
    expect(review(plan('ca-baseline/1-initial/ca-baseline.create.json')).stdout).not.toContain('ITSM-CA-005');
  });
});

describe('tier-0 delegated permissions (act as the signed-in user)', () => {
  // Plans written here: no plan of the corpus grants or requests a tier-0 delegated scope. The object
  // IDs are made up; Microsoft Graph's service principal is read through a data source, as HCL does.
  const GRAPH = '00000003-0000-0000-c000-000000000000';
  const GRAPH_SP = '0a0a0a0a-0000-4000-8000-00000000a001';
  const CLIENT_SP = '0a0a0a0a-0000-4000-8000-00000000a002';
  const ONE_USER = '0a0a0a0a-0000-4000-8000-00000000a003';
  const OTHER_API_SP = '0a0a0a0a-0000-4000-8000-00000000a004';
  const ROLE_MANAGEMENT_SCOPE = 'd01b97e9-cbc0-49fe-810a-750afd5527a3';
  const USER_READ_SCOPE = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
  const change = (type: string, name: string, actions: string[], before: unknown, after: unknown) => ({
    address: `${type}.${name}`,
    mode: 'managed',
    type,
    name,
    change: { actions, before, after },
  });
  const grant = (claims: string[], user: string | null = null, resource = GRAPH_SP) => ({
    service_principal_object_id: CLIENT_SP,
    resource_service_principal_object_id: resource,
    claim_values: claims,
    user_object_id: user,
  });
  const planJson = (changes: unknown[]) => ({
    format_version: '1.2',
    prior_state: {
      values: {
        root_module: {
          resources: [
            {
              address: 'data.azuread_service_principal.msgraph',
              mode: 'data',
              type: 'azuread_service_principal',
              name: 'msgraph',
              values: { client_id: GRAPH, object_id: GRAPH_SP, display_name: 'Microsoft Graph' },
            },
          ],
        },
      },
    },
    resource_changes: changes,
  });
  const reviewed = (changes: unknown[]) => reviewAnyPlan(parsePlan(planJson(changes), 'p.json'));

  it('a tenant-wide delegated grant of a tier-0 scope: danger, in the words of delegated access', () => {
    const r = reviewed([
      change('azuread_service_principal_delegated_permission_grant', 'g', ['create'], null, grant(['User.Read', 'RoleManagement.ReadWrite.Directory'])),
    ]);
    const dangers = r.attention.filter((a) => a.level === 'danger');
    expect(dangers).toEqual([
      expect.objectContaining({
        title: 'Grants delegated Microsoft Graph RoleManagement.ReadWrite.Directory',
        ruleId: 'ITSM-PLAN-001',
        source: expect.stringContaining('Maester'),
      }),
    ]);
    expect(dangers[0].text).toContain(
      'consent on behalf of every user of the tenant to `RoleManagement.ReadWrite.Directory`: a delegated permission with a known path to Global Administrator (tenant takeover), directly',
    );
    expect(dangers[0].text).toContain(
      "acts as the signed-in user, limited by that user's own rights: when an administrator signs in to the application, it can take over the tenant",
    );
    expect(dangers[0].text).not.toContain('User.Read,');
  });

  it('a grant widened to a tier-0 scope for one user, and through the command line', () => {
    const changes = [
      change(
        'azuread_service_principal_delegated_permission_grant',
        'g',
        ['update'],
        grant(['User.Read'], ONE_USER),
        grant(['User.Read', 'Directory.ReadWrite.All'], ONE_USER),
      ),
    ];
    expect(reviewed(changes).attention).toEqual([
      expect.objectContaining({
        level: 'danger',
        title: 'Grants delegated Microsoft Graph Directory.ReadWrite.All',
        text: expect.stringMatching(
          /consent on behalf of .* only to `Directory\.ReadWrite\.All`: a delegated permission with a known path to Global Administrator \(tenant takeover\);/,
        ),
      }),
    ]);
    const dir = workdir();
    require('node:fs').writeFileSync(join(dir, 'grant.json'), JSON.stringify(planJson(changes)));
    const r = runReviewInProcess(dir, ['--plan', 'grant.json']);
    // A dangerous change reaches the default gate (--fail-on dangerous): the review is written, the exit is 5.
    expect(r.status).toBe(ExitCode.reviewGate);
    expect(attention(r.stdout)).toEqual([
      expect.stringMatching(
        /^- \*\*Dangerous: Grants delegated Microsoft Graph Directory\.ReadWrite\.All\*\* `azuread_service_principal_delegated_permission_grant\.g`: .*acts as the signed-in user.*Maester/,
      ),
    ]);
  });

  it('no danger for a grant that keeps its tier-0 scope, grants none, or grants a same-named scope of another API', () => {
    expect(
      reviewed([
        change(
          'azuread_service_principal_delegated_permission_grant',
          'g',
          ['update'],
          grant(['Directory.ReadWrite.All']),
          grant(['Directory.ReadWrite.All', 'User.Read']),
        ),
      ]).attention.filter((a) => a.level === 'danger'),
    ).toEqual([]);
    expect(reviewed([change('azuread_service_principal_delegated_permission_grant', 'g', ['create'], null, grant(['User.Read', 'openid']))]).attention).toEqual(
      [],
    );
    expect(
      reviewed([change('azuread_service_principal_delegated_permission_grant', 'g', ['create'], null, grant(['Directory.ReadWrite.All'], null, OTHER_API_SP))])
        .attention,
    ).toEqual([]);
  });

  it('an application that requests a tier-0 delegated scope (required_resource_access and azuread_application_api_access)', () => {
    const app = (scopes: string[]) => ({
      display_name: 'cli',
      required_resource_access: [{ resource_app_id: GRAPH, resource_access: scopes.map((id) => ({ id, type: 'Scope' })) }],
    });
    const r = reviewed([
      change('azuread_application', 'cli', ['update'], app([USER_READ_SCOPE]), app([USER_READ_SCOPE, ROLE_MANAGEMENT_SCOPE])),
      change('azuread_application_api_access', 'graph', ['create'], null, {
        application_id: '/applications/0a0a0a0a-0000-4000-8000-00000000a005',
        api_client_id: GRAPH,
        role_ids: [],
        scope_ids: [ROLE_MANAGEMENT_SCOPE, USER_READ_SCOPE],
      }),
    ]);
    expect(r.attention).toEqual([
      expect.objectContaining({
        level: 'danger',
        address: 'azuread_application.cli',
        title: 'Requests delegated RoleManagement.ReadWrite.Directory',
        ruleId: 'ITSM-PLAN-001',
        text: expect.stringContaining(
          'the application requests `RoleManagement.ReadWrite.Directory`: a delegated permission with a known path to Global Administrator (tenant takeover), directly; a delegated permission acts as the signed-in user',
        ),
      }),
      expect.objectContaining({
        level: 'danger',
        address: 'azuread_application_api_access.graph',
        title: 'Requests delegated RoleManagement.ReadWrite.Directory',
        ruleId: 'ITSM-PLAN-001',
      }),
    ]);
    // The application permission of the same name stays worded as one.
    const roles = reviewed([
      change('azuread_application', 'cli', ['create'], null, {
        display_name: 'cli',
        required_resource_access: [{ resource_app_id: GRAPH, resource_access: [{ id: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', type: 'Role' }] }],
      }),
    ]);
    expect(roles.attention).toEqual([
      expect.objectContaining({
        title: 'Requests RoleManagement.ReadWrite.Directory',
        text: expect.stringContaining(
          'an application permission with a known path to Global Administrator (tenant takeover), directly; consent makes it able to take over the tenant',
        ),
      }),
    ]);
  });
});

describe('the classification data', () => {
  it('records its source (Maester, MIT), commit, checksum, license and copyright, and classifies the permissions the issue names', () => {
    expect(tiers.source).toMatchObject({
      repository: 'maester365/maester',
      path: 'powershell/public/maester/entra/Test-MtHighRiskAppPermissions.ps1',
      license: 'MIT',
      copyright: 'Copyright (c) 2024 Maester Team',
      licenseFile: 'graph-permission-tiers.LICENSE',
      basedOn: expect.stringContaining('https://github.com/emiliensocchi/azure-tiering'),
    });
    expect(tiers.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(tiers.source.url).toBe(`https://github.com/maester365/maester/blob/${tiers.source.commit}/${tiers.source.path}`);
    expect(tiers.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The license beside the data is Maester's MIT license with the recorded copyright line.
    const license = readFileSync(join(ROOT, 'lib/permissions/data', tiers.source.licenseFile), 'utf8');
    expect(license).toMatch(/^MIT License\n/);
    expect(license).toContain(`\n${tiers.source.copyright}\n`);
    expect(license).toContain('Permission is hereby granted, free of charge');
    for (const name of ['RoleManagement.ReadWrite.Directory', 'AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All'])
      expect(tenantTakeoverPermission(name)).toBeDefined();
    expect(tenantTakeoverPermission('RoleManagement.ReadWrite.Directory', 'delegated')).toEqual({
      id: 'd01b97e9-cbc0-49fe-810a-750afd5527a3',
      pathType: 'Direct',
    });
    expect(tenantTakeoverPermission('Application.ReadWrite.OwnedBy', 'delegated')).toBeUndefined();
    expect(tenantTakeoverPermission('User.Read.All')).toBeUndefined();
    expect(tenantTakeoverPermission('toString')).toBeUndefined();
    expect([tenantTakeoverPermissions('application').length, tenantTakeoverPermissions('delegated').length]).toEqual([28, 27]);
  });

  it("keeps only facts (ID and path type), and every ID/name pair is the catalogue's", () => {
    const catalogue = graphCatalogue as unknown as Record<'application' | 'delegated', Record<string, { id: string }>>;
    for (const type of ['application', 'delegated'] as const) {
      const entries = Object.entries((tiers as unknown as Record<typeof type, Record<string, { id: string; pathType: string }>>)[type]);
      expect(entries.length).toBeGreaterThan(20);
      for (const [name, e] of entries) {
        expect(Object.keys(e).sort()).toEqual(['id', 'pathType']);
        expect(['Direct', 'Indirect']).toContain(e.pathType);
        expect([type, name, e.id]).toEqual([type, name, catalogue[type][name]?.id]);
      }
    }
  });

  it('says nowhere that it comes from a GPL-licensed source', () => {
    const files = [
      'lib/permissions/data/graph-permission-tiers.generated.json',
      'lib/permissions/tiers.ts',
      'scripts/generate-permission-tiers.mjs',
      'docs/review.md',
      'docs/design.md',
      'README.md',
    ];
    expect(files.filter((f) => /GPL/.test(readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });
});

describe('with a config', () => {
  function withExample() {
    const dir = workdir();
    require('node:fs').mkdirSync(join(dir, 'config'));
    require('node:fs').writeFileSync(join(dir, 'config/example.yaml'), readFileSync(join(ROOT, 'config/example.yaml')));
    return dir;
  }

  it('names the permission a real plan drops (SMTP.Send) from the application and the consent', () => {
    const r = runReviewInProcess(withExample(), ['-c', 'config/example.yaml', '--plan', join(PLANS, 'smtp-send-dropped.json'), '--fail-on', 'never']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('**Requested permissions:** removes Microsoft Graph SMTP.Send (delegated)');
    expect(r.stdout).toContain('**Delegated permissions:** removes `SMTP.Send`');
    expect(r.stdout).not.toMatch(/changes `required_resource_access`|changes `claim_values`/);
  });

  it('keeps the config review when ITSM_MAIL_CONFIG names the file, and words resources the config does not declare', () => {
    const r = runReviewInProcess(withExample(), ['--plan', plan('hr-sync-daemon/1-initial/hr-sync-daemon.create.json'), '--fail-on', 'never'], {
      ITSM_MAIL_CONFIG: 'config/example.yaml',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^<!-- entra-itsm-mail:review:prod -->\n## Entra ID review: `prod`/);
    expect(r.stdout).toContain(
      '| create | `azuread_application.hr_sync` | application "hr-sync-daemon" (not declared in environment prod); **Name:** "hr-sync-daemon"; **Who can sign in:** single tenant (accounts in this directory only) (`AzureADMyOrg`); **Owners:** the identity that runs Terraform; **Requested permissions:** Microsoft Graph Group.Read.All (application), Microsoft Graph User.ReadWrite.All (application)',
    );
    expect(r.stdout).toContain('**Dangerous: Grants Microsoft Graph User.ReadWrite.All**');
  });

  it('shows drift in the config review in the same words', () => {
    const r = runReviewInProcess(withExample(), [
      '-c',
      'config/example.yaml',
      '--plan',
      plan('ca-baseline/2-widen-exclusions/ca-portal-drift.refresh-only.json'),
    ]);
    expect(r.stdout).toContain('#### Changed outside Terraform');
    expect(r.stdout).toContain(
      '- conditional access policy "CA003: Block sign-ins from embargoed countries" (`azuread_conditional_access_policy.ca003_block_embargoed`)\n  - **State:** enforced (`enabled`) → off (`disabled`)',
    );
  });
});

describe('the corpus copy', () => {
  it('holds no string shaped like an Entra ID client secret', () => {
    for (const f of corpus) expect(readFileSync(f, 'utf8')).not.toMatch(/[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34}/);
  });
});
