/**
 * Peak memory of the processes a Pulumi command starts (Linux `/proc`): the `pulumi` CLI and the SDK's
 * dynamic-provider host run as descendants of this process; they come and go with each command, so they
 * are found by walking the process tree on every sample.
 */
import { readdirSync, readFileSync } from "fs";
import { procMemory } from "./procStats";

/** Which of the watched kinds a process is, from its command line; undefined for the others. */
export type Classify = (cmdline: string[]) => string | undefined;

/** The CLI (`pulumi`) and the provider host (Node running the SDK's `dynamic-provider`). */
export const pulumiProcesses: Classify = (cmdline) => {
  if (cmdline.some((arg) => arg.includes("dynamic-provider"))) return "providerHost";
  const exe = cmdline[0]?.split("/").pop();
  return exe === "pulumi" ? "cli" : undefined;
};

function parentOf(pid: number): number | undefined {
  try {
    // Field 4 of stat, after the parenthesised command (which may itself hold spaces or parentheses).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function descendants(root: number): number[] {
  const children: Record<number, number[]> = {};
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) (children[parent] ??= []).push(pid);
  }
  const found: number[] = [];
  const stack = [...(children[root] ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    found.push(pid);
    stack.push(...(children[pid] ?? []));
  }
  return found;
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Samples the descendants of this process every `intervalMs`; `stop()` returns, per kind, the highest
 * peak (VmHWM, which also catches peaks between samples) any process of that kind reached, in bytes.
 */
export function watchProcesses(
  classify: Classify = pulumiProcesses,
  intervalMs = 100,
): { stop(): Record<string, number> } {
  const peaks: Record<string, number> = {};
  const kinds: Record<number, string | undefined> = {};
  const sample = () => {
    for (const pid of descendants(process.pid)) {
      // Only a match is remembered: a child seen between fork and exec still shows its parent's command.
      const kind = (kinds[pid] ??= classify(commandLine(pid)));
      if (!kind) continue;
      const memory = procMemory(pid);
      // A process that is exiting has no memory lines left (NaN): it keeps the peak seen before.
      for (const bytes of memory ? [memory.hwm, memory.rss] : []) {
        if (Number.isFinite(bytes)) peaks[kind] = Math.max(peaks[kind] ?? 0, bytes);
      }
    }
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { ...peaks };
    },
  };
}
