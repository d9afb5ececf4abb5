/** The emulator's mutable state, shared by the HTTP pipeline, the handlers and the control API. */
import { applySettingsPatch, defaultSettings } from "./config";
import { FaultQueue } from "./faults";
import { JobRunner } from "./jobRunner";
import type { ForcedOutcome } from "./model";
import type { ParsedQuery } from "./query";
import { RateLimiter } from "./rateLimiter";
import type { Links } from "./serialize";
import { CouponStore } from "./store";
import type { EmulatorOptions, EmulatorSettings, RequestLogEntry, ResponseInfo } from "./types";

/** A bounded log of API requests plus the request counter. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private start = 0;
  /** API requests received since start or reset (not bounded by the log size). */
  requests = 0;

  constructor(private readonly capacity: number) {}

  /** Appends an entry, evicting the oldest when full. */
  add(entry: RequestLogEntry): void {
    if (this.entries.length < this.capacity) {
      this.entries.push(entry);
    } else {
      this.entries[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Entries oldest first. */
  list(): RequestLogEntry[] {
    return [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)].map((entry) => ({
      ...entry,
    }));
  }

  /** Empties the log (the counter is kept). */
  clear(): void {
    this.entries = [];
    this.start = 0;
  }
}

/** Forced outcomes waiting for the next submitted jobs. */
export interface PendingOutcome {
  outcome: ForcedOutcome;
  remaining: number;
}

/** Everything the emulator knows. */
export interface EmulatorState {
  settings: EmulatorSettings;
  readonly apiKeys: Set<string>;
  readonly store: CouponStore;
  readonly jobs: JobRunner;
  readonly limiter: RateLimiter;
  readonly faults: FaultQueue;
  readonly log: RequestLog;
  readonly pendingOutcomes: PendingOutcome[];
  readonly clock: () => number;
  readonly onResponse?: (info: ResponseInfo) => void;
}

/** Creates the state for a new emulator from its options. */
export function createState(options: EmulatorOptions, defaultApiKeys: string[]): EmulatorState {
  const clock = options.clock ?? Date.now;
  const store = new CouponStore();
  const apiKeys = new Set(options.apiKeys ?? defaultApiKeys);
  if (apiKeys.size === 0) throw new Error("apiKeys must contain at least one key");
  const settings = applySettingsPatch(defaultSettings(), {
    rateLimits: options.rateLimits,
    jobs: options.jobs,
    couponDelete: options.couponDelete,
    limits: options.limits,
  });
  const holder = { settings };
  const state: EmulatorState = {
    get settings() {
      return holder.settings;
    },
    set settings(value: EmulatorSettings) {
      holder.settings = value;
    },
    apiKeys,
    store,
    jobs: new JobRunner(store, () => holder.settings.jobs, clock),
    limiter: new RateLimiter(() => holder.settings.rateLimits, clock),
    faults: new FaultQueue(),
    log: new RequestLog(options.requestLogSize ?? 10_000),
    pendingOutcomes: [],
    clock,
    onResponse: options.onResponse,
  };
  return state;
}

/** Takes the forced outcome for the next submitted job, if one is pending. */
export function takeOutcome(state: EmulatorState): ForcedOutcome | null {
  const pending = state.pendingOutcomes[0];
  if (!pending) return null;
  pending.remaining--;
  if (pending.remaining <= 0) state.pendingOutcomes.shift();
  return pending.outcome;
}

/** What a handler sees. */
export interface HandlerContext {
  state: EmulatorState;
  /** Decoded path parameters. */
  params: Record<string, string>;
  query: ParsedQuery;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
  links: Links;
  /** Absolute URL of this request, for top-level `links.self`. */
  selfUrl: string;
  /** Request time in microseconds since the epoch. */
  nowMicros: number;
}

/** What a handler returns. */
export interface ApiResult {
  status: number;
  body?: unknown;
}
