// The review's pure parts: words for permissions, policies and deploy-time values, and the whole
// markdown of an environment built from constructs.
import { Testing } from 'cdktf';
import { ItsmMailApplication } from '../lib/application/itsm-mail-application';
import { ConditionalAccessPolicy } from '../lib/conditional-access/conditional-access-policy';
import { Guardrails } from '../lib/guardrails/guardrails';
import type { StackInspection } from '../lib/inspection/inspection';
import { ItsmMailStack } from '../lib/stack/itsm-mail-stack';
import { BUILT_IN_AUTHENTICATION_STRENGTHS } from '../lib/model/conditional-access-values';
import { collectReviews } from '../lib/review/collect';
import { permissionLines, policySentence, renderReview } from '../lib/review/render';
import { known, md, placeholders } from '../lib/review/words';
import { BREAK_GLASS, inspectedPermission, inspectedPolicy, type FlatPolicy } from '../test-support/inspected';

/** The stack the sentence reads group names from: it declares the pilot group. */
const STACK = {
  groups: [
    {
      kind: 'group',
      address: 'azuread_group.mfa-group',
      path: 'prod/mfa-group/Default',
      owner: 'prod/mfa-group',
      meta: { ignoreChanges: [], replaceTriggeredBy: [], dependsOn: [] },
      displayName: 'MFA-Test-Group',
      members: [],
      owners: [],
    },
  ],
  namedLocations: [],
} as unknown as StackInspection;

const policy = (o: Partial<FlatPolicy> = {}) =>
  inspectedPolicy({ state: 'enabledForReportingButNotEnforced', excludedUsers: [BREAK_GLASS, '2b9c3d4e-5f60-4a1b-8c2d-3e4f5a6b7c8d'], ...o });

describe('policy in a sentence', () => {
  it('reads as the issue words it', () => {
    expect(policySentence(STACK, policy())).toBe(
      'Require MFA for members of MFA-Test-Group signing in to Windows Azure Service Management API from any client app; excludes 2 emergency-access accounts; report-only',
    );
  });

  it.each([
    [{ excludedUsers: ['00000000-0000-0000-0000-00000000b001'] }, 'excludes 1 emergency-access account (a placeholder ID: replace before enforcing)'],
    [{ excludedUsers: [], excludedGroups: [BREAK_GLASS] }, `excludes members of group ${BREAK_GLASS}`],
    [{ excludedUsers: [] }, 'excludes no one'],
    [{ state: 'enabled' }, '; enforced'],
    [{ state: 'disabled' }, '; off'],
    [{ includedUsers: ['All'], includedGroups: [] }, 'for all users signing in'],
    [
      { includedRoles: ['62e90394-69f5-4237-9190-012177145e10'] },
      'for members of MFA-Test-Group and holders of the directory role Global Administrator signing in',
    ],
    [{ includedApplications: ['All'], excludedApplications: ['Office365'] }, 'signing in to all resources except Office 365'],
    [{ clientAppTypes: ['browser', 'mobileAppsAndDesktopClients'] }, 'from browsers and mobile apps and desktop clients'],
    [{ builtInControls: ['mfa', 'compliantDevice'], operator: 'OR' }, 'Require MFA or a device marked as compliant for'],
    [{ builtInControls: ['mfa', 'compliantDevice'], operator: 'AND' }, 'Require MFA and a device marked as compliant for'],
    [
      { builtInControls: [], authenticationStrengthPolicyId: BUILT_IN_AUTHENTICATION_STRENGTHS.phishingResistantMfa.policyId },
      'Require the authentication strength Phishing-resistant MFA for',
    ],
    [{ builtInControls: ['block'] }, 'Block access for'],
    [{ signInFrequency: 12, signInFrequencyPeriod: 'hours' }, 'from any client app; sign in again every 12 hours; excludes'],
    [{ includedApplications: ['11112222-3333-4444-5555-666677778888'] }, 'signing in to application 11112222-3333-4444-5555-666677778888'],
  ] as [Partial<FlatPolicy>, string][])('words %j', (o, expected) => {
    expect(policySentence(STACK, policy(o))).toContain(expected);
  });
});

describe('a permission in words', () => {
  const imap = inspectedPermission('IMAP.AccessAsUser.All', 'delegated', {
    id: '652390e4-393a-48de-9484-05f9b1212954',
    catalogueId: '652390e4-393a-48de-9484-05f9b1212954',
    idVerified: true,
    idSource: 'catalogue',
  });

  it('names API, permission, type, admin consent, what it allows and the consent; then its ID and where it comes from', () => {
    expect(permissionLines({ p: imap, requested: true, consented: true })).toEqual([
      '- Microsoft Graph · `IMAP.AccessAsUser.All` · delegated · admin consent not required · Read and write access to mailboxes via IMAP. · consent granted',
      '  Allows the app to have the same access to mailboxes as the signed-in user via IMAP protocol. ID `652390e4-393a-48de-9484-05f9b1212954`, written from the catalogue; ' +
        "the catalogue's ID `652390e4-393a-48de-9484-05f9b1212954` (confirmed by a public source); resource app `00000003-0000-0000-c000-000000000000`; named by the construct that requested it.",
    ]);
  });

  it('flags high privilege, the justification, and a missing consent', () => {
    const lines = permissionLines({
      p: { ...imap, type: 'application', name: 'Mail.Read', justification: 'Reads the helpdesk mailbox.' },
      requested: true,
      consented: false,
    });
    expect(lines[0]).toMatch(/· application · .* · consent \*\*not\*\* granted$/);
    expect(lines).toContain('  **High privilege:** the application, without a signed-in user, reaches every mailbox of the tenant.');
    expect(lines).toContain('  Justification: Reads the helpdesk mailbox.');
  });

  it('says an Exchange Online role ID is read from the tenant, and whether the catalogue ID is confirmed', () => {
    const smtp = inspectedPermission('SMTP.SendAsApp', 'application', {
      resourceAppId: '00000002-0000-0ff1-ce00-000000000000',
      api: 'ExchangeOnline',
      id: { deferred: true, expression: '${lookup(data.azuread_service_principal.x.app_role_ids, "SMTP.SendAsApp")}' },
      catalogueId: '7146a1f0-8703-45b3-9eae-527a64c00995',
      idVerified: false,
      idSource: 'tenant',
    });
    const [, detail] = permissionLines({ p: smtp, requested: true, consented: true });
    expect(detail).toContain("read at plan time from the tenant's service principal of the API");
    expect(detail).toContain("the catalogue's ID `7146a1f0-8703-45b3-9eae-527a64c00995` (**not confirmed** by any public source)");
  });
});

describe('deploy-time values', () => {
  it.each([
    ['api://${azuread_application.x.client_id}', 'api://<client ID>'],
    ['${data.azuread_client_config.c.object_id}', '<the identity that runs Terraform>'],
    ['${azuread_group.g.object_id}', '<object ID>'],
    ['${timeadd(time_rotating.r.rotation_rfc3339, "-2160h")}', '<value>'],
  ])('word %s as %s', (value, expected) => {
    expect(placeholders(value)).toBe(expected);
  });

  it('are marked known after apply; literals are not', () => {
    expect(known('api://${azuread_application.x.client_id}')).toBe('`api://<client ID>` *(known after apply)*');
    expect(known('https://itsm.example.com/cb')).toBe('`https://itsm.example.com/cb`');
  });

  it('escape markdown in names, but not underscores inside words', () => {
    expect(md('a | b *c* [d] offline_access _x_')).toBe('a \\| b \\*c\\* \\[d\\] offline_access \\_x\\_');
  });
});

describe('review of an environment built from constructs', () => {
  function build(extra?: (stack: ItsmMailStack) => void): string {
    const app = Testing.app();
    const stack = new ItsmMailStack(app, 'prod');
    const mail = new ItsmMailApplication(stack, 'itsm-mail', {
      displayName: 'Pandora ITSM mail',
      redirectUris: ['https://itsm.example.com/pandoraitsm/setup/setup_mail'],
      mail: { flow: 'delegated', protocols: ['imap', 'smtp'], mailboxes: ['helpdesk@example.com'] },
    });
    Guardrails.suppress(mail.clientSecret, 'ITSM-SEC-003', 'Pandora ITSM only supports client secrets for OAuth mail.');
    new ConditionalAccessPolicy(stack, 'mfa-policy', {
      excludeUsers: [BREAK_GLASS],
      includeApplications: ['MicrosoftAzureManagement'],
      signInFrequency: { value: 12, unit: 'hours' },
    });
    extra?.(stack);
    return collectReviews(app)
      .map((r) => renderReview(r, { configFile: 'c.yaml' }))
      .join('\n');
  }

  it('shows the application, credential, permissions, scope, policy and findings without tokens or secrets', () => {
    const text = build();
    expect(text).toContain('## Entra ID review: `prod`');
    expect(text).toContain('- **Sign-in audience:** single tenant (accounts in this directory only) (`AzureADMyOrg`)');
    expect(text).toContain('- **Owners:** the identity that runs Terraform');
    expect(text).toContain('each secret is valid 180 days and a new one is issued every 90 days');
    expect(text).toContain(
      '- Microsoft Graph · `SMTP.Send` · delegated · admin consent not required · Send emails from mailboxes using SMTP AUTH. · consent granted',
    );
    expect(text).toContain('- **Identifier URI:** `api://<client ID>` *(known after apply)*');
    expect(text).toContain('only admins can consent (`Admin`)');
    expect(text).toContain(
      'Require MFA for members of MFA-Test-Group signing in to Windows Azure Service Management API from any client app; sign in again every 12 hours; excludes 1 emergency-access account; report-only.',
    );
    expect(text).toContain('| Resources | Windows Azure Service Management API | `797f4846-ba00-4fd7-ba43-dac1f8f63013` |');
    expect(text).toContain('**Guardrails:** 0 errors, 1 warning, 1 note, 1 suppressed.');
    expect(text).toContain(
      '| ITSM-SEC-003 The application authenticates with a client secret (warning) | `itsm-mail/client-secret` | rotating client secret (two slots) | Pandora ITSM only supports client secrets for OAuth mail. (code) |',
    );
    expect(text).not.toMatch(/TfToken|\$\{|undefined|\[object Object\]/);
  });

  it('is the same bytes every time', () => {
    expect(build()).toBe(build());
  });

  it('is a tripwire snapshot of the whole layout', () => {
    expect(build()).toMatchSnapshot();
  });
});
