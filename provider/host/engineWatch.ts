/**
 * Ties the dynamic-provider host's lifetime to the Pulumi CLI that started it.
 *
 * Why: when the CLI dies (SIGKILL, a crashed CI runner, a closed terminal), the SDK's host process is
 * orphaned and keeps running: it finishes whatever upload was under way and then serves a gRPC port
 * nobody will ever call, forever. Its results can no longer reach the state, and its requests would
 * race the user's next `pulumi up`. The host is started as `node <dynamic-provider> <engine address>`,
 * and the engine address is the CLI's own gRPC server, so a refused connection there means the CLI is
 * gone: the host then stops, as it would have if the machine had crashed.
 */
import * as net from "net";

/** How often the engine address is probed, and how many refusals in a row mean "gone". */
const PROBE_EVERY_MS = 3_000;
const REFUSALS_TO_STOP = 2;

let watching = false;

/** The engine address when this process is the SDK's dynamic-provider host, else `undefined`. */
export function engineAddressOfHost(argv: string[] = process.argv): string | undefined {
  const script = (argv[1] ?? "").replace(/\\/g, "/");
  if (!/\/cmd\/dynamic-provider(\/index\.js)?$/.test(script)) return undefined;
  const address = argv[2];
  return address && /^[\w.-]+:\d+$/.test(address) ? address : undefined;
}

/** Options of {@link startEngineWatch}. */
export interface EngineWatchOptions {
  /** `host:port` of the engine. */
  address: string;
  /** Probe interval (default 3 s). */
  everyMs?: number;
  /** Called once when the engine is gone. */
  onGone: (address: string) => void;
}

/**
 * In the SDK's dynamic-provider host, starts probing the engine address once per process and stops the
 * host when the CLI is gone (later calls do nothing). Elsewhere (tests, the library API) there is no
 * engine address and nothing starts.
 */
export function watchEngine(): void {
  const address = engineAddressOfHost();
  if (watching || !address) return;
  watching = true;
  startEngineWatch({ address, onGone: stopHost });
}

/** Probes `address` until it refuses connections twice in a row, then calls `onGone`. Returns a stop function. */
export function startEngineWatch(options: EngineWatchOptions): () => void {
  const { address } = options;
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon);
  const port = Number(address.slice(colon + 1));
  let refusals = 0;
  let probing = false;
  const timer = setInterval(() => {
    if (probing) return;
    probing = true;
    probe(host, port, (refused) => {
      probing = false;
      refusals = refused ? refusals + 1 : 0;
      if (refusals < REFUSALS_TO_STOP) return;
      clearInterval(timer);
      options.onGone(address);
    });
  }, options.everyMs ?? PROBE_EVERY_MS);
  // The gRPC server keeps the host alive; the probe alone must never do so.
  timer.unref();
  return () => clearInterval(timer);
}

/** Connects and hangs up; reports whether the connection was refused (other failures are not proof). */
function probe(host: string, port: number, done: (refused: boolean) => void): void {
  const socket = net.connect({ host, port });
  let settled = false;
  const finish = (refused: boolean) => {
    if (settled) return;
    settled = true;
    socket.destroy();
    done(refused);
  };
  socket.setTimeout(2_000, () => finish(false));
  socket.once("connect", () => finish(false));
  socket.once("error", (err: NodeJS.ErrnoException) => finish(err.code === "ECONNREFUSED"));
}

function stopHost(address: string): void {
  console.error(
    `[klaviyo] The Pulumi CLI that started this provider host (engine ${address}) is gone; stopping the host. ` +
      "Run `pulumi up` again: it finishes whatever was interrupted without duplicating codes.",
  );
  process.exit(1);
}
