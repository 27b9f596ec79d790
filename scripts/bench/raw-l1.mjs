#!/usr/bin/env node
// Raw-L1 baseline for `npm run bench`: declares, per stack, the same Terraform resources, data
// sources, outputs, provider and backend as the module does for the bench config's environment
// (an application with IMAP/SMTP delegated mail, a rotating secret, an exposed scope, admin
// consent), directly with the provider classes. No config file, no validation, no guardrails:
// the cost of cdktf and the provider bindings alone.
//
// usage: node scripts/bench/raw-l1.mjs STACKS [OUTDIR]
import { createRequire } from 'node:module';
import { v5 as uuidv5 } from 'uuid';

const require = createRequire(import.meta.url);
const { App, Fn, LocalBackend, Op, TerraformOutput, TerraformStack, Token } = require('cdktf');
const { AzureadProvider } = require('@cdktf/provider-azuread/lib/provider');
const { Application } = require('@cdktf/provider-azuread/lib/application');
const { ApplicationIdentifierUri } = require('@cdktf/provider-azuread/lib/application-identifier-uri');
const { ApplicationPasswordA } = require('@cdktf/provider-azuread/lib/application-password');
const { ApplicationPermissionScope } = require('@cdktf/provider-azuread/lib/application-permission-scope');
const { DataAzureadClientConfig } = require('@cdktf/provider-azuread/lib/data-azuread-client-config');
const { DataAzureadServicePrincipal } = require('@cdktf/provider-azuread/lib/data-azuread-service-principal');
const { ServicePrincipal } = require('@cdktf/provider-azuread/lib/service-principal');
const { ServicePrincipalDelegatedPermissionGrant } = require('@cdktf/provider-azuread/lib/service-principal-delegated-permission-grant');
const { TimeProvider } = require('@cdktf/provider-time/lib/provider');
const { Rotating } = require('@cdktf/provider-time/lib/rotating');

const GRAPH = '00000003-0000-0000-c000-000000000000';
// IMAP.AccessAsUser.All, SMTP.Send, offline_access, openid (Microsoft Graph delegated scopes).
const SCOPES = {
  'IMAP.AccessAsUser.All': '652390e4-393a-48de-9484-05f9b1212954',
  'SMTP.Send': '258f6531-6087-4cc4-bb90-092c5fb3ed3f',
  offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
  openid: '37f7f235-527c-4136-accd-4a02d197296e',
};
const REDIRECT = 'https://itsm.example.com/pandoraitsm/setup/setup_mail';

function declare(stack, name, index) {
  const out = (id, value, description, sensitive = false) => new TerraformOutput(stack, id, { value, description, sensitive });
  new AzureadProvider(stack, 'azuread', {});
  new TimeProvider(stack, 'time');
  new LocalBackend(stack, { path: `../../../terraform.${name}.tfstate` });

  const current = new DataAzureadClientConfig(stack, 'current');
  const graph = new DataAzureadServicePrincipal(stack, 'microsoft-graph', { clientId: GRAPH });
  const displayName = `Pandora ITSM mail ${index}`;
  const app = new Application(stack, 'application', {
    displayName,
    signInAudience: 'AzureADMyOrg',
    owners: [current.objectId],
    preventDuplicateNames: true,
    web: { redirectUris: [REDIRECT] },
    requiredResourceAccess: [{ resourceAppId: GRAPH, resourceAccess: Object.values(SCOPES).map((id) => ({ id, type: 'Scope' })) }],
    api: { requestedAccessTokenVersion: 1 },
    lifecycle: { ignoreChanges: ['identifier_uris', 'api[0].oauth2_permission_scope'] },
  });
  const sp = new ServicePrincipal(stack, 'service-principal', { clientId: app.clientId, owners: [current.objectId] });

  const clockA = new Rotating(stack, 'rotation-a', { rotationDays: 180 });
  const before = Fn.timeadd(clockA.rotationRfc3339, '-2160h');
  const after = Fn.timeadd(clockA.rotationRfc3339, '2160h');
  const clockB = new Rotating(stack, 'rotation-b', {
    rotationRfc3339: Fn.conditional(Op.eq(Fn.timecmp(before, Fn.plantimestamp()), 1), before, after),
    lifecycle: { ignoreChanges: ['rotation_rfc3339'] },
  });
  const slot = (letter, clock) =>
    new ApplicationPasswordA(stack, `slot-${letter}`, {
      applicationId: app.id,
      displayName: `ITSM mail (slot ${letter})`,
      endDate: clock.rotationRfc3339,
      rotateWhenChanged: { rotation: clock.id },
    });
  const a = slot('a', clockA);
  const b = slot('b', clockB);
  const aIsNewer = Op.neq(Fn.timecmp(clockA.id, clockB.id), -1);

  const uri = new ApplicationIdentifierUri(stack, 'identifier-uri', { applicationId: app.id, identifierUri: `api://${app.clientId}` });
  const scope = new ApplicationPermissionScope(stack, 'scope', {
    applicationId: app.id,
    scopeId: uuidv5(`scope-${index}`, '6ba7b811-9dad-11d1-80b4-00c04fd430c8'),
    value: 'access_as_user',
    type: 'Admin',
    adminConsentDisplayName: 'Access Pandora ITSM mail',
    adminConsentDescription: 'Allows it.',
    dependsOn: [uri],
  });
  new ServicePrincipalDelegatedPermissionGrant(stack, 'admin-consent', {
    servicePrincipalObjectId: sp.objectId,
    resourceServicePrincipalObjectId: graph.objectId,
    claimValues: Object.keys(SCOPES),
  });

  out('tenant_id', current.tenantId, 'Directory (tenant) ID');
  out('client_id', app.clientId, 'Application (client) ID');
  out('application_object_id', app.objectId, 'Object ID of the app registration');
  out('service_principal_object_id', sp.objectId, 'Object ID of the service principal');
  out('client_secret', Token.asString(Fn.conditional(aIsNewer, a.value, b.value)), 'The newest client secret value', true);
  out('client_secret_end_date', Token.asString(Fn.conditional(aIsNewer, a.endDate, b.endDate)), 'When the newest client secret expires');
  out('identifier_uri', uri.identifierUri, 'Application ID URI');
  out('exposed_scope', `${uri.identifierUri}/${scope.value}`, 'The exposed scope');
  out(
    'itsm_email_settings',
    {
      tenant_id: current.tenantId,
      client_id: app.clientId,
      authorize_endpoint: `https://login.microsoftonline.com/${current.tenantId}/oauth2/v2.0/authorize`,
      token_endpoint: `https://login.microsoftonline.com/${current.tenantId}/oauth2/v2.0/token`,
      redirect_uri: REDIRECT,
      scope: 'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access',
      imap_server: 'outlook.office365.com',
      smtp_server: 'smtp.office365.com',
    },
    'Values for the ITSM tool Email setup form',
  );
  out(
    'exchange_online_runbook',
    `# Exchange Online steps for "${displayName}"\nConnect-ExchangeOnline\nSet-CASMailbox -Identity helpdesk@example.com -ImapEnabled $true\n`,
    'Exchange Online PowerShell to run once after apply',
  );
}

const stacks = Number(process.argv[2] ?? 1);
const outdir = process.argv[3] ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
const app = new App({ outdir, stackTraces: false });
for (let i = 0; i < stacks; i++) {
  const name = `env${String(i).padStart(4, '0')}`;
  declare(new TerraformStack(app, name), name, i);
}
app.synth();
process.stdout.write(`raw-l1: synthesized ${stacks} stack(s) into ${outdir}\n`);
