import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { cutText, showValue } from "../../src/history/show.ts";

describe("showValue", () => {
  it("is JSON.stringify for values that fit", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const json = JSON.stringify(v);
        if (json.length <= 200) assert.equal(showValue(v), json);
        else assert.ok(showValue(v).length <= 200 + 40, showValue(v));
      }),
    );
  });

  it("cuts a huge value to a readable length, saying so, without writing it all", () => {
    const huge = "x".repeat(5_000_000);
    assert.equal(showValue(huge, 10), '"xxxxxxxxxx"… (4,999,990 more characters)');
    assert.equal(showValue([1, huge], 10), '[1,"xxxxxxx… (cut)');
    assert.equal(showValue(Array.from({ length: 1_000_000 }, (_, i) => i), 12), "[0,1,2,3,4,5,… (cut)");
    assert.equal(showValue({ a: { b: huge } }, 12), '{"a":{"b":"xx… (cut)');
    assert.equal(showValue(undefined), "undefined");
  });
});

describe("cutText", () => {
  it("keeps short text and cuts long text with the count left out", () => {
    assert.equal(cutText("abc", 5), "abc");
    assert.equal(cutText("abcdefgh", 5), "abcde… (3 more characters)");
  });
});
