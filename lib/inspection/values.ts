/**
 * Values of the synthesized Terraform as the inspection holds them: a literal, or a value Terraform
 * only knows at plan or apply time. A deferred value keeps its expression text for display and,
 * when it is a plain reference (`${type.name.attribute}`, Terraform's documented reference syntax,
 * as cdktf writes it), the address it points to, so resources can be linked. Nothing reads meaning
 * (such as a permission name) out of an expression.
 */

/** A reference to another resource's attribute. */
export interface Reference {
  /** `azuread_application.x`, or `data.azuread_client_config.y`. */
  readonly address: string;
  readonly attribute: string;
}

/** A value known only when Terraform plans or applies. */
export interface Deferred {
  readonly deferred: true;
  /** The expression as written in the JSON, for display only. */
  readonly expression: string;
  /** Set when the whole value is one plain reference. */
  readonly ref?: Reference;
}

/** A string attribute: the literal, or deferred. */
export type TfString = string | Deferred;

/** True for a deferred value. */
export function isDeferred(value: unknown): value is Deferred {
  return typeof value === 'object' && value !== null && (value as Deferred).deferred === true;
}

/** The literal, or undefined when deferred. */
export function literal(value: TfString | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const REFERENCE = /^\$\{((?:data\.)?[A-Za-z0-9_]+\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}$/;

/** A JSON string as the inspection holds it: deferred when it holds a template sequence. */
export function tfString(text: string): TfString {
  if (!text.includes('${') && !text.includes('%{')) return text;
  const m = REFERENCE.exec(text);
  return { deferred: true, expression: text, ...(m ? { ref: { address: m[1], attribute: m[2] } } : {}) };
}

/** The address a value refers to with `attribute` (any attribute when not given). */
export function refersTo(value: TfString | undefined, attribute?: string): string | undefined {
  if (!isDeferred(value) || !value.ref) return undefined;
  return attribute === undefined || value.ref.attribute === attribute ? value.ref.address : undefined;
}

/** A number or boolean attribute: the literal, or deferred. */
export type TfScalar<T extends number | boolean> = T | Deferred;
