/**
 * The guardrail rule pack: every rule, in the order of docs/guardrails.md. Pure data and pure
 * functions (no cdktf), so the config loader can check suppressions against it cheaply.
 */
import { didYouMean } from '../private/did-you-mean';
import type { GuardrailRule } from './rule';
import { applicationWithoutOwners, multiTenantForCommonEndpoint, signInAudienceNotSingleTenant, unsafeRedirectUri } from './rules/application';
import {
  approvedApplicationGrant,
  blockAllApplications,
  enforcedWithoutBreakGlass,
  excludedDirectoryRoles,
  formerSettingName,
  mfaWithAuthenticationStrength,
  noTarget,
  policyGroupNotSecurityEnabled,
  reportOnly,
} from './rules/conditional-access';
import { clientSecretInUse, secretLifetimeAbove180Days, secretLifetimeAboveTwoYears } from './rules/credentials';
import { appOnlyMailWithoutMailboxScope, smtpAuthEnabled } from './rules/exchange';
import { scopeUserConsent } from './rules/exposed-scope';
import { consentedNotRequested, highPrivilegeWithoutJustification, requestedNotConsented, unnamedPermission } from './rules/permissions';
import { reasonProblem } from '../model/text';
import { hasUnprintable } from '../private/printable';

/** Every rule, as a list. IDs are stable; a retired ID is never reused. */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = Object.freeze([
  secretLifetimeAboveTwoYears,
  secretLifetimeAbove180Days,
  clientSecretInUse,
  signInAudienceNotSingleTenant,
  applicationWithoutOwners,
  unsafeRedirectUri,
  multiTenantForCommonEndpoint,
  highPrivilegeWithoutJustification,
  requestedNotConsented,
  consentedNotRequested,
  unnamedPermission,
  scopeUserConsent,
  enforcedWithoutBreakGlass,
  excludedDirectoryRoles,
  blockAllApplications,
  approvedApplicationGrant,
  mfaWithAuthenticationStrength,
  noTarget,
  reportOnly,
  formerSettingName,
  policyGroupNotSecurityEnabled,
  appOnlyMailWithoutMailboxScope,
  smtpAuthEnabled,
] as GuardrailRule[]);

/** The words of a rule, without its check. */
export type GuardrailRuleInfo = Pick<GuardrailRule, 'id' | 'severity' | 'title' | 'explanation' | 'source' | 'fix'>;

/**
 * ITSM-GR-001: a suppression that matches no construct. Reported by the engine, not by a check
 * on a subject; it cannot be suppressed.
 */
export const UNMATCHED_SUPPRESSION: GuardrailRuleInfo = Object.freeze({
  id: 'ITSM-GR-001',
  severity: 'warning',
  title: 'Suppression that matches nothing',
  explanation:
    'a suppression whose resource path names no construct hides nothing, so the finding it meant to silence is still reported (or the path has a typo).',
  source: 'this project (suppressions need an exact construct path)',
  fix: 'correct the resource path (the construct path below the stack, as printed in brackets after each finding) or remove the suppression.',
});

/** A suppression of a rule that finds nothing where it points: stale after a fix, or aimed at the wrong rule. */
export const IDLE_SUPPRESSION: GuardrailRuleInfo = Object.freeze({
  id: 'ITSM-GR-002',
  severity: 'warning',
  title: 'Suppression that suppresses nothing',
  explanation:
    'the rule it names finds nothing at that construct or below, so the suppression and its reason say something that is no longer true (or it names the wrong rule or construct).',
  source: 'this project (every accepted risk in the review must be a real one)',
  fix: 'remove the suppression, or point it at the rule and construct of the finding it should accept.',
});

/** The IDs a suppression may name, in pack order. */
export const SUPPRESSIBLE_RULE_IDS: readonly string[] = Object.freeze(GUARDRAIL_RULES.map((r) => r.id));

/** Why `id` cannot be suppressed (unknown, with a did-you-mean), or undefined. */
export function unknownRuleIdProblem(id: string): string | undefined {
  if (SUPPRESSIBLE_RULE_IDS.includes(id)) return undefined;
  if (id === UNMATCHED_SUPPRESSION.id || id === IDLE_SUPPRESSION.id) return `${id} cannot be suppressed: fix or remove the suppression it reports`;
  const hint = didYouMean(id, SUPPRESSIBLE_RULE_IDS);
  return `unknown guardrail rule "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}; the rules are listed in docs/guardrails.md`;
}

/** The longest suppression reason: a few sentences, shown in the review's table and in SARIF. */
export const MAX_SUPPRESSION_REASON = 1000;

/**
 * Why a suppression reason is not enough (not a sentence), cannot be shown as it is (control,
 * invisible or bidirectional formatting characters, which would reach the terminal, the review and
 * code scanning), or is too long; undefined when it is fine.
 */
export function suppressionReasonProblem(reason: string): string | undefined {
  if (typeof reason === 'string' && hasUnprintable(reason))
    return 'must be one line of printable text (no control characters, no invisible or bidirectional formatting characters): it is shown in the review and in code scanning';
  if (typeof reason === 'string' && reason.length > MAX_SUPPRESSION_REASON) return `is too long: at most ${MAX_SUPPRESSION_REASON} characters`;
  return reasonProblem(
    typeof reason === 'string' ? reason : '',
    'why the finding is accepted',
    'Pandora ITSM only supports client secrets; the secret rotates every 90 days',
  );
}
