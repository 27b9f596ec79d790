/**
 * One environment's Terraform stack: which tenant, how the azuread provider signs in, where the
 * state is kept. The model behind the config's environment keys `tenantId`, `provider`, `backend`
 * and the props of `ItsmMailStack`. None of them takes a secret.
 */
import { EXAMPLE_UUID, isPlaceholderId, isUuid, wellKnownIdProblem } from './ids';
import { problemAt, type Problem } from './problem';
import { textProblem } from './text';
import { runRules, type RuleSet } from './rules';
import { nameSkeleton } from '../private/look-alike';

/** How the azuread provider authenticates. None of them takes a secret from the code. */
export const PROVIDER_AUTHENTICATIONS = ['environment', 'azureCli', 'oidc', 'managedIdentity'] as const;
/**
 * `environment`: the provider reads ARM_* variables and falls back to the Azure CLI; `azureCli`,
 * `oidc` (workload identity federation in CI) or `managedIdentity` force one method.
 */
export type ProviderAuthentication = (typeof PROVIDER_AUTHENTICATIONS)[number];

/** How the azuread provider signs in: the config's `provider`. */
export interface ProviderProps {
  /**
   * How the provider authenticates.
   * @default 'environment' (ARM_* variables, falling back to the Azure CLI)
   */
  readonly authentication?: ProviderAuthentication;
  /**
   * Client ID of the deploying identity (oidc or a user-assigned managed identity).
   * @default - ARM_CLIENT_ID
   */
  readonly clientId?: string;
}

/** Local state, at a path relative to the project root. */
export interface LocalBackendProps {
  readonly type: 'local';
  /**
   * State file path, relative to the project root.
   * @default 'terraform.<environment>.tfstate'
   */
  readonly path?: string;
}

/** State in an Azure storage account, with Entra ID data-plane auth (never access keys). */
export interface AzurermBackendProps {
  readonly type: 'azurerm';
  readonly storageAccountName: string;
  readonly containerName: string;
  /** @default '<environment>.terraform.tfstate' */
  readonly key?: string;
  readonly resourceGroupName?: string;
  readonly subscriptionId?: string;
  readonly tenantId?: string;
  /** Authenticate to the storage account with OIDC (CI). @default - the ARM_* environment */
  readonly useOidc?: boolean;
}

/** State in HCP Terraform (or Terraform Enterprise). */
export interface CloudBackendProps {
  readonly type: 'cloud';
  readonly organization: string;
  readonly workspace: string;
  /** @default 'app.terraform.io' */
  readonly hostname?: string;
}

/** Where Terraform keeps this environment's state. The state holds the client secret: protect it. */
export type StateBackend = LocalBackendProps | AzurermBackendProps | CloudBackendProps;

/** The backend types. */
export const BACKEND_TYPES = ['local', 'azurerm', 'cloud'] as const satisfies readonly StateBackend['type'][];

/** The props of `ItsmMailStack`, and the config's environment keys of the same names. */
export interface ItsmMailStackProps {
  /**
   * Directory (tenant) ID the provider signs in to.
   * @default - the provider reads ARM_TENANT_ID
   */
  readonly tenantId?: string;
  /** How the provider signs in. @default { authentication: 'environment' } */
  readonly provider?: ProviderProps;
  /**
   * State backend.
   * @default { type: 'local' }: terraform.<stack name>.tfstate at the project root
   */
  readonly backend?: StateBackend;
}

/** The stack's defaults, written once: the construct applies them, the schema's descriptions say them. */
export const STACK_DEFAULTS = {
  authentication: 'environment' as ProviderAuthentication,
  backend: { type: 'local' } as StateBackend,
  /** A local state file, relative to the project root. */
  localStatePath: (stack: string) => `terraform.${stack}.tfstate`,
  /** The blob of an azurerm state. */
  azurermKey: (stack: string) => `${stack}.terraform.tfstate`,
} as const;

/** The stack's settings with every default applied. */
export interface StackModel {
  readonly tenantId?: string;
  readonly provider: { readonly authentication: ProviderAuthentication; readonly clientId?: string };
  readonly backend: Required<Pick<LocalBackendProps, 'type' | 'path'>> | (AzurermBackendProps & { readonly key: string }) | CloudBackendProps;
}

/** The stack `stack` (its name names the default state file) with its defaults applied. */
export function normalizeStack(props: ItsmMailStackProps, stack: string): StackModel {
  const b = props.backend ?? STACK_DEFAULTS.backend;
  const backend: StackModel['backend'] =
    b.type === 'local'
      ? { type: 'local', path: b.path ?? STACK_DEFAULTS.localStatePath(stack) }
      : b.type === 'azurerm'
        ? { ...b, key: b.key ?? STACK_DEFAULTS.azurermKey(stack) }
        : b;
  return {
    ...(props.tenantId !== undefined ? { tenantId: props.tenantId } : {}),
    provider: {
      authentication: props.provider?.authentication ?? STACK_DEFAULTS.authentication,
      ...(props.provider?.clientId !== undefined ? { clientId: props.provider.clientId } : {}),
    },
    backend,
  };
}

/** Why `value` is not a GUID for `what` (a real one: no nil UUID, placeholder or well-known constant), or undefined. */
export function guidProblem(value: string, what: string): string | undefined {
  if (!isUuid(value)) return `must be ${what}: a UUID such as ${EXAMPLE_UUID}`;
  const wellKnown = wellKnownIdProblem(value, what);
  if (wellKnown) return `${wellKnown}: copy ${what} from the Entra admin center or the Azure portal`;
  if (isPlaceholderId(value)) return `${JSON.stringify(value)} is a placeholder, not ${what}: replace it with the real one`;
  return undefined;
}

/** The stack's rules, one entry per field. */
export const STACK_RULES: RuleSet<ItsmMailStackProps> = {
  fields: {
    tenantId: (p) => (p.tenantId === undefined ? [] : problemAt(['tenantId'], guidProblem(p.tenantId, 'the directory (tenant) ID'))),
    provider: (p) =>
      p.provider?.clientId === undefined
        ? []
        : problemAt(['provider', 'clientId'], guidProblem(p.provider.clientId, 'the client (application) ID of the identity that deploys')),
    backend: (p) => (p.backend ? backendProblems(p.backend).map((x) => ({ path: ['backend', ...x.path], message: x.message })) : []),
  },
  across: [],
};

/** Every problem of the stack props (paths relative to the environment). */
export function stackProblems(props: ItsmMailStackProps): Problem[] {
  return runRules(STACK_RULES, props);
}

/** Problems of a backend (paths relative to it). */
export function backendProblems(b: StateBackend): Problem[] {
  const problems: Problem[] = [];
  const text = (key: string, value: string | undefined, max: number) => {
    if (value !== undefined) problems.push(...problemAt([key], textProblem(value, max)));
  };
  switch (b.type) {
    case 'local':
      if (b.path !== undefined) {
        const t = textProblem(b.path, 255);
        problems.push(
          ...problemAt(
            ['path'],
            t ??
              (/^([/\\]|[A-Za-z]:)/.test(b.path) || b.path.split(/[/\\]/).includes('..')
                ? 'must be a relative path inside the project, without ".." (e.g. state/prod.tfstate)'
                : undefined),
          ),
        );
      }
      return problems;
    case 'azurerm':
      if (!/^[a-z0-9]{3,24}$/.test(b.storageAccountName))
        problems.push({ path: ['storageAccountName'], message: 'must be a storage account name: 3-24 lower-case letters and digits' });
      if (!/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(b.containerName)) {
        problems.push({ path: ['containerName'], message: 'must be a blob container name: 3-63 lower-case letters, digits and single hyphens' });
      }
      text('key', b.key, 1024);
      text('resourceGroupName', b.resourceGroupName, 90);
      if (b.subscriptionId !== undefined) problems.push(...problemAt(['subscriptionId'], guidProblem(b.subscriptionId, 'an Azure subscription ID')));
      if (b.tenantId !== undefined) problems.push(...problemAt(['tenantId'], guidProblem(b.tenantId, 'the tenant ID of the storage account')));
      return problems;
    case 'cloud':
      text('organization', b.organization, 255);
      text('workspace', b.workspace, 90);
      text('hostname', b.hostname, 255);
      return problems;
  }
}

/** What an environment name must look like: it becomes a Terraform stack and a folder name. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

/** How to write a name that `ENVIRONMENT_NAME_PATTERN` accepts, for the messages that refuse one. */
export const ENVIRONMENT_NAME_RULE = 'use 1-40 lower-case letters, digits and hyphens, starting with a letter';

/** What one environment (or a tenant's policy set) names in its tenant, for `sameTenantClashes`. */
export interface TenantNames {
  /** Who declares them, in words: `environment "prod"`, `tenant "contoso"`. */
  readonly owner: string;
  /** Where they are declared in the config (the paths below are relative to it). */
  readonly base: readonly (string | number)[];
  /** The literal tenant ID, or undefined when it comes from the environment at deploy time. */
  readonly tenantId?: string;
  /**
   * The key of the config's `tenants` section the declarations belong to (the section itself, or an
   * environment with `tenant:`): one tenant whatever ID the deployment signs in to.
   */
  readonly tenantSection?: string;
  readonly names: readonly {
    readonly kind: 'application' | 'group' | 'conditional access policy';
    readonly displayName: string;
    readonly path: readonly (string | number)[];
  }[];
}

/**
 * Objects declared twice in one tenant under one name: a second application fails at apply with
 * preventDuplicateNames, and two groups or policies of one name are indistinguishable in the
 * portal. Entra ID compares display names without regard to case; names that only read the same
 * (look-alike characters, `nameSkeleton`) cannot be told apart either. Declarations are compared
 * when they state the same tenant ID, or belong to the same section of `tenants` (with no literal
 * ID, those deploy to one tenant); others are known at deploy time only.
 */
export function sameTenantClashes(
  declarations: readonly TenantNames[],
): { readonly base: readonly (string | number)[]; readonly path: readonly (string | number)[]; readonly message: string }[] {
  const seen = new Map<string, string>();
  const out: { base: readonly (string | number)[]; path: readonly (string | number)[]; message: string }[] = [];
  // A section's tenant is the literal ID any of its declarations states (the loader checks they agree).
  const sectionTenant = new Map<string, string>();
  for (const d of declarations) if (d.tenantSection !== undefined && d.tenantId !== undefined) sectionTenant.set(d.tenantSection, d.tenantId.toLowerCase());
  for (const d of declarations) {
    const section = d.tenantSection !== undefined ? (sectionTenant.get(d.tenantSection) ?? `tenants.${d.tenantSection}`) : undefined;
    const tenant = d.tenantId !== undefined ? d.tenantId.toLowerCase() : section;
    if (tenant === undefined) continue;
    for (const n of d.names) {
      // Names that read the same (look-alike letters, a no-break space) clash too: one key for each reading.
      const keys = [n.displayName.trim().toLowerCase(), `\u0001${nameSkeleton(n.displayName)}`].map((name) => `${tenant}\u0000${n.kind}\u0000${name}`);
      const earlier = keys.map((k) => seen.get(k)).find((o) => o !== undefined);
      if (earlier === undefined) {
        for (const k of keys) seen.set(k, d.owner);
        continue;
      }
      // Names repeated within one declaration are its own rules' to report (a tenant's policy set).
      if (earlier === d.owner) continue;
      out.push({
        base: d.base,
        path: n.path,
        message: `the ${n.kind} ${JSON.stringify(n.displayName)} is also declared by ${earlier} in the same tenant ${d.tenantId ?? `(${tenant})`}: give each its own name, or declare conditional access once in tenants.<name>`,
      });
    }
  }
  return out;
}
