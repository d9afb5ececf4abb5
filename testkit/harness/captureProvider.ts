/**
 * Obtains the `__provider` text a real program would store, by constructing real
 * `pulumi.dynamic.Resource`s under `pulumi.runtime.setMocks` and capturing what the SDK serialized.
 *
 * @packageDocumentation
 */
import * as pulumi from "@pulumi/pulumi";
import { snapshotMockRuntime } from "./mockRuntime";
import { isWireSecret } from "./secrets";

/** Options for {@link captureProvider}. */
export interface CaptureOptions {
  /** How long to wait for the resource to register. Default 30 s. */
  timeoutMs?: number;
  /** Project name for the mock runtime. Default `"project"`. */
  project?: string;
  /** Stack name for the mock runtime. Default `"stack"`. */
  stack?: string;
}

/** What the SDK registered for the first dynamic resource `construct` created. */
export interface CapturedProvider {
  /** The `__provider` text, unwrapped if it was secret. */
  text: string;
  /** True when the text captured a secret, so the engine must store `__provider` as a secret. */
  secret: boolean;
  /** Full type token, e.g. `pulumi-nodejs:dynamic/test:Thing`. */
  type: string;
  name: string;
  /** Every input the SDK registered (including `__provider`, possibly in secret wire form). */
  inputs: Record<string, unknown>;
}

// The runtime store is global to the process, so captures must not overlap.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `construct` (which should `new` a dynamic resource) under mocks and resolves with the
 * `__provider` string the SDK's own serializer produced for it.
 *
 * Serialization failures never reach the mocks: the SDK only logs them as unhandled rejections, and
 * mocha swallows those. So this listens for them and rejects with the SDK's explanation, or times out.
 */
export async function captureProviderText(
  construct: () => void,
  options: CaptureOptions = {},
): Promise<string> {
  return (await captureProvider(construct, options)).text;
}

/** Like {@link captureProviderText}, but also reports secrecy, type, name and all inputs. */
export function captureProvider(
  construct: () => void,
  options: CaptureOptions = {},
): Promise<CapturedProvider> {
  const run = queue.then(() => captureOnce(construct, options));
  queue = run.catch(() => undefined);
  return run;
}

/** Serializes a provider object the way `dynamic.Resource` does and returns the text. */
export async function serializeProviderText(provider: object): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}

function captureOnce(construct: () => void, options: CaptureOptions): Promise<CapturedProvider> {
  const timeoutMs = options.timeoutMs ?? 30000;
  const restore = snapshotMockRuntime();
  return new Promise<CapturedProvider>((resolve, reject) => {
    let done = false;
    const finish = (err: unknown, result?: CapturedProvider) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      restore();
      // The SDK raises one rejection per awaiting consumer; absorb the stragglers before detaching.
      setTimeout(() => process.off("unhandledRejection", onRejection), 200).unref();
      if (err) reject(err);
      else resolve(result!);
    };
    const onRejection = (reason: unknown) => {
      const message = reason instanceof Error ? reason.message : String(reason);
      if (!/__provider|serializ/i.test(message) || done) return;
      finish(new Error(`captureProviderText: the SDK failed to serialize the provider:\n${message}`));
    };
    const timer = setTimeout(
      () => finish(new Error(`captureProviderText: no dynamic resource registered within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
    process.on("unhandledRejection", onRejection);

    const mocks: pulumi.runtime.Mocks = {
      newResource(args) {
        const raw = args.inputs.__provider;
        if (!done && args.type.startsWith("pulumi-nodejs:dynamic") && raw !== undefined) {
          const secret = isWireSecret(raw);
          const text = secret ? raw.value : raw;
          if (typeof text === "string") {
            finish(undefined, { text, secret, type: args.type, name: args.name, inputs: args.inputs });
          } else {
            finish(new Error(`captureProviderText: __provider is not a string: ${JSON.stringify(raw)}`));
          }
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    };
    // Mocks are installed per capture; the SDK binds the monitor when each resource is constructed,
    // so resources created here register with these mocks even if another setMocks follows.
    void pulumi.runtime.setMocks(mocks, options.project ?? "project", options.stack ?? "stack", false);
    try {
      construct();
    } catch (err) {
      finish(err);
    }
  });
}
