/**
 * The `--help` text of `klaviyo-emulator`. tests/integration/emulator/cli.spec.ts runs every curl command of the tour,
 * in order, against a fresh emulator, so each one must keep answering 2xx.
 */
import { CLI_OPTIONS, DEFAULT_CLI_PORT } from "./cliOptions";
import { DEFAULT_TEST_API_KEY } from "./config";

/** The command's name, as the package's `bin` installs it. */
export const PROGRAM = "klaviyo-emulator";

// The emulator accepts any well-formed revision; this is the one whose spec it implements.
const REVISION = "2026-07-15";

const BASE_URL = `http://127.0.0.1:${DEFAULT_CLI_PORT}`;
const KEY = `-H 'Authorization: Klaviyo-API-Key ${DEFAULT_TEST_API_KEY}'`;
const REV = `-H 'revision: ${REVISION}'`;
const JSON_API = "-H 'Content-Type: application/vnd.api+json'";

/** The curl tour: comment lines and commands, in the order they must run. */
const TOUR: string[][] = [
  [
    "# 1. Create a coupon (201)",
    `curl -sS -X POST ${BASE_URL}/api/coupons \\`,
    `  ${KEY} \\`,
    `  ${REV} ${JSON_API} \\`,
    `  -d '{"data":{"type":"coupon","attributes":{"external_id":"SPRING10","description":"10% off"}}}'`,
  ],
  ["# 2. List coupons", `curl -sS ${BASE_URL}/api/coupons \\`, `  ${KEY} \\`, `  ${REV}`],
  [
    "# 3. Upload codes with a bulk job (202); the response's data.id is the job id",
    `curl -sS -X POST ${BASE_URL}/api/coupon-code-bulk-create-jobs \\`,
    `  ${KEY} \\`,
    `  ${REV} ${JSON_API} \\`,
    `  -d '{"data":{"type":"coupon-code-bulk-create-job","attributes":{"coupon-codes":{"data":[`,
    `      {"type":"coupon-code",`,
    `       "attributes":{"unique_code":"SPR-0001"},`,
    `       "relationships":{"coupon":{"data":{"type":"coupon","id":"SPRING10"}}}},`,
    `      {"type":"coupon-code",`,
    `       "attributes":{"unique_code":"SPR-0002","expires_at":"2027-06-30T23:59:59Z"},`,
    `       "relationships":{"coupon":{"data":{"type":"coupon","id":"SPRING10"}}}}`,
    "    ]}}}}'",
  ],
  [
    '# 4. Poll the job until attributes.status is "complete" (about 0.3 s); first set',
    "#    JOB_ID=<the data.id of the response to step 3>",
    `curl -sS "${BASE_URL}/api/coupon-code-bulk-create-jobs/$JOB_ID" \\`,
    `  ${KEY} \\`,
    `  ${REV}`,
  ],
  [
    "# 5. List the coupon's unassigned codes (-G --data-urlencode puts the filter in the query string)",
    `curl -sS -G ${BASE_URL}/api/coupon-codes \\`,
    `  ${KEY} \\`,
    `  ${REV} \\`,
    `  --data-urlencode 'filter=and(equals(coupon.id,"SPRING10"),equals(status,"UNASSIGNED"))' \\`,
    "  --data-urlencode 'page[size]=20'",
  ],
  [
    "# 6. Control: assign a code to a profile, as a Klaviyo flow would (code id: <coupon id>-<code>)",
    `curl -sS -X POST ${BASE_URL}/__emulator/codes/SPRING10-SPR-0001/assign \\`,
    `  -H 'Content-Type: application/json' -d '{"profileId":"01PROFILE"}'`,
  ],
  [
    "# 7. Control: inspect the state (counts of coupons, codes, jobs and API requests)",
    `curl -sS ${BASE_URL}/__emulator/counts`,
  ],
  [
    "# 8. Control: start over (clears all state: coupons, codes, jobs, faults, the request log)",
    `curl -sS -X POST ${BASE_URL}/__emulator/reset`,
  ],
];

function optionLines(): string[] {
  const rows: Array<[string, string]> = CLI_OPTIONS.map((option) => [
    option.placeholder ? `${option.flag} ${option.placeholder}` : option.flag,
    option.help,
  ]);
  rows.push(
    ["-h, --help", "print this help and exit"],
    ["--version", `print "${PROGRAM} <version>" and exit`],
  );
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}

/** The full `--help` text, ending with a newline. */
export function helpText(): string {
  return [
    `Usage: ${PROGRAM} [options]`,
    "",
    `A stateful, in-memory emulator of Klaviyo's Coupons API (revision ${REVISION}) for tests and`,
    "local Pulumi stacks. It prints one line,",
    "  Klaviyo emulator listening on http://127.0.0.1:<port>",
    "then serves until Ctrl-C or SIGTERM. Its state lives in memory only and is gone when it stops.",
    "",
    "Options (--flag value or --flag=value):",
    ...optionLines(),
    "",
    `Base URL:      ${BASE_URL} by default (http://<host>:<port>)`,
    `Test API key:  ${DEFAULT_TEST_API_KEY} (accepted unless --api-key is given)`,
    "API requests need the headers 'Authorization: Klaviyo-API-Key <key>' and",
    `'revision: ${REVISION}', plus 'Content-Type: application/vnd.api+json' when they have a body.`,
    "Control requests under /__emulator/ need no key, are not rate limited and take and return JSON.",
    "",
    "Point a Pulumi stack at it:",
    `  pulumi config set klaviyo:baseUrl ${BASE_URL}`,
    `  pulumi config set --secret klaviyo:apiKey ${DEFAULT_TEST_API_KEY}`,
    "",
    `Tour (POSIX shell; run the steps in order against a fresh '${PROGRAM}'):`,
    ...TOUR.flatMap((step) => ["", ...step.map((line) => `  ${line}`)]),
    "",
    "More control endpoints (UI coupons, faults, forced job outcomes, settings, the request log) are",
    "described in the emulator's README, emulator/README.md.",
    "",
  ].join("\n");
}
