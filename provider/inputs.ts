/**
 * Declarations of a resource's inputs as plain data, and what follows from one: the public `Args`, the
 * checked and stored types, the names `diff` compares, and the typed reading of what the engine sends or
 * state holds. Each resource declares its inputs once (`batch/inputs.ts`, `coupon/check.ts`) with these.
 */
import type * as pulumi from "@pulumi/pulumi";
import { kindOf, own } from "./values";
import { isPacked, unpackStrings } from "./packedStrings";

/**
 * How one input of a resource is declared: its kind and the limits `check` enforces, whether the program
 * must set it, its `default` (written by `check`) or what its absence means (`unsetMeans`, left absent),
 * whether a change `replaces` the resource or is a `setting` diff compares, and whether it is `plain`
 * (not a `pulumi.Input`: the constructor reads it). A `packed` list of strings crosses the wire and sits in
 * state as one string (`packedStrings.ts`); reading accepts both forms. Each resource declares its inputs once as a `const`
 * of these (`COUPON_INPUTS`, `BATCH_INPUTS`); the types below follow from it.
 */
export type InputDeclaration = (
  | { kind: "string"; minLength?: number; maxLength?: number; pattern?: RegExp; format?: "date-time" }
  | { kind: "integer"; min: number; max: number }
  | { kind: "boolean" }
  | { kind: "choice"; values: readonly string[] }
  | { kind: "list"; minItems: number; maxItems: number; item: InputDeclaration; packed?: true }
  | { kind: "object"; fields: InputDeclarations }
) & {
  required?: true;
  default?: string | number | boolean;
  unsetMeans?: string | number | boolean;
  replaces?: true;
  setting?: true;
  plain?: true;
};

/** A resource's (or an object input's) inputs by name. */
export type InputDeclarations = { readonly [name: string]: InputDeclaration };

// Spelled out member by member in tooltips instead of as an intersection.
type Flat<T> = { [K in keyof T]: T[K] };

/** The value a declared input holds once checked. */
export type DeclaredValue<D> = D extends { kind: "string" }
  ? string
  : D extends { kind: "integer" }
    ? number
    : D extends { kind: "boolean" }
      ? boolean
      : D extends { kind: "choice"; values: readonly (infer V)[] }
        ? V
        : D extends { kind: "list"; item: infer I }
          ? DeclaredValue<I>[]
          : D extends { kind: "object"; fields: infer F }
            ? CheckedOf<F>
            : never;

type AlwaysSet<D> = D extends { required: true } ? true : D extends { default: unknown } ? true : false;
type AlwaysStored<D> = AlwaysSet<D> extends true ? true : D extends { unsetMeans: unknown } ? true : false;

/** Inputs as `check` returns them: required and defaulted inputs present, the others optional. */
export type CheckedOf<Ds> = Flat<
  { -readonly [K in keyof Ds as AlwaysSet<Ds[K]> extends true ? K : never]: DeclaredValue<Ds[K]> } & {
    -readonly [K in keyof Ds as AlwaysSet<Ds[K]> extends true ? never : K]?: DeclaredValue<Ds[K]>;
  }
>;

/** Inputs as outputs store them: every one present, `null` when absent and without a meaning when unset. */
export type StoredOf<Ds> = {
  -readonly [K in keyof Ds]-?: AlwaysStored<Ds[K]> extends true
    ? DeclaredValue<Ds[K]>
    : DeclaredValue<Ds[K]> | null;
};

// What a program passes: `pulumi.Input`s (nested for lists and objects) unless declared plain.
type ArgValue<D, Named> = D extends { plain: true }
  ? DeclaredValue<D>
  : D extends { kind: "list"; item: infer I }
    ? pulumi.Input<ArgValue<I, Named>[]>
    : D extends { kind: "object"; fields: infer F }
      ? pulumi.Input<ArgsOf<F, Named>>
      : pulumi.Input<DeclaredValue<D>>;

/**
 * The public args of a resource: required inputs required, the others optional. `Named` gives an
 * input the name of a public type (`{ generate: GenerateArgs }`) so tooltips show that name.
 */
export type ArgsOf<Ds, Named = object> = Flat<
  {
    -readonly [K in keyof Ds as Ds[K] extends { required: true } ? K : never]: K extends keyof Named
      ? pulumi.Input<Named[K]>
      : ArgValue<Ds[K], Named>;
  } & {
    -readonly [K in keyof Ds as Ds[K] extends { required: true } ? never : K]?: K extends keyof Named
      ? pulumi.Input<Named[K]>
      : ArgValue<Ds[K], Named>;
  }
>;

/** The names of declared inputs, in declaration order, typed as such. */
export function inputNames<Ds extends InputDeclarations>(decls: Ds): Array<keyof Ds & string> {
  return Object.keys(decls) as Array<keyof Ds & string>;
}

/** The names of the inputs declared with `flag` (`replaces`, `setting`). */
export function inputsWith<Ds extends InputDeclarations>(
  decls: Ds,
  flag: "replaces" | "setting",
): Array<keyof Ds & string> {
  return inputNames(decls).filter((name) => decls[name][flag] === true);
}

/**
 * The inputs `check` returns: each declared input as given (unknown sentinels untouched), its default
 * when absent, otherwise left out (an undefined value would fail the host's protobuf conversion). Only
 * own properties are read (see {@link own}).
 */
export function normalisedInputs(decls: InputDeclarations, news: object): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const [name, decl] of Object.entries(decls)) {
    const value = own(news, name) ?? decl.default;
    if (value !== undefined && value !== null) inputs[name] = value;
  }
  return inputs;
}

/** The property the host adds to every resource's inputs and outputs: the serialized provider. */
export const PROVIDER_KEY = "__provider";

/** Checked inputs as handlers receive them, with the serialized provider the host keeps beside them. */
export type WithProvider<T> = T & { __provider?: string };

/**
 * Reads declared inputs out of what a handler received (checked inputs, or state, which repeats them):
 * each value must be of its declared kind; an absent or null one reads as its default or stays absent.
 * Limits are not re-checked: a value accepted once (an expiry now past) must still read. Messages name
 * the property and the kind found, never the value (it may be a code).
 */
export function readDeclared<Ds extends InputDeclarations>(
  decls: Ds,
  raw: unknown,
  where: string,
): WithProvider<CheckedOf<Ds>> {
  const read = readFields(decls, raw, where, () => "");
  const provider = isRecord(raw) ? own(raw, PROVIDER_KEY) : undefined;
  if (typeof provider === "string") read[PROVIDER_KEY] = provider;
  // The one place where checked values meet their type: readValue established each declared kind.
  return read as WithProvider<CheckedOf<Ds>>;
}

/** Maps checked inputs to their stored form: absent inputs become what they mean, else `null`. */
export function storedOf<Ds extends InputDeclarations>(decls: Ds, inputs: CheckedOf<Ds>): StoredOf<Ds> {
  const values = inputs as Record<string, unknown>;
  const stored: Record<string, unknown> = {};
  for (const name of inputNames(decls)) stored[name] = values[name] ?? decls[name].unsetMeans ?? null;
  return stored as StoredOf<Ds>;
}

/** True for a plain object (not null, not a list): what a handler's properties must be. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Paths are built only for a message: a list of 500,000 codes must not make 500,000 strings.
type Path = () => string;

function readFields(
  decls: InputDeclarations,
  raw: unknown,
  where: string,
  prefix: Path,
): Record<string, unknown> {
  if (!isRecord(raw)) {
    throw new Error(`${where}: ${prefix() || "the properties "}must be an object, got ${kindOf(raw)}`);
  }
  const read: Record<string, unknown> = {};
  for (const [name, decl] of Object.entries(decls)) {
    const value = readValue(decl, own(raw, name), where, () => prefix() + name);
    if (value !== undefined) read[name] = value;
  }
  return read;
}

function unpackOrFail(value: string, where: string, path: Path): string[] {
  try {
    return unpackStrings(value);
  } catch (err) {
    throw new Error(`${where}: ${path()} ${err instanceof Error ? err.message : String(err)}`);
  }
}

function readValue(decl: InputDeclaration, value: unknown, where: string, path: Path): unknown {
  if (value === undefined || value === null) {
    if (decl.default !== undefined) return decl.default;
    if (decl.required) throw new Error(`${where}: ${path()} is missing`);
    return undefined;
  }
  const fail = (kind: string) => new Error(`${where}: ${path()} must be ${kind}, got ${kindOf(value)}`);
  switch (decl.kind) {
    case "string":
      if (typeof value !== "string") throw fail("a string");
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) throw fail("a whole number");
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw fail("true or false");
      return value;
    case "choice":
      if (!decl.values.some((v) => v === value)) throw fail(`one of ${decl.values.join(", ")}`);
      return value;
    case "list": {
      if (decl.packed && isPacked(value)) value = unpackOrFail(value, where, path);
      if (!Array.isArray(value)) throw fail("a list");
      // A list of strings that are all strings is read as it is: no copy, and no per-item path closure
      // (500,000 of them were a large share of the provider host's peak memory).
      if (decl.item.kind === "string" && value.every((v) => typeof v === "string")) return value;
      // Items are never absent: a null in a list of codes is damage, not a default.
      const item: InputDeclaration = { ...decl.item, required: true };
      return value.map((v, i) => readValue(item, v, where, () => `${path()}[${i}]`));
    }
    case "object":
      return readFields(decl.fields, value, where, () => `${path()}.`);
  }
}
