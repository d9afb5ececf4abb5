/** Helpers shared by the client specs. */
import { strict as assert } from "assert";
import { isKlaviyoError, type KlaviyoError } from "../provider/client";

/** Awaits `p`, which must reject with a KlaviyoError, and returns that error. */
export async function failure(p: Promise<unknown>): Promise<KlaviyoError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isKlaviyoError(e), `expected a KlaviyoError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected the call to fail");
}
