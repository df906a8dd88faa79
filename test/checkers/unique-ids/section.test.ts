import assert from "node:assert/strict";
import { test } from "node:test";
import { uniqueIdsSection } from "../../../src/checkers/unique-ids/section.ts";
import { checkUniqueIds } from "../../../src/checkers/unique-ids/unique-ids.ts";
import type { Block } from "../../../src/report/document.ts";
import { makeHistory, op } from "../../support/make-history.ts";

test("the unique-ids section: counts, range and each duplicated id with the generates that returned it", () => {
  const history = makeHistory([...op(0, "generate", null, "ok", 4), ...op(1, "generate", null, "ok", 4), ...op(2, "generate", null, "ok", 9)]);
  const [counts, duplicates] = uniqueIdsSection(checkUniqueIds(history)).blocks.filter((b): b is Extract<Block, { kind: "table" }> => b.kind === "table");
  assert.deepEqual(counts!.rows, [["3", "3", "1", "4 … 9"]]);
  assert.deepEqual(duplicates!.rows, [["4", "2 times", "0, 1"]]);
});
