/**
 * Asynchronous processing of bulk-create jobs with a latency model: a job stays `queued` for at least
 * `queuedMs`, then waits for one of `concurrency` processing slots, stays `processing` for
 * `processingMsPerJob + processingMsPerCode * total_count`, and then ends `complete` (or `cancelled`).
 * All timers are unref'ed so an idle emulator never keeps a process alive, and are cleared on reset/close.
 */
import { finishJob } from "./jobProcessing";
import type { JobRecord } from "./model";
import type { CouponStore } from "./store";
import { msToMicros } from "./time";
import type { JobLatencySettings } from "./types";

/** See the module documentation. */
export class JobRunner {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ready: JobRecord[] = [];
  private readonly idleWaiters = new Set<() => void>();
  private processing = 0;
  private active = 0;

  constructor(
    private readonly store: CouponStore,
    private readonly latency: () => JobLatencySettings,
    private readonly clock: () => number,
  ) {}

  /** Jobs currently queued or processing. */
  activeCount(): number {
    return this.active;
  }

  /** Starts the life cycle of a freshly created (queued) job. */
  submit(job: JobRecord): void {
    this.active++;
    this.schedule(this.latency().queuedMs, () => {
      this.ready.push(job);
      this.pump();
    });
  }

  /** Resolves when no job is queued or processing. */
  waitForIdle(timeoutMs: number): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(done);
        reject(new Error(`jobs still active after ${timeoutMs} ms (${this.active} queued or processing)`));
      }, timeoutMs);
      timer.unref();
      this.idleWaiters.add(done);
    });
  }

  /** Forgets every job in flight and cancels their timers. */
  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.ready.length = 0;
    this.processing = 0;
    this.active = 0;
    this.notifyIdle();
  }

  private pump(): void {
    const { concurrency, processingMsPerJob, processingMsPerCode } = this.latency();
    while (this.processing < concurrency && this.ready.length > 0) {
      const job = this.ready.shift() as JobRecord;
      if (this.store.jobs.get(job.id) !== job) continue;
      this.processing++;
      job.status = "processing";
      const duration = processingMsPerJob + processingMsPerCode * job.totalCount;
      this.schedule(duration, () => this.finish(job));
    }
  }

  private finish(job: JobRecord): void {
    finishJob(job, this.store, msToMicros(this.clock()));
    this.processing--;
    this.active--;
    this.pump();
    if (this.active === 0) this.notifyIdle();
  }

  private schedule(delayMs: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private notifyIdle(): void {
    const waiters = [...this.idleWaiters];
    this.idleWaiters.clear();
    for (const waiter of waiters) waiter();
  }
}
