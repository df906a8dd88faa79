import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { sameValue, stateKey } from "../../../src/checkers/linearizability/model.ts";

// Strings that look like other values' keys: JSON of null, numbers, lists, and a leading NUL.
const trickyString = fc.constantFrom("", "null", "1", "[1]", "{}", "true", "\u0000", "\u0000null", '"a"', "a");
const value = fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer({ min: -2, max: 2 }), fc.boolean(), trickyString, fc.string({ maxLength: 3 }), fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }));

test("stateKey: two values share a key exactly when they are the same value", () => {
  fc.assert(
    fc.property(value, value, (a, b) => {
      assert.equal(stateKey(a) === stateKey(b), sameValue(a, b), `${String(stateKey(a))} / ${String(stateKey(b))}`);
    }),
    { numRuns: 2000 },
  );
});

test("stateKey: a string is its own key, so appends are never stringified", () => {
  assert.equal(stateKey("x 0 0 y"), "x 0 0 y");
  assert.notEqual(stateKey("null"), stateKey(null));
  assert.notEqual(stateKey("\u0000null"), stateKey(null));
  assert.equal(stateKey(undefined), stateKey(null));
});
