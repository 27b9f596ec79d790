// Public API: re-exports only.
export * from './itsm-mail-stack';
export * from './permissions/catalogue';
export * from './conditional-access';
export * from './application/itsm-mail-application';
export * from './application/rotating-client-secret';
export * from './application/exposed-api-scope';
export * from './application/admin-consent';
export * from './application/mail-access';
export { resolvePermissions, groupByApi, type ResolvedPermission, type ApiPermissionGroup, type PermissionProblem } from './application/api-permissions';
export { itsmEmailSettings, type ItsmEmailSettings, type ItsmEmailSettingsInput } from './application/itsm-email-settings';
export { exchangeOnlineRunbook, type ExchangeRunbookInput } from './application/exchange-runbook';
export { addApplicationOutputs } from './application/application-outputs';
export { MAX_SECRET_LIFETIME_DAYS, RECOMMENDED_SECRET_LIFETIME_DAYS } from './application/validation';
export { loadConfigFile, parseConfigText } from './config/load-config';
export { ConfigError, formatProblem, type ConfigProblem } from './config/problems';
export { configSchema, type ItsmMailConfig } from './config/schema';
export { buildStacksFromConfig } from './config/build-from-config';
export { synthesizeConfig, GuardrailError, type SynthesisResult } from './synthesize';
