import assert from "node:assert/strict";
import { test } from "node:test";
import { checkLongFork } from "../../../src/checkers/long-fork/long-fork.ts";
import { longForkSection } from "../../../src/checkers/long-fork/section.ts";
import type { Block } from "../../../src/report/document.ts";
import { makeHistory, op } from "../../support/make-history.ts";

test("the long-fork section shows each fork with its two reads and two writes", () => {
  const history = makeHistory([
    ...op(0, "write", [["w", "x", 1]]),
    ...op(1, "read", [["r", "x", null], ["r", "y", null]], "ok", [["r", "x", 1], ["r", "y", null]]),
    ...op(2, "read", [["r", "x", null], ["r", "y", null]], "ok", [["r", "x", null], ["r", "y", 1]]),
  ]);
  const section = longForkSection(checkLongFork(history));
  const forks = section.blocks.filter((b): b is Extract<Block, { kind: "table" }> => b.kind === "table")[1]!;
  assert.deepEqual(forks.rows, [["operation 1", '"x"=1 "y"=nil', "operation 2", '"x"=nil "y"=1', '"x": operation 0', '"y": not in the history', "1"]]);
});
