/**
 * Supported account types (`sign_in_audience`): one home for the values, shared by the application
 * model and the ITSM tool presets (which say which of them work with the endpoint a tool calls).
 */

/** Supported account types, as `sign_in_audience` accepts them. */
export const SIGN_IN_AUDIENCES = ['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'] as const;
/** Supported account types: single tenant (`AzureADMyOrg`, the manual's choice), multi-tenant, or with personal accounts. */
export type SignInAudience = (typeof SIGN_IN_AUDIENCES)[number];

/** True for the audiences in which personal Microsoft accounts may sign in. */
export function allowsPersonalAccounts(audience: SignInAudience): boolean {
  return audience === 'AzureADandPersonalMicrosoftAccount' || audience === 'PersonalMicrosoftAccount';
}
