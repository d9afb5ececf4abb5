/**
 * Command line entry point: `npm run emulator -- --port 4010`. Prints exactly one line,
 * `Klaviyo emulator listening on http://127.0.0.1:<port>`, and serves until SIGINT/SIGTERM.
 */
import { startEmulator } from "./index";
import type { CouponDeleteMode, EmulatorOptions, JobLatencySettings } from "./types";

const USAGE = `Usage: emulator [options]
  --port N                       TCP port (0 picks a free one; default 4010)
  --host H                       interface to bind (default 127.0.0.1)
  --api-key K                    accepted private API key (repeatable; default the test key)
  --no-rate-limits               disable rate limiting
  --rate-limit-scale N           multiply every rate limit by N
  --job-queued-ms N              minimum time a bulk job stays queued
  --job-processing-ms-per-job N  fixed processing time per job
  --job-processing-ms-per-code N processing time per coupon code
  --job-concurrency N            jobs processed in parallel
  --coupon-delete MODE           cascade | refuse-with-codes
  --max-coupons N                account coupon limit (default 500)`;

const JOB_FLAGS: Record<string, keyof JobLatencySettings> = {
  "--job-queued-ms": "queuedMs",
  "--job-processing-ms-per-job": "processingMsPerJob",
  "--job-processing-ms-per-code": "processingMsPerCode",
  "--job-concurrency": "concurrency",
};

/** Parses command line arguments into emulator options (throws on unknown or malformed flags). */
export function parseArgs(argv: string[]): EmulatorOptions {
  const options: EmulatorOptions = { port: 4010 };
  const apiKeys: string[] = [];
  const jobs: Partial<JobLatencySettings> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    const number = () => {
      const text = value();
      const parsed = Number(text);
      if (text.trim() === "" || !Number.isFinite(parsed))
        throw new Error(`${flag} needs a number, got '${text}'`);
      return parsed;
    };
    if (flag === "--port") options.port = number();
    else if (flag === "--host") options.host = value();
    else if (flag === "--api-key") apiKeys.push(value());
    else if (flag === "--no-rate-limits") options.rateLimits = { ...options.rateLimits, enabled: false };
    else if (flag === "--rate-limit-scale") options.rateLimits = { ...options.rateLimits, scale: number() };
    else if (flag in JOB_FLAGS) jobs[JOB_FLAGS[flag]] = number();
    else if (flag === "--coupon-delete") options.couponDelete = value() as CouponDeleteMode;
    else if (flag === "--max-coupons") options.limits = { maxCoupons: number() };
    else throw new Error(`unknown option '${flag}'`);
  }
  if (apiKeys.length > 0) options.apiKeys = apiKeys;
  if (Object.keys(jobs).length > 0) options.jobs = jobs;
  return options;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let options: EmulatorOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`emulator: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const emulator = await startEmulator(options);
  process.stdout.write(`Klaviyo emulator listening on ${emulator.url}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void emulator.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
