/**
 * What the `klaviyo-coupons review` specs share: the real previews in `tests/fixtures/preview/`, the
 * command run in-process on a document piped to stdin, and the cells of one row of its table.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { main } from "../bin/klaviyoCoupons";
import type { ReviewIo } from "../bin/reviewCommand";
import { REPO_ROOT, type RunResult } from "./cliTestKit";

/** Real `pulumi preview --json` outputs (Pulumi CLI v3.274) of one stack, `__provider` dropped. */
export const PREVIEW_FIXTURES = path.join(REPO_ROOT, "tests", "fixtures", "preview");

/** A preview document, loosely typed so specs can edit steps. */
export type PreviewDoc = { steps: Array<Record<string, any>> };

/** A fixture, freshly parsed (each call may be edited). */
export function previewFixture(name: string): PreviewDoc {
  return JSON.parse(fs.readFileSync(path.join(PREVIEW_FIXTURES, `${name}.json`), "utf8")) as PreviewDoc;
}

/** The step of the resource named `name`. */
export function previewStep(doc: PreviewDoc, name: string): Record<string, any> {
  const found = doc.steps.find((s) => String(s.urn).endsWith(`::${name}`));
  assert.ok(found, `no step ${name}`);
  return found;
}

/**
 * Runs `review - ...args` in-process with `doc` (an object or raw text) on stdin; `env` is all the
 * environment it sees, `tty` makes stderr claim to be a terminal.
 */
export async function runReview(
  doc: unknown,
  args: string[] = [],
  options: { env?: Record<string, string>; tty?: boolean } = {},
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const io: ReviewIo = {
    stdout: { write: (s: string) => ((stdout += s), true) },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: options.tty === true },
    env: options.env ?? {},
    stdin: Readable.from([typeof doc === "string" ? doc : JSON.stringify(doc)]),
  };
  const code = await main(["review", "-", ...args], io);
  return { code, stdout, stderr };
}

/** The cells of the summary's row of a resource (`Coupon x` or `CouponCodeBatch x`). */
export function reviewRow(stdout: string, resource: string): string[] {
  const line = stdout.split("\n").find((l) => l.startsWith(`| ${resource} |`));
  assert.ok(line, `no row for ${resource} in:\n${stdout}`);
  return line
    .slice(2, -2)
    .split(/ (?<!\\)\| /)
    .map((c) => c.trim());
}
