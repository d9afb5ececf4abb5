/**
 * Process memory from `/proc/<pid>/status` (Linux): current RSS, and the kernel's own high-water mark
 * (VmHWM), which catches peaks between samples.
 */
import { promises as fs, readFileSync } from "fs";

/** Memory figures of one process, in bytes. */
export interface ProcMemory {
  rss: number;
  hwm: number;
}

/** Reads VmRSS and VmHWM of `pid`; undefined when the process is gone or /proc is unavailable. */
export function procMemory(pid: number): ProcMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text);
    return m ? Number(m[1]) * 1024 : NaN;
  };
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/**
 * Resets the kernel's high-water mark of `pid` to its current RSS (Linux >= 4.0), so that VmHWM read
 * afterwards is the peak of what follows. Resolves false when the kernel refused.
 */
export function resetPeakMemory(pid: number): Promise<boolean> {
  return fs.writeFile(`/proc/${pid}/clear_refs`, "5").then(
    () => true,
    () => false,
  );
}

/** Samples a process's RSS on a timer; `stop()` returns the largest sample and the final VmHWM. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): { maxSampled: number; hwm: number } } {
  let max = procMemory(pid)?.rss ?? 0;
  const timer = setInterval(() => {
    const m = procMemory(pid);
    if (m && m.rss > max) max = m.rss;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const m = procMemory(pid);
      if (m && m.rss > max) max = m.rss;
      return { maxSampled: max, hwm: m?.hwm ?? NaN };
    },
  };
}
