import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { MAIN, ROOT } from '../test-support/cli';

/*
 * The bad-input suite: every malformed config goes through the command line, and each must
 * exit non-zero, report every problem as `FILE: path.to.field: message`, print no stack trace,
 * and leave an existing cdktf.out exactly as it was. How long a refused config takes is measured by
 * `npm run bench` ("Refused configs", goal: every one within 8 s), never asserted here: a test's
 * wall time depends on what else the machine runs.
 *
 * Users run `npm run synth -- --config FILE`, which is `npm run --silent build && node dist/main.js
 * --config FILE`. The jest global setup has already built dist/, so cases spawn `node dist/main.js`
 * directly (what npm runs; npm adds ~0.3 s and a build check per case), and a few cases also run
 * through the real `npm run synth -- --config` to prove the two are the same.
 *
 * A spawned case costs ~0.3 s of CPU here (0.1 s Node start-up, 0.2 s loading zod, yaml and the
 * permission catalogue), too much for ~110 cases inside the `npm test` time goal on two cores. So:
 *  - every case runs in-process through `runCli` of the compiled dist/lib/cli.js, the function
 *    dist/main.js calls, with the same argv, cwd and environment (~ms each);
 *  - a sample (every generated case, a few fixtures, the npm cases) is also spawned as a process;
 *  - BAD_INPUT_CLI=all spawns every case as a process too, for CI. See docs/evidence.md.
 *
 * Files that git can hold live in fixtures/bad-configs/, one per case, named by what is wrong.
 * Cases that cannot be committed (a directory, an unreadable file, binary data, multi-MiB bombs)
 * are generated below into a temporary folder.
 */

const FIXTURES = join(__dirname, 'fixtures', 'bad-configs');
/**
 * A spawned case still running after this is hung, not slow (a refused config exits after reading
 * one file, ~0.3 s unloaded): it is killed, and the case then fails on its signal, so the suite
 * reports the hang instead of waiting for ever. Not a time bound: it is 400 times the usual run.
 */
const KILL_MS = 120_000;
/** Parallel spawns. Each is CPU-bound for ~0.3 s; 4 keeps two cores busy while others start. */
const POOL = 4;

/**
 * One expected problem: the dotted path as printed, and a phrase its message must contain.
 * Each case lists every problem it must produce; extra or missing problems fail the case.
 */
type Problem = readonly [path: string, phrase: string | RegExp];

const EXPECTED: Record<string, readonly Problem[]> = {
  // Wrong types.
  'type-top-level-is-a-list.yaml': [['(top level)', 'must be a mapping with an "environments" key']],
  'type-top-level-is-a-scalar.yaml': [['(top level)', 'must be a mapping with an "environments" key']],
  'type-environments-is-a-list.yaml': [['environments', 'must be a mapping, got a list']],
  'type-environment-is-a-string.yaml': [['environments.prod', 'must be a mapping, got "yes"']],
  'type-display-name-is-a-list.yaml': [['environments.prod.application.displayName', 'must be a string, got a list']],
  'type-display-name-is-a-number.yaml': [['environments.prod.application.displayName', 'must be a string, got number 42']],
  'type-admin-consent-is-a-string.yaml': [['environments.prod.application.adminConsent', 'must be true or false, got "true"']],
  // YAML 1.2: `yes` is a string, not a boolean as in YAML 1.1.
  'type-admin-consent-yaml11-yes.yaml': [['environments.prod.application.adminConsent', 'must be true or false, got "yes"']],
  'type-lifetime-days-is-a-string.yaml': [['environments.prod.application.clientSecret.lifetimeDays', 'must be a number, got "180"']],
  'type-protocols-is-a-string.yaml': [['environments.prod.application.mail.protocols', 'must be a list, got "imap"']],
  'type-owners-is-a-mapping.yaml': [['environments.prod.application.owners', 'must be a list, got a mapping']],
  'type-mail-is-null.yaml': [['environments.prod.application.mail', 'must be a mapping, got null']],
  'type-mfa-grant-mfa-is-a-string.yaml': [['environments.prod.mfaPolicy.grant.mfa', 'must be true or false, got "true"']],
  // Out-of-range numbers.
  'range-lifetime-days-zero.yaml': [['environments.prod.application.clientSecret.lifetimeDays', 'must be at least 2 days']],
  'range-lifetime-days-above-730.yaml': [['environments.prod.application.clientSecret.lifetimeDays', 'is 731 days; Entra ID allows at most 730 (2 years)']],
  'range-lifetime-days-fractional.yaml': [['environments.prod.application.clientSecret.lifetimeDays', 'must be a whole number of days, got 90.5']],
  'range-lifetime-days-infinite.yaml': [['environments.prod.application.clientSecret.lifetimeDays', 'must be a finite number, got .inf (infinity)']],
  'range-lifetime-days-nan.yaml': [['environments.prod.application.clientSecret.lifetimeDays', 'must be a finite number, got .nan (not a number)']],
  'range-lifetime-days-huge-integer.yaml': [['environments.prod.application.clientSecret.lifetimeDays', 'is 1e+23 days; Entra ID allows at most 730']],
  'range-sign-in-frequency-zero-hours.yaml': [
    ['environments.prod.mfaPolicy.signInFrequency', '0 hours is out of range: use a whole number of hours from 1 to 23'],
  ],
  'range-sign-in-frequency-400-days.yaml': [
    ['environments.prod.mfaPolicy.signInFrequency', '400 days is out of range: use a whole number of days from 1 to 365'],
  ],
  // Bad UUIDs.
  'uuid-tenant-id-not-a-uuid.yaml': [['environments.prod.tenantId', 'must be the directory (tenant) ID: a UUID such as']],
  'uuid-tenant-id-one-digit-short.yaml': [['environments.prod.tenantId', 'must be the directory (tenant) ID: a UUID such as']],
  'uuid-tenant-id-in-braces.yaml': [['environments.prod.tenantId', 'must be the directory (tenant) ID: a UUID such as']],
  'uuid-tenant-id-is-a-number.yaml': [['environments.prod.tenantId', 'must be a string, got number 12345']],
  'uuid-owner-not-a-uuid.yaml': [
    [
      'environments.prod.application.owners[0]',
      '"admin@contoso.com" is not the object ID of a user or service principal (a sign-in name is not an ID): expected a UUID',
    ],
  ],
  'uuid-provider-client-id-not-a-uuid.yaml': [
    ['environments.prod.provider.clientId', 'must be the client (application) ID of the identity that deploys: a UUID'],
  ],
  'uuid-backend-subscription-id-not-a-uuid.yaml': [['environments.prod.backend.subscriptionId', 'must be an Azure subscription ID: a UUID']],
  'uuid-mfa-exclude-user-not-a-uuid.yaml': [['environments.prod.mfaPolicy.excludeUsers[0]', '"breakglass@contoso.com" is not a user object ID']],
  // An empty policy section (found by the fuzzer, seed 393633142: the loader threw a TypeError).
  'type-mfa-policy-null.yaml': [['environments.prod.mfaPolicy', 'must be a mapping, got null (an empty value)']],
  'uuid-mfa-location-key-outside-a-tenant.yaml': [
    ['environments.prod.mfaPolicy.excludeLocations[0]', '"head-office" names a named location only a tenant\'s policy set can resolve'],
    ['environments.prod.mfaPolicy.includeLocations[0]', '"ee8f506c-b4e7-41f8-a97f-cffdf832cf9" names a named location only a tenant\'s policy set can resolve'],
  ],
  // Unknown enum words.
  'enum-mail-flow-misspelt.yaml': [
    ['environments.prod.application.mail.flow', '"delegatd" is not allowed; allowed: "delegated", "app-only" (did you mean "delegated"?)'],
  ],
  'enum-mail-flow-wrong-case.yaml': [
    ['environments.prod.application.mail.flow', '"Delegated" is not allowed; allowed: "delegated", "app-only" (did you mean "delegated"?)'],
  ],
  'enum-sign-in-audience-unknown.yaml': [['environments.prod.application.signInAudience', '"SingleTenant" is not allowed; allowed: "AzureADMyOrg"']],
  'enum-protocol-unknown.yaml': [['environments.prod.application.mail.protocols[1]', '"ftp" is not allowed; allowed: "imap", "pop", "smtp"']],
  'enum-backend-type-unknown.yaml': [['environments.prod.backend.type', 'type must be one of: local, azurerm, cloud; got "s3"']],
  'enum-authentication-unknown.yaml': [
    ['environments.prod.provider.authentication', '"password" is not allowed; allowed: "environment", "azureCli", "oidc", "managedIdentity"'],
  ],
  'enum-who-can-consent-unknown.yaml': [
    ['environments.prod.application.exposedScope.whoCanConsent', '"everyone" is not allowed; allowed: "admins", "adminsAndUsers"'],
  ],
  'enum-permission-type-unknown.yaml': [['environments.prod.application.permissions[0].type', '"Role" is not allowed; allowed: "delegated", "application"']],
  'enum-permission-api-unknown.yaml': [
    ['environments.prod.application.permissions[0].api', '"SharePoint" is not allowed; allowed: "MicrosoftGraph", "ExchangeOnline"'],
  ],
  'enum-mfa-state-provider-word.yaml': [['environments.prod.mfaPolicy.state', '"enabled" is not allowed; allowed: "reportOnly", "on", "off"']],
  'enum-mfa-client-app-type-unknown.yaml': [['environments.prod.mfaPolicy.clientAppTypes[0]', '"desktop" is not allowed; allowed: "all", "browser"']],
  // Unknown keys.
  'key-unknown-at-top-level.yaml': [['version', 'unknown key "version"; allowed here: $schema, environments']],
  'key-unknown-in-environment.yaml': [
    ['environments.prod.tenantID', 'unknown key "tenantID" (did you mean "tenantId"?); allowed here: tenant, tenantId, provider, backend'],
  ],
  'key-unknown-in-application.yaml': [['environments.prod.application.displayname', 'unknown key "displayname" (did you mean "displayName"?)']],
  'key-unknown-in-mail.yaml': [['environments.prod.application.mail.protocol', 'unknown key "protocol" (did you mean "protocols"?)']],
  'key-unknown-in-mfa-policy.yaml': [['environments.prod.mfaPolicy.breakGlass', 'unknown key "breakGlass"; allowed here: displayName, state, group']],
  'key-secret-in-provider.yaml': [['environments.prod.provider.clientSecret', 'secrets are not accepted in the config file']],
  'key-secret-in-backend.yaml': [['environments.prod.backend.accessKey', 'secrets are not accepted in the config file']],
  // YAML 1.2 (core schema) has no merge keys: `<<` is an ordinary, unknown key.
  'key-yaml-merge-key.yaml': [
    ['base', 'unknown key "base"'],
    ['environments.prod.application.displayName', 'is required (expected a string)'],
    ['environments.prod.application.<<', /^"<<" is a YAML merge key, which is not supported: YAML 1\.2 has no merge keys.*Write the keys out here/],
  ],
  // Missing required fields.
  'missing-environments.yaml': [['environments', 'is required unless the file declares tenants']],
  'missing-no-environment-defined.yaml': [['environments', 'must define at least one environment']],
  'missing-display-name.yaml': [['environments.prod.application.displayName', 'is required (expected a string)']],
  'missing-mail.yaml': [['environments.prod.application.mail', 'is required (expected a mapping)']],
  'missing-mail-flow.yaml': [['environments.prod.application.mail.flow', 'is required; allowed: "delegated", "app-only"']],
  'missing-permission-name.yaml': [['environments.prod.application.permissions[0].name', 'is required (expected a string)']],
  'missing-backend-storage-account.yaml': [['environments.prod.backend.storageAccountName', 'is required (expected a string)']],
  'missing-backend-type.yaml': [['environments.prod.backend.type', 'type must be one of: local, azurerm, cloud; got nothing (the key is missing)']],
  'missing-environment-declares-nothing.yaml': [['environments.prod', 'declares nothing: add an "application" section, an "mfaPolicy" section, or both']],
  // Conflicting options.
  'conflict-mfa-plus-authentication-strength.yaml': [['environments.prod.mfaPolicy.grant.authenticationStrength', 'cannot be combined with grant.mfa']],
  'conflict-enforced-without-break-glass-exclusion.yaml': [
    ['environments.prod.mfaPolicy.state', '"on" enforces the policy with no emergency-access (break-glass) exclusion'],
  ],
  'conflict-override-reason-too-short.yaml': [['environments.prod.mfaPolicy.allowEnforcedWithoutBreakGlassExclusion.reason', 'at least 20 characters']],
  'conflict-environment-names-differ-in-case.yaml': [['environments.PROD', '"PROD" differs from "prod" only in case; stack folders would collide']],
  'conflict-environment-defined-twice.yaml': [['(file)', 'a key appears twice in the same mapping']],
  'conflict-group-create-and-existing.yaml': [['environments.prod.mfaPolicy.group', 'sets both create and existingObjectId']],
  'conflict-protocol-listed-twice.yaml': [['environments.prod.application.mail.protocols', 'must not repeat a protocol']],
  'conflict-exclude-platforms-without-include.yaml': [['environments.prod.mfaPolicy.excludePlatforms', 'needs includePlatforms as well']],
  // Permission names that do not exist or have the wrong type.
  'permission-name-unknown.yaml': [
    ['environments.prod.application.permissions[0].name', 'unknown Microsoft Graph application permission "Mail.Raed" (did you mean "Mail.Read"?)'],
  ],
  'permission-name-wrong-type.yaml': [
    ['environments.prod.application.permissions[0].name', '"IMAP.AccessAsApp" is an application permission of Office 365 Exchange Online, not a delegated one'],
  ],
  'permission-name-wrong-api.yaml': [
    ['environments.prod.application.permissions[0].name', '"full_access_as_app" is an Office 365 Exchange Online application permission, not Microsoft Graph'],
  ],
  'permission-name-wrong-case.yaml': [['environments.prod.application.permissions[0].name', 'names are case-sensitive; did you mean "User.Read"?']],
  'permission-name-is-a-number.yaml': [['environments.prod.application.permissions[0].name', 'must be a string, got number 7']],
  'permission-is-a-string.yaml': [['environments.prod.application.permissions[0]', 'must be a mapping, got "Mail.Read"']],
  // Overlong strings.
  'long-display-name.yaml': [['environments.prod.application.displayName', 'is too long: at most 120 characters']],
  'long-description.yaml': [['environments.prod.application.description', 'is too long: at most 1024 characters']],
  'long-redirect-uri.yaml': [['environments.prod.application.redirectUris[0]', 'is longer than 256 characters, the Entra ID limit']],
  'long-scope-value.yaml': [['environments.prod.application.exposedScope.value', 'at most 120 characters']],
  'long-environment-name.yaml': [[`environments.${'p'.repeat(41)}`, 'cannot be a stack name: use 1-40 lower-case letters']],
  // Non-ASCII and control characters.
  'text-environment-name-non-ascii.yaml': [['environments.producción', '"producción" cannot be a stack name']],
  'text-key-non-ascii.yaml': [
    ['environments.prod.application.displayName', 'is required (expected a string)'],
    ['environments.prod.application.dísplayName', 'unknown key "dísplayName" (did you mean "displayName"?)'],
  ],
  'text-display-name-control-character.yaml': [
    [
      'environments.prod.application.displayName',
      'must be one line of printable text (no control characters, no invisible or bidirectional formatting characters)',
    ],
  ],
  'text-display-name-newline.yaml': [
    [
      'environments.prod.application.displayName',
      'must be one line of printable text (no control characters, no invisible or bidirectional formatting characters)',
    ],
  ],
  'text-redirect-uri-not-a-uri.yaml': [['environments.prod.application.redirectUris[0]', 'is not an absolute URI']],
  'text-redirect-uri-wildcard.yaml': [['environments.prod.application.redirectUris[0]', 'contains a wildcard']],
  'text-mailbox-not-an-address.yaml': [['environments.prod.application.mail.mailboxes[0]', 'must be a mailbox address such as itsm@contoso.com']],
  // Empty files.
  'empty-file.yaml': [['(file)', 'is empty; it must define at least one environment']],
  'empty-whitespace-only.yaml': [['(file)', 'is empty; it must define at least one environment']],
  'empty-comments-only.yaml': [['(file)', 'holds only comments; it must define at least one environment']],
  'empty-null-document.yaml': [['(top level)', 'must be a mapping with an "environments" key']],
  // YAML and JSON structure.
  'yaml-syntax-error.yaml': [['(file)', 'not valid YAML: Flow sequence in block collection must be sufficiently indented']],
  'yaml-tab-indentation.yaml': [
    ['(file)', /^not valid YAML: Tabs are not allowed as indentation$/],
    ['(file)', /^not valid YAML: Tabs are not allowed as indentation$/],
  ],
  'yaml-two-documents.yaml': [['(file)', 'holds 2 YAML documents; put everything in one document']],
  'yaml-undefined-alias.yaml': [['(file)', 'Unresolved alias']],
  // YAML 1.1 features YAML 1.2 does not have, or tags that give no string, named as such.
  'yaml-alias-cycle.yaml': [['(file)', /^has a YAML alias cycle: the alias \*prod lies inside the value its anchor &prod marks/]],
  'yaml-binary-tag.yaml': [
    ['environments.prod.application.displayName', 'must be a string, got binary data (a !!binary value); write plain text, without the tag'],
  ],
  'yaml-set-tag.yaml': [['environments.prod.application.owners', 'must be a list, got a set (a !!set value); write a list such as [a, b], without the tag']],
  // 10 levels of 10 aliases: 10^10 strings if expanded. Refused without expanding.
  'yaml-alias-bomb.yaml': [['(file)', 'expands through YAML aliases into more than 100000 values']],
  'yaml-deep-flow-nesting.yaml': [['(file)', 'is nested 201 levels deep; at most 64 are allowed']],
  'yaml-unknown-tag.yaml': [['(file)', 'not valid YAML: Unresolved tag']],
  'yaml-non-string-key.yaml': [['(file)', 'all keys must be strings']],
  'json-truncated.json': [
    ['(file)', 'not valid YAML: Flow map in block collection must be sufficiently indented and end with a }'],
    ['(file)', 'not valid YAML: Flow map must end with a }'],
  ],
  'json-wrong-type.json': [['environments.prod.application.adminConsent', 'must be true or false, got "no"']],
};

/** The field classes the issue names; each fixture's prefix says which one it covers. */
const CLASSES = ['type', 'range', 'uuid', 'enum', 'key', 'missing', 'conflict', 'permission', 'long', 'text', 'empty', 'yaml', 'json'];

const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

/**
 * Whether `nobody` can run the compiled CLI: every folder above dist/main.js and above the Node
 * binary that runs it must be searchable by others, the project readable and Node executable (a
 * checkout, or a Node unpacked, under a mode-700 home or temp folder is not).
 */
function othersCanReach(path: string, bit: number): boolean {
  let dir = dirname(path);
  for (;;) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return (statSync(path).mode & bit) !== 0;
    dir = dirname(dir);
  }
}
function nobodyCanRun(): boolean {
  return othersCanReach(MAIN, 0o004) && othersCanReach(realpathSync(process.execPath), 0o001);
}
/** As root, the unreadable case needs another user; without one it cannot be run honestly here. */
const UNREADABLE_RUNNABLE = !IS_ROOT || nobodyCanRun();

interface Case {
  readonly name: string;
  /** Writes the config (or what stands in for it) into the case's folder; returns the --config argument. */
  readonly setup: (dir: string) => string;
  readonly expected: readonly Problem[];
  /** Run the CLI as this uid (root cannot be denied a read, so the unreadable case drops to nobody). */
  readonly uid?: number;
  /** Through `npm run synth -- --config`, as users run it, instead of `node dist/main.js`. */
  readonly viaNpm?: boolean;
}

/** Cases that cannot be files in git; generated per run. */
const GENERATED: Case[] = [
  {
    name: 'a directory',
    setup: (dir) => (mkdirSync(join(dir, 'conf.yaml')), 'conf.yaml'),
    expected: [['(file)', 'is a directory, not a config file']],
  },
  {
    // chmod 000 does not stop root. When the tests run as root (CI containers), the CLI runs as
    // `nobody` instead, so the read really fails with EACCES rather than being simulated.
    name: 'an unreadable file (mode 000)',
    setup: (dir) => {
      const f = join(dir, 'secret.yaml');
      copyFileSync(join(ROOT, 'config', 'example.yaml'), f);
      chmodSync(f, 0o000);
      return 'secret.yaml';
    },
    uid: IS_ROOT ? NOBODY : undefined,
    expected: [['(file)', 'cannot be read: permission denied']],
  },
  {
    // A path that goes through a regular file: ENOTDIR, unreadable for root too.
    name: 'a path through a file',
    setup: (dir) => (writeFileSync(join(dir, 'conf.yaml'), 'environments: {}\n'), 'conf.yaml/prod.yaml'),
    expected: [['(file)', 'file not found: a part of the path is a file, not a folder']],
  },
  {
    name: 'a missing file',
    setup: () => 'does-not-exist.yaml',
    expected: [['(file)', 'file not found (check the path given to --config or ITSM_MAIL_CONFIG)']],
  },
  {
    name: 'a file over 1 MiB',
    setup: (dir) => (writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\nenvironments: {}\n`), 'big.yaml'),
    expected: [['(file)', /^is \d+ bytes; a config file may be at most 1048576 bytes$/]],
  },
  {
    name: 'binary data',
    setup: (dir) => {
      // Fixed pseudo-random bytes (an LCG), with NULs, so the case is the same on every run.
      const bytes = Buffer.alloc(4096);
      let x = 12345;
      for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      bytes[17] = 0;
      writeFileSync(join(dir, 'conf.yaml'), bytes);
      return 'conf.yaml';
    },
    expected: [['(file)', 'is binary (contains NUL bytes), not a YAML or JSON text file']],
  },
  {
    name: 'text that is not UTF-8 (Latin-1)',
    setup: (dir) => (
      writeFileSync(join(dir, 'conf.yaml'), Buffer.from('environments:\n  prod:\n    application:\n      displayName: Administración\n', 'latin1')), 'conf.yaml'
    ),
    expected: [['(file)', 'is not valid UTF-8 text; save it as UTF-8']],
  },
  {
    // What Windows PowerShell's `>` writes. The NUL bytes of UTF-16 make it read as binary.
    name: 'UTF-16 text',
    setup: (dir) => (
      writeFileSync(join(dir, 'conf.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('environments:\n  prod: {}\n', 'utf16le')])), 'conf.yaml'
    ),
    expected: [['(file)', /binary|UTF-16/]],
  },
  {
    // Billion laughs scaled to 1 MiB budget: 30 levels of doubling, 2^30 strings if expanded.
    name: 'a huge alias bomb',
    setup: (dir) => {
      const lines = ['l0: &l0 [lol, lol]'];
      for (let i = 1; i <= 30; i++) lines.push(`l${i}: &l${i} [*l${i - 1}, *l${i - 1}]`);
      lines.push('environments:\n  prod:\n    application: *l30');
      writeFileSync(join(dir, 'conf.yaml'), `${lines.join('\n')}\n`);
      return 'conf.yaml';
    },
    expected: [['(file)', 'expands through YAML aliases into more than 100000 values']],
  },
  {
    name: 'deep flow nesting (100 000 levels)',
    setup: (dir) => (writeFileSync(join(dir, 'conf.yaml'), `environments: ${'['.repeat(100_000)}`), 'conf.yaml'),
    expected: [['(file)', 'is nested 100000 levels deep; at most 64 are allowed']],
  },
  {
    name: 'deep block nesting (500 levels of indentation)',
    setup: (dir) => {
      const lines = ['environments:'];
      for (let i = 1; i <= 500; i++) lines.push(`${'  '.repeat(i)}k${i}:`);
      writeFileSync(join(dir, 'conf.yaml'), `${lines.join('\n')} x\n`);
      return 'conf.yaml';
    },
    expected: [['(file)', 'is nested 501 levels deep; at most 64 are allowed']],
  },
  {
    name: 'a display name of one million characters',
    setup: (dir) => (
      writeFileSync(
        join(dir, 'conf.yaml'),
        `environments:\n  prod:\n    application:\n      displayName: ${'A'.repeat(1_000_000)}\n      redirectUris: [https://itsm.example.com/mail/]\n      mail:\n        flow: delegated\n`,
      ),
      'conf.yaml'
    ),
    expected: [['environments.prod.application.displayName', 'is too long: at most 120 characters']],
  },
];

/** Cases that also run through the real `npm run synth -- --config FILE` (cwd = the project). */
const VIA_NPM = new Set(['conflict-environment-names-differ-in-case.yaml', 'empty-file.yaml', 'a directory']);
/** Fixtures spawned as a process in the default (sample) mode: one of each kind of failure path. */
const SPAWN_SAMPLE = new Set([
  // one per layer of the loader: YAML/JSON syntax, schema, cross-field rules, the catalogue
  'json-truncated.json',
  'key-unknown-in-environment.yaml',
  'conflict-mfa-plus-authentication-strength.yaml',
  'permission-name-unknown.yaml',
  // generated cases whose point is the process: file system, time and memory bounds
  'a directory',
  'an unreadable file (mode 000)',
  'a huge alias bomb',
  'deep flow nesting (100 000 levels)',
  'a file over 1 MiB',
]);
/** `all`: spawn every case as a process; `sample`: spawn the sample, run every case in-process. */
const SPAWN_MODE = process.env.BAD_INPUT_CLI === 'all' ? 'all' : 'sample';

const fixtureCases: Case[] = Object.entries(EXPECTED).map(([name, expected]) => ({
  name,
  setup: (dir: string) => (copyFileSync(join(FIXTURES, name), join(dir, name)), name),
  expected,
}));
const ALL: Case[] = [...fixtureCases, ...GENERATED];
/** In-process cases: all but those that need another uid (root reads a mode-000 file in-process). */
const IN_PROCESS = ALL.filter((c) => c.uid === undefined);
const SPAWNED: Case[] = [
  ...ALL.filter((c) => SPAWN_MODE === 'all' || SPAWN_SAMPLE.has(c.name)).filter((c) => c.uid === undefined || UNREADABLE_RUNNABLE),
  ...ALL.filter((c) => VIA_NPM.has(c.name)).map((c) => ({ ...c, viaNpm: true })),
];

type How = 'in-process' | 'node dist/main.js' | 'npm run synth';
const how = (c: Case, spawned: boolean): How => (!spawned ? 'in-process' : c.viaNpm ? 'npm run synth' : 'node dist/main.js');

interface Outcome {
  readonly file: string;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly before: Record<string, string>;
  readonly after: Record<string, string>;
}

/** A folder with a previous synthesis in cdktf.out, dated in the past so any rewrite shows. */
const folders: string[] = [];
afterAll(() => {
  for (const d of folders) rmSync(d, { recursive: true, force: true });
});

function caseFolder(): { dir: string; outdir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-bad-input-'));
  folders.push(dir);
  const outdir = join(dir, 'cdktf.out');
  mkdirSync(join(outdir, 'stacks', 'prod'), { recursive: true });
  writeFileSync(join(outdir, 'manifest.json'), '{"version":"previous run"}\n');
  writeFileSync(join(outdir, 'stacks', 'prod', 'cdk.tf.json'), '{"previous":"synthesis"}\n');
  const past = new Date('2020-01-01T00:00:00Z');
  for (const f of ['manifest.json', 'stacks/prod/cdk.tf.json', 'stacks/prod', 'stacks', '.']) utimesSync(join(outdir, f), past, past);
  return { dir, outdir };
}

/** Every entry below `dir` (folders too) with mode, size, mtime and a hash of the content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const s = statSync(p);
      const key = relative(dir, p);
      if (s.isDirectory()) {
        out[`${key}/`] = `${s.mode}:${s.mtimeMs}`;
        walk(p);
      } else {
        let hash = 'unreadable';
        try {
          hash = createHash('sha256').update(readFileSync(p)).digest('hex');
        } catch {
          // The mode-000 case, when the tests do not run as root: mode, size and mtime still count.
        }
        out[key] = `${s.mode}:${s.size}:${s.mtimeMs}:${hash}`;
      }
    }
  };
  walk(dir);
  return out;
}

const ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };

/** Spawns the CLI for one case (node dist/main.js, or npm run synth). */
function spawnCase(c: Case): Promise<Outcome> {
  const { dir, outdir } = caseFolder();
  const file = c.setup(dir);
  // The case folder (but not cdktf.out's content) must be usable by the uid the CLI runs as.
  if (c.uid !== undefined) chmodSync(dir, 0o777);
  const before = tree(dir);
  const env = { ...ENV };
  const [cmd, args, cwd] = c.viaNpm
    ? // npm runs the script in the project root; CDKTF_OUTDIR points the output at the case folder.
      ['npm', ['run', 'synth', '--', '--config', join(dir, file)], ROOT]
    : [process.execPath, [MAIN, '--config', file], dir];
  if (c.viaNpm) env.CDKTF_OUTDIR = outdir;
  return new Promise((resolve) => {
    const child = spawn(cmd, args as string[], { cwd, env, uid: c.uid, gid: c.uid, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_MS);
    // A process that cannot start (an uid that may not enter the folder) emits 'error', and on some
    // Node versions no 'close' after it: settle on either, so the suite fails instead of waiting forever.
    let settled = false;
    const settle = (status: number | null, signal: NodeJS.Signals | null, extra = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ file: c.viaNpm ? join(dir, file) : file, status, signal, stdout, stderr: stderr + extra, before, after: tree(dir) });
    };
    child.on('error', (e) => settle(null, null, `spawn failed: ${e.message}`));
    child.on('close', (status, signal) => settle(status, signal));
  });
}

/**
 * Runs one case through `runCli` of the compiled CLI in this process: the call dist/main.js makes,
 * with the same arguments, working folder and environment. runCli is synchronous, so changing the
 * working folder around it affects nothing else.
 */
function runInProcess(c: Case): Outcome {
  const { runCli } = require(join(ROOT, 'dist', 'lib', 'cli', 'synth-cli.js')) as typeof import('../lib/cli/synth-cli');
  const { dir } = caseFolder();
  const file = c.setup(dir);
  const before = tree(dir);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const cwd = process.cwd();
  let status: number;
  process.chdir(dir);
  try {
    status = runCli(['--config', file], { ...ENV }, { stdout: (l) => stdout.push(`${l}\n`), stderr: (l) => stderr.push(`${l}\n`) });
  } finally {
    process.chdir(cwd);
  }
  return { file, status, signal: null, stdout: stdout.join(''), stderr: stderr.join(''), before, after: tree(dir) };
}

async function pool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The assertions every case must pass, however it was run. */
function expectRefused(c: Case, o: Outcome, mode: How): void {
  const where = `${c.name} (${mode})\nstatus ${o.status} signal ${o.signal}\nstderr:\n${o.stderr}\nstdout:\n${o.stdout}`;

  // A non-zero exit of its own (not a kill).
  expect({ where, signal: o.signal }).toEqual({ where, signal: null });
  expect({ where, status: o.status }).toEqual({ where, status: 3 });

  // No stack trace, nothing of Node's internals, nothing on stdout (npm echoes the script there).
  expect(o.stderr).not.toMatch(/^\s+at /m);
  expect(o.stderr).not.toMatch(/node:internal|\.(js|ts):\d+|Error: /);
  expect(mode === 'npm run synth' ? o.stdout.replace(/^> .*$/gm, '').trim() : o.stdout).toBe('');

  // One line per problem in the `FILE:LINE:COL: error: path.to.field: message` form (no line for
  // the file as a whole), then the summary.
  const lines = o.stderr.split('\n').filter((l) => l !== '');
  const summary = `${o.file}: ${c.expected.length} problem(s); nothing was written.`;
  expect({ where, last: lines[lines.length - 1] }).toEqual({ where, last: summary });
  const problems = lines.slice(0, -1);
  const form = new RegExp(`^${escape(o.file)}(:\\d+:\\d+)?: error: (\\(file\\)|\\(top level\\)|[^\\s:][^:]*): \\S.*$`);
  for (const line of problems) expect(line).toMatch(form);
  expect({ where, count: problems.length }).toEqual({ where, count: c.expected.length });
  c.expected.forEach(([path, phrase], i) => {
    const prefix = new RegExp(`^${escape(o.file)}(:\\d+:\\d+)?: error: ${escape(path)}: `);
    expect({ where, line: problems[i], prefix: prefix.test(problems[i]) }).toEqual({ where, line: problems[i], prefix: true });
    const message = problems[i].replace(prefix, '');
    if (typeof phrase === 'string') expect(message).toContain(phrase);
    else expect(message).toMatch(phrase);
  });

  // cdktf.out untouched, and nothing else written beside it (no staging folder left behind).
  expect(o.after).toEqual(o.before);
}

const spawned = new Map<Case, Outcome>();
let spawning: Promise<void>;

beforeAll(() => {
  // Not awaited: the processes run while the in-process cases (defined first) run between them.
  spawning = pool(SPAWNED, POOL, spawnCase).then((results) => {
    SPAWNED.forEach((c, i) => spawned.set(c, results[i]));
  });
});

afterAll(() => {
  console.log(
    `bad-input: ${ALL.length} cases (${fixtureCases.length} fixture files, ${GENERATED.length} generated); ` +
      `${IN_PROCESS.length} in-process; ${SPAWNED.length} spawned (BAD_INPUT_CLI=${SPAWN_MODE}, ${POOL} in parallel); their time is measured by npm run bench`,
  );
});

describe('bad-input suite', () => {
  it('has an expectation for every fixture file, and a fixture file for every expectation', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('covers every field class with at least 50 malformed configs', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(50);
    for (const cls of CLASSES) expect(fixtureCases.some((c) => c.name.startsWith(`${cls}-`))).toBe(true);
    for (const name of Object.keys(EXPECTED)) expect(CLASSES).toContain(name.split('-')[0]);
  });

  describe.each(IN_PROCESS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('is refused through runCli, as dist/main.js calls it', () => {
      expectRefused(c, runInProcess(c), 'in-process');
    });
  });

  describe.each(SPAWNED.map((c) => [`${c.name} (${how(c, true)})`, c] as const))('%s', (_name, c) => {
    it('is refused by the command line', async () => {
      await spawning;
      expectRefused(c, spawned.get(c)!, how(c, true));
    }, 600_000);
  });

  /*
   * Formerly known bugs (a key or environment name with a control character was printed raw: a
   * newline split one problem over two lines, a terminal escape reached the terminal). Fixed by
   * escaping in formatProblem; these keep it fixed.
   */
  it.each([
    [
      'a key with a newline',
      'environments:\n  prod:\n    "tenant\\nId": x\n    application: { displayName: a, redirectUris: [https://itsm.example.com/mail/], mail: { flow: delegated } }\n',
      true,
    ],
    [
      'an environment name with a terminal escape',
      'environments:\n  "\\e[2Jprod":\n    application: { displayName: a, redirectUris: [https://itsm.example.com/mail/], mail: { flow: delegated } }\n',
      true,
    ],
    [
      'a display name with a right-to-left override',
      'environments:\n  prod:\n    application: { displayName: "Pandora\\u202Eliam.exe", redirectUris: [https://itsm.example.com/mail/], mail: { flow: delegated } }\n',
      false,
    ],
  ])('reports %s on one line, without control characters', (_name, text, quotesTheKey) => {
    const c: Case = { name: 'escaped.yaml', setup: (dir) => (writeFileSync(join(dir, 'escaped.yaml'), text), 'escaped.yaml'), expected: [] };
    const o = runInProcess(c);
    expect(o.status).toBe(3);
    expect(o.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(o.stderr.trim().split('\n')).toHaveLength(2);
    if (quotesTheKey) expect(o.stderr).toMatch(/\\(n|u001b)/);
    else expect(o.stderr).toContain('no invisible or bidirectional formatting characters');
  });

  it('runs the unreadable case as a user the file mode really denies', () => {
    // As root, chmod 000 denies nothing; the CLI then runs as nobody so the read really fails.
    const c = GENERATED.find((g) => g.name.startsWith('an unreadable'))!;
    expect(c.uid).toBe(IS_ROOT ? NOBODY : undefined);
    if (!UNREADABLE_RUNNABLE) {
      // Said out loud rather than faked: the ENOTDIR case still covers a file that cannot be read.
      console.warn(`bad-input: the unreadable-file case is not run: tests run as root and ${MAIN} or ${process.execPath} is not reachable by nobody`);
      return;
    }
    expect(SPAWNED).toContain(c);
    if (IS_ROOT) {
      const probe = spawnSync('id', ['-u'], { uid: NOBODY, gid: NOBODY, encoding: 'utf8' });
      expect(probe.stdout.trim()).toBe(String(NOBODY));
    }
  });
});
