import { MAX_SECRET_LIFETIME_DAYS, RECOMMENDED_SECRET_LIFETIME_DAYS, secretLifetimeClass } from '../../model/client-secret';
import { hit, type GuardrailRule } from '../rule';

function lifetime(days: number, from: string): string {
  return `client secret valid ${days} days (${from})`;
}

/** ITSM-SEC-001: a secret that lives longer than 2 years. */
export const secretLifetimeAboveTwoYears: GuardrailRule<'secret'> = {
  id: 'ITSM-SEC-001',
  severity: 'error',
  title: 'Client secret valid for more than 2 years',
  explanation: 'a leaked secret stays usable until it expires, and the Entra admin center itself offers at most 24 months.',
  source: 'CISA SCuBA MS.AAD.5.6 (password lifetime 180 days or less)',
  fix: `set the lifetime to ${RECOMMENDED_SECRET_LIFETIME_DAYS} days or less (application.clientSecret.lifetimeDays, RotatingClientSecret lifetimeDays, or end_date on a raw password; Entra ID allows at most ${MAX_SECRET_LIFETIME_DAYS}); the rotating secret renews itself.`,
  appliesTo: 'secret',
  check: (s) =>
    s.lifetimeDays !== undefined && secretLifetimeClass(s.lifetimeDays) === 'aboveTwoYears' ? [hit(lifetime(s.lifetimeDays, s.lifetimeFrom))] : [],
};

/** ITSM-SEC-002: a secret that lives longer than 180 days (up to 2 years). */
export const secretLifetimeAbove180Days: GuardrailRule<'secret'> = {
  id: 'ITSM-SEC-002',
  severity: 'warning',
  title: `Client secret valid for more than ${RECOMMENDED_SECRET_LIFETIME_DAYS} days`,
  explanation: 'the longer a secret lives, the longer a leaked copy can be used.',
  source: 'CISA SCuBA MS.AAD.5.6 (password lifetime 180 days or less)',
  fix: `set the lifetime to ${RECOMMENDED_SECRET_LIFETIME_DAYS} days or less; the rotating secret renews itself, so a shorter lifetime costs only the paste into the ITSM tool.`,
  appliesTo: 'secret',
  check: (s) =>
    s.lifetimeDays !== undefined && secretLifetimeClass(s.lifetimeDays) === 'aboveRecommended' ? [hit(lifetime(s.lifetimeDays, s.lifetimeFrom))] : [],
};

/**
 * ITSM-SEC-003: a client secret where a certificate could be used: any secret, except those of an
 * application whose ITSM tool preset establishes that the tool sends only a client secret (there
 * the finding would ask for something the tool cannot do). Pandora ITSM's code is not public, so
 * its secret is still reported; so is every raw password, whose tool is unknown.
 */
export const clientSecretInUse: GuardrailRule<'secret'> = {
  id: 'ITSM-SEC-003',
  severity: 'warning',
  title: 'The application authenticates with a client secret',
  explanation:
    'a secret is a password: it can be copied from the ITSM server, a ticket or a pipeline log and replayed from anywhere, while a certificate or a federated credential cannot.',
  source: 'CISA SCuBA MS.AAD.5.5 (block application password addition); Maester MT.1057 (app registrations should not use secrets)',
  fix: "use a certificate or a federated credential if the ITSM tool supports one; where a tool preset establishes that the tool sends only a client secret (application.itsmTool, docs/itsm-tools.md) this rule stays quiet; Pandora ITSM's code is not public, so for it suppress this finding with your reason and keep the lifetime short.",
  appliesTo: 'secret',
  check: (s) => {
    if (s.itsmTool?.certificate === 'unsupported') return [];
    const what = s.credential === 'servicePrincipalPassword' ? 'service principal password' : 'client secret';
    return [hit(s.rotating ? `rotating ${what} (two slots)` : what)];
  },
};
