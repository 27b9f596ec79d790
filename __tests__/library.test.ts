import { App, Testing } from 'cdktf';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The README's "Library use" example, through the public index only.
import {
  addApplicationOutputs,
  addMfaPolicyOutputs,
  buildStacksFromConfig,
  CONDITIONAL_ACCESS_PRESETS,
  ConditionalAccessPolicy,
  parseConfigText,
  ItsmMailApplication,
  ItsmMailStack,
  NamedLocation,
  PRESET_NAMES,
  TenantStack,
} from '../lib';

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

describe("a tenant's conditional access without the config file", () => {
  it('TenantStack, NamedLocation and the presets come from the public index', () => {
    const app = Testing.app();
    const tenant = new TenantStack(app, 'tenant-contoso', {
      namedLocations: { office: { displayName: 'Office', ipRanges: ['203.0.113.0/24'] } },
      conditionalAccessPolicies: { 'block-legacy': { preset: 'blockLegacyAuthentication' } },
    });
    expect(tenant.namedLocations.office).toBeInstanceOf(NamedLocation);
    expect(PRESET_NAMES).toContain('blockLegacyAuthentication');
    expect(Object.keys(CONDITIONAL_ACCESS_PRESETS)).toEqual(PRESET_NAMES);
    const json = JSON.parse(Testing.synth(tenant));
    expect(Object.keys(json.resource.azuread_named_location)).toEqual(['location-office']);
    expect(Object.keys(json.resource.azuread_conditional_access_policy)).toEqual(['policy-block-legacy']);
  });
});

describe("an environment's policy and its outputs without the config file", () => {
  it('addMfaPolicyOutputs writes the outputs the config-built stack has, by the same names', () => {
    const stack = new ItsmMailStack(Testing.app(), 'prod');
    addMfaPolicyOutputs(stack, new ConditionalAccessPolicy(stack, 'mfa-policy', { displayName: 'MFA Pilot' }));
    const json = JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: string; description: string }> };
    const configBuilt = buildStacksFromConfig(Testing.app(), parseConfigText('environments:\n  prod:\n    mfaPolicy: {}\n', 'c.yaml'))[0];
    const expected = JSON.parse(Testing.synth(configBuilt)) as typeof json;
    expect(Object.keys(json.output).sort()).toEqual(['mfa_group_object_id', 'mfa_policy_id', 'mfa_policy_state']);
    expect(Object.fromEntries(Object.entries(json.output).map(([k, o]) => [k, o.description]))).toEqual(
      Object.fromEntries(Object.entries(expected.output).map(([k, o]) => [k, o.description])),
    );
  });
});
