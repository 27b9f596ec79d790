import { z } from 'zod';
import { applicationSchema } from './application-schema';
import { text, uuid } from './common';
import { guardrailsSchema } from './guardrails-schema';
import { mfaPolicySchema } from './mfa-policy-schema';

/**
 * How the azuread provider signs in to the tenant. Never a secret: secrets come from the
 * environment (`ARM_CLIENT_SECRET`, `ARM_OIDC_TOKEN`, ...), as the provider reads them.
 */
export const providerSchema = z.strictObject({
  authentication: z
    .enum(['environment', 'azureCli', 'oidc', 'managedIdentity'])
    .default('environment')
    .describe(
      'environment (default): the provider reads ARM_* variables and falls back to the Azure CLI; azureCli, oidc (workload identity federation in CI) or managedIdentity force one method.',
    ),
  clientId: uuid('the client (application) ID of the identity that deploys')
    .optional()
    .describe('Client ID of the deploying identity for oidc or a user-assigned managed identity; otherwise ARM_CLIENT_ID.'),
});

const localBackendSchema = z.strictObject({
  type: z.literal('local'),
  path: text(255)
    .refine((p) => !/^([/\\]|[A-Za-z]:)/.test(p) && !p.split(/[/\\]/).includes('..'), {
      error: 'must be a relative path inside the project, without ".." (e.g. state/prod.tfstate)',
    })
    .optional()
    .describe('State file path, relative to the project root. Default terraform.<environment>.tfstate.'),
});

const azurermBackendSchema = z.strictObject({
  type: z.literal('azurerm'),
  storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, {
    error: 'must be a storage account name: 3-24 lower-case letters and digits',
  }),
  containerName: z.string().regex(/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/, {
    error: 'must be a blob container name: 3-63 lower-case letters, digits and single hyphens',
  }),
  key: text(1024).optional().describe('Blob name of the state. Default <environment>.terraform.tfstate.'),
  resourceGroupName: text(90).optional(),
  subscriptionId: uuid('an Azure subscription ID').optional(),
  tenantId: uuid('the tenant ID of the storage account').optional(),
  useOidc: z.boolean().optional().describe('Authenticate to the storage account with OIDC (CI). Default: the ARM_* environment.'),
});

const cloudBackendSchema = z.strictObject({
  type: z.literal('cloud'),
  organization: text(255),
  workspace: text(90).describe('HCP Terraform workspace name.'),
  hostname: text(255).optional().describe('Default app.terraform.io.'),
});

export const backendSchema = z.discriminatedUnion('type', [localBackendSchema, azurermBackendSchema, cloudBackendSchema], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'type must be one of: local, azurerm, cloud' : undefined,
});

/** Keys that would put a credential into the file; named so the error says why they are refused. */
export const SECRET_KEYS = ['accessKey', 'sasToken', 'clientSecret', 'clientCertificatePassword', 'token', 'password'];

export const environmentSchema = z.strictObject({
  tenantId: uuid('the directory (tenant) ID')
    .optional()
    .describe('Directory (tenant) ID. Default: ARM_TENANT_ID from the environment.'),
  provider: providerSchema.optional(),
  backend: backendSchema.optional(),
  application: applicationSchema.optional(),
  mfaPolicy: mfaPolicySchema.optional(),
  guardrails: guardrailsSchema.optional().describe('Suppressions of guardrail findings, each with a written reason.'),
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type BackendConfig = z.infer<typeof backendSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
