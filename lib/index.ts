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
export {
  CONDITIONAL_ACCESS_PRESETS,
  PRESET_NAMES,
  type ConditionalAccessPolicyEntry,
  type ConditionalAccessPreset,
  type ConditionalAccessPresetName,
} from './model/conditional-access-presets';
export { InvalidPropsError, type Problem } from './model/problem';
export type { SignInAudience } from './model/application';
export { ITSM_TOOL_IDS, ITSM_TOOLS, type CertificateSupport, type ItsmToolId, type ItsmToolPreset, type TenantEndpoint } from './model/itsm-tool';
export type { ClientSecretProps } from './model/client-secret';
export type { ExposedScopeProps, WhoCanConsent } from './model/exposed-scope';
export type { GraphMailPermission, MailAccessProps, MailboxAccess, MailFlow, MailProtocol } from './model/mail-access';
export type { PermissionRef } from './model/permissions';
export {
  IMPORT_ID,
  type AppRoleAssignmentImport,
  type ApplicationImportProps,
  type DelegatedPermissionGrantImport,
  type ConditionalAccessPolicyImportProps,
  type SignInAssignmentImport,
} from './model/adoption';
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
export type { EnvironmentConfig, ItsmMailConfig, TenantConfig } from './config/schema';
export { buildStacksFromConfig } from './config/build-from-config';
export { synthesizeConfig, GuardrailError, type SynthesisResult } from './cli/synthesize';

// The review.
export { collectReviews } from './review/collect';
export { renderReview, type RenderOptions } from './review/render';
export { readPlanFile, PlanError, type Plan, type PlanChange, type PlanAction, type PlanObject } from './review/plan';
export { reviewPlan, type PlanReview, type PlanRow, type Attention } from './review/plan-review';
// The review of any azuread plan, without a config.
export { reviewPlanAlone, type PlanAloneReview } from './review/plan-alone';
export { PLAN_RULES, type PlanRuleId } from './review/plan-rules';
export {
  loadPlanSuppressionsFile,
  parsePlanSuppressionsText,
  type PlanSuppressionConfig,
  type PlanSuppressionsConfig,
} from './config/plan-suppressions';
export { reviewAnyPlan, type AnyPlanReview, type ChangeRow, type PlanAttention } from './review/any-plan';
export { renderAnyPlanReview, type RenderAnyPlanOptions } from './review/render-any-plan';
export { inspectPlan, type PlanLike } from './inspection/from-plan';
export type { EnvironmentReview, ResourceLabel } from './review/review-model';

// Types that public props and members name, so users never deep-import dist/lib/…
// (__tests__/exported-types.test.ts walks the declaration files and fails on one missing here).
export type { AdminConsent, AdminConsentProps, ResourceServicePrincipal } from './application/admin-consent';
export type { ExposedApiScope, ExposedApiScopeProps } from './application/exposed-api-scope';
export type { GuardrailsConfig, SuppressionConfig } from './config/guardrails-config';
export type {
  ApplicationSubject,
  ConditionalAccessSubject,
  ExposedScopeSubject,
  GuardrailSubject,
  MailAccessSubject,
  PolicyGroupSubject,
  SecretSubject,
  SubjectKind,
  SubjectOf,
} from './guardrails/subjects';
export type { InspectableStack } from './inspection/from-stack';
export type { ApplicationImport, NamedLocationImportProps } from './model/adoption';
export type { ItsmMailApplicationModel } from './model/application';
export type { ClientSecret } from './model/client-secret';
export type { GuestsOrExternalUsersModel, SessionControlsModel, SignInFrequencyControls } from './model/conditional-access-policy';
export type {
  AuthenticationFlow,
  BuiltInControl,
  CloudAppSecurityPolicy,
  FilterMode,
  GuestOrExternalUserType,
  InsiderRiskLevel,
  PersistentBrowserMode,
  PolicyState,
  SignInFrequencyAuthenticationType,
  UserAction,
} from './model/conditional-access-values';
export type { ExposedScope, ScopeConsentType } from './model/exposed-scope';
export type { AppliedItsmTool, Evidence, EvidenceGrade, ToolCallback, ToolFormField, ToolFormValue } from './model/itsm-tool';
export type { MailAccess } from './model/mail-access';
export type { NamedLocationModel } from './model/named-location';
export type { ApiPermissionGroup, PermissionIdSource, ResolvedPermission } from './model/permissions';
export type { SecurityGroupModel } from './model/security-group';
export type { AzurermBackendProps, CloudBackendProps, LocalBackendProps, ProviderProps } from './model/stack';
export type { KnownApiInfo, LookupResult } from './permissions/catalogue';
export type { FileProblem } from './private/file-problem';
export type { SecretInPlan } from './review/plan-review';
// What reviewAnyPlan's PlanWords exposes.
export type { PlanWords, Values as PlanValues } from './review/any-plan';
export type { Facet, FacetChange, Namer } from './review/plan-facets';
export type { NamedId, NamedRole, PlanNames } from './review/plan-names';
