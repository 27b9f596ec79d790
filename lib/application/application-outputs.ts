import type { Construct } from 'constructs';
import { addOutput } from '../private/terraform-output';
import { exchangeOnlineRunbook } from './exchange-runbook';
import { itsmEmailSettings } from './itsm-email-settings';
import { itsmToolSettings } from './itsm-tool-settings';
import type { ItsmMailApplication } from './itsm-mail-application';

/**
 * The per-environment outputs: IDs, the sensitive client secret, the ITSM Email setup bundle (the
 * same keys for every tool: `npm run verify` reads them), the ITSM tool's own form fields
 * (`itsm_tool_settings`, for tools other than Pandora ITSM) and the Exchange Online runbook. Only `client_secret` carries secret material, and it is sensitive.
 * Output names are public API (pipelines read them with `terraform output`).
 */
export function addApplicationOutputs(scope: Construct, app: ItsmMailApplication): void {
  const out = (id: string, value: unknown, description: string, sensitive = false) => addOutput(scope, id, value, description, sensitive);

  out('tenant_id', app.tenantId, 'Directory (tenant) ID');
  out('client_id', app.clientId, 'Application (client) ID');
  out('application_object_id', app.applicationObjectId, 'Object ID of the app registration (App registrations)');
  out(
    'service_principal_object_id',
    app.servicePrincipalObjectId,
    'Object ID of the service principal (Enterprise applications); Exchange Online New-ServicePrincipal -ObjectId takes this one',
  );
  out('client_secret', app.clientSecret.value, 'The client secret that stays valid longest: paste it into the ITSM tool, nowhere else', true);
  out('client_secret_end_date', app.clientSecret.endDate, 'When that client secret expires (RFC 3339)');
  if (app.exposedScope) {
    out('identifier_uri', app.exposedScope.identifierUri, 'Application ID URI (Expose an API)');
    out('exposed_scope', app.exposedScope.scope, 'The exposed scope (Expose an API → scope)');
  }
  const m = app.model;
  out(
    'itsm_email_settings',
    itsmEmailSettings({
      tenantId: app.tenantId,
      clientId: app.clientId,
      flow: m.mail.flow,
      protocols: m.mail.protocols,
      redirectUris: m.redirectUris,
      mailboxes: m.mail.mailboxes,
      mailboxAccess: m.mail.mailboxAccess,
    }),
    'Values for the ITSM tool Email setup form (no secrets)',
  );
  // Only for tools whose preset has form fields of its own: for Pandora ITSM, itsm_email_settings is its form.
  const toolSettings = itsmToolSettings({
    itsmTool: m.itsmTool.id,
    tenantId: app.tenantId,
    clientId: app.clientId,
    flow: m.mail.flow,
    protocols: m.mail.protocols,
    redirectUris: m.redirectUris,
    mailboxes: m.mail.mailboxes,
  });
  if (toolSettings && m.itsmTool.settingsOutput) {
    out(
      m.itsmTool.settingsOutput,
      toolSettings,
      `Values for the ${m.itsmTool.displayName} forms, by the tool's own field labels (no secrets; see docs/itsm-tools.md)`,
    );
  }
  out(
    'exchange_online_runbook',
    exchangeOnlineRunbook({ displayName: m.displayName, clientId: app.clientId, servicePrincipalObjectId: app.servicePrincipalObjectId, mail: m.mail }),
    'Exchange Online PowerShell to run once after apply (terraform output -raw exchange_online_runbook)',
  );
}
