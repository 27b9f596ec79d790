// `npm run review --plan` given plans as Terraform really writes them, and plans a hostile or
// mistaken user hands it: each through the command line, as a pipeline meets it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runReviewInProcess, workdir } from '../test-support/cli';

const PLANS = join(__dirname, 'fixtures', 'plans');
const fixture = (name: string) => JSON.parse(readFileSync(join(PLANS, `${name}.json`), 'utf8'));
type Change = { type: string; address: string; action_reason?: string; change: Record<string, any> };

/** Terraform's `*_sensitive` tree of a value (jsonplan SensitiveAsBool): lists keep one entry per element, objects omit `false`. */
function sensitiveAsBool(v: unknown, sensitiveKeys: readonly string[] = []): unknown {
  const walk = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(walk)
      : x !== null && typeof x === 'object'
        ? Object.fromEntries(
            Object.entries(x)
              .map(([k, y]) => [k, walk(y)])
              .filter(([, s]) => s !== false),
          )
        : false;
  if (v === null || v === undefined) return false;
  const tree = walk(v) as Record<string, unknown>;
  for (const k of sensitiveKeys) tree[k] = true;
  return tree;
}

/** Rewrites every change's sensitive trees as Terraform writes them. */
function asTerraformWritesIt(plan: { resource_changes: Change[] }) {
  for (const rc of plan.resource_changes) {
    const keys = rc.type.endsWith('_password') ? ['value'] : [];
    rc.change.before_sensitive = sensitiveAsBool(rc.change.before, keys);
    rc.change.after_sensitive = sensitiveAsBool(rc.change.after, keys);
  }
  return plan;
}

function reviewOf(plan: unknown) {
  const dir = workdir({ 'plan.json': typeof plan === 'string' ? plan : JSON.stringify(plan) });
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config/example.yaml'), readFileSync(join(ROOT, 'config/example.yaml')));
  const r = runReviewInProcess(dir, ['-c', 'config/example.yaml', '--plan', 'plan.json']);
  const file = join(dir, 'review', 'prod.md');
  return { ...r, dir, md: existsSync(file) ? readFileSync(file, 'utf8') : '' };
}

const byType = (plan: { resource_changes: Change[] }, type: string) => plan.resource_changes.find((r) => r.type === type)!;

describe('sensitive markers as Terraform writes them', () => {
  it('still sees the exposed scope dropped from the application (non-sensitive nested blocks are lists of {} and false)', () => {
    const r = reviewOf(asTerraformWritesIt(fixture('scope-removed')));
    expect(r.status).toBe(5); // a dangerous change: the gate (--fail-on dangerous, the default) is reached
    expect(r.md).toContain('- **Dangerous: Removes the exposed scope "access_as_user"**');
  });

  it('treats a value holding a sensitive leaf as sensitive', () => {
    const plan = asTerraformWritesIt(fixture('scope-removed'));
    const app = byType(plan, 'azuread_application');
    app.change.before.api[0].oauth2_permission_scope[0].value = 'HIDDEN-SCOPE';
    app.change.before_sensitive.api[0].oauth2_permission_scope[0] = { value: true };
    const r = reviewOf(plan);
    expect(r.status).toBe(0);
    expect(r.stdout + r.md).not.toContain('HIDDEN-SCOPE');
  });
});

describe('dangerous policy changes', () => {
  it('calls out an enforced policy losing its break-glass exclusion', () => {
    const plan = fixture('rotation');
    const policy = byType(plan, 'azuread_conditional_access_policy');
    policy.change.actions = ['update'];
    policy.change.before.state = 'enabled';
    policy.change.before.conditions[0].users[0].excluded_users = ['6f1c2f0e-4a8e-4a47-9a51-2b1f3c6d7e80'];
    policy.change.after = JSON.parse(JSON.stringify(policy.change.before));
    policy.change.after.conditions[0].users[0].excluded_users = [];
    const r = reviewOf(plan);
    expect(r.status).toBe(5); // dangerous: the default gate is reached
    expect(r.md).toMatch(
      /- \*\*Dangerous: Removes the exclusion of 6f1c2f0e-4a8e-4a47-9a51-2b1f3c6d7e80 from the policy "MFA Pilot"\*\* `azuread_conditional_access_policy\.mfa-policy`: /,
    );
  });
});

describe('values the plan does not mark sensitive', () => {
  const SECRET = ['Fak', '8Q~', 'NOTaREALsecretFAKEfakeFAKEfake000'].join('');
  const HOSTILE = `<img src=https://evil.example/t.png> | [click](https://evil.example) \u001b[31m ${SECRET}\n\n# Approved`;

  function hostile() {
    const plan = fixture('update');
    for (const rc of plan.resource_changes as Change[]) {
      if (rc.type === 'azuread_application_password') rc.change.before.end_date = HOSTILE;
    }
    const policy = byType(plan, 'azuread_conditional_access_policy');
    policy.change.after.display_name = HOSTILE;
    policy.change.after.state = HOSTILE;
    const group = byType(plan, 'azuread_group');
    group.change.importing = { id: HOSTILE };
    const uri = byType(plan, 'azuread_application_identifier_uri');
    uri.change.actions = ['delete', 'create'];
    uri.action_reason = HOSTILE;
    const sp = byType(plan, 'azuread_service_principal');
    sp.change.actions = ['create', HOSTILE];
    return plan;
  }

  it('never echo a credential-shaped string, a control character or a raw line break', () => {
    const r = reviewOf(hostile());
    expect(r.status).toBe(5); // the hostile plan replaces things: the default gate is reached
    for (const text of [r.stdout, r.stderr, r.md]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('\u001b');
      expect(text).not.toContain('\n# Approved');
    }
  });

  it('are escaped in text and tables: no HTML, no link, no extra table cell', () => {
    const r = reviewOf(hostile());
    // Outside code spans (which GitHub shows as they are), no tag or link is left unescaped.
    const prose = r.md.replace(/`[^`\n]*`/g, '');
    expect(prose).not.toMatch(/(?<!\\)<img/);
    expect(prose).not.toMatch(/(?<!\\)\[click/);
    const header = r.md.split('\n').findIndex((l) => l === '| Change | Resource | What it is |');
    const rows = r.md.split('\n').slice(header + 2);
    const table = rows.slice(0, rows.indexOf(''));
    expect(table.length).toBeGreaterThan(0);
    // Every row has its three cells, however the values read.
    for (const row of table) expect(row.replace(/\\\|/g, '').split('|').length).toBe(5);
  });
});

describe('plan files that are not the JSON of a plan', () => {
  it('refuses a pipe at once instead of waiting for a writer', () => {
    const dir = workdir();
    execFileSync('mkfifo', [join(dir, 'plan.json')]);
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config/example.yaml'), readFileSync(join(ROOT, 'config/example.yaml')));
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'review.js'), '--plan', 'plan.json'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 15_000,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^plan\.json: error: \(file\): is not a regular file \(a pipe, socket or device\)/);
    expect(existsSync(join(dir, 'review'))).toBe(false);
  });

  it('recognises the binary plan file and says how to get its JSON', () => {
    const r = reviewOf(Buffer.from('PK\u0003\u0004\u0014\u0000\u0008\u0000tfplan\u0000tfstate\u0000').toString('latin1'));
    expect(r.status).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe(
      'plan.json: error: (file): is not valid JSON: this is the binary plan file written by terraform plan -out; review its JSON: terraform show -json tfplan > plan.json',
    );
    expect(existsSync(join(r.dir, 'review'))).toBe(false);
  });
});

describe('a review too long for a pull-request comment', () => {
  it("is written, and the command says it is over GitHub's 65,536 characters and what to do instead", () => {
    const plan = fixture('create');
    const base = plan.resource_changes[0];
    plan.resource_changes = [
      ...plan.resource_changes,
      ...Array.from({ length: 3000 }, (_, i) => ({ ...base, address: `azuread_group.extra_${i}`, type: 'azuread_group', name: `extra_${i}` })),
    ];
    const r = reviewOf(plan);
    expect(r.status).toBe(0);
    expect(r.md.length).toBeGreaterThan(65_536);
    expect(r.stderr).toMatch(/review\/prod\.md: \d+ characters, more than the 65536 a GitHub comment takes: post it as a file/);
  });
  it('says nothing of the kind for a review of ordinary length', () => {
    const r = reviewOf(fixture('create'));
    expect(r.md.length).toBeLessThan(65_536);
    expect(r.stderr).not.toContain('a GitHub comment takes');
  });
});

// Found by an independent hostile-plan hunt and by __tests__/fuzz-plan.test.ts; each case failed before its fix.
describe('plans of a hostile or broken shape (round 4)', () => {
  const HR = join(PLANS, 'corpus', 'hr-sync-daemon', '1-initial', 'hr-sync-daemon.create.json');
  const hr = () => JSON.parse(readFileSync(HR, 'utf8'));
  const SECRET = ['Fak', '8Q~', 'NOTaREALsecretFAKEfakeFAKEfake000'].join('');
  /** `review --plan` without a config, in every output format; the review file too. */
  function alone(plan: unknown) {
    const dir = workdir({ 'plan.json': typeof plan === 'string' ? plan : JSON.stringify(plan) });
    const runs = (['text', 'json', 'sarif', 'github'] as const).map((format) => runReviewInProcess(dir, ['--plan', 'plan.json', '--format', format]));
    const file = join(dir, 'review', 'plan.md');
    return {
      runs,
      status: runs[0].status,
      stderr: runs[0].stderr,
      md: existsSync(file) ? readFileSync(file, 'utf8') : '',
      all: runs.map((r) => r.stdout + r.stderr).join('\n'),
    };
  }
  const appOf = (plan: { resource_changes: Change[] }) => byType(plan, 'azuread_application');

  it('refuses a resource type that is not one (a line break, an escape sequence, a secret in it)', () => {
    const plan = hr();
    appOf(plan).type = `azuread_widget\n## Approved\n\u001b[31m\u202e${SECRET}`;
    const r = alone(plan);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^plan\.json: error: resource_changes\[\d+\]\.type: "azuread_widget\\n## Approved.*is not a resource type/m);
    expect(r.all).not.toContain(SECRET.slice(3, 15));
    expect(r.all).not.toMatch(/[\u001b\u202e]|^## Approved/m);
  });

  it.each([
    ['1', 1],
    ['"yes"', 'yes'],
    ['a list', ['notes']],
    ['"true"', 'true'],
  ])('fails closed on a sensitivity marker Terraform never writes (%s): the value is not shown', (_what, marker) => {
    const plan = hr();
    const app = appOf(plan);
    app.change.after.notes = 'PlainWords horse battery staple';
    app.change.after_sensitive = { notes: marker };
    const r = alone(plan);
    expect(r.status).not.toBe(1);
    expect(r.all + r.md).not.toContain('horse battery');
  });

  it('shows a sensitive element of a list as "(sensitive value)" and keeps the others', () => {
    const plan = hr();
    const app = appOf(plan);
    app.change.after.tags = ['HideMe-horse-battery', 'visible-tag'];
    app.change.after_sensitive = { ...(app.change.after_sensitive ?? {}), tags: [true, false] };
    const r = alone(plan);
    expect(r.runs.map((x) => x.status)).not.toContain(1);
    expect(r.md).not.toContain('HideMe');
    expect(r.md).toContain('(sensitive value)');
    expect(r.md).toContain('visible-tag');
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'reads %s in a value as a word like any other, never as a property of JavaScript objects',
    (word) => {
      const plan = JSON.parse(readFileSync(join(PLANS, 'corpus', 'ca-baseline', '1-initial', 'ca-baseline.create.json'), 'utf8'));
      const policy = byType(plan, 'azuread_conditional_access_policy');
      policy.change.after.state = word;
      policy.change.after.conditions[0].client_app_types = [word];
      policy.change.after.conditions[0].users[0].included_roles = [word];
      if (policy.change.after.grant_controls?.[0]) policy.change.after.grant_controls[0].built_in_controls = [word];
      const r = alone(plan);
      expect(r.runs.map((x) => x.status)).not.toContain(1);
      expect(r.all + r.md).not.toContain('[native code]');
      expect(r.md).toContain(word.replace(/_/g, '\\_'));
    },
  );

  it('refuses JSON nested deeper than any plan, as input (exit 3), not a crash', () => {
    const plan = hr();
    appOf(plan).change.after.notes = 'DEEP';
    const r = alone(JSON.stringify(plan).replace('"DEEP"', `${'['.repeat(5000)}"bottom"${']'.repeat(5000)}`));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^plan\.json: error: \(file\): nests deeper than 100 levels/m);
  });

  it('refuses a change whose before or after is not an object of attributes (the gate cannot be passed by "after": 5)', () => {
    const plan = hr();
    appOf(plan).change.after = 5;
    const r = alone(plan);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^plan\.json: error: resource_changes\[\d+\]\.change\.after: must be an object of attributes or null, got number 5/m);
  });

  it('refuses a resource listed twice', () => {
    const plan = hr();
    plan.resource_changes.push(structuredClone(appOf(plan)));
    const r = alone(plan);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/is listed twice; terraform show -json lists each resource once/);
  });

  it('stops the gate at an action it does not know, even among known ones', () => {
    const plan = fixture('destroy');
    for (const rc of plan.resource_changes as Change[]) rc.change.actions = ['delete', 'frobnicate'];
    const r = alone(plan);
    expect(r.status).toBe(5);
    expect(r.md).toContain('**Dangerous: Plans an action this review does not know**');
    expect(r.md).toContain('`frobnicate`');
  });

  it('says a password replaced when values known only after apply change, not the characters of a placeholder', () => {
    const r = alone(hr());
    const line = r.md.split('\n').find((l) => l.includes('Replaced when these change'));
    expect(line).toBeDefined();
    expect(line).toBe('  - **Replaced when these change:** *(known after apply)*');
  });

  it('replaces a link planted where the review is written, never writing through it (with a config and without)', () => {
    for (const withConfig of [true, false]) {
      const dir = workdir({ 'plan.json': JSON.stringify(withConfig ? fixture('create') : hr()), 'victim.txt': 'ORIGINAL\n' });
      mkdirSync(join(dir, 'review'));
      const target = join(dir, 'review', withConfig ? 'prod.md' : 'plan.md');
      symlinkSync('../victim.txt', target);
      if (withConfig) {
        mkdirSync(join(dir, 'config'));
        writeFileSync(join(dir, 'config/example.yaml'), readFileSync(join(ROOT, 'config/example.yaml')));
      }
      const r = runReviewInProcess(dir, [...(withConfig ? ['-c', 'config/example.yaml'] : []), '--plan', 'plan.json', '--fail-on', 'never']);
      expect({ withConfig, status: r.status }).toEqual({ withConfig, status: 0 });
      expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('ORIGINAL\n');
      expect(lstatSync(target).isSymbolicLink()).toBe(false);
      expect(readFileSync(target, 'utf8')).toMatch(/^<!-- entra-itsm-mail:review:/);
    }
  });

  it('names the review and its marker from the plan file name with nothing that can end the marker', () => {
    const name = 'x --> # Approved, safe to merge <!-- y.json';
    const dir = workdir({ [name]: JSON.stringify(hr()) });
    const r = runReviewInProcess(dir, ['--plan', name, '--fail-on', 'never']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('<!-- entra-itsm-mail:review:x-Approved-safe-to-merge-y -->');
    expect(existsSync(join(dir, 'review', 'x-Approved-safe-to-merge-y.md'))).toBe(true);
  });

  it('keeps a findings row to its cells when an address holds a pipe', () => {
    const plan = hr();
    for (const rc of plan.resource_changes as Change[]) if (rc.type === 'azuread_application_password') rc.address = `${rc.type}.x["a|b | injected cell | x"]`;
    const r = alone(plan);
    const rows = r.md.split('\n').filter((l) => l.startsWith('| warning |') || l.startsWith('| error |') || l.startsWith('| note |'));
    expect(rows.some((l) => l.includes('injected cell'))).toBe(true);
    for (const row of rows) expect(row.replace(/\\\|/g, '').split('|').length).toBe(7);
  });

  it('escapes control, invisible and bidirectional characters in the problems of JSON and SARIF output as on stderr', () => {
    const plan = hr();
    plan.format_version = '\u200bx\u202e';
    const r = alone(plan);
    for (const run of r.runs) {
      expect(run.status).toBe(3);
      expect(run.stdout + run.stderr).not.toMatch(/[\u200b\u202e]/);
    }
    expect(r.runs[1].stdout).toContain('\\\\u{200b}x\\\\u{202e}');
  });
});
