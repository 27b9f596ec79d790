import { z } from 'zod';
import { environmentSchema } from './environment-schema';

/** What an environment name must look like: it becomes a Terraform stack and a folder name. */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

/** The whole config file: a map from environment name to that environment's settings. */
export const configSchema = z.strictObject({
  $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors.'),
  environments: z
    .record(z.string().regex(ENVIRONMENT_NAME_PATTERN), environmentSchema)
    .describe('One entry per environment; each becomes a Terraform stack of the same name (cdktf deploy <name>).'),
});

export type ItsmMailConfig = z.infer<typeof configSchema>;
