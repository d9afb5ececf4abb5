import { strict as assert } from "assert";
import {
  createRateLimiter,
  scaledTierLimit,
  sharedRateLimiter,
} from "../../../../provider/client/rateLimiter";

const now = (): number => performance.now();

// Largest number of grant times that fall inside any window of `windowMs` (a sliding count).
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe("rateLimiter", () => {
  describe("acquire", () => {
    it("grants a full burst at once and holds the rest until the window moves on", async () => {
      const limiter = createRateLimiter({ secondWindowMs: 200, minuteWindowMs: 2000 });
      const start = now();
      const times: number[] = [];
      await Promise.all(
        Array.from({ length: 7 }, () =>
          limiter.acquire("L", { perSecond: 3, perMinute: 100 }).then(() => times.push(now() - start)),
        ),
      );
      times.sort((a, b) => a - b);
      assert.ok(times[2] < 50, `burst took ${times[2]} ms`);
      assert.ok(times[3] >= 199, `4th grant at ${times[3]} ms`);
      assert.ok(times[6] >= 399, `7th grant at ${times[6]} ms`);
      assert.ok(maxInWindow(times, 200) <= 3);
    });

    it("never grants more than the limit in any sliding window", async () => {
      const limiter = createRateLimiter({ secondWindowMs: 60, minuteWindowMs: 600 });
      const times: number[] = [];
      await Promise.all(
        Array.from({ length: 25 }, () =>
          limiter.acquire("XL", { perSecond: 4, perMinute: 1000 }).then(() => times.push(now())),
        ),
      );
      assert.equal(maxInWindow(times, 60), 4);
    });

    it("enforces the long window as well as the short one", async () => {
      const limiter = createRateLimiter({ secondWindowMs: 20, minuteWindowMs: 300 });
      const start = now();
      const times: number[] = [];
      await Promise.all(
        Array.from({ length: 6 }, () =>
          limiter.acquire("S", { perSecond: 3, perMinute: 5 }).then(() => times.push(now() - start)),
        ),
      );
      times.sort((a, b) => a - b);
      assert.ok(times[4] < 100, `5th grant at ${times[4]} ms`);
      assert.ok(times[5] >= 299, `6th grant at ${times[5]} ms`);
    });

    it("grants in FIFO order", async () => {
      const limiter = createRateLimiter({ secondWindowMs: 30, minuteWindowMs: 1000 });
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          limiter.acquire("L", { perSecond: 2, perMinute: 100 }).then(() => order.push(i)),
        ),
      );
      assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it("keeps tiers independent", async () => {
      const limiter = createRateLimiter({ secondWindowMs: 1000, minuteWindowMs: 10_000 });
      const limit = { perSecond: 1, perMinute: 10 };
      await limiter.acquire("S", limit);
      const start = now();
      await limiter.acquire("XL", limit);
      assert.ok(now() - start < 50);
      assert.equal(limiter.pending("S"), 0);
    });

    it("lets callers with different limits share one budget", async () => {
      const limiter = createRateLimiter({ secondWindowMs: 200, minuteWindowMs: 2000 });
      await limiter.acquire("L", { perSecond: 2, perMinute: 100 });
      await limiter.acquire("L", { perSecond: 2, perMinute: 100 });
      const start = now();
      // A caller with a higher limit may go on; one with the same limit must wait.
      await limiter.acquire("L", { perSecond: 3, perMinute: 100 });
      assert.ok(now() - start < 50);
      await limiter.acquire("L", { perSecond: 3, perMinute: 100 });
      assert.ok(now() - start >= 150);
    });

    it("rejects limits below one", async () => {
      const limiter = createRateLimiter();
      await assert.rejects(limiter.acquire("L", { perSecond: 0, perMinute: 1 }), RangeError);
    });

    it("drains 100k queued waiters in order without per-waiter timers", async function () {
      this.timeout(20_000);
      const limiter = createRateLimiter({ secondWindowMs: 20, minuteWindowMs: 200 });
      const limit = { perSecond: 25_000, perMinute: 1_000_000 };
      let granted = 0;
      const all: Promise<void>[] = [];
      for (let i = 0; i < 100_000; i++) all.push(limiter.acquire("XL", limit).then(() => void granted++));
      assert.ok(limiter.pending("XL") > 0);
      await Promise.all(all);
      assert.equal(granted, 100_000);
      assert.equal(limiter.pending("XL"), 0);
    });
  });

  describe("pause", () => {
    it("holds every grant of the tier back for the given time", async () => {
      const limiter = createRateLimiter();
      const limit = { perSecond: 100, perMinute: 1000 };
      await limiter.acquire("L", limit);
      limiter.pause("L", 150);
      const start = now();
      await Promise.all([limiter.acquire("L", limit), limiter.acquire("L", limit)]);
      assert.ok(now() - start >= 149, `waited ${now() - start} ms`);
    });

    it("ignores non-positive durations", async () => {
      const limiter = createRateLimiter();
      limiter.pause("L", 0);
      limiter.pause("L", -5);
      const start = now();
      await limiter.acquire("L", { perSecond: 1, perMinute: 1 });
      assert.ok(now() - start < 50);
    });
  });

  describe("scaledTierLimit", () => {
    it("multiplies the tier limits and keeps at least one per window", () => {
      assert.deepEqual(scaledTierLimit("S", 1), { perSecond: 3, perMinute: 60 });
      assert.deepEqual(scaledTierLimit("XL", 0.5), { perSecond: 175, perMinute: 1750 });
      assert.deepEqual(scaledTierLimit("L", 0.001), { perSecond: 1, perMinute: 1 });
      assert.deepEqual(scaledTierLimit("L", 2), { perSecond: 150, perMinute: 1500 });
    });
  });

  describe("sharedRateLimiter", () => {
    it("returns one limiter per API key and base URL", () => {
      const a = sharedRateLimiter("key-1", "https://a.klaviyo.com/");
      assert.equal(sharedRateLimiter("key-1", "https://a.klaviyo.com/"), a);
      assert.notEqual(sharedRateLimiter("key-2", "https://a.klaviyo.com/"), a);
      assert.notEqual(sharedRateLimiter("key-1", "http://127.0.0.1:1/"), a);
    });
  });
});
