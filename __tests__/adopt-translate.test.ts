// The translation of what the portal made into the config's words, on its own (no HTTP): which
// choices it makes, what it lists as changed or not expressed, and that every section it makes is
// judged by the config loader's own rules.
import type { PortalSnapshot } from '../lib/adopt/portal';
import { adoptionOf, AdoptionError, type Adoption } from '../lib/adopt/translate';
import { environmentYaml } from '../lib/adopt/write';
import { parseConfigText } from '../lib/config/load-config';
import { lookupPermission } from '../lib/permissions/catalogue';
import { APP_ONLY, DELEGATED, DEPLOYER, GROUP_ID, POLICY_ID, seededTenant, snapshotOf, TENANT_ID } from '../test-support/portal-seeds';

const ctx = { tenantId: TENANT_ID, deployerObjectId: DEPLOYER.objectId };
const base = (policy = false) => snapshotOf(seededTenant(), DELEGATED.objectId, policy ? POLICY_ID : undefined);
const appOnly = () => snapshotOf(seededTenant(), APP_ONLY.objectId);
/** A deep copy of a snapshot with one change made (untyped on purpose: Graph objects are read-only types). */
const edit = (s: PortalSnapshot, change: (s: any) => void): PortalSnapshot => {
  const copy = JSON.parse(JSON.stringify(s)) as PortalSnapshot;
  change(copy);
  return copy;
};
const id = (api: 'MicrosoftGraph' | 'ExchangeOnline', type: 'delegated' | 'application', name: string) =>
  (lookupPermission(api, type, name) as { ok: true; permission: { id: string } }).permission.id;
/** The section must load: the loader runs every model rule on it. */
const loads = (a: Adoption) => parseConfigText(environmentYaml('prod', a.environment), 'adopted.yaml').environments.prod;
const names = (a: Adoption) => a.notExpressed.map((n) => `${n.effect}: ${n.name}`);

describe('the mail preset', () => {
  it('refuses an application without any mail permission: it is not one this project declares', () => {
    const s = edit(
      base(),
      (x) =>
        (x.application.requiredResourceAccess = [
          { resourceAppId: '00000003-0000-0000-c000-000000000000', resourceAccess: [{ id: id('MicrosoftGraph', 'delegated', 'User.Read'), type: 'Scope' }] },
        ]),
    );
    expect(() => adoptionOf(s, ctx)).toThrow(AdoptionError);
    expect(() => adoptionOf(s, ctx)).toThrow(/requests none of the mail permissions this project's mail preset declares/);
  });

  it('puts Graph mail application permissions in graphMailPermissions, and asks for the justification the guardrail needs', () => {
    const s = edit(appOnly(), (x) =>
      x.application.requiredResourceAccess[0].resourceAccess.push({ id: id('MicrosoftGraph', 'application', 'Mail.Read'), type: 'Role' }),
    );
    const a = adoptionOf(s, ctx);
    expect(a.environment.application?.mail).toMatchObject({ flow: 'app-only', graphMailPermissions: ['Mail.Read'] });
    expect(a.todo).toContainEqual(expect.stringContaining('write mail.graphMailJustification'));
    // The consent to Mail.Read is not in the portal: granting it is a change, said so.
    expect(a.changes).toContainEqual(
      'grants admin consent to the Microsoft Graph application permission Mail.Read: requested, but not consented in the portal',
    );
    loads(a);
  });

  it('with IMAP only as an app role, notes that SMTP may be granted by Exchange RBAC instead', () => {
    const s = edit(appOnly(), (x) => {
      x.application.requiredResourceAccess[1].resourceAccess = [{ id: id('ExchangeOnline', 'application', 'IMAP.AccessAsApp'), type: 'Role' }];
      x.appRoleAssignments = x.appRoleAssignments.filter((r: { appRoleId: string }) => r.appRoleId === id('ExchangeOnline', 'application', 'IMAP.AccessAsApp'));
    });
    const a = adoptionOf(s, ctx);
    expect(a.environment.application?.mail).toEqual({ flow: 'app-only', protocols: ['imap'] });
    expect(a.todo).toContainEqual(expect.stringContaining('add smtp to mail.protocols'));
    loads(a);
  });
});

describe('naming the requested permissions', () => {
  it("names them by the catalogue's IDs when the API's service principal could not be read", () => {
    const a = adoptionOf(
      edit(appOnly(), (x) => (x.resources = [])),
      ctx,
    );
    expect(a.environment.application?.mail).toMatchObject({ flow: 'app-only', protocols: ['imap', 'smtp'] });
    expect(a.environment.application?.permissions).toEqual([{ type: 'delegated', name: 'User.Read' }]);
    // Consents are found by their app role IDs, so they are still imported.
    expect(a.environment.application?.import?.appRoleAssignments?.map((r) => r.permission)).toEqual(['IMAP.AccessAsApp', 'SMTP.SendAsApp']);
  });

  it("reports a permission ID that neither the API's service principal nor the catalogue knows", () => {
    const a = adoptionOf(
      edit(base(), (x) => x.application.requiredResourceAccess[0].resourceAccess.push({ id: 'ad0b0000-0000-4000-8000-00000000dead', type: 'Scope' })),
      ctx,
    );
    expect(names(a)).toContainEqual('removed: Microsoft Graph delegated permission with ID ad0b0000-0000-4000-8000-00000000dead');
  });
});

describe('consent', () => {
  it('declares adminConsent false when the portal consented nothing, and imports no consent', () => {
    const a = adoptionOf(
      edit(base(), (x) => (x.permissionGrants = [])),
      ctx,
    );
    expect(a.environment.application).toMatchObject({ adminConsent: false });
    expect(a.environment.application?.import?.delegatedPermissionGrants).toBeUndefined();
    expect(a.todo).toContainEqual(expect.stringContaining('no permission has admin consent in the portal, so adminConsent is false'));
    loads(a);
  });

  it('lists a consent the application does not request as kept, and user consents as kept', () => {
    const a = adoptionOf(
      edit(appOnly(), (x) => {
        x.appRoleAssignments.push({
          id: 'Zm9vYmFyLWJhei1xdXV4LWNvcmdlLWdyYXVsdC1nYXJwbHk',
          appRoleId: id('ExchangeOnline', 'application', 'full_access_as_app'),
          principalId: APP_ONLY.spId,
          resourceId: x.resources.find((r: { appId: string }) => r.appId === '00000002-0000-0ff1-ce00-000000000000').id,
        });
        x.permissionGrants.push({
          id: 'dXNlci1ncmFudC14eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHg',
          clientId: APP_ONLY.spId,
          consentType: 'Principal',
          principalId: 'ad0b0000-0000-4000-8000-0000000a0001',
          resourceId: x.resources[0].id,
          scope: 'User.Read',
        });
      }),
      ctx,
    );
    expect(names(a)).toEqual(
      expect.arrayContaining([
        'kept: the admin consent to Office 365 Exchange Online application permission "full_access_as_app"',
        expect.stringMatching(/^kept: user consent of ad0b0000-0000-4000-8000-0000000a0001 to User\.Read of Microsoft Graph$/),
      ]),
    );
    expect(a.environment.application?.import?.appRoleAssignments?.map((r) => r.permission)).toEqual(['IMAP.AccessAsApp', 'SMTP.SendAsApp']);
  });
});

describe('the application', () => {
  it('lists what the application resource would remove: app roles, optional claims, public client flows, info URLs', () => {
    const a = adoptionOf(
      edit(base(), (x) => {
        x.application.appRoles = [
          { id: 'ad0b0000-0000-4000-8000-00000000a401', value: 'Tickets.Admin', displayName: 'Tickets admin', isEnabled: true, allowedMemberTypes: ['User'] },
        ];
        x.application.optionalClaims = { idToken: [{ name: 'email' }], accessToken: [], saml2Token: [] };
        x.application.isFallbackPublicClient = true;
        x.application.info = { marketingUrl: 'https://contoso.com/itsm' };
        x.application.groupMembershipClaims = 'SecurityGroup';
      }),
      ctx,
    );
    expect(names(a)).toEqual(
      expect.arrayContaining([
        'removed: the app role "Tickets.Admin"',
        'removed: optional claims',
        'removed: "Allow public client flows"',
        'removed: the marketing URL https://contoso.com/itsm',
        'removed: group membership claims (SecurityGroup)',
      ]),
    );
    loads(a);
  });

  it('without an exposed scope, declares none for the delegated flow and says the identifier URI goes', () => {
    const a = adoptionOf(
      edit(base(), (x) => (x.application.api.oauth2PermissionScopes = [])),
      ctx,
    );
    expect(a.environment.application).toMatchObject({ exposeApi: false });
    expect(a.environment.application?.import).not.toHaveProperty('identifierUri');
    expect(names(a)).toContainEqual(`removed: the identifier URI api://${DELEGATED.appId}`);
    loads(a);
  });

  it('with a scope but another identifier URI, keeps that one as it is and adds api://<client ID>', () => {
    const a = adoptionOf(
      edit(base(), (x) => (x.application.identifierUris = ['api://itsm.contoso.com'])),
      ctx,
    );
    expect(a.environment.application?.import).not.toHaveProperty('identifierUri');
    expect(a.changes).toContainEqual(`adds the identifier URI api://${DELEGATED.appId}: the one this project declares`);
    expect(names(a)).toContainEqual('kept: the identifier URI api://itsm.contoso.com');
    loads(a);
  });

  it("without the deployer's object ID, makes no one an owner the portal did not, and says how", () => {
    const a = adoptionOf(base(), { tenantId: TENANT_ID });
    expect(a.environment.application).toMatchObject({ includeDeployerAsOwner: false, owners: ['ad0b0000-0000-4000-8000-0000000a0001', DEPLOYER.objectId] });
    expect(a.todo).toContainEqual(expect.stringContaining('is not an owner of the application; includeDeployerAsOwner is false'));
  });

  it('says when the requested permissions are the same but listed in another order (an ordered list in the provider)', () => {
    const a = adoptionOf(
      edit(appOnly(), (x) => x.application.requiredResourceAccess[1].resourceAccess.reverse()),
      ctx,
    );
    expect(a.changes).toContainEqual(
      "lists the Office 365 Exchange Online permissions the registration requests in this project's order (IMAP.AccessAsApp, SMTP.SendAsApp) instead of the portal's (SMTP.SendAsApp, IMAP.AccessAsApp): " +
        'required_resource_access.resource_access is an ordered list in the provider, so the first plan shows the reorder',
    );
    expect(adoptionOf(appOnly(), ctx).changes.some((c) => c.includes("this project's order"))).toBe(false);
  });

  it("says when the permissions both lists hold are reordered, also when the plan adds one (the portal's offline_access before User.Read)", () => {
    // Graph: IMAP, SMTP, offline_access, User.Read; the project writes IMAP, SMTP, User.Read, offline_access, openid (by name).
    const a = adoptionOf(snapshotOf(seededTenant(), DELEGATED.objectId), ctx);
    expect(a.changes).toContainEqual(
      "lists the Microsoft Graph permissions the registration requests in this project's order (IMAP.AccessAsUser.All, SMTP.Send, User.Read, offline_access, openid) instead of the portal's (IMAP.AccessAsUser.All, SMTP.Send, offline_access, User.Read): " +
        'required_resource_access.resource_access is an ordered list in the provider, so the first plan shows the reorder',
    );
    // Only added at the end, in the project's order: no reorder to report.
    const inOrder = adoptionOf(
      edit(snapshotOf(seededTenant(), DELEGATED.objectId), (x) => {
        const ra = x.application.requiredResourceAccess[0].resourceAccess;
        x.application.requiredResourceAccess[0].resourceAccess = [ra[0], ra[1], ra[3], ra[2]];
      }),
      ctx,
    );
    expect(inOrder.changes.some((c) => c.includes("this project's order"))).toBe(false);
    expect(inOrder.changes).toContainEqual(expect.stringContaining('adds the Microsoft Graph delegated permission openid'));
  });

  it('says when "Assignment required" changes because no user or group is assigned', () => {
    const a = adoptionOf(
      edit(appOnly(), (x) => (x.appRoleAssignedTo = [])),
      ctx,
    );
    expect(a.changes).toContainEqual(expect.stringContaining('turns "Assignment required" off'));
    expect(a.environment.application).not.toHaveProperty('assignedPrincipals');
  });
});

describe('the policy', () => {
  it('names a group that is not a plain security group by ID, and does not manage it', () => {
    const a = adoptionOf(
      edit(base(true), (x) => (x.groups[0] = { ...x.groups[0], groupTypes: ['Unified'], mailEnabled: true })),
      ctx,
    );
    expect(a.environment.mfaPolicy?.group).toEqual({ existingObjectId: GROUP_ID });
    expect(a.environment.mfaPolicy?.import).toEqual({ policyId: POLICY_ID });
    expect(names(a)).toContainEqual('kept: the group "MFA-Test-Group"');
    loads(a);
  });

  it.each([
    ['00000000-0000-0000-0000-000000000004', 'phishingResistantMfa'],
    ['ad0b0000-0000-4000-8000-00000000a5a1', '/policies/authenticationStrengthPolicies/ad0b0000-0000-4000-8000-00000000a5a1'],
  ])('maps the authentication strength %s to %s', (strength, expected) => {
    const a = adoptionOf(
      edit(base(true), (x) => (x.policy.grantControls = { operator: 'OR', builtInControls: [], authenticationStrength: { id: strength } })),
      ctx,
    );
    expect(a.environment.mfaPolicy?.grant).toEqual({ mfa: false, authenticationStrength: expected, operator: 'OR' });
    loads(a);
  });

  it('maps sign-in frequency and the session controls the model declares, and lists those it cannot', () => {
    const every = adoptionOf(
      edit(
        base(true),
        (x) =>
          (x.policy.sessionControls = {
            signInFrequency: { isEnabled: true, frequencyInterval: 'everyTime', authenticationType: 'secondaryAuthentication' },
            persistentBrowser: { isEnabled: true, mode: 'never' },
            applicationEnforcedRestrictions: { isEnabled: true },
          }),
      ),
      ctx,
    );
    expect(every.environment.mfaPolicy).toMatchObject({
      signInFrequency: 'everyTime',
      signInFrequencyAuthenticationType: 'secondaryAuthentication',
      persistentBrowser: 'never',
    });
    // The provider never sends app enforced restrictions with everyTime (expandConditionalAccessSessionControls), and the model refuses them.
    expect(every.environment.mfaPolicy).not.toHaveProperty('applicationEnforcedRestrictions');
    expect(names(every)).toContainEqual('removed: app enforced restrictions');
    expect(every.changes.some((c) => c.includes('sign-in frequency'))).toBe(false);
    loads(every);
    const odd = adoptionOf(
      edit(
        base(true),
        (x) =>
          (x.policy.sessionControls = {
            persistentBrowser: { isEnabled: true, mode: 'unknownFutureValue' },
            cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: 'blockDownloads' },
          }),
      ),
      ctx,
    );
    expect(odd.environment.mfaPolicy).toMatchObject({ cloudAppSecurity: 'blockDownloads' });
    expect(names(odd)).toContainEqual('removed: the persistent browser session control (unknownFutureValue)');
    const hours = adoptionOf(
      edit(base(true), (x) => (x.policy.sessionControls = { signInFrequency: { isEnabled: true, type: 'hours', value: 8, frequencyInterval: 'timeBased' } })),
      ctx,
    );
    expect(hours.environment.mfaPolicy?.signInFrequency).toEqual({ value: 8, unit: 'hours' });
    loads(hours);
  });

  it('says so when the grant controls are listed in another order than the project writes them', () => {
    const a = adoptionOf(
      edit(base(true), (x) => (x.policy.grantControls.builtInControls = ['compliantDevice', 'mfa'])),
      ctx,
    );
    expect(a.environment.mfaPolicy?.grant).toEqual({ mfa: true, additionalControls: ['compliantDevice'], operator: 'OR' });
    expect(a.changes).toContainEqual('lists the grant controls as mfa, compliantDevice (mfa first) instead of compliantDevice, mfa; the same controls');
  });

  it('uses the alias MicrosoftAzureManagement for its client ID, and keeps other IDs as they are', () => {
    const a = adoptionOf(
      edit(
        base(true),
        (x) => (x.policy.conditions.applications.includeApplications = ['797f4846-ba00-4fd7-ba43-dac1f8f63013', '00000003-0000-0ff1-ce00-000000000000']),
      ),
      ctx,
    );
    expect(a.environment.mfaPolicy?.includeApplications).toEqual(['MicrosoftAzureManagement', '00000003-0000-0ff1-ce00-000000000000']);
  });
});
