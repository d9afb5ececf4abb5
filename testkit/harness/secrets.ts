/**
 * Secret and unknown values as the engine encodes them, and the test-side `{ secret: v }` wrapper
 * the harness uses to say "this input is a secret".
 *
 * @packageDocumentation
 */
import { Props } from "./hostMessages";

/** Signature key marking a special value in a protobuf `Struct`. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Signature value of a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The unknown-value sentinel sent during preview, in place of a value not yet known. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What {@link encryptedSecret} puts where a state file would hold ciphertext. */
export const CIPHERTEXT_PLACEHOLDER = "v1:harness-ciphertext";

/**
 * A value the test program marks as secret. Any plain object whose only own key is `secret` counts,
 * so an input that genuinely is `{ secret: x }` cannot be expressed; none of ours is.
 */
export interface Secret<T = unknown> {
  secret: T;
}

/** Wraps a value as a secret input or config value. */
export function secret<T>(value: T): Secret<T> {
  return { secret: value };
}

/** Whether `v` is a {@link Secret} wrapper. */
export function isSecret(v: unknown): v is Secret {
  return isPlainObject(v) && Object.keys(v).length === 1 && Object.prototype.hasOwnProperty.call(v, "secret");
}

/** Whether `v` is, or contains at any depth, a {@link Secret} wrapper. */
function containsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (isPlainObject(v)) return Object.values(v).some(containsSecret);
  return false;
}

/** Removes every {@link Secret} wrapper, as the engine does before calling a provider that declines secrets. */
export function stripSecrets<T>(v: T): T {
  if (isSecret(v)) return stripSecrets(v.secret) as T;
  if (Array.isArray(v)) return v.map(stripSecrets) as T;
  if (isPlainObject(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stripSecrets(x)])) as T;
  }
  return v;
}

/** Top-level keys of `props` whose value is or contains a secret. */
export function secretKeysOf(props: Props): string[] {
  return Object.keys(props).filter((k) => containsSecret(props[k]));
}

/** The wire form of a secret (`{ <sig>: <secret sig>, value }`), as sent in Configure. */
export function wireSecret(value: unknown): Props {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** Whether `v` is a secret in the engine's wire form (the signature object {@link wireSecret} builds). */
export function isWireSecret(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** How a secret appears in a persisted state file: signature plus ciphertext, never the value. */
export function encryptedSecret(): Props {
  return { [SIG_KEY]: SECRET_SIG, ciphertext: CIPHERTEXT_PLACEHOLDER };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
