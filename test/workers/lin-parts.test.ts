import assert from "node:assert/strict";
import { test } from "node:test";
import type { CheckerResult } from "../../src/checkers/checker.ts";
import { checkLinearizable, type LinearizableEvidence } from "../../src/checkers/linearizability/linearizable.ts";
import { checkLinearizableOnPool } from "../../src/workers/lin-parts.ts";
import { historyOf, random, type Rec } from "../support/lin-histories.ts";

/** Keyed put/append/get traffic on `keys` keys by 4 processes, each get returning what a sequential run gives; `corrupt` spoils the first get from that op on. */
function kvHistory(ops: number, keys: number, corrupt?: number): Rec[] {
  const next = random(11);
  const values = new Map<number, string>();
  const records: Rec[] = [];
  for (let i = 0; i < ops; i++) {
    const key = Math.floor(next() * keys);
    const process = i % 4;
    const kind = Math.floor(next() * 3);
    if (kind === 2) {
      const spoil = corrupt !== undefined && i >= corrupt;
      if (spoil) corrupt = undefined;
      const seen = spoil ? "corrupt" : (values.get(key) ?? "");
      records.push([process, "invoke", "get", undefined, key], [process, "ok", "get", seen, key]);
    } else {
      const v = `${i};`;
      values.set(key, kind === 0 ? v : (values.get(key) ?? "") + v);
      records.push([process, "invoke", kind === 0 ? "put" : "append", v, key], [process, "ok", kind === 0 ? "put" : "append", v, key]);
    }
  }
  return records;
}

test("parts on two worker threads (no inline pass) give the inline verdict, valid and invalid", async () => {
  const good = historyOf(kvHistory(400, 8));
  const inline = checkLinearizable(good, {});
  assert.equal(inline.valid, true);
  const pooled = await checkLinearizableOnPool(good, {}, 2, 0);
  assert.deepEqual(pooled, inline);

  const bad = historyOf(kvHistory(400, 8, 301));
  const badInline = checkLinearizable(bad, {});
  const badPooled = await checkLinearizableOnPool(bad, {}, 2, 0);
  assert.equal(badInline.valid, false);
  assert.equal(badPooled.valid, false);
  const culprit = (r: CheckerResult) => (r.evidence as LinearizableEvidence).violation?.culpritText;
  assert.equal(culprit(badPooled), culprit(badInline));
  assert.match(culprit(badInline)!, /^the get of "corrupt" on key \d by process \d at index \d+$/);
});
