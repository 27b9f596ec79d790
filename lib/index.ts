// Public API: re-exports only. Internals (models' rule functions, the inspection's readers, the
// config schema) are not part of it; lib/model and lib/inspection can be imported directly by
// tests and tools in this repository.

// Stacks and constructs, with their props (the same shapes as the config file's sections).
export { ItsmMailStack, type ItsmMailStackProps, type ProviderAuthentication, type StateBackend } from './stack/itsm-mail-stack';
export { ItsmMailApplication, type ItsmMailApplicationProps } from './application/itsm-mail-application';
export { RotatingClientSecret, type RotatingClientSecretProps } from './application/rotating-client-secret';
export { addApplicationOutputs } from './application/application-outputs';
export { addMfaPolicyOutputs } from './conditional-access/policy-outputs';
export { ConditionalAccessPolicy, type ConditionalAccessPolicyProps } from './conditional-access/conditional-access-policy';
// Deprecated names of the conditional access policy (before it took its Entra ID name); they still work.
export { MfaConditionalAccessPolicy, type MfaPolicyProps } from './conditional-access/conditional-access-policy';
export type { MfaGrantProps, MfaPolicyModel, MfaGrantModel } from './model/conditional-access-policy';
export type { MfaPolicyImportProps } from './model/adoption';
export { SecurityGroup, type ISecurityGroup, type SecurityGroupProps } from './conditional-access/security-group';
// A tenant's conditional access (the config's `tenants.<name>`): its stack, named locations and presets.
export { TenantStack, type TenantProps, type TenantStackOptions } from './stack/tenant-stack';
export { NamedLocation, type NamedLocationProps } from './conditional-access/named-location';
export type { CountryLookupMethod } from './model/named-location';
export { CONDITIONAL_ACCESS_PRESETS, PRESET_NAMES, type ConditionalAccessPolicyEntry, type ConditionalAccessPreset, type ConditionalAccessPresetName } from './model/conditional-access-presets';
export { InvalidPropsError, type Problem } from './model/problem';
export type { SignInAudience } from './model/application';
export { ITSM_TOOL_IDS, ITSM_TOOLS, type CertificateSupport, type ItsmToolId, type ItsmToolPreset, type TenantEndpoint } from './model/itsm-tool';
export type { ClientSecretProps } from './model/client-secret';
export type { ExposedScopeProps, WhoCanConsent } from './model/exposed-scope';
export type { GraphMailPermission, MailAccessProps, MailboxAccess, MailFlow, MailProtocol } from './model/mail-access';
export type { PermissionRef } from './model/permissions';
export { IMPORT_ID, type AppRoleAssignmentImport, type ApplicationImportProps, type DelegatedPermissionGrantImport, type ConditionalAccessPolicyImportProps, type SignInAssignmentImport } from './model/adoption';
export type {
  ConditionalAccessGrantModel,
  ConditionalAccessGrantProps,
  ConditionalAccessPolicyModel,
  EnforcedWithoutBreakGlassExclusion,
  FilterProps,
  GuestsOrExternalUsersProps,
  PolicyGroupProps,
  SignInFrequencyProps,
} from './model/conditional-access-policy';
export type {
  AdditionalGrantControl,
  ApplicationAlias,
  ApplicationKeyword,
  BuiltInAuthenticationStrength,
  ClientAppType,
  DevicePlatform,
  GrantOperator,
  PolicyStateWord,
  RiskLevel,
  SignInFrequencyUnit,
  UserKeyword,
} from './model/conditional-access-values';

// The permission catalogue.
export { allPermissions, KnownApi, lookupPermission, type ApiName, type PermissionInfo, type PermissionType } from './permissions/catalogue';

// What a stack declares, as the guardrails and the review read it.
export { inspectStack } from './inspection/from-stack';
export type * from './inspection/inspection';
export type { Deferred, Reference, TfScalar, TfString } from './inspection/values';

// Guardrails.
export { Guardrails } from './guardrails/guardrails';
export { GuardrailBypassError, GuardrailsAspect } from './guardrails/aspect';
export { checkGuardrails, type GuardrailFinding, type GuardrailSuppression } from './guardrails/check';
export { GUARDRAIL_RULES, type GuardrailRuleInfo } from './guardrails/pack';
export type { GuardrailRule, GuardrailSeverity, RuleHit } from './guardrails/rule';

// The config file and synthesis.
export { loadConfigFile, parseConfigText } from './config/load-config';
export { ConfigError, type ConfigProblem } from './config/problems';
export type { EnvironmentConfig, ItsmMailConfig } from './config/schema';
export { buildStacksFromConfig } from './config/build-from-config';
export { synthesizeConfig, GuardrailError, type SynthesisResult } from './cli/synthesize';

// The review.
export { collectReviews } from './review/collect';
export { renderReview, type RenderOptions } from './review/render';
export { readPlanFile, PlanError, type Plan, type PlanChange, type PlanAction } from './review/plan';
export { reviewPlan, type PlanReview, type PlanRow, type Attention } from './review/plan-review';
export type { EnvironmentReview, ResourceLabel } from './review/review-model';
