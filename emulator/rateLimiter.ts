/**
 * Fixed-window rate limiting per API key and tier, with windows aligned to wall-clock seconds and
 * minutes. Limits are the spec's `x-klaviyo-ratelimit` burst/steady pairs, scaled.
 */
import type { RateLimitSettings } from "./types";

/** Rate-limit tiers of the coupon endpoints (spec: S 3/s 60/m, L 75/s 750/m, XL 350/s 3500/m). */
export type Tier = "S" | "L" | "XL";

const TIER_LIMITS: Record<Tier, { burst: number; steady: number }> = {
  S: { burst: 3, steady: 60 },
  L: { burst: 75, steady: 750 },
  XL: { burst: 350, steady: 3500 },
};

interface Windows {
  second: number;
  secondCount: number;
  minute: number;
  minuteCount: number;
}

/** The verdict for one request. */
export type RateDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; retryAfter: number; window: "second" | "minute"; limit: number };

/** See the module documentation. */
export class RateLimiter {
  private readonly windows = new Map<string, Windows>();

  constructor(
    private readonly settings: () => RateLimitSettings,
    private readonly clock: () => number,
  ) {}

  /** The effective burst and steady limits of a tier. */
  limits(tier: Tier): { burst: number; steady: number } {
    const { scale } = this.settings();
    const base = TIER_LIMITS[tier];
    return {
      burst: Math.max(1, Math.floor(base.burst * scale)),
      steady: Math.max(1, Math.floor(base.steady * scale)),
    };
  }

  /**
   * Counts a request and decides whether it may proceed. Rejected requests are not counted against the
   * windows, so a client that waits `Retry-After` seconds is served.
   */
  check(apiKey: string, tier: Tier): RateDecision | undefined {
    if (!this.settings().enabled) return undefined;
    const now = this.clock();
    const second = Math.floor(now / 1000);
    const minute = Math.floor(now / 60_000);
    const key = `${tier}\u0000${apiKey}`;
    let windows = this.windows.get(key);
    if (!windows) {
      windows = { second, secondCount: 0, minute, minuteCount: 0 };
      this.windows.set(key, windows);
    }
    if (windows.second !== second) {
      windows.second = second;
      windows.secondCount = 0;
    }
    if (windows.minute !== minute) {
      windows.minute = minute;
      windows.minuteCount = 0;
    }
    const { burst, steady } = this.limits(tier);
    const minuteReset = Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000));
    if (windows.minuteCount >= steady) {
      return { allowed: false, retryAfter: minuteReset, window: "minute", limit: steady };
    }
    if (windows.secondCount >= burst) {
      const secondReset = Math.max(1, Math.ceil(((second + 1) * 1000 - now) / 1000));
      return { allowed: false, retryAfter: secondReset, window: "second", limit: burst };
    }
    windows.secondCount++;
    windows.minuteCount++;
    return {
      allowed: true,
      headers: {
        "RateLimit-Limit": String(steady),
        "RateLimit-Remaining": String(steady - windows.minuteCount),
        "RateLimit-Reset": String(minuteReset),
      },
    };
  }

  /** Forgets all windows. */
  reset(): void {
    this.windows.clear();
  }
}
