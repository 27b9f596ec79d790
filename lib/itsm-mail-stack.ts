import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { Aspects, AzurermBackend, CloudBackend, LocalBackend, NamedCloudWorkspace, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { GuardrailsAspect } from './guardrails/aspect';

/** How the azuread provider authenticates. None of them takes a secret from the code. */
export type ProviderAuthentication = 'environment' | 'azureCli' | 'oidc' | 'managedIdentity';

/** Where Terraform keeps this environment's state. The state holds the client secret: protect it. */
export type StateBackend =
  | { readonly type: 'local'; readonly path?: string }
  | {
      readonly type: 'azurerm';
      readonly storageAccountName: string;
      readonly containerName: string;
      readonly key?: string;
      readonly resourceGroupName?: string;
      readonly subscriptionId?: string;
      readonly tenantId?: string;
      readonly useOidc?: boolean;
    }
  | { readonly type: 'cloud'; readonly organization: string; readonly workspace: string; readonly hostname?: string };

export interface ItsmMailStackProps {
  /**
   * Directory (tenant) ID the provider signs in to.
   * @default - the provider reads ARM_TENANT_ID
   */
  readonly tenantId?: string;
  /**
   * How the provider authenticates.
   * @default 'environment' (ARM_* variables, falling back to the Azure CLI)
   */
  readonly authentication?: ProviderAuthentication;
  /**
   * Client ID of the deploying identity (oidc or user-assigned managed identity).
   * @default - ARM_CLIENT_ID
   */
  readonly deployerClientId?: string;
  /**
   * State backend.
   * @default - local state in terraform.<stack name>.tfstate at the project root
   */
  readonly backend?: StateBackend;
}

/**
 * One environment: a Terraform stack with the azuread provider and a state backend. The
 * application and the MFA policy are added to it as constructs.
 *
 * The guardrail rule pack runs on every synthesis of this stack (an aspect): an unsuppressed error
 * fails synthesis; warnings are recorded as annotations, which the cdktf CLI prints.
 */
export class ItsmMailStack extends TerraformStack {
  /** The azuread provider of this stack. */
  public readonly provider: AzureadProvider;

  constructor(scope: Construct, id: string, props: ItsmMailStackProps = {}) {
    super(scope, id);
    this.provider = new AzureadProvider(this, 'azuread', providerConfig(props));
    configureBackend(this, id, props.backend ?? { type: 'local' });
    Aspects.of(this).add(new GuardrailsAspect());
  }
}

function providerConfig(props: ItsmMailStackProps) {
  const auth = props.authentication ?? 'environment';
  return {
    tenantId: props.tenantId,
    clientId: props.deployerClientId,
    ...(auth === 'azureCli' ? { useCli: true, useOidc: false, useMsi: false } : {}),
    ...(auth === 'oidc' ? { useOidc: true, useCli: false, useMsi: false } : {}),
    ...(auth === 'managedIdentity' ? { useMsi: true, useCli: false, useOidc: false } : {}),
  };
}

function configureBackend(stack: TerraformStack, id: string, backend: StateBackend): void {
  switch (backend.type) {
    case 'local':
      // Terraform runs in cdktf.out/stacks/<id>; a relative path keeps the output free of this
      // machine's absolute paths and puts the state where cdktf would: at the project root.
      new LocalBackend(stack, { path: `../../../${backend.path ?? `terraform.${id}.tfstate`}` });
      return;
    case 'azurerm':
      new AzurermBackend(stack, {
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: backend.key ?? `${id}.terraform.tfstate`,
        resourceGroupName: backend.resourceGroupName,
        subscriptionId: backend.subscriptionId,
        tenantId: backend.tenantId,
        useOidc: backend.useOidc,
        // Entra ID data-plane auth: no storage access keys anywhere.
        useAzureadAuth: true,
      });
      return;
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(backend.workspace),
      });
      return;
  }
}
