import { Testing } from 'cdktf';
import { ItsmMailStack } from '../lib/stack/itsm-mail-stack';

/** The synthesized Terraform JSON of one stack built by `build`. */
export function synthStack(build: (stack: ItsmMailStack) => void, id = 'test'): TfJson {
  const app = Testing.app();
  const stack = new ItsmMailStack(app, id);
  build(stack);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

export interface TfJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean; description?: string }>;
  provider?: Record<string, unknown[]>;
  terraform?: Record<string, unknown>;
}

/** Every resource of a type, as a list of its bodies. */
export function resourcesOf(json: TfJson, type: string): Record<string, unknown>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The only resource of a type; fails when there is not exactly one. */
export function onlyResource(json: TfJson, type: string): Record<string, unknown> {
  const all = resourcesOf(json, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** The Terraform address of the only resource of a type, e.g. `azuread_application.x`. */
export function addressOf(json: TfJson, type: string): string {
  const names = Object.keys(json.resource?.[type] ?? {});
  if (names.length !== 1) throw new Error(`expected one ${type}, found ${names.length}`);
  return `${type}.${names[0]}`;
}

/** The Terraform JSON of a stack a config text produces (loader and constructs, no command line): the first, or the one named. */
export function synthConfigText(text: string, file = 'c.yaml', stackName?: string): TfJson {
  // Loaded lazily: most suites that use this file build constructs only.
  const { parseConfigText } = require('../lib/config/load-config') as typeof import('../lib/config/load-config');
  const { buildStacksFromConfig } = require('../lib/config/build-from-config') as typeof import('../lib/config/build-from-config');
  const stacks = buildStacksFromConfig(Testing.app(), parseConfigText(text, file));
  const stack = stackName === undefined ? stacks[0] : stacks.find((s) => s.node.id === stackName);
  if (!stack) throw new Error(`no stack ${stackName}; stacks: ${stacks.map((s) => s.node.id).join(', ')}`);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}
