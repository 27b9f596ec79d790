import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../lib/config/load-config';
import { synthesizeConfig } from '../lib/cli/synthesize';
import * as values from '../lib/model/conditional-access-values';
import { ROOT } from '../test-support/cli';

/*
 * Every config a newcomer can copy from the README or the docs synthesizes as written: a ```yaml
 * block that is a whole file (it starts with `environments:` or `tenants:`) or an environment's
 * `application:` section (checked inside an environment). Blocks with placeholders (`<...>`, `...`)
 * are shapes to read, not files to copy, and are skipped (a tenant ID placeholder is filled in).
 */

interface Example {
  readonly where: string;
  readonly yaml: string;
}

function yamlBlocks(file: string): Example[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Example[] = [];
  const re = /^```yaml\n([\s\S]*?)^```/gm;
  for (const m of text.matchAll(re)) {
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ where: `${file}:${line}`, yaml: m[1] });
  }
  return out;
}

const files = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
// A tenant ID is the reader's own: the example's placeholder gets a sample one.
const SAMPLE_TENANT = 'tenantId: 11111111-2222-4333-8444-555555555555';
const blocks = files.flatMap(yamlBlocks).map((b) => ({ ...b, yaml: b.yaml.replace(/tenantId: <[^>\n]+>/g, SAMPLE_TENANT) }));
const firstLine = (yaml: string) => yaml.split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) ?? '';
const hasPlaceholders = (yaml: string) => /<[^>\n]+>|\{ \.\.\. \}|^\s*\.\.\.\s*$/m.test(yaml);
const isConfig = (yaml: string) => /^(environments|tenants):/.test(firstLine(yaml));
const isApplication = (yaml: string) => /^application:/.test(firstLine(yaml));

const whole = blocks.filter((b) => isConfig(b.yaml) && !hasPlaceholders(b.yaml));
const applications = blocks.filter((b) => isApplication(b.yaml) && !hasPlaceholders(b.yaml));

function synthesizes(yaml: string, where: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-docs-'));
  try {
    synthesizeConfig(parseConfigText(yaml, where), join(dir, 'cdktf.out'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the configs in the README and the docs', () => {
  it("finds the examples it checks (the README's smallest file among them)", () => {
    expect(whole.map((b) => b.where)).toContainEqual(expect.stringMatching(/^README\.md:/));
    expect(whole.map((b) => b.where)).toContainEqual(expect.stringMatching(/^docs\/conditional-access\.md:/));
    expect(whole.length + applications.length).toBeGreaterThanOrEqual(5);
  });

  it.each(whole.map((b) => [b.where, b.yaml]))('%s synthesizes as written', (where, yaml) => {
    expect(() => synthesizes(yaml, where)).not.toThrow();
  });

  it.each(applications.map((b) => [b.where, b.yaml]))("%s synthesizes as an environment's application", (where, yaml) => {
    const indented = yaml.replace(/^(?=.)/gm, '    ');
    expect(() => synthesizes(`environments:\n  prod:\n${indented}`, where)).not.toThrow();
  });
});

describe('the values docs/conditional-access.md lists', () => {
  // The closed lists a user writes in a policy: each value is named in the docs, so a value added
  // to a list (or one renamed) cannot leave the docs behind.
  const docs = readFileSync(join(ROOT, 'docs', 'conditional-access.md'), 'utf8');
  it.each(
    Object.entries({
      POLICY_STATE_WORDS: values.POLICY_STATE_WORDS,
      CLIENT_APP_TYPES: values.CLIENT_APP_TYPES,
      ADDITIONAL_GRANT_CONTROLS: values.ADDITIONAL_GRANT_CONTROLS,
      GRANT_OPERATORS: values.GRANT_OPERATORS,
      RISK_LEVELS: values.RISK_LEVELS,
      DEVICE_PLATFORMS: values.DEVICE_PLATFORMS,
      USER_KEYWORDS: values.USER_KEYWORDS,
      LOCATION_KEYWORDS: values.LOCATION_KEYWORDS,
      BUILT_IN_AUTHENTICATION_STRENGTHS: Object.keys(values.BUILT_IN_AUTHENTICATION_STRENGTHS),
    }),
  )('names every value of %s', (_name, list) => {
    expect((list as readonly string[]).filter((v) => !docs.includes(`\`${v}\``))).toEqual([]);
  });
});
