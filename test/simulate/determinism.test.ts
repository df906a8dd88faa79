import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BEHAVIOURS, NEMESES, WORKLOADS } from "../../src/simulate/catalog.ts";
import { simulated } from "../support/simulate-helpers.ts";

const combos = BEHAVIOURS.flatMap((b) => WORKLOADS.filter((w) => b.rejects(w.create()) === undefined).map((w) => ({ behaviour: b.name, workload: w.name })));

describe("simulate: determinism", () => {
  it("gives identical bytes for the same seed and options, for every behaviour", async () => {
    for (const behaviour of BEHAVIOURS) {
      const workload = combos.find((c) => c.behaviour === behaviour.name)!.workload;
      const a = await simulated({ behaviour: behaviour.name, workload, nemesis: "mixed", faults: 3, ops: 600, seed: 5 });
      const b = await simulated({ behaviour: behaviour.name, workload, nemesis: "mixed", faults: 3, ops: 600, seed: 5 });
      assert.equal(a.text, b.text, behaviour.name);
      assert.deepEqual(a.truth, b.truth, behaviour.name);
    }
  });

  it("gives different histories for different seeds", async () => {
    const a = await simulated({ seed: 1, ops: 300 });
    const b = await simulated({ seed: 2, ops: 300 });
    assert.notEqual(a.text, b.text);
  });
});

describe("simulate: every behaviour × workload × nemesis", () => {
  it("writes histories that pair cleanly, with the nemesis schedule and about --ops records", async () => {
    assert.equal(combos.length, 39);
    for (const combo of combos) {
      for (const { name: nemesis } of NEMESES) {
        const label = `${combo.behaviour} ${combo.workload} ${nemesis}`;
        const run = await simulated({ ...combo, nemesis, ops: 400, seed: 3 });
        assert.equal(run.warnings, 0, label);
        assert.ok(run.records.length <= 400 && run.records.length >= 380, `${label}: ${run.records.length} records`);
        assert.equal(run.truth.records, run.records.length, label);
        const nemesisOps = run.records.filter((r) => r.process === "nemesis");
        assert.equal(nemesisOps.length, nemesis === "none" ? 0 : 4, label);
        for (const action of run.truth.nemesis.actions) assert.equal(run.records[action.index]!.f, action.f, label);
        const times = run.records.map((r) => r.time!);
        assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]!), `${label}: times never go backwards`);
      }
    }
  });
});
