import { strict as assert } from "assert";
import { nextPageRef } from "../../../../provider/client/pagination";

const BASE = "https://a.klaviyo.com/";

describe("pagination", () => {
  describe("nextPageRef", () => {
    it("returns null when there is no next link", () => {
      assert.equal(nextPageRef(undefined, BASE), null);
      assert.equal(nextPageRef(null, BASE), null);
      assert.equal(nextPageRef("", BASE), null);
    });

    it("extracts page[cursor] whether or not the brackets are encoded", () => {
      assert.deepEqual(nextPageRef("https://a.klaviyo.com/api/coupons?page%5Bcursor%5D=abc%3D%3D", BASE), {
        cursor: "abc==",
      });
      assert.deepEqual(nextPageRef("https://a.klaviyo.com/api/coupons?page[size]=5&page[cursor]=xyz", BASE), {
        cursor: "xyz",
      });
    });

    it("takes the cursor even from another origin, since only the cursor is reused", () => {
      assert.deepEqual(nextPageRef("https://elsewhere.example/api/coupons?page[cursor]=c1", BASE), {
        cursor: "c1",
      });
    });

    it("follows a cursorless link only on the same origin", () => {
      assert.deepEqual(nextPageRef("/api/coupons?offset=100", BASE), {
        url: "https://a.klaviyo.com/api/coupons?offset=100",
      });
      assert.throws(
        () => nextPageRef("https://elsewhere.example/api/coupons?offset=100", BASE),
        /another origin/,
      );
    });
  });
});
