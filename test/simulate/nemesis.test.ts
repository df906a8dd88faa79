import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Operation } from "../../src/history/op.ts";
import { faultWindows } from "../../src/simulate/nemesis.ts";
import type { RowWrite } from "../../src/simulate/workloads/lww-rows.ts";
import { simulated, type SimulatedRun } from "../support/simulate-helpers.ts";

/** Client operations invoked after the fault started and completed before it stopped, on `node`. */
function during(run: SimulatedRun, node: string, on = true): Operation[] {
  const [start, stop] = run.truth.nemesis.actions;
  return run.operations.filter((o) => typeof o.process === "number" && o.call > start!.index && o.completeIndex !== undefined && o.completeIndex < stop!.index && (o.invoke.node === node) === on);
}

describe("simulate: nemesis", () => {
  it("spreads fault windows evenly, healthy at both ends", () => {
    assert.deepEqual(faultWindows(3000, 1), [{ start: 1000, stop: 2000 }]);
    assert.deepEqual(faultWindows(500, 2), [{ start: 100, stop: 200 }, { start: 300, stop: 400 }]);
  });

  it("crash: the killed node's clients are refused, the others go on", async () => {
    const run = await simulated({ behaviour: "majority", nemesis: "crash", ops: 3000, seed: 8 });
    const [kill, restart] = run.truth.nemesis.actions;
    assert.equal(kill!.f, "kill");
    assert.equal(restart!.f, "restart");
    const victims = during(run, kill!.value as string);
    assert.ok(victims.length > 0);
    assert.ok(victims.every((o) => o.outcome === "fail" && o.error === "connection-refused"));
    assert.ok(during(run, kill!.value as string, false).some((o) => o.outcome === "ok"));
  });

  it("pause: the paused node's clients time out (info) and move to new processes", async () => {
    const run = await simulated({ behaviour: "majority", nemesis: "pause", ops: 3000, seed: 8 });
    const [pause] = run.truth.nemesis.actions;
    assert.equal(pause!.f, "pause");
    const victims = run.operations.filter((o) => o.invoke.node === pause!.value && o.call > pause!.index && o.outcome === "info");
    assert.ok(victims.length > 0);
    assert.ok(victims.every((o) => o.error === "timeout"));
    const processes = new Set(run.operations.filter((o) => o.invoke.node === pause!.value).map((o) => o.process));
    assert.ok(processes.size > 1, "a client gets a new process after an info");
  });

  it("bridge: the middle node sees a majority and keeps serving", async () => {
    const run = await simulated({ behaviour: "majority", nemesis: "bridge", ops: 3000, seed: 8 });
    const [bridge] = run.truth.nemesis.actions;
    const middle = /^bridge .* \/ (n\d+) \/ /.exec(bridge!.value as string)![1]!;
    const served = during(run, middle);
    assert.ok(served.length > 0 && served.every((o) => o.outcome === "ok"), `${middle} serves every request`);
  });

  it("clock: skewed nodes stamp LWW writes with their skewed clocks", async () => {
    const run = await simulated({ behaviour: "lww", workload: "lww-rows", nemesis: "clock", ops: 3000, seed: 8 });
    const [bump, reset] = run.truth.nemesis.actions;
    assert.equal(bump!.f, "bump-clock");
    const [node, skew] = (bump!.value as string).split(", ")[0]!.split(" ");
    const skewMicros = Number(skew!.replace("ms", "")) * 1000;
    const writes = during(run, node!).filter((o) => o.f === "write");
    assert.ok(writes.length > 0);
    for (const o of writes) assert.ok(Math.abs((o.input as RowWrite).ts - (o.callTime! / 1000 + skewMicros)) <= 1, "ts = true time + skew");
    assert.equal(reset!.value, "clocks reset");
  });
});
