import { strict as assert } from "assert";
import { EventEmitter } from "events";
import {
  cliError,
  createProgress,
  emit,
  exitCodeOf,
  oneLine,
  retryNotice,
  retryNotices,
  usageError,
  type RetryInfo,
} from "../../../bin/cliIo";

const refused: RetryInfo = {
  reason: "backoff",
  status: 0,
  code: "ECONNREFUSED",
  method: "GET",
  path: "/api/coupons",
  waitMs: 1150,
  attempt: 1,
};

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

  describe("retryNotice", () => {
    it("names the request, the reason, the wait and the attempt to come for a network failure", () => {
      assert.equal(
        retryNotice(refused, 5),
        "GET /api/coupons failed (ECONNREFUSED); retrying in 1.2 s (attempt 2 of 5)",
      );
    });

    it("names the HTTP status of a server error", () => {
      assert.equal(
        retryNotice({ ...refused, status: 503, code: undefined, waitMs: 300, attempt: 3 }, 5),
        "GET /api/coupons failed (HTTP 503); retrying in 0.3 s (attempt 4 of 5)",
      );
    });

    it("says who chose the wait of a rate-limit retry, without a total it is not bounded by", () => {
      const limited = { ...refused, status: 429, code: undefined, waitMs: 42_000 };
      assert.equal(
        retryNotice({ ...limited, reason: "retry-after" }, 5),
        "GET /api/coupons was rate limited (HTTP 429); Klaviyo asked to wait 42 s before retrying (attempt 2)",
      );
      assert.equal(
        retryNotice({ ...limited, waitMs: 800 }, 5),
        "GET /api/coupons was rate limited (HTTP 429); waiting 0.8 s before retrying (attempt 2)",
      );
    });

    it("leaves the total out when earlier rate-limit retries pushed the attempt past it", () => {
      assert.match(retryNotice({ ...refused, attempt: 7 }, 5), /\(attempt 8\)$/);
    });
  });

  describe("retryNotices", () => {
    it("writes one redacted line per retry, clearing a progress line first on a terminal", () => {
      let pipe = "";
      retryNotices(
        { write: (s: string) => (pipe += s) },
        ["pk_secret"],
        5,
      )({
        ...refused,
        path: "/api/coupons/pk_secret",
      });
      assert.equal(
        pipe,
        "klaviyo-coupons: GET /api/coupons/[REDACTED] failed (ECONNREFUSED); retrying in 1.2 s (attempt 2 of 5)\n",
      );
      let tty = "";
      retryNotices({ write: (s: string) => (tty += s), isTTY: true }, [], 5)(refused);
      assert.ok(tty.startsWith("\r\u001b[Kklaviyo-coupons: GET /api/coupons failed"), JSON.stringify(tty));
    });
  });
});
