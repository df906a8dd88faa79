import assert from "node:assert/strict";
import { test } from "node:test";
import { checkQueue } from "../../../src/checkers/queue/queue.ts";
import { queueSection, totalQueueSection } from "../../../src/checkers/queue/section.ts";
import { checkTotalQueue } from "../../../src/checkers/queue/total-queue.ts";
import type { Block } from "../../../src/report/document.ts";
import { makeHistory, op } from "../../support/make-history.ts";

const tables = (blocks: Block[]): Extract<Block, { kind: "table" }>[] => blocks.filter((b): b is Extract<Block, { kind: "table" }> => b.kind === "table");

test("queue sections list each bad dequeue and each lost, unexpected or duplicated element with its operations", () => {
  const history = makeHistory([...op(0, "enqueue", 1), ...op(0, "enqueue", 2), ...op(1, "dequeue", null, "ok", 1), ...op(1, "dequeue", null, "ok", 1), ...op(1, "drain", null, "ok", [9])]);
  const queue = tables(queueSection(checkQueue(history)).blocks);
  assert.deepEqual(queue[1]!.rows, [["3", "7", "1"], ["4", "9", "9"]]);
  const total = tables(totalQueueSection(checkTotalQueue(history)).blocks);
  assert.deepEqual(total.slice(1).map((t) => [t.headers[0], t.rows]), [
    ["lost element", [["2", "1", "1"]]],
    ["unexpected element", [["9", "1", "4"]]],
    ["duplicated element", [["1", "1", "2, 3"]]],
  ]);
});
