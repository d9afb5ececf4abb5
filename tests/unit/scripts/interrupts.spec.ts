import { strict as assert } from "assert";
import { watchInterrupts, type Interrupts } from "../../../scripts/interrupts";

describe("scripts/interrupts", () => {
  let interrupts: Interrupts | undefined;
  afterEach(() => interrupts?.dispose());

  describe("watchInterrupts", () => {
    it("reports the first interrupt once and wakes a waiting run", async () => {
      const first: string[] = [];
      interrupts = watchInterrupts({ onFirst: (s) => first.push(s), onSecond: () => undefined });
      const waiting = interrupts.next();
      process.emit("SIGINT", "SIGINT");
      await waiting;
      assert.equal(interrupts.received, true);
      assert.deepEqual(first, ["SIGINT"]);
      await interrupts.next(); // resolves at once after the first interrupt
    });

    it("calls onSecond at the second interrupt", () => {
      const second: string[] = [];
      interrupts = watchInterrupts({ onFirst: () => undefined, onSecond: (s) => second.push(s) });
      process.emit("SIGTERM", "SIGTERM");
      process.emit("SIGINT", "SIGINT");
      assert.deepEqual(second, ["SIGINT"]);
    });

    it("removes its handlers when disposed", () => {
      const before = process.listenerCount("SIGINT");
      interrupts = watchInterrupts({ onFirst: () => undefined });
      assert.equal(process.listenerCount("SIGINT"), before + 1);
      interrupts.dispose();
      assert.equal(process.listenerCount("SIGINT"), before);
    });
  });
});
