/**
 * The machine the benchmark ran on, and what else used its CPUs while each benchmark ran (from
 * `/proc/<pid>/stat`, so short-lived and long-lived processes alike are charged for the CPU they used).
 */
import { readdirSync, readFileSync } from "fs";
import * as os from "os";

/** Static facts about the machine and run. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramBytes: number;
  node: string;
  os: string;
  date: string;
}

/** Reads the machine description. */
export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpuModel = m[1].trim();
  } catch {
    // Not Linux: os.cpus() is good enough.
  }
  return {
    cpuModel,
    cores: os.cpus().length,
    ramBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    date: new Date().toISOString(),
  };
}

interface ProcSample {
  pid: number;
  ppid: number;
  cpuTicks: number;
  /** Start time in ticks since boot: with the pid, identifies a process across samples. */
  started: number;
  command: string;
  kernel: boolean;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function readProcs(): Map<number, ProcSample> {
  const out = new Map<number, ProcSample>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command may contain spaces and parentheses: fields resume after the last ")".
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      const ppid = Number(fields[1]);
      const cpuTicks = Number(fields[11]) + Number(fields[12]);
      const started = Number(fields[19]);
      let command = stat.slice(stat.indexOf("(") + 1, close);
      let kernel = true; // kernel threads have an empty command line
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
        if (cmdline) {
          command = cmdline;
          kernel = false;
        }
      } catch {
        // Keep the short name.
      }
      out.set(Number(entry), { pid: Number(entry), ppid, cpuTicks, started, command, kernel });
    } catch {
      // The process exited while we looked.
    }
  }
  return out;
}

function ownPids(procs: Map<number, ProcSample>): Set<number> {
  const own = new Set<number>([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs.values()) {
      if (!own.has(p.pid) && own.has(p.ppid)) {
        own.add(p.pid);
        grew = true;
      }
    }
  }
  // Our parents (npm, the shell) are idle while we run; count them as ours too.
  let parent = procs.get(process.pid)?.ppid;
  while (parent !== undefined && parent > 1 && !own.has(parent)) {
    own.add(parent);
    parent = procs.get(parent)?.ppid;
  }
  return own;
}

/** Background CPU use during one benchmark. */
export interface Background {
  seconds: number;
  loadStart: number[];
  loadEnd: number[];
  /** CPU-seconds per wall second used by processes that are not part of the benchmark. */
  otherCores: number;
  /** CPU-seconds per wall second used by the benchmark's own processes. */
  ownCores: number;
  /** The busiest other processes (CPU-seconds during the benchmark). */
  top: Array<{ pid: number; cpuSeconds: number; command: string }>;
}

/** Starts watching; `stop()` reports the CPU other processes used since. */
export function watchBackground(): { stop(): Background } {
  const started = Date.now();
  const loadStart = os.loadavg();
  const before = readProcs();
  const ownAtStart = ownPids(before);
  return {
    stop() {
      const after = readProcs();
      const own = ownPids(after);
      for (const pid of ownAtStart) own.add(pid);
      const seconds = (Date.now() - started) / 1000;
      let other = 0;
      let mine = 0;
      const top: Background["top"] = [];
      for (const p of after.values()) {
        const prior = before.get(p.pid);
        const ticks = p.cpuTicks - (prior && prior.started === p.started ? prior.cpuTicks : 0);
        if (ticks <= 0) continue;
        const cpuSeconds = ticks / TICKS_PER_SECOND;
        if (own.has(p.pid)) {
          mine += cpuSeconds;
          continue;
        }
        other += cpuSeconds;
        top.push({
          pid: p.pid,
          cpuSeconds,
          command: (p.kernel ? "[kernel] " : "") + p.command.slice(0, 140),
        });
      }
      top.sort((a, b) => b.cpuSeconds - a.cpuSeconds);
      return {
        seconds,
        loadStart,
        loadEnd: os.loadavg(),
        otherCores: seconds > 0 ? other / seconds : 0,
        ownCores: seconds > 0 ? mine / seconds : 0,
        top: top.filter((t) => t.cpuSeconds >= 0.5).slice(0, 5),
      };
    },
  };
}
