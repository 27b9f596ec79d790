import { unsafeRedirectUriReason } from '../../model/redirect-uri';
import { hit, type GuardrailRule, type RuleHit } from '../rule';
import { isDeferred } from '../subjects';

/** `sign_in_audience` of a single-tenant application. */
export const SINGLE_TENANT = 'AzureADMyOrg';

/** ITSM-APP-001: an application that accounts of other tenants (or personal accounts) can sign in to. */
export const signInAudienceNotSingleTenant: GuardrailRule<'application'> = {
  id: 'ITSM-APP-001',
  severity: 'error',
  title: 'Sign-in audience is not single tenant',
  explanation:
    'a multi-tenant application can be consented to and used from any other tenant (or by personal Microsoft accounts); an ITSM mailbox integration only ever serves its own tenant.',
  source: 'Pandora ITSM manual ("single tenant"); Microsoft Learn: supported account types',
  fix: 'set signInAudience to AzureADMyOrg.',
  appliesTo: 'application',
  // An ITSM tool that signs in at /common only leaves no choice: ITSM-APP-004 reports it instead.
  check: (a) =>
    isDeferred(a.signInAudience) || a.signInAudience === SINGLE_TENANT || a.itsmTool?.tenantEndpoint === 'commonOnly'
      ? []
      : [hit(`sign_in_audience is ${a.signInAudience}`)],
};

/** ITSM-APP-004: multi-tenant because the ITSM tool signs in only at the common endpoint. */
export const multiTenantForCommonEndpoint: GuardrailRule<'application'> = {
  id: 'ITSM-APP-004',
  severity: 'warning',
  title: 'Multi-tenant because the ITSM tool signs in only at the common endpoint',
  explanation:
    'a multi-tenant application can be consented to from other tenants; the ITSM tool leaves no choice, since it signs in at /common, which Entra ID refuses for a single-tenant application (AADSTS50194).',
  source: 'the ITSM tool preset (docs/itsm-tools.md: FreeScout app/Misc/Mail.php); Microsoft Learn: supported account types',
  fix: 'keep the client secret on the ITSM server only (without it no one can redeem a sign-in for this application), suppress this finding with that reason, and make the application single tenant once the tool can name the tenant.',
  appliesTo: 'application',
  check: (a) =>
    a.itsmTool?.tenantEndpoint !== 'commonOnly' || isDeferred(a.signInAudience) || a.signInAudience === SINGLE_TENANT
      ? []
      : [hit(`${a.itsmTool.displayName} signs in at /common only; sign_in_audience is ${a.signInAudience}`)],
};

/** ITSM-APP-002: an application without owners. */
export const applicationWithoutOwners: GuardrailRule<'application'> = {
  id: 'ITSM-APP-002',
  severity: 'warning',
  title: 'Application has no owners',
  explanation: 'without owners nobody is accountable for the registration: nobody is asked when its secret expires or its permissions are reviewed.',
  source: 'Microsoft Learn: identity platform integration checklist (app ownership)',
  fix: 'list at least one owner (application.owners, or keep includeDeployerAsOwner: true); two people are better than one.',
  appliesTo: 'application',
  check: (a) => (a.owners.length === 0 ? [hit('no owners declared')] : []),
};

/** ITSM-APP-003: a redirect URI with a wildcard, or `http://` to a host other than localhost. */
export const unsafeRedirectUri: GuardrailRule<'application'> = {
  id: 'ITSM-APP-003',
  severity: 'error',
  title: 'Redirect URI with a wildcard or plain http://',
  explanation: 'authorization codes are sent to the redirect URI: a wildcard lets an attacker choose where they go, and http:// sends them in clear text.',
  source: 'Microsoft Learn: redirect URI restrictions and limitations',
  fix: 'list each redirect URI in full, with https:// (http:// only for localhost).',
  appliesTo: 'application',
  check: (a) => {
    const hits: RuleHit[] = [];
    for (const { uri } of a.redirectUris) {
      if (isDeferred(uri)) continue;
      const why = unsafeRedirectUriReason(uri);
      if (why) hits.push(hit(why));
    }
    return hits;
  },
};
