// One declaration per policy setting (lib/model/conditional-access-fields.ts), held to every layer:
// each setting's example changes the synthesized JSON at the attributes the table names, shows in
// the review's row the table names, and comes back from Graph through adopt; and each field of the
// normalized model, changed alone, changes the synthesized JSON (a field declared but dropped by the
// construct fails here).
import { Testing, TerraformStack } from 'cdktf';
import type { PortalSnapshot } from '../lib/adopt/portal';
import { adoptionOf } from '../lib/adopt/translate';
import { ConditionalAccessPolicy } from '../lib/conditional-access/conditional-access-policy';
import { POLICY_FIELDS } from '../lib/model/conditional-access-fields';
import {
  normalizeConditionalAccessPolicy,
  type ConditionalAccessGrantModel,
  type ConditionalAccessPolicyModel,
  type ConditionalAccessPolicyProps,
  type SessionControlsModel,
} from '../lib/model/conditional-access-policy';
import { collectReviews } from '../lib/review/collect';
import { renderReview } from '../lib/review/render';
import { DELEGATED, DEPLOYER, POLICY_ID, seededTenant, snapshotOf, TENANT_ID } from '../test-support/portal-seeds';

const BREAK_GLASS = '6b1d6a6e-2f0e-4a5c-9a57-0c1f3c0b7a11';
/** The manual's policy with a break-glass exclusion: every example is set on it. */
const BASE: ConditionalAccessPolicyProps = { excludeUsers: [BREAK_GLASS] };

function build(props: ConditionalAccessPolicyProps): { json: any; review: string } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'prod');
  new ConditionalAccessPolicy(stack, 'mfa-policy', props);
  const review = collectReviews(app)
    .map((r) => renderReview(r))
    .join('\n');
  return { json: JSON.parse(Testing.synth(stack)), review };
}

const at = (value: any, path: string): unknown => path.split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), value);
/** The review's table row whose first column is `row` (or the policy's heading). */
const rowOf = (review: string, row: string) =>
  review.split('\n').filter((l) => (row === 'heading' ? l.startsWith('### Conditional access policy') : l.startsWith(`| ${row} |`)));

const fields = Object.entries(POLICY_FIELDS) as [keyof typeof POLICY_FIELDS, (typeof POLICY_FIELDS)[keyof typeof POLICY_FIELDS]][];

describe('the policy settings table', () => {
  describe.each(fields)('%s', (key, f) => {
    const before = build({ ...BASE, ...f.beside });
    const after = build({ ...BASE, ...f.beside, [key]: f.example });

    it('changes the synthesized JSON, at the attributes the table names', () => {
      if (f.inJson === false) expect([key, f.note]).toEqual(['allowEnforcedWithoutBreakGlassExclusion', expect.stringContaining('declaration')]);
      else expect(after.json).not.toEqual(before.json);
      const policy = after.json.resource.azuread_conditional_access_policy['mfa-policy'];
      for (const attribute of f.terraform) expect([attribute, at(policy, attribute)]).toEqual([attribute, expect.anything()]);
      if (f.terraform.length === 0) expect(f.note).toBeDefined();
    });

    it('shows in the review, in the row the table names', () => {
      const rows = rowOf(after.review, f.reviewRow);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).not.toEqual(rowOf(before.review, f.reviewRow));
    });

    it('comes back from Graph through adopt (or the table says why it has no Graph counterpart)', () => {
      if (f.graph === null) return expect(f.note).toEqual(expect.stringContaining('never sent to Graph'));
      const g = f.graph;
      const s = snapshotOf(seededTenant(), DELEGATED.objectId, POLICY_ID) as any;
      const policy = s.policy;
      const keys = g.path.split('.');
      let node = policy;
      for (const k of keys.slice(0, -1)) node = node[k] ??= {};
      node[keys[keys.length - 1]] = g.value ?? f.example;
      const adopted = adoptionOf(s as PortalSnapshot, { tenantId: TENANT_ID, deployerObjectId: DEPLOYER.objectId }).environment.mfaPolicy as Record<
        string,
        unknown
      >;
      const expected = g.adopted ?? f.example;
      if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) expect(adopted[key]).toMatchObject(expected);
      else expect(adopted[key]).toEqual(expected);
    });
  });
});

describe('the normalized model', () => {
  // One entry per field of the model (the compiler asks for one when a field is added): props that
  // change that field alone, over BASE. The test checks the field changed and the JSON too.
  const GRANT: { readonly [K in keyof Required<ConditionalAccessGrantModel>]: ConditionalAccessPolicyProps } = {
    builtInControls: { grant: { mfa: true, additionalControls: ['compliantDevice'] } },
    authenticationStrengthPolicyId: { grant: { authenticationStrength: 'phishingResistantMfa' } },
    termsOfUse: { grant: { mfa: true, termsOfUse: ['0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0'] } },
    operator: { grant: { mfa: true, operator: 'AND' } },
  };
  const SESSION: { readonly [K in keyof Required<SessionControlsModel>]: ConditionalAccessPolicyProps } = {
    signInFrequency: { signInFrequency: 'everyTime' },
    applicationEnforcedRestrictions: { applicationEnforcedRestrictions: true },
    cloudAppSecurity: { cloudAppSecurity: 'blockDownloads' },
    persistentBrowser: { persistentBrowser: 'always' },
    disableResilienceDefaults: { disableResilienceDefaults: true },
  };
  const MODEL: { readonly [K in keyof Required<ConditionalAccessPolicyModel>]: ConditionalAccessPolicyProps | 'not emitted' } = {
    displayName: { displayName: 'Renamed' },
    state: { state: 'off' },
    providerState: { state: 'off' },
    group: { group: { create: { displayName: 'Another group' } } },
    includeUsers: { includeUsers: ['1a2b3c4d-0000-4000-8000-000000000001'] },
    excludeUsers: { excludeUsers: ['1a2b3c4d-0000-4000-8000-000000000002'] },
    includeGroups: { includeGroups: ['1a2b3c4d-0000-4000-8000-000000000003'] },
    excludeGroups: { excludeGroups: ['1a2b3c4d-0000-4000-8000-000000000004'] },
    // The target group is given, so that only the roles change (a role policy declares no group by default).
    includeRoles: { group: { create: {} }, includeRoles: ['62e90394-69f5-4237-9190-012177145e10'] },
    excludeRoles: { excludeRoles: ['62e90394-69f5-4237-9190-012177145e10'] },
    includeGuestsOrExternalUsers: { group: { create: {} }, includeGuestsOrExternalUsers: { types: ['internalGuest'] } },
    excludeGuestsOrExternalUsers: { excludeGuestsOrExternalUsers: { types: ['internalGuest'] } },
    includeApplications: { includeApplications: ['MicrosoftAdminPortals'] },
    excludeApplications: { includeApplications: ['All'], excludeApplications: ['MicrosoftAdminPortals'] },
    includeUserActions: { includeUserActions: ['registerOrJoinDevices'] },
    clientAppTypes: { clientAppTypes: ['exchangeActiveSync'] },
    signInRiskLevels: { signInRiskLevels: ['medium'] },
    userRiskLevels: { userRiskLevels: ['medium'] },
    servicePrincipalRiskLevels: { includeServicePrincipals: ['ServicePrincipalsInMyTenant'], grant: { block: true }, servicePrincipalRiskLevels: ['medium'] },
    insiderRiskLevels: { insiderRiskLevels: 'minor' },
    includePlatforms: { includePlatforms: ['windows'] },
    excludePlatforms: { includePlatforms: ['all'], excludePlatforms: ['linux'] },
    includeLocations: { includeLocations: ['All'] },
    excludeLocations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
    deviceFilter: { deviceFilter: { mode: 'include', rule: 'device.trustType -eq "ServerAD"' } },
    includeServicePrincipals: { includeServicePrincipals: ['1a2b3c4d-0000-4000-8000-000000000005'], grant: { block: true } },
    excludeServicePrincipals: {
      includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
      excludeServicePrincipals: ['1a2b3c4d-0000-4000-8000-000000000006'],
      grant: { block: true },
    },
    servicePrincipalFilter: {
      includeServicePrincipals: ['ServicePrincipalsInMyTenant'],
      servicePrincipalFilter: { mode: 'exclude', rule: 'CustomSecurityAttribute.Team_Name -eq "Ops"' },
      grant: { block: true },
    },
    authenticationFlows: { authenticationFlows: ['authenticationTransfer'] },
    grant: { grant: { block: true } },
    session: { persistentBrowser: 'never' },
    signInFrequency: { signInFrequency: { value: 4, unit: 'days' } },
    // The waiver is a declaration (construct metadata) that guardrail ITSM-CA-001 reads: no JSON.
    allowEnforcedWithoutBreakGlassExclusion: 'not emitted',
    import: { import: { policyId: '1a2b3c4d-0000-4000-8000-000000000007' } },
  };

  const base = build(BASE).json;
  const baseModel = normalizeConditionalAccessPolicy(BASE) as unknown as Record<string, unknown>;
  const cases = [
    ...Object.entries(MODEL).map(([k, props]) => [k, props, (m: any) => m[k]] as const),
    ...Object.entries(GRANT).map(([k, props]) => [`grant.${k}`, props, (m: any) => m.grant?.[k]] as const),
    ...Object.entries(SESSION).map(([k, props]) => [`session.${k}`, props, (m: any) => m.session[k]] as const),
  ];

  it.each(cases)('changing %s changes the synthesized JSON', (_field, props, read) => {
    if (props === 'not emitted') return;
    const model = normalizeConditionalAccessPolicy({ ...BASE, ...props });
    expect(read(model)).not.toEqual(read(baseModel));
    expect(build({ ...BASE, ...props }).json).not.toEqual(base);
  });

  it('lists every field of the model that is not emitted, and why', () => {
    expect(
      Object.entries(MODEL)
        .filter(([, v]) => v === 'not emitted')
        .map(([k]) => k),
    ).toEqual(['allowEnforcedWithoutBreakGlassExclusion']);
  });
});
