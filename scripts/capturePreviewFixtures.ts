/**
 * Regenerates `tests/fixtures/preview/*.json`, the real `pulumi preview --json` outputs the
 * `klaviyo-coupons review` specs read:
 *
 *   npx ts-node --transpile-only scripts/capturePreviewFixtures.ts
 *
 * Runs like the acceptance suite (the real Pulumi CLI, found or built, with a throwaway local stack
 * against the emulator, whose default API key keys the removed-code tags the `--live` spec matches).
 * One stack is applied once and given held codes, then each scenario is previewed from that state.
 * `__provider`, `stackTrace` and `sourcePosition` are dropped to keep the files small; codes are
 * `"[secret]"` in the preview, so none is written.
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as path from "path";
import { liveCodes, loadPackage, startRealStack, type RealStack } from "../tests/acceptance/realEngine";

const OUT = path.join(__dirname, "..", "tests", "fixtures", "preview");
const DROP = new Set(["__provider", "stackTrace", "sourcePosition"]);

/** What the program declares; each scenario changes a copy of {@link initial}. */
interface Declared {
  couponA: boolean;
  externalIdA: string;
  listed: null | { codes: string[]; expiresAt: string; onCouponB: boolean };
  generatedCount: number | null;
  derived: boolean;
}

const listed = (names: string[]) => names.map((n) => `RVW-${n}`);

function initial(): Declared {
  return {
    couponA: true,
    externalIdA: "RVWA",
    listed: {
      codes: listed(["L00", "L01", "L02", "L03", "L04", "L05", "L06", "L07", "L08", "L09"]),
      expiresAt: "2031-01-01T00:00:00Z",
      onCouponB: false,
    },
    generatedCount: 20,
    derived: true,
  };
}

let declared = initial();

/** Two coupons; on A (lowBalanceThreshold 20) listed, generated and derived (codes unknown in a preview) batches. */
function program(): Promise<Record<string, never>> {
  const klaviyo = loadPackage();
  const b = new klaviyo.Coupon("couponB", { externalId: "RVWB", description: "Review B" });
  if (!declared.couponA) return Promise.resolve({});
  const a = new klaviyo.Coupon("couponA", {
    externalId: declared.externalIdA,
    description: "Review A",
    lowBalanceThreshold: 20,
  });
  if (declared.listed) {
    const { codes, expiresAt, onCouponB } = declared.listed;
    new klaviyo.CouponCodeBatch("listed", { couponId: (onCouponB ? b : a).couponId, codes, expiresAt });
  }
  if (declared.generatedCount !== null) {
    const generate = { count: declared.generatedCount, length: 8, prefix: "G-" };
    new klaviyo.CouponCodeBatch("generated", { couponId: a.couponId, generate });
  }
  if (declared.derived) {
    new klaviyo.CouponCodeBatch("derived", {
      couponId: a.couponId,
      codes: a.couponId.apply((id) => [0, 1, 2].map((i) => `${id}-D${i}`)),
      deletePolicy: "fail-if-assigned",
    });
  }
  return Promise.resolve({});
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== "object") return value;
  const kept = Object.entries(value).filter(([key]) => !DROP.has(key));
  return Object.fromEntries(kept.map(([key, v]) => [key, strip(v)]));
}

/** Previews `change(initial())` with `--json` (the Automation API has no such option: its CLI call is wrapped). */
async function capture(real: RealStack, name: string, change: (d: Declared) => void, extra: string[] = []) {
  declared = initial();
  change(declared);
  const workspace = real.throwaway.stack.workspace as unknown as { _pulumiCommand: Record<string, any> };
  const cli = workspace._pulumiCommand;
  workspace._pulumiCommand = {
    command: cli.command,
    version: cli.version,
    run: (args: string[], ...rest: unknown[]) =>
      cli.run(args[0] === "preview" ? [...args, "--json", ...extra] : args, ...rest),
  };
  try {
    const result = await real.throwaway.stack.preview({});
    const json = JSON.stringify(strip(JSON.parse(result.stdout)), null, 2);
    fs.writeFileSync(path.join(OUT, `${name}.json`), json + "\n");
    console.log(`wrote ${path.relative(process.cwd(), path.join(OUT, `${name}.json`))}`);
  } finally {
    workspace._pulumiCommand = cli;
    declared = initial();
  }
}

/** Applies the stack, then gives profiles five codes on A (as the `--live` spec seeds them). */
async function applyWithHeldCodes(real: RealStack): Promise<void> {
  await real.throwaway.stack.up({ onOutput: real.onOutput });
  const { control } = real.emulator;
  control.assignCode("RVWA-RVW-L00", "PROFILE-L00");
  control.markCodeUsed("RVWA-RVW-L01");
  control.assignCode("RVWA-RVWA-D0", "PROFILE-D0");
  const codes = [...(await liveCodes(real.emulator, "RVWA")).keys()];
  for (const code of codes.filter((c) => c.startsWith("G-")).slice(0, 2)) {
    control.assignCode(`RVWA-${code}`, `PROFILE-${code}`);
  }
  // statusCounts, the held counts `review` reads without --live, are stored by refresh.
  await real.throwaway.stack.refresh({ onOutput: real.onOutput });
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const real = await startRealStack({ projectName: "klaviyo-review", program });
  try {
    await capture(real, "create", () => undefined);
    await applyWithHeldCodes(real);
    await capture(real, "update", (d) => {
      const codes = [...listed(["L03", "L04", "L05", "L06", "L07", "L08", "L09"]), ...listed(["N00", "N01"])];
      d.listed = { codes, expiresAt: "2032-01-01T00:00:00Z", onCouponB: false };
      d.generatedCount = 30;
    });
    await capture(real, "generated-lowered", (d) => (d.generatedCount = 5), ["--show-sames"]);
    await capture(real, "delete", (d) => Object.assign(d, { listed: null, derived: false }));
    await capture(real, "replace", (d) => (d.externalIdA = "RVWC"));
    await capture(real, "move", (d) => d.listed && (d.listed.onCouponB = true));
    await capture(real, "coupon-delete", (d) => (d.couponA = false));
  } finally {
    const problems = await real.close();
    if (problems.length > 0) console.error(problems.join("\n"));
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
