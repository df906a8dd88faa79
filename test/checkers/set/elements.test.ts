import assert from "node:assert/strict";
import { test } from "node:test";
import { valueKey } from "../../../src/history/values.ts";
import { compactElements, sortElements, spread } from "../../../src/checkers/set/elements.ts";

test("integers compact into runs, in order, duplicates once", () => {
  assert.equal(compactElements([12, 0, 1, 2, 3, 5, 9, 10, 11, 3]), "0..3 5 9..12");
  assert.equal(compactElements([]), "");
  assert.equal(compactElements([-2, -1, 7]), "-2..-1 7");
});

test("non-integers follow the runs as JSON; tuples ending in integers group by their prefix", () => {
  assert.equal(compactElements([[0, 1], 4, "x", 5]), "4..5 \"x\" [0, 1]");
  assert.equal(compactElements([[0, 2], [0, 0], [1, 5], [0, 1], [0, 7]]), "[0, 0..2 7] [1, 5]");
});

test("a limit keeps the first runs and counts the elements left", () => {
  assert.equal(compactElements([0, 1, 2, 5, 7, 8, 9, 20], 2), "0..2 5 … 4 more elements");
  assert.equal(compactElements([0, 2, 4], 2), "0 2 … 1 more element");
});

test("element keys equate values, not references, and keep numbers apart from strings", () => {
  assert.equal(valueKey([0, 1]), valueKey([0, 1]));
  assert.notEqual(valueKey(1), valueKey("1"));
  assert.deepEqual(sortElements([3, [1], 1, 2]), [1, 2, 3, [1]]);
});

test("spread keeps at most the limit, evenly spaced, the first included", () => {
  assert.deepEqual(spread([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4), [0, 2, 5, 7]);
  assert.deepEqual(spread([1, 2], 4), [1, 2]);
});
