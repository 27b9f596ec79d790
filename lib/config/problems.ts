import { formatProblem, type FileProblem } from '../private/file-problem';
import type { ItsmMailConfig } from './schema';

export { formatPath, formatProblem, formatProblemLine } from '../private/file-problem';

/** One thing wrong with a config file: where (the file and the dotted path of the field) and what. */
export type ConfigProblem = FileProblem;

/**
 * Thrown when a config file cannot be used. Carries every problem found, not only the first.
 */
export class ConfigError extends Error {
  public readonly problems: readonly ConfigProblem[];
  /**
   * The part of the config without problems (environments and sections), when the file could be
   * read as data: callers may still run the guardrails on it, so one run reports everything.
   */
  public readonly valid?: ItsmMailConfig;

  constructor(problems: readonly ConfigProblem[], valid?: ItsmMailConfig) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
    if (valid !== undefined) this.valid = valid;
  }
}
