import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Pairer, PairingError } from "../../src/history/pair.ts";
import { historyOf } from "../support/helpers.ts";

describe("pairing", () => {
  it("pairs each invocation with the next completion on its process", () => {
    const h = historyOf([
      { type: "invoke", f: "write", value: 1, process: 0 },
      { type: "invoke", f: "read", value: null, process: 1 },
      { type: "ok", f: "read", value: 1, process: 1 },
      { type: "ok", f: "write", value: 1, process: 0 },
    ]);
    assert.equal(h.operations.length, 2);
    const [write, read] = h.operations;
    assert.deepEqual([write!.call, write!.ret, write!.outcome, write!.output], [0, 3, "ok", 1]);
    assert.deepEqual([read!.call, read!.ret, read!.input, read!.output], [1, 2, null, 1]);
  });

  it("treats info completions and ops open at the end as indeterminate (ret = Infinity)", () => {
    const h = historyOf([
      { type: "invoke", f: "write", value: 1, process: 0 },
      { type: "info", f: "write", value: 1, process: 0 },
      { type: "invoke", f: "write", value: 2, process: 1 },
    ]);
    assert.equal(h.operations[0]!.outcome, "info");
    assert.equal(h.operations[0]!.ret, Infinity);
    assert.equal(h.operations[0]!.completeIndex, 1);
    assert.equal(h.operations[1]!.outcome, "info");
    assert.equal(h.operations[1]!.completeIndex, undefined);
  });

  it("assigns dense indices when absent and rejects indices that do not increase", () => {
    const p = new Pairer();
    assert.equal(p.add({ type: "invoke", f: "read", process: 0 }).index, 0);
    assert.equal(p.add({ type: "ok", f: "read", process: 0, index: 5 }).index, 5);
    assert.equal(p.add({ type: "invoke", f: "read", process: 0 }).index, 6);
    assert.throws(() => p.add({ type: "ok", f: "read", process: 0, index: 6 }), PairingError);
  });

  it("rejects a completion without an invocation, naming the op's index", () => {
    const p = new Pairer();
    assert.throws(() => p.add({ type: "ok", f: "read", process: 3 }), /process 3 \(index 0\) has no open invocation/);
  });

  it("rejects a second invocation while one is open", () => {
    const p = new Pairer();
    p.add({ type: "invoke", f: "read", process: 0 });
    assert.throws(() => p.add({ type: "invoke", f: "write", process: 0 }), /invokes again \(index 1\) while its read at index 0 is still open/);
  });

  it("warns when a fail's value differs, and when a process invokes after an info", () => {
    const h = historyOf([
      { type: "invoke", f: "cas", value: [1, 2], process: 0 },
      { type: "fail", f: "cas", value: [1, 3], process: 0 },
      { type: "invoke", f: "write", value: 1, process: 1 },
      { type: "info", f: "write", value: 1, process: 1 },
      { type: "invoke", f: "write", value: 2, process: 1 },
    ]);
    assert.deepEqual(
      h.warnings.map((w) => w.index),
      [1, 4],
    );
    assert.match(h.warnings[0]!.message, /fail's value \[1,3\] differs/);
  });

  it("lets nemesis processes (strings) start again after an info without a warning", () => {
    const h = historyOf([
      { type: "invoke", f: "start-partition", process: "nemesis" },
      { type: "info", f: "start-partition", process: "nemesis" },
      { type: "invoke", f: "stop-partition", process: "nemesis" },
      { type: "info", f: "stop-partition", process: "nemesis" },
    ]);
    assert.equal(h.warnings.length, 0);
    assert.equal(h.operations.length, 2);
  });
});
