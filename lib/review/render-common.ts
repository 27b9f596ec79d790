/** Shared pieces of the review's markdown: construct paths below the stack, booleans and lists in words. */
import { isDeferred, type TfScalar, type TfString } from '../inspection/values';
import { code, tf } from './words';

/** The stack being rendered: construct paths are shown below it, as findings and suppressions name them. */
let stackPrefix = '';

/** Sets the stack whose construct paths `at` shows (renderReview does, per environment). */
export function renderingStack(stack: string): void {
  stackPrefix = `${stack}/`;
}
/** A construct path below the stack, in backticks. */
export const at = (path: string) => code(path.startsWith(stackPrefix) ? path.slice(stackPrefix.length) : path);

export const yesNo = (v: TfScalar<boolean> | undefined, yes: string, no: string, unset: string) =>
  v === undefined ? unset : isDeferred(v) ? tf(v) : v ? yes : no;
export const list = (vs: readonly TfString[]) => vs.map(tf).join(', ');
export const isDeployer = (v: TfString) => isDeferred(v) && /^data\.azuread_client_config\./.test(v.ref?.address ?? '') && v.ref?.attribute === 'object_id';
