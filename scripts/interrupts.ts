/**
 * Ctrl-C handling for `npm start`: the first interrupt asks for an orderly stop (finish the current
 * Pulumi command, then clean up), the second exits at once.
 *
 * The terminal delivers Ctrl-C to the whole process group, so a running `pulumi` child receives it
 * directly and cancels itself; forwarding it again would make Pulumi terminate without saving state.
 *
 * @packageDocumentation
 */

/** A watcher installed for the duration of a run. */
export interface Interrupts {
  /** True once an interrupt arrived. */
  readonly received: boolean;
  /** Resolves at the first interrupt (at once if one already arrived). Keeps the process alive meanwhile. */
  next(): Promise<void>;
  /** Removes the handlers. */
  dispose(): void;
}

/** Options of {@link watchInterrupts}. */
export interface InterruptOptions {
  /** Printed at the first interrupt. */
  onFirst: (signal: NodeJS.Signals) => void;
  /** Called at the second interrupt, instead of the default `process.exit(130)`. */
  onSecond?: (signal: NodeJS.Signals) => void;
}

/** Installs SIGINT/SIGTERM handlers. */
export function watchInterrupts(options: InterruptOptions): Interrupts {
  let count = 0;
  const waiters: Array<() => void> = [];
  const handler = (signal: NodeJS.Signals) => {
    count += 1;
    if (count === 1) {
      options.onFirst(signal);
      waiters.splice(0).forEach((wake) => wake());
    } else if (options.onSecond) {
      options.onSecond(signal);
    } else {
      process.exit(130);
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    get received() {
      return count > 0;
    },
    next() {
      if (count > 0) return Promise.resolve();
      // Signal handlers do not keep Node running; this timer does, until the interrupt comes.
      const keepAlive = setInterval(() => undefined, 60_000);
      return new Promise<void>((resolve) => waiters.push(resolve)).finally(() => clearInterval(keepAlive));
    },
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
