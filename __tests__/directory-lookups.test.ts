// One data-source lookup per referenced user, group or service principal per stack, shared by
// every policy that names it (each lookup is Graph requests at every plan). Resource addresses do
// not move; only the data sources', which hold no state.
import { Testing, TerraformStack } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { parseConfigText } from '../lib/config/load-config';
import { ConditionalAccessPolicy } from '../lib/conditional-access/conditional-access-policy';

const BREAK_GLASS = '6b1d6a6e-2f0e-4a5c-9a57-0c1f3c0b7a11';
const GROUP = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER_GROUP = '9a8b7c6d-1111-4222-8333-444455556666';
const SP = '0e1d2c3b-aaaa-4bbb-8ccc-ddddeeeeffff';

/** A tenant of `n` policies, each excluding the same break-glass user and group, the even ones also a second group. */
function tenantJson(n: number): any {
  const policies = Array.from({ length: n }, (_, i) => [
    `      p${i}:`,
    `        displayName: Policy ${i}`,
    '        includeUsers: [All]',
    `        excludeUsers: [${BREAK_GLASS.toUpperCase()}]`,
    `        excludeGroups: [${GROUP}${i % 2 === 0 ? `, ${OTHER_GROUP}` : ''}]`,
  ]).flat();
  const text = ['tenants:', '  corp:', '    conditionalAccessPolicies:', ...policies].join('\n');
  const [stack] = buildStacksFromConfig(Testing.app(), parseConfigText(text, 't.yaml'));
  return JSON.parse(Testing.synth(stack));
}

describe('directory lookups', () => {
  it('are made once per object ID in a stack, whatever the number of policies that name it', () => {
    const json = tenantJson(13);
    expect(Object.keys(json.data.azuread_user)).toEqual([`directory-user-${BREAK_GLASS}`]);
    expect(Object.keys(json.data.azuread_group).sort()).toEqual([`directory-group-${GROUP}`, `directory-group-${OTHER_GROUP}`].sort());
    expect(json.data.azuread_user[`directory-user-${BREAK_GLASS}`]).toEqual({ object_id: BREAK_GLASS });
  });

  it('are shared: every policy refers to the same data source', () => {
    const json = tenantJson(3);
    const policies = Object.values(json.resource.azuread_conditional_access_policy) as any[];
    expect(policies).toHaveLength(3);
    for (const p of policies) {
      expect(p.conditions.users.excluded_users).toEqual([`\${data.azuread_user.directory-user-${BREAK_GLASS}.object_id}`]);
      expect(p.conditions.users.excluded_groups[0]).toBe(`\${data.azuread_group.directory-group-${GROUP}.object_id}`);
    }
  });

  it('keep the resources at their addresses', () => {
    expect(Object.keys(tenantJson(2).resource.azuread_conditional_access_policy)).toEqual(['policy-p0', 'policy-p1']);
  });

  it('are shared between policies declared in code in one stack, and not across stacks', () => {
    const app = Testing.app();
    const stacks = ['a', 'b'].map((name) => {
      const stack = new TerraformStack(app, name);
      for (const id of ['one', 'two']) {
        new ConditionalAccessPolicy(stack, id, {
          excludeUsers: [BREAK_GLASS],
          includeServicePrincipals: [SP],
          grant: { block: true },
        });
      }
      return JSON.parse(Testing.synth(stack));
    });
    for (const json of stacks) {
      expect(Object.keys(json.data.azuread_user)).toEqual([`directory-user-${BREAK_GLASS}`]);
      expect(Object.keys(json.data.azuread_service_principal)).toEqual([`directory-service-principal-${SP}`]);
      expect(Object.keys(json.resource.azuread_conditional_access_policy).sort()).toEqual(['one', 'two']);
    }
  });
});
