import { parseConfigText } from '../lib/config/load-config';
import { ConfigError, formatProblem } from '../lib/config/problems';

/** The problems config text produces, formatted as the command line prints them; fails if accepted. */
export function configProblems(text: string | Uint8Array, file: string): string[] {
  try {
    parseConfigText(text, file);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected the config to be rejected');
}
