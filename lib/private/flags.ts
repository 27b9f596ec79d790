/**
 * The command lines' argument syntax, shared by `npm run verify` and `npm run adopt`:
 * `--flag value` or `--flag=value` for the flags that take a value, bare switches for the others,
 * `--help` / `-h`. Each command checks the values' meaning itself.
 */
export type ParsedFlags<V extends string, S extends string> = { readonly values: Partial<Record<V, string>>; readonly switches: ReadonlySet<S> };

/** @returns the values and switches given, 'help', or what is wrong in words */
export function parseFlags<V extends string, S extends string>(args: readonly string[], valued: Readonly<Record<string, V>>, switches: Readonly<Record<string, S>>): ParsedFlags<V, S> | 'help' | string {
  const values: Partial<Record<V, string>> = {};
  const on = new Set<S>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (Object.hasOwn(switches, arg)) {
      on.add(switches[arg]);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!Object.hasOwn(valued, flag)) return `unknown argument "${arg}"`;
    const v = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i];
    if (v === undefined || v === '') return `${flag} needs a value`;
    values[valued[flag]] = v;
  }
  return { values, switches: on };
}

/** A `--timeout` value in seconds, 1 to 600, or what is wrong. */
export function timeoutSeconds(value: string | undefined, fallback: number): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 1 && n <= 600 ? n : '--timeout takes seconds between 1 and 600';
}
