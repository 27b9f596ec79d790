import { resolvePermissions } from '../application/api-permissions';
import { mailPermissions, mailPresetConflict } from '../application/mail-access';
import { redirectUriProblem } from '../application/validation';
import type { ApplicationConfig } from './application-schema';
import type { SemanticProblem } from './semantic-checks';

// Pure checks only: this module is loaded for every config, valid or not, so it must not pull in
// cdktf or the provider classes (that would triple the time to report a bad file).

/** Checks of an `application` section that the schema cannot express; paths are relative to it. */
export function checkApplicationConfig(config: ApplicationConfig): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  config.redirectUris.forEach((uri, i) => {
    const p = redirectUriProblem(uri);
    if (p) problems.push({ path: ['redirectUris', i], message: p });
  });
  const conflict = mailPresetConflict(config.mail, config.permissions);
  if (conflict) {
    const i = config.permissions.findIndex((p) => p.api === 'ExchangeOnline' && p.name === 'SMTP.SendAsApp');
    problems.push({ path: ['permissions', i, 'name'], message: conflict });
  }
  if (!config.exposeApi && config.exposedScope) {
    problems.push({ path: ['exposedScope'], message: 'is set but exposeApi is false, so it would be ignored: remove one of them' });
  }
  const preset = mailPermissions(config.mail);
  const { problems: extra } = resolvePermissions(config.permissions);
  for (const p of extra) problems.push({ path: ['permissions', p.index, 'name'], message: p.message });
  // The preset's own names come from the code and always resolve; a failure would be a bug.
  const { problems: presetProblems } = resolvePermissions(preset);
  for (const p of presetProblems) problems.push({ path: ['mail'], message: `internal: ${p.message}` });
  return problems;
}

