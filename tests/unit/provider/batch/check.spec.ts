import { strict as assert } from "assert";
import { checkBatchInputs, DEFAULT_ALPHABET } from "../../../../provider/batch/check";
import { diff } from "../../../../provider/batch/handlers";
import { UNKNOWN } from "../../../../provider/values";
import { PACKED_PREFIX, packStrings, unpackStrings } from "../../../../provider/packedStrings";
import { deflateRawSync, inflateRawSync } from "zlib";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { BATCH_TYPE, startProviderStack, type ProviderStack } from "../../../../testkit/providerStack";
import {
  hostDecoded,
  MALFORMED_BATCH_INPUTS,
  REFUSED_EXPIRES_AT,
} from "../../../fixtures/malformedBatchInputs";

const NOW = Date.parse("2026-11-24T00:00:00Z");
const EXPIRES_AT_REASON =
  "expiresAt must be an RFC 3339 date-time with an offset, such as 2031-06-30T23:59:59Z or " +
  "2031-06-30T23:59:59+02:00 (seconds required; offset Z or ±hh:mm), got ";

describe("batchCheck", () => {
  describe("checkBatchInputs", () => {
    for (const c of MALFORMED_BATCH_INPUTS) {
      it(`blames ${c.property} when given ${c.name}`, () => {
        const { failures } = checkBatchInputs(c.inputs, NOW);
        assert.ok(failures.length > 0, "expected failures");
        assert.ok(
          failures.some((f) => f.property === c.property),
          `expected a failure on ${c.property}, got ${JSON.stringify(failures)}`,
        );
      });
    }

    it("names the index of a repeated code and of its earlier twin, masked, when codes repeat case-insensitively", () => {
      const { failures } = checkBatchInputs({ couponId: "C", codes: ["abc1", "X2", "ABC1"] }, NOW);
      assert.deepEqual(failures, [
        {
          property: "codes[2]",
          reason: "A***(4) duplicates codes[0]; codes are compared case-insensitively",
        },
      ]);
    });

    it("explains an invalid code by its index and the offending character, never quoting the code", () => {
      const codes = ["SECRET 1", "SECRET-2".repeat(10), " ", 123456];
      const { failures } = checkBatchInputs({ couponId: "C", codes }, NOW);
      assert.deepEqual(failures, [
        {
          property: "codes[0]",
          reason: 'SE******(8) has " " at position 7; a code may contain only letters, digits, "-" and "_"',
        },
        {
          property: "codes[1]",
          reason: `SE${"*".repeat(62)}(80) is too long; at most 64 characters allowed`,
        },
        { property: "codes[2]", reason: "***(1) is empty or whitespace" },
        { property: "codes[3]", reason: "code must be a string, got a number" },
      ]);
      assert.ok(!JSON.stringify(failures).includes("SECRET"));
      assert.ok(!JSON.stringify(failures).includes("123456"));
    });

    it("accepts its own checked inputs back, codeChanges included, and drops the stale codeChanges", () => {
      const stale = { added: 9, removed: 9, codeCount: 9, fingerprint: null, removedTags: null };
      const { inputs, failures } = checkBatchInputs(
        { couponId: "C", codes: ["A1"], codeChanges: stale },
        NOW,
      );
      assert.deepEqual(failures, []);
      assert.equal(inputs.codeChanges, undefined);
    });

    it("checks packed codes as the list they stand for, naming the index, never the code", () => {
      const packed = packStrings(["GOOD1", "SECRET-1", "secret-1"]);
      const { failures } = checkBatchInputs({ couponId: "C", codes: packed }, NOW);
      assert.deepEqual(failures, [
        {
          property: "codes[2]",
          reason: "se******(8) duplicates codes[1]; codes are compared case-insensitively",
        },
      ]);
      assert.ok(!JSON.stringify(failures).toUpperCase().includes("SECRET"));
    });

    it("refuses packed codes that cannot be unpacked, without echoing them", () => {
      const damaged = [
        "kcp1:!!!not-base64",
        "kcp1:AAAA",
        `${PACKED_PREFIX}AAAA`,
        PACKED_PREFIX + deflateRawSync("2\n  !!AB").toString("base64"),
      ];
      for (const codes of damaged) {
        const { failures } = checkBatchInputs({ couponId: "C", codes }, NOW);
        assert.equal(failures.length, 1, JSON.stringify(failures));
        assert.equal(failures[0].property, "codes");
        assert.match(failures[0].reason, /^codes is a damaged packed list/);
        assert.ok(!failures[0].reason.includes(codes));
      }
    });

    it("returns the same packed string, sorted, whether the codes came as a list or packed", () => {
      const list = Array.from({ length: 5000 }, (_, i) => `CODE${(i * 7919) % 5003}`);
      const fromList = checkBatchInputs({ couponId: "C", codes: list }, NOW);
      const fromPacked = checkBatchInputs({ couponId: "C", codes: packStrings(list) }, NOW);
      assert.equal(fromList.inputs.codes, fromPacked.inputs.codes);
      assert.deepEqual(unpackStrings(fromList.inputs.codes as string), [...list].sort());
      assert.deepEqual([...fromPacked.codes!].sort(), [...list].sort());
    });

    it("reads codes packed by a development build (kcp1) and stores them in the current form", () => {
      const list = ["B2", "A1", "C3"];
      const old = "kcp1:" + deflateRawSync(list.join("\n")).toString("base64");
      const { inputs, failures } = checkBatchInputs({ couponId: "C", codes: old }, NOW);
      assert.deepEqual(failures, []);
      assert.equal(inputs.codes, packStrings(["A1", "B2", "C3"]));
    });

    it("keeps a sorted packed string it received as it is, without packing the codes again", () => {
      const list = Array.from({ length: 3000 }, (_, i) => `K${(i * 7919) % 100003}X${i % 37}`).sort();
      const packed = packStrings(list)!;
      // Same codes, packed at another deflate level: the bytes differ from what check would pack.
      const other =
        PACKED_PREFIX +
        deflateRawSync(inflateRawSync(Buffer.from(packed.slice(5), "base64")), { level: 1 }).toString(
          "base64",
        );
      assert.notEqual(other, packed);
      const { inputs, failures } = checkBatchInputs({ couponId: "C", codes: other }, NOW);
      assert.deepEqual(failures, []);
      assert.equal(inputs.codes, other);
    });

    it("leaves codes as given while an element is unknown in a preview", () => {
      const { inputs, failures } = checkBatchInputs({ couponId: "C", codes: ["A1", UNKNOWN] }, NOW);
      assert.deepEqual(failures, []);
      assert.deepEqual(inputs.codes, ["A1", UNKNOWN]);
    });

    it("summarises instead of listing 100,000 failures when most codes are bad", () => {
      const codes = Array.from({ length: 1000 }, (_, i) => `bad code ${i}`);
      const { failures } = checkBatchInputs({ couponId: "C", codes }, NOW);
      assert.equal(failures.length, 21);
      assert.match(failures[20].reason, /980 more invalid codes/);
    });

    it("accepts valid codes, returns them packed and applies defaults", () => {
      const { inputs, failures, codes } = checkBatchInputs(
        { couponId: "SPRING10", codes: ["A1", "b_2", "C-3"], expiresAt: "2027-06-01T00:00:00Z" },
        NOW,
      );
      assert.deepEqual(failures, []);
      assert.deepEqual(codes, ["A1", "C-3", "b_2"]); // sorted, as stored
      assert.deepEqual(inputs, {
        couponId: "SPRING10",
        codes: packStrings(["A1", "C-3", "b_2"]), // stored sorted
        expiresAt: "2027-06-01T00:00:00Z",
        deletePolicy: "delete-unassigned",
        maxConcurrentJobs: 25,
        jobTimeoutSeconds: 900,
      });
    });

    it("accepts a generate spec with the default alphabet", () => {
      const { failures } = checkBatchInputs({ couponId: "C", generate: { count: 100000, length: 10 } }, NOW);
      assert.deepEqual(failures, []);
      assert.ok(!/[01OIL]/.test(DEFAULT_ALPHABET));
    });

    it("passes unknown values through untouched during preview", () => {
      const news = { couponId: UNKNOWN, codes: UNKNOWN, expiresAt: UNKNOWN };
      const { inputs, failures } = checkBatchInputs(news, NOW);
      assert.deepEqual(failures, []);
      assert.equal(inputs.couponId, UNKNOWN);
      assert.equal(inputs.codes, UNKNOWN);
      assert.equal(inputs.expiresAt, UNKNOWN);
    });

    it("skips unknown elements inside a known list", () => {
      const { failures } = checkBatchInputs({ couponId: "C", codes: ["A1", UNKNOWN, "B2"] }, NOW);
      assert.deepEqual(failures, []);
    });

    describe("expiresAt (issue 11, item 7)", () => {
      it("refuses every form Klaviyo refuses for every code, naming expiresAt and the accepted form", () => {
        for (const expiresAt of REFUSED_EXPIRES_AT) {
          const { failures } = checkBatchInputs({ couponId: "C", codes: ["A1"], expiresAt }, NOW);
          assert.deepEqual(
            failures,
            [{ property: "expiresAt", reason: EXPIRES_AT_REASON + JSON.stringify(expiresAt) }],
            expiresAt,
          );
        }
      });

      it("accepts RFC 3339 date-times with Z or ±hh:mm and returns them unchanged, so state and later checks agree", () => {
        for (const expiresAt of [
          "2031-06-30T23:59:59Z",
          "2031-06-30T23:59:59+02:00",
          "2031-06-30T23:59:59-00:00",
          "2031-06-30T23:59:59.123456-05:30",
          "2027-06-01T00:00:00+00:00",
        ]) {
          const { inputs, failures } = checkBatchInputs({ couponId: "C", codes: ["A1"], expiresAt }, NOW);
          assert.deepEqual(failures, [], expiresAt);
          assert.equal(inputs.expiresAt, expiresAt);
        }
      });

      it("shows no diff for a stack whose state holds an expiresAt accepted before the fix", async () => {
        const expiresAt = "2027-06-01T00:00:00+00:00";
        const { inputs } = checkBatchInputs({ couponId: "C", codes: ["A1"], expiresAt }, NOW);
        const olds = {
          ...inputs,
          generate: null,
          secretCodes: true,
          codeCount: 1,
          failedCount: 0,
          expiryRange: { earliest: expiresAt, latest: expiresAt },
        };
        assert.deepEqual(await diff("C", olds, inputs), { changes: false, replaces: [] });
      });

      it("compares an offset date-time with now as an instant, not in the host's time zone", () => {
        const now = Date.parse("2031-06-30T22:00:00Z");
        const past = checkBatchInputs(
          { couponId: "C", codes: ["A1"], expiresAt: "2031-06-30T23:59:59+02:00" },
          now,
        );
        assert.deepEqual(past.failures, [
          { property: "expiresAt", reason: 'expiresAt "2031-06-30T23:59:59+02:00" lies in the past' },
        ]);
        const future = checkBatchInputs(
          { couponId: "C", codes: ["A1"], expiresAt: "2031-06-30T21:00:00-02:00" },
          now,
        );
        assert.deepEqual(future.failures, []);
      });
    });

    describe("couponId (issue 11, item 11)", () => {
      it('refuses "." and ".." as couponId, naming couponId: they cannot be addressed in a URL path', () => {
        for (const couponId of [".", ".."]) {
          const { failures } = checkBatchInputs({ couponId, codes: ["A1"] }, NOW);
          assert.equal(failures.length, 1, JSON.stringify(failures));
          assert.equal(failures[0].property, "couponId");
          assert.match(failures[0].reason, /^couponId must not be "\." or "\.\."/);
        }
        assert.deepEqual(checkBatchInputs({ couponId: "...", codes: ["A1"] }, NOW).failures, []);
      });
    });

    describe("echoed values and odd keys (issue 11, item 12)", () => {
      const MB = 1_000_000;

      it("cuts every echoed value at 64 characters with an ellipsis and the full length", () => {
        const big = "x".repeat(MB);
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ couponId: "C", codes: ["A1"], expiresAt: big }, "expiresAt"],
          [{ couponId: "C", codes: ["A1"], deletePolicy: big }, "deletePolicy"],
          [{ couponId: "C", codes: ["A1"], maxConcurrentJobs: big }, "maxConcurrentJobs"],
          [{ couponId: "C", codes: ["A1"], jobTimeoutSeconds: big }, "jobTimeoutSeconds"],
          [{ couponId: "C", generate: { count: big, length: 10 } }, "generate.count"],
          [
            { couponId: "C", codes: ["A1"], expiresAt: `2020-06-30T23:59:59.${"1".repeat(MB)}Z` },
            "expiresAt",
          ],
        ];
        for (const [news, property] of cases) {
          const { failures } = checkBatchInputs(news, NOW);
          const failure = failures.find((f) => f.property === property);
          assert.ok(failure, `${property}: ${JSON.stringify(failures).slice(0, 300)}`);
          assert.ok(failure.reason.length < 250, `${property}: ${failure.reason.length} characters`);
          assert.match(failure.reason, /…" \(\d{7} characters\)/, property);
        }
      });

      it("cuts an overlong unknown key in the property and the reason", () => {
        const key = "k".repeat(MB);
        const { failures } = checkBatchInputs({ couponId: "C", codes: ["A1"], [key]: 1 }, NOW);
        assert.deepEqual(failures, [
          {
            property: `${"k".repeat(64)}… (1000000 characters)`,
            reason: `unknown property "${"k".repeat(64)}…" (1000000 characters)`,
          },
        ]);
      });

      it("never quotes a 1 MB code, prefix or alphabet: it names the index or part and the offending character", () => {
        const secret = "S".repeat(MB - 1) + " ";
        const { failures } = checkBatchInputs({ couponId: "C", codes: [secret] }, NOW);
        assert.deepEqual(failures, [
          {
            property: "codes[0]",
            reason: `SS${"*".repeat(62)}(1000000) is too long; at most 64 characters allowed`,
          },
        ]);
        const generated = checkBatchInputs(
          { couponId: "C", generate: { count: 10, length: 10, prefix: secret, alphabet: secret } },
          NOW,
        );
        assert.deepEqual(generated.failures, [
          {
            property: "generate.prefix",
            reason: 'prefix has " " at position 1000000; it may contain only letters, digits, "-" and "_"',
          },
          {
            property: "generate.alphabet",
            reason: 'alphabet has " " at position 1000000; it may contain only letters, digits, "-" and "_"',
          },
        ]);
      });

      it('reports a "__proto__" key the host decoded into the prototype and ignores what it carried', () => {
        const news = hostDecoded(
          '{"couponId":"C","__proto__":{"codes":["A1"],"deletePolicy":"retain","maxConcurrentJobs":7}}',
        );
        const { inputs, failures } = checkBatchInputs(news, NOW);
        assert.deepEqual(failures, [
          { property: "codes", reason: "set exactly one of codes or generate" },
          { property: "__proto__", reason: 'unknown property "__proto__"' },
        ]);
        assert.deepEqual(inputs, {
          couponId: "C",
          deletePolicy: "delete-unassigned",
          maxConcurrentJobs: 25,
          jobTimeoutSeconds: 900,
        });
      });

      it('reports a "__proto__" key inside generate and ignores what it carried', () => {
        const news = hostDecoded('{"couponId":"C","generate":{"__proto__":{"count":5,"length":10}}}');
        const { failures } = checkBatchInputs(news, NOW);
        assert.deepEqual(failures, [
          { property: "generate.__proto__", reason: 'unknown property "__proto__"' },
          { property: "generate.count", reason: "generate.count is required" },
          { property: "generate.length", reason: "generate.length is required" },
        ]);
      });
    });
  });

  // Expiry and couponId cases of the fixture also run through the host in couponCodeBatchPolicies.spec.ts.
  describe("through the provider host", function () {
    this.timeout(120_000);
    let stack: ProviderStack;

    before(async () => {
      stack = await startProviderStack();
    });
    after(async () => {
      await stack?.close();
    });

    it("never takes codes from a __proto__ key sent on the wire (the host drops it or check reports it)", async () => {
      // The harness's protobuf library cannot hold a "__proto__" map key; rename one on the wire.
      const serialize = proto.CheckRequest.prototype.serializeBinary;
      proto.CheckRequest.prototype.serializeBinary = function (this: proto.CheckRequest) {
        const bytes = Buffer.from(serialize.call(this));
        for (let i = bytes.indexOf("XXproto__"); i >= 0; i = bytes.indexOf("XXproto__")) {
          bytes.write("__proto__", i);
        }
        return new Uint8Array(bytes);
      };
      const before = stack.emulator.control.counts().requests;
      try {
        const reply = await stack.host.check({
          urn: stack.engine.urn("proto", BATCH_TYPE),
          olds: {},
          news: {
            __provider: stack.batchProvider,
            couponId: "C",
            XXproto__: { codes: ["A1"], deletePolicy: "retain" },
          },
        });
        assert.ok(reply.failures.length > 0, JSON.stringify(reply.failures));
        assert.equal(reply.inputs.codes, undefined);
        assert.equal(reply.inputs.deletePolicy, "delete-unassigned");
      } finally {
        proto.CheckRequest.prototype.serializeBinary = serialize;
      }
      assert.equal(stack.emulator.control.counts().requests, before);
    });
  });
});
