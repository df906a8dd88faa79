import assert from "node:assert/strict";
import { test } from "node:test";
import { listAppendHistory } from "../../bench/generate-list-append.ts";
import { checkTxn } from "../../src/checkers/txn/check.ts";
import { checkTxnOnPool } from "../../src/workers/txn-cycles.ts";
import { historyOf } from "../support/helpers.ts";

test("cycle searches on worker threads give the inline result", async () => {
  const history = historyOf([...listAppendHistory(3000, { anomalyEvery: 40 })]);
  const inline = checkTxn(history, {});
  assert.ok(inline.stats.components > 10, `expected many cyclic components, got ${inline.stats.components}`);
  const threaded = await checkTxnOnPool(history, {}, 2, 0);
  assert.equal(threaded.valid, false);
  assert.deepEqual(threaded.evidence, inline.evidence);
  assert.deepEqual(threaded.anomalyTypes, inline.anomalyTypes);
});
