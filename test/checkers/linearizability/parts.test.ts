import assert from "node:assert/strict";
import { test } from "node:test";
import { checkLinearizable, type LinearizableEvidence } from "../../../src/checkers/linearizability/linearizable.ts";
import { historyOf, type Rec } from "../../support/lin-histories.ts";

/** kv-append on keys a, b, c: a and c read what was never written, b is fine. */
const TWO_BAD_KEYS: Rec[] = [
  [0, "invoke", "put", "1", "a"],
  [0, "ok", "put", "1", "a"],
  [0, "invoke", "get", undefined, "a"],
  [0, "ok", "get", "2", "a"],
  [1, "invoke", "put", "3", "b"],
  [1, "ok", "put", "3", "b"],
  [1, "invoke", "get", undefined, "b"],
  [1, "ok", "get", "3", "b"],
  [2, "invoke", "append", "4", "c"],
  [2, "ok", "append", "4", "c"],
  [2, "invoke", "get", undefined, "c"],
  [2, "ok", "get", "5", "c"],
];

test("every part is decided after a failing one, each in the per-part table with its culprit", () => {
  const result = checkLinearizable(historyOf(TWO_BAD_KEYS), {});
  assert.equal(result.valid, false);
  const evidence = result.evidence as LinearizableEvidence;
  assert.deepEqual(evidence.failingParts, ['key "a"', 'key "c"']);
  assert.deepEqual(
    evidence.partResults.map((r) => [r.part, r.ops, r.valid, r.method, r.culprit]),
    [
      ['key "a"', 2, false, "search", 1],
      ['key "b"', 2, true, "search", undefined],
      ['key "c"', 2, false, "search", 5],
    ],
  );
  assert.equal(evidence.partResults[2]!.culpritText, 'the get of "5" on key "c" by process 2 at index 11');
  assert.equal(result.stats.partsChecked, 3);
  assert.equal(result.stats.partsFailing, 2);
  assert.match(result.summary, /3 independent parts; 2 failing: key "a", key "c"\)/);
  assert.equal(evidence.violation?.part, 'key "a"');
});

test("--first-failure stops at the first failing part and says so", () => {
  const result = checkLinearizable(historyOf(TWO_BAD_KEYS), { firstFailure: true });
  assert.equal(result.valid, false);
  assert.equal(result.stats.partsChecked, 1);
  assert.deepEqual((result.evidence as LinearizableEvidence).partResults.map((r) => r.part), ['key "a"']);
  assert.match(result.summary, /stopped at the first, --first-failure/);
});
