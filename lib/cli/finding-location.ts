/**
 * Where in the config file a guardrail finding comes from: the setting that caused it, by its
 * config path and its line and column (which the loader recorded, see lib/config/locate.ts). A
 * finding is made on a construct; the construct was declared from one section of the config
 * (lib/config/build-from-config.ts names them), and each rule judges a few settings of it. The most
 * precise setting written in the file wins; a setting left to its default points at its section,
 * and a finding with no section at the environment's (or tenant's) own line.
 */
import { APPLICATION_CONSTRUCT_ID, MFA_GROUP_CONSTRUCT_ID, MFA_POLICY_CONSTRUCT_ID } from '../config/build-from-config';
import type { ConfigLocation } from '../config/locate';
import type { ItsmMailConfig } from '../config/schema';
import { formatPath } from '../config/problems';
import type { GuardrailFinding } from '../guardrails/finding';
import { tenantStackName } from '../model/tenant';

/** The config setting a finding points at. */
export interface FindingLocation {
  /** The config file, as the user named it. */
  readonly file: string;
  /** Dotted config path of the setting (`environments.prod.application.clientSecret.lifetimeDays`). */
  readonly configPath: string;
  /** 1-based line and column of that setting, when the config was read from a file. */
  readonly line?: number;
  readonly column?: number;
}

type Path = readonly (string | number)[];

/** The settings each rule judges, relative to the section of the construct it reports on, most precise first. */
const RULE_SETTINGS: Readonly<Record<string, readonly Path[]>> = {
  'ITSM-SEC-001': [['clientSecret', 'lifetimeDays'], ['clientSecret']],
  'ITSM-SEC-002': [['clientSecret', 'lifetimeDays'], ['clientSecret']],
  'ITSM-SEC-003': [['clientSecret']],
  'ITSM-APP-001': [['signInAudience']],
  'ITSM-APP-004': [['signInAudience'], ['itsmTool']],
  'ITSM-APP-002': [['owners']],
  'ITSM-APP-003': [['redirectUris']],
  'ITSM-PERM-001': [['permissions'], ['mail']],
  'ITSM-PERM-002': [['adminConsent'], ['permissions']],
  'ITSM-PERM-003': [['permissions']],
  'ITSM-PERM-004': [['permissions']],
  'ITSM-SCOPE-001': [['exposedScope', 'whoCanConsent'], ['exposedScope']],
  'ITSM-EXO-001': [['mail', 'mailboxes'], ['mail', 'flow'], ['mail']],
  'ITSM-EXO-002': [['mail', 'protocols'], ['mail']],
  'ITSM-CA-001': [['excludeUsers'], ['excludeGroups'], ['state']],
  'ITSM-CA-002': [['excludeRoles'], ['excludeDirectoryRoles']],
  'ITSM-CA-003': [['grant', 'block'], ['includeApplications'], ['applications'], ['grant']],
  'ITSM-CA-004': [['grant']],
  'ITSM-CA-005': [['grant', 'authenticationStrength'], ['grant']],
  'ITSM-CA-006': [['group'], ['includeUsers'], ['includeGroups']],
  'ITSM-CA-007': [['state']],
  'ITSM-GRP-001': [['group']],
};

/** The section an environment's construct was declared from (below `environments.<env>`). */
function environmentSection(rest: readonly string[]): Path {
  const [root, child] = rest;
  if (root === APPLICATION_CONSTRUCT_ID) {
    if (child === 'client-secret') return ['application', 'clientSecret'];
    if (child === 'exposed-api') return ['application', 'exposedScope'];
    return ['application'];
  }
  if (root === MFA_POLICY_CONSTRUCT_ID) return ['mfaPolicy'];
  if (root === MFA_GROUP_CONSTRUCT_ID) return ['mfaPolicy', 'group'];
  return [];
}

/** The section a tenant's construct was declared from (below `tenants.<name>`). */
function tenantSection(rest: readonly string[]): Path {
  const root = rest[0] ?? '';
  if (root.startsWith('policy-')) return ['conditionalAccessPolicies', root.slice('policy-'.length)];
  if (root.startsWith('location-')) return ['namedLocations', root.slice('location-'.length)];
  return [];
}

/**
 * The config setting behind a finding. `location` is where the loader found each setting
 * (undefined for a config built in code: the path is still named, without a line).
 */
export function locateFinding(f: GuardrailFinding, config: ItsmMailConfig, location: ConfigLocation | undefined, file: string): FindingLocation {
  const [stack = '', ...rest] = f.path.split('/');
  const tenant = Object.keys(config.tenants ?? {}).find((t) => tenantStackName(t) === stack);
  const base: Path = tenant !== undefined ? ['tenants', tenant] : ['environments', stack];
  let section = tenant !== undefined ? tenantSection(rest) : environmentSection(rest);
  const has = (p: Path) => location?.has(p) ?? true;
  // The rule reads the application's settings even on a child construct (a permission on admin-consent).
  if (
    section[0] === 'application' &&
    section.length > 1 &&
    (f.ruleId.startsWith('ITSM-PERM-') || f.ruleId.startsWith('ITSM-EXO-') || f.ruleId.startsWith('ITSM-APP-'))
  )
    section = ['application'];
  const candidates: Path[] = [];
  if (f.ruleId === 'ITSM-GR-001' || f.ruleId === 'ITSM-GR-002') {
    const suppression = suppressionIndex(config, base, f, rest.join('/'));
    if (suppression !== undefined) candidates.push([...base, 'guardrails', 'suppressions', suppression]);
    candidates.push([...base, 'guardrails']);
  }
  // A setting under its former name: the finding says which (`sets applications, the former name of …`).
  const former = f.ruleId === 'ITSM-CA-008' ? /\bsets ([A-Za-z]+), the former name/.exec(f.detail)?.[1] : undefined;
  if (former !== undefined) candidates.push([...base, ...section, former]);
  for (const setting of RULE_SETTINGS[f.ruleId] ?? []) {
    candidates.push([...base, ...section, ...setting]);
    // A setting of the application judged from the section above it (mail.flow from the secret).
    if (section.length > 1 && section[0] === 'application') candidates.push([...base, 'application', ...setting]);
  }
  for (let n = section.length; n > 0; n--) candidates.push([...base, ...section.slice(0, n)]);
  candidates.push(base);
  const chosen = candidates.find(has) ?? base;
  const at = location?.locate(chosen);
  return { file, configPath: formatPath(chosen), ...(at ? { line: at.line, column: at.column } : {}) };
}

/** The index of the config suppression a GR-001/GR-002 finding is about, when it can be told. */
function suppressionIndex(config: ItsmMailConfig, base: Path, f: GuardrailFinding, resource: string): number | undefined {
  const section = base[0] === 'environments' ? config.environments[base[1] as string] : config.tenants?.[base[1] as string];
  const list = (section as { guardrails?: { suppressions?: readonly { rule: string; resource: string }[] } } | undefined)?.guardrails?.suppressions ?? [];
  const rule = /suppression of (ITSM-[A-Z]+-\d{3})/.exec(f.detail)?.[1];
  const i = list.findIndex((s) => (rule === undefined || s.rule === rule) && s.resource.replace(/^\/+|\/+$/g, '') === resource);
  return i >= 0 ? i : undefined;
}
