import { TerraformOutput, Token } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * A stack output named `id` (its Terraform name too: output names are public API, pipelines read
 * them with `terraform output`). The one place outputs are made.
 *
 * The value is handed to cdktf as a token. cdktf 0.21's `TerraformOutput.synthesizeValue` passes
 * every value that is not a token through `isITerraformAddressable`, which calls Node's
 * `util.isArray` on any object value; Node 22 and later print a deprecation warning (DEP0044) for
 * it on the first call, on stderr, in every synthesis with an object output (`itsm_email_settings`).
 * A token skips that path, and resolving it gives the same JSON: outputs here hold values and
 * references (tokens), never constructs, so the path's only job (writing a construct's `fqn`) has
 * nothing to do. CDK Terrain (cdktn 0.24) no longer calls `util.isArray`; the token is harmless
 * there. `__tests__/node-warnings.test.ts` fails if a command writes a deprecation warning.
 */
export function addOutput(scope: Construct, id: string, value: unknown, description: string, sensitive?: boolean): TerraformOutput {
  const output = new TerraformOutput(scope, id, { value: Token.asAny(value), description, sensitive });
  output.overrideLogicalId(id);
  return output;
}
