import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../lib/config/json-schema';

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
