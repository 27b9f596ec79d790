// Completeness of the inspection and the review: a config that sets every field is synthesized;
// every attribute the stack emits must be read into the inspection, and every field of the
// inspection must show in the rendered review (changing any one of them changes the text). A new
// field that the inspection or the review forgets fails here.
import { Testing } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { parseConfigText } from '../lib/config/load-config';
import { checkStack } from '../lib/guardrails/check';
import { inspectStack } from '../lib/inspection/from-stack';
import type { StackInspection } from '../lib/inspection/inspection';
import { tfString } from '../lib/inspection/values';
import { reviewOf } from '../lib/review/collect';
import { renderReview } from '../lib/review/render';

const U = (n: number) => `${String(n).padStart(8, '1')}-2222-4333-8444-555555555555`;
/** A Graph assignment or grant ID (base64url). */
const K = (c: string) => `${c.repeat(30)}AbCdEfGhIjKlM`;

/** Every field of every section, in every variant the builder distinguishes. */
const MAXIMAL = `
environments:
  delegated:
    tenantId: ${U(1)}
    provider: { authentication: oidc, clientId: ${U(2)} }
    backend:
      type: azurerm
      storageAccountName: tfstate01
      containerName: tfstate
      key: delegated.tfstate
      resourceGroupName: rg-tfstate
      subscriptionId: ${U(3)}
      tenantId: ${U(1)}
      useOidc: true
    application:
      displayName: ITSM mail delegated
      description: Reads the helpdesk mailboxes.
      notes: Owned by the service desk team.
      signInAudience: AzureADMultipleOrgs
      owners: [${U(4)}]
      assignedPrincipals: [${U(5)}]
      includeDeployerAsOwner: true
      preventDuplicateNames: true
      redirectUris: [https://itsm.example.com/pandoraitsm/setup/setup_mail, http://localhost:8080/callback]
      mail:
        flow: delegated
        protocols: [imap, pop, smtp]
        graphMailPermissions: [Mail.Read]
        graphMailJustification: The tool also reads mail through Graph.
        mailboxes: [helpdesk@example.com, it@example.com]
        mailboxAccess: fullAccess
      permissions:
        - { api: ExchangeOnline, type: application, name: Exchange.ManageAsApp, justification: Runs the Exchange runbook. }
        - { api: MicrosoftGraph, type: delegated, name: User.Read }
      adminConsent: true
      clientSecret: { lifetimeDays: 90 }
      exposedScope:
        id: ${U(27)}
        value: access_mail
        adminConsentDisplayName: Access mail admin
        adminConsentDescription: Lets the app read mail, admin text.
        userConsentDisplayName: Access mail user
        userConsentDescription: Lets the app read mail, user text.
        whoCanConsent: adminsAndUsers
      exposeApi: true
      import:
        applicationObjectId: ${U(20)}
        servicePrincipalObjectId: ${U(21)}
        identifierUri: api://${U(22)}
        permissionScopeId: ${U(27)}
        appRoleAssignments:
          - { api: ExchangeOnline, permission: Exchange.ManageAsApp, resourceServicePrincipalObjectId: ${U(23)}, assignmentId: ${K('a')} }
          - { permission: Mail.Read, resourceServicePrincipalObjectId: ${U(24)}, assignmentId: ${K('b')} }
        delegatedPermissionGrants: [{ grantId: ${K('c')} }]
        signInAssignments: [{ principal: ${U(5)}, assignmentId: ${K('d')} }]
    mfaPolicy:
      displayName: MFA everywhere
      state: on
      group:
        create: { displayName: MFA pilot group, description: Pilot users., members: [${U(6)}], owners: [${U(7)}], assignableToRole: true, preventDuplicateNames: false }
      includeUsers: [${U(8)}]
      excludeUsers: [${U(9)}]
      includeGroups: [${U(10)}]
      excludeGroups: [${U(11)}]
      includeRoles: [62e90394-69f5-4237-9190-012177145e10]
      excludeRoles: [${U(12)}]
      includeApplications: [MicrosoftAzureManagement, Office365]
      excludeApplications: [${U(13)}]
      clientAppTypes: [browser, mobileAppsAndDesktopClients]
      signInRiskLevels: [high]
      userRiskLevels: [medium]
      includePlatforms: [android, iOS]
      excludePlatforms: [linux]
      grant: { authenticationStrength: phishingResistantMfa, additionalControls: [compliantDevice], operator: AND }
      signInFrequency: { value: 8, unit: hours }
      allowEnforcedWithoutBreakGlassExclusion: { reason: Emergency access is kept by the tenant-wide policy CA000. }
      import: { policyId: ${U(25)}, groupObjectId: ${U(26)} }
    guardrails:
      suppressions:
        - { rule: ITSM-SEC-003, resource: itsm-mail/client-secret, reason: The ITSM tool takes only a client secret for OAuth. }
  app-only:
    backend: { type: cloud, organization: contoso, workspace: itsm-mail, hostname: tfe.example.com }
    application:
      displayName: ITSM mail app-only
      includeDeployerAsOwner: false
      preventDuplicateNames: false
      mail: { flow: app-only, protocols: [imap, smtp], mailboxes: [helpdesk@example.com], mailboxAccess: rbac }
      exposeApi: false
    mfaPolicy:
      group: { existingObjectId: ${U(14)} }
      includeUsers: [All]
      signInFrequency: everyTime
      grant: { mfa: true, additionalControls: [compliantApplication], operator: OR }
  glpi:
    application:
      displayName: ITSM mail GLPI
      itsmTool: glpi
      redirectUris:
        - https://glpi.example.com/plugins/oauthimap/front/authorization.callback.php
        - https://glpi.example.com/front/smtp_oauth2_callback.php
      mail: { protocols: [imap, smtp], mailboxes: [helpdesk@example.com] }
  local:
    backend: { type: local, path: state/local.tfstate }
    provider: { authentication: azureCli }
    application:
      displayName: ITSM mail local
      signInAudience: PersonalMicrosoftAccount
      adminConsent: false
      mail: { flow: app-only, protocols: [pop, smtp], mailboxAccess: fullAccess }
  tenant-app:
    tenant: contoso
    application:
      displayName: ITSM mail tenant app
      mail: { flow: app-only, protocols: [imap], mailboxes: [helpdesk@example.com] }
tenants:
  contoso:
    tenantId: ${U(20)}
    backend: { type: local, path: state/contoso.tfstate }
    namedLocations:
      itsm-server: { displayName: ITSM server, ipRanges: [203.0.113.10/32, '2001:db8::/48'], trusted: true }
      iberia: { displayName: Iberia, countries: [ES, PT], includeUnknownCountries: true, countryLookup: authenticatorAppGps }
      corp: { displayName: Corporate network, existing: true }
    conditionalAccessPolicies:
      everything:
        displayName: Every condition
        state: reportOnly
        includeUsers: [${U(21)}]
        excludeUsers: [GuestsOrExternalUsers, ${U(22)}]
        includeGroups: [${U(23)}]
        excludeGroups: [${U(24)}]
        includeRoles: [62e90394-69f5-4237-9190-012177145e10]
        excludeRoles: [${U(25)}]
        includeGuestsOrExternalUsers: { types: [internalGuest, b2bCollaborationGuest], externalTenants: [${U(26)}] }
        excludeGuestsOrExternalUsers: { types: [serviceProvider], externalTenants: all }
        includeApplications: [All]
        excludeApplications: [${U(27)}]
        clientAppTypes: [browser, mobileAppsAndDesktopClients]
        signInRiskLevels: [high]
        userRiskLevels: [medium]
        insiderRiskLevels: elevated
        includePlatforms: [all]
        excludePlatforms: [linux]
        includeLocations: [iberia, itsm-server]
        excludeLocations: [corp, AllTrusted]
        deviceFilter: { mode: exclude, rule: 'device.trustType -eq "ServerAD"' }
        authenticationFlows: [deviceCodeFlow, authenticationTransfer]
        grant: { mfa: true, additionalControls: [compliantDevice, domainJoinedDevice], termsOfUse: [${U(28)}], operator: AND }
        signInFrequency: { value: 3, unit: days }
        signInFrequencyAuthenticationType: secondaryAuthentication
        applicationEnforcedRestrictions: true
        cloudAppSecurity: monitorOnly
        persistentBrowser: never
        disableResilienceDefaults: true
      workload:
        preset: restrictServicePrincipalToLocations
        includeServicePrincipals: [tenant-app, ${U(29)}]
        excludeServicePrincipals: [${U(30)}]
        servicePrincipalFilter: { mode: include, rule: 'CustomSecurityAttribute.Team_Name -eq "itsm"' }
        servicePrincipalRiskLevels: [high, medium]
        excludeLocations: [itsm-server]
      registration:
        preset: requireMfaForSecurityInfoRegistration
        excludeUsers: [${U(31)}]
      session:
        displayName: Session only
        includeUsers: [All]
        includeApplications: [Office365]
        grant: { mfa: false }
        signInFrequency: everyTime
        persistentBrowser: always
`;

const REASON = 'a test that renders every field';

function inspections(): { inspection: StackInspection; render: (s: StackInspection) => string }[] {
  const app = Testing.app();
  const stacks = buildStacksFromConfig(app, parseConfigText(MAXIMAL, 'maximal.yaml'));
  return stacks.map((stack) => {
    const inspection = inspectStack(stack);
    const findings = checkStack(stack, inspection);
    return { inspection, render: (s: StackInspection) => renderReview(reviewOf(s, findings, stack.node.path)) };
  });
}

/** Every leaf (string, number, boolean) of a JSON value, with its path. */
function leaves(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: string | number | boolean }[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value: value as string | number | boolean }];
}

describe('the inspection of a maximal config', () => {
  const all = inspections();

  it('covers every environment variant', () => {
    expect(all.map((x) => x.inspection.stack)).toEqual(['app-only', 'delegated', 'glpi', 'local', 'tenant-app', 'tenant-contoso']);
  });

  it.each(all.map((x) => [x.inspection.stack, x] as const))('%s: reads every attribute the stack emits', (_name, { inspection }) => {
    expect(inspection.unread).toEqual([]);
  });

  it.each(all.map((x) => [x.inspection.stack, x] as const))('%s: holds every emitted value', (_name, { inspection }) => {
    // The same stack's JSON, as written to cdk.tf.json.
    const app = Testing.app();
    const stack = buildStacksFromConfig(app, parseConfigText(MAXIMAL, 'maximal.yaml')).find((s) => s.node.id === inspection.stack)!;
    const json = stack.toTerraform() as Record<string, Record<string, Record<string, Record<string, unknown>>>> & { import?: Record<string, unknown>[] };
    // The inspection names a permission's type as Graph does (delegated / application), where
    // required_resource_access writes Scope / Role.
    const spelling: Record<string, string> = { Scope: 'delegated', Role: 'application' };
    const held = new Set(leaves(inspection).map((l) => String(l.value)));
    const missing: string[] = [];
    for (const mode of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(json[mode] ?? {})) {
        for (const [name, attrs] of Object.entries(byName)) {
          for (const l of leaves(Object.fromEntries(Object.entries(attrs).filter(([k]) => k !== '//')))) {
            if (!held.has(String(l.value)) && !held.has(spelling[String(l.value)] ?? ''))
              missing.push(`${type}.${name}.${l.path.join('.')} = ${JSON.stringify(l.value)}`);
          }
        }
      }
    }
    // Import blocks too: every value of every block.
    (json.import ?? []).forEach((block, i) => {
      for (const l of leaves(block)) if (!held.has(String(l.value))) missing.push(`import[${i}].${l.path.join('.')} = ${JSON.stringify(l.value)}`);
    });
    expect(missing).toEqual([]);
  });

  it('imports in the delegated variant, so the import blocks are covered', () => {
    const delegated = all.find((x) => x.inspection.stack === 'delegated')!.inspection;
    expect(delegated.imports.map((i) => i.to.split('.')[0]).sort()).toEqual([
      'azuread_app_role_assignment',
      'azuread_app_role_assignment',
      'azuread_app_role_assignment',
      'azuread_application',
      'azuread_application_identifier_uri',
      'azuread_application_permission_scope',
      'azuread_conditional_access_policy',
      'azuread_group',
      'azuread_service_principal',
      'azuread_service_principal_delegated_permission_grant',
    ]);
  });
});

/** The other values a closed-list field can take, so a mutation stays a value the type allows. */
const ALTERNATIVES: Record<string, readonly string[]> = {
  api: ['MicrosoftGraph', 'ExchangeOnline'],
  type: ['delegated', 'application'],
  idSource: ['catalogue', 'tenant'],
  namedBy: ['declaration', 'catalogue', 'unknown'],
  platform: ['web', 'spa', 'publicClient'],
  credential: ['applicationPassword', 'servicePrincipalPassword'],
  purpose: ['consent', 'signIn', 'unknown'],
  flow: ['delegated', 'app-only'],
  mailboxAccess: ['rbac', 'fullAccess'],
  protocols: ['imap', 'pop', 'smtp'],
  graphMailPermissions: ['Mail.Read', 'Mail.ReadWrite', 'Mail.Send'],
  state: ['enabled', 'disabled', 'enabledForReportingButNotEnforced'],
  mode: ['include', 'exclude'],
};

/**
 * Fields that repeat, in another form, a value the review shows elsewhere: a plain reference's
 * parsed address (`ref`, recomputed below whenever its expression changes), the discriminants, and
 * `addresses`, the index of every entity's own address, path and owner.
 */
const DERIVED = new Set(['ref', 'kind', 'deferred', 'addresses']);

function mutate(inspection: StackInspection, path: (string | number)[], value: string | number | boolean): StackInspection | undefined {
  if (path.some((k) => typeof k === 'string' && DERIVED.has(k))) return undefined;
  const clone = JSON.parse(JSON.stringify(inspection)) as Record<string, unknown>;
  let node: Record<string | number, unknown> = clone;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const key = String(typeof last === 'number' ? path[path.length - 2] : last);
  if (last === 'expression') {
    // A changed expression is a new deferred value: its reference (if any) is parsed again.
    let parent: Record<string | number, unknown> = clone;
    for (const k of path.slice(0, -2)) parent = parent[k] as Record<string | number, unknown>;
    parent[path[path.length - 2]] = tfString(`${String(value)}-mutated`);
    return clone as unknown as StackInspection;
  }
  if (typeof value === 'boolean') node[last] = !value;
  else if (typeof value === 'number') node[last] = value + 7;
  else if (ALTERNATIVES[key]?.includes(value)) node[last] = ALTERNATIVES[key].find((v) => v !== value)!;
  else node[last] = `${value}-mutated`;
  return clone as unknown as StackInspection;
}

describe('the review of a maximal config', () => {
  const all = inspections();

  it.each(all.map((x) => [x.inspection.stack, x] as const))('%s: changes when any field of the inspection changes', (_name, { inspection, render }) => {
    const original = render(inspection);
    const unchanged: string[] = [];
    let mutations = 0;
    for (const l of leaves(inspection)) {
      const mutated = mutate(inspection, l.path, l.value);
      if (!mutated) continue;
      mutations++;
      if (render(mutated) === original) unchanged.push(`${l.path.join('.')} = ${JSON.stringify(l.value)}`);
    }
    expect(mutations).toBeGreaterThan(100);
    expect({ reason: REASON, unchanged }).toEqual({ reason: REASON, unchanged: [] });
  });
});
