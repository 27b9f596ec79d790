import { isMap, isSeq, type LineCounter, type Node } from 'yaml';
import type { ItsmMailConfig } from './schema';

/** A place in a file the user wrote: 1-based line and column. */
export interface FilePosition {
  readonly line: number;
  readonly column: number;
}

/** Where a config path is in the file: of its key when it has one, else of the nearest enclosing node. */
export type ConfigLocator = (path: readonly PropertyKey[]) => FilePosition | undefined;

/** Where each setting of a loaded config was written, found without reading the file again. */
export interface ConfigLocation {
  /** The file, as the user named it. */
  readonly file: string;
  /** The position of a path (keys and list indexes), or of its nearest ancestor that is in the file. */
  readonly locate: ConfigLocator;
  /** True when the path itself (not only an ancestor) is written in the file. */
  readonly has: (path: readonly PropertyKey[]) => boolean;
}

const LOCATIONS = new WeakMap<object, ConfigLocation>();

/** Records where a config's settings are written (called by the loader). */
export function recordConfigLocation(config: ItsmMailConfig, location: ConfigLocation): void {
  LOCATIONS.set(config, location);
}

/** Where the settings of a config loaded from a file are written; undefined for a config made in code. */
export function configLocationOf(config: ItsmMailConfig): ConfigLocation | undefined {
  return LOCATIONS.get(config);
}

/** Walks a parsed YAML document along `path`: the offset of the deepest node found, and whether the whole path was found. */
export function walkDocument(contents: unknown, path: readonly PropertyKey[]): { offset: number | undefined; found: boolean } {
  let node: unknown = contents;
  let offset: number | undefined = (node as { range?: number[] } | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === key);
      if (!pair) return { offset, found: false };
      offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number' && key < node.items.length) {
      node = node.items[key];
      offset = (node as { range?: number[] } | null)?.range?.[0] ?? offset;
    } else return { offset, found: false };
  }
  return { offset, found: true };
}

/** A locator over a parsed document and its line counter. */
export function documentLocation(file: string, contents: Node | null | undefined, lineCounter: LineCounter): ConfigLocation {
  return {
    file,
    locate: (path) => {
      const { offset } = walkDocument(contents, path);
      if (offset === undefined) return undefined;
      const p = lineCounter.linePos(offset);
      return { line: p.line, column: p.col };
    },
    has: (path) => walkDocument(contents, path).found,
  };
}
