/**
 * The `Coupon` dynamic-provider handlers, loaded at run time by the shim in `coupon.ts`.
 *
 * Handler -> Klaviyo calls:
 * - check:     none (validation only).
 * - diff:      none.
 * - create:    POST /api/coupons; on 409 with `adopt: true`: GET /api/coupons/{id}, then
 *              PATCH /api/coupons/{id} when description or threshold differ. After a POST
 *              whose response was lost: GET /api/coupons/{id} to learn whether it landed.
 * - read:      GET /api/coupons/{id} (404 means deleted outside Pulumi).
 * - update:    PATCH /api/coupons/{id} (skipped when only `adopt` changed).
 * - delete:    DELETE /api/coupons/{id} (404 counts as deleted).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { isKlaviyoError, type Coupon as ApiCoupon, type KlaviyoClient } from "./client";
import { checkCouponInputs } from "./couponCheck";
import { thresholdOf, toCouponAttributes, toCouponOutputs, type CouponOutputs } from "./couponMappers";
import { getClient } from "./runtimeConfig";
import { containsUnknown, plain, sameOptional } from "./values";

export { configure } from "./runtimeConfig";

/** Validates and normalises inputs. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
  return checkCouponInputs(news);
}

/** `externalId` replaces (delete first: Klaviyo's id is the external id); the rest updates in place. */
export async function diff(
  _id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<dynamic.DiffResult> {
  const replaces = olds.externalId === news.externalId ? [] : ["externalId"];
  const changed =
    replaces.length > 0 ||
    !sameOptional(olds.description, news.description) ||
    !sameOptional(olds.lowBalanceThreshold, news.lowBalanceThreshold) ||
    Boolean(olds.adopt) !== Boolean(news.adopt) ||
    containsUnknown(news);
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

function matchesDeclared(coupon: ApiCoupon, inputs: Record<string, unknown>): boolean {
  return (
    sameOptional(coupon.attributes.description, inputs.description) &&
    sameOptional(thresholdOf(coupon), inputs.lowBalanceThreshold)
  );
}

async function bringToDeclared(
  client: KlaviyoClient,
  coupon: ApiCoupon,
  inputs: Record<string, unknown>,
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

/** Creates the coupon, adopting an existing one only when the user asked for it. */
export async function create(inputs: Record<string, unknown>): Promise<dynamic.CreateResult<CouponOutputs>> {
  const client = await getClient();
  const externalId = String(inputs.externalId);
  const adopt = inputs.adopt === true;
  let coupon: ApiCoupon;
  try {
    coupon = await client.createCoupon({ external_id: externalId, ...toCouponAttributes(inputs) });
  } catch (err) {
    if (isKlaviyoError(err) && err.outcomeUnknown) {
      // The POST may have landed; look before deciding, never re-send blindly.
      const existing = await getOrNull(client, externalId);
      if (!existing) throw err;
      if (!adopt && !matchesDeclared(existing, inputs)) throw alreadyExistsError(externalId);
      coupon = await bringToDeclared(client, existing, inputs);
    } else if (isStatus(err, 409)) {
      const existing = await getOrNull(client, externalId);
      if (!existing) throw err;
      if (!adopt) throw alreadyExistsError(externalId);
      coupon = await bringToDeclared(client, existing, inputs);
    } else {
      throw err;
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
  const adopt = news.adopt === true;
  const unchanged =
    sameOptional(olds.description, news.description) &&
    sameOptional(olds.lowBalanceThreshold, news.lowBalanceThreshold);
  if (unchanged) {
    return { outs: plain({ ...(olds as unknown as CouponOutputs), couponId: id, adopt }) };
  }
  const client = await getClient();
  const coupon = await client.updateCoupon(id, toCouponAttributes(news));
  return { outs: plain(toCouponOutputs(coupon, adopt)) };
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
