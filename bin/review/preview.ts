/**
 * Reading `pulumi preview --json` for `klaviyo-coupons review`: the steps of `Coupon` and
 * `CouponCodeBatch` resources, one per URN, with what the review needs from their old and new state.
 *
 * Only what a reviewer must see is kept: no `codes` value is ever read (the preview shows them as
 * `"[secret]"`, but a stack with `secretCodes: false` would show them in plain text).
 *
 * @packageDocumentation
 */
import { isRecord } from "../../provider/inputs";
import { UNKNOWN } from "../../provider/values";
import {
  NOT_KNOWN,
  type Action,
  type BatchStep,
  type CodeChangesView,
  type CouponStep,
  type Maybe,
  type Preview,
} from "./previewTypes";

/** Preview operations that are part of one replacement. */
const REPLACEMENT_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);

type Json = Record<string, unknown>;

function field(record: unknown, key: string): unknown {
  return isRecord(record) && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function maybe<T>(value: unknown, accept: (v: unknown) => v is T): Maybe<T> | undefined {
  if (value === UNKNOWN) return NOT_KNOWN;
  return accept(value) ? value : undefined;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isCount = (v: unknown): v is number | null => v === null || (typeof v === "number" && v >= 0);
const isOptionalString = (v: unknown): v is string | null => v === null || typeof v === "string";

// Stored state is always known: these read it without the sentinel.
const storedString = (v: unknown): string | undefined =>
  typeof v === "string" && v !== UNKNOWN ? v : undefined;
const storedCount = (v: unknown): number | undefined => (typeof v === "number" && v >= 0 ? v : undefined);

/** The stack name of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
function stackOf(urn: string): string | null {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match ? match[1] : null;
}

interface Folded {
  urn: string;
  type: string;
  ops: string[];
  old?: Json;
  new?: Json;
  replaceReasons: string[];
}

/** One entry per URN, in first-seen order: a replacement may come as several steps. */
function foldSteps(steps: unknown[]): Folded[] {
  const byUrn = new Map<string, Folded>();
  for (const step of steps) {
    const urn = field(step, "urn");
    const op = field(step, "op");
    if (typeof urn !== "string" || typeof op !== "string") continue;
    const oldState = field(step, "oldState");
    const newState = field(step, "newState");
    const type = field(newState, "type") ?? field(oldState, "type") ?? urn.split("::")[2] ?? "";
    let entry = byUrn.get(urn);
    if (!entry) {
      entry = { urn, type: String(type), ops: [], replaceReasons: [] };
      byUrn.set(urn, entry);
    }
    entry.ops.push(op);
    if (isRecord(oldState) && !entry.old) entry.old = oldState;
    // A delete-replaced step's newState is the old object: the replacement's new state wins.
    if (isRecord(newState) && (!entry.new || op === "create-replacement")) entry.new = newState;
    const reasons = field(step, "replaceReasons");
    if (Array.isArray(reasons)) entry.replaceReasons.push(...reasons.filter(isString));
  }
  return [...byUrn.values()];
}

function actionOf(ops: readonly string[]): Action {
  if (ops.some((op) => REPLACEMENT_OPS.has(op))) return "replace";
  return ops[0];
}

function couponStep(f: Folded, action: Action): CouponStep {
  const oldIn = field(f.old, "inputs");
  const oldOut = field(f.old, "outputs");
  const newIn = field(f.new, "inputs");
  const created = action === "create" || f.old === undefined;
  const deleted = action === "delete" || f.new === undefined;
  const oldId = created
    ? null
    : (storedString(field(oldOut, "couponId")) ?? storedString(field(oldIn, "externalId")) ?? null);
  const newId = deleted ? null : (maybe(field(newIn, "externalId"), isString) ?? oldId ?? NOT_KNOWN);
  const oldThreshold = created
    ? undefined
    : (storedCount(field(oldOut, "lowBalanceThreshold") ?? field(oldIn, "lowBalanceThreshold")) ?? null);
  // An absent input is no threshold; a `same` step without new inputs keeps the stored one.
  const threshold = deleted
    ? undefined
    : f.new && isRecord(newIn)
      ? (maybe(field(newIn, "lowBalanceThreshold") ?? null, isCount) ?? null)
      : oldThreshold;
  return {
    urn: f.urn,
    name: f.urn.split("::").pop() ?? f.urn,
    action,
    oldId,
    newId,
    threshold,
    oldThreshold,
    adopt: field(newIn, "adopt") === true,
    replaceReasons: f.replaceReasons,
  };
}

function codeChangesOf(value: unknown): Maybe<CodeChangesView> | null {
  if (value === UNKNOWN) return NOT_KNOWN;
  if (!isRecord(value)) return null;
  return {
    added: maybe(value.added, isCount) ?? null,
    removed: maybe(value.removed, isCount) ?? null,
    codeCount: maybe(value.codeCount, isCount) ?? null,
    removedTags: maybe(value.removedTags, isOptionalString) ?? null,
  };
}

function heldOf(statusCounts: unknown): number | null {
  if (!isRecord(statusCounts)) return null;
  return ["ASSIGNED_TO_PROFILE", "USED"].reduce((sum, s) => sum + (Number(statusCounts[s]) || 0), 0);
}

function couponUrnOf(state: Json | undefined): string | null {
  const deps = field(field(state, "propertyDependencies"), "couponId");
  const urn = Array.isArray(deps) ? deps.find((d) => isString(d) && /klaviyo:Coupon::/.test(d)) : undefined;
  return typeof urn === "string" ? urn : null;
}

function generatedCount(inputs: unknown): Maybe<number | null> {
  const generate = field(inputs, "generate");
  if (generate === UNKNOWN) return NOT_KNOWN;
  return maybe(field(generate, "count"), isCount) ?? null;
}

function batchStep(f: Folded, action: Action): BatchStep {
  const oldIn = field(f.old, "inputs");
  const oldOut = field(f.old, "outputs");
  const newIn = field(f.new, "inputs");
  const created = action === "create" || f.old === undefined;
  const deleted = action === "delete" || f.new === undefined;
  const stored = (key: string) => field(oldOut, key) ?? field(oldIn, key);
  return {
    urn: f.urn,
    name: f.urn.split("::").pop() ?? f.urn,
    action,
    oldCoupon: created ? null : (storedString(stored("couponId")) ?? null),
    newCoupon: deleted ? null : (maybe(field(newIn, "couponId"), isString) ?? NOT_KNOWN),
    couponUrn: couponUrnOf(f.new),
    changes: deleted ? null : codeChangesOf(field(newIn, "codeChanges")),
    oldCount: created ? null : (storedCount(field(oldOut, "codeCount")) ?? null),
    held: created ? null : heldOf(field(oldOut, "statusCounts")),
    oldPolicy: created ? null : (storedString(stored("deletePolicy")) ?? "delete-unassigned"),
    newPolicy: deleted ? null : (maybe(field(newIn, "deletePolicy"), isString) ?? "delete-unassigned"),
    oldExpiry: created ? undefined : (storedString(stored("expiresAt")) ?? null),
    newExpiry: deleted ? undefined : (maybe(field(newIn, "expiresAt") ?? null, isOptionalString) ?? null),
    generated: {
      old: created ? null : (storedCount(field(stored("generate"), "count")) ?? null),
      new: deleted ? null : generatedCount(newIn),
    },
    stock:
      action === "update"
        ? stockOf(oldOut, newIn)
        : { replenish: 0, keepUnassigned: null, available: null, prune: 0 },
  };
}

// The provider's own rule (provider/batch/stock.ts): the target minus the stored available codes, and
// the stored expired unheld codes when pruneExpired is on.
function stockOf(oldOut: unknown, newIn: unknown): BatchStep["stock"] {
  const keep = storedCount(field(field(newIn, "generate"), "keepUnassigned")) ?? null;
  const available = storedCount(field(oldOut, "availableCodes")) ?? null;
  const replenish = keep !== null && available !== null ? Math.max(0, keep - available) : 0;
  const expired = storedCount(field(field(oldOut, "expiredCodes"), "unassigned")) ?? 0;
  const prune = field(newIn, "pruneExpired") === true ? expired : 0;
  return { replenish, keepUnassigned: keep, available, prune };
}

/** Builds the error for input that is not a preview (the caller decides the exit status). */
export type NotAPreview = (reason: string) => Error;

/**
 * Reads the text `pulumi preview --json` printed.
 *
 * @param text - The whole JSON document.
 * @param notAPreview - Builds the error thrown when the text is not a preview's JSON.
 * @throws What `notAPreview` builds, naming what is wrong.
 */
export function readPreview(text: string, notAPreview: NotAPreview): Preview {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw notAPreview(`it is not JSON (${(e as Error).message})`);
  }
  const steps = field(doc, "steps");
  if (!Array.isArray(steps)) {
    throw notAPreview(
      isRecord(doc) && "diagnostics" in doc
        ? 'it has no "steps": did the preview fail? (its "diagnostics" say why)'
        : 'it has no "steps" array',
    );
  }
  const preview: Preview = { stack: null, coupons: [], batches: [] };
  for (const folded of foldSteps(steps)) {
    preview.stack ??= stackOf(folded.urn);
    const action = actionOf(folded.ops);
    if (folded.type.endsWith("klaviyo:Coupon")) preview.coupons.push(couponStep(folded, action));
    else if (folded.type.endsWith("klaviyo:CouponCodeBatch")) preview.batches.push(batchStep(folded, action));
  }
  return preview;
}
