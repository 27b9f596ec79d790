import { ItsmMailStack, type ItsmMailStackProps } from '../lib/stack/itsm-mail-stack';
import { Testing } from 'cdktf';
import { ItsmMailApplication } from '../lib/application/itsm-mail-application';
import { parseConfigText } from '../lib/config/load-config';
import type { ConfigError } from '../lib/config/problems';

function synth(props: ItsmMailStackProps, id = 'prod'): Record<string, any> {
  const app = Testing.app();
  const stack = new ItsmMailStack(app, id, props);
  new ItsmMailApplication(stack, 'itsm-mail', { displayName: 'x', redirectUris: ['https://itsm.example.com/mail/'], mail: { flow: 'delegated' } });
  return JSON.parse(Testing.synth(stack));
}

describe('ItsmMailStack', () => {
  describe('provider authentication', () => {
    it('leaves authentication to the ARM_* environment by default', () => {
      expect(synth({}).provider.azuread).toEqual([{}]);
    });

    it('pins the tenant when given', () => {
      expect(synth({ tenantId: '11111111-1111-1111-1111-111111111111' }).provider.azuread).toEqual([{ tenant_id: '11111111-1111-1111-1111-111111111111' }]);
    });

    it.each([
      ['azureCli', { use_cli: true, use_oidc: false, use_msi: false }],
      ['oidc', { use_oidc: true, use_cli: false, use_msi: false }],
      ['managedIdentity', { use_msi: true, use_cli: false, use_oidc: false }],
    ] as const)('forces %s and never writes a secret', (authentication, expected) => {
      const provider = synth({ provider: { authentication, clientId: '22222222-2222-2222-2222-222222222222' } }).provider.azuread[0];
      expect(provider).toEqual({ ...expected, client_id: '22222222-2222-2222-2222-222222222222' });
      expect(Object.keys(provider).some((k) => /secret|password|certificate/.test(k))).toBe(false);
    });
  });

  describe('state backend', () => {
    it('keeps local state at the project root with a relative path', () => {
      expect(synth({}).terraform.backend).toEqual({ local: { path: '../../../terraform.prod.tfstate' } });
      expect(synth({ backend: { type: 'local', path: 'state/p.tfstate' } }).terraform.backend).toEqual({ local: { path: '../../../state/p.tfstate' } });
    });

    it('uses Entra ID auth for azurerm, with no access keys', () => {
      const backend = synth({ backend: { type: 'azurerm', storageAccountName: 'tfstate01', containerName: 'tfstate', useOidc: true } }).terraform.backend;
      expect(backend).toEqual({
        azurerm: { storage_account_name: 'tfstate01', container_name: 'tfstate', key: 'prod.terraform.tfstate', use_azuread_auth: true, use_oidc: true },
      });
    });

    it('uses an HCP Terraform workspace for cloud', () => {
      const tf = synth({ backend: { type: 'cloud', organization: 'contoso', workspace: 'itsm-mail-prod' } }).terraform;
      expect(tf.cloud).toEqual({ organization: 'contoso', workspaces: { name: 'itsm-mail-prod' } });
      expect(tf.backend).toBeUndefined();
    });
  });

  it('pins the provider versions the project is built for', () => {
    expect(synth({}).terraform.required_providers).toEqual({
      azuread: { source: 'hashicorp/azuread', version: '3.7.0' },
      time: { source: 'hashicorp/time', version: '0.13.1' },
    });
  });
});

describe('config: provider and backend sections', () => {
  const base =
    'environments:\n  prod:\n    application:\n      displayName: x\n      redirectUris: [https://itsm.example.com/mail/]\n      mail: {flow: delegated}\n';
  const problems = (extra: string) => {
    try {
      parseConfigText(base + extra, 'c.yaml');
      return [];
    } catch (e) {
      return (e as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
    }
  };

  it('accepts each authentication method and backend', () => {
    expect(
      problems(
        '    provider: {authentication: oidc, clientId: 22222222-2222-2222-2222-222222222222}\n    backend: {type: cloud, organization: o, workspace: w}\n',
      ),
    ).toEqual([]);
  });

  it('fails on an absolute or escaping local state path', () => {
    expect(problems('    backend: {type: local, path: /var/state.tfstate}\n')).toEqual([
      'environments.prod.backend.path: must be a relative path inside the project, without ".." (e.g. state/prod.tfstate)',
    ]);
    expect(problems('    backend: {type: local, path: ../x.tfstate}\n')).toHaveLength(1);
  });

  it('fails on a storage account name Azure would refuse', () => {
    expect(problems('    backend: {type: azurerm, storageAccountName: TF_State, containerName: tfstate}\n')).toEqual([
      'environments.prod.backend.storageAccountName: must be a storage account name: 3-24 lower-case letters and digits',
    ]);
  });

  it('fails on an unknown authentication method with a suggestion', () => {
    expect(problems('    provider: {authentication: azurecli}\n')).toEqual([
      'environments.prod.provider.authentication: "azurecli" is not allowed; allowed: "environment", "azureCli", "oidc", "managedIdentity" (did you mean "azureCli"?)',
    ]);
  });
});
