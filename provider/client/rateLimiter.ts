/**
 * Client-side rate limiter: a FIFO token scheduler per tier, so requests leave at a pace Klaviyo accepts.
 *
 * Klaviyo counts requests per API key in fixed windows aligned to wall-clock seconds and minutes. We
 * enforce sliding windows instead, which need no clock alignment: if at most N grants fall in any sliding
 * window of length W, at most N fall in any fixed window of length W too. The windows are slightly longer
 * than the server's (1.1 s, 61 s) so that network jitter, which can move a request's arrival into the next
 * server window, cannot push a window over its limit.
 *
 * @packageDocumentation
 */
import { createHash } from "crypto";
import { TIER_LIMITS, type RateLimitTier } from "./operations";
import { MAX_TIMER_MS } from "./retryPolicy";

/** Limits for one tier as seen by one caller. */
export interface TierLimit {
  /** Grants allowed per short (burst) window. */
  perSecond: number;
  /** Grants allowed per long (steady) window. */
  perMinute: number;
}

/** Options for {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Length of the burst window in ms; default 1100 (server's 1 s plus a jitter margin). */
  secondWindowMs?: number;
  /** Length of the steady window in ms; default 61000 (server's 60 s plus a jitter margin). */
  minuteWindowMs?: number;
}

/** A shared scheduler of request slots, one queue per tier. */
export interface RateLimiter {
  /**
   * Resolves when a request in `tier` may be sent, and counts it as sent.
   *
   * @param tier - Tier name (any string; the client uses `S`, `L`, `XL`).
   * @param limit - The caller's limits for that tier (callers with different scales may share a limiter).
   */
  acquire(tier: string, limit: TierLimit): Promise<void>;
  /**
   * Holds every grant in `tier` back for `ms` (used after a 429, whose `Retry-After` applies to the whole
   * account, not just the request that got it). A zero, negative or NaN `ms` does nothing; a pause longer
   * than 2^31-1 ms (about 24.8 days, Infinity included) is shortened to that.
   */
  pause(tier: string, ms: number): void;
  /** Number of callers waiting in `tier` (for tests and diagnostics). */
  pending(tier: string): number;
}

interface Waiter {
  limit: TierLimit;
  resolve: () => void;
}

interface Bucket {
  // Grant times (monotonic ms), ascending; entries before `logHead` are expired.
  log: number[];
  logHead: number;
  // FIFO of waiters; an array with a head index so dequeuing 100k waiters stays O(1) each. Entries before
  // `waitHead` are cleared so that granted waiters can be collected.
  waiters: (Waiter | undefined)[];
  waitHead: number;
  pausedUntil: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  timerAt: number;
}

/** The two sliding windows of one limiter. */
interface Windows {
  secondMs: number;
  minuteMs: number;
}

const now = (): number => performance.now();

function newBucket(): Bucket {
  return { log: [], logHead: 0, waiters: [], waitHead: 0, pausedUntil: 0, timer: undefined, timerAt: 0 };
}

function prune(b: Bucket, t: number, w: Windows): void {
  const horizon = t - Math.max(w.secondMs, w.minuteMs);
  while (b.logHead < b.log.length && b.log[b.logHead] <= horizon) b.logHead++;
  if (b.logHead > 1024 && b.logHead * 2 > b.log.length) {
    b.log = b.log.slice(b.logHead);
    b.logHead = 0;
  }
}

// Earliest time a grant is allowed under one window: the grant `max` places back must have left it.
function windowFreeAt(b: Bucket, max: number, windowMs: number): number {
  const n = b.log.length;
  if (n - b.logHead < max) return 0;
  return b.log[n - max] + windowMs;
}

function allowedAt(b: Bucket, limit: TierLimit, w: Windows): number {
  return Math.max(
    b.pausedUntil,
    windowFreeAt(b, limit.perSecond, w.secondMs),
    windowFreeAt(b, limit.perMinute, w.minuteMs),
  );
}

function compactWaiters(b: Bucket): void {
  if (b.waitHead > 1024 && b.waitHead * 2 > b.waiters.length) {
    b.waiters = b.waiters.slice(b.waitHead);
    b.waitHead = 0;
  }
}

function drain(b: Bucket, w: Windows): void {
  const t = now();
  prune(b, t, w);
  while (b.waitHead < b.waiters.length) {
    // Entries from `waitHead` on are never cleared.
    const waiter = b.waiters[b.waitHead] as Waiter;
    const at = allowedAt(b, waiter.limit, w);
    if (at > t) {
      compactWaiters(b);
      schedule(b, at, w);
      return;
    }
    b.log.push(t);
    b.waiters[b.waitHead] = undefined;
    b.waitHead++;
    waiter.resolve();
  }
  b.waiters = [];
  b.waitHead = 0;
}

function schedule(b: Bucket, at: number, w: Windows): void {
  if (b.timer !== undefined && b.timerAt <= at) return;
  if (b.timer !== undefined) clearTimeout(b.timer);
  b.timerAt = at;
  // +1 ms because timers may fire a fraction early relative to performance.now(). A longer delay than
  // Node's timers hold would fire after 1 ms and spin; capped, the timer wakes early, drain() finds the
  // slot still closed and schedules again.
  b.timer = setTimeout(
    () => {
      b.timer = undefined;
      drain(b, w);
    },
    Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(at - now()) + 1)),
  );
}

// Nobody queued and a slot free: grant at once, with no promise chained through the queue.
function tryGrantNow(b: Bucket, limit: TierLimit, w: Windows): boolean {
  if (b.waitHead !== b.waiters.length) return false;
  const t = now();
  prune(b, t, w);
  if (allowedAt(b, limit, w) > t) return false;
  b.log.push(t);
  return true;
}

/**
 * Creates an independent limiter. Most code wants {@link sharedRateLimiter} instead.
 *
 * @param options - Window lengths (tests shorten them).
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const w: Windows = { secondMs: options.secondWindowMs ?? 1100, minuteMs: options.minuteWindowMs ?? 61_000 };
  const buckets: Record<string, Bucket> = Object.create(null);

  function bucketFor(tier: string): Bucket {
    let b = buckets[tier];
    if (!b) {
      b = newBucket();
      buckets[tier] = b;
    }
    return b;
  }

  return {
    acquire(tier: string, limit: TierLimit): Promise<void> {
      if (!(limit.perSecond >= 1) || !(limit.perMinute >= 1)) {
        return Promise.reject(new RangeError("rate limits must be at least 1"));
      }
      const b = bucketFor(tier);
      if (tryGrantNow(b, limit, w)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        b.waiters.push({ limit, resolve });
        if (b.timer === undefined) drain(b, w);
      });
    },
    pause(tier: string, ms: number): void {
      if (!(ms > 0)) return;
      const b = bucketFor(tier);
      b.pausedUntil = Math.max(b.pausedUntil, now() + Math.min(ms, MAX_TIMER_MS));
      if (b.waitHead < b.waiters.length) schedule(b, b.pausedUntil, w);
    },
    pending(tier: string): number {
      const b = buckets[tier];
      return b ? b.waiters.length - b.waitHead : 0;
    },
  };
}

// Lives for the process: this module is required at run time by the provider, never serialized.
const registry: Record<string, RateLimiter> = Object.create(null);

/**
 * The limiter shared by every client in this process that uses the same API key and base URL (Klaviyo
 * counts per key, so separate clients must not each spend the full budget).
 *
 * @param apiKey - The API key (only its hash is kept).
 * @param baseUrl - Normalised base URL.
 */
export function sharedRateLimiter(apiKey: string, baseUrl: string): RateLimiter {
  const key = createHash("sha256").update(apiKey).update("\n").update(baseUrl).digest("hex");
  let limiter = registry[key];
  if (!limiter) {
    limiter = createRateLimiter();
    registry[key] = limiter;
  }
  return limiter;
}

/**
 * Limits for a tier multiplied by `scale` (at least 1 request per window).
 *
 * @param tier - Klaviyo tier.
 * @param scale - Multiplier, e.g. 0.5 to use half of the account's budget.
 */
export function scaledTierLimit(tier: RateLimitTier, scale: number): TierLimit {
  const base = TIER_LIMITS[tier];
  return {
    perSecond: Math.max(1, Math.floor(base.perSecond * scale)),
    perMinute: Math.max(1, Math.floor(base.perMinute * scale)),
  };
}
