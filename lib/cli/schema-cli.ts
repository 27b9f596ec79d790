import { helpText, parseCommandLine, type CommandSpec } from './args';
import { ExitCode } from './exit-codes';
import type { CliIo } from './synth-cli';
import { usageError } from './synth-cli';

export const SCHEMA_COMMAND: CommandSpec = {
  name: 'schema',
  summary:
    "Prints a JSON Schema on stdout: of the config file or of a plan review's suppressions file (for editors), or of the JSON report of synth and review.",
  flags: {
    of: { type: 'string', value: 'WHAT', help: 'which schema (default config)', choices: ['config', 'suppressions', 'report'] },
  },
  description: `The config schema is the one in schema/itsm-mail-config.schema.json (generated from the
loader's own schema); point the YAML language server at it:
  # yaml-language-server: $schema=./itsm-mail-config.schema.json
The suppressions file of review --plan --suppressions: schema/review-suppressions.schema.json.
The report schema is schema/report-v1.schema.json (synth/review --format json).`,
  exitCodes: [ExitCode.ok, ExitCode.unexpected, ExitCode.usage],
};

/** `entra-itsm-mail schema`. */
export function runSchemaCli(args: readonly string[], io: CliIo): number {
  const parsed = parseCommandLine(SCHEMA_COMMAND, args);
  if (parsed.kind === 'help') {
    io.stdout(helpText(SCHEMA_COMMAND));
    return ExitCode.ok;
  }
  if (parsed.kind === 'usage') return usageError(io, parsed.message, 'schema');
  if (parsed.values.of === 'suppressions') {
    const { planSuppressionsJsonSchema } = require('../config/json-schema') as typeof import('../config/json-schema');
    io.stdout(JSON.stringify(planSuppressionsJsonSchema(), null, 2));
  } else if (parsed.values.of === 'report') {
    const { reportJsonSchema } = require('./report-schema') as typeof import('./report-schema');
    io.stdout(JSON.stringify(reportJsonSchema(), null, 2));
  } else {
    const { configJsonSchema } = require('../config/json-schema') as typeof import('../config/json-schema');
    io.stdout(JSON.stringify(configJsonSchema(), null, 2));
  }
  return ExitCode.ok;
}
