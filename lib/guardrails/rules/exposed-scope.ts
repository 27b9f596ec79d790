import { hit, type GuardrailRule } from '../rule';
import { isDeferred } from '../subjects';

/** ITSM-SCOPE-001: an exposed scope that every user may consent to. */
export const scopeUserConsent: GuardrailRule<'exposedScope'> = {
  id: 'ITSM-SCOPE-001',
  severity: 'warning',
  title: 'Exposed scope that users (not only admins) can consent to',
  explanation:
    'with type User any user can let a client application act as them against this API; consent to the ITSM integration should be an admin decision.',
  source: 'CISA SCuBA MS.AAD.5.2 (only administrators consent to applications)',
  fix: 'set exposedScope.whoCanConsent: admins.',
  appliesTo: 'exposedScope',
  check: (s) =>
    !isDeferred(s.consentType) && s.consentType !== 'Admin'
      ? [hit(`scope "${isDeferred(s.value) ? s.value.expression : s.value}" has consent type ${s.consentType}`)]
      : [],
};
