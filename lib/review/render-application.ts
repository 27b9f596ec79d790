/** The review's markdown of an application: registration, mail, credential, permissions, consent, exposed API. */
import type { InspectedApplication, InspectedPermission, StackInspection } from '../inspection/inspection';
import { isDeferred, refersTo, type TfString } from '../inspection/values';
import type { AppliedItsmTool } from '../model/itsm-tool';
import { mailboxGrants, type MailAccess } from '../model/mail-access';
import { highPrivilegeReason } from '../model/permissions';
import { DEFAULT_ACCESS_APP_ROLE_ID } from '../model/ids';
import { KnownApi, lookupPermission } from '../permissions/catalogue';
import { at, isDeployer, yesNo } from './render-common';
import { andList, AUDIENCE_WORDS, code, md, plain, tf, tfText } from './words';
import type { PlanReview } from './plan-review';
import { table } from '../private/table';
// ---------------------------------------------------------------------------------------------
// Application

export function renderApplication(s: StackInspection, app: InspectedApplication, plan?: PlanReview): string[] {
  const out = [`### Application ${app.displayName !== undefined ? `"${tfText(app.displayName)}"` : '(unnamed)'}`, ''];
  const audience = app.signInAudience ?? 'AzureADMyOrg';
  out.push(
    `- **Sign-in audience:** ${isDeferred(audience) ? tf(audience) : `${md(AUDIENCE_WORDS[audience] ?? audience)} (${code(audience)})`}${app.signInAudience === undefined ? " (the provider's default)" : ''}`,
  );
  if (app.description !== undefined) out.push(`- **Description:** ${tfText(app.description)}`);
  if (app.notes !== undefined) out.push(`- **Notes:** ${tfText(app.notes)}`);
  out.push(
    `- **Owners:** ${app.owners.length === 0 ? '**none**' : app.owners.map((o) => (isDeployer(o) ? 'the identity that runs Terraform' : tf(o))).join(', ')}`,
  );
  out.push(`- **Duplicate names:** ${yesNo(app.preventDuplicateNames, 'refused (`prevent_duplicate_names`)', 'allowed', "allowed (the provider's default)")}`);
  const sps = s.servicePrincipals.filter((sp) => sp.application === app.address);
  for (const sp of sps) {
    const assigned = s.appRoleAssignments.filter((r) => r.purpose === 'signIn' && refersTo(r.resourceObjectId, 'object_id') === sp.address);
    const required = sp.appRoleAssignmentRequired;
    const who =
      required === true
        ? `only the assigned users and groups${assigned.length > 0 ? `: ${assigned.map((r) => (r.principalObjectId !== undefined ? tf(r.principalObjectId) : '(unknown)')).join(', ')}` : ' (none assigned here)'}`
        : required === undefined || required === false
          ? `any user of the tenant (assignment ${required === false ? 'not required' : 'not required, the default'}; set \`assignedPrincipals\` to restrict it)`
          : `${tf(required)} (assignment required?)`;
    out.push(`- **Who may sign in:** ${who}`);
    for (const r of assigned)
      out.push(
        `  - ${code(r.address)}: app role ${r.appRoleId !== undefined ? tf(r.appRoleId) : '(unset)'}${r.appRoleId === DEFAULT_ACCESS_APP_ROLE_ID ? ' (the default access role)' : ''} on ${r.resourceObjectId !== undefined ? tf(r.resourceObjectId) : '(unset)'}`,
      );
    out.push(
      `- **Service principal:** ${code(sp.address)}, owners ${sp.owners.length === 0 ? '**none**' : sp.owners.map((o) => (isDeployer(o) ? 'the identity that runs Terraform' : tf(o))).join(', ')}; client ID ${sp.clientId !== undefined ? tf(sp.clientId) : '(unset)'}`,
    );
  }
  if (sps.length === 0) out.push('- **Service principal:** none in this stack (consent and sign-in need one)');
  if (app.redirectUris.length > 0) {
    out.push(
      `- **Redirect URIs:** ${app.redirectUris.map((r) => `${tf(r.uri)}${r.platform === 'web' ? '' : ` (${r.platform === 'spa' ? 'single-page app' : 'public client'})`}`).join(', ')}`,
    );
  }
  if (app.mail) out.push(...mailLines(app.mail, app.declaredBy));
  if (app.itsmTool) out.push(...itsmToolLines(app.itsmTool));
  if (app.api) {
    const v = app.api.requestedAccessTokenVersion;
    out.push(
      `- **Access tokens for its own API:** ${v === undefined ? 'version 1 (the default)' : isDeferred(v) ? tf(v) : `version ${v}`} (\`api.requested_access_token_version\`)`,
    );
  }
  out.push(`- **Client ID:** *(known after apply)*; resource ${code(app.address)} (construct ${at(app.path)})`);
  out.push('');

  out.push(...renderCredential(s, app, plan));
  out.push('#### Permissions', '');
  const permissions = permissionsOf(s, app);
  if (permissions.length === 0) out.push('- None requested.');
  for (const p of permissions) out.push(...permissionLines(p));
  out.push('');
  out.push(...renderConsent(s, app));

  const uris = [
    ...app.identifierUris.map((u) => ({ uri: u, where: 'inline `identifier_uris`' })),
    ...s.identifierUris.filter((u) => refersTo(u.applicationId, 'id') === app.address).map((u) => ({ uri: u.identifierUri, where: code(u.address) })),
  ];
  const scopes = s.permissionScopes.filter((x) => refersTo(x.applicationId, 'id') === app.address);
  const inline = app.api?.scopes ?? [];
  if (uris.length > 0 || scopes.length > 0 || inline.length > 0) {
    out.push('#### Exposed API', '');
    for (const u of uris) out.push(`- **Identifier URI:** ${u.uri !== undefined ? tf(u.uri) : '(unset)'} (${u.where})`);
    for (const x of scopes) {
      const full =
        uris.length === 1 && uris[0].uri !== undefined && x.value !== undefined
          ? ` (${tf({ deferred: true, expression: `${isDeferred(uris[0].uri) ? uris[0].uri.expression : uris[0].uri}/${plain(x.value)}` })})`
          : '';
      out.push(
        `- **Scope** ${x.value !== undefined ? tf(x.value) : '(no value)'}${full}: ${consentWords(x.type)}; scope ID ${x.scopeId !== undefined ? tf(x.scopeId) : '(unset)'}; ${code(x.address)}`,
      );
      if (x.adminConsentDisplayName !== undefined || x.adminConsentDescription !== undefined) {
        out.push(
          `  Admins see "${x.adminConsentDisplayName !== undefined ? tfText(x.adminConsentDisplayName) : ''}": ${x.adminConsentDescription !== undefined ? tfText(x.adminConsentDescription) : '(no description)'}`,
        );
      }
      if (x.userConsentDisplayName !== undefined || x.userConsentDescription !== undefined) {
        out.push(
          `  Users see "${x.userConsentDisplayName !== undefined ? tfText(x.userConsentDisplayName) : ''}": ${x.userConsentDescription !== undefined ? tfText(x.userConsentDescription) : '(no description)'}`,
        );
      }
    }
    for (const x of inline) {
      out.push(
        `- **Scope (inline in \`api\`)** ${x.value !== undefined ? tf(x.value) : '(no value)'}: ${consentWords(x.type)}; ${yesNo(x.enabled, 'enabled', 'disabled', 'enabled (default)')}; ID ${x.id !== undefined ? tf(x.id) : '(unset)'}` +
          `${x.adminConsentDisplayName !== undefined ? `; admins see "${tfText(x.adminConsentDisplayName)}"` : ''}${x.adminConsentDescription !== undefined ? `: ${tfText(x.adminConsentDescription)}` : ''}` +
          `${x.userConsentDisplayName !== undefined ? `; users see "${tfText(x.userConsentDisplayName)}"` : ''}${x.userConsentDescription !== undefined ? `: ${tfText(x.userConsentDescription)}` : ''}`,
      );
    }
    out.push('');
  }
  return out;
}

/** The admin consent resources of an application's service principal(s), with every attribute. */
function renderConsent(s: StackInspection, app: InspectedApplication): string[] {
  const sps = s.servicePrincipals.filter((sp) => sp.application === app.address).map((sp) => sp.address);
  const toSp = (v: TfString | undefined) => sps.includes(refersTo(v, 'object_id') ?? '');
  const roles = s.appRoleAssignments.filter((r) => r.purpose !== 'signIn' && toSp(r.principalObjectId));
  const grants = s.delegatedGrants.filter((g) => toSp(g.servicePrincipalObjectId));
  if (roles.length === 0 && grants.length === 0) return [];
  const out = ['#### Admin consent', ''];
  const opt = (v: TfString | undefined) => (v === undefined ? '(unset)' : tf(v));
  for (const r of roles) {
    out.push(
      `- ${code(r.address)}: app role ${opt(r.appRoleId)} of the resource ${opt(r.resourceObjectId)}, to ${opt(r.principalObjectId)}${r.permission ? `: ${permissionName(r.permission)}` : ''}`,
    );
    if (r.permission)
      out.push(`  ${idWords(r.permission)}${r.permission.justification !== undefined ? ` Justification: ${md(r.permission.justification)}` : ''}`);
  }
  for (const g of grants) {
    const who = g.userObjectId !== undefined ? `for the user ${tf(g.userObjectId)} only` : 'for all users';
    out.push(
      `- ${code(g.address)}: delegated permissions ${g.claimValues.map(tf).join(', ')} on the resource ${opt(g.resourceServicePrincipalObjectId)}, to ${opt(g.servicePrincipalObjectId)}, ${who}`,
    );
    for (const p of g.permissions)
      out.push(`  - ${permissionName(p)}: ${idWords(p)}${p.justification !== undefined ? ` Justification: ${md(p.justification)}` : ''}`);
  }
  out.push('');
  return out;
}

function permissionName(p: InspectedPermission): string {
  return `${p.api ? md(KnownApi[p.api].displayName) : `the API ${tf(p.resourceAppId)}`} ${p.type} permission ${p.name !== undefined ? code(p.name) : '(unnamed)'}`;
}

function consentWords(type: TfString | undefined): string {
  if (type === undefined) return "users can consent for themselves (`User`, the provider's default)";
  if (isDeferred(type)) return `consent type ${tf(type)}`;
  return type === 'Admin' ? 'only admins can consent (`Admin`)' : type === 'User' ? 'users can consent for themselves (`User`)' : `consent type ${code(type)}`;
}

/** The mail preset in words; app-only access as Exchange Online grants it, per protocol (the runbook's words). */
function mailLines(mail: MailAccess, declaredBy: string | undefined): string[] {
  const flow = mail.flow === 'delegated' ? 'delegated (the ITSM tool signs in as the mailbox user)' : 'app-only (client credentials, no user)';
  const boxes = mail.mailboxes.length > 0 ? mail.mailboxes.map(code).join(', ') : 'none listed';
  const lines = [
    `- **Mail:** ${flow} over ${andList(mail.protocols.map((p) => p.toUpperCase()))}; mailboxes ${boxes}${declaredBy ? ` (declared by ${at(declaredBy)})` : ''}`,
  ];
  if (mail.flow === 'app-only') {
    const grants = mailboxGrants(mail).map((g) =>
      g.kind === 'mailboxPermission'
        ? `${g.protocol.toUpperCase()} by mailbox permission (\`Add-MailboxPermission -AccessRights FullAccess\`)`
        : `${g.protocol.toUpperCase()} by the RBAC for Applications role "${g.role}" scoped to the mailboxes`,
    );
    lines.push(`- **Exchange Online access (runbook, \`mailboxAccess: ${mail.mailboxAccess}\`):** ${andList(grants)}`);
  } else {
    lines.push(`- **Exchange Online access:** the signed-in user's own mailbox rights (\`mailboxAccess: ${mail.mailboxAccess}\` applies to app-only only)`);
  }
  if (mail.graphMailPermissions.length > 0) {
    lines.push(
      `- **Graph mail permissions:** ${mail.graphMailPermissions.map(code).join(', ')}; justification: ${mail.graphMailJustification !== undefined ? md(mail.graphMailJustification) : '**none given**'}`,
    );
  } else if (mail.graphMailJustification !== undefined) {
    lines.push(`- **Graph mail justification (no Graph mail permissions requested):** ${md(mail.graphMailJustification)}`);
  }
  return lines;
}

const TENANT_WORDS: Readonly<Record<string, string>> = table({
  tenantField: "its tenant field must hold this tenant's ID (`tenant_id`), not `common`, which Entra ID refuses for a single-tenant application (AADSTS50194)",
  endpointFields:
    "its endpoint fields must hold this tenant's authorization and token endpoints (`itsm_email_settings`): their defaults name /common, which Entra ID refuses for a single-tenant application (AADSTS50194)",
  commonOnly: 'it signs in at /common only, with no tenant setting, so the application must be multi-tenant (a single-tenant one fails with AADSTS50194)',
});

const CERTIFICATE_WORDS: Readonly<Record<string, string>> = table({
  unsupported: "a client secret: the tool's code sends only a client secret, so a certificate would not work (ITSM-SEC-003 does not apply)",
  unknown: 'a client secret; whether the tool takes a certificate is not established (ITSM-SEC-003 applies)',
});

/** The ITSM tool preset in words: which tool, what it filled in, and what it decided (the declaration's words). */
function itsmToolLines(t: AppliedItsmTool): string[] {
  const filled: string[] = [];
  if (t.filled.flow !== undefined) filled.push(`flow ${code(t.filled.flow)}`);
  if (t.filled.protocols !== undefined) filled.push(`protocols ${andList(t.filled.protocols.map((p) => p.toUpperCase()))}`);
  if (t.filled.signInAudience !== undefined) filled.push(`sign-in audience ${code(t.filled.signInAudience)}`);
  if (t.filled.exposeApi !== undefined) filled.push(`"Expose an API" ${t.filled.exposeApi ? 'on' : 'off'}`);
  const lines = [
    `- **ITSM tool:** ${md(t.displayName)} (\`itsmTool: ${t.id.replace(/`/g, "'")}\`); the preset filled in ${filled.length > 0 ? andList(filled) : 'nothing: the config writes every setting it governs'}`,
  ];
  lines.push(
    `  - The tool's own sign-in: ${t.signInPermissions.length > 0 ? `${t.signInPermissions.map(code).join(', ')} (Microsoft Graph, delegated), requested beside the protocols' permissions` : "nothing beyond the protocols' permissions"}`,
  );
  lines.push(
    `  - Redirect URIs: ${t.callbacks.length > 0 ? `each must be the tool's callback: ${t.callbacks.map((c) => `${md(c.pattern)} for ${andList(c.protocols.map((p) => p.toUpperCase()))}`).join('; ')}` : 'not held against a pattern (no callback is established for this tool and flow)'}`,
  );
  lines.push(`  - Tenant: ${TENANT_WORDS[t.tenantEndpoint] ?? code(t.tenantEndpoint)}`);
  lines.push(`  - Credential: ${CERTIFICATE_WORDS[t.certificate] ?? code(t.certificate)}`);
  lines.push(
    `  - Form fields: ${t.settingsOutput !== undefined ? `output ${code(t.settingsOutput)}, by the tool's own labels` : '`itsm_email_settings` (the tool has no form of its own in the preset)'}`,
  );
  return lines;
}

function renderCredential(s: StackInspection, app: InspectedApplication, plan?: PlanReview): string[] {
  const out = ['#### Credential', ''];
  const mine = s.passwords.filter(
    (p) =>
      refersTo(p.parentId, 'id') === app.address ||
      s.servicePrincipals.some((sp) => sp.application === app.address && refersTo(p.parentId, 'id') === sp.address),
  );
  const pairs = s.rotatingSecrets.filter((r) => r.application === app.address);
  const inPair = new Set(pairs.flatMap((r) => r.slots.map((x) => x.password)));
  for (const r of pairs) {
    const half = Math.round((r.lifetimeDays / 2) * 10) / 10;
    const known = plan?.secrets.find((x) => x.path === r.path);
    const inForce = known?.lifetimeDaysInState;
    const lifetime =
      inForce !== undefined && inForce !== r.lifetimeDays
        ? `the secrets in use were issued for ${inForce} days; the configured lifetime of ${r.lifetimeDays} days (a new one every ${half} days) applies from the next rotation${known?.nextRotation ? `, due ${md(known.nextRotation)}` : ''}, alternating between two slots`
        : `each secret is valid ${r.lifetimeDays} days and a new one is issued every ${half} days, alternating between two slots, so the previous one stays valid about ${half} days`;
    const ends = (known?.slots ?? []).filter((x) => x.endDate !== undefined).sort((a, b) => Date.parse(b.endDate!) - Date.parse(a.endDate!));
    const expiry =
      known && ends.length === known.slots.length && ends.length > 0
        ? `Expiry (from the plan): ${md(ends[0].endDate!)} for the secret in use (slot ${ends[0].slot})${
            ends.length > 1
              ? `, ${ends
                  .slice(1)
                  .map((x) => `${md(x.endDate!)} for slot ${x.slot}`)
                  .join(', ')}`
              : ''
          }`
        : 'Expiry: *(known after apply)*';
    out.push(
      `- Client secret, rotating: ${lifetime}. ` +
        `${expiry} (\`terraform output client_secret_end_date\`). The value is never shown here: \`terraform output -raw client_secret\`. (construct ${at(r.path)})`,
    );
    for (const slot of r.slots) {
      const p = s.passwords.find((x) => x.address === slot.password);
      const clock = s.rotatingClocks.find((c) => c.address === slot.clock);
      const ends = p?.endDate !== undefined ? `ends ${tf(p.endDate)}` : 'no end date';
      const replaced =
        p && Object.keys(p.rotateWhenChanged).length > 0
          ? `, replaced when ${Object.entries(p.rotateWhenChanged)
              .map(([k, v]) => `${code(k)} (${tf(v)})`)
              .join(', ')} changes`
          : '';
      const owner = p?.parentId !== undefined ? `; secret of ${tf(p.parentId)}` : '';
      out.push(
        `  - slot ${code(slot.slot)}: ${code(slot.password)}${p?.displayName !== undefined ? ` "${tfText(p.displayName)}"` : ''}, ${ends}${replaced}${owner}; ${clockWords(clock, slot.clock)}`,
      );
    }
  }
  for (const p of mine.filter((x) => !inPair.has(x.address))) {
    const what = p.credential === 'servicePrincipalPassword' ? 'Service principal password' : 'Client secret';
    const end =
      p.endDate !== undefined
        ? `ends ${tf(p.endDate)}`
        : p.endDateRelative !== undefined
          ? `ends ${tf(p.endDateRelative)} after creation`
          : 'no end date: Entra ID makes it valid for 2 years';
    const start = p.startDate !== undefined ? `, starts ${tf(p.startDate)}` : '';
    const rotate =
      Object.keys(p.rotateWhenChanged).length > 0
        ? `; replaced when ${Object.entries(p.rotateWhenChanged)
            .map(([k, v]) => `${code(k)} (${tf(v)})`)
            .join(', ')} changes`
        : '; does not rotate by itself';
    out.push(`- ${what}${p.displayName !== undefined ? ` "${tfText(p.displayName)}"` : ''}: ${end}${start}${rotate}. (${code(p.address)})`);
  }
  if (pairs.length === 0 && mine.length === 0) out.push('- No client secret is declared here.');
  out.push('');
  return out;
}

function clockWords(clock: StackInspection['rotatingClocks'][number] | undefined, address: string): string {
  if (!clock) return `clock ${code(address)}`;
  const parts: string[] = [];
  if (clock.rotationDays !== undefined) parts.push(`every ${tf(clock.rotationDays)} days`);
  if (clock.rotationHours !== undefined) parts.push(`every ${tf(clock.rotationHours)} hours`);
  if (clock.rotationMonths !== undefined) parts.push(`every ${tf(clock.rotationMonths)} months`);
  if (clock.rotationYears !== undefined) parts.push(`every ${tf(clock.rotationYears)} years`);
  if (clock.rotationRfc3339 !== undefined) parts.push(`due ${tf(clock.rotationRfc3339)}`);
  const ignored = clock.meta.ignoreChanges.length > 0 ? `; a change of ${clock.meta.ignoreChanges.map(code).join(', ')} applies from the next rotation` : '';
  return `rotates ${parts.join(', ') || 'on no schedule'} (clock ${code(clock.address)})${ignored}`;
}

/** A permission as the review lists it: requested and/or consented, with where its ID comes from. */
interface PermissionRow {
  readonly p: InspectedPermission;
  readonly requested: boolean;
  readonly consented: boolean;
}

function key(p: InspectedPermission): string {
  return `${plain(p.resourceAppId).toLowerCase()}|${p.type}|${p.name ?? plain(p.id)}`;
}

/** Requested permissions in order, then consents of permissions not requested. */
function permissionsOf(s: StackInspection, app: InspectedApplication): PermissionRow[] {
  const sps = s.servicePrincipals.filter((sp) => sp.application === app.address).map((sp) => sp.address);
  const toSp = (v: TfString | undefined) => sps.includes(refersTo(v, 'object_id') ?? '');
  const consents = [
    ...s.appRoleAssignments.filter((r) => r.purpose !== 'signIn' && r.permission && toSp(r.principalObjectId)).map((r) => r.permission!),
    ...s.delegatedGrants.filter((g) => toSp(g.servicePrincipalObjectId)).flatMap((g) => g.permissions),
  ];
  const consented = new Set(consents.map(key));
  const requested = new Set(app.requestedPermissions.map(key));
  return [
    ...app.requestedPermissions.map((p) => ({ p, requested: true, consented: consented.has(key(p)) })),
    ...consents.filter((c) => !requested.has(key(c))).map((p) => ({ p, requested: false, consented: true })),
  ];
}

/** One permission: API · name · type · admin consent · what it allows · consent; then its ID and where it comes from. */
export function permissionLines({ p, requested, consented }: PermissionRow): string[] {
  const api = p.api ? KnownApi[p.api].displayName : `the API ${tf(p.resourceAppId)}`;
  const found = p.api && p.name ? lookupPermission(p.api, p.type, p.name) : undefined;
  const info = found?.ok ? found.permission : undefined;
  const consentNeeded =
    info === undefined ? 'admin consent unknown (not catalogued)' : info.adminConsentRequired ? 'admin consent required' : 'admin consent not required';
  const allows = info ? `${md(info.displayName.replace(/\.$/, ''))}.` : 'not in the catalogue';
  const state = consented ? (requested ? 'consent granted' : '**consented but not requested**') : 'consent **not** granted';
  const name = p.name !== undefined ? code(p.name) : '(a permission this review cannot name)';
  const lines = [`- ${md(api)} · ${name} · ${p.type} · ${consentNeeded} · ${allows} · ${state}`];
  const detail: string[] = [];
  if (info) detail.push(md(info.description));
  detail.push(idWords(p));
  lines.push(`  ${detail.join(' ')}`);
  const why = p.api && p.name ? highPrivilegeReason({ api: p.api, type: p.type, name: p.name }) : undefined;
  if (why) lines.push(`  **High privilege:** ${md(why)}.${p.justification ? '' : ' No justification given.'}`);
  if (p.justification !== undefined) lines.push(`  Justification: ${md(p.justification)}`);
  return lines;
}

function idWords(p: InspectedPermission): string {
  const resource = `resource app ${tf(p.resourceAppId)}`;
  const named =
    p.namedBy === 'declaration'
      ? 'named by the construct that requested it'
      : p.namedBy === 'catalogue'
        ? 'named from the catalogue by its ID'
        : 'not named by any declaration or the catalogue';
  const catalogue =
    p.catalogueId !== undefined
      ? `the catalogue's ID ${code(p.catalogueId)} (${p.idVerified ? 'confirmed by a public source' : '**not confirmed** by any public source'})`
      : 'no catalogue ID';
  const source =
    p.idSource === 'tenant'
      ? "read at plan time from the tenant's service principal of the API"
      : p.idSource === 'catalogue'
        ? 'written from the catalogue'
        : 'as written';
  return `ID ${tf(p.id)}, ${source}; ${catalogue}; ${resource}; ${named}.`;
}
