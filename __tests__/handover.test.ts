import { smtpGrant, targetFromOutputs, type TerraformOutputs } from '../lib/verify/target-from-outputs';
import { resourcesOf, synthConfigText, type TfJson } from '../test-support/synth';

/*
 * The hand-over from "Terraform applied" to the ITSM tool and to npm run verify: the settings
 * output names the mailbox, the runbook covers every mailbox, and verify reads the outputs this
 * project really synthesizes.
 */

const config = (...lines: string[]) =>
  ['environments:', '  prod:', '    application:', '      displayName: ITSM mail', ...lines.map((l) => `      ${l}`), ''].join('\n');
const appOnly = (access: 'rbac' | 'fullAccess') =>
  config(`mail: { flow: app-only, protocols: [imap, smtp], mailboxes: [helpdesk@contoso.com, support@contoso.com], mailboxAccess: ${access} }`);
const delegated = config(
  'redirectUris: [https://itsm.contoso.com/pandoraitsm/godmode/godmode/setup/setup_mail]',
  'mail: { flow: delegated, mailboxes: [shared@contoso.com] }',
);

const settings = (json: TfJson) => json.output!.itsm_email_settings.value as Record<string, string>;
const runbook = (json: TfJson) => json.output!.exchange_online_runbook.value as string;

/** The outputs as `terraform output -json` would give them after apply: references replaced by values. */
function appliedOutputs(json: TfJson): TerraformOutputs {
  const resolve = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.replace(/\$\{[^}]*tenant_id[^}]*\}/g, '3f2504e0-4f89-41d3-9a0c-0305e82c3301').replace(/\$\{[^}]*\}/g, '3f2504e0-4f89-41d3-9a0c-0305e82c3302')
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]))
        : v;
  return Object.fromEntries(Object.entries(json.output!).map(([k, o]) => [k, { value: resolve(o.value), sensitive: o.sensitive ?? false }]));
}

describe('itsm_email_settings', () => {
  it('names the mailbox the tool logs in with, and how app-only access is granted', () => {
    expect(settings(synthConfigText(appOnly('rbac')))).toMatchObject({ mailbox: 'helpdesk@contoso.com', mailbox_access: 'rbac' });
    expect(settings(synthConfigText(delegated))).toMatchObject({ mailbox: 'shared@contoso.com', mailbox_access: '' });
    expect(settings(synthConfigText(config('mail: { flow: app-only }')))).toMatchObject({ mailbox: '' });
  });

  it('is what npm run verify reads: mailbox and SMTP grant from the synthesized outputs', () => {
    for (const [access, grant] of [
      ['rbac', 'exchange-rbac'],
      ['fullAccess', 'entra-app-role'],
    ] as const) {
      const outputs = appliedOutputs(synthConfigText(appOnly(access)));
      expect(targetFromOutputs(outputs, {})).toMatchObject({ flow: 'app-only', mailbox: 'helpdesk@contoso.com', protocols: ['imap', 'smtp'] });
      // Read from mailbox_access; the runbook is not needed for it.
      expect(smtpGrant(outputs.itsm_email_settings!.value as Record<string, unknown>, undefined)).toBe(grant);
    }
    expect(targetFromOutputs(appliedOutputs(synthConfigText(delegated)), {})).toMatchObject({ flow: 'delegated', mailbox: 'shared@contoso.com' });
  });
});

describe('the Exchange Online runbook', () => {
  it('checks the RBAC role for every mailbox with Test-ServicePrincipalAuthorization', () => {
    const text = runbook(synthConfigText(appOnly('rbac')));
    for (const m of ['helpdesk@contoso.com', 'support@contoso.com'])
      expect(text).toMatch(new RegExp(`^Test-ServicePrincipalAuthorization -Identity \\$\\{.*\\} -Resource '${m}'$`, 'm'));
  });

  it('tells the delegated flow how a shared mailbox is reached', () => {
    const text = runbook(synthConfigText(delegated));
    expect(text).toContain('the user who signs in on the Email setup page needs Full Access to it');
    expect(text).toContain("Add-MailboxPermission -Identity 'shared@contoso.com' -User <user@your-domain> -AccessRights FullAccess -AutoMapping $false");
  });
});

describe('Expose an API', () => {
  it('is not declared for the app-only flow unless asked for', () => {
    const json = synthConfigText(appOnly('rbac'));
    expect(resourcesOf(json, 'azuread_application_permission_scope')).toEqual([]);
    expect(resourcesOf(json, 'azuread_application_identifier_uri')).toEqual([]);
    expect(
      resourcesOf(synthConfigText(appOnly('rbac').replace('      mail:', '      exposeApi: true\n      mail:')), 'azuread_application_permission_scope'),
    ).toHaveLength(1);
  });
  it('is declared for the delegated flow', () => {
    expect(resourcesOf(synthConfigText(delegated), 'azuread_application_permission_scope')).toHaveLength(1);
  });
});
