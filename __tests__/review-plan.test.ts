// Reading `terraform show -json tfplan` (HashiCorp's documented JSON output format) against an
// environment: actions in words, dangerous changes called out, sensitive values never copied.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { loadConfigFile } from '../lib/config/load-config';
import { collectReviews } from '../lib/review/collect';
import { classifyActions, isSensitive, parsePlan, parsePlanText, PlanError, readPlanFile } from '../lib/review/plan';
import { reviewPlan } from '../lib/review/plan-review';
import { renderReview } from '../lib/review/render';
import type { EnvironmentReview } from '../lib/review/review-model';

const FIXTURES = join(__dirname, 'fixtures', 'plans');
const fixture = (name: string) => join(FIXTURES, `${name}.json`);

let example: EnvironmentReview;
beforeAll(() => {
  const app = Testing.app();
  buildStacksFromConfig(app, loadConfigFile(join(__dirname, '..', 'config', 'example.yaml')));
  [example] = collectReviews(app);
});

const review = (name: string) => reviewPlan(readPlanFile(fixture(name)), example);
const rendered = (name: string) => renderReview(example, { plan: review(name), planFile: `${name}.json` });
const problemsOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof PlanError) return e.problems.map((p) => `${p.file}${p.line !== undefined ? `:${p.line}:${p.column}` : ''}: ${p.path}: ${p.message}`);
    throw e;
  }
  return [];
};

describe('actions', () => {
  it.each([
    [['create'], 'create'],
    [['update'], 'update'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['delete'], 'delete'],
    [['no-op'], 'no-op'],
    [['read'], 'read'],
    [['forget'], 'forget'],
    [['create', 'forget'], 'other'],
  ])('classifies %j as %s', (actions, action) => {
    expect(classifyActions(actions)).toBe(action);
  });
});

describe('plan fixtures against the example', () => {
  it('create: a first apply creates everything and needs no attention', () => {
    const r = review('create');
    expect(r.counts).toMatchObject({ create: 11, update: 0, replace: 0, delete: 0 });
    expect(r.attention).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.rows.find((x) => x.address === 'azuread_application.itsm-mail_application_DE9ACE3A')).toMatchObject({
      action: 'create',
      label: 'application "Pandora ITSM mail"',
      path: 'itsm-mail/application',
    });
    expect(rendered('create')).toContain('| create | `azuread_conditional_access_policy.mfa-policy` | conditional access policy "MFA Pilot" (`mfa-policy`) |');
  });

  it('update: names the attributes that change and calls out switching the policy to enforced', () => {
    const r = review('update');
    expect(r.counts).toMatchObject({ update: 2, 'no-op': 9 });
    expect(r.rows.map((x) => [x.address, x.details])).toEqual([
      ['azuread_application.itsm-mail_application_DE9ACE3A', ['changes `notes`']],
      // Said as a change: the old and new state, the exclusion added and the one removed.
      [
        'azuread_conditional_access_policy.mfa-policy',
        [
          '**State:** report-only (`enabledForReportingButNotEnforced`) → enforced (`enabled`)',
          '**Excluded:** adds `6f1c2f0e-4a8e-4a47-9a51-2b1f3c6d7e80` (not in this plan); removes `00000000-0000-0000-0000-00000000b001` (not in this plan)',
        ],
      ],
    ]);
    expect(r.attention).toEqual([
      expect.objectContaining({
        level: 'danger',
        address: 'azuread_conditional_access_policy.mfa-policy',
        title: 'Switches the policy "MFA Pilot" to enforced',
      }),
      expect.objectContaining({ level: 'note', address: 'azuread_conditional_access_policy.mfa-policy', title: 'Changes the exclusions of a policy' }),
    ]);
    expect(rendered('update')).toContain('**Plan:** 0 to create, 2 to update in place, 0 to replace, 0 to destroy. **1 dangerous change** (below).');
  });

  it('replace: calls out the new client ID, the new service principal and the secrets in use', () => {
    const r = review('replace');
    expect(r.counts).toMatchObject({ replace: 4 });
    expect(r.attention.map((a) => `${a.level} ${a.title}`)).toEqual([
      'danger Replaces the application',
      'danger Replaces a client secret in use',
      'danger Replaces a client secret in use',
      'danger Replaces the service principal',
    ]);
    expect(r.attention[0].text).toContain('new client ID');
    expect(r.rows.find((x) => x.address.startsWith('azuread_service_principal.'))?.details).toEqual([
      'replaced because of `client_id`',
      '**Application:** application "Pandora ITSM mail" → *(known after apply)*',
    ]);
    expect(r.rows.find((x) => x.address.startsWith('azuread_application.'))?.details).toEqual(['replaced on request (-replace)']);
    expect(rendered('replace')).toContain('| **replace (destroy, then create)** | `azuread_application.itsm-mail_application_DE9ACE3A` |');
  });

  it('rotation: a scheduled rotation of the older slot is a note, not a danger', () => {
    const r = review('rotation');
    expect(r.attention).toEqual([
      {
        level: 'note',
        address: 'azuread_application_password.itsm-mail_client-secret_slot-a_E499DB1A',
        title: 'Rotates an older client secret',
        text: 'another secret of the application stays valid until 2027-02-26T00:00:00Z. After apply, `terraform output -raw client_secret` is the new secret: paste it into the ITSM tool before then.',
      },
    ]);
    expect(rendered('rotation')).toContain('| **replace (create, then destroy)** |');
  });

  it('destroy: calls out the application, service principal, secrets, policy and its group', () => {
    const r = review('destroy');
    expect(r.counts).toMatchObject({ delete: 11 });
    expect(r.attention.map((a) => `${a.level} ${a.title}`)).toEqual([
      'danger Destroys the application',
      'danger Removes the identifier URI api://aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      'danger Destroys a client secret in use',
      'danger Destroys a client secret in use',
      'danger Removes the exposed scope "access_as_user"',
      'danger Removes the policy "MFA Pilot"',
      'danger Destroys a group',
      'danger Destroys the service principal',
    ]);
  });

  it('scope-removed: an update that drops the exposed scope from the application is dangerous', () => {
    // The second plan the azuread provider made before the application declared an api block:
    // api goes from one block holding access_as_user to none, so the provider would delete the scope.
    const r = review('scope-removed');
    expect(r.counts).toMatchObject({ update: 1 });
    expect(r.attention).toEqual([
      expect.objectContaining({
        level: 'danger',
        address: 'azuread_application.itsm-mail_application_DE9ACE3A',
        title: 'Removes the exposed scope "access_as_user"',
      }),
    ]);
    expect(rendered('scope-removed')).toContain('**1 dangerous change**');
  });

  it('destroy: removing the standalone scope and identifier URI resources is dangerous', () => {
    const titles = review('destroy').attention.map((a) => `${a.level} ${a.title}`);
    expect(titles).toEqual(
      expect.arrayContaining([
        'danger Removes the exposed scope "access_as_user"',
        'danger Removes the identifier URI api://aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      ]),
    );
  });

  it.each(['create', 'update', 'replace', 'rotation', 'destroy', 'scope-removed', 'import'])('%s: never prints a sensitive value', (name) => {
    const text = rendered(name);
    expect(readFileSync(fixture(name), 'utf8')).toMatch(/SECRET-VALUE|TOPSECRET|"value"/);
    expect(text).not.toMatch(/SECRET-VALUE|TOPSECRET/);
  });

  it('warns when the plan belongs to another environment', () => {
    const plan = parsePlan(
      {
        format_version: '1.2',
        resource_changes: [{ address: 'azuread_application.other', type: 'azuread_application', name: 'other', change: { actions: ['create'] } }],
      },
      'p.json',
    );
    expect(reviewPlan(plan, example).warnings).toEqual([
      'None of the changed resources is declared in environment prod: is this the plan of another environment?',
    ]);
  });

  it('does not word a sensitive display name or state', () => {
    const plan = parsePlan(
      {
        format_version: '1.2',
        resource_changes: [
          {
            address: 'azuread_conditional_access_policy.mfa-policy',
            type: 'azuread_conditional_access_policy',
            name: 'mfa-policy',
            change: { actions: ['delete'], before: { display_name: 'HIDDEN-NAME', state: 'enabled' }, after: null, before_sensitive: { display_name: true } },
          },
        ],
      },
      'p.json',
    );
    const [a] = reviewPlan(plan, example).attention;
    expect(a.title).toBe('Removes the policy');
    expect(isSensitive({ display_name: true }, 'display_name')).toBe(true);
    expect(isSensitive(true, 'anything')).toBe(true);
    expect(isSensitive({ web: [{ secret: true }] }, 'web')).toBe(true);
    expect(isSensitive({ web: [] }, 'web')).toBe(false);
  });
});

describe('bad plan input', () => {
  it('reports a missing file', () => {
    const file = join(FIXTURES, 'missing.json');
    expect(problemsOf(() => readPlanFile(file))).toEqual([`${file}: (file): file not found (check the path given to --plan)`]);
  });

  it('reports a directory', () => {
    expect(problemsOf(() => readPlanFile(FIXTURES))).toEqual([
      `${FIXTURES}: (file): is a directory; name the JSON file written by terraform show -json tfplan > plan.json`,
    ]);
  });

  it.each([
    ['', 'p.json: (file): is empty; write it with terraform show -json tfplan > plan.json'],
    ['{"format_version": "1.2",', 'p.json:1:26: (file): is not valid JSON'],
    ['Terraform will perform the following actions:', 'p.json: (file): is not valid JSON'],
    ['[]', 'p.json: (top level): must be a JSON object (the output of terraform show -json tfplan), got a list'],
    [
      '{"format_version": "1.2", "values": {}}',
      'p.json: (top level): is not a plan: it has neither resource_changes nor planned_values (this is the JSON of a state; run terraform show -json tfplan on a saved plan)',
    ],
    ['{"format_version": "2.0", "resource_changes": []}', 'p.json: format_version: "2.0" is not supported; this reads the documented format 1.x'],
    [
      '{"resource_changes": []}',
      'p.json: format_version: is required: a string such as "1.2", got nothing; is this the output of terraform show -json tfplan?',
    ],
    ['{"format_version": "1.2", "resource_changes": {}}', 'p.json: resource_changes: must be a list, got an object'],
  ])('reports %j', (text, expected) => {
    const [first] = problemsOf(() => parsePlanText(text, 'p.json'));
    expect(first.startsWith(expected)).toBe(true);
  });

  it('says where the JSON breaks, and recognises the human-readable plan', () => {
    expect(problemsOf(() => parsePlanText('{\n  "format_version": "1.2",\n  oops\n}', 'p.json'))[0]).toMatch(/^p\.json:3:\d+: \(file\): is not valid JSON$/);
    expect(problemsOf(() => parsePlanText('Terraform will perform the following actions:', 'p.json'))[0]).toMatch(
      /human-readable plan: use terraform show -json tfplan\)$/,
    );
  });

  it('reports every malformed change with its path', () => {
    const problems = problemsOf(() =>
      parsePlan(
        {
          format_version: '1.2',
          resource_changes: [
            { address: 'a.b', type: 'a', name: 'b', change: { actions: ['create'] } },
            { address: '', type: 'a', name: 'b', change: { actions: 'create' } },
            'x',
            { address: 'a.c', type: 'a', name: 'c', mode: 'weird' },
          ],
        },
        'p.json',
      ),
    );
    expect(problems).toEqual([
      'p.json: resource_changes[1].address: must be a non-empty string, got ""',
      'p.json: resource_changes[1].change.actions: must be a non-empty list of action names such as ["create"] or ["delete", "create"], got "create"',
      'p.json: resource_changes[2]: must be an object, got "x"',
      'p.json: resource_changes[3].mode: must be "managed" or "data", got "weird"',
      'p.json: resource_changes[3].change: must be an object with actions, got nothing',
    ]);
  });

  it('accepts a plan without changes (resource_changes omitted)', () => {
    expect(parsePlan({ format_version: '1.2', planned_values: {} }, 'p.json').changes).toEqual([]);
  });
});

describe('the client secret as the plan knows it', () => {
  it('shows the end dates the plan knows instead of "(known after apply)"', () => {
    const text = rendered('update');
    expect(text).toContain('Expiry (from the plan): 2027-02-26T00:00:00Z for the secret in use (slot b), 2026-11-28T00:00:00Z for slot a');
    expect(text).not.toMatch(/Client secret, rotating: .*Expiry: \*\(known after apply\)\*/);
  });

  it('says a changed lifetime applies at the next rotation, not now', () => {
    const config = loadConfigFile(join(__dirname, '..', 'config', 'example.yaml'));
    const prod = config.environments.prod;
    const changed = { environments: { prod: { ...prod, application: { ...prod.application!, clientSecret: { lifetimeDays: 90 } } } } };
    const app = Testing.app();
    buildStacksFromConfig(app, changed);
    const [env] = collectReviews(app);
    const plan = reviewPlan(readPlanFile(fixture('update')), env);
    expect(plan.attention).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'note',
          title: 'Secret lifetime 180 → 90 days at the next rotation',
          text: expect.stringContaining(
            'this plan changes no secret: the secrets in use keep their end dates (slot a 2026-11-28T00:00:00Z, slot b 2027-02-26T00:00:00Z), and the new lifetime applies from the next rotation (slot a is due 2026-11-28T00:00:00Z)',
          ),
        }),
      ]),
    );
    const text = renderReview(env, { plan, planFile: 'update.json' });
    expect(text).toContain(
      'the secrets in use were issued for 180 days; the configured lifetime of 90 days (a new one every 45 days) applies from the next rotation, due 2026-11-28T00:00:00Z',
    );
    expect(text).not.toContain('each secret is valid 90 days');
  });
});

describe('a plan that imports (adopting what the portal made)', () => {
  // import.json is written by hand in the documented format (HashiCorp's "JSON Output Format";
  // change.importing {id} since Terraform 1.5, present in addition to the actions): terraform
  // cannot plan here, since the azuread provider cannot be downloaded.
  it('counts the imports, lists an import that changes nothing, and names each import ID', () => {
    const r = review('import');
    expect(r.counts).toMatchObject({ import: 7, 'no-op': 5, update: 1, replace: 1, create: 4 });
    expect(r.rows.find((x) => x.address === 'azuread_application.itsm-mail_application_DE9ACE3A')).toMatchObject({
      action: 'no-op',
      importing: { id: '/applications/11111111-2222-4333-8444-555555555555' },
      label: 'application "Pandora ITSM mail"',
    });
    const text = rendered('import');
    expect(text).toContain('**Plan:** 7 to import, 4 to create, 1 to update in place, 1 to replace, 0 to destroy.');
    expect(text).toContain(
      '| import | `azuread_application.itsm-mail_application_DE9ACE3A` | application "Pandora ITSM mail" (`itsm-mail/application`); imports `/applications/11111111-2222-4333-8444-555555555555` |',
    );
    expect(text).toMatch(
      /\| \*\*import, then update in place\*\* \| `azuread_service_principal\.itsm-mail_service-principal_1635FAB6` \| .*imports `\/servicePrincipals\/22222222-2222-4333-8444-555555555555`; \*\*Owners:\*\* adds `0f0f0f0f-1e1e-4d2d-8c3c-4b4b4b4b4b4b` \(not in this plan\) \|/,
    );
  });

  it('calls an import that is then replaced dangerous, and an import that is then updated a note', () => {
    const r = review('import');
    expect(r.attention).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'danger',
          address: 'azuread_application_permission_scope.itsm-mail_exposed-api_scope_239C369D',
          title: 'Imports /applications/11111111-2222-4333-8444-555555555555/permissionScopes/33333333-2222-4333-8444-555555555555, then replaces it',
          text: expect.stringContaining('(because of `scope_id`)'),
        }),
        expect.objectContaining({
          level: 'note',
          address: 'azuread_service_principal.itsm-mail_service-principal_1635FAB6',
          title: expect.stringMatching(/^Imports \/servicePrincipals\/.* and changes it$/),
        }),
      ]),
    );
    // An import that changes nothing needs no attention.
    expect(r.attention.some((a) => a.address === 'azuread_application.itsm-mail_application_DE9ACE3A')).toBe(false);
  });

  it('refuses an importing that is not an object, with its path', () => {
    const plan = {
      format_version: '1.2',
      resource_changes: [{ address: 'azuread_group.g', type: 'azuread_group', name: 'g', change: { actions: ['no-op'], importing: '/groups/x' } }],
    };
    expect(problemsOf(() => parsePlan(plan, 'p.json'))).toEqual([
      'p.json: resource_changes[0].change.importing: must be an object such as {"id": "/applications/…"} (Terraform 1.5+), got "/groups/x"',
    ]);
  });

  it('accepts an importing without an id (its contents are documented as optional)', () => {
    const plan = parsePlan(
      {
        format_version: '1.2',
        resource_changes: [{ address: 'azuread_group.mfa-group', type: 'azuread_group', name: 'mfa-group', change: { actions: ['no-op'], importing: {} } }],
      },
      'p.json',
    );
    expect(plan.changes[0].importing).toEqual({});
    expect(renderReview(example, { plan: reviewPlan(plan, example) })).toContain(
      '| import | `azuread_group.mfa-group` | group "MFA-Test-Group" (`mfa-group`); imports an existing object |',
    );
  });
});
