import { strict as assert } from "assert";
import { EventEmitter } from "events";
import { cliError, createProgress, emit, exitCodeOf, oneLine, usageError } from "../../bin/cliIo";

describe("cliIo", () => {
  describe("emit", () => {
    it("waits for drain when the stream asks for it", async () => {
      const stream = Object.assign(new EventEmitter(), { write: () => false });
      let done = false;
      const pending = emit(stream, "x").then(() => (done = true));
      await new Promise((r) => setImmediate(r));
      assert.equal(done, false);
      stream.emit("drain");
      await pending;
      assert.equal(done, true);
    });
  });

  describe("oneLine", () => {
    it("joins lines and redacts every secret", () => {
      assert.equal(
        oneLine("bad key pk_1\n  detail pk_1", ["pk_1", ""]),
        "bad key [REDACTED] detail [REDACTED]",
      );
    });
  });

  describe("exitCodeOf", () => {
    it("reads the status of CLI errors and nothing from other errors", () => {
      assert.equal(exitCodeOf(cliError(3, "low")), 3);
      assert.equal(exitCodeOf(usageError("codes", "bad")), 2);
      assert.match(usageError("codes", "bad").message, /^bad \(see 'klaviyo-coupons codes --help'\)$/);
      assert.equal(exitCodeOf(new Error("x")), undefined);
      assert.equal(exitCodeOf("x"), undefined);
    });
  });

  describe("createProgress", () => {
    it("writes nothing when the stream is not a terminal", () => {
      let written = "";
      const p = createProgress({ write: (s: string) => (written += s) });
      p.update("a");
      p.done();
      assert.equal(written, "");
    });

    it("redraws one line and clears it on a terminal", () => {
      let written = "";
      const p = createProgress({ write: (s: string) => (written += s), isTTY: true }, 0);
      p.update("a");
      p.done();
      assert.equal(written, "\ra\u001b[K\r\u001b[K");
    });
  });
});
