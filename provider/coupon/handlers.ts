/**
 * The `Coupon` dynamic-provider handlers, loaded at run time by the shim in `resource.ts`.
 *
 * Handler -> Klaviyo calls:
 * - check:     none (validation only).
 * - diff:      none (prints what a replacement does: Klaviyo deletes the codes with the coupon).
 * - create:    POST /api/coupons; on 409 with `adopt: true`: GET /api/coupons/{id}, then
 *              PATCH /api/coupons/{id} when description or threshold differ. After a POST
 *              whose response was lost: GET /api/coupons/{id} to learn whether it landed, and
 *              POST again only when it did not.
 * - read:      GET /api/coupons/{id} (404 means deleted outside Pulumi).
 * - update:    PATCH /api/coupons/{id} (skipped when only `adopt` changed).
 * - delete:    DELETE /api/coupons/{id} (404 counts as deleted; Klaviyo deletes the codes too).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isKlaviyoError, type Coupon as ApiCoupon, type KlaviyoClient } from "../client";
import { checkCouponInputs, COUPON_INPUTS, couponInputsFrom, type CouponInputs } from "./check";
import {
  couponOutputsFrom,
  thresholdOf,
  toCouponAttributes,
  toCouponOutputs,
  type CouponOutputs,
} from "./mappers";
import { getClient } from "../runtime";
import { containsUnknown, plain, sameOptional } from "../values";
import { inputsWith } from "../inputs";

export { configure } from "../host/configure";

/** Validates and normalises inputs. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
  return checkCouponInputs(news);
}

/**
 * `externalId` replaces (delete first: Klaviyo's id is the external id); the rest updates in place.
 * Compares the properties as received: in a preview `news` may hold the engine's unknown sentinel.
 */
export async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<dynamic.DiffResult> {
  const replaces = inputsWith(COUPON_INPUTS, "replaces").filter((name) => olds[name] !== news[name]);
  const changed =
    replaces.length > 0 ||
    !sameOptional(olds.description, news.description) ||
    !sameOptional(olds.lowBalanceThreshold, news.lowBalanceThreshold) ||
    Boolean(olds.adopt) !== Boolean(news.adopt) ||
    containsUnknown(news);
  if (replaces.length > 0) {
    // Said in the preview too: Klaviyo's cascade is what a reviewer would not guess.
    console.log(
      `[klaviyo] coupon ${String(olds.externalId)}: externalId changes, so the coupon is replaced: it is ` +
        "deleted in Klaviyo first, and Klaviyo deletes its codes with it, those held by profiles included; " +
        "the new coupon starts without codes",
    );
  }
  return { changes: changed, replaces, deleteBeforeReplace: replaces.length > 0 };
}

function isStatus(err: unknown, status: number): boolean {
  return isKlaviyoError(err) && err.status === status;
}

async function getOrNull(client: KlaviyoClient, id: string): Promise<ApiCoupon | null> {
  try {
    return await client.getCoupon(id);
  } catch (err) {
    if (isStatus(err, 404)) return null;
    throw err;
  }
}

function matchesDeclared(coupon: ApiCoupon, inputs: CouponInputs): boolean {
  return (
    sameOptional(coupon.attributes.description, inputs.description) &&
    sameOptional(thresholdOf(coupon), inputs.lowBalanceThreshold)
  );
}

async function bringToDeclared(
  client: KlaviyoClient,
  coupon: ApiCoupon,
  inputs: CouponInputs,
): Promise<ApiCoupon> {
  if (matchesDeclared(coupon, inputs)) return coupon;
  return client.updateCoupon(coupon.id, toCouponAttributes(inputs));
}

function alreadyExistsError(externalId: string): Error {
  return new Error(
    `Klaviyo coupon "${externalId}" already exists. Pulumi cannot import dynamic resources; ` +
      `to bring this coupon under management set \`adopt: true\` on the Coupon resource ` +
      `(its description and threshold will be set to the declared values), or choose another externalId.`,
  );
}

/**
 * The error the host reports as "created but failed to initialise": Pulumi keeps the coupon in
 * state with these properties (which must carry `__provider`; the host does not add it here),
 * so the next `pulumi up` updates it instead of tripping over it as an existing coupon.
 */
function createdButUnsettled(
  cause: unknown,
  coupon: ApiCoupon,
  adopt: boolean,
  provider: string | undefined,
): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const err = new Error(
    `Klaviyo coupon "${coupon.id}" exists but could not be set to the declared description and ` +
      `threshold: ${reason}. It is kept in the state; run \`pulumi up\` again to retry.`,
  ) as Error & { id: string; properties: Record<string, unknown>; reasons: string[] };
  err.id = coupon.id;
  err.properties = plain({ ...toCouponOutputs(coupon, adopt), __provider: provider });
  err.reasons = [reason];
  return err;
}

/** POSTs sent for one create at most, when earlier ones had an unknown outcome and did not land. */
const CREATE_ATTEMPTS = 3;

/**
 * POSTs the coupon. Returns it with `fresh: true` when the POST answered, or the existing coupon
 * (`fresh: false`) when it already existed and may be taken over: with `adopt`, or because an
 * earlier POST of ours whose answer was lost evidently landed (it holds the declared values).
 */
async function postOrFind(
  client: KlaviyoClient,
  inputs: CouponInputs,
  adopt: boolean,
): Promise<{ coupon: ApiCoupon; fresh: boolean }> {
  const { externalId } = inputs;
  let sentBefore = false;
  for (let attempt = 1; ; attempt++) {
    try {
      const coupon = await client.createCoupon({ external_id: externalId, ...toCouponAttributes(inputs) });
      return { coupon, fresh: true };
    } catch (err) {
      const outcomeUnknown = isKlaviyoError(err) && err.outcomeUnknown === true;
      if (!outcomeUnknown && !isStatus(err, 409)) throw err;
      // The POST may have landed (or the coupon pre-exists): look before deciding, never re-send blindly.
      const existing = await getOrNull(client, externalId);
      if (!existing) {
        if (outcomeUnknown && attempt < CREATE_ATTEMPTS) {
          sentBefore = true;
          continue;
        }
        throw err;
      }
      const ours = (outcomeUnknown || sentBefore) && matchesDeclared(existing, inputs);
      if (!adopt && !ours) throw alreadyExistsError(externalId);
      return { coupon: existing, fresh: false };
    }
  }
}

/** Creates the coupon, adopting an existing one only when the user asked for it. */
export async function create(raw: Record<string, unknown>): Promise<dynamic.CreateResult<CouponOutputs>> {
  const inputs = couponInputsFrom(raw);
  const client = await getClient();
  const { adopt } = inputs;
  const found = await postOrFind(client, inputs, adopt);
  let coupon = found.coupon;
  if (!found.fresh) {
    try {
      coupon = await bringToDeclared(client, coupon, inputs);
    } catch (err) {
      throw createdButUnsettled(err, coupon, adopt, inputs.__provider);
    }
  }
  return { id: coupon.id, outs: plain(toCouponOutputs(coupon, adopt)) };
}

/** Refresh: picks up changes made in Klaviyo; a coupon deleted outside Pulumi leaves the state. */
export async function read(id: string, props: Record<string, unknown>): Promise<dynamic.ReadResult<any>> {
  const client = await getClient();
  const coupon = await getOrNull(client, id);
  if (!coupon) return { id: "", props: {} };
  const outs = toCouponOutputs(coupon, props.adopt === true);
  // Returned as inputs too, so the next diff compares the declared values with what Klaviyo holds.
  const inputs: Record<string, unknown> = { externalId: outs.externalId, adopt: outs.adopt };
  if (outs.description !== null) inputs.description = outs.description;
  if (outs.lowBalanceThreshold !== null) inputs.lowBalanceThreshold = outs.lowBalanceThreshold;
  return { id: coupon.id, props: plain(outs), inputs: plain(inputs) as any };
}

/** Updates description and threshold in place. */
export async function update(
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<dynamic.UpdateResult<CouponOutputs>> {
  const old = couponOutputsFrom(olds, id);
  const inputs = couponInputsFrom(news);
  const { adopt } = inputs;
  const unchanged =
    sameOptional(old.description, inputs.description) &&
    sameOptional(old.lowBalanceThreshold, inputs.lowBalanceThreshold);
  if (unchanged) return { outs: plain({ ...old, adopt }) };
  const client = await getClient();
  try {
    const coupon = await client.updateCoupon(id, toCouponAttributes(inputs));
    return { outs: plain(toCouponOutputs(coupon, adopt)) };
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
    throw new Error(
      `Klaviyo coupon "${id}" no longer exists (deleted outside Pulumi?): run \`pulumi refresh\` ` +
        `to drop it from the state, then \`pulumi up\` to create it again.`,
    );
  }
}

/** Deletes the coupon (Klaviyo deletes its codes with it); an already deleted coupon counts as deleted. */
export async function remove(id: string): Promise<void> {
  const client = await getClient();
  try {
    await client.deleteCoupon(id);
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
}
