import assert from "node:assert/strict";
import { test } from "node:test";
import { checkLinearizable, type LinearizableEvidence } from "../../../src/checkers/linearizability/linearizable.ts";
import { linearizableChecker } from "../../../src/checkers/linearizability/checker.ts";
import { historyOf, type Rec } from "../../support/lin-histories.ts";

const check = (records: Rec[], options: Parameters<typeof checkLinearizable>[1] = {}) => checkLinearizable(historyOf(records), options);

test("a read that overlaps a write may see either value", () => {
  const result = check([
    [0, "invoke", "write", 1],
    [1, "invoke", "read"],
    [1, "ok", "read", 0],
    [0, "ok", "write", 1],
  ], { initial: 0 });
  assert.equal(result.valid, true);
  assert.match(result.summary, /linearizable as a register/);
});

test("a stale read after a completed write is a violation naming the read, its prefix and the state", () => {
  const result = check([
    [0, "invoke", "write", 1],
    [0, "ok", "write", 1],
    [1, "invoke", "read"],
    [1, "ok", "read", 0],
  ], { initial: 0, model: "cas-register" });
  assert.equal(result.valid, false);
  const evidence = result.evidence as LinearizableEvidence;
  assert.equal(evidence.violation?.culprit, 1);
  assert.deepEqual(evidence.violation?.prefix, [0]);
  assert.deepEqual(evidence.violation?.states, ["1"]);
  assert.deepEqual(result.focus, [1]);
  assert.equal(result.summary, "not linearizable (strict semantics): the read of 0 by process 1 at index 3 cannot be linearized: after the 1 op before it the cas-register can only hold 1.");
});

test("a failed write never took effect; an info write may have, at any time after its call", () => {
  const failed: Rec[] = [[0, "invoke", "write", 3], [0, "fail", "write", 3], [1, "invoke", "read"], [1, "ok", "read", 3]];
  assert.equal(check(failed, { initial: 0 }).valid, false);
  const crashed: Rec[] = [[0, "invoke", "write", 3], [0, "info", "write", 3], [1, "invoke", "read"], [1, "ok", "read", 0], [1, "invoke", "read"], [1, "ok", "read", 3]];
  assert.equal(check(crashed, { initial: 0 }).valid, true);
  const backwards: Rec[] = [[0, "invoke", "write", 3], [0, "info", "write", 3], [1, "invoke", "read"], [1, "ok", "read", 3], [1, "invoke", "read"], [1, "ok", "read", 0]];
  assert.equal(check(backwards, { initial: 0 }).valid, false);
});

test("an info cas whose compare cannot hold simply never happened", () => {
  const result = check([
    [0, "invoke", "cas", [5, 6]],
    [0, "info", "cas", [5, 6]],
    [1, "invoke", "read"],
    [1, "ok", "read", 0],
  ], { initial: 0 });
  assert.equal(result.valid, true);
});

test("kv parts are checked per key, and the violating key is named", () => {
  const result = check([
    [0, "invoke", "put", "a", "x"],
    [0, "ok", "put", "a", "x"],
    [1, "invoke", "append", "b", "y"],
    [1, "ok", "append", "b", "y"],
    [1, "invoke", "get", undefined, "x"],
    [1, "ok", "get", "b", "x"],
  ]);
  assert.equal(result.valid, false);
  const evidence = result.evidence as LinearizableEvidence;
  assert.equal(evidence.model, "kv-append");
  assert.equal(evidence.parts, 2);
  assert.equal(evidence.violation?.part, 'key "x"');
  assert.equal(evidence.violation?.culprit, 2);
});

test("mutex: two holders at once cannot be linearized", () => {
  const result = check([
    [0, "invoke", "acquire"],
    [0, "ok", "acquire"],
    [1, "invoke", "acquire"],
    [1, "ok", "acquire"],
  ]);
  assert.equal(result.valid, false);
  assert.equal((result.evidence as LinearizableEvidence).violation?.culprit, 1);
  assert.deepEqual((result.evidence as LinearizableEvidence).violation?.states, ["held"]);
});

test("multi-register txns, fifo-queue and set models", () => {
  const txn: Rec[] = [
    [0, "invoke", "txn", [["write", "x", 1], ["write", "y", 1]]],
    [0, "ok", "txn", [["write", "x", 1], ["write", "y", 1]]],
    [1, "invoke", "txn", [["read", "x", null], ["read", "y", null]]],
    [1, "ok", "txn", [["read", "x", 1], ["read", "y", 0]]],
  ];
  assert.equal(check(txn, { initial: { x: 0, y: 0 } }).valid, false);
  assert.equal(check(txn.slice(0, 3), { initial: { x: 0, y: 0 } }).valid, true);
  const queue: Rec[] = [[0, "invoke", "enqueue", 1], [0, "ok", "enqueue", 1], [0, "invoke", "enqueue", 2], [0, "ok", "enqueue", 2], [1, "invoke", "dequeue"], [1, "ok", "dequeue", 2]];
  assert.equal(check(queue).valid, false);
  queue[5] = [1, "ok", "dequeue", 1];
  assert.equal(check(queue).valid, true);
  const set: Rec[] = [[0, "invoke", "add", 1], [1, "invoke", "read"], [1, "ok", "read", [1]], [0, "ok", "add", 1], [1, "invoke", "read"], [1, "ok", "read", []]];
  assert.equal(check(set, { model: "set" }).valid, false);
  assert.equal(check(set.slice(0, 4), { model: "set" }).valid, true);
});

test("--model auto says what it chose, and ops it cannot interpret make the verdict unknown", () => {
  const result = check([[0, "invoke", "cas", [0, 1]], [0, "ok", "cas", [0, 1]]], { initial: 0 });
  assert.equal((result.evidence as LinearizableEvidence).modelReason, "--model auto chose cas-register: the simplest model that knows every f (read, write, cas) and sees cas (ops: cas)");
  const odd = check([[0, "invoke", "frobnicate", 1], [0, "ok", "frobnicate", 1]]);
  assert.equal(odd.valid, "unknown");
  assert.match(odd.summary, /found no model/);
  const wrong = check([[0, "invoke", "read"], [0, "ok", "read", 1]], { model: "mutex" });
  assert.equal(wrong.valid, "unknown");
  assert.match(wrong.summary, /mutex cannot interpret the history: op 0 has f "read"/);
});

test("--model auto leaves alone txns it cannot read (Elle's list-append), and ignores read-only histories", () => {
  const elle = check([[0, "invoke", "txn", [["append", 1, 2], ["r", 1, null]]], [0, "ok", "txn", [["append", 1, 2], ["r", 1, [2]]]]]);
  assert.equal(elle.valid, "unknown");
  assert.match(elle.summary, /--model auto found no model/);
  assert.equal(linearizableChecker.appliesBecause(historyOf([[0, "invoke", "read"], [0, "ok", "read", 1]])), undefined);
  assert.equal(linearizableChecker.appliesBecause(historyOf([[0, "invoke", "write", 1], [0, "ok", "write", 1]])), "--model auto chose register: the simplest model that knows every f (read, write) and sees write (ops: write)");
});

test("kv keys of reads and unique writes take the fast path, key by key", () => {
  const records: Rec[] = [
    [0, "invoke", "write", 1, "a"],
    [0, "ok", "write", 1, "a"],
    [1, "invoke", "write", 2, "b"],
    [1, "ok", "write", 2, "b"],
    [2, "invoke", "read", undefined, "a"],
    [2, "ok", "read", 1, "a"],
  ];
  const good = check(records);
  assert.equal(good.valid, true);
  assert.deepEqual([good.stats.parts, good.stats.byFastPath], [2, 2]);
  const bad = check([...records, [2, "invoke", "read", undefined, "b"], [2, "ok", "read", null, "b"]]);
  assert.equal(bad.valid, false);
  assert.equal((bad.evidence as LinearizableEvidence).violation?.culpritText, 'the read of nil on key "b" by process 2 at index 7');
});

test("reads with unknown results are dropped: they constrain nothing", () => {
  const result = check([
    [0, "invoke", "write", 1],
    [1, "invoke", "read"],
    [1, "info", "read"],
    [0, "ok", "write", 1],
    [2, "invoke", "read"],
    [2, "ok", "read", 1],
  ], { initial: 0 });
  assert.equal(result.valid, true);
  assert.deepEqual([result.stats.operations, result.stats.unknownReadsRemoved], [2, 1]);
});
