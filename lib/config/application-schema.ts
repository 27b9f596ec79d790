import { z } from 'zod';
import { text, uniqueList, uuid } from './common';

export const permissionRefSchema = z.strictObject({
  api: z.enum(['MicrosoftGraph', 'ExchangeOnline']).default('MicrosoftGraph').describe('The resource API. Default MicrosoftGraph.'),
  type: z.enum(['delegated', 'application']).describe('delegated (a scope, on behalf of a signed-in user) or application (an app role, no user).'),
  name: text(200).describe('The permission name as Microsoft publishes it, e.g. User.Read or IMAP.AccessAsApp.'),
  justification: text(1000).optional().describe('Why this permission is needed; required by the guardrails for high-privilege permissions.'),
});

export const mailSchema = z.strictObject({
  flow: z
    .enum(['delegated', 'app-only'])
    .describe('delegated: the ITSM tool signs in as the mailbox user (authorization code). app-only: client credentials, no user.'),
  protocols: uniqueList(z.enum(['imap', 'pop', 'smtp']), 'protocol')
    .min(1, { error: 'must list at least one of imap, pop, smtp' })
    .default(['imap', 'smtp'])
    .describe('Mail protocols the ITSM tool uses. Default [imap, smtp].'),
  graphMailPermissions: uniqueList(z.enum(['Mail.Read', 'Mail.ReadWrite', 'Mail.Send']), 'permission')
    .default([])
    .describe('Microsoft Graph mail application permissions, for tools that use the Graph API instead of IMAP/SMTP. They reach every mailbox unless Exchange scopes them.'),
  graphMailJustification: text(1000)
    .optional()
    .describe('Why the Graph mail application permissions are needed (they reach every mailbox); required by guardrail ITSM-PERM-001 when graphMailPermissions is set.'),
  mailboxes: uniqueList(z.email({ error: 'must be a mailbox address such as itsm@contoso.com' }), 'mailbox')
    .default([])
    .describe('Mailboxes the ITSM tool reads or sends as (used in the Exchange Online runbook).'),
  mailboxAccess: z
    .enum(['rbac', 'fullAccess'])
    .default('rbac')
    .describe('How the Exchange Online runbook scopes app-only access: rbac (RBAC for Applications, Microsoft\'s recommendation) or fullAccess (Add-MailboxPermission).'),
});

export const clientSecretSchema = z.strictObject({
  lifetimeDays: z
    .number({ error: 'must be a whole number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(2, { error: 'must be at least 2 days' })
    .max(730, { error: 'must be at most 730 days (2 years, the Entra ID maximum); 180 or less is recommended (CISA SCuBA MS.AAD.5.6)' })
    .default(180)
    .describe('How long each client secret is valid. Default 180 days; at most 730.'),
});

export const exposedScopeSchema = z.strictObject({
  value: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/, { error: 'must be letters, digits, dots, underscores or hyphens, not starting with a symbol, at most 120 characters' })
    .default('access_as_user')
    .describe('Scope value (the name in the token), default access_as_user.'),
  adminConsentDisplayName: text(200).optional(),
  adminConsentDescription: text(1000).optional(),
  userConsentDisplayName: text(200).optional(),
  userConsentDescription: text(1000).optional(),
  whoCanConsent: z
    .enum(['admins', 'adminsAndUsers'])
    .default('admins')
    .describe('Who can consent: admins (default) or adminsAndUsers.'),
});

export const applicationSchema = z.strictObject({
  displayName: text(120).describe('Display name of the app registration.'),
  description: text(1024).optional(),
  notes: text(1024).optional(),
  signInAudience: z
    .enum(['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'])
    .default('AzureADMyOrg')
    .describe('Supported account types. Default AzureADMyOrg (single tenant).'),
  owners: uniqueList(uuid('a user or service principal object ID'), 'owner').default([]).describe('Extra owners (object IDs).'),
  assignedPrincipals: uniqueList(uuid('a user or group object ID'), 'principal')
    .default([])
    .describe('Users or groups (object IDs) allowed to sign in to the app: sets "Assignment required". Default: none (any user of the tenant may sign in).'),
  includeDeployerAsOwner: z.boolean().default(true).describe('Make the identity that deploys an owner. Default true.'),
  preventDuplicateNames: z.boolean().default(true),
  redirectUris: uniqueList(text(256), 'redirect URI')
    .default([])
    .describe('Web redirect URIs for the authorization-code flow, e.g. https://itsm.example.com/integria/setup/setup_mail.'),
  mail: mailSchema,
  permissions: z.array(permissionRefSchema).default([]).describe('Extra API permissions by name.'),
  adminConsent: z.boolean().default(true).describe('Grant admin consent for every requested permission. Default true.'),
  clientSecret: clientSecretSchema.default({ lifetimeDays: 180 }),
  exposedScope: exposedScopeSchema.optional().describe('Expose an API: identifier URI api://<client id> and one scope. Default: exposed with defaults.'),
  exposeApi: z.boolean().default(true).describe('Set false to skip "Expose an API" entirely.'),
});

export type ApplicationConfig = z.infer<typeof applicationSchema>;
