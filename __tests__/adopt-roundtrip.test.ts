// npm run adopt against a loopback Microsoft Graph seeded with what the portal makes (objects in
// Graph v1.0's JSON shapes): seed → adopt --write → load the written file → synthesize → the
// inspection of the synthesized stack matches the seeded objects field by field, and the import
// blocks carry the provider's import IDs of the seeded objects.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { loadConfigFile } from '../lib/config/load-config';
import { checkStack } from '../lib/guardrails/check';
import { inspectStack } from '../lib/inspection/from-stack';
import type { InspectedGuests, StackInspection } from '../lib/inspection/inspection';
import { literal, refersTo, type TfString } from '../lib/inspection/values';
import { lookupPermission } from '../lib/permissions/catalogue';
import { reviewOf } from '../lib/review/collect';
import { renderReview } from '../lib/review/render';
import { runAdopt } from '../test-support/adopt-run';
import { startFakeGraph, type FakeGraph } from '../test-support/fake-graph';
import {
  APP_ONLY,
  BREAK_GLASS_GROUP,
  BREAK_GLASS_USER,
  DELEGATED,
  DEPLOYER,
  EXO_SP_ID,
  GRAPH_SP_ID,
  GROUP_ID,
  HELPDESK_GROUP,
  POLICY_ID,
  seededTenant,
  TENANT_ID,
  ADMIN_USER,
  graphKey,
} from '../test-support/portal-seeds';
import { makeTestPki, type TestPki } from '../test-support/verify-pki';

jest.setTimeout(30_000);

let pki: TestPki;
let fake: FakeGraph;
const work = mkdtempSync(join(tmpdir(), 'itsm-adopt-'));
beforeAll(async () => {
  pki = makeTestPki('itsm-adopt-pki-');
  fake = await startFakeGraph(pki, seededTenant());
});
afterAll(async () => {
  await fake.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(pki.dir, { recursive: true, force: true });
});

let fileNo = 0;
/** Adopts into a new file, then synthesizes it as `npm run synth` would build it; the stack's inspection. */
async function adoptAndInspect(
  args: readonly string[],
  on: FakeGraph = fake,
): Promise<{ inspection: StackInspection; file: string; stdout: string; render: () => string }> {
  const file = join(work, `adopted-${fileNo++}.yaml`);
  const r = await runAdopt(on, pki, ['--env', 'prod', ...args, '--write', file]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const stacks = buildStacksFromConfig(Testing.app(), loadConfigFile(file));
  const inspection = inspectStack(stacks[0]);
  return { inspection, file, stdout: r.stdout, render: () => renderReview(reviewOf(inspection, checkStack(stacks[0], inspection), stacks[0].node.path)) };
}

const seeded = () => fake.tenant;
const app = (objectId: string) => seeded().applications.find((a) => a.id === objectId)!;
const lit = (v: TfString | undefined) => literal(v);
/** An object ID as the stack declares it: a literal, or the one a data source reads at plan time. */
const readId = (s: StackInspection, v: TfString) => {
  const address = refersTo(v, 'object_id');
  const source = address === undefined ? undefined : s.dataSources.find((d) => d.address === address);
  return source !== undefined ? literal(source.arguments.object_id as TfString) : literal(v);
};
const importsOf = (s: StackInspection) =>
  Object.fromEntries(
    s.imports.map((i) => [
      i.to.split('.')[0] +
        (i.to.includes('assigned-')
          ? ':signIn'
          : i.to.includes('admin-consent_ExchangeOnline-')
            ? `:${i.to.split('admin-consent_ExchangeOnline-')[1].split('_')[0]}`
            : ''),
      lit(i.id),
    ]),
  );

describe("the manual's delegated setup", () => {
  let s: StackInspection;
  let out: string;
  let render: () => string;
  beforeAll(async () => {
    ({ inspection: s, stdout: out, render } = await adoptAndInspect(['--client-id', DELEGATED.appId, '--policy-id', POLICY_ID]));
  });

  it('declares the registration as the portal made it: name, audience, redirect URIs, owners', () => {
    const g = app(DELEGATED.objectId);
    const a = s.applications[0];
    expect(lit(a.displayName)).toBe(g.displayName);
    expect(lit(a.signInAudience)).toBe(g.signInAudience);
    expect(a.redirectUris.map((r) => [r.platform, lit(r.uri)])).toEqual(g.web!.redirectUris!.map((u) => ['web', u]));
    // The deployer owns it in the portal: it stays an owner as includeDeployerAsOwner; the other owner by ID.
    expect(a.owners.map((o) => lit(o) ?? refersTo(o, 'object_id'))).toEqual([expect.stringMatching(/^data\.azuread_client_config\./), ADMIN_USER]);
    expect(a.preventDuplicateNames).toBe(false);
    expect(a.api?.requestedAccessTokenVersion).toBe(1); // Graph's null, which the provider reads as 1
  });

  it('requests the permissions by the IDs the portal wrote, plus openid that the delegated preset adds (and says so)', () => {
    const g = app(DELEGATED.objectId);
    const portal = g.requiredResourceAccess!.flatMap((r) => r.resourceAccess.map((x) => x.id));
    const declared = s.applications[0].requestedPermissions.map((p) => lit(p.id));
    const openid = (lookupPermission('MicrosoftGraph', 'delegated', 'openid') as { ok: true; permission: { id: string } }).permission.id;
    expect([...declared].sort()).toEqual([...portal, openid].sort());
    expect(s.applications[0].requestedPermissions.every((p) => p.type === 'delegated' && p.resourceAppId === '00000003-0000-0000-c000-000000000000')).toBe(
      true,
    );
    expect(out).toContain('adds the Microsoft Graph delegated permission openid: the delegated mail preset requests it');
    expect(s.applications[0].mail).toMatchObject({ flow: 'delegated', protocols: ['imap', 'smtp'] });
  });

  it("reports the reorder the first plan makes: resource_access (an ordered list in the provider) as synthesized, against Graph's order", () => {
    const name = (id: string) =>
      ['IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access', 'User.Read', 'openid'].find(
        (n) => (lookupPermission('MicrosoftGraph', 'delegated', n) as { ok: true; permission: { id: string } }).permission.id === id,
      );
    const emitted = s.applications[0].requestedPermissions.map((p) => name(String(lit(p.id))));
    const graph = app(DELEGATED.objectId).requiredResourceAccess![0].resourceAccess.map((x) => name(x.id));
    expect(graph).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access', 'User.Read']);
    expect(emitted).toEqual(['IMAP.AccessAsUser.All', 'SMTP.Send', 'User.Read', 'offline_access', 'openid']);
    expect(out).toContain(
      `lists the Microsoft Graph permissions the registration requests in this project's order (${emitted.join(', ')}) instead of the portal's (${graph.join(', ')})`,
    );
  });

  it("keeps the admin consent: the grant for all users, with the portal grant's scopes (and openid)", () => {
    const grant = seeded().permissionGrants.find((x) => x.clientId === DELEGATED.spId)!;
    expect(s.delegatedGrants).toHaveLength(1);
    const g = s.delegatedGrants[0];
    expect(g.claimValues.map(lit).sort()).toEqual([...grant.scope!.trim().split(' '), 'openid'].sort());
    expect(g.userObjectId).toBeUndefined(); // consentType AllPrincipals
    expect(refersTo(g.servicePrincipalObjectId, 'object_id')).toBe(s.servicePrincipals[0].address);
    expect(s.appRoleAssignments).toEqual([]);
  });

  it("exposes the API with the portal's scope: its ID, value, consent type and texts; the identifier URI api://<client ID>", () => {
    const scope = app(DELEGATED.objectId).api!.oauth2PermissionScopes![0];
    const x = s.permissionScopes[0];
    expect({
      id: lit(x.scopeId),
      value: lit(x.value),
      type: lit(x.type),
      adminName: lit(x.adminConsentDisplayName),
      adminText: lit(x.adminConsentDescription),
    }).toEqual({
      id: scope.id,
      value: scope.value,
      type: scope.type,
      adminName: scope.adminConsentDisplayName,
      adminText: scope.adminConsentDescription,
    });
    expect(x.userConsentDisplayName).toBeUndefined();
    // The URI is written from the client ID; the import names the portal's URI literally.
    expect(s.identifierUris[0].identifierUri).toMatchObject({
      deferred: true,
      expression: expect.stringMatching(/^api:\/\/\$\{azuread_application\..*\.client_id\}$/),
    });
    const uriImport = s.imports.find((i) => i.to.startsWith('azuread_application_identifier_uri.'))!;
    expect(Buffer.from(String(lit(uriImport.id)).split('/').pop()!, 'base64').toString('utf8')).toBe(app(DELEGATED.objectId).identifierUris![0]);
  });

  it('declares the MFA Pilot policy as the portal made it: state, target group, exclusions, resources, grant', () => {
    const p = seeded().policies[0];
    const x = s.policies[0];
    expect(lit(x.displayName)).toBe(p.displayName);
    expect(lit(x.state)).toBe(p.state);
    expect(x.conditions.users.includedGroups.map((v) => refersTo(v, 'object_id'))).toEqual(['azuread_group.mfa-group']);
    // Accounts and groups given by object ID are read at plan time: a wrong ID fails the plan.
    expect(x.conditions.users.excludedUsers.map((v) => readId(s, v))).toEqual([BREAK_GLASS_USER]);
    expect(x.conditions.users.excludedGroups.map((v) => readId(s, v))).toEqual([BREAK_GLASS_GROUP]);
    expect(x.conditions.users.includedUsers).toEqual([]);
    expect(x.conditions.applications.includedApplications.map(lit)).toEqual(p.conditions!.applications!.includeApplications);
    expect(x.conditions.clientAppTypes.map(lit)).toEqual(p.conditions!.clientAppTypes);
    expect(x.grantControls).toMatchObject({ operator: 'OR', builtInControls: ['mfa'] });
    expect(x.sessionControls).toBeUndefined();
    const group = seeded().groups.find((g) => g.id === GROUP_ID)!;
    expect(
      s.groups.map((g) => ({
        name: lit(g.displayName),
        description: lit(g.description),
        security: g.securityEnabled,
        mail: g.mailEnabled,
        dup: g.preventDuplicateNames,
      })),
    ).toEqual([{ name: group.displayName, description: group.description, security: true, mail: false, dup: false }]);
  });

  it("imports every object by the provider's import ID of the seeded object", () => {
    expect(importsOf(s)).toEqual({
      azuread_application: `/applications/${DELEGATED.objectId}`,
      azuread_service_principal: `/servicePrincipals/${DELEGATED.spId}`,
      azuread_application_identifier_uri: `/applications/${DELEGATED.objectId}/identifierUris/${Buffer.from(`api://${DELEGATED.appId}`).toString('base64')}`,
      azuread_application_permission_scope: `/applications/${DELEGATED.objectId}/permissionScopes/${DELEGATED.scopeId}`,
      azuread_service_principal_delegated_permission_grant: `/oauth2PermissionGrants/${graphKey('g-delegated')}`,
      azuread_group: `/groups/${GROUP_ID}`,
      azuread_conditional_access_policy: `/identity/conditionalAccess/policies/${POLICY_ID}`,
    });
    // Every import lands on a declared resource (the plan fails otherwise).
    for (const i of s.imports) expect(s.addresses.map((a) => a.address)).toContain(i.to);
    expect(s.unread).toEqual([]);
  });

  it('creates the rotating pair, imports no secret, and lists the portal-made secret with its end date', () => {
    expect(s.passwords).toHaveLength(2);
    expect(s.imports.some((i) => i.to.startsWith('azuread_application_password.'))).toBe(false);
    const secret = app(DELEGATED.objectId).passwordCredentials![0];
    expect(out).toContain(`"${secret.displayName}": key ID ${secret.keyId}, starts with ${secret.hint}, ends ${secret.endDateTime}`);
    expect(out).toContain('The portal-made secrets keep working until they end or are deleted');
  });

  it('prints the import blocks exactly as the synthesized stack has them', () => {
    for (const i of s.imports) expect(out).toContain(`  ${i.to}  ${lit(i.id)}`);
    expect(out).toContain(`The plan should show ${s.imports.length} to import`);
  });

  it('reviews the adopted stack: says what is imported and that secrets are created, lists each import ID', () => {
    const text = render();
    expect(text).toContain('**Adopted from the portal:** the first plan imports 7 existing object(s)');
    expect(text).toContain("A client secret's value cannot be imported");
    expect(text).toContain(
      `| \`azuread_conditional_access_policy.mfa-policy\` | conditional access policy "MFA Pilot" | \`/identity/conditionalAccess/policies/${POLICY_ID}\` |`,
    );
  });
});

describe('the app-only setup', () => {
  let s: StackInspection;
  let out: string;
  beforeAll(async () => {
    ({ inspection: s, stdout: out } = await adoptAndInspect(['--client-id', APP_ONLY.appId]));
  });

  it('maps the Exchange Online app roles to the app-only preset, SMTP.SendAsApp in Entra ID as mailboxAccess fullAccess', () => {
    expect(s.applications[0].mail).toMatchObject({ flow: 'app-only', protocols: ['imap', 'smtp'], mailboxAccess: 'fullAccess' });
    const g = app(APP_ONLY.objectId);
    const portal = g.requiredResourceAccess!.flatMap((r) => r.resourceAccess.map((x) => x.id)).sort();
    // Exchange Online role IDs are read from the tenant at plan time; the declaration names the catalogue's, which the seeded tenant has.
    expect(s.applications[0].requestedPermissions.map((p) => lit(p.id) ?? p.catalogueId).sort()).toEqual(portal);
    expect(s.applications[0].requestedPermissions.filter((p) => p.idSource === 'tenant').map((p) => p.name)).toEqual(['IMAP.AccessAsApp', 'SMTP.SendAsApp']);
  });

  it('imports the consents onto the Exchange Online service principal, and the assigned group onto its own', () => {
    expect(importsOf(s)).toEqual({
      azuread_application: `/applications/${APP_ONLY.objectId}`,
      azuread_service_principal: `/servicePrincipals/${APP_ONLY.spId}`,
      'azuread_app_role_assignment:IMAPAccessAsApp': `/servicePrincipals/${EXO_SP_ID}/appRoleAssignedTo/${graphKey('a-IMAP.AccessAsApp')}`,
      'azuread_app_role_assignment:SMTPSendAsApp': `/servicePrincipals/${EXO_SP_ID}/appRoleAssignedTo/${graphKey('a-SMTP.SendAsApp')}`,
      'azuread_app_role_assignment:signIn': `/servicePrincipals/${APP_ONLY.spId}/appRoleAssignedTo/${graphKey('assigned-helpdesk')}`,
      azuread_service_principal_delegated_permission_grant: `/oauth2PermissionGrants/${graphKey('g-apponly')}`,
    });
    const consents = s.appRoleAssignments.filter((a) => a.purpose === 'consent');
    expect(consents.map((a) => a.permission?.name).sort()).toEqual(['IMAP.AccessAsApp', 'SMTP.SendAsApp']);
    const signIn = s.appRoleAssignments.filter((a) => a.purpose === 'signIn');
    expect(signIn.map((a) => lit(a.principalObjectId))).toEqual([HELPDESK_GROUP]);
    expect(s.servicePrincipals[0].appRoleAssignmentRequired).toBe(true);
  });

  it('declares no exposed API (the portal made none), and lists the certificate it does not manage', () => {
    expect(s.identifierUris).toEqual([]);
    expect(s.permissionScopes).toEqual([]);
    expect(out).toContain('kept, not managed: the certificate "CN=integria"');
    // The deployer does not own it in the portal: nothing is added unless asked.
    expect(lit(s.applications[0].owners[0])).toBe(ADMIN_USER);
    expect(s.applications[0].owners).toHaveLength(1);
    expect(out).toContain('includeDeployerAsOwner is false so the first plan adds none');
  });
});

describe('policies', () => {
  it('adopts an enforced policy with its break-glass exclusions as state on', async () => {
    const enforced = await startFakeGraph(pki, seededTenant({ policyState: 'enabled' }));
    try {
      const { inspection } = await adoptAndInspect(['--client-id', DELEGATED.appId, '--policy-id', POLICY_ID], enforced);
      expect(lit(inspection.policies[0].state)).toBe('enabled');
      expect(inspection.policies[0].conditions.users.excludedUsers.map((v) => readId(inspection, v))).toEqual([BREAK_GLASS_USER]);
    } finally {
      await enforced.close();
    }
  });

  it('refuses an enforced policy without an exclusion, with the rule, and writes nothing', async () => {
    const bare = await startFakeGraph(pki, seededTenant({ policyState: 'enabled', noExclusions: true }));
    try {
      const file = join(work, 'refused.yaml');
      const r = await runAdopt(bare, pki, ['--env', 'prod', '--client-id', DELEGATED.appId, '--policy-id', POLICY_ID, '--write', file]);
      expect(r.code).toBe(6);
      expect(r.stderr).toContain("adopt: what the portal made does not pass this project's rules, so it cannot be declared as it is; nothing was written:");
      expect(r.stderr).toMatch(/environments\.prod\.mfaPolicy\.state: "on" enforces the policy with no emergency-access \(break-glass\) exclusion/);
      expect(r.stderr).toContain('or leave --policy-id out to adopt the application alone');
      expect(() => readFileSync(file)).toThrow(/ENOENT/);
    } finally {
      await bare.close();
    }
  });
});

describe('the first plan, from what the provider reads back after the import', () => {
  /** A seeded tenant with one change made (Graph objects are read-only types). */
  const tenantWith = (change: (t: any) => void) => {
    const t = JSON.parse(JSON.stringify(seededTenant())) as any;
    change(t);
    return t as ReturnType<typeof seededTenant>;
  };

  it('names "None" group membership claims as removed: the provider reads them into a set the config leaves empty', async () => {
    // flattenApplicationGroupMembershipClaims (applications.go) keeps "None" as an element of group_membership_claims,
    // an Optional set without Computed, so the first plan removes it unless adopt says so.
    const none = await startFakeGraph(
      pki,
      tenantWith((t) => (t.applications.find((a: { id: string }) => a.id === DELEGATED.objectId).groupMembershipClaims = 'None')),
    );
    try {
      const { stdout } = await adoptAndInspect(['--client-id', DELEGATED.appId], none);
      expect(stdout).toContain('removed by the first plan: group membership claims (None)');
    } finally {
      await none.close();
    }
  });

  it("names the target group's administrative units as left by the first plan: the provider reads administrative_unit_ids back from memberOf", async () => {
    const inUnit = await startFakeGraph(
      pki,
      tenantWith((t) => (t.administrativeUnitsOf = { [GROUP_ID]: [{ id: 'ad0b0000-0000-4000-8000-0000000a0a01', displayName: 'Helpdesk AU' }] })),
    );
    try {
      const { stdout } = await adoptAndInspect(['--client-id', DELEGATED.appId, '--policy-id', POLICY_ID], inUnit);
      expect(stdout).toContain(
        'removed by the first plan: the group\'s membership in the administrative unit "Helpdesk AU" (the provider reads administrative_unit_ids back',
      );
      expect(inUnit.requests.some((q) => q.path.includes(`/groups/${GROUP_ID}/memberOf/microsoft.graph.administrativeUnit`))).toBe(true);
    } finally {
      await inUnit.close();
    }
    const { stdout } = await adoptAndInspect(['--client-id', DELEGATED.appId, '--policy-id', POLICY_ID]);
    expect(stdout).not.toContain('administrative unit');
  });

  it("declares the policy's session controls as the portal set them: sign-in frequency with its authentication type, persistent browser, app control, app enforced restrictions, resilience defaults", async () => {
    const session = {
      signInFrequency: { isEnabled: true, type: 'hours', value: 8, frequencyInterval: 'timeBased', authenticationType: 'secondaryAuthentication' },
      persistentBrowser: { isEnabled: true, mode: 'never' },
      cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'monitorOnly' },
      applicationEnforcedRestrictions: { isEnabled: true },
      disableResilienceDefaults: true,
    };
    const set = await startFakeGraph(
      pki,
      tenantWith((t) => (t.policies[0].sessionControls = session)),
    );
    try {
      const { inspection, stdout } = await adoptAndInspect(['--client-id', DELEGATED.appId, '--policy-id', POLICY_ID], set);
      // flattenConditionalAccessSessionControls (conditionalaccess.go) reads each of these into session_controls.
      expect(inspection.policies[0].sessionControls).toEqual({
        signInFrequency: 8,
        signInFrequencyPeriod: 'hours',
        signInFrequencyInterval: 'timeBased',
        signInFrequencyAuthenticationType: 'secondaryAuthentication',
        persistentBrowserMode: 'never',
        cloudAppSecurityPolicy: 'monitorOnly',
        applicationEnforcedRestrictionsEnabled: true,
        disableResilienceDefaults: true,
      });
      expect(stdout).not.toContain('sign-in frequency on every authentication');
      expect(stdout).not.toMatch(/persistent browser|App Control|app enforced restrictions|resilience defaults/);
    } finally {
      await set.close();
    }
  });
});

describe("a policy's conditions, declared as the portal set them", () => {
  const tenantWith = (change: (policy: any) => void) => {
    const t = JSON.parse(JSON.stringify(seededTenant())) as any;
    change(t.policies[0]);
    return t as ReturnType<typeof seededTenant>;
  };
  const GUEST_TENANT = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  const LOCATION = 'ad0b0000-0000-4000-8000-0000000010c1';
  const TERMS = 'ad0b0000-0000-4000-8000-00000000070e';
  const SP = 'ad0b0000-0000-4000-8000-0000000005b1';
  const adopted = async (change: (policy: any) => void) => {
    const f = await startFakeGraph(pki, tenantWith(change));
    try {
      return await adoptAndInspect(['--client-id', DELEGATED.appId, '--policy-id', POLICY_ID], f);
    } finally {
      await f.close();
    }
  };

  it('guests and external users, locations, the device filter, authentication flows, insider risk and terms of use', async () => {
    const { inspection, stdout } = await adopted((p) => {
      p.conditions.users.includeGuestsOrExternalUsers = {
        guestOrExternalUserTypes: 'internalGuest,b2bCollaborationGuest',
        externalTenants: {
          '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
          membershipKind: 'enumerated',
          members: [GUEST_TENANT],
        },
      };
      p.conditions.users.excludeGuestsOrExternalUsers = {
        guestOrExternalUserTypes: 'serviceProvider',
        externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' },
      };
      p.conditions.locations = { includeLocations: ['All'], excludeLocations: [LOCATION, 'AllTrusted'] };
      p.conditions.devices = { deviceFilter: { mode: 'exclude', rule: 'device.isCompliant -eq True' } };
      p.conditions.authenticationFlows = { transferMethods: 'deviceCodeFlow,authenticationTransfer' };
      p.conditions.insiderRiskLevels = 'elevated';
      p.grantControls.termsOfUse = [TERMS];
    });
    const c = inspection.policies[0].conditions;
    const guests = (g: readonly InspectedGuests[]) =>
      g.map((x) => ({
        types: x.guestOrExternalUserTypes.map(lit),
        tenants: x.externalTenants.map((t) => ({ kind: lit(t.membershipKind), members: t.members.map(lit) })),
      }));
    expect(guests(c.users.includedGuestsOrExternalUsers)).toEqual([
      { types: ['internalGuest', 'b2bCollaborationGuest'], tenants: [{ kind: 'enumerated', members: [GUEST_TENANT] }] },
    ]);
    expect(guests(c.users.excludedGuestsOrExternalUsers)).toEqual([{ types: ['serviceProvider'], tenants: [{ kind: 'all', members: [] }] }]);
    expect({ include: c.locations!.includedLocations.map(lit), exclude: c.locations!.excludedLocations.map(lit) }).toEqual({
      include: ['All'],
      exclude: [LOCATION, 'AllTrusted'],
    });
    expect({ mode: lit(c.devices!.filter!.mode), rule: lit(c.devices!.filter!.rule) }).toEqual({ mode: 'exclude', rule: 'device.isCompliant -eq True' });
    expect(c.authenticationFlowTransferMethods.map(lit)).toEqual(['deviceCodeFlow', 'authenticationTransfer']);
    expect(lit(c.insiderRiskLevels)).toBe('elevated');
    expect(inspection.policies[0].grantControls!.termsOfUse.map(lit)).toEqual([TERMS]);
    expect(stdout).not.toMatch(/removed by the first plan: .*(guests|locations|device filter|authentication flows|insider|terms of use)/);
  });

  it('user actions in place of target resources', async () => {
    const { inspection, stdout } = await adopted((p) => {
      p.conditions.applications = {
        includeApplications: [],
        excludeApplications: [],
        includeUserActions: ['urn:user:registersecurityinfo'],
        includeAuthenticationContextClassReferences: [],
      };
    });
    const a = inspection.policies[0].conditions.applications;
    expect({ apps: a.includedApplications.map(lit), actions: a.includedUserActions.map(lit) }).toEqual({
      apps: [],
      actions: ['urn:user:registersecurityinfo'],
    });
    expect(stdout).not.toMatch(/user action/);
  });

  it('a workload identity policy: service principals, their filter and risk, block; no group is created for it', async () => {
    const { inspection, stdout } = await adopted((p) => {
      p.conditions.users = { includeUsers: ['None'], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] };
      p.conditions.clientApplications = {
        includeServicePrincipals: [SP],
        excludeServicePrincipals: [],
        servicePrincipalFilter: { mode: 'include', rule: 'CustomSecurityAttribute.Team_Name -eq "itsm"' },
      };
      p.conditions.servicePrincipalRiskLevels = ['high'];
      p.grantControls = { operator: 'OR', builtInControls: ['block'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null };
    });
    const c = inspection.policies[0].conditions;
    expect(c.clientApplications!.includedServicePrincipals.map((v) => readId(inspection, v))).toEqual([SP]);
    expect({ mode: lit(c.clientApplications!.filter!.mode), rule: lit(c.clientApplications!.filter!.rule) }).toEqual({
      mode: 'include',
      rule: 'CustomSecurityAttribute.Team_Name -eq "itsm"',
    });
    expect(c.servicePrincipalRiskLevels.map(lit)).toEqual(['high']);
    expect(c.users.includedUsers.map(lit)).toEqual(['None']);
    expect(inspection.groups).toEqual([]);
    expect(stdout).not.toMatch(/creates the group|client applications|service principal risk/);
  });

  it('a block policy (legacy authentication): grant block, nothing else', async () => {
    const { inspection, stdout } = await adopted((p) => {
      p.conditions.clientAppTypes = ['exchangeActiveSync', 'other'];
      p.grantControls = { operator: 'OR', builtInControls: ['block'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null };
    });
    const x = inspection.policies[0];
    expect({ controls: x.grantControls!.builtInControls.map(lit), clients: x.conditions.clientAppTypes.map(lit) }).toEqual({
      controls: ['block'],
      clients: ['exchangeActiveSync', 'other'],
    });
    expect(stdout).not.toMatch(/grant control/);
  });

  it('names what it still cannot declare: an unknown user action, a retired device condition, a second insider risk level', async () => {
    const { stdout } = await adopted((p) => {
      p.conditions.applications.includeUserActions = [];
      p.conditions.devices = { includeDevices: ['All'], deviceFilter: null };
      p.conditions.insiderRiskLevels = 'minor,elevated';
    });
    expect(stdout).toContain('removed by the first plan: the retired device condition includeDevices');
    expect(stdout).toContain('removed by the first plan: insider risk levels minor, elevated');
  });
});

describe('what the project cannot express', () => {
  let extras: FakeGraph;
  beforeAll(async () => {
    extras = await startFakeGraph(pki, seededTenant({ extras: true }));
  });
  afterAll(() => extras.close());

  it('reports, by name, a permission whose name the catalogue does not know, and leaves it out of the config', async () => {
    const { inspection, stdout, file } = await adoptAndInspect(['--client-id', DELEGATED.appId, '--policy-id', POLICY_ID], extras);
    expect(stdout).toContain(
      'removed by the first plan: Microsoft Graph delegated permission "Mail.Future.Preview" (it is not in this project\'s permission catalogue',
    );
    expect(stdout).toContain('removed by the first plan: the admin consent to the Microsoft Graph delegated permission "Mail.Future.Preview"');
    expect(readFileSync(file, 'utf8')).not.toContain('Mail.Future.Preview');
    expect(inspection.applications[0].requestedPermissions.map((p) => p.name)).not.toContain('Mail.Future.Preview');
  });

  it('reports every other thing it cannot declare, and what the first plan does to it', async () => {
    const r = await runAdopt(extras, pki, ['--env', 'prod', '--client-id', DELEGATED.appId, '--policy-id', POLICY_ID]);
    expect(r.code).toBe(0);
    for (const line of [
      'removed by the first plan: Contoso Ticket API delegated permission "tickets.read" (this project requests permissions of Microsoft Graph and Office 365 Exchange Online only)',
      'removed by the first plan: the Web redirect URI http://itsm.contoso.local/setup_mail (this project refuses it:',
      'removed by the first plan: the single-page application redirect URI https://itsm.contoso.com/spa',
      'removed by the first plan: implicit grant of ID tokens',
      'kept, not managed: the admin consent to Microsoft Graph application permission "User.Read.All"',
      'kept, not managed: user consent of',
    ]) {
      expect(r.stdout).toContain(line);
    }
    // The locations condition (All, not AllTrusted) is declared, not removed.
    expect(r.stdout).not.toMatch(/locations condition/);
  });
});

describe('reading Graph', () => {
  it('pages through every collection (@odata.nextLink)', async () => {
    const many = await startFakeGraph(pki, seededTenant({ manyOwners: 5 }));
    many.pageSize = 2;
    try {
      const { inspection } = await adoptAndInspect(['--client-id', DELEGATED.appId], many);
      expect(inspection.applications[0].owners).toHaveLength(7); // the deployer, the admin and five more, over four pages
      expect(many.requests.filter((q) => q.path.includes('/owners') && q.path.includes('skiptoken')).length).toBeGreaterThanOrEqual(3);
    } finally {
      await many.close();
    }
  });

  it('waits as Retry-After asks when Graph throttles (429), then reads on', async () => {
    fake.throttle(2, 7);
    const r = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', APP_ONLY.appId]);
    expect(r.code).toBe(0);
    expect(r.slept).toEqual([7000, 7000]);
    expect(r.stderr).toContain('adopt: Microsoft Graph is throttling (HTTP 429) GET /v1.0/applications?$filter=');
    expect(r.stderr).toContain('waiting 7 s as it asks (retry 2)');
  });

  it('gives up after a bounded number of retries, and at once on a Retry-After longer than it waits', async () => {
    fake.throttle(10, 1);
    const r = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', APP_ONLY.appId]);
    expect(r.code).toBe(6);
    expect(r.slept).toEqual([1000, 1000, 1000, 1000]);
    expect(r.stderr).toMatch(
      /adopt: Microsoft Graph refused to read: GET \/v1\.0\/applications\?\$filter=.* answered HTTP 429 TooManyRequests: Too many requests\. \(still throttled after 4 retries: run adopt again later\)/,
    );
    fake.throttle(1, 3600);
    const long = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', APP_ONLY.appId]);
    expect(long.code).toBe(6);
    expect(long.slept).toEqual([]);
    expect(long.stderr).toContain('Graph asks to wait 3600 s, more than the 120 s adopt waits');
    fake.throttle(0, undefined);
  });

  it('names the permission the deployer lacks when Graph refuses (403)', async () => {
    const locked = await startFakeGraph(pki, seededTenant());
    locked.deny('/v1.0/identity/conditionalAccess');
    try {
      const r = await runAdopt(locked, pki, ['--env', 'prod', '--client-id', DELEGATED.appId, '--policy-id', POLICY_ID]);
      expect(r.code).toBe(6);
      expect(r.stderr).toContain('HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the operation.');
      expect(r.stderr).toMatch(/fix: give the deploying identity the Microsoft Graph permission Policy\.Read\.All/);
    } finally {
      await locked.close();
    }
  });
});

describe('bad input', () => {
  it('says a client ID exists nowhere in the tenant, and what to copy instead', async () => {
    const r = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', 'ad0b0000-0000-4000-8000-0000000f0f0f']);
    expect(r.code).toBe(6);
    expect(r.stderr).toBe(
      'adopt: this tenant has no application with client ID ad0b0000-0000-4000-8000-0000000f0f0f: copy the "Application (client) ID" from the app registration\'s Overview page (and check ARM_TENANT_ID names its tenant)',
    );
  });

  it("recognises an application's or service principal's object ID given as the client ID", async () => {
    const a = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', DELEGATED.objectId]);
    expect(a.stderr).toBe(
      `adopt: ${DELEGATED.objectId} is the object ID of the application "Pandora ITSM mail", not its client ID: use --client-id ${DELEGATED.appId}`,
    );
    const sp = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', DELEGATED.spId]);
    expect(sp.stderr).toBe(
      `adopt: ${DELEGATED.spId} is the object ID of the service principal "Pandora ITSM mail", not the application's client ID: use --client-id ${DELEGATED.appId}`,
    );
  });

  it('says a policy ID exists nowhere in the tenant', async () => {
    const r = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', DELEGATED.appId, '--policy-id', 'ad0b0000-0000-4000-8000-00000000caff']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('adopt: this tenant has no conditional access policy with ID ad0b0000-0000-4000-8000-00000000caff');
  });

  it('fails on bad credentials with the cause and the fix, without echoing the secret or a stack trace', async () => {
    const wrong = `Wrg${7}Q~${'w'.repeat(34)}`;
    const r = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', DELEGATED.appId], {
      ARM_TENANT_ID: TENANT_ID,
      ARM_CLIENT_ID: DEPLOYER.clientId,
      ARM_CLIENT_SECRET: wrong,
      ARM_METADATA_HOSTNAME: fake.host,
    });
    expect(r.code).toBe(6);
    expect(r.stderr).toBe(
      `adopt: cannot sign in as client ${DEPLOYER.clientId} with a client secret (ARM_CLIENT_SECRET): the client secret is not valid for client ${DEPLOYER.clientId} (AADSTS7000215)\nfix: set ARM_CLIENT_SECRET to the secret's value (not its ID) of the deploying app registration`,
    );
    expect(`${r.stdout}${r.stderr}`).not.toContain(wrong);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('never prints a token or the secret, whatever it prints', async () => {
    const r = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', DELEGATED.appId, '--policy-id', POLICY_ID]);
    expect(r.code).toBe(0);
    for (const t of [...fake.issued, DEPLOYER.secret]) expect(`${r.stdout}\n${r.stderr}`).not.toContain(t);
    expect(fake.requests.every((q) => !q.path.includes(DEPLOYER.secret))).toBe(true);
  });

  it('reads only: every Graph request is a GET', () => {
    expect(fake.requests.filter((q) => q.path.startsWith('/v1.0/')).every((q) => q.method === 'GET')).toBe(true);
  });

  it('adopts the same objects into the same section every time', async () => {
    const a = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', DELEGATED.appId, '--policy-id', POLICY_ID]);
    const b = await runAdopt(fake, pki, ['--env', 'prod', '--client-id', DELEGATED.appId, '--policy-id', POLICY_ID]);
    expect(a.stdout).toBe(b.stdout);
    expect(GRAPH_SP_ID).toBe(seeded().servicePrincipals[0].id);
  });
});
