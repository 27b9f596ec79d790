import { FORMER_POLICY_KEYS } from '../lib/model/conditional-access-policy';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { hasUnprintable } from '../lib/private/printable';
import type { z } from 'zod';
import { ADDITIONAL_GRANT_CONTROLS } from '../lib/model/conditional-access-values';
import { callbacksInUse, ITSM_TOOLS, type ItsmToolId } from '../lib/model/itsm-tool';
import type { MailProtocol } from '../lib/model/mail-access';
import { configSchema } from '../lib/config/schema';
import { exposesApi, normalizeApplication, type ItsmMailApplicationProps } from '../lib/model/application';
import { allPermissions, type ApiName, type PermissionType } from '../lib/permissions/catalogue';

/*
 * fast-check arbitraries for config files, built from the schema's shape: enum words are read from
 * the zod schema itself (so a new word is fuzzed as soon as it lands; lists checked by a refinement
 * rather than an enum use the library's constants), free-text fields get
 * realistic and hostile text up to their limits, IDs are UUIDs, and permission names come from the
 * catalogue. `schemaKeyPaths()` lists every key the schema accepts, so a test can fail when a
 * field is added that these arbitraries never generate.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ConfigObject = { [key: string]: Json };

// ---------------------------------------------------------------------------------------------
// Reading the zod schema

type Def = Record<string, unknown> & { type: string };
const defOf = (s: z.core.$ZodType): Def => s._zod.def as unknown as Def;

/** Strips optional/default/prefault/nullable/pipe wrappers. */
function unwrap(s: z.core.$ZodType): z.core.$ZodType {
  for (;;) {
    const d = defOf(s);
    if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'].includes(d.type)) s = d.innerType as z.core.$ZodType;
    else if (d.type === 'pipe') s = d.in as z.core.$ZodType;
    else return s;
  }
}

/** Child schemas of a node: `[key, schema]` for object fields, `['*', ...]` for record values and list items. */
function children(s: z.core.$ZodType): [string, z.core.$ZodType][] {
  const d = defOf(unwrap(s));
  if (d.type === 'object') return Object.entries(d.shape as Record<string, z.core.$ZodType>);
  if (d.type === 'record') return [['*', d.valueType as z.core.$ZodType]];
  if (d.type === 'array') return [['[]', d.element as z.core.$ZodType]];
  if (d.type === 'union') return (d.options as z.core.$ZodType[]).flatMap(children);
  return [];
}

/**
 * Every key path the schema accepts, as `environments.*.application.permissions[].name`
 * (`*` for an environment name, `[]` for a list item).
 */
export function schemaKeyPaths(schema: z.core.$ZodType = configSchema, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [key, child] of children(schema)) {
    const path = key === '[]' ? `${prefix}[]` : prefix === '' ? key : `${prefix}.${key}`;
    if (key !== '[]') out.add(path);
    for (const p of schemaKeyPaths(child, path)) out.add(p);
  }
  return out;
}

/** Paths whose keys are names chosen by the user (maps), written `*`. */
const RECORD_PATHS = new Set(['environments', 'tenants', 'tenants.*.namedLocations', 'tenants.*.conditionalAccessPolicies']);

/** The key paths present in a generated config, in the same notation. */
export function configKeyPaths(value: unknown, prefix = '', underRecord = false): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(value)) {
    for (const item of value) for (const p of configKeyPaths(item, `${prefix}[]`)) out.add(p);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const key = underRecord ? '*' : k;
      const path = prefix === '' ? key : `${prefix}.${key}`;
      out.add(path);
      for (const p of configKeyPaths(v, path, RECORD_PATHS.has(path))) out.add(p);
    }
  }
  return out;
}

/** The zod schema at a key path (same notation), or undefined when the schema has no such field. */
function schemaAt(path: string): z.core.$ZodType | undefined {
  let s: z.core.$ZodType | undefined = configSchema;
  for (const part of path.split('.').flatMap((p) => (p.endsWith('[]') ? [p.slice(0, -2), '[]'] : [p]))) {
    s = children(s!).find(([k]) => k === part)?.[1];
    if (!s) return undefined;
  }
  return s;
}

/** The words an enum field accepts (items of a list of enums too), read from the schema. */
export function enumWords(path: string): string[] {
  let s = schemaAt(path);
  if (!s) return [];
  s = unwrap(s);
  if (defOf(s).type === 'array') s = unwrap(defOf(s).element as z.core.$ZodType);
  const d = defOf(s);
  if (d.type === 'enum') return Object.values(d.entries as Record<string, string>);
  if (d.type === 'literal') return (d.values as unknown[]).map(String);
  return [];
}

const ENV = 'environments.*';
const APP = `${ENV}.application`;
const MFA = `${ENV}.mfaPolicy`;

/** One of the schema's words at `path`. */
const word = (path: string): fc.Arbitrary<string> => {
  const words = enumWords(path);
  if (words.length === 0) throw new Error(`fuzz: no enum words at ${path}; the schema changed, update fuzz-arbitraries.ts`);
  return fc.constantFrom(...words);
};

/** A subset of the schema's words at `path`, without repeats. */
const words = (path: string, max = 3): fc.Arbitrary<string[]> => fc.uniqueArray(word(path), { maxLength: max });

// ---------------------------------------------------------------------------------------------
// Leaves

/** Text an admin might type: plain words, accents, CJK, emoji, quotes, YAML-significant characters. */
const PIECES = [
  'Pandora ITSM',
  'Integria IMS',
  'mail',
  'Administración',
  'correo',
  'São Paulo',
  '日本語',
  'İstanbul',
  '📧',
  'e\u0301',
  "O'Brien",
  '"quoted"',
  '#not-a-comment',
  'key: value',
  '- dash',
  '&anchor',
  '*alias',
  '!tag',
  '{braces}',
  '[brackets]',
  '%percent',
  '@at',
  '`tick`',
  'yes',
  'no',
  'null',
  '~',
  '0x1F',
  '1e3',
  '.inf',
  '\u00a0',
  '\\',
  '/',
  '..',
  '---',
  '...',
];
const prose = (max: number): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 4, arbitrary: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' ')) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 40) }) },
      { weight: 1, arbitrary: fc.constant('x'.repeat(max)) },
    )
    // Valid text only: control, invisible and bidi characters are refused by design (mutations cover them).
    .filter((s) => s.length >= 1 && s.length <= max && s.trim() !== '' && !hasUnprintable(s));

const uuid = fc.uuid();
const label = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
const domain = fc.tuple(label, fc.constantFrom('com', 'org', 'example', 'es', 'io')).map(([a, b]) => `${a}.${b}`);
const mailbox = fc.tuple(label, domain).map(([a, b]) => `${a}@${b}`);
const redirectUri = fc.oneof(
  fc.tuple(domain, fc.array(label, { maxLength: 4 })).map(([d, p]) => `https://${d}/${p.join('/')}`),
  fc.nat({ max: 65535 }).map((port) => `http://localhost:${port}/callback`),
);
const envName = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
/** A Graph appRoleAssignment / oAuth2PermissionGrant ID: base64url, as Graph returns them. */
const graphKey = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
const reason = fc.constantFrom(
  'Pandora ITSM only accepts a client secret, and it is rotated every 90 days by the pipeline.',
  'Break-glass accounts are excluded by tenant policy CA000, owned by the identity team.',
  'The helpdesk mailbox must send mail over SMTP AUTH; it is the only mailbox with SMTP enabled.',
);

function permissionNames(api: ApiName, type: PermissionType): string[] {
  return allPermissions(api, type).map((p) => p.name);
}

const permission = fc
  .constantFrom<[ApiName, PermissionType]>(
    ['MicrosoftGraph', 'delegated'],
    ['MicrosoftGraph', 'application'],
    ['ExchangeOnline', 'delegated'],
    ['ExchangeOnline', 'application'],
  )
  .filter(([api, type]) => permissionNames(api, type).length > 0)
  .chain(([api, type]) =>
    fc
      .record(
        {
          api: fc.constant(api),
          type: fc.constant(type),
          name: fc.constantFrom(...permissionNames(api, type)),
          justification: prose(1000),
        },
        // api defaults to MicrosoftGraph, so it may be left out only for Graph permissions.
        { requiredKeys: api === 'MicrosoftGraph' ? ['type', 'name', 'justification'] : ['api', 'type', 'name', 'justification'] },
      )
      // Mostly justified: the guardrails block a high-privilege permission without a justification.
      .chain((p) => fc.nat(9).map((n): Record<string, unknown> => (n === 0 ? { ...p, justification: undefined } : p)))
      .map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined))),
  );

// ---------------------------------------------------------------------------------------------
// Sections

const application = fc
  .record(
    {
      displayName: prose(120),
      description: prose(1024),
      notes: prose(1024),
      itsmTool: word(`${APP}.itsmTool`),
      signInAudience: word(`${APP}.signInAudience`),
      owners: fc.uniqueArray(uuid, { maxLength: 3 }),
      assignedPrincipals: fc.uniqueArray(uuid, { maxLength: 2 }),
      includeDeployerAsOwner: fc.boolean(),
      preventDuplicateNames: fc.boolean(),
      redirectUris: fc.uniqueArray(redirectUri, { maxLength: 3 }),
      mail: fc
        .record(
          {
            flow: word(`${APP}.mail.flow`),
            protocols: words(`${APP}.mail.protocols`).filter((xs) => xs.length > 0),
            graphMailPermissions: words(`${APP}.mail.graphMailPermissions`),
            graphMailJustification: prose(1000),
            mailboxes: fc.uniqueArray(mailbox, { maxLength: 3 }),
            mailboxAccess: word(`${APP}.mail.mailboxAccess`),
          },
          { requiredKeys: ['flow'] },
        )
        // Graph mail permissions reach every mailbox; the guardrails want a justification for them.
        .chain((m) =>
          fc
            .nat(9)
            .map((n) =>
              (m.graphMailPermissions ?? []).length > 0 && m.graphMailJustification === undefined && n > 0
                ? { ...m, graphMailJustification: 'Pandora ITSM reads the helpdesk mailbox through Graph.' }
                : m,
            ),
        ),
      permissions: fc.array(permission, { maxLength: 3 }),
      adminConsent: fc.boolean(),
      clientSecret: fc.record({ lifetimeDays: fc.integer({ min: 2, max: 730 }) }),
      exposedScope: fc.record(
        {
          id: uuid,
          value: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/),
          adminConsentDisplayName: prose(200),
          adminConsentDescription: prose(1000),
          userConsentDisplayName: prose(200),
          userConsentDescription: prose(1000),
          whoCanConsent: word(`${APP}.exposedScope.whoCanConsent`),
        },
        { requiredKeys: [] },
      ),
      exposeApi: fc.boolean(),
      import: fc.record(
        {
          applicationObjectId: uuid,
          servicePrincipalObjectId: uuid,
          identifierUri: uuid.map((u) => `api://${u}`),
          permissionScopeId: uuid,
          appRoleAssignments: fc.array(fc.record({ resourceServicePrincipalObjectId: uuid, assignmentId: graphKey }), { maxLength: 3 }),
          delegatedPermissionGrants: fc.array(graphKey, { maxLength: 2 }),
          signInAssignments: fc.array(graphKey, { maxLength: 2 }),
        },
        { requiredKeys: ['applicationObjectId'] },
      ),
    },
    { requiredKeys: ['displayName', 'mail'] },
  )
  .chain((app) => fc.boolean().map((leaveFlowOut) => ({ app, leaveFlowOut })))
  .map(({ app, leaveFlowOut }) => {
    // Keep "valid" valid under the cross-field rules: an exposedScope that exposeApi: false would
    // ignore, and SMTP.SendAsApp requested while Exchange RBAC grants SMTP, are config errors.
    const out: Record<string, unknown> = { ...app };
    if (out.exposeApi === false) delete out.exposedScope;
    const tool = ITSM_TOOLS[(out.itsmTool as ItsmToolId | undefined) ?? 'pandora-itsm'];
    if (tool.id !== 'pandora-itsm') {
      // What the ITSM tool supports (lib/model/itsm-tool.ts): its flows, protocols, audiences and callbacks.
      const m = { ...(out.mail as { flow?: 'delegated' | 'app-only'; protocols?: MailProtocol[] }) };
      if (m.flow !== undefined && !tool.flows.includes(m.flow)) m.flow = tool.flows[0];
      if (leaveFlowOut && tool.flows.length === 1) delete m.flow;
      const protocols = (m.protocols ?? []).filter((x) => tool.protocols.includes(x));
      if (protocols.length === 0 || tool.protocolsTogether) delete m.protocols;
      else m.protocols = protocols;
      out.mail = m;
      const flow = m.flow ?? tool.flows[0];
      if (flow === 'delegated')
        out.redirectUris = callbacksInUse(tool, m.protocols ?? tool.defaultProtocols).map(
          (c, i) => `https://itsm${i}.example.com/helpdesk${c.callback.pathEndsWith[0]}`,
        );
      if (out.signInAudience !== undefined && !tool.audiences.includes(out.signInAudience as never)) delete out.signInAudience;
    } else if ((out.mail as { flow?: string }).flow === 'delegated' && ((out.redirectUris as string[] | undefined) ?? []).length === 0) {
      // The delegated flow returns to a redirect URI: most generated ones have the manual's.
      if (JSON.stringify(out).length % 5 !== 0) out.redirectUris = ['https://itsm.example.com/pandoraitsm/godmode/godmode/setup/setup_mail'];
    }
    const mail = out.mail as { flow?: string; protocols?: string[]; mailboxAccess?: string };
    const rbacSmtp = mail.flow === 'app-only' && (mail.protocols ?? ['imap', 'smtp']).includes('smtp') && (mail.mailboxAccess ?? 'rbac') === 'rbac';
    if (rbacSmtp && Array.isArray(out.permissions)) {
      out.permissions = (out.permissions as { api?: string; name?: string }[]).filter((p) => !(p.api === 'ExchangeOnline' && p.name === 'SMTP.SendAsApp'));
    }
    if (out.import) out.import = consistentImport(out, out.import as GeneratedImport);
    return out;
  });

interface GeneratedImport {
  applicationObjectId: string;
  servicePrincipalObjectId?: string;
  identifierUri?: string;
  permissionScopeId?: string;
  appRoleAssignments?: { resourceServicePrincipalObjectId: string; assignmentId: string }[];
  delegatedPermissionGrants?: string[];
  signInAssignments?: string[];
}

/**
 * An import section that lands on what the generated application declares (the cross-field rules
 * refuse the rest): consents onto requested permissions, sign-in assignments onto assigned
 * principals, the scope import with exposedScope.id set to it. Mutations cover the invalid ones.
 */
function consistentImport(app: Record<string, unknown>, g: GeneratedImport): Record<string, unknown> {
  const props = app as unknown as ItsmMailApplicationProps;
  const model = normalizeApplication(props);
  const out: Record<string, unknown> = { applicationObjectId: g.applicationObjectId };
  if (g.servicePrincipalObjectId !== undefined) out.servicePrincipalObjectId = g.servicePrincipalObjectId;
  if (exposesApi(props)) {
    if (g.identifierUri !== undefined) out.identifierUri = g.identifierUri;
    if (g.permissionScopeId !== undefined) {
      out.permissionScopeId = g.permissionScopeId;
      app.exposedScope = { ...((app.exposedScope as Record<string, unknown> | undefined) ?? {}), id: g.permissionScopeId };
    }
  }
  if (model.adminConsent) {
    const roles = model.requestedPermissions.filter((p) => p.type === 'application');
    const apis = [...new Set(model.requestedPermissions.filter((p) => p.type === 'delegated').map((p) => p.api))];
    const assignments = (g.appRoleAssignments ?? [])
      .slice(0, roles.length)
      .map((a, i) => ({ ...(roles[i].api === 'MicrosoftGraph' ? {} : { api: roles[i].api }), permission: roles[i].name, ...a }));
    const grants = (g.delegatedPermissionGrants ?? []).slice(0, apis.length).map((grantId, i) => ({ api: apis[i], grantId }));
    if (assignments.length > 0) out.appRoleAssignments = assignments;
    if (grants.length > 0) out.delegatedPermissionGrants = grants;
  }
  const principals = (app.assignedPrincipals as string[] | undefined) ?? [];
  const signIns = (g.signInAssignments ?? []).slice(0, principals.length).map((assignmentId, i) => ({ principal: principals[i], assignmentId }));
  if (signIns.length > 0) out.signInAssignments = signIns;
  if ((out.appRoleAssignments || out.delegatedPermissionGrants || out.signInAssignments) && out.servicePrincipalObjectId === undefined) {
    out.servicePrincipalObjectId = g.applicationObjectId.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
  }
  return out;
}

const applicationRef = fc.oneof(
  fc.constantFrom('All', 'Office365', 'MicrosoftAdminPortals', 'MicrosoftAzureManagement').map((k) => [k]),
  fc.uniqueArray(uuid, { minLength: 1, maxLength: 2 }),
);

/** Controls that go with MFA in any policy (passwordChange needs a user-risk policy for all resources). */
const COMBINABLE_CONTROLS = ADDITIONAL_GRANT_CONTROLS.filter((c) => c !== 'passwordChange');

const mfaPolicy = fc
  .record(
    {
      displayName: prose(256),
      state: word(`${MFA}.state`),
      group: fc.oneof(
        fc.record(
          {
            create: fc.record(
              {
                displayName: prose(256),
                description: prose(1024),
                members: fc.uniqueArray(uuid, { maxLength: 2 }),
                owners: fc.uniqueArray(uuid, { maxLength: 2 }),
                assignableToRole: fc.boolean(),
                preventDuplicateNames: fc.boolean(),
              },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: ['create'] },
        ),
        fc.record({ existingObjectId: uuid }),
      ),
      includeUsers: fc.oneof(fc.constant(['All']), fc.constant(['GuestsOrExternalUsers']), fc.uniqueArray(uuid, { maxLength: 2 })),
      excludeUsers: fc.uniqueArray(uuid, { maxLength: 2 }),
      includeGroups: fc.uniqueArray(uuid, { maxLength: 2 }),
      excludeGroups: fc.uniqueArray(uuid, { maxLength: 2 }),
      includeRoles: fc.uniqueArray(uuid, { maxLength: 2 }),
      excludeRoles: fc.uniqueArray(uuid, { maxLength: 2 }),
      includeApplications: applicationRef,
      excludeApplications: fc.uniqueArray(uuid, { maxLength: 2 }),
      clientAppTypes: fc.oneof(
        fc.constant(['all']),
        words(`${MFA}.clientAppTypes`)
          .map((xs) => xs.filter((x) => x !== 'all'))
          .filter((xs) => xs.length > 0),
      ),
      signInRiskLevels: words(`${MFA}.signInRiskLevels`),
      userRiskLevels: words(`${MFA}.userRiskLevels`),
      includePlatforms: fc.oneof(
        fc.constant(['all']),
        words(`${MFA}.includePlatforms`)
          .map((xs) => xs.filter((x) => x !== 'all'))
          .filter((xs) => xs.length > 0),
      ),
      excludePlatforms: words(`${MFA}.excludePlatforms`).map((xs) => xs.filter((x) => x !== 'all')),
      grant: fc.oneof(
        fc.record(
          {
            mfa: fc.constant(true),
            additionalControls: fc.uniqueArray(fc.constantFrom(...COMBINABLE_CONTROLS), { maxLength: 2 }),
            operator: word(`${MFA}.grant.operator`),
            termsOfUse: fc.uniqueArray(uuid, { maxLength: 1 }),
          },
          { requiredKeys: ['mfa'] },
        ),
        fc.record({ block: fc.constant(true), operator: word(`${MFA}.grant.operator`) }, { requiredKeys: ['block'] }),
        fc.record(
          {
            authenticationStrength: fc.constantFrom('multifactor', 'passwordlessMfa', 'phishingResistantMfa'),
            additionalControls: fc.uniqueArray(fc.constantFrom(...COMBINABLE_CONTROLS), { maxLength: 2 }),
            operator: word(`${MFA}.grant.operator`),
          },
          { requiredKeys: ['authenticationStrength'] },
        ),
      ),
      signInFrequency: fc.oneof(
        fc.constant('everyTime'),
        fc.record({ value: fc.integer({ min: 1, max: 23 }), unit: fc.constant('hours') }),
        fc.record({ value: fc.integer({ min: 1, max: 365 }), unit: fc.constant('days') }),
      ),
      signInFrequencyAuthenticationType: word(`${MFA}.signInFrequencyAuthenticationType`),
      applicationEnforcedRestrictions: fc.boolean(),
      cloudAppSecurity: word(`${MFA}.cloudAppSecurity`),
      persistentBrowser: word(`${MFA}.persistentBrowser`),
      disableResilienceDefaults: fc.boolean(),
      includeGuestsOrExternalUsers: fc.record(
        {
          types: words(`${MFA}.includeGuestsOrExternalUsers.types`).filter((xs) => xs.length > 0),
          externalTenants: fc.oneof(fc.constant('all'), fc.uniqueArray(uuid, { minLength: 1, maxLength: 2 })),
        },
        { requiredKeys: ['types'] },
      ),
      excludeGuestsOrExternalUsers: fc.record(
        {
          types: words(`${MFA}.excludeGuestsOrExternalUsers.types`).filter((xs) => xs.length > 0),
          externalTenants: fc.oneof(fc.constant('all'), fc.uniqueArray(uuid, { minLength: 1, maxLength: 1 })),
        },
        { requiredKeys: ['types'] },
      ),
      includeUserActions: words(`${MFA}.includeUserActions`),
      includeLocations: fc.oneof(fc.constant(['All']), fc.constant(['AllTrusted']), fc.uniqueArray(uuid, { minLength: 1, maxLength: 2 })),
      excludeLocations: fc.oneof(fc.constant(['AllTrusted']), fc.uniqueArray(uuid, { maxLength: 2 })),
      deviceFilter: fc.record({ mode: word(`${MFA}.deviceFilter.mode`), rule: fc.constant('device.operatingSystem eq "Windows"') }),
      includeServicePrincipals: fc.oneof(fc.constant(['ServicePrincipalsInMyTenant']), fc.uniqueArray(uuid, { minLength: 1, maxLength: 2 })),
      excludeServicePrincipals: fc.uniqueArray(uuid, { maxLength: 2 }),
      servicePrincipalFilter: fc.record({
        mode: word(`${MFA}.servicePrincipalFilter.mode`),
        rule: fc.constant('CustomSecurityAttribute.Team_Name -eq "itsm"'),
      }),
      servicePrincipalRiskLevels: words(`${MFA}.servicePrincipalRiskLevels`),
      insiderRiskLevels: word(`${MFA}.insiderRiskLevels`),
      authenticationFlows: words(`${MFA}.authenticationFlows`),
      allowEnforcedWithoutBreakGlassExclusion: fc.record({ reason }),
      import: fc.record({ policyId: uuid, groupObjectId: uuid }, { requiredKeys: ['policyId'] }),
    },
    { requiredKeys: [] },
  )
  .map((p) => {
    // The rules the portal enforces, kept so that most generated policies are valid: platforms
    // need includePlatforms to exclude, and All/None users is the whole selection.
    const out: Record<string, unknown> = { ...p };
    if (out.excludePlatforms && !out.includePlatforms) delete out.excludePlatforms;
    if (out.excludeLocations && !out.includeLocations) delete out.excludeLocations;
    // What is included and excluded at once is refused (exclusion wins).
    for (const [inc, exc] of [
      ['includePlatforms', 'excludePlatforms'],
      ['includeLocations', 'excludeLocations'],
    ] as const) {
      if (Array.isArray(out[inc]) && Array.isArray(out[exc])) out[exc] = (out[exc] as string[]).filter((x) => !(out[inc] as string[]).includes(x));
    }
    if (out.includeUserActions && (out.includeUserActions as string[]).length > 0) {
      delete out.includeApplications;
      delete out.excludeApplications;
    }
    // Workload identity policies are their own kind: most generated policies target users.
    if (out.includeServicePrincipals && Math.abs(JSON.stringify(out).length % 4) !== 0) delete out.includeServicePrincipals;
    if (!out.includeServicePrincipals) {
      delete out.excludeServicePrincipals;
      delete out.servicePrincipalFilter;
      delete out.servicePrincipalRiskLevels;
    } else {
      // A workload identity policy applies to no user and can only block.
      for (const k of ['includeUsers', 'includeGroups', 'includeRoles', 'includeGuestsOrExternalUsers', 'group']) delete out[k];
      out.excludeServicePrincipals = ((out.excludeServicePrincipals as string[] | undefined) ?? []).filter(
        (x) => !(out.includeServicePrincipals as string[]).includes(x),
      );
      out.grant = { block: true };
      if (out.import) out.import = { policyId: (out.import as { policyId: string }).policyId };
    }
    if (out.signInFrequencyAuthenticationType && !out.signInFrequency) delete out.signInFrequencyAuthenticationType;
    if (out.signInFrequency === 'everyTime') {
      delete out.applicationEnforcedRestrictions;
      delete out.disableResilienceDefaults;
    }
    if (Array.isArray(out.includeUsers) && (out.includeUsers as string[]).includes('All')) {
      delete out.includeGroups;
      delete out.includeRoles;
    }
    // Only a group declared here (create) can be imported into.
    const imported = out.import as { groupObjectId?: string } | undefined;
    if (imported?.groupObjectId !== undefined && (out.group as { existingObjectId?: string } | undefined)?.existingObjectId !== undefined) {
      out.import = { ...imported, groupObjectId: undefined };
      delete (out.import as Record<string, unknown>).groupObjectId;
    }
    // Some policies write settings under their former names (still read, with a warning).
    if (JSON.stringify(out).length % 3 === 0) {
      for (const [from, to] of Object.entries(FORMER_POLICY_KEYS)) {
        if (out[to] !== undefined) {
          out[from] = out[to];
          delete out[to];
        }
      }
    }
    return out;
  });

/** Guardrail suppressions, when the schema has them (rule IDs read from the schema), of constructs that exist. */
const RULES = enumWords(`${ENV}.guardrails.suppressions[].rule`);
function guardrails(env: { application?: Record<string, unknown>; mfaPolicy?: unknown }): fc.Arbitrary<Record<string, unknown> | undefined> {
  const app = env.application;
  const resources = [...(app ? ['itsm-mail', 'itsm-mail/client-secret', 'itsm-mail/application'] : []), ...(env.mfaPolicy ? ['mfa-policy', 'mfa-group'] : [])];
  if (RULES.length === 0 || resources.length === 0) return fc.option(fc.constant({}), { nil: undefined });
  const suppression = fc.record({ rule: fc.constantFrom(...RULES), resource: fc.constantFrom(...resources), reason });
  // A finding the generated settings always raise (an audience other than single tenant),
  // suppressed in most cases so that most generated configs synthesize, left to block in the others.
  const expected: { rule: string; resource: string }[] = [];
  // (FreeScout's preset is multi-tenant by need: ITSM-APP-004, a warning, reports it instead.)
  if (app && app.signInAudience !== undefined && app.signInAudience !== 'AzureADMyOrg' && app.itsmTool !== 'freescout')
    expected.push({ rule: 'ITSM-APP-001', resource: 'itsm-mail' });
  const needed = expected.filter((e) => RULES.includes(e.rule));
  return fc.tuple(fc.array(suppression, { maxLength: 2 }), fc.nat(4), fc.boolean()).map(([extra, keep, present]) => {
    const list = [
      ...(keep === 0 ? [] : needed.map((n) => ({ ...n, reason: 'The helpdesk needs this; the identity team approved it in change CHG-1234.' }))),
      ...extra,
    ];
    return list.length > 0 || present ? { suppressions: list } : undefined;
  });
}

const backend = fc.oneof(
  fc.record({ type: fc.constant('local'), path: fc.stringMatching(/^[a-z][a-z0-9/._-]{0,30}\.tfstate$/) }, { requiredKeys: ['type'] }),
  fc.record(
    {
      type: fc.constant('azurerm'),
      storageAccountName: fc.stringMatching(/^[a-z0-9]{3,24}$/),
      containerName: fc.stringMatching(/^[a-z0-9]{3,20}$/),
      key: prose(100),
      resourceGroupName: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
      subscriptionId: uuid,
      tenantId: uuid,
      useOidc: fc.boolean(),
    },
    { requiredKeys: ['type', 'storageAccountName', 'containerName'] },
  ),
  fc.record({ type: fc.constant('cloud'), organization: label, workspace: label, hostname: domain }, { requiredKeys: ['type', 'organization', 'workspace'] }),
);

const environment = fc
  .record(
    {
      tenantId: uuid,
      provider: fc.record({ authentication: word(`${ENV}.provider.authentication`), clientId: uuid }, { requiredKeys: [] }),
      backend,
      application,
      mfaPolicy,
    },
    { requiredKeys: [] },
  )
  .filter((e) => e.application !== undefined || e.mfaPolicy !== undefined)
  .chain((e) => guardrails(e as { application?: Record<string, unknown>; mfaPolicy?: unknown }).map((g) => (g === undefined ? e : { ...e, guardrails: g })));

const TENANTS = 'tenants.*';

// A declared location can take over one made in the portal (`import`); an `existing` one cannot.
const namedLocationImport = fc.record({ namedLocationId: uuid });
const namedLocation = fc.oneof(
  fc.record(
    {
      displayName: prose(100),
      ipRanges: fc.constantFrom(['203.0.113.10/32'], ['198.51.100.0/24', '2001:db8::/48']),
      trusted: fc.boolean(),
      import: namedLocationImport,
    },
    { requiredKeys: ['displayName', 'ipRanges'] },
  ),
  fc.record(
    {
      displayName: prose(100),
      countries: fc.constantFrom(['ES'], ['ES', 'PT']),
      includeUnknownCountries: fc.boolean(),
      countryLookup: word(`${TENANTS}.namedLocations.*.countryLookup`),
      import: namedLocationImport,
    },
    { requiredKeys: ['displayName', 'countries'] },
  ),
  fc.record({ displayName: prose(100), existing: fc.constant(true) }),
);

/** A tenant's policy set: named locations and policies (presets or settings), keys of the address form. */
const tenant = fc
  .record(
    {
      tenantId: uuid,
      provider: fc.record({ authentication: word(`${ENV}.provider.authentication`), clientId: uuid }, { requiredKeys: [] }),
      backend,
      namedLocations: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), namedLocation, { maxKeys: 2 }),
      conditionalAccessPolicies: fc.dictionary(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
        fc.oneof(
          mfaPolicy,
          fc.record({
            preset: fc.constantFrom(
              'mfaPilot',
              'blockLegacyAuthentication',
              'requireMfaForSecurityInfoRegistration',
              'blockDeviceCodeFlow',
              'requirePhishingResistantMfaForAdmins',
            ),
          }),
          // The preset targets resources and users: its replacements keep to that.
          mfaPolicy
            .filter((p) => !p.includeServicePrincipals && !((p.includeUserActions as string[] | undefined) ?? []).length)
            .map((p) => ({ ...p, preset: 'mfaPilot' })),
        ),
        { minKeys: 1, maxKeys: 2 },
      ),
    },
    { requiredKeys: ['conditionalAccessPolicies'] },
  )
  .map((t) => {
    // Policies name locations by key; the generated ones use IDs and keywords, and names that exist.
    const keys = Object.keys(t.namedLocations ?? {});
    const policies = Object.fromEntries(
      Object.entries(t.conditionalAccessPolicies).map(([k, p], i) => {
        const names = { ...(p as Record<string, unknown>), displayName: `Policy ${i} ${String((p as Record<string, unknown>).displayName ?? k).slice(0, 40)}` };
        if (keys.length > 0 && i === 0) return [k, { ...names, includeLocations: ['All'], excludeLocations: [keys[0]] }];
        return [k, names];
      }),
    );
    // Some tenants accept a finding on their first policy, with a written reason (idle ones are warnings).
    const first = Object.keys(policies)[0];
    const guardrails =
      RULES.includes('ITSM-CA-007') && JSON.stringify(policies).length % 2 === 0
        ? {
            guardrails: {
              suppressions: [{ rule: 'ITSM-CA-007', resource: `policy-${first}`, reason: 'The pilot stays report-only until the sign-in logs were read.' }],
            },
          }
        : {};
    return { ...t, conditionalAccessPolicies: policies, ...guardrails };
  });

/** A config the schema should accept (a few may still fail cross-field or guardrail rules). */
export const validConfig: fc.Arbitrary<ConfigObject> = fc
  .tuple(fc.uniqueArray(fc.tuple(envName, environment), { minLength: 1, maxLength: 2, selector: ([n]) => n }), fc.option(tenant, { freq: 3 }))
  .chain(([envs, t]) => {
    // With a tenant, the environments without a policy of their own belong to it.
    const environments = Object.fromEntries(
      envs.map(([n, e]) => [
        n,
        t !== null && (e as Record<string, unknown>).mfaPolicy === undefined
          ? { ...(e as object), tenant: 'contoso', tenantId: (t as { tenantId?: string }).tenantId ?? (e as { tenantId?: string }).tenantId }
          : e,
      ]),
    );
    // A file of the tenant alone, now and then: environments may be left out then.
    const tenantOnly = t !== null && JSON.stringify(t).length % 5 === 0;
    return fc.record(
      {
        $schema: fc.constantFrom('../schema/itsm-mail-config.schema.json', 'https://example.com/schema.json'),
        ...(tenantOnly ? {} : { environments: fc.constant(environments) }),
        ...(t !== null ? { tenants: fc.constant({ contoso: t }) } : {}),
      },
      { requiredKeys: [...(tenantOnly ? [] : (['environments'] as const)), ...(t !== null ? (['tenants'] as const) : [])] },
    );
  })
  .map((c) => JSON.parse(JSON.stringify(c)) as unknown as ConfigObject);

// ---------------------------------------------------------------------------------------------
// Mutations

/** Values of every JSON type, for type confusion. */
const anyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.constant([] as Json[]),
  fc.constant({} as Json),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

/** Every path to a value inside a config, as key lists. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  return out;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function valueAt(root: Json, path: (string | number)[]): Json {
  let node = root;
  for (const k of path) node = (node as Record<string | number, Json>)[k];
  return node;
}

function parentOf(root: Json, path: (string | number)[]): Record<string | number, Json> {
  let node = root as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, Json>;
  return node;
}

export type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'retype'; at: number; value: Json }
  | { kind: 'word'; at: number; value: string }
  | { kind: 'unknown-key'; at: number; key: string; value: Json }
  | { kind: 'case-twin' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), value: anyValue }),
  fc.record({
    kind: fc.constant('word' as const),
    at: fc.nat(),
    value: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('Delegated', 'ON', 'true', 'All ', 'imap,smtp', '')),
  }),
  fc.record({
    kind: fc.constant('unknown-key' as const),
    at: fc.nat(),
    key: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('clientSecret', 'password', 'tenantID', '<<', 'displayname')),
    value: anyValue,
  }),
  fc.constant({ kind: 'case-twin' as const }),
);

/** Applies one mutation to a copy of `config`; `at` picks the value (mod the number of values). */
export function mutate(config: ConfigObject, m: Mutation): ConfigObject {
  const out = clone(config);
  if (m.kind === 'case-twin') {
    // The same environment again under an upper-case name (a previous mutation may have broken the map).
    const envs = out.environments;
    if (envs === null || typeof envs !== 'object' || Array.isArray(envs) || Object.keys(envs).length === 0) return out;
    const [name] = Object.keys(envs);
    envs[name.toUpperCase() === name ? `${name}x` : name.toUpperCase()] = clone(envs[name]);
    return out;
  }
  const all = paths(out);
  if (m.kind === 'unknown-key') {
    const objects = [[], ...all].map((p) => valueAt(out, p)).filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
    (objects[m.at % objects.length] as Record<string, Json>)[m.key] = m.value;
    return out;
  }
  if (all.length === 0) return out;
  const path = all[m.at % all.length];
  const parent = parentOf(out, path);
  const key = path[path.length - 1];
  if (m.kind === 'drop') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else {
    parent[key] = m.value;
  }
  return out;
}

/** A valid config with one to three mutations. */
export const mutatedConfig: fc.Arbitrary<{ config: ConfigObject; mutations: Mutation[] }> = fc
  .tuple(validConfig, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([config, mutations]) => ({ config: mutations.reduce(mutate, config), mutations }));

// ---------------------------------------------------------------------------------------------
// Files

export type Format = 'yaml' | 'json' | 'yaml-flow';

export function serialize(config: ConfigObject, format: Format): string {
  if (format === 'json') return JSON.stringify(config, null, 2);
  if (format === 'yaml-flow') return stringify(config, { collectionStyle: 'flow', lineWidth: 0 });
  return stringify(config, { lineWidth: 0 });
}

const format = fc.constantFrom<Format>('yaml', 'json', 'yaml-flow');

/** What a fuzz case feeds the loader: the bytes, and how they were made (printed on failure). */
export interface FuzzInput {
  readonly kind: 'valid' | 'mutated' | 'byte-flipped' | 'random-text' | 'random-bytes';
  readonly bytes: Uint8Array;
  readonly note: string;
}

/** Flips, inserts or deletes a few bytes of a serialized valid config. */
const byteFlipped = fc
  .tuple(
    validConfig,
    format,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 4 }),
  )
  .map(([config, f, edits]) => {
    const bytes = [...Buffer.from(serialize(config, f))];
    for (const [at, b, op] of edits) {
      const i = at % (bytes.length + 1);
      if (op === 'insert') bytes.splice(i, 0, b);
      else if (op === 'delete') bytes.splice(i, 1);
      else bytes[Math.min(i, bytes.length - 1)] = b;
    }
    return { kind: 'byte-flipped' as const, bytes: Uint8Array.from(bytes), note: `${f} with edits ${JSON.stringify(edits)}` };
  });

export const fuzzInput: fc.Arbitrary<FuzzInput> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(validConfig, format).map(([c, f]) => ({ kind: 'valid' as const, bytes: Buffer.from(serialize(c, f)), note: f })) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(mutatedConfig, format)
      .map(([m, f]) => ({ kind: 'mutated' as const, bytes: Buffer.from(serialize(m.config, f)), note: `${f} after ${JSON.stringify(m.mutations)}` })),
  },
  { weight: 2, arbitrary: byteFlipped },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ kind: 'random-text' as const, bytes: Buffer.from(s), note: '' })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => ({ kind: 'random-bytes' as const, bytes: b, note: '' })) },
);
