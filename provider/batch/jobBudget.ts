/**
 * The account's queue of bulk-create jobs, shared by every upload of this process.
 *
 * Klaviyo keeps at most 100 bulk-create jobs of an account queued or processing at once and refuses
 * the next submission ("Max number of jobs queued at once we allow for is 100"; the emulator answers
 * 400 `job_limit_exceeded`). One provider host serves every resource of a `pulumi up` and runs their
 * handlers concurrently, and each batch keeps up to `maxConcurrentJobs` jobs outstanding, so the
 * batches of one account draw from one budget:
 *
 * - At most {@link JOB_BUDGET} (90) of our jobs are outstanding at once, 10 below Klaviyo's limit (the
 *   reasons for this and every other value are in `uploadTuning.ts`).
 * - Each upload may hold its max-min fair share of that capacity (water-filling over what each upload
 *   still wants, each capped by its `maxConcurrentJobs`), so a batch that starts later is not starved
 *   by one that started first; a batch over its share takes no new slot until its jobs finish.
 * - A refusal for the queue limit all the same (another process or stack using the account) lowers the
 *   capacity to what we hold, stops every submission of the account for a backoff (1 s, doubling up to
 *   15 s, reset by an accepted job), and the capacity grows back by one per accepted job once refusals
 *   stop. A refused submission created nothing, so the uploader submits the same chunk again.
 *
 * The budgets live in this module's state (never serialized: the shims load this module at run time).
 */
import { createHash } from "crypto";
import { isKlaviyoError } from "../client";
import { UPLOAD_TUNING } from "./uploadTuning";

/** Klaviyo's limit of bulk-create jobs queued or processing at once per account. */
export const KLAVIYO_QUEUED_JOB_LIMIT = UPLOAD_TUNING.klaviyoQueuedJobLimit;

/** Our own jobs kept outstanding per account at most: Klaviyo's limit minus a margin of 10. */
export const JOB_BUDGET = UPLOAD_TUNING.jobBudget;

/** Tuning of a budget; tests shrink it. */
export interface JobBudgetOptions {
  /** Jobs outstanding at once across all uploads (default {@link JOB_BUDGET}). */
  limit?: number;
  /** Pause of all submissions after a refusal: first, and the cap of its doubling (default 1 s, 15 s). */
  backoffMs?: { initial: number; max: number };
  /** An upload that waited this long with no job of its own outstanding says so (default 10 s). */
  noticeAfterMs?: number;
  /** The clock (default `Date.now`); tests use a fake one. */
  now?: () => number;
}

/** One upload's part of a {@link JobBudget}. */
export interface JobShare {
  /** Jobs this upload holds (submitted or being submitted, not yet released). */
  held(): number;
  /** Takes up to `want` slots now; returns how many were granted (0 while the account waits). */
  take(want: number): number;
  /** Gives back `n` slots: jobs that finished, timed out, or whose submission failed. */
  release(n?: number): void;
  /** A submission was accepted (a job exists). */
  accepted(): void;
  /** Klaviyo refused a submission for the queue limit: gives back its slot and pauses the account. */
  refused(): void;
  /** Since when every submission of the account has been refused (undefined when the last was accepted). */
  fullSince(): number | undefined;
  /** Why a submission has to wait, for a progress line. */
  waitReason(): string;
  /** Leaves the budget, giving back every slot still held. */
  leave(): void;
}

/** The job budget of one account. */
export interface JobBudget {
  /** Joins an upload that keeps at most `maxJobs` outstanding and has `pendingJobs()` still to submit. */
  join(maxJobs: number, pendingJobs: () => number): JobShare;
  /** Our jobs outstanding now, across all uploads. */
  outstanding(): number;
  /** Jobs the account may hold now: the limit, or less after refusals. */
  capacity(): number;
  /** See {@link JobBudgetOptions.noticeAfterMs}. */
  readonly noticeAfterMs: number;
}

interface Member {
  maxJobs: number;
  pendingJobs: () => number;
  held: number;
  joined: number;
}

/**
 * Max-min fair shares of `capacity`: uploads wanting least are served first, each gets at most an equal
 * part of what is left; among equal wants the earliest joined get the remainder.
 */
function fairShares(members: Iterable<Member>, capacity: number): Map<Member, number> {
  const wants = [...members].map((m) => ({
    m,
    want: Math.min(m.maxJobs, m.held + Math.max(0, m.pendingJobs())),
  }));
  wants.sort((a, b) => a.want - b.want || b.m.joined - a.m.joined);
  const shares = new Map<Member, number>();
  let left = capacity;
  wants.forEach(({ m, want }, i) => {
    const share = Math.min(want, Math.floor(left / (wants.length - i)));
    shares.set(m, share);
    left -= share;
  });
  return shares;
}

/** The shared state of one account's budget. */
interface Account {
  readonly limit: number;
  readonly backoff: { initial: number; max: number };
  readonly clock: () => number;
  readonly members: Set<Member>;
  joined: number;
  outstanding: number;
  /** Learned from refusals: the capacity is at most this. */
  ceiling: number;
  pausedUntil: number;
  nextPause: number;
  lastRefusalAt: number;
  fullSince?: number;
}

/** Creates an independent budget; uploads normally use {@link jobBudgetFor}. */
export function createJobBudget(options: JobBudgetOptions = {}): JobBudget {
  const limit = options.limit ?? JOB_BUDGET;
  const backoff = options.backoffMs ?? UPLOAD_TUNING.queueFullPauseMs;
  const account: Account = {
    limit,
    backoff,
    clock: options.now ?? Date.now,
    members: new Set(),
    joined: 0,
    outstanding: 0,
    ceiling: limit,
    pausedUntil: 0,
    nextPause: backoff.initial,
    lastRefusalAt: -Infinity,
  };
  return {
    noticeAfterMs: options.noticeAfterMs ?? UPLOAD_TUNING.waitNoticeAfterMs,
    outstanding: () => account.outstanding,
    capacity: () => capacity(account),
    join: (maxJobs, pendingJobs) => join(account, maxJobs, pendingJobs),
  };
}

function capacity(a: Account): number {
  return Math.min(a.limit, a.ceiling);
}

function refused(a: Account): void {
  const now = a.clock();
  a.lastRefusalAt = now;
  a.fullSince ??= now;
  a.ceiling = Math.max(1, Math.min(a.ceiling, a.outstanding));
  // Refusals of one burst of submissions extend one pause, not one each.
  if (now >= a.pausedUntil) {
    a.pausedUntil = now + a.nextPause;
    a.nextPause = Math.min(a.nextPause * 2, a.backoff.max);
  }
}

function accepted(a: Account): void {
  a.fullSince = undefined;
  a.nextPause = a.backoff.initial;
  if (a.ceiling < a.limit && a.clock() - a.lastRefusalAt >= a.backoff.initial) a.ceiling++;
}

function waitReason(a: Account): string {
  return a.fullSince !== undefined
    ? `Klaviyo refuses new bulk jobs: the account's queue is full (at most ${KLAVIYO_QUEUED_JOB_LIMIT} ` +
        `queued at once; another process or stack is using it); waiting for room, ` +
        `${Math.round((a.clock() - a.fullSince) / 1000)}s so far`
    : `waiting for room in the account's queue of bulk jobs (${a.outstanding} outstanding for ` +
        `${a.members.size} batches of this run, at most ${capacity(a)})`;
}

function join(a: Account, maxJobs: number, pendingJobs: () => number): JobShare {
  const me: Member = { maxJobs, pendingJobs, held: 0, joined: a.joined++ };
  a.members.add(me);
  const release = (n = 1) => {
    const k = Math.max(0, Math.min(n, me.held));
    me.held -= k;
    a.outstanding -= k;
  };
  return {
    held: () => me.held,
    take(want) {
      if (want <= 0 || a.clock() < a.pausedUntil || !a.members.has(me)) return 0;
      const share = fairShares(a.members, capacity(a)).get(me) ?? 0;
      const granted = Math.max(0, Math.min(want, share - me.held, capacity(a) - a.outstanding));
      me.held += granted;
      a.outstanding += granted;
      return granted;
    },
    release,
    accepted: () => accepted(a),
    refused() {
      release(1);
      refused(a);
    },
    fullSince: () => a.fullSince,
    waitReason: () => waitReason(a),
    leave() {
      release(me.held);
      a.members.delete(me);
    },
  };
}

const byClient = new WeakMap<object, JobBudget>();
const byAccount = new Map<string, JobBudget>();

/**
 * The budget of the account a client talks to. The provider host builds one client for its configured
 * API key and base URL and every handler uses it, so this is the account's budget within the host.
 */
export function jobBudgetFor(client: object): JobBudget {
  let budget = byClient.get(client);
  if (!budget) {
    budget = createJobBudget();
    byClient.set(client, budget);
  }
  return budget;
}

/** The budget of an account named by API key and base URL, for callers that build several clients. */
export function accountJobBudget(apiKey: string, baseUrl: string): JobBudget {
  const key = createHash("sha256")
    .update(apiKey)
    .update("\n")
    .update(baseUrl.replace(/\/+$/, ""))
    .digest("hex");
  let budget = byAccount.get(key);
  if (!budget) {
    budget = createJobBudget();
    byAccount.set(key, budget);
  }
  return budget;
}

const QUEUE_LIMIT_TEXT = /jobs? queued at once|job_limit_exceeded|job limit/i;

/**
 * True when Klaviyo refused a bulk-create submission because the account's queue is full. The status is
 * not documented (the emulator answers 400 `job_limit_exceeded`), so the code and Klaviyo's wording
 * ("Max number of jobs queued at once ...") are both recognised, on any 4xx with a definite answer.
 */
export function isQueueLimitRefusal(err: unknown): boolean {
  if (!isKlaviyoError(err) || err.outcomeUnknown || err.status < 400 || err.status >= 500) return false;
  if (err.code === "job_limit_exceeded") return true;
  const texts = [err.title, err.detail, ...(err.errors ?? []).flatMap((e) => [e.code, e.title, e.detail])];
  return texts.some((t) => typeof t === "string" && QUEUE_LIMIT_TEXT.test(t));
}
