import assert from "node:assert/strict";
import { test } from "node:test";
import { checkLinearizable } from "../../../src/checkers/linearizability/linearizable.ts";
import { linearizableSection } from "../../../src/checkers/linearizability/section.ts";
import { historyOf } from "../../support/lin-histories.ts";

test("the section explains a violation and lists the window around the culprit, numbered in linearization order", () => {
  const history = historyOf([
    [0, "invoke", "write", 1],
    [0, "ok", "write", 1],
    [1, "invoke", "read"],
    [2, "invoke", "write", 2],
    [1, "ok", "read", 0],
    [2, "ok", "write", 2],
  ]);
  const result = checkLinearizable(history, { initial: 0 });
  const section = linearizableSection(result, history);
  assert.equal(section.valid, false);
  assert.deepEqual(section.blocks[0], { kind: "paragraph", text: "not linearizable (strict semantics): the read of 0 by process 1 at index 4 cannot be linearized: after the 2 ops before it the register can only hold 2 or 1." });
  const listing = section.blocks.find((b) => b.kind === "listing");
  assert.deepEqual(listing?.kind === "listing" && listing.lines, [
    "order  index        process   op                            outcome",
    "    1  0–1          0         write 1                       ok",
    "    –  2–4          1         read → 0                      ok   ← cannot be linearized",
    "    2  3–5          2         write 2                       ok",
  ]);
  assert.deepEqual(result.focus, [1, 2]);
});

test("an undecided check lists each part and why", () => {
  const history = historyOf([[0, "invoke", "frobnicate"], [0, "ok", "frobnicate"]]);
  const section = linearizableSection(checkLinearizable(history, {}), history);
  assert.equal(section.valid, "unknown");
  assert.equal(section.blocks.length, 1);
});
