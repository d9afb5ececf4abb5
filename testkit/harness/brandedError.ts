/**
 * Errors built by factories rather than `Error` subclasses (as `provider/client/errors.ts` does for
 * `KlaviyoError`): the harness is loaded both from sources (ts-node) and, through the package link, from
 * `dist/`, and an `instanceof` against one copy's class misses errors made by the other.
 *
 * @packageDocumentation
 */

// Symbol.for so that a brand set by one copy of this module is recognised by another copy.
const brandOf = (name: string) => Symbol.for(`pulumi-klaviyo-coupons.testkit.${name}`);

/**
 * An `Error` named `name` with `fields` as own properties, branded so {@link hasBrand} recognises it.
 * `factory` is left out of the stack trace, which then starts where the caller built the error.
 */
export function brandedError<N extends string, F extends object>(
  name: N,
  message: string,
  fields: F,
  factory: (...args: any[]) => unknown,
): Error & F & { name: N } {
  const err = new Error(message) as Error & F & { name: N };
  // Set before capturing the stack so the stack's first line names the error kind.
  Object.defineProperty(err, "name", { value: name, enumerable: false, writable: true, configurable: true });
  if (typeof Error.captureStackTrace === "function") Error.captureStackTrace(err, factory);
  Object.assign(err, fields);
  Object.defineProperty(err, brandOf(name), { value: true, enumerable: false });
  return err;
}

/** Whether `value` was built by {@link brandedError} with this `name`. */
export function hasBrand(value: unknown, name: string): boolean {
  return value instanceof Error && (value as unknown as Record<symbol, unknown>)[brandOf(name)] === true;
}
