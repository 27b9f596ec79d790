// Presets built from their sources: each source's list of roles is data with provenance
// (lib/model/data/administrator-roles.json), and the preset's roles, as synthesized, are exactly
// the roles its cited sources list. A stale preset (a role a source added, a role no source lists)
// fails here.
import { Testing } from 'cdktf';
import { buildStacksFromConfig } from '../lib/config/build-from-config';
import { parseConfigText } from '../lib/config/load-config';
import { ADMINISTRATOR_ROLE_SOURCES, CONDITIONAL_ACCESS_PRESETS } from '../lib/model/conditional-access-presets';
import { directoryRoleIdByName, directoryRoleTemplate } from '../lib/model/ids';

const preset = CONDITIONAL_ACCESS_PRESETS.requirePhishingResistantMfaForAdmins;
const sources = Object.entries(ADMINISTRATOR_ROLE_SOURCES);

/** The roles the preset's policy includes, by name, as the synthesized Terraform says. */
function synthesizedRoleNames(): string[] {
  const text = ['tenants:', '  corp:', '    conditionalAccessPolicies:', '      admins: { preset: requirePhishingResistantMfaForAdmins }'].join('\n');
  const [stack] = buildStacksFromConfig(Testing.app(), parseConfigText(text, 't.yaml'));
  const ids: string[] = JSON.parse(Testing.synth(stack)).resource.azuread_conditional_access_policy['policy-admins'].conditions.users.included_roles;
  return ids.map((id) => directoryRoleTemplate(id)?.displayName ?? `(unknown role ${id})`);
}

describe('requirePhishingResistantMfaForAdmins and its sources', () => {
  const roles = synthesizedRoleNames();

  it.each(sources)('includes every role %s lists', (_name, source) => {
    expect(source.roles.filter((r) => !roles.includes(r))).toEqual([]);
  });

  it('includes no role that none of its sources lists, and none twice', () => {
    const listed = new Set(sources.flatMap(([, s]) => s.roles));
    expect(roles.filter((r) => !listed.has(r))).toEqual([]);
    expect(new Set(roles).size).toBe(roles.length);
  });

  it("holds Microsoft's 15 roles and CISA's Hybrid Identity Administrator (16 in all)", () => {
    expect(ADMINISTRATOR_ROLE_SOURCES.microsoft.roles).toHaveLength(15);
    expect(ADMINISTRATOR_ROLE_SOURCES.microsoft.roles).toContain('Teams Administrator');
    expect(ADMINISTRATOR_ROLE_SOURCES.cisa.roles).toContain('Hybrid Identity Administrator');
    expect(roles).toHaveLength(16);
  });

  it.each(sources)('names %s with its provenance: where, which version, when read, under which terms', (_name, source) => {
    expect(source.url).toMatch(/^https:\/\//);
    expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(source.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(source.license.length).toBeGreaterThan(10);
    // Every role is one of Microsoft's built-in roles, spelt as its list spells it.
    expect(source.roles.filter((r) => directoryRoleIdByName(r) === undefined)).toEqual([]);
  });

  it('cites each source, with the date it was read, in the preset shown in the docs and the review', () => {
    expect(preset.source).toContain('Require phishing-resistant multifactor authentication for administrators');
    expect(preset.source).toContain('MS.AAD.3.6');
    for (const [, s] of sources) expect(preset.source).toContain(`read ${s.read}`);
  });
});
