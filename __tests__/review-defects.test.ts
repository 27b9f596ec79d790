// The four ways the guardrails and the review once described a copy of the config instead of what
// the stack declares (issue "One model per concept"), each through the command lines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReviewInProcess, runSynthInProcess, workdir } from '../test-support/cli';

const BREAK_GLASS = '6f1c2f0e-4a8e-4a47-9a51-2b1f3c6d7e80';

function config(application: string[], extra: string[] = []): string {
  return ['environments:', '  prod:', '    application:', ...application.map((l) => `      ${l}`), ...extra.map((l) => `    ${l}`)].join('\n') + '\n';
}

function review(text: string): string {
  const dir = workdir({ 'c.yaml': text });
  const r = runReviewInProcess(dir, ['--config', 'c.yaml']);
  expect(r.stderr).toContain('wrote review/prod.md');
  expect(r.status).toBe(0);
  return readFileSync(join(dir, 'review', 'prod.md'), 'utf8');
}

const EWS = [
  'displayName: ITSM mail',
  'mail: { flow: app-only, mailboxes: [helpdesk@example.com] }',
  'permissions:',
  '  - { api: ExchangeOnline, type: application, name: full_access_as_app }',
];

describe('full_access_as_app (an Exchange Online role without a dot, looked up at plan time)', () => {
  it('is a high-privilege permission without a justification: synthesis fails on ITSM-PERM-001', () => {
    const dir = workdir({ 'c.yaml': config(EWS) });
    const r = runSynthInProcess(dir, ['--config', 'c.yaml']);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(
      'ITSM-PERM-001 error: Office 365 Exchange Online application permission full_access_as_app: the application, without a signed-in user, has full access to every mailbox through EWS',
    );
  });

  it('is reviewed once, by name, requested and consented, with where its ID comes from', () => {
    const text = review(
      config([
        ...EWS.slice(0, -1),
        '  - { api: ExchangeOnline, type: application, name: full_access_as_app, justification: The ITSM tool reads shared mailboxes over EWS. }',
      ]),
    );
    const lines = text.split('\n').filter((l) => l.includes('full_access_as_app'));
    // Once in the permission list; the admin consent section names the assignment that grants it.
    expect(lines.filter((l) => l.includes(' · '))).toEqual([
      '- Office 365 Exchange Online · `full_access_as_app` · application · admin consent required · Use Exchange Web Services with full access to all mailboxes. · consent granted',
    ]);
    expect(lines.filter((l) => l.startsWith('- `azuread_app_role_assignment.'))).toEqual([
      expect.stringMatching(/: Office 365 Exchange Online application permission `full_access_as_app`$/),
    ]);
    expect(text).not.toContain('(unknown)');
    expect(text).not.toContain('consented but not requested');
    expect(text).toContain(
      "read at plan time from the tenant's service principal of the API; the catalogue's ID `dc890d15-9560-4a4c-9b7f-a736ec74ec40` (confirmed by a public source)",
    );
  });
});

describe('policy conditions', () => {
  it('are all in the sentence and the table: platforms and sign-in risk', () => {
    const text = review(
      [
        'environments:',
        '  prod:',
        '    mfaPolicy:',
        '      includePlatforms: [android, iOS]',
        '      signInRiskLevels: [high]',
        '      userRiskLevels: [medium]',
        '      excludePlatforms: [linux]',
      ].join('\n') + '\n',
    );
    expect(text).toContain(
      'Require MFA for members of MFA-Test-Group signing in to Windows Azure Service Management API from any client app on android and iOS (not linux) devices, at sign-in risk high, at user risk medium; excludes no one; report-only.',
    );
    expect(text).toContain('| Device platforms | android and iOS except linux | `android`, `iOS`, not `linux` |');
    expect(text).toContain('| Sign-in risk | only at sign-in risk high (Entra ID P2) | `high` |');
  });
});

describe('app-only mailbox access', () => {
  it.each([
    [
      'rbac',
      ['imap', 'pop', 'smtp'],
      'IMAP by mailbox permission (`Add-MailboxPermission -AccessRights FullAccess`), POP by mailbox permission (`Add-MailboxPermission -AccessRights FullAccess`) and SMTP by the RBAC for Applications role "Application SMTP.SendAsApp" scoped to the mailboxes',
    ],
    [
      'fullAccess',
      ['imap', 'smtp'],
      'IMAP by mailbox permission (`Add-MailboxPermission -AccessRights FullAccess`) and SMTP by mailbox permission (`Add-MailboxPermission -AccessRights FullAccess`)',
    ],
  ])('with %s is reviewed as the runbook grants it, protocol by protocol', (access, protocols, words) => {
    const text = review(
      config([
        'displayName: ITSM mail',
        `mail: { flow: app-only, protocols: [${protocols.join(', ')}], mailboxes: [helpdesk@example.com], mailboxAccess: ${access} }`,
      ]),
    );
    expect(text).toContain(`- **Exchange Online access (runbook, \`mailboxAccess: ${access}\`):** ${words}`);
    // The runbook in the same review says the same.
    expect(text).toContain("Add-MailboxPermission -Identity 'helpdesk@example.com' -User ");
    if (access === 'rbac') expect(text).toContain('New-ManagementRoleAssignment -App ');
    else expect(text).not.toContain('New-ManagementRoleAssignment');
    expect(text).not.toContain('Exchange Online access by RBAC for Applications');
  });
});

describe('SMTP.SendAsApp (a role ID no public source confirms)', () => {
  it('is reviewed as read from the tenant at plan time, its catalogue ID marked unconfirmed, never as a fact', () => {
    const text = review(
      config(['displayName: ITSM mail', 'mail: { flow: app-only, protocols: [smtp], mailboxes: [helpdesk@example.com], mailboxAccess: fullAccess }']),
    );
    const line = text.split('\n').find((l) => l.includes('7146a1f0-8703-45b3-9eae-527a64c00995'))!;
    expect(line).toContain("ID `<value>` *(known after apply)*, read at plan time from the tenant's service principal of the API");
    expect(line).toContain("the catalogue's ID `7146a1f0-8703-45b3-9eae-527a64c00995` (**not confirmed** by any public source)");
    expect(text).not.toMatch(/ID `7146a1f0-8703-45b3-9eae-527a64c00995`,/);
  });
});

describe('a policy enforced with a break-glass exclusion', () => {
  it('is reviewed with its exclusion', () => {
    const text = review(['environments:', '  prod:', '    mfaPolicy:', '      state: on', `      excludeUsers: [${BREAK_GLASS}]`].join('\n') + '\n');
    expect(text).toContain('excludes 1 emergency-access account; enforced.');
  });
});
