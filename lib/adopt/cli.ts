/**
 * The `npm run adopt` command line: signs in as the deployer (as terraform does), reads what the
 * portal made through Microsoft Graph, prints the config section that declares the same objects
 * with their import blocks and what the project cannot say, and with --write adds it to a config
 * file. Reads only; never writes to the tenant.
 */
import { ENVIRONMENT_NAME_PATTERN, ENVIRONMENT_NAME_RULE } from '../model/stack';
import { parseConfigText } from '../config/load-config';
import { ConfigError, formatProblem } from '../config/problems';
import { isUuid } from '../model/ids';
import { helpText, parseCommandLine, quote, timeoutSeconds, type CommandSpec } from '../cli/args';
import { ExitCode } from '../cli/exit-codes';
import { credentialIn } from '../private/credentials';
import { cloudFromEnv, resolveCloud } from '../verify/cloud';
import { nodeHttpClient, type HttpClient } from '../verify/http';
import { makeScrubber, type Scrubber } from '../verify/scrub';
import { CredentialError, credentialFromEnv, credentialSecrets, credentialsSent, credentialWords, type Credential } from './credentials';
import { DEADLINE, GraphError, graphClient } from './graph';
import { GraphAnswerError, inShapeRead, NotFoundError, readPortal, readTenantConditionalAccess } from './portal';
import { previewEnvironment, previewTenant, type Preview } from './preview';
import { acquireGraphToken, SignInError, type SignInContext } from './sign-in';
import { adoptionOf, AdoptionError, type Adoption } from './translate';
import { tenantAdoptionOf, type TenantAdoption } from './tenant';
import { environmentYaml, tenantYaml, writeEnvironment, writeTenant, WriteError } from './write';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface AdoptCliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

/** What tests replace: the HTTPS client (a throwaway CA), the Azure CLI, waiting. */
export interface AdoptDeps {
  readonly http?: HttpClient;
  readonly runAz?: SignInContext['runAz'];
  readonly sleep?: (ms: number) => Promise<void>;
}

export const ADOPT_COMMAND: CommandSpec = {
  name: 'adopt',
  summary: `Reads what the Azure portal made for the application APP_ID (its service principal, permissions,
admin consent, exposed API, owners, assigned users and groups) and, with --policy-id, the
conditional access policy and its group, through Microsoft Graph, and prints the config section
that declares the same objects, the Terraform import blocks synth will write for them, and what
this project cannot express. With --tenant, reads every conditional access policy and named
location of the tenant instead and prints the tenants.NAME section that declares them (stack
tenant-NAME), each with its import block. Reads only: nothing in the tenant changes.`,
  flags: {
    env: { type: 'string', value: 'NAME', help: 'the environment (stack) to declare them in' },
    'client-id': { type: 'string', value: 'APP_ID', help: 'the Application (client) ID of the app registration' },
    'policy-id': { type: 'string', value: 'ID', help: 'the conditional access policy to adopt too (Policy ID)' },
    tenant: { type: 'string', value: 'NAME', help: "adopt the tenant's whole conditional access as tenants.NAME (no --env, --client-id or --policy-id)" },
    write: {
      type: 'string',
      value: 'FILE',
      help: 'add the environment (or tenant) to FILE (created if missing; comments and other sections kept; validated, then written atomically)',
    },
    replace: { type: 'boolean', help: 'with --write: replace environment (or tenant) NAME if FILE has it' },
    timeout: { type: 'string', value: 'SECONDS', help: 'per request (default 30)' },
    deadline: { type: 'string', value: 'SECONDS', help: "the whole of Microsoft Graph's reading, retries and waits included (default 1800)" },
  },
  description: `Signs in with the deployer's credentials as terraform uses them (ARM_* variables, OIDC, managed
identity or the Azure CLI; ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME for other clouds); no
credential is ever taken from the command line. Exit ${ExitCode.remote}: sign-in, Microsoft Graph or the
objects read failed (not found, not expressible); exit ${ExitCode.input}: FILE of --write cannot take the section.`,
  exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage, ExitCode.input, ExitCode.remote],
};

interface Options {
  environment: string;
  clientId: string;
  policyId?: string;
  /** With --tenant: the tenant's name; environment and clientId are then empty. */
  tenant?: string;
  writeFile?: string;
  replace: boolean;
  timeoutS: number;
  deadlineS: number;
}

/**
 * @returns the process exit code (lib/cli/exit-codes.ts): 0 done, 6 cannot adopt (sign-in, Graph, not found, not expressible), 3 --write's file cannot take it, 1 unexpected, 2 usage
 */
export async function runAdoptCli(args: readonly string[], env: NodeJS.ProcessEnv, io: AdoptCliIo = defaultIo, deps: AdoptDeps = {}): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    io.stdout(helpText(ADOPT_COMMAND));
    return ExitCode.ok;
  }
  if (typeof parsed === 'string') {
    io.stderr(`error: ${parsed}`);
    io.stderr('Run "entra-itsm-mail adopt --help" for its flags and exit codes.');
    return ExitCode.usage;
  }
  const o = parsed;
  // Every credential adopt holds is removed whole from everything it prints. Those a server could
  // quote back (what adopt sends: the client secret, an OIDC or CI token; the access token) are also
  // removed in pieces, as verify removes them (lib/verify/scrub.ts; docs/verify.md, "What verify
  // never prints"): from what Graph or the token endpoint said, then cut to an excerpt
  // (`said.answer`), and from every line adopt prints, values read from Graph included.
  let whole: string[] = [];
  let sent: string[] = [];
  let lineScrubber: Scrubber = makeScrubber([], { shapes: false });
  let rawScrubber: Scrubber = makeScrubber([], { shapes: false, escape: false });
  let said: Scrubber = makeScrubber([]);
  const holding = (values: readonly string[], sentValues: readonly string[]) => {
    whole = [...whole, ...values].filter((s) => s.length >= 6);
    sent = [...sent, ...sentValues];
    said = makeScrubber(sent);
    // adopt's own lines keep their long base64-like import IDs (no shapes: printable redacts those
    // with its checks), and of a token only its signature is looked for in pieces: its header and
    // payload are base64 of claims (the tenant, a user's domain) that an import ID such as
    // identifierUris/{base64 of the URI} can encode too, and hold nothing that signs in.
    lineScrubber = makeScrubber(sent.map(randomPart), { shapes: false });
    rawScrubber = makeScrubber(sent.map(randomPart), { shapes: false, escape: false });
  };
  const wholeRemoved = (text: string) => whole.reduce((out, s) => out.split(s).join('<redacted>'), text);
  const scrub = (line: string) => lineScrubber(wholeRemoved(line));
  /** True when `text` holds a credential adopt holds, whole or (what a server could quote back) in pieces. */
  const holdsCredential = (text: string) => rawScrubber(wholeRemoved(text)) !== text;
  const out = (line = '') => io.stdout(scrub(line));
  const fail = (message: string, fix?: string, more: readonly string[] = [], code: number = ExitCode.remote) => {
    io.stderr(scrub(`adopt: ${message}`));
    for (const m of more) io.stderr(scrub(`  ${m}`));
    if (fix) io.stderr(scrub(`fix: ${fix}`));
    return code;
  };
  try {
    let credential: Credential;
    try {
      credential = credentialFromEnv(env);
    } catch (e) {
      if (e instanceof CredentialError) return fail(e.message);
      throw e;
    }
    holding(credentialSecrets(credential), credentialsSent(credential));
    const http = deps.http ?? nodeHttpClient();
    // IMDS is plain HTTP on a link-local address; nothing else is ever sent without TLS.
    const managedIdentityHttp =
      deps.http ?? nodeHttpClient({ allowPlainHttp: (u) => u.hostname === '169.254.169.254' || u.hostname === '127.0.0.1' || u.hostname === 'localhost' });
    const timeoutMs = o.timeoutS * 1000;
    // The deadline counts from here: signing in and every Graph read after it.
    const started = Date.now();
    const cloud = await resolveCloud(cloudFromEnv(env), http, timeoutMs);
    if (!cloud.ok)
      return fail(
        `cannot find the cloud's endpoints: ${cloud.message}`,
        'set ARM_ENVIRONMENT to global, usgovernment, dod or china, or ARM_METADATA_HOSTNAME to a reachable metadata host (as for terraform)',
      );
    if (!cloud.graphResource)
      return fail(
        `the metadata of ${cloud.source} names no Microsoft Graph (microsoftGraphResourceId), so there is nothing to read from`,
        'use a metadata host that serves Microsoft Graph, as the azuread provider requires',
      );

    let token;
    try {
      token = await acquireGraphToken(credential, {
        http,
        managedIdentityHttp,
        loginEndpoint: cloud.loginEndpoint,
        graphResource: cloud.graphResource,
        timeoutMs,
        ...(deps.runAz ? { runAz: deps.runAz } : {}),
      });
    } catch (e) {
      if (e instanceof SignInError)
        return fail(`cannot sign in as ${credentialWords(credential)}: ${e.message}${e.said !== undefined ? `: ${said.answer(e.said)}` : ''}`, e.fix);
      throw e;
    }
    holding([token.accessToken], [token.accessToken]);
    const tenantId = token.tenantId ?? ('tenantId' in credential ? credential.tenantId : undefined);
    if (!tenantId) return fail('signed in, but the token names no tenant', 'set ARM_TENANT_ID');
    out(`Signed in to tenant ${tenantId} as ${credentialWords(credential)}; reading Microsoft Graph at ${cloud.graphResource} (${cloud.source}).`);

    const graph = graphClient({
      http,
      graphResource: cloud.graphResource,
      accessToken: token.accessToken,
      timeoutMs,
      deadline: { at: started + o.deadlineS * 1000, seconds: o.deadlineS },
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      onRetry: (r) =>
        io.stderr(scrub(`adopt: Microsoft Graph is throttling (HTTP ${r.status}) GET ${r.path}: waiting ${r.waitSeconds} s as it asks (retry ${r.attempt})`)),
    });
    if (o.tenant !== undefined) return await adoptTenant(graph, o, o.tenant, tenantId, out, fail, said, holdsCredential);
    let adoption: Adoption;
    try {
      const snapshot = await readPortal(graph, o.clientId, o.policyId);
      adoption = inShapeRead(`the application with client ID ${o.clientId}${o.policyId ? ` or the policy ${o.policyId}` : ''} (or what hangs from them)`, () =>
        adoptionOf(snapshot, { tenantId, ...(token.objectId ? { deployerObjectId: token.objectId } : {}) }),
      );
      const app = snapshot.application;
      const plural = (what: string, n: number) => (n === 1 ? what : what === 'assigned user or group' ? 'assigned users and groups' : `${what}s`);
      const counts = Object.entries(adoption.read)
        .filter(([, n]) => n > 0)
        .map(([what, n]) => `${n} ${plural(what, n)}`)
        .join(', ');
      const policy = snapshot.policy
        ? `; conditional access policy "${snapshot.policy.displayName ?? ''}"${snapshot.groups[0] ? ` and its group "${snapshot.groups[0].displayName ?? ''}"` : ''}`
        : '';
      out(
        `Read the application "${app.displayName ?? ''}" (client ID ${app.appId}, object ID ${app.id})${snapshot.servicePrincipal ? ` and its service principal ${snapshot.servicePrincipal.id}` : ''}: ${counts || 'nothing more'}${policy}.`,
      );
    } catch (e) {
      if (e instanceof NotFoundError || e instanceof AdoptionError) return fail(e.message);
      if (e instanceof GraphAnswerError) return fail(e.message, NOT_GRAPH_FIX);
      if (e instanceof GraphError) return fail(graphMessage(e, said), graphFix(e, o));
      throw e;
    }

    const header = ` Adopted by npm run adopt from tenant ${tenantId}: application ${o.clientId}${o.policyId ? `, policy ${o.policyId}` : ''}.`;
    const yaml = environmentYaml(o.environment, adoption.environment, header);
    if (holdsCredential(yaml)) return echoedCredential(yaml, out, fail);
    // The section must pass every rule the loader runs, as synth will run them.
    try {
      parseConfigText(yaml, `(environment ${o.environment})`);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      out('');
      for (const l of yaml.trimEnd().split('\n')) out(l);
      // A credential in a field the portal holds is readable by whoever can read the directory: say so.
      const exposed = credentialFields(adoption.environment, `environments.${o.environment}`);
      const rotate =
        exposed.length > 0
          ? `; ${exposed.map((f) => `${f.path} holds ${f.what}`).join(', ')}: anyone who can read the directory can read it there, so remove it in the Entra admin center and rotate that credential`
          : '';
      return fail(
        `what the portal made does not pass this project's rules, so it cannot be declared as it is; nothing was written:`,
        (o.policyId
          ? 'change it in the Entra admin center, complete the section above by hand, or leave --policy-id out to adopt the application alone'
          : 'change it in the Entra admin center, or complete the section above by hand') + rotate,
        e.problems.map(formatProblem),
      );
    }
    const preview: Preview = previewEnvironment(o.environment, adoption.environment);

    out('');
    out(
      o.writeFile
        ? `The section, written to ${o.writeFile} as environment ${o.environment}:`
        : 'The section (add it to your config file, or run again with --write FILE):',
    );
    out('');
    for (const l of yaml.trimEnd().split('\n')) out(l);
    out('');
    out(`Import blocks that npm run synth writes into cdktf.out/stacks/${o.environment}/cdk.tf.json (Terraform 1.5 or later):`);
    for (const i of preview.imports) out(`  ${i.to}  ${i.id}`);
    out('');
    out(
      'Client secrets made in the portal: a secret cannot be imported (its value is never readable again, and azuread_application_password has no importer).',
    );
    if (adoption.portalSecrets.length === 0) out('  - none');
    for (const p of adoption.portalSecrets) {
      out(
        `  - ${p.displayName ? `"${p.displayName}"` : '(no description)'}: key ID ${p.keyId}${p.hint ? `, starts with ${p.hint}` : ''}, ends ${p.endDateTime ?? '(no end date)'}`,
      );
    }
    out("  The first apply creates this project's rotating pair (slots a and b). The portal-made secrets keep working until they end or are deleted:");
    out('  paste the new secret (terraform output -raw client_secret) into the ITSM tool, check mail works (npm run verify), then delete the old ones.');
    section(out, "What the first plan changes (chosen by this project's settings):", adoption.changes);
    section(
      out,
      'What this project cannot express (by name):',
      adoption.notExpressed.map((n) => `${n.effect === 'kept' ? 'kept, not managed' : 'removed by the first plan'}: ${n.name} (${n.why})`),
    );
    section(out, 'Before npm run synth:', adoption.todo);
    const findings = preview.findings.filter((f) => f.suppressedReason === undefined);
    section(
      out,
      'Guardrail findings npm run synth will report:',
      findings.map((f) => `${f.ruleId} ${f.severity}${f.severity === 'error' ? ' (stops synthesis until fixed or suppressed)' : ''}: ${f.message} [${f.path}]`),
    );

    if (o.writeFile) {
      try {
        const r = writeEnvironment(o.writeFile, o.environment, adoption.environment, { replace: o.replace, header });
        out('');
        out(
          `${o.writeFile}: ${r.created ? 'created with' : r.replaced ? 'replaced' : 'added'} environment ${o.environment}${r.kept.length > 0 ? ` (kept its ${r.kept.join(', ')})` : ''}.`,
        );
      } catch (e) {
        if (e instanceof WriteError) return fail(e.message, undefined, e.problems, ExitCode.input);
        throw e;
      }
    }
    out('');
    out(
      `Next: npm run synth${o.writeFile ? ` -- --config ${o.writeFile}` : ''}, then in cdktf.out/stacks/${o.environment}: terraform init && terraform plan. ` +
        `The plan should show ${preview.imports.length} to import and only the changes listed above; after the apply, a second plan should show none.`,
    );
    return 0;
  } catch (e) {
    const err = e as Error;
    io.stderr(scrub(`adopt failed unexpectedly: ${err.message}`));
    if (env.ITSM_MAIL_DEBUG) io.stderr(scrub(String(err.stack)));
    else io.stderr('Set ITSM_MAIL_DEBUG=1 to print the stack trace when reporting this.');
    return ExitCode.unexpected;
  }
}

/**
 * A section that holds (a piece of) the secret or the token adopt signed in with: Graph put it into
 * a value it answered. It is shown with the pieces redacted, and never written into a config file.
 */
function echoedCredential(
  yaml: string,
  out: (line?: string) => void,
  fail: (message: string, fix?: string, more?: readonly string[], code?: number) => number,
): number {
  out('');
  for (const l of yaml.trimEnd().split('\n')) out(l);
  return fail(
    'what Microsoft Graph answered holds (a piece of) the client secret or the access token adopt signed in with (shown as <redacted> above); nothing was written',
    "Microsoft Graph does not echo credentials: check that ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME name Microsoft Graph itself (not a proxy or another server), and rotate the deploying identity's credentials if they reached another server",
  );
}

function section(out: (l?: string) => void, title: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  out('');
  out(title);
  for (const l of lines) out(`  - ${l}`);
}

/** The fix when what answered is not what Microsoft Graph answers. */
const NOT_GRAPH_FIX =
  'check that ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME name Microsoft Graph itself (not a proxy or another server); nothing was read from this answer';

/** Of a JSON Web Token, its signature (random, and what makes it sign in); any other value whole. */
function randomPart(value: string): string {
  const parts = value.split('.');
  return parts.length === 3 && parts[2].length >= 16 ? parts[2] : value;
}

/** Graph's refusal in words: adopt's, then Graph's own, scrubbed of the credentials and only then cut short. */
function graphMessage(e: GraphError, said: Scrubber): string {
  if (e.code === DEADLINE) return e.message;
  return `Microsoft Graph refused to read: ${e.message}${e.said !== undefined ? ` ${said.answer(e.said)}` : ''}${e.note}${e.requestId ? ` (request ID ${said.answer(e.requestId)})` : ''}`;
}

function graphFix(e: GraphError, o: Options): string | undefined {
  if (e.code === DEADLINE) return 'give a longer --deadline, or run adopt again when Microsoft Graph throttles less';
  if (e.status === 401) return 'the token was not accepted: check that ARM_ENVIRONMENT / ARM_METADATA_HOSTNAME name the cloud the tenant is in';
  if (e.status === 403) {
    const path = e.path;
    const needs = path.includes('conditionalAccess')
      ? 'Policy.Read.All'
      : path.includes('/groups/')
        ? 'Group.Read.All (or Directory.Read.All)'
        : path.startsWith('/v1.0/users/')
          ? 'User.Read.All (or Directory.Read.All)'
          : path.includes('oauth2PermissionGrants')
            ? 'DelegatedPermissionGrant.Read.All (or Directory.Read.All)'
            : 'Application.Read.All (or Directory.Read.All)';
    const also =
      o.tenant !== undefined
        ? '; adopting a tenant needs Policy.Read.All, User.Read.All, Group.Read.All and Application.Read.All'
        : o.policyId
          ? '; adopting a policy also needs Policy.Read.All'
          : '';
    return `give the deploying identity the Microsoft Graph permission ${needs}${also} (application permission with admin consent, or the Global Reader role)`;
  }
  if (e.status === 0) return 'check the network to Microsoft Graph (a private CA: NODE_EXTRA_CA_CERTS)';
  return undefined;
}

function parseArgs(args: readonly string[]): Options | 'help' | string {
  const parsed = parseCommandLine(ADOPT_COMMAND, args);
  if (parsed.kind === 'help') return 'help';
  if (parsed.kind === 'usage') return parsed.message;
  const v = parsed.values as Partial<Record<'env' | 'client-id' | 'policy-id' | 'tenant' | 'write' | 'timeout' | 'deadline', string>> & { replace?: boolean };
  const timeoutS = timeoutSeconds(v.timeout, 30);
  if (typeof timeoutS === 'string') return timeoutS;
  const deadlineS = v.deadline === undefined ? 1800 : Number(v.deadline);
  if (!Number.isFinite(deadlineS) || deadlineS < 1 || deadlineS > 86_400) return `--deadline ${quote(v.deadline ?? '')}: takes seconds between 1 and 86400`;
  const o: Partial<Options> = {
    ...(v.env !== undefined ? { environment: v.env } : {}),
    ...(v['client-id'] !== undefined ? { clientId: v['client-id'] } : {}),
    ...(v['policy-id'] !== undefined ? { policyId: v['policy-id'] } : {}),
    ...(v.tenant !== undefined ? { tenant: v.tenant } : {}),
    ...(v.write !== undefined ? { writeFile: v.write } : {}),
    replace: v.replace === true,
    timeoutS,
    deadlineS,
  };
  if (o.tenant !== undefined) {
    const other = (['--env', '--client-id', '--policy-id'] as const).filter(
      (f) => o[({ '--env': 'environment', '--client-id': 'clientId', '--policy-id': 'policyId' } as const)[f]] !== undefined,
    );
    if (other.length > 0)
      return `--tenant adopts the tenant's whole conditional access and goes without ${other.join(' and ')}: run adopt once with --tenant, and once with --env and --client-id for an application`;
    if (!ENVIRONMENT_NAME_PATTERN.test(o.tenant))
      return `--tenant ${quote(o.tenant)} cannot be a tenant's name (its stack is tenant-${quote(o.tenant).slice(1, -1)}): ${ENVIRONMENT_NAME_RULE}`;
    if (o.replace && o.writeFile === undefined) return '--replace only goes with --write FILE';
    return { ...o, environment: '', clientId: '' } as Options;
  }
  if (o.environment === undefined)
    return 'name the environment to declare the objects in (--env NAME, e.g. --env prod), or adopt the conditional access of the whole tenant (--tenant NAME)';
  if (!ENVIRONMENT_NAME_PATTERN.test(o.environment)) return `--env ${quote(o.environment)} cannot be a stack name: ${ENVIRONMENT_NAME_RULE}`;
  if (o.clientId === undefined) return "name the application (--client-id APP_ID: the Application (client) ID on the app registration's Overview page)";
  // The value is not repeated: what is not a client ID may be a secret pasted into the wrong flag.
  if (!isUuid(o.clientId))
    return `--client-id: the value given (${o.clientId.length} characters, not repeated here) is not a client ID: expected a UUID such as 00000000-0000-0000-0000-000000000000 (the Application (client) ID, not the display name nor a secret)`;
  if (o.policyId !== undefined && !isUuid(o.policyId))
    return `--policy-id: the value given (${o.policyId.length} characters, not repeated here) is not a policy ID: expected a UUID (Conditional Access → the policy → Policy ID)`;
  if (o.replace && o.writeFile === undefined) return '--replace only goes with --write FILE';
  return o as Options;
}

const defaultIo: AdoptCliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/** The fields of an adopted section that hold a credential, by path and what it is (never the value). */
function credentialFields(value: unknown, path = ''): { readonly path: string; readonly what: string }[] {
  if (typeof value === 'string') {
    const what = credentialIn(value);
    return what ? [{ path, what }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => credentialFields(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => credentialFields(v, path ? `${path}.${k}` : k));
  return [];
}

/**
 * `adopt --tenant NAME`: every conditional access policy and named location of the tenant, as the
 * section tenants.NAME with an import block for each; what it cannot say, by object and field.
 */
async function adoptTenant(
  graph: ReturnType<typeof graphClient>,
  o: Options,
  name: string,
  tenantId: string,
  out: (line?: string) => void,
  fail: (message: string, fix?: string, more?: readonly string[], code?: number) => number,
  said: Scrubber,
  holdsCredential: (text: string) => boolean,
): Promise<number> {
  let adoption: TenantAdoption;
  try {
    const snapshot = await readTenantConditionalAccess(graph);
    adoption = tenantAdoptionOf(snapshot, { tenantId, alreadyAdopted: o.writeFile !== undefined ? policiesImportedIn(o.writeFile) : {} });
    out(
      `Read ${snapshot.policies.length} conditional access ${snapshot.policies.length === 1 ? 'policy' : 'policies'} and ${snapshot.namedLocations.length} named ${snapshot.namedLocations.length === 1 ? 'location' : 'locations'}.`,
    );
  } catch (e) {
    if (e instanceof AdoptionError) return fail(e.message);
    if (e instanceof GraphAnswerError) return fail(e.message, NOT_GRAPH_FIX);
    if (e instanceof GraphError) return fail(graphMessage(e, said), graphFix(e, o));
    throw e;
  }
  const header = ` Adopted by npm run adopt from tenant ${tenantId}: its conditional access (${Object.keys(adoption.tenant.conditionalAccessPolicies ?? {}).length} policies, ${Object.keys(adoption.tenant.namedLocations ?? {}).length} named locations).`;
  const yaml = tenantYaml(name, adoption.tenant, header);
  if (holdsCredential(yaml)) return echoedCredential(yaml, out, fail);
  // The section must pass every rule the loader runs, as synth will run them: on its own, or with
  // --write as part of the file it is written into (the write checks the whole file, and refuses).
  try {
    if (o.writeFile === undefined) parseConfigText(yaml, `(tenant ${name})`);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    out('');
    for (const l of yaml.trimEnd().split('\n')) out(l);
    return fail(
      "the tenant's section does not pass this project's rules; nothing was written:",
      'complete the section above by hand',
      e.problems.map(formatProblem),
    );
  }
  const preview: Preview = previewTenant(name, adoption.tenant);
  const stack = preview.stack;

  out('');
  out(o.writeFile ? `The section, written to ${o.writeFile} as tenant ${name}:` : 'The section (add it to your config file, or run again with --write FILE):');
  out('');
  for (const l of yaml.trimEnd().split('\n')) out(l);
  out('');
  out(`Import blocks that npm run synth writes into cdktf.out/stacks/${stack}/cdk.tf.json (Terraform 1.5 or later):`);
  for (const i of preview.imports) out(`  ${i.to}  ${i.id}`);
  // Grouped by object: the object on its own line, what is said about it below.
  const bySubject = (title: string, items: readonly { readonly subject: string; readonly line: string }[]) => {
    if (items.length === 0) return;
    out('');
    out(title);
    for (const subject of [...new Set(items.map((i) => i.subject))]) {
      out(`  ${subject}:`);
      for (const i of items.filter((x) => x.subject === subject)) out(`    - ${i.line}`);
    }
  };
  bySubject(
    "What the first plan changes (chosen by this project's settings):",
    adoption.changes.map((c) => ({ subject: c.subject, line: c.text })),
  );
  bySubject(
    'What this project cannot express (by object and field):',
    adoption.notExpressed.map((n) => ({
      subject: n.subject,
      line: `${n.effect === 'kept' ? 'kept, not managed' : 'removed by the first plan'}: ${n.name} (${n.why})`,
    })),
  );
  section(
    out,
    "Left out of the section (this project's rules refuse them as they are; they stay as they are in the tenant, not managed):",
    adoption.leftOut.map(
      (l) =>
        `${l.subject}, ID ${l.id}: ${l.problems.join('; ')}${l.notExpressed.length > 0 ? ` (it also holds what this project cannot declare: ${l.notExpressed.join('; ')})` : ''}`,
    ),
  );
  const findings = preview.findings.filter((f) => f.suppressedReason === undefined);
  section(
    out,
    'Guardrail findings npm run synth will report:',
    findings.map((f) => `${f.ruleId} ${f.severity}${f.severity === 'error' ? ' (stops synthesis until fixed or suppressed)' : ''}: ${f.message} [${f.path}]`),
  );
  if (o.writeFile) {
    try {
      const r = writeTenant(o.writeFile, name, adoption.tenant, { replace: o.replace, header });
      out('');
      out(
        `${o.writeFile}: ${r.created ? 'created with' : r.replaced ? 'replaced' : 'added'} tenant ${name}${r.kept.length > 0 ? ` (kept its ${r.kept.join(', ')})` : ''}.`,
      );
    } catch (e) {
      if (e instanceof WriteError) return fail(e.message, undefined, e.problems, ExitCode.input);
      throw e;
    }
  }
  out('');
  out(
    `Next: npm run synth${o.writeFile ? ` -- --config ${o.writeFile}` : ''}, then in cdktf.out/stacks/${stack}: terraform init && terraform plan. ` +
      `The plan should show ${preview.imports.length} to import and only the changes listed above; after the apply, a second plan should show none.`,
  );
  return 0;
}

/** The policy IDs an existing config file already imports in its environments (mfaPolicy.import), by where. */
function policiesImportedIn(file: string): Record<string, string> {
  let config: unknown;
  try {
    config = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    return {}; // missing or unreadable: the write reports it
  }
  const out: Record<string, string> = {};
  const envs = (config as { environments?: unknown } | null)?.environments;
  if (envs === null || typeof envs !== 'object') return out;
  for (const [name, env] of Object.entries(envs as Record<string, unknown>)) {
    const id = (env as { mfaPolicy?: { import?: { policyId?: unknown } } } | null)?.mfaPolicy?.import?.policyId;
    if (typeof id === 'string') out[id.toLowerCase()] = `environments.${name}.mfaPolicy in ${file}`;
  }
  return out;
}
