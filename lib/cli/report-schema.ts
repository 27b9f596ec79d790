/**
 * The JSON Schema (draft 2020-12) of `synth --format json` and `review --format json`, version 1:
 * written to schema/report-v1.schema.json by `npm run schema` (a test fails when the file is out of
 * date) and printed by `entra-itsm-mail schema --of report`. Tests validate real output against it
 * with ajv. Within version 1 fields are only added, never changed or removed (formatVersion 1.x).
 */
import { REPORT_FORMAT_VERSION, REPORT_SCHEMA_ID } from './report';

const str = (description: string) => ({ type: 'string', description });
const int = (description: string, minimum = 0) => ({ type: 'integer', minimum, description });

export function reportJsonSchema(): Record<string, unknown> {
  const location = {
    type: 'object',
    description: 'The config setting the item points at.',
    required: ['file', 'configPath'],
    additionalProperties: false,
    properties: {
      file: str('The config file, as named on the command line.'),
      configPath: str('Dotted path of the setting, e.g. environments.prod.application.clientSecret.lifetimeDays.'),
      line: int('1-based line of the setting.', 1),
      column: int('1-based column of the setting.', 1),
    },
  };
  const problem = {
    type: 'object',
    description: 'A problem of the config file or plan file: nothing is synthesized or reviewed.',
    required: ['file', 'path', 'message'],
    additionalProperties: false,
    properties: {
      file: str('The file, as named on the command line.'),
      path: str('Dotted path of the field, or (file) for the file as a whole.'),
      message: str('What is wrong, what is allowed, and how to fix it.'),
      line: int('1-based line, when known.', 1),
      column: int('1-based column, when known.', 1),
    },
  };
  const finding = {
    type: 'object',
    description: 'A guardrail finding (docs/guardrails.md).',
    required: ['ruleId', 'severity', 'title', 'message', 'detail', 'fix', 'source', 'stack', 'constructPath', 'blocking', 'location'],
    additionalProperties: false,
    properties: {
      ruleId: { type: 'string', pattern: '^ITSM-[A-Z]+-\\d{3}$', description: 'Stable rule ID; suppressions name it.' },
      severity: { enum: ['error', 'warning', 'info'] },
      title: str("The rule's title."),
      message: str('The whole finding in one line: what, why, the fix and the source.'),
      detail: str('What exactly was found here.'),
      fix: str('How to fix it.'),
      source: str('Where the rule comes from.'),
      stack: str('The stack: the environment, or tenant-<name>.'),
      constructPath: str('Construct path below the stack.'),
      blocking: { type: 'boolean', description: 'An unsuppressed error: synthesis stops on it.' },
      suppressed: {
        type: 'object',
        required: ['reason', 'by'],
        additionalProperties: false,
        properties: { reason: str('The written reason.'), by: { enum: ['config', 'code', 'construct'] } },
      },
      location,
    },
  };
  const attention = {
    type: 'object',
    description: "An item of the plan's Attention list (docs/review.md).",
    required: ['level', 'address', 'title', 'text'],
    additionalProperties: false,
    properties: {
      level: { enum: ['danger', 'note'], description: 'danger: shown as "Dangerous"; --fail-on dangerous fails on it.' },
      address: str('The Terraform address of the change.'),
      title: str('The lead-in, e.g. "Replaces the application".'),
      text: str('What it means and what to check.'),
      ruleId: str('The review rule that called it out, when it has one.'),
    },
  };
  const common = {
    $schema: { type: 'string' },
    formatVersion: { type: 'string', pattern: '^1\\.\\d+$', description: `This document's version (now ${REPORT_FORMAT_VERSION}).` },
    tool: {
      type: 'object',
      required: ['name', 'version'],
      additionalProperties: false,
      properties: { name: { const: 'entra-itsm-mail' }, version: str('The package version.') },
    },
    exitCode: { type: 'integer', enum: [0, 1, 2, 3, 4, 5, 6], description: 'The exit code of the run (README.md, Exit codes).' },
    summary: str('One line for people.'),
    problems: { type: 'array', items: problem },
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: REPORT_SCHEMA_ID,
    title: 'entra-itsm-mail report (synth and review --format json), version 1',
    oneOf: [
      {
        type: 'object',
        title: 'synth',
        required: ['formatVersion', 'tool', 'command', 'configFile', 'outcome', 'exitCode', 'stacks', 'problems', 'findings', 'summary'],
        additionalProperties: false,
        properties: {
          ...common,
          command: { const: 'synth' },
          configFile: str('The config file.'),
          outcome: { enum: ['synthesized', 'input-problems', 'guardrail-errors', 'failed'] },
          outdir: str('The output folder (synthesized only).'),
          stacks: { type: 'array', items: { type: 'string' }, description: 'The stacks written.' },
          findings: { type: 'array', items: finding },
        },
      },
      {
        type: 'object',
        title: 'review',
        required: ['formatVersion', 'tool', 'command', 'outcome', 'exitCode', 'failOn', 'gateReached', 'problems', 'reviews', 'summary'],
        additionalProperties: false,
        properties: {
          ...common,
          command: { const: 'review' },
          configFile: str('The config file, when the review read one.'),
          planFile: str('The plan file, when given.'),
          outcome: { enum: ['reviewed', 'input-problems', 'failed'] },
          failOn: { enum: ['dangerous', 'attention', 'never'] },
          gateReached: { type: 'boolean', description: 'True when the plan has a change at or above failOn (exit code 5).' },
          reviews: {
            type: 'array',
            items: {
              type: 'object',
              required: ['stack', 'markdownFile', 'marker', 'findings'],
              additionalProperties: false,
              properties: {
                stack: str('The stack reviewed.'),
                markdownFile: str('The markdown written for it.'),
                marker: {
                  type: 'string',
                  pattern: '^<!-- entra-itsm-mail:review:[^ ]+ -->$',
                  description: "The hidden marker that starts the markdown: finds the stack's PR comment again.",
                },
                attention: { type: 'array', items: attention, description: "The plan's Attention list (only with a plan)." },
                findings: { type: 'array', items: finding },
                location,
              },
            },
          },
        },
      },
    ],
  };
}
