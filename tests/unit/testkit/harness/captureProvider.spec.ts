import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import requireFromString = require("require-from-string");
import {
  captureProvider,
  captureProviderText,
  serializeProviderText,
} from "../../../../testkit/harness/captureProvider";
import { remoteProvider } from "../../../../testkit/harness/fixtures/providers";
import {
  ECHO_TYPE,
  HarnessBroken,
  HarnessEcho,
  HarnessThing,
  THING_TYPE,
} from "../../../../testkit/harness/fixtures/resources";

describe("captureProvider", () => {
  describe("captureProviderText", () => {
    it("returns the same text serializeProviderText produces for the resource's provider", async () => {
      const captured = await captureProviderText(() => new HarnessThing("same", { name: "same" }));
      assert.strictEqual(captured, await serializeProviderText(remoteProvider));
    });

    it("returns text that loads into a provider with the fixture's handlers", async () => {
      const text = await captureProviderText(() => new HarnessThing("load", { name: "load" }));
      const provider = requireFromString(text).handler();
      assert.deepStrictEqual(Object.keys(provider).sort(), [
        "check",
        "configure",
        "create",
        "delete",
        "diff",
        "read",
        "update",
      ]);
    });

    it("gives each of several overlapping captures its own resource's text", async () => {
      const [thing, echo] = await Promise.all([
        captureProvider(() => new HarnessThing("t", { name: "t" })),
        captureProvider(() => new HarnessEcho("e", { key: "k" })),
      ]);
      assert.deepStrictEqual([thing.type, thing.name], [THING_TYPE, "t"]);
      assert.deepStrictEqual([echo.type, echo.name], [ECHO_TYPE, "e"]);
      assert.notStrictEqual(thing.text, echo.text);
      assert.strictEqual(echo.inputs.key, "k");
      assert.strictEqual(echo.secret, false);
    });

    it("rejects with the SDK's explanation when the provider cannot be serialized", async () => {
      await assert.rejects(
        captureProviderText(() => new HarnessBroken("broken"), { timeoutMs: 20000 }),
        /failed to serialize the provider:[\s\S]*__provider/,
      );
    });

    it("times out with a clear error when construct registers no dynamic resource", async () => {
      await assert.rejects(
        captureProviderText(() => undefined, { timeoutMs: 200 }),
        /no dynamic resource registered within 200 ms/,
      );
    });

    it("rejects with the constructor's error when construct throws", async () => {
      const props = { name: "dup", __provider: "already set" } as unknown as { name: string };
      await assert.rejects(
        captureProviderText(() => new HarnessThing("dup", props)),
        /must not define the __provider key/,
      );
    });

    it("puts previously installed mocks back so other specs keep their own", async () => {
      const seen: string[] = [];
      await pulumi.runtime.setMocks(
        {
          newResource: (args) => {
            seen.push(args.name);
            return { id: "theirs", state: args.inputs };
          },
          call: (args) => args.inputs,
        },
        "their-project",
        "their-stack",
      );
      await captureProviderText(() => new HarnessEcho("ours", { key: "ours" }));
      const theirs = new HarnessEcho("theirs", { key: "theirs" });
      assert.strictEqual(await new Promise((resolve) => theirs.id.apply(resolve)), "theirs");
      assert.deepStrictEqual(seen, ["theirs"]);
      assert.strictEqual(pulumi.getProject(), "their-project");
    });
  });

  describe("captureProvider", () => {
    it("reports the text as secret and unwrapped when the provider captured a secret", async () => {
      const leaky = { token: pulumi.secret("captured-secret"), create: remoteProvider.create };
      class Leaky extends pulumi.dynamic.Resource {
        constructor(name: string) {
          super(leaky, name, {}, undefined, "harness", "Leaky");
        }
      }
      const captured = await captureProvider(() => new Leaky("leaky"));
      assert.strictEqual(captured.secret, true);
      assert.match(captured.text, /^exports\.handler/);
      assert.ok(captured.text.includes("captured-secret"));
    });
  });

  describe("serializeProviderText", () => {
    it("serializes a provider object directly", async () => {
      const text = await serializeProviderText(remoteProvider);
      assert.strictEqual(typeof requireFromString(text).handler().create, "function");
    });
  });
});
