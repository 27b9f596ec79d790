// Public API: re-exports only.
export * from './itsm-mail-stack';
export * from './permissions/catalogue';
export { loadConfigFile, parseConfigText } from './config/load-config';
export { ConfigError, formatProblem, type ConfigProblem } from './config/problems';
export { configSchema, type ItsmMailConfig } from './config/schema';
export { buildStacksFromConfig } from './config/build-from-config';
export { synthesizeConfig } from './synthesize';
