/**
 * The two output schemas as ajv validators, for the tests that read --format json and sarif as a
 * pipeline does: this project's report (schema/report-v1.schema.json) and the published SARIF
 * 2.1.0 schema (copied with provenance into schema/third-party/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ROOT } from './cli';

const sarifValidate = (() => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema/third-party/sarif-schema-2.1.0.json'), 'utf8')));
})();
const reportValidate = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema/report-v1.schema.json'), 'utf8')));
})();

/** Parses SARIF text and expects it valid against SARIF 2.1.0. */
export function validSarif(text: string): Record<string, any> {
  const doc = JSON.parse(text) as Record<string, any>;
  expect({ valid: sarifValidate(doc), errors: sarifValidate.errors ?? null }).toEqual({ valid: true, errors: null });
  return doc;
}

/** Parses a --format json report and expects it valid against report-v1. */
export function validReport(text: string): Record<string, any> {
  const doc = JSON.parse(text) as Record<string, any>;
  expect({ valid: reportValidate(doc), errors: reportValidate.errors ?? null }).toEqual({ valid: true, errors: null });
  return doc;
}
