import assert from "node:assert/strict";
import { test } from "node:test";
import { uniqueValueRegister } from "../../../src/checkers/linearizability/fast-path.ts";
import { checkLinearizable, type LinearizableEvidence } from "../../../src/checkers/linearizability/linearizable.ts";
import { registerModel } from "../../../src/checkers/linearizability/models/register.ts";
import { search } from "../../../src/checkers/linearizability/search.ts";
import { guardedCheck } from "../../../src/checkers/guard.ts";
import { deadlinePassingAt } from "../../support/deadline.ts";
import { historyOf, type Rec } from "../../support/lin-histories.ts";

/**
 * `crashed` writes of distinct values that never completed (any subset may have happened, in
 * any order), then a completed write of 1000 and a read of the initial 0 after it: invalid, but
 * the search must first rule out every subset of the crashed writes.
 */
function crashedWritesThenStaleRead(crashed: number): Rec[] {
  const records: Rec[] = [];
  for (let p = 0; p < crashed; p++) records.push([p, "invoke", "write", p + 1]);
  records.push([crashed, "invoke", "write", 1000], [crashed, "ok", "write", 1000], [crashed, "invoke", "read"], [crashed, "ok", "read", 0]);
  return records;
}

test("the search blows up on many crashed writes; the fast path answers at once", () => {
  const history = historyOf(crashedWritesThenStaleRead(24));
  const ops = history.operations.map((o) => ({ id: o.id, process: o.process, f: o.f, input: o.input, output: o.output, outcome: o.outcome, call: o.call, ret: o.ret }));
  const searched = search(registerModel, ops, 0, { memoBytes: 1 << 20 });
  assert.equal(searched.kind, "budget");
  assert.deepEqual(uniqueValueRegister(ops, 0), { valid: false, culprits: [25, 24], reason: "a write must take effect while another value has to hold" });
  const result = checkLinearizable(history, { initial: 0, memoryLimitMb: 2 });
  assert.equal(result.valid, false);
  const evidence = result.evidence as LinearizableEvidence;
  assert.equal(evidence.violation?.method, "fast-path");
  assert.deepEqual(evidence.violation?.involved.sort((a, b) => a - b), [24, 25]);
});

test("a memo ceiling (half of --memory-limit) makes the verdict unknown, saying how far the search got, never valid", () => {
  // Repeated values: the fast path does not apply, so only the search can answer.
  const records = crashedWritesThenStaleRead(24).map((r): Rec => (r[2] === "write" && r[1] === "invoke" && r[3] !== 1000 ? [r[0], r[1], r[2], 1 + ((r[3] as number) % 3)] : r));
  const result = checkLinearizable(historyOf(records), { initial: 0, memoryLimitMb: 0.125 });
  assert.equal(result.valid, "unknown");
  assert.match(result.summary, /memo of visited configurations reached its memory ceiling after \d+ search steps \(at most \d+ of 26 ops linearized\)/);
});

test("a time limit makes the verdict unknown", () => {
  const records = crashedWritesThenStaleRead(40).map((r): Rec => (r[2] === "write" && r[1] === "invoke" && r[3] !== 1000 ? [r[0], r[1], r[2], 1 + ((r[3] as number) % 5)] : r));
  const result = checkLinearizable(historyOf(records), { initial: 0, timeLimitMs: 1 });
  assert.equal(result.valid, "unknown");
  assert.match(result.summary, /the time limit was reached/);
});

/** `n` writes of distinct values, each read back at once: the fast path alone calls them valid. */
function writesReadBack(n: number): Rec[] {
  const records: Rec[] = [];
  for (let i = 1; i <= n; i++) records.push([i % 5, "invoke", "write", i], [i % 5, "ok", "write", i], [i % 5, "invoke", "read"], [i % 5, "ok", "read", i]);
  return records;
}

test("the deadline covers the plan and the fast path too: past it, a history the fast path would pass is unknown", () => {
  const small = historyOf(writesReadBack(1000));
  assert.equal(checkLinearizable(small, { initial: 0 }).valid, true);
  // The first reading gives the parts no time left: decided by nothing, not by the fast path.
  const parts = checkLinearizable(small, { initial: 0, timeLimitMs: 200, deadline: deadlinePassingAt(1) });
  assert.equal(parts.valid, "unknown");
  assert.match(parts.summary, /the time limit was reached after 0 search steps/);
  // 5,000 ops: the plan reads the clock at its 4,096th.
  const large = historyOf(writesReadBack(2500));
  const planning = guardedCheck("linearizable", () => checkLinearizable(large, { initial: 0, timeLimitMs: 200, deadline: deadlinePassingAt(2) }));
  assert.equal(planning.valid, "unknown");
  assert.equal(planning.summary, "the --time-limit of 0.2 s was reached while planning the linearizability search, after 4096 ops");
  assert.equal(checkLinearizable(large, { initial: 0, timeLimitMs: 200, deadline: deadlinePassingAt(1000) }).valid, true);
});

test("large model states count against the memory budget too", () => {
  // 300 crashed enqueues of distinct values then a dequeue of a value never enqueued: the queue's states are every ordered subset.
  const records: Rec[] = [];
  for (let p = 0; p < 300; p++) records.push([p, "invoke", "enqueue", p]);
  records.push([300, "invoke", "dequeue"], [300, "ok", "dequeue", -1]);
  const result = checkLinearizable(historyOf(records), { model: "fifo-queue", memoryLimitMb: 8 });
  assert.equal(result.valid, "unknown");
  assert.match(result.summary, /memory ceiling/);
});
