/**
 * Process-level helpers for the provider host: orphan cleanup at exit, and waiting for output.
 *
 * @packageDocumentation
 */
import { ChildProcess } from "child_process";

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Registers a host process to be SIGKILLed when the test process exits, so a crashed or
 * interrupted test leaves no host behind holding a port.
 */
export function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  child.once("error", () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of liveChildren) {
        try {
          c.kill("SIGKILL");
        } catch {
          // Already gone: nothing to clean up.
        }
      }
    });
  }
}

/**
 * Resolves with the first line in `lines` matching `pattern`, re-checking whenever a waiter in
 * `waiters` is notified; rejects on timeout or once the process has stopped without a match.
 */
export function waitForLine(
  lines: string[],
  waiters: Set<() => void>,
  pattern: RegExp | string,
  timeoutMs: number,
  running: () => boolean,
): Promise<string> {
  const matches = (l: string) => (typeof pattern === "string" ? l.includes(pattern) : pattern.test(l));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(
        new Error(`no host output matched ${pattern} within ${timeoutMs} ms; output:\n${lines.join("\n")}`),
      );
    }, timeoutMs);
    timer.unref();
    function check() {
      const hit = lines.find(matches);
      if (hit === undefined && running()) return;
      waiters.delete(check);
      clearTimeout(timer);
      if (hit !== undefined) resolve(hit);
      else reject(new Error(`host exited before printing ${pattern}; output:\n${lines.join("\n")}`));
    }
    waiters.add(check);
    check();
  });
}
