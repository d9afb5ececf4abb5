/**
 * Issue 11, item 3: Node's timers hold at most 2^31-1 ms; a longer delay fires after 1 ms with a
 * TimeoutOverflowWarning. A far-future Retry-After used to reach setTimeout that way, and the rate
 * limiter then spun forever. These tests watch every delay handed to setTimeout.
 */
import { strict as assert } from "assert";
import { createKlaviyoClient, type KlaviyoError } from "../../../../provider/client";
import { createRateLimiter } from "../../../../provider/client/rateLimiter";
import { sleep } from "../../../../provider/client/retryPolicy";
import { failure } from "../../../../testkit/clientTestKit";
import { rateLimited, startStub, type Stub } from "../../../../testkit/stubServer";

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Records every delay handed to setTimeout while `fn` runs (and TimeoutOverflowWarnings), then cancels
 * the long timers it left behind so they do not outlive the test.
 */
async function watchTimers(fn: () => Promise<void>): Promise<{ delays: number[]; overflows: number }> {
  const original = globalThis.setTimeout;
  const delays: number[] = [];
  const long: ReturnType<typeof setTimeout>[] = [];
  let overflows = 0;
  const onWarning = (w: Error) => void (w.name === "TimeoutOverflowWarning" && overflows++);
  process.on("warning", onWarning);
  globalThis.setTimeout = ((cb: () => void, ms?: number, ...args: unknown[]) => {
    delays.push(ms ?? 0);
    const t = Reflect.apply(original, globalThis, [cb, ms, ...args]) as ReturnType<typeof setTimeout>;
    if ((ms ?? 0) > 10_000) long.push(t);
    return t;
  }) as typeof setTimeout;
  try {
    await fn();
  } finally {
    globalThis.setTimeout = original;
    for (const t of long) clearTimeout(t);
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("warning", onWarning);
  }
  return { delays, overflows };
}

describe("timer overflow", () => {
  describe("Retry-After beyond what a timer holds", () => {
    let stub: Stub | undefined;
    afterEach(async () => {
      await stub?.close();
      stub = undefined;
    });

    for (const [name, header, seconds] of [
      ["an HTTP date in 2099", "Thu, 01 Jan 2099 00:00:00 GMT", /\d{10}/],
      ["3000000 seconds", "3000000", /3000000/],
    ] as const) {
      it(`fails at once, without a timer overflow, when Klaviyo asks to wait ${name}`, async function () {
        this.timeout(5000);
        const server = await startStub(() => rateLimited(header));
        stub = server;
        let err: KlaviyoError | undefined;
        const { delays, overflows } = await watchTimers(async () => {
          // A fresh base URL, so a fresh shared rate limiter.
          const client = createKlaviyoClient({ apiKey: "pk_stub_long_wait_key", baseUrl: server.url });
          err = await failure(client.getCoupon("DATED"));
        });
        assert.equal(
          err?.message.replace(seconds, "N"),
          "Klaviyo GET /api/coupons/DATED failed: 429 Request was throttled: Slow down. " +
            "(Klaviyo asked to wait N s, more than the 60 s maximum)",
        );
        assert.equal(server.requests.length, 1);
        assert.equal(overflows, 0, "TimeoutOverflowWarning");
        assert.ok(Math.max(0, ...delays) <= MAX_TIMER_MS, `setTimeout got ${Math.max(...delays)} ms`);
      });
    }
  });

  describe("sleep and the rate limiter", () => {
    it("sleep never hands setTimeout more than 2^31-1 ms", async () => {
      const { delays, overflows } = await watchTimers(async () => {
        void sleep(3_000_000_000);
        await new Promise((resolve) => setImmediate(resolve));
      });
      assert.deepEqual(delays, [MAX_TIMER_MS]);
      assert.equal(overflows, 0);
    });

    it("the rate limiter holds a paused tier without spinning, however long the pause", async () => {
      const limiter = createRateLimiter();
      const { delays, overflows } = await watchTimers(async () => {
        limiter.pause("L", 3_000_000_000);
        void limiter.acquire("L", { perSecond: 10, perMinute: 100 });
        await new Promise((resolve) => setTimeout(resolve, 50));
      });
      assert.equal(limiter.pending("L"), 1, "still held");
      assert.equal(overflows, 0, "TimeoutOverflowWarning");
      const long = delays.filter((d) => d > 1000);
      assert.ok(Math.max(0, ...delays) <= MAX_TIMER_MS, `setTimeout got ${Math.max(...delays)} ms`);
      assert.equal(long.length, 1, `one long timer, not a spin: ${delays.length} timers`);
    });
  });
});
