import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { load } from "js-yaml";
import { REPO_ROOT } from "../../../testkit/cliTestKit";

const WORKFLOW = path.join(REPO_ROOT, "examples", "pull-request-review", "coupons-review.yml");
const FIXTURES = path.join(REPO_ROOT, "tests", "fixtures", "preview");
const CLI = path.join(REPO_ROOT, "dist", "bin", "klaviyoCoupons.js");

interface WorkflowStep {
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
}

function steps(): WorkflowStep[] {
  const workflow = load(fs.readFileSync(WORKFLOW, "utf8")) as { jobs: { review: { steps: WorkflowStep[] } } };
  return workflow.jobs.review.steps;
}

function stepNamed(name: string): WorkflowStep {
  const found = steps().find((s) => s.name === name);
  assert.ok(found?.run, `the workflow has no step "${name}" with a run script`);
  return found;
}

interface StepRun {
  code: number;
  outputs: string;
  summary: string;
  comment: string;
  npxArgs: string;
}

/**
 * Runs a step's script as GitHub runs it (`bash --noprofile --norc -eo pipefail`) in a directory holding
 * `preview.json`. `npx` is a stand-in that records its arguments and runs the built CLI without `--live`
 * (which needs the stack's account; tests/unit/bin/reviewLive.spec.ts covers it): what is under test is
 * the step's own handling of the exit status.
 */
function runStep(step: WorkflowStep, preview: string): Promise<StepRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-step-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(dir, "preview.json"), preview);
  const npx = path.join(bin, "npx");
  const stub = [
    "#!/usr/bin/env bash",
    `printf '%s ' "$@" > "${dir}/npx-args"`,
    '[ "$1" = klaviyo-coupons ] || exit 127',
    "shift",
    'args=(); for a in "$@"; do [ "$a" = --live ] || args+=("$a"); done',
    `exec "${process.execPath}" "${CLI}" "\${args[@]}"`,
  ].join("\n");
  fs.writeFileSync(npx, `${stub}\n`, { mode: 0o755 });
  const env = {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    GITHUB_OUTPUT: path.join(dir, "output"),
    GITHUB_STEP_SUMMARY: path.join(dir, "summary"),
  };
  const read = (name: string) =>
    fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), "utf8") : "";
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!],
      { cwd: dir, env },
      (err) => {
        const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
        resolve({
          code,
          outputs: read("output"),
          summary: read("summary"),
          comment: read("review.md"),
          npxArgs: read("npx-args"),
        });
        fs.rmSync(dir, { recursive: true, force: true });
      },
    );
  });
}

describe("examples/pull-request-review workflow", () => {
  before(function () {
    if (!fs.existsSync(CLI)) this.skip();
  });

  describe("Preview", () => {
    it("writes the preview as JSON and never with --show-secrets, which would put codes in it", () => {
      const run = stepNamed("Preview").run!;
      assert.match(run, /pulumi preview .*--json > preview\.json/);
      assert.doesNotMatch(run.replace(/#.*$/gm, ""), /--show-secrets/);
    });
  });

  describe("Summarise", () => {
    it("passes with status 0 and writes the comment and the job summary when the change is fine", async () => {
      const result = await runStep(
        stepNamed("Summarise"),
        fs.readFileSync(path.join(FIXTURES, "update.json"), "utf8"),
      );
      assert.equal(result.code, 0);
      assert.equal(result.npxArgs.trim(), "klaviyo-coupons review preview.json --live");
      assert.match(result.outputs, /^status=0$/m);
      assert.match(result.comment, /\| CouponCodeBatch `listed` \|/);
      assert.equal(result.summary, result.comment);
    });

    it("still passes, with status 4, when the change is dangerous, so the comment is posted before the job fails", async () => {
      const result = await runStep(
        stepNamed("Summarise"),
        fs.readFileSync(path.join(FIXTURES, "delete.json"), "utf8"),
      );
      assert.equal(result.code, 0);
      assert.match(result.outputs, /^status=4$/m);
      assert.match(result.comment, /\*\*Dangerous:\*\*/);
      const fail = stepNamed("Fail on a dangerous change");
      assert.equal(fail.if, "steps.review.outputs.status == '4'");
      assert.match(fail.run!, /exit 1/);
    });

    it("fails with the review's own status when the preview is not a preview's JSON", async () => {
      const result = await runStep(stepNamed("Summarise"), "not json");
      assert.equal(result.code, 2);
      assert.match(result.outputs, /^status=2$/m);
    });
  });

  describe("Comment on the pull request", () => {
    it("posts the review as the comment, updating the last one", () => {
      const run = stepNamed("Comment on the pull request").run!;
      assert.match(run, /gh pr comment "\$PR" --body-file review\.md --edit-last/);
    });
  });
});
