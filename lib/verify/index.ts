// The verify library: what `npm run verify` runs, usable from other programs. No cdktf import.
export * from './types';
export { runVerify, type VerifyOptions, type VerifyIo } from './run';
export {
  targetFromOutputs,
  smtpGrant,
  OutputsError,
  MailboxMissingError,
  SECRET_ENV,
  type TerraformOutputs,
  type TargetOverrides,
} from './target-from-outputs';
export { expectedPermissions, APP_ONLY_PERMISSION, DELEGATED_PERMISSION, EXCHANGE_ONLINE_APP_ID, type SmtpGrant } from './permissions';
export { cloudFromEnv, resolveCloud, tokenEndpoint, BUILT_IN_ENVIRONMENTS } from './cloud';
export { nodeHttpClient, type HttpClient, type HttpRequest, type HttpResponse } from './http';
export { renderCheck, renderJson, summaryLine } from './render';
export { runVerifyCli } from './cli';
// Types its public functions name (__tests__/exported-types.test.ts).
export type { VerifyCliIo } from './cli';
export type { ReplyLimits } from './line-socket';
export type { CloudResolution } from './cloud';
export type { JsonMeta } from './render';
