import { HttpTransportError, type HttpClient } from './http';
import type { CloudSetting } from './types';

/**
 * The azuread provider's built-in environments (go-azure-sdk `environments.FromName`, used by
 * hashicorp/azuread 3.x for `ARM_ENVIRONMENT`): name → login endpoint and Microsoft Graph
 * (`MicrosoftGraphAPI(...)` in azure_public.go, azure_public_canary.go, azure_gov.go, azure_china.go
 * of the go-azure-sdk vendored at v3.7.0; Graph's endpoint is also its resource identifier).
 */
const BUILT_IN: Readonly<Record<string, { readonly cloud: string; readonly loginEndpoint: string; readonly graph: string }>> = {
  global: { cloud: 'public cloud', loginEndpoint: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com' },
  public: { cloud: 'public cloud', loginEndpoint: 'https://login.microsoftonline.com', graph: 'https://graph.microsoft.com' },
  canary: { cloud: 'public cloud (canary Graph)', loginEndpoint: 'https://login.microsoftonline.com', graph: 'https://canary.graph.microsoft.com' },
  usgovernment: { cloud: 'US Government', loginEndpoint: 'https://login.microsoftonline.us', graph: 'https://graph.microsoft.us' },
  usgovernmentl4: { cloud: 'US Government', loginEndpoint: 'https://login.microsoftonline.us', graph: 'https://graph.microsoft.us' },
  dod: { cloud: 'US Government L5 (DoD)', loginEndpoint: 'https://login.microsoftonline.us', graph: 'https://dod-graph.microsoft.us' },
  usgovernmentl5: { cloud: 'US Government L5 (DoD)', loginEndpoint: 'https://login.microsoftonline.us', graph: 'https://dod-graph.microsoft.us' },
  china: { cloud: 'China (21Vianet)', loginEndpoint: 'https://login.chinacloudapi.cn', graph: 'https://microsoftgraph.chinacloudapi.cn' },
};

export const BUILT_IN_ENVIRONMENTS = Object.keys(BUILT_IN);

/** The API version the azuread provider asks for; it answers with one object, not a list. */
export const METADATA_API_VERSION = '2022-09-01';

export type CloudResolution =
  | {
      readonly ok: true;
      readonly loginEndpoint: string;
      /**
       * Microsoft Graph's resource identifier, as the provider uses it: the base of its requests and,
       * with `/.default` appended as is, the token scope. Absent when a metadata document has none.
       */
      readonly graphResource?: string;
      readonly source: string;
    }
  | {
      readonly ok: false;
      readonly causeId: 'unknown-environment' | 'metadata-unreachable' | 'metadata-unrecognised';
      readonly message: string;
      readonly answer?: string;
    };

/** Where the provider would get its endpoints from, read from the same environment variables. */
export function cloudFromEnv(env: NodeJS.ProcessEnv): CloudSetting {
  const host = env.ARM_METADATA_HOSTNAME?.trim();
  if (host) return { kind: 'metadata-host', host };
  const name = env.ARM_ENVIRONMENT?.trim();
  return name ? { kind: 'environment', name, fromEnv: true } : { kind: 'environment', name: 'global', fromEnv: false };
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, '');
}

/** Resolves the login endpoint the way the azuread provider does (ARM_METADATA_HOSTNAME, then ARM_ENVIRONMENT). */
export async function resolveCloud(cloud: CloudSetting, http: HttpClient, timeoutMs: number): Promise<CloudResolution> {
  if (cloud.kind === 'login-endpoint') return { ok: true, loginEndpoint: trimSlash(cloud.loginEndpoint), source: 'given' };
  if (cloud.kind === 'environment') {
    const env = BUILT_IN[cloud.name.toLowerCase()];
    if (!env) {
      return {
        ok: false,
        causeId: 'unknown-environment',
        message: `ARM_ENVIRONMENT=${cloud.name} is not an environment the azuread provider knows (${BUILT_IN_ENVIRONMENTS.join(', ')})`,
      };
    }
    const how = cloud.fromEnv ? `ARM_ENVIRONMENT=${cloud.name}` : 'ARM_ENVIRONMENT unset';
    return { ok: true, loginEndpoint: env.loginEndpoint, graphResource: env.graph, source: `${env.cloud}, ${how}` };
  }
  // The provider prepends https:// to the host (port allowed) and reads one JSON object.
  const url = `https://${cloud.host}/metadata/endpoints?api-version=${METADATA_API_VERSION}`;
  let res;
  try {
    res = await http({ method: 'GET', url, headers: { accept: 'application/json' }, timeoutMs });
  } catch (e) {
    const code = e instanceof HttpTransportError ? e.code : 'ERR';
    return { ok: false, causeId: 'metadata-unreachable', message: `GET ${url} failed: ${(e as Error).message} (${code})` };
  }
  if (res.status !== 200) {
    return { ok: false, causeId: 'metadata-unreachable', message: `GET ${url} answered HTTP ${res.status}`, answer: res.body.slice(0, 300) };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(res.body.replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return { ok: false, causeId: 'metadata-unrecognised', message: `${url} did not return JSON`, answer: res.body.slice(0, 300) };
  }
  const login = (doc as { authentication?: { loginEndpoint?: unknown } } | null)?.authentication?.loginEndpoint;
  if (Array.isArray(doc) || typeof login !== 'string' || !/^https:\/\//i.test(login)) {
    return {
      ok: false,
      causeId: 'metadata-unrecognised',
      message: `${url} has no authentication.loginEndpoint (https) in a single JSON object${Array.isArray(doc) ? ' (it returned a list, the format of older API versions)' : ''}`,
    };
  }
  const graph = (doc as { microsoftGraphResourceId?: unknown }).microsoftGraphResourceId;
  return {
    ok: true,
    loginEndpoint: trimSlash(login),
    ...(typeof graph === 'string' && /^https:\/\//i.test(graph) ? { graphResource: graph } : {}),
    source: `ARM_METADATA_HOSTNAME=${cloud.host}`,
  };
}

/** `{login}/{tenant}/oauth2/v2.0/token`, as the provider and the ITSM tool build it. */
export function tokenEndpoint(loginEndpoint: string, tenantId: string): string {
  return `${trimSlash(loginEndpoint)}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
}
