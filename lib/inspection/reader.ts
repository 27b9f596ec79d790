/**
 * Reads one resource's attributes from the synthesized JSON and records every attribute it did not
 * read, so an attribute the inspection does not know never passes unseen.
 */
import { isDeferred, tfString, type Deferred, type TfScalar, type TfString } from './values';
import type { Unread } from './inspection';

type Json = Readonly<Record<string, unknown>>;

/** Attributes that are Terraform meta-arguments, read separately (`meta`). */
const META = new Set(['//', 'lifecycle', 'depends_on', 'provider', 'count', 'for_each']);

/** A value where text goes, as text: a string as it is, anything else as its JSON (`undefined` too: a plan's hole). */
function asText(x: unknown): string {
  return typeof x === 'string' ? x : (JSON.stringify(x) ?? String(x));
}

/** A reader over one object of attributes; `finish` reports what was not read. */
export class AttributeReader {
  private readonly read = new Set<string>();
  private readonly children: { prefix: string; reader: AttributeReader }[] = [];

  constructor(
    private readonly attrs: Json,
    private readonly ignoreMeta = true,
  ) {}

  /** True when the attribute is present. */
  has(key: string): boolean {
    return this.attrs[key] !== undefined && this.attrs[key] !== null;
  }

  /** A string attribute (numbers and booleans written where a string goes are kept as text). */
  str(key: string): TfString | undefined {
    const v = this.take(key);
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? tfString(v) : tfString(String(v));
  }

  /** A list of strings; a list written as one expression is one deferred entry. */
  strs(key: string): TfString[] {
    const v = this.take(key);
    if (v === undefined || v === null) return [];
    if (typeof v === 'string') return [tfString(v)];
    if (!Array.isArray(v)) return [tfString(asText(v))];
    return v.map((x) => tfString(asText(x)));
  }

  bool(key: string): TfScalar<boolean> | undefined {
    const v = this.take(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    return deferredOf(v);
  }

  num(key: string): TfScalar<number> | undefined {
    const v = this.take(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number') return v;
    return deferredOf(v);
  }

  /** A map of strings. */
  map(key: string): Record<string, TfString> {
    const v = this.take(key);
    if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, tfString(asText(x))]));
  }

  /** A nested block written once (an object, or a list of one). */
  block(key: string): AttributeReader | undefined {
    return this.blocks(key)[0];
  }

  /** Nested blocks (a list of objects, or one object). */
  blocks(key: string): AttributeReader[] {
    const v = this.take(key);
    const list = Array.isArray(v) ? v : v !== undefined && v !== null ? [v] : [];
    return list
      .filter((b): b is Json => b !== null && typeof b === 'object' && !Array.isArray(b))
      .map((b, i) => {
        const reader = new AttributeReader(b, false);
        this.children.push({ prefix: list.length > 1 ? `${key}[${i}]` : key, reader });
        return reader;
      });
  }

  /** Every key present, read or not. */
  keys(): string[] {
    return Object.keys(this.attrs).filter((k) => !(this.ignoreMeta && META.has(k)));
  }

  /** Marks every remaining key as read, returning their raw values (for data source arguments). */
  rest(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.keys()) if (!this.read.has(k)) out[k] = this.take(k);
    return out;
  }

  /** The attributes not read, with their paths. */
  unread(address: string, prefix = ''): Unread[] {
    const out: Unread[] = [];
    for (const k of this.keys()) if (!this.read.has(k)) out.push({ address, attribute: `${prefix}${k}` });
    for (const c of this.children) out.push(...c.reader.unread(address, `${prefix}${c.prefix}.`));
    return out;
  }

  private take(key: string): unknown {
    this.read.add(key);
    return this.attrs[key];
  }
}

function deferredOf(v: unknown): Deferred {
  const d = tfString(typeof v === 'string' ? v : JSON.stringify(v));
  return isDeferred(d) ? d : { deferred: true, expression: d };
}
