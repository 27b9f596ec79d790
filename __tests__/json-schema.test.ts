import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema, planSuppressionsJsonSchema } from '../lib/config/json-schema';

describe('schema/itsm-mail-config.schema.json', () => {
  it('is up to date with the zod schema (run `npm run schema` after changing lib/config)', () => {
    const committed = readFileSync(join(__dirname, '..', 'schema', 'itsm-mail-config.schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  });

  it('tells editors which keys exist and forbids others', () => {
    const schema = configJsonSchema() as any;
    const env = schema.properties.environments.additionalProperties;
    expect(Object.keys(env.properties)).toEqual(['tenant', 'tenantId', 'provider', 'backend', 'application', 'mfaPolicy', 'guardrails']);
    expect(env.additionalProperties).toBe(false);
    expect(schema.properties.environments.propertyNames.pattern).toBe('^[a-z][a-z0-9-]{0,39}$');
  });
});

describe('schema/review-suppressions.schema.json', () => {
  it('is up to date with the zod schema of the suppressions file (run `npm run schema`)', () => {
    const committed = readFileSync(join(__dirname, '..', 'schema', 'review-suppressions.schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(planSuppressionsJsonSchema(), null, 2)}\n`);
  });

  it('allows exactly rule, resource and reason, with the suppressible rule IDs', () => {
    const item = (planSuppressionsJsonSchema() as any).properties.suppressions.items;
    expect(Object.keys(item.properties)).toEqual(['rule', 'resource', 'reason']);
    expect(item.additionalProperties).toBe(false);
    expect(item.properties.rule.enum).toContain('ITSM-PERM-001');
    expect(item.properties.rule.enum).not.toContain('ITSM-GR-001');
  });
});
