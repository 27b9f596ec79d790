import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { ConditionalAccessPolicy } from '../conditional-access/conditional-access-policy';
import { NamedLocation } from '../conditional-access/named-location';
import { declare } from '../inspection/declarations';
import { CONDITIONAL_ACCESS_PRESETS, expandPolicyEntry, type ConditionalAccessPreset } from '../model/conditional-access-presets';
import { LOCATION_KEYWORDS, SERVICE_PRINCIPAL_KEYWORD } from '../model/conditional-access-values';
import { formerNamesIn } from '../model/conditional-access-policy';
import { isUuid } from '../model/ids';
import { throwIfProblems } from '../model/problem';
import { locationConstructId, policyConstructId, tenantProblems, type TenantProps } from '../model/tenant';
import { ItsmMailStack } from './itsm-mail-stack';

export type { TenantProps } from '../model/tenant';

/** Options of a tenant stack beyond its props. */
export interface TenantStackOptions {
  /**
   * Display names of the applications of this config's environments, by environment name: a
   * policy that names an environment in includeServicePrincipals or excludeServicePrincipals
   * targets that application's service principal, read at plan time by its display name.
   * @default {}
   */
  readonly applicationDisplayNames?: Readonly<Record<string, string>>;
}

/**
 * A tenant's conditional access, declared once however many environments use the tenant: its
 * named locations and policies, each a construct directly in this stack, so their Terraform
 * addresses are `azuread_named_location.location-<key>` and
 * `azuread_conditional_access_policy.policy-<key>` (the keys are public API).
 */
export class TenantStack extends ItsmMailStack {
  /** The named locations by key. */
  public readonly namedLocations: Readonly<Record<string, NamedLocation>>;
  /** The policies by key. */
  public readonly policies: Readonly<Record<string, ConditionalAccessPolicy>>;

  constructor(scope: Construct, id: string, props: TenantProps = {}, options: TenantStackOptions = {}) {
    super(scope, id, { tenantId: props.tenantId, provider: props.provider, backend: props.backend });
    throwIfProblems(`TenantStack (${this.node.path})`, tenantProblems(props, Token.isUnresolved));

    const locations: Record<string, NamedLocation> = {};
    for (const key of Object.keys(props.namedLocations ?? {}).sort())
      locations[key] = new NamedLocation(this, locationConstructId(key), props.namedLocations![key]);
    this.namedLocations = locations;

    const servicePrincipals = new Map<string, string>();
    const servicePrincipal = (environment: string): string => {
      const displayName = options.applicationDisplayNames?.[environment];
      if (displayName === undefined) {
        throw new Error(
          `TenantStack (${this.node.path}): "${environment}" names no environment with an application; give the service principal's object ID instead`,
        );
      }
      let id = servicePrincipals.get(environment);
      if (id === undefined) {
        id = new DataAzureadServicePrincipal(this, `service-principal-${environment}`, { displayName }).objectId;
        servicePrincipals.set(environment, id);
      }
      return id;
    };
    const location = (v: string) => (isUuid(v) || (LOCATION_KEYWORDS as readonly string[]).includes(v) || Token.isUnresolved(v) ? v : locations[v].objectId);
    const principal = (v: string) => (isUuid(v) || v === SERVICE_PRINCIPAL_KEYWORD || Token.isUnresolved(v) ? v : servicePrincipal(v));

    const policies: Record<string, ConditionalAccessPolicy> = {};
    for (const key of Object.keys(props.conditionalAccessPolicies ?? {}).sort()) {
      const entry = props.conditionalAccessPolicies![key];
      const p = expandPolicyEntry(entry);
      const resolved = {
        ...p,
        ...(p.includeLocations ? { includeLocations: p.includeLocations.map(location) } : {}),
        ...(p.excludeLocations ? { excludeLocations: p.excludeLocations.map(location) } : {}),
        ...(p.includeServicePrincipals ? { includeServicePrincipals: p.includeServicePrincipals.map(principal) } : {}),
        ...(p.excludeServicePrincipals ? { excludeServicePrincipals: p.excludeServicePrincipals.map(principal) } : {}),
      };
      const policy = new ConditionalAccessPolicy(this, policyConstructId(key), resolved);
      // The entry's former setting names (the expanded props carry Graph's names only).
      for (const r of formerNamesIn(entry)) declare(policy, { kind: 'formerSettingName', policy: policy.resource.node.path, from: r.from, to: r.to });
      if (entry.preset !== undefined) {
        const preset = (CONDITIONAL_ACCESS_PRESETS as Record<string, ConditionalAccessPreset>)[entry.preset];
        declare(policy, {
          kind: 'policyPreset',
          policy: policy.resource.node.path,
          preset: entry.preset,
          summary: preset.summary,
          source: preset.source,
          ...(preset.requires ? { requires: preset.requires } : {}),
        });
      }
      policies[key] = policy;
    }
    this.policies = policies;
  }
}
