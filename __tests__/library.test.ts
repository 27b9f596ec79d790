import { App } from 'cdktf';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The README's "Library use" example, through the public index only.
import { addApplicationOutputs, ItsmMailApplication, ItsmMailStack } from '../lib';

describe('library use without the config file (README example)', () => {
  it('synthesizes an app-only application with an azurerm backend', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'itsm-lib-'));
    const app = new App({ outdir });
    const stack = new ItsmMailStack(app, 'prod', { backend: { type: 'azurerm', storageAccountName: 'tfstate01', containerName: 'tfstate' } });
    const mail = new ItsmMailApplication(stack, 'itsm-mail', {
      displayName: 'Pandora ITSM mail',
      mail: { flow: 'app-only', protocols: ['imap', 'smtp'], mailboxes: ['helpdesk@contoso.com'] },
    });
    addApplicationOutputs(stack, mail);
    app.synth();
    const json = JSON.parse(readFileSync(join(outdir, 'stacks/prod/cdk.tf.json'), 'utf8'));
    expect(json.terraform.backend.azurerm.use_azuread_auth).toBe(true);
    expect(Object.keys(json.resource.azuread_app_role_assignment)).toHaveLength(1);
    expect(json.output.exchange_online_runbook.value).toContain("Add-MailboxPermission -Identity 'helpdesk@contoso.com'");
  });
});
