import assert from "node:assert/strict";
import { test } from "node:test";
import { checkLinearizable } from "../../../src/checkers/linearizability/linearizable.ts";
import { linearizableSection } from "../../../src/checkers/linearizability/section.ts";
import { historyOf, type Rec } from "../../support/lin-histories.ts";

/** A read of the initial 0 after the write of 1 completed: not linearizable. */
function staleRead() {
  return historyOf([
    [0, "invoke", "write", 1],
    [0, "ok", "write", 1],
    [1, "invoke", "read"],
    [2, "invoke", "write", 2],
    [1, "ok", "read", 0],
    [2, "ok", "write", 2],
  ]);
}

test("the section explains a violation and lists the ops that make it, numbered in linearization order", () => {
  const history = staleRead();
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

test("a streamed history's section lists the ops its sample holds and says how many it lacks", () => {
  const history = staleRead();
  const result = checkLinearizable(history, { initial: 0 });
  // The sample a stream kept lacks the write of 2.
  const sampled = { ...history, operations: history.operations.filter((o) => o.input !== 2), sampledFrom: history.operations.length };
  const listing = linearizableSection(result, sampled).blocks.find((b) => b.kind === "listing");
  assert.ok(listing?.kind === "listing");
  assert.deepEqual(listing.lines.slice(1), ["    1  0–1          0         write 1                       ok", "    –  2–4          1         read → 0                      ok   ← cannot be linearized"]);
  assert.match(listing.caption ?? "", /the history streamed and its sample lacks 1 of these ops \(verdict\.json names them all\)/);
});

test("an undecided check lists each part and why", () => {
  const history = historyOf([[0, "invoke", "frobnicate"], [0, "ok", "frobnicate"]]);
  const section = linearizableSection(checkLinearizable(history, {}), history);
  assert.equal(section.valid, "unknown");
  assert.equal(section.blocks.length, 1);
});

test("after ~200 ops the listing shows only the ops that make the violation, and counts the rest of the order found", () => {
  const records: Rec[] = [];
  // 100 writes each read back (values repeat, so the unique-value fast path cannot answer alone).
  for (let i = 0; i < 100; i++) records.push([0, "invoke", "write", i % 3], [0, "ok", "write", i % 3], [0, "invoke", "read"], [0, "ok", "read", i % 3]);
  records.push([1, "invoke", "write", 7], [1, "ok", "write", 7], [2, "invoke", "read"], [2, "ok", "read", 1]);
  const history = historyOf(records);
  const result = checkLinearizable(history, { initial: 0 });
  assert.equal(result.valid, false);
  const write7 = history.operations.find((o) => o.f === "write" && o.input === 7)!;
  const culprit = history.operations.at(-1)!;
  const v = "violation" in result.evidence ? result.evidence.violation : undefined;
  assert.equal(v?.culprit, culprit.id);
  assert.equal(v?.prefix.length, 201, "verdict.json keeps the whole order found");
  assert.deepEqual(v?.involved, [culprit.id, write7.id], "the culprit, then the write whose value the register holds");
  const listing = linearizableSection(result, history).blocks.find((b) => b.kind === "listing");
  assert.ok(listing?.kind === "listing");
  const ops = listing.lines.slice(1);
  assert.ok(ops.length <= 3, `few ops listed, not the prefix: ${ops.join("\n")}`);
  assert.ok(ops.some((l) => /read → 1 .*← cannot be linearized/.test(l)));
  assert.ok(ops.some((l) => /^ +201 .* write 7 /.test(l)), "the write whose value the register holds, with its place in the order");
  // Listed from the order found: write 7 and, as the stale read's evidence, the write of 1 it returned.
  assert.match(listing.caption ?? "", /; 199 other ops of the order found not listed/);
});
