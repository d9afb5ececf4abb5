/**
 * Footprint: state bytes per code (as the engine simulator holds it, and as a state file would hold it
 * with the secrets really encrypted), and a control for the host's memory: the same SDK host running a
 * no-op dynamic provider on the same inputs, which shows what the SDK itself needs for that many codes.
 */
import { readStrings } from "../provider/packedStrings";
import { createCipheriv, randomBytes } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { captureProviderText } from "../testkit/harness/captureProvider";
import { EngineSimulator, secret } from "../testkit/harness/engine";
import { makeProjectDir } from "../testkit/harness/projectDir";
import { SECRET_SIG, SIG_KEY } from "../testkit/harness/secrets";
import { procMemory, sampleRss } from "./procStats";
import { benchCodes, type BenchStack } from "./stack";

/** State size figures for one batch. */
export interface StateSize {
  codes: number;
  codeLength: number;
  /** inputs + outputs as compact JSON, secrets in plaintext (what the engine simulator holds). */
  plainBytes: number;
  /** The same with every secret replaced by real AES-256-GCM ciphertext in Pulumi's `v1:` form. */
  encryptedBytes: number;
  /** The encrypted form pretty-printed with 4-space indentation, as state files are written. */
  encryptedIndentedBytes: number;
  /** Bytes of the two `codes` values alone, plaintext and encrypted. */
  codesPlainBytes: number;
  codesEncryptedBytes: number;
}

const KEY = randomBytes(32);

/** `dynamic.Resource` is abstract; the control needs a concrete, empty subclass. */
class NoopResource extends pulumi.dynamic.Resource {}

/**
 * Encrypts a value as Pulumi's passphrase secrets manager does: AES-256-GCM over the JSON text with a
 * 12-byte nonce, stored as `v1:<base64 nonce>:<base64 ciphertext+tag>` inside a secret signature object.
 */
function encrypt(value: unknown): Record<string, string> {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", KEY, nonce);
  const body = Buffer.concat([
    cipher.update(JSON.stringify(value), "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return { [SIG_KEY]: SECRET_SIG, ciphertext: `v1:${nonce.toString("base64")}:${body.toString("base64")}` };
}

function withSecretsEncrypted(props: Record<string, unknown>, secretKeys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...props };
  for (const key of secretKeys) if (key in copy) copy[key] = encrypt(copy[key]);
  return copy;
}

/** Measures the state of `name`. */
export function stateSize(stack: BenchStack, name: string): StateSize {
  const s = stack.engine.state(name);
  if (!s) throw new Error(`no ${name} in state`);
  const codes = readStrings(s.outputs.codes);
  if (!codes) throw new Error(`${name} stores no codes`);
  const bytes = (v: unknown, indent?: number) => Buffer.byteLength(JSON.stringify(v, null, indent));
  const encInputs = withSecretsEncrypted(s.inputs, s.secretKeys);
  const encOutputs = withSecretsEncrypted(s.outputs, s.secretKeys);
  const resource = {
    urn: s.urn,
    custom: true,
    id: s.id,
    type: s.type,
    inputs: encInputs,
    outputs: encOutputs,
  };
  return {
    codes: codes.length,
    codeLength: codes[0]?.length ?? 0,
    plainBytes: bytes(s.inputs) + bytes(s.outputs),
    encryptedBytes: bytes(encInputs) + bytes(encOutputs),
    encryptedIndentedBytes: bytes(resource, 4),
    codesPlainBytes: bytes(s.inputs.codes) + bytes(s.outputs.codes),
    codesEncryptedBytes: bytes(encInputs.codes) + bytes(encOutputs.codes),
  };
}

/** Host memory of the SDK's dynamic-provider host running a no-op provider on `count` secret codes. */
export interface SdkControl {
  codes: number;
  idleRss: number;
  peak: number;
  wallMs: number;
}

/** Runs the control: check + create of a no-op dynamic resource with the same kind of inputs. */
export async function sdkMemoryControl(
  count: number,
  startHost: typeof import("../testkit/harness/providerHost").startProviderHost,
): Promise<SdkControl> {
  const noop = {
    async check(_olds: unknown, news: Record<string, unknown>) {
      return { inputs: news };
    },
    async create(inputs: Record<string, unknown>) {
      return { id: "noop", outs: { ...inputs } };
    },
  };
  const text = await captureProviderText(() => new NoopResource(noop as any, "noop", { codes: ["A"] }));
  const project = await makeProjectDir();
  const host = await startHost({ cwd: project.dir, project: project.project, rpcTimeoutMs: 600_000 });
  try {
    const engine = new EngineSimulator(host, { provider: text, project: project.project });
    await engine.configure({ "klaviyo:unused": "x" });
    const idleRss = procMemory(host.pid)?.rss ?? NaN;
    const sampler = sampleRss(host.pid, 20);
    const started = Date.now();
    await engine.up(
      "noop",
      "pulumi-nodejs:dynamic:Resource",
      { codes: secret(benchCodes("N", count)) },
      {
        additionalSecretOutputs: ["codes"],
      },
    );
    const wallMs = Date.now() - started;
    const mem = sampler.stop();
    return { codes: count, idleRss, peak: Math.max(mem.maxSampled, mem.hwm), wallMs };
  } finally {
    await host.stop();
    await project.cleanup();
  }
}
