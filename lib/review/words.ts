/** Small pure helpers that put IDs, expressions and provider values into a reviewer's words. */
import { isDeferred, type TfScalar, type TfString } from '../inspection/values';
import { BUILT_IN_AUTHENTICATION_STRENGTHS } from '../model/conditional-access-values';
import { AZURE_MANAGEMENT } from '../model/ids';
import { KnownApi } from '../permissions/catalogue';
import { table } from '../private/table';

const EXPRESSION = /\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g;

/** True when a value holds a Terraform expression, i.e. is only known at apply. */
export function hasExpression(value: string): boolean {
  return value.includes('${');
}

/** An attribute in words: `client_id` → `client ID`. */
function attributeWords(attribute: string): string {
  const words: Record<string, string> = { client_id: 'client ID', object_id: 'object ID', id: 'ID', rotation_rfc3339: 'rotation date' };
  return words[attribute] ?? attribute.replace(/_/g, ' ');
}

/**
 * A value with its expressions replaced by placeholders: `api://${azuread_application.x.client_id}`
 * → `api://<client ID>`; a reference to the deploying identity → `<the identity that runs Terraform>`.
 */
export function placeholders(value: string): string {
  return value.replace(EXPRESSION, (_m, inner: string) => {
    if (/^data\.azuread_client_config\.[^.]+\.object_id$/.test(inner)) return '<the identity that runs Terraform>';
    const ref = /^(?:data\.)?[A-Za-z0-9_]+\.[A-Za-z0-9_-]+\.([A-Za-z0-9_]+)$/.exec(inner);
    return `<${ref ? attributeWords(ref[1]) : 'value'}>`;
  });
}

/** A value in backticks, with "(known after apply)" when it holds an expression. */
export function known(value: string): string {
  return hasExpression(value) ? `${code(placeholders(value))} *(known after apply)*` : code(value);
}

/** An inspected value in backticks, "(known after apply)" when deferred. */
export function tf(value: TfString | TfScalar<number> | TfScalar<boolean>): string {
  if (isDeferred(value)) {
    const read = value.ref && value.ref.attribute === 'object_id' ? lookedUp.get(value.ref.address) : undefined;
    if (read !== undefined)
      return read.byName ? `${read.what} ${code(read.value)} *(read at plan time by display name)*` : `${code(read.value)} *(read at plan time)*`;
    return `${code(placeholders(value.expression))} *(known after apply)*`;
  }
  return code(String(value));
}

/** Data sources that look a directory object up by a literal object ID or display name, by address. */
let lookedUp = new Map<string, { readonly value: string; readonly byName: boolean; readonly what: string }>();

const LOOKUP_WORDS: Readonly<Record<string, string>> = table({
  azuread_service_principal: 'the service principal',
  azuread_named_location: 'the named location',
  azuread_group: 'the group',
  azuread_user: 'the user',
});

/** Before rendering a stack: its data sources that read an object by a literal object ID or display name. */
export function renderingLookups(
  dataSources: readonly { readonly address: string; readonly type: string; readonly arguments: Readonly<Record<string, unknown>> }[],
): void {
  lookedUp = new Map();
  for (const d of dataSources) {
    const what = LOOKUP_WORDS[d.type] ?? d.type;
    if (typeof d.arguments.object_id === 'string') lookedUp.set(d.address, { value: d.arguments.object_id, byName: false, what });
    else if (typeof d.arguments.display_name === 'string') lookedUp.set(d.address, { value: d.arguments.display_name, byName: true, what });
  }
}

/** An inspected text in markdown (not code), "(known after apply)" when deferred. */
export function tfText(value: TfString): string {
  return isDeferred(value) ? `${code(placeholders(value.expression))} *(known after apply)*` : md(value);
}

/** The literal text of a value, or its placeholder form. */
export function plain(value: TfString): string {
  if (!isDeferred(value)) return value;
  const read = value.ref && value.ref.attribute === 'object_id' ? lookedUp.get(value.ref.address) : undefined;
  if (read !== undefined) return read.byName ? `${read.what} "${read.value}"` : read.value;
  return placeholders(value.expression);
}

/** The length of the longest run of `char` in `text` (0 when there is none). */
export function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/**
 * Inline code that shows `text` as it is, backticks included (CommonMark 0.31, "Code spans"): the
 * delimiter is one backtick longer than the longest run inside, so no run can close it, and a space
 * pads the content when it starts or ends with a backtick, or starts and ends with a space (the
 * renderer strips one such pair). A line break inside is written as the space CommonMark renders
 * it as, so the value cannot start a new block (a heading, a fence, a table row) of its own.
 */
export function code(text: string): string {
  const line = text.replace(/\r\n|[\r\n]/g, ' ');
  if (line === '') return '``';
  const ticks = '`'.repeat(longestRun(line, '`') + 1);
  const pad = line.startsWith('`') || line.endsWith('`') || (line.startsWith(' ') && line.endsWith(' ') && line.trim() !== '') ? ' ' : '';
  return `${ticks}${pad}${line}${pad}${ticks}`;
}

/**
 * Text the review shows verbatim (a fenced code block): the join of the review's lines keeps its
 * bytes as they are (no blank lines collapsed, nothing trimmed).
 */
export class Verbatim {
  constructor(readonly text: string) {}
}

/**
 * `text` as a fenced code block whose content is byte for byte `text` (CommonMark 0.31, "Fenced
 * code blocks"): the fence is a run of backticks longer than any run of backticks in the text
 * (at least three), and a closing fence must be at least as long as the opening one, so no
 * content, whatever it holds (backticks, tildes, line breaks), can close the block early. The
 * bytes between the opening fence's line and the closing fence are `text`, plus a line feed
 * when `text` does not end with one.
 */
export function fencedBlock(text: string): Verbatim {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  const ending = text === '' || text.endsWith('\n') ? '' : '\n';
  return new Verbatim(`${fence}\n${text}${ending}${fence}`);
}

/**
 * The review's lines (a string may hold several) as markdown: at most one blank line in a row and
 * no trailing blank lines, except inside a `Verbatim` block, which is kept byte for byte.
 */
export function joinMarkdown(parts: readonly (string | Verbatim)[]): string {
  const lines: (string | Verbatim)[] = [];
  for (const part of parts) {
    if (part instanceof Verbatim) lines.push(part);
    else for (const line of part.split('\n')) if (!(line === '' && lines[lines.length - 1] === '')) lines.push(line);
  }
  while (lines.length > 0 && typeof lines[lines.length - 1] === 'string' && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  const last = lines[lines.length - 1];
  if (typeof last === 'string') lines[lines.length - 1] = last.trimEnd();
  return `${lines.map((l) => (typeof l === 'string' ? l : l.text)).join('\n')}\n`;
}

/** Markdown as a table cell: a pipe splits a cell even inside a code span (GitHub's tables), so every one left is escaped. */
export function cell(text: string): string {
  return text.replace(/(?<!\\)\|/g, '\\|');
}

/** Text safe to put in a markdown paragraph or table cell. */
export function md(text: string): string {
  // Underscores inside words (offline_access) are literal in GitHub markdown; only edges are escaped.
  return (
    text
      .replace(/[\\`*[\]<>|]/g, (c) => `\\${c}`)
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
      // Any line ending (a lone CR is one in CommonMark) would let the text start a block of its own.
      .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
  );
}

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1 account`, `2 accounts`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Names of well-known first-party applications by client ID, as their service principals are named. */
const APPLICATION_NAMES: Readonly<Record<string, string>> = table({
  [AZURE_MANAGEMENT.clientId]: AZURE_MANAGEMENT.displayName,
  [KnownApi.MicrosoftGraph.resourceAppId]: KnownApi.MicrosoftGraph.displayName,
  [KnownApi.ExchangeOnline.resourceAppId]: KnownApi.ExchangeOnline.displayName,
});

const APPLICATION_KEYWORDS: Readonly<Record<string, string>> = table({
  All: 'all resources',
  Office365: 'Office 365',
  MicrosoftAdminPortals: 'the Microsoft admin portals',
  None: 'no resource',
});

/** A conditional access target resource in words, or undefined when only its ID is known. */
export function applicationName(value: string): string | undefined {
  return APPLICATION_KEYWORDS[value] ?? APPLICATION_NAMES[value.toLowerCase()];
}

/** An authentication strength policy ID in words. */
export function authenticationStrengthName(policyId: string): string | undefined {
  return Object.values(BUILT_IN_AUTHENTICATION_STRENGTHS).find((s) => s.policyId === policyId)?.displayName;
}

/** The portal's words for a grant control. */
export const GRANT_CONTROL_WORDS: Readonly<Record<string, string>> = table({
  mfa: 'multifactor authentication',
  compliantDevice: 'a device marked as compliant',
  domainJoinedDevice: 'a Microsoft Entra hybrid joined device',
  approvedApplication: 'an approved client app',
  compliantApplication: 'an app protection policy',
  passwordChange: 'a password change',
});

/** The portal's words for a client app type. */
export const CLIENT_APP_WORDS: Readonly<Record<string, string>> = table({
  all: 'any client app',
  browser: 'browsers',
  mobileAppsAndDesktopClients: 'mobile apps and desktop clients',
  exchangeActiveSync: 'Exchange ActiveSync clients',
  easSupported: 'Exchange ActiveSync',
  other: 'other clients',
});

/** The "Enable policy" switch in words. */
export const POLICY_STATE_WORDS: Readonly<Record<string, string>> = table({
  enabled: 'enforced',
  enabledForReportingButNotEnforced: 'report-only',
  disabled: 'off',
});

/** The sign-in audience in words. */
export const AUDIENCE_WORDS: Readonly<Record<string, string>> = table({
  AzureADMyOrg: 'single tenant (accounts in this directory only)',
  AzureADMultipleOrgs: 'multi-tenant (accounts in any Entra ID directory)',
  AzureADandPersonalMicrosoftAccount: 'multi-tenant and personal Microsoft accounts',
  PersonalMicrosoftAccount: 'personal Microsoft accounts only',
});

/** True for the obviously fake IDs examples use (`00000000-0000-0000-0000-…`). */
export function isPlaceholderId(value: string): boolean {
  return value.startsWith('00000000-0000-0000-0000-');
}
