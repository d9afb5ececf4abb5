/**
 * Every constant of uploading codes through bulk-create jobs (`upload.ts`, `uploadSchedule.ts`,
 * `jobPolling.ts`, `jobBudget.ts`), in one place, each with the reason for its value.
 *
 * Two knobs are the batch's inputs rather than constants, with their defaults and bounds in
 * `inputs.ts`: `maxConcurrentJobs` (jobs one upload keeps outstanding, default 25, within
 * {@link UPLOAD_TUNING}`.jobBudget` for the account) and `jobTimeoutSeconds` (how long one job is waited
 * for before its codes are verified by listing, default 900; also how long the account's queue may stay
 * full before the upload stops). The client's own retry limits are the client's (`provider/client/`).
 */

/** Every constant of uploading, and why it has its value. */
export const UPLOAD_TUNING = {
  /**
   * Codes per bulk-create job: Klaviyo's maximum (it refuses more: "Max number of coupon codes per job we
   * allow for is 1000"; the client checks the same `MAX_CODES_PER_BULK_JOB`). The largest job means the
   * fewest submissions and polls per code.
   */
  jobSize: 1000,
  /** Klaviyo's limit of bulk-create jobs queued or processing at once per account (not ours to choose). */
  klaviyoQueuedJobLimit: 100,
  /**
   * Our jobs outstanding per account at most, across every upload of the process: 10 below Klaviyo's
   * limit, a margin for jobs we stopped tracking while Klaviyo may still hold them (timed out, lost
   * submission responses) and for small uploads by other integrations of the account.
   */
  jobBudget: 90,
  /**
   * Pause of every submission of the account after a queue-full refusal: 1 s gives Klaviyo time to finish
   * a job or two; doubling stops us hammering a queue another process keeps full; 15 s bounds how late
   * we notice room again. An accepted job resets it.
   */
  queueFullPauseMs: { initial: 1000, max: 15_000 },
  /** An upload waiting this long for room with no job of its own outstanding says why (quiet for less). */
  waitNoticeAfterMs: 10_000,
  /** ... and says it again at most every this many times `waitNoticeAfterMs`: visible, not noisy. */
  waitNoticeRepeatFactor: 3,
  /**
   * How often an upload that wants slots asks the budget again. Slots free up when another upload's job
   * finishes, which nobody announces; asking is local (no request), so 100 ms costs nothing.
   */
  budgetRecheckMs: 100,
  /**
   * Polling of the oldest job: first 250 ms after submission, so a job that finishes quickly is seen
   * quickly, then x{@link UPLOAD_TUNING.pollBackoffFactor} per poll that finds it running, up to 1 s, so
   * the polling of one upload costs about one request a second of the L tier (75/s, 750/min) that it
   * shares with the submissions. `UploadRequest.pollIntervalMs` overrides it (tests, benchmarks).
   */
  poll: { initial: 250, max: 1000 },
  /** Growth of the poll interval while a job runs: from 250 ms, the 1 s maximum after four polls. */
  pollBackoffFactor: 1.5,
  /**
   * Growth of the poll interval after a failed poll: faster than while a job runs, because the client
   * has already retried that request, so this is an outage that needs relief more than we need the answer.
   */
  pollFailureBackoffFactor: 2,
  /**
   * Cap, in poll maxima (4 s by default), of the interval of a job set aside as slow (it no longer gates
   * the sweep, so its answer is seldom urgent) and of a job whose polls fail (an outage).
   */
  slowPollFactor: 4,
  /**
   * Failed poll rounds (each already retried by the client) tolerated per job: a passing outage must not
   * abandon running jobs; a lasting one stops the upload (the caller's listing tells what exists).
   */
  maxPollFailures: 3,
  /**
   * Once everything is submitted, every ms between the last job finishing and us noticing is wall time,
   * so the oldest job is polled at this fraction of the longest gap seen between completions (within the
   * poll bounds): at most a 5% lag. Before that, work queued at Klaviyo hides the lag.
   */
  tailGapDivisor: 20,
  /**
   * Nothing finished for this many poll maxima, or this many times the longest gap between completions
   * (whichever is longer): far longer than usual, so the oldest job may be stuck while younger ones are
   * done, and the least recently polled younger job is probed.
   */
  stall: { pollMaxima: 4, longestGaps: 2 },
  /** The shortest wait of the uploader between turns, so that it never spins. */
  minWaitMs: 5,
} as const;
