import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Pairer, PairingError } from "../../src/history/pair.ts";
import { loadHistory } from "../../src/load.ts";
import { historyOf, ndjson, runCli, writeTemp } from "../support/helpers.ts";

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

  it("keeps every kind of process apart: small, large and negative integers, strings that look like them", () => {
    const processes = [3, "3", 70_000, -1, 0, "nemesis", 65_535, 65_536];
    const records = [
      ...processes.map((process, i) => ({ type: "invoke" as const, f: "write", value: i, process })),
      ...processes.toReversed().map((process) => ({ type: "ok" as const, f: "write", process })),
    ];
    const h = historyOf(records);
    assert.deepEqual(
      h.operations.map((o) => [o.process, o.input, o.ret]),
      processes.map((process, i) => [process, i, 2 * processes.length - 1 - i]),
    );
    const streamed: unknown[] = [];
    const p = new Pairer((o) => streamed.push(o.process));
    for (const r of records.slice(0, processes.length + 2)) p.add({ ...r });
    p.finish();
    assert.deepEqual(streamed, [65_536, 65_535, 3, "3", 70_000, -1, 0, "nemesis"], "completed first, then the open ones in invocation order");
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

describe("times that go backwards", () => {
  it("drops the latency of a completion timed before its invocation, and says so", () => {
    const pairer = new Pairer();
    pairer.add({ type: "invoke", f: "read", process: 0, time: 500 });
    pairer.add({ type: "ok", f: "read", process: 0, value: 1, time: 200 });
    const [o] = pairer.finish();
    assert.equal(o!.callTime, 500);
    assert.equal(o!.retTime, undefined);
    assert.equal(pairer.completionsBeforeInvocation, 1);
    assert.match(pairer.warnings.map((w) => w.message).join("\n"), /completes at time 200, before its invocation at 500 .*latency is unknown/);
  });

  it("warns once for records out of time order and counts them all", () => {
    const pairer = new Pairer();
    for (const [process, time] of [[0, 100], [1, 50], [2, 40], [3, 300]] as const) pairer.add({ type: "invoke", f: "read", process, time });
    assert.equal(pairer.recordsOutOfTimeOrder, 2);
    assert.equal(pairer.warnings.length, 1);
  });

  it("stats latencies stay non-negative and the verdict says time went backwards", async () => {
    const file = writeTemp("backwards.ndjson", ndjson([
      { type: "invoke", f: "write", value: 1, process: 0, time: 5_000_000 },
      { type: "ok", f: "write", value: 1, process: 0, time: 1_000_000 },
      { type: "invoke", f: "write", value: 2, process: 0, time: 6_000_000 },
      { type: "ok", f: "write", value: 2, process: 0, time: 8_000_000 },
    ]));
    const r = await runCli(["analyze", file, "--report", "none", "--json", "--checker", "stats"]);
    const verdict = JSON.parse(r.stdout) as { annotations: Record<string, unknown>; checkers: { stats: { latencyMs: { count: number; max: number } } }[] };
    assert.deepEqual(verdict.annotations.timeWentBackwards, { completionsBeforeInvocation: 1, recordsOutOfTimeOrder: 1 });
    assert.deepEqual([verdict.checkers[0]!.stats.latencyMs.count, verdict.checkers[0]!.stats.latencyMs.max], [1, 2]);
  });
});

describe("pairing and index errors", () => {
  it("name the line and the column of the record", async () => {
    await assert.rejects(loadHistory(writeTemp("p.ndjson", '{"type":"invoke","f":"r","process":0}\n  {"type":"ok","f":"r","process":1}\n')), /p\.ndjson:2:3: ok completion of r by process 1/);
    await assert.rejects(loadHistory(writeTemp("i.ndjson", '{"type":"invoke","f":"r","process":0,"index":5}\n{"type":"ok","f":"r","process":0,"index":2}\n')), /i\.ndjson:2:1: index 2 does not increase/);
    await assert.rejects(loadHistory(writeTemp("p.edn", "[{:type :invoke, :f :r, :process 0}\n {:type :invoke, :f :r, :process 0}]")), /p\.edn:2:2: process 0 invokes again/);
  });
});
