/**
 * Progress lines for long operations. Dynamic providers cannot update Pulumi's status line,
 * and console output from the host is shown by the CLI as plain lines, so we print a bounded
 * number of lines (at most one per second, plus the final one).
 */

/** A progress reporter for one long operation. */
export interface Progress {
  /** Reports progress; prints when enough time has passed or when `force` is set. */
  update(message: string, force?: boolean): void;
}

/** Creates a reporter that prefixes lines with `label`; `sink` defaults to console.log. */
export function createProgress(
  label: string,
  sink: (line: string) => void = console.log,
  minIntervalMs = 1000,
): Progress {
  let last = 0;
  return {
    update(message, force = false) {
      const now = Date.now();
      if (!force && now - last < minIntervalMs) return;
      last = now;
      sink(`[klaviyo] ${label}: ${message}`);
    },
  };
}
