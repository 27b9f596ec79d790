/**
 * The one flag parser of `entra-itsm-mail`: Node's own `util.parseArgs` (no dependency, kept with
 * Node), wrapped once so that every subcommand speaks the same syntax (`--flag value`,
 * `--flag=value`, `-c value`, bare switches, `--help` / `-h`) and refuses bad command lines in the
 * same words. parseArgs runs in its lenient mode and this wrapper judges its tokens itself, because
 * parseArgs' own errors quote the argument back raw: a secret given by mistake, or a control
 * character that rewrites the terminal, would be echoed.
 *
 * Every value given (and every unknown flag or stray argument) is checked before a subcommand sees
 * it: one that looks like a credential is refused without repeating any of it (a secret never goes
 * on a command line, where shell history and process lists keep it), and one with a control or
 * invisible formatting character is refused with that character escaped.
 */
import { parseArgs } from 'node:util';
import { credentialIn } from '../private/credentials';
import { didYouMean } from '../private/did-you-mean';
import { hasUnprintable, printable } from '../private/printable';
import { exitCodeHelp, type ExitCodeValue } from './exit-codes';

/** One flag of a subcommand. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** One-letter alias (`c` for `-c`). */
  readonly short?: string;
  /** The value's placeholder in --help (`FILE`). */
  readonly value?: string;
  /** One line for --help. */
  readonly help: string;
  /** The values allowed, when the set is closed. */
  readonly choices?: readonly string[];
}

/** A subcommand's command line: its flags and the words of its --help. */
export interface CommandSpec {
  /** The subcommand (`synth`). */
  readonly name: string;
  /** What it does, in one line. */
  readonly summary: string;
  /** Paragraphs after the flags (defaults, where things go). */
  readonly description: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly exitCodes: readonly ExitCodeValue[];
}

/** The program's name, as installed (`bin`). */
export const PROGRAM = 'entra-itsm-mail';

export type ParsedValues = Readonly<Record<string, string | boolean | undefined>>;

export type ParseResult =
  | { readonly kind: 'values'; readonly values: ParsedValues }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage'; readonly message: string };

/**
 * Reads `args` against `spec`.
 * @returns the values given (a string per string flag, true per switch), 'help', or what is wrong in words
 */
export function parseCommandLine(spec: CommandSpec, args: readonly string[]): ParseResult {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, f] of Object.entries(spec.flags)) options[name] = f.short ? { type: f.type, short: f.short } : { type: f.type };
  let tokens;
  try {
    ({ tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true }));
  } catch {
    // Lenient mode throws only for its own bugs; say nothing of the arguments.
    return { kind: 'usage', message: 'the command line cannot be read' };
  }
  const values: Record<string, string | boolean> = {};
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') return usage(`unexpected argument ${quote(t.value)}: ${spec.name} takes flags only (see --help)`);
    if (t.name === 'help') return { kind: 'help' };
    const flag = spec.flags[t.name];
    const raw = t.rawName;
    if (!Object.hasOwn(spec.flags, t.name) || flag === undefined) {
      const hint = didYouMean(
        `--${t.name}`,
        Object.keys(spec.flags).map((n) => `--${n}`),
      );
      return usage(
        `unknown flag ${quote(raw)}${hint ? ` (did you mean ${hint}?)` : ''}: ${spec.name} takes ${Object.keys(spec.flags)
          .map((n) => `--${n}`)
          .join(', ')}`,
      );
    }
    const name = `--${t.name}`;
    if (Object.hasOwn(values, t.name)) return usage(`${name} is given twice: give it once`);
    if (flag.type === 'boolean') {
      if (t.value !== undefined) {
        const problem = valueProblem(name, t.value);
        return usage(problem ?? `${name} is a switch and takes no value (remove =${quote(t.value)})`);
      }
      values[t.name] = true;
      continue;
    }
    const placeholder = flag.value ?? 'VALUE';
    if (t.value === undefined || t.value === '') return usage(`${name} needs a value: ${name} ${placeholder}`);
    if (!t.inlineValue && /^-./.test(t.value) && !/^-\d/.test(t.value)) {
      const problem = valueProblem(name, t.value);
      return usage(
        problem ??
          `${name} needs a value, but it is followed by the flag ${quote(t.value)}: ${name} ${placeholder} (write ${name}=${placeholder} for a value that starts with "-")`,
      );
    }
    const problem = valueProblem(name, t.value);
    if (problem) return usage(problem);
    if (flag.choices && !flag.choices.includes(t.value)) {
      const hint = flag.choices.find((c) => c.startsWith(t.value!)) ?? didYouMean(t.value, flag.choices);
      return usage(`${name} ${quote(t.value)} is not one of ${flag.choices.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
    values[t.name] = t.value;
  }
  return { kind: 'values', values };
}

/**
 * Why a value given on the command line (or in an environment variable, named by `name`) is
 * refused, or undefined. A credential is never repeated, in whole or in part; control and
 * formatting characters are shown escaped.
 */
export function valueProblem(name: string, value: string): string | undefined {
  const what = credentialIn(value);
  if (what) {
    return `${name}: the value looks like ${what} (not repeated here). A secret never goes on the command line, where shell history and process lists keep it: ${name} takes no secret; secrets are read from the environment (see --help)`;
  }
  if (hasUnprintable(value)) {
    return `${name} ${quote(value)} holds a control or invisible formatting character (shown escaped): type the value again without it`;
  }
  return undefined;
}

/**
 * A value quoted for a message: one printable line, at most 80 characters; a value that holds
 * anything shaped like a credential is not shown at all.
 */
export function quote(value: string): string {
  if (credentialIn(value)) return '(a value that looks like a credential, not repeated here)';
  const shown = printable(value);
  return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 77)}...` : shown).replace(/\\\\/g, '\\');
}

/** The --help of a subcommand: usage, flags, description and the exit codes it returns. */
export function helpText(spec: CommandSpec): string {
  const flags = Object.entries(spec.flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`;
    const choices = f.choices ? ` (${f.choices.join('|')})` : '';
    return `  ${left.padEnd(30)} ${f.help}${choices}`;
  });
  return [
    `usage: ${PROGRAM} ${spec.name} [flags]`,
    '',
    spec.summary,
    '',
    'Flags:',
    ...flags,
    `  ${'-h, --help'.padEnd(30)} this help`,
    '',
    spec.description.trim(),
    '',
    exitCodeHelp(spec.exitCodes),
  ].join('\n');
}

function usage(message: string): ParseResult {
  return { kind: 'usage', message };
}

/** A `--timeout` value in seconds, 1 to 600, or what is wrong. */
export function timeoutSeconds(value: string | undefined, fallback: number): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 1 && n <= 600 ? n : `--timeout ${quote(value)}: takes seconds between 1 and 600`;
}
