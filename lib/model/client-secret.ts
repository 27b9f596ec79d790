/**
 * The application's client secret: how long each secret lives. One home for the lifetime's
 * default, limits and wording (the config loader, the RotatingClientSecret construct and
 * guardrails ITSM-SEC-001/002 use them).
 */
import { NOTHING_UNRESOLVED, problemAt, type IsUnresolved, type Problem } from './problem';
import { runRules, type RuleSet } from './rules';

/** Microsoft's upper limit for a client secret's lifetime, in days (2 years). */
export const MAX_SECRET_LIFETIME_DAYS = 730;
/** CISA SCuBA MS.AAD.5.6 recommended limit, in days; also the default. */
export const RECOMMENDED_SECRET_LIFETIME_DAYS = 180;
/** The shortest lifetime accepted: each slot rotates every half lifetime, at least a day. */
export const MIN_SECRET_LIFETIME_DAYS = 2;

/** The config's `application.clientSecret`, the construct's `clientSecret`. */
export interface ClientSecretProps {
  /**
   * How long each secret is valid, in days. A new secret is issued every half lifetime,
   * alternating between two slots, so the previous one stays valid about half a lifetime after it.
   * @default 180 (CISA SCuBA MS.AAD.5.6); at most 730
   */
  readonly lifetimeDays?: number;
}

/** `ClientSecretProps` with its default applied. */
export interface ClientSecret {
  readonly lifetimeDays: number;
}

/** Applies the default. */
export function normalizeClientSecret(props: ClientSecretProps = {}): ClientSecret {
  return { lifetimeDays: props.lifetimeDays ?? RECOMMENDED_SECRET_LIFETIME_DAYS };
}

/** Why a secret lifetime is refused, or undefined. */
export function secretLifetimeProblem(days: number): string | undefined {
  if (!Number.isFinite(days)) return `must be a finite number of days, got ${days}`;
  if (!Number.isInteger(days)) return `must be a whole number of days, got ${days}`;
  if (days < MIN_SECRET_LIFETIME_DAYS) return `must be at least ${MIN_SECRET_LIFETIME_DAYS} days, got ${days}`;
  if (days > MAX_SECRET_LIFETIME_DAYS) {
    return `is ${days} days; Entra ID allows at most ${MAX_SECRET_LIFETIME_DAYS} (2 years) and ${RECOMMENDED_SECRET_LIFETIME_DAYS} or less is recommended (CISA SCuBA MS.AAD.5.6)`;
  }
  return undefined;
}

/** The rules of `ClientSecretProps`, one entry per field. */
export const CLIENT_SECRET_RULES: RuleSet<ClientSecretProps> = {
  fields: {
    lifetimeDays: (p, isUnresolved) =>
      p.lifetimeDays === undefined || isUnresolved(p.lifetimeDays) ? [] : problemAt(['lifetimeDays'], secretLifetimeProblem(p.lifetimeDays)),
  },
  across: [],
};

/** Problems of `ClientSecretProps` (paths relative to it); `isUnresolved` skips deploy-time values. */
export function clientSecretProblems(props: ClientSecretProps, isUnresolved: IsUnresolved = NOTHING_UNRESOLVED): Problem[] {
  return runRules(CLIENT_SECRET_RULES, props, isUnresolved);
}

/** How long a secret of `days` lives, against the limits: the guardrails' finding detail. */
export function secretLifetimeClass(days: number): 'aboveTwoYears' | 'aboveRecommended' | 'within' {
  if (days > MAX_SECRET_LIFETIME_DAYS) return 'aboveTwoYears';
  if (days > RECOMMENDED_SECRET_LIFETIME_DAYS) return 'aboveRecommended';
  return 'within';
}

/** Half a lifetime in hours: how far apart the two slots rotate. */
export function rotationOffsetHours(lifetimeDays: number): number {
  return lifetimeDays * 12;
}
