"use strict";
/**
 * Child process of the plan benchmark (plain JavaScript, so no compiler is loaded and the memory figures
 * are the handlers' own): loads the built handlers, reads the old state and the new inputs from the file
 * named on the command line, and times check + diff the way the host calls them (fresh argument objects
 * on every call, as if just deserialised). Prints one JSON line.
 *
 * Run with --expose-gc so the memory baseline is taken after a full collection.
 */
const fs = require("fs");

function status() {
  const text = fs.readFileSync("/proc/self/status", "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)[1]) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const handlers = require(job.handlers);
  // As the host does before any other call: without it, check would wait for a configure that never comes.
  handlers.configure({ config: { get: (key) => (key === "klaviyo:apiKey" ? job.apiKey : undefined) } });
  const run = async () => {
    const news = structuredClone(job.newInputs);
    const started = performance.now();
    const checked = await handlers.check(job.oldInputs, news);
    const mid = performance.now();
    const diff = await handlers.diff(job.id, job.oldOutputs, checked.inputs);
    const ended = performance.now();
    if (checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures[0])}`);
    if (diff.changes !== true) throw new Error("diff reported no changes");
    return { check: mid - started, diff: ended - mid, total: ended - started };
  };
  for (let i = 0; i < job.warmup; i++) await run();
  if (global.gc) global.gc();
  const before = status();
  // Reset the kernel's high-water mark to the current RSS (Linux >= 4.0), so VmHWM is the plan's peak.
  let reset = true;
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    reset = false;
  }
  const times = [];
  for (let i = 0; i < job.repeats; i++) times.push(await run());
  const after = status();
  process.stdout.write(
    JSON.stringify({ times, rssBefore: before.rss, hwm: after.hwm, hwmReset: reset }) + "\n",
  );
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
