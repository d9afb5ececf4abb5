/**
 * `klaviyo-coupons coupons`: lists the account's coupons with their code counts.
 *
 * @packageDocumentation
 */
import { countCouponCodes, type CouponCodeAvailability } from "../provider/availability/counting";
import { normalizeAvailabilityQuery } from "../provider/availability/query";
import type { Coupon, KlaviyoClient } from "../provider/client";
import { forEachLimit } from "../provider/concurrency";
import { createProgress, emit, EXIT, PROGRAM, type CliIo, type CliProgress } from "./cliIo";
import { parseCommand } from "./cliArgs";
import { CONNECTION_HELP, CONNECTION_OPTIONS, connect } from "./cliOptions";
import { count, renderTable } from "./format";

const NAME = "coupons";

// Coupons counted at once: enough to overlap round trips, while the client's limiter keeps the pace.
const PARALLEL_COUPONS = 4;

/** Help text of the subcommand. */
export const COUPONS_HELP = `Usage: ${PROGRAM} ${NAME} [--json]

Lists every coupon with its number of codes: in total, unassigned, assigned to a profile and used.
Counting reads every code of every coupon (100 per request), so large accounts take a while; progress
is shown on a terminal.

Options:
  --json                Print a JSON array instead of a table. Each coupon's "counts" has one key per
                        status, plus UNKNOWN for codes Klaviyo returned without a status (normally 0).

${CONNECTION_HELP}

Exit status: 0 ok, 1 Klaviyo call failed, 2 usage error.
`;

/** One coupon with its counts. */
export interface CouponSummary {
  /** Coupon id (= external_id). */
  couponId: string;
  /** Description, or null. */
  description: string | null;
  /** All its codes. */
  total: number;
  /** Codes per status. */
  counts: CouponCodeAvailability["counts"];
  /** Unassigned codes. */
  unassigned: number;
  /** Earliest expiry among unassigned codes, or null. */
  earliestUnassignedExpiry: string | null;
  /** Latest expiry among unassigned codes, or null. */
  latestUnassignedExpiry: string | null;
}

/** Every coupon of the account (GET /api/coupons, 100 a page). */
export async function listCoupons(client: KlaviyoClient): Promise<Coupon[]> {
  const coupons: Coupon[] = [];
  for await (const page of client.getCoupons({ pageSize: 100 })) coupons.push(...page.data);
  return coupons;
}

/**
 * Counts the codes of each coupon, a few coupons at a time.
 *
 * @param client - Klaviyo client.
 * @param coupons - Coupons to count.
 * @param progress - Progress line.
 */
export async function summarizeCoupons(
  client: KlaviyoClient,
  coupons: readonly Coupon[],
  progress: CliProgress,
): Promise<CouponSummary[]> {
  const summaries: CouponSummary[] = new Array(coupons.length);
  let finished = 0;
  let codesSeen = 0;
  await forEachLimit(coupons, PARALLEL_COUPONS, async (coupon, index) => {
    let seenHere = 0;
    const a = await countCouponCodes(client, normalizeAvailabilityQuery({ couponId: coupon.id }), {
      onProgress: (p) => {
        codesSeen += p.codes - seenHere;
        seenHere = p.codes;
        progress.update(`Counting codes: ${finished}/${coupons.length} coupons, ${count(codesSeen)} codes`);
      },
    });
    finished++;
    progress.update(`Counting codes: ${finished}/${coupons.length} coupons, ${count(codesSeen)} codes`);
    summaries[index] = {
      couponId: coupon.id,
      description: coupon.attributes.description,
      total: a.total,
      counts: a.counts,
      unassigned: a.unassigned,
      earliestUnassignedExpiry: a.earliestUnassignedExpiry,
      latestUnassignedExpiry: a.latestUnassignedExpiry,
    };
  });
  return summaries;
}

/**
 * Renders coupon summaries as a table.
 *
 * @param summaries - Coupons with counts.
 */
export function couponsTable(summaries: readonly CouponSummary[]): string {
  if (summaries.length === 0) return "No coupons.\n";
  return renderTable(
    [
      { header: "COUPON" },
      { header: "CODES", right: true },
      { header: "UNASSIGNED", right: true },
      { header: "ASSIGNED", right: true },
      { header: "USED", right: true },
      { header: "DESCRIPTION" },
    ],
    summaries.map((s) => [
      s.couponId,
      count(s.total),
      count(s.unassigned),
      count(s.counts.ASSIGNED_TO_PROFILE),
      count(s.counts.USED),
      s.description ?? "",
    ]),
  );
}

/**
 * Runs the subcommand.
 *
 * @param argv - Arguments after `coupons`.
 * @param io - Streams and environment.
 * @param secrets - Collects the API key for redaction.
 * @returns The exit status.
 */
export async function runCoupons(argv: string[], io: CliIo, secrets: string[]): Promise<number> {
  const values = parseCommand(NAME, argv, { json: { type: "boolean" }, ...CONNECTION_OPTIONS });
  const { client } = connect(NAME, values, io, secrets);
  const progress = createProgress(io.stderr);
  let summaries: CouponSummary[];
  try {
    progress.update("Listing coupons");
    summaries = await summarizeCoupons(client, await listCoupons(client), progress);
  } finally {
    progress.done();
  }
  await emit(io.stdout, values.json ? JSON.stringify(summaries, null, 2) + "\n" : couponsTable(summaries));
  return EXIT.ok;
}
