import { z } from 'zod';
import { planSuppressionsSchema } from './plan-suppressions';
import { configSchema } from './schema';

/**
 * The JSON Schema of the config file, for editors (YAML language server, VS Code): generated from
 * the same zod schema the loader validates with, so the two cannot drift. It describes what a user
 * may write (the input side: fields with defaults are optional).
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://example.invalid/itsm-mail-config.schema.json',
    title: 'Entra ID ITSM mail: config file',
    description: 'One entry per environment under "environments"; each becomes a Terraform stack. See README.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

/**
 * The JSON Schema of a plan review's suppressions file (`review --plan P --suppressions F`), from
 * the zod schema its reader validates with.
 */
export function planSuppressionsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(planSuppressionsSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: 'https://example.invalid/review-suppressions.schema.json',
    title: 'Entra ID ITSM mail: suppressions of a plan review',
    description: 'Accepted guardrail findings of a plan reviewed without a config, each on a plan address with a written reason. See docs/review.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
