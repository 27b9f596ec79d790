import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { Aspects, AzurermBackend, CloudBackend, LocalBackend, NamedCloudWorkspace, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { GuardrailsAspect } from '../guardrails/aspect';
import { normalizeStack, stackProblems, type ItsmMailStackProps, type StackModel } from '../model/stack';
import { throwIfProblems } from '../model/problem';

export type { ItsmMailStackProps, ProviderAuthentication, StateBackend } from '../model/stack';

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
    throwIfProblems(`ItsmMailStack (${this.node.path})`, stackProblems(props));
    const m = normalizeStack(props, id);
    this.provider = new AzureadProvider(this, 'azuread', providerConfig(m));
    configureBackend(this, m.backend);
    Aspects.of(this).add(new GuardrailsAspect());
  }
}

function providerConfig(m: StackModel) {
  const auth = m.provider.authentication;
  return {
    tenantId: m.tenantId,
    clientId: m.provider.clientId,
    ...(auth === 'azureCli' ? { useCli: true, useOidc: false, useMsi: false } : {}),
    ...(auth === 'oidc' ? { useOidc: true, useCli: false, useMsi: false } : {}),
    ...(auth === 'managedIdentity' ? { useMsi: true, useCli: false, useOidc: false } : {}),
  };
}

function configureBackend(stack: TerraformStack, backend: StackModel['backend']): void {
  switch (backend.type) {
    case 'local':
      // Terraform runs in cdktf.out/stacks/<id>; a relative path keeps the output free of this
      // machine's absolute paths and puts the state where cdktf would: at the project root.
      new LocalBackend(stack, { path: `../../../${backend.path}` });
      return;
    case 'azurerm':
      new AzurermBackend(stack, {
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: backend.key,
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
