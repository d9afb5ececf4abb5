/**
 * Helpers for the command-line specs: fake streams for in-process runs, a real-process runner, and an
 * independent RFC 4180 CSV reader to check exports against.
 */
import { spawn } from "child_process";
import * as path from "path";
import { main, type CliIo } from "../bin/klaviyoCoupons";

/** Root of the repository. */
export const REPO_ROOT = path.resolve(__dirname, "..");

/** What one run produced. */
export interface RunResult {
  /** Exit status. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/**
 * Runs `main` in-process with captured streams.
 *
 * @param argv - Arguments after the program name.
 * @param env - Environment the command sees (nothing else from the process is visible).
 * @param options - `tty` makes stderr claim to be a terminal; `cwd` for relative key files.
 */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  options: { tty?: boolean; cwd?: string } = {},
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: options.tty === true },
    env,
    cwd: options.cwd,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/**
 * Runs the command as a real process.
 *
 * @param entry - `"source"` runs `bin/klaviyoCoupons.ts` through ts-node; otherwise a path to a `.js` file.
 * @param argv - Arguments.
 * @param env - Extra environment (PATH and the like are inherited; KLAVIYO_* are cleared first).
 */
export function runProcess(
  entry: "source" | string,
  argv: string[],
  env: Record<string, string>,
): Promise<RunResult> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith("KLAVIYO_")) delete base[k];
  const nodeArgs =
    entry === "source"
      ? ["-r", "ts-node/register", path.join(REPO_ROOT, "bin", "klaviyoCoupons.ts"), ...argv]
      : [entry, ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, {
      cwd: REPO_ROOT,
      env: { ...base, TS_NODE_TRANSPILE_ONLY: "true", TS_NODE_PROJECT: "tsconfig.json", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGTERM"), 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
}

/**
 * Reads RFC 4180 CSV (quoted fields, doubled quotes, embedded newlines). Written independently of
 * the exporter so the round trip means something.
 *
 * @param text - CSV text, records ending in `\n` or `\r\n`.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      if (c === "\r") i++;
    } else field += c;
    i++;
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
