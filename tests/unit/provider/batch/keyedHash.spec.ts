import { strict as assert } from "assert";
import { createHmac } from "crypto";
import { keyedSha256 } from "../../../../provider/batch/keyedHash";

describe("keyedHash", () => {
  describe("keyedSha256", () => {
    it("equals Node's HMAC-SHA256 for keys and messages around every block boundary", () => {
      const text = (n: number, salt: number) =>
        Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 31 + salt) % 90))).join("");
      for (const keyLength of [0, 1, 32, 63, 64, 65, 130]) {
        const key = text(keyLength, keyLength);
        const hash = keyedSha256(key);
        for (const messageLength of [0, 1, 54, 55, 56, 63, 64, 65, 119, 120, 300, 1000]) {
          const message = text(messageLength, messageLength + 7);
          const expected = createHmac("sha256", key).update(message).digest("hex");
          assert.equal(
            Buffer.from(hash(message)).toString("hex"),
            expected,
            `key ${keyLength}, message ${messageLength}`,
          );
        }
      }
    });

    it("encodes keys and messages as UTF-8, as createHmac does with strings", () => {
      for (const [key, message] of [
        ["cl\u00e9", "\u00e9t\u00e9\n\u65e5\u672c"],
        ["\u{1f511}".repeat(20), "x"],
      ]) {
        assert.equal(
          Buffer.from(keyedSha256(key)(message)).toString("hex"),
          createHmac("sha256", key).update(message).digest("hex"),
        );
      }
    });

    it("hashes a fixed beginning and the rest as one message, for beginnings of any length", () => {
      for (const fixedLength of [0, 5, 63, 64, 65, 128, 450]) {
        const fixed = "f\u00e9".repeat(fixedLength).slice(0, fixedLength);
        const hash = keyedSha256("key", fixed);
        for (const rest of ["", "0\n0", "123456\n1", "r".repeat(70)]) {
          assert.equal(
            Buffer.from(hash(rest)).toString("hex"),
            createHmac("sha256", "key")
              .update(fixed + rest)
              .digest("hex"),
            `fixed ${fixedLength}, rest ${rest.length}`,
          );
        }
      }
    });

    it("gives the same result for a message whatever was hashed before it", () => {
      const hash = keyedSha256("k");
      const first = Buffer.from(hash("short")).toString("hex");
      hash("a much longer message that fills more than one block of sixty-four bytes, and then some more");
      assert.equal(Buffer.from(hash("short")).toString("hex"), first);
    });
  });
});
