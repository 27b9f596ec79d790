import { callbackUri, itsmToolPreset, type ItsmToolId, type ToolFormValue } from '../model/itsm-tool';
import { mailTokenScope, type MailFlow, type MailProtocol } from '../model/mail-access';
import { CLIENT_SECRET_POINTER, LOGIN } from './itsm-email-settings';

export interface ItsmToolSettingsInput {
  readonly itsmTool: ItsmToolId;
  readonly tenantId: string;
  readonly clientId: string;
  readonly flow: MailFlow;
  readonly protocols: readonly MailProtocol[];
  readonly redirectUris: readonly string[];
  readonly mailboxes: readonly string[];
}

/**
 * The `itsm_tool_settings` output: what to type into each field of the ITSM tool's own forms,
 * keyed `<where>: <field label>` as the tool labels them (the preset's `form`), for the flow and
 * protocols in use. No secrets: the client secret field points at the sensitive output.
 * Undefined for a tool without a form of its own in the preset (Pandora ITSM, whose form
 * `itsm_email_settings` already follows).
 */
export function itsmToolSettings(input: ItsmToolSettingsInput): Record<string, string> | undefined {
  const tool = itsmToolPreset(input.itsmTool);
  if (!tool.form) return undefined;
  const value = (v: ToolFormValue): string => {
    if ('literal' in v) return v.literal;
    switch (v.from) {
      case 'tenantId':
        return input.tenantId;
      case 'clientId':
        return input.clientId;
      case 'clientSecret':
        return CLIENT_SECRET_POINTER;
      case 'mailbox':
        return input.mailboxes[0] ?? '';
      case 'scope':
        return mailTokenScope(input.flow, input.protocols);
      case 'authorizeEndpoint':
        return `${LOGIN}/${input.tenantId}/oauth2/v2.0/authorize`;
      case 'tokenEndpoint':
        return `${LOGIN}/${input.tenantId}/oauth2/v2.0/token`;
      case 'protocolNames':
        return input.protocols.map((p) => p.toUpperCase()).join(', ');
      case 'redirectUri':
        return callbackUri(tool, input.protocols, input.redirectUris, v.protocol);
    }
  };
  const out: Record<string, string> = {};
  for (const f of tool.form) {
    if (f.flow !== undefined && f.flow !== input.flow) continue;
    if (f.protocols !== undefined && !f.protocols.some((p) => input.protocols.includes(p))) continue;
    out[f.field] = value(f.value);
  }
  return out;
}
