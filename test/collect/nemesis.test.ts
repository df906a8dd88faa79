import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { faultOpNames, nemesisSchedule, NEMESES, partitionPlan, TIMING } from "../../src/collect/nemesis.ts";
import { Random } from "../../src/simulate/random.ts";

describe("nemesis schedule", () => {
  it("cuts at 3 s and 13 s and heals at 8 s and 18 s in a 20 s run", () => {
    assert.deepEqual(nemesisSchedule("isolate-leader", 20_000), [
      { atMs: 3000, phase: "start" },
      { atMs: 8000, phase: "stop" },
      { atMs: 13_000, phase: "start" },
      { atMs: 18_000, phase: "stop" },
    ]);
    assert.deepEqual(nemesisSchedule("none", 20_000), []);
  });

  it("for any duration: starts and stops alternate, quiet before the first fault, healed before the end", () => {
    fc.assert(
      fc.property(fc.constantFrom(...NEMESES.filter((n) => n !== "none")), fc.integer({ min: 1, max: 600_000 }), (kind, durationMs) => {
        const events = nemesisSchedule(kind, durationMs);
        const scale = Math.min(1, durationMs / TIMING.referenceMs);
        events.forEach((e, i) => assert.equal(e.phase, i % 2 === 0 ? "start" : "stop"));
        for (let i = 1; i < events.length; i++) assert.ok(events[i]!.atMs > events[i - 1]!.atMs);
        if (events.length > 0) {
          assert.ok(events[0]!.atMs >= TIMING.quietMs * scale - 1e-9);
          assert.ok(events.at(-1)!.atMs <= durationMs - TIMING.tailMs * scale + 1e-9);
        }
        if (durationMs >= TIMING.referenceMs) assert.ok(events.length >= 4, "at least two faults in 20 s or more");
      }),
    );
  });

  it("names fault ops with words the stats checker reads as fault start and end", () => {
    assert.deepEqual(faultOpNames("bridge"), { start: "start-partition", stop: "stop-partition" });
    assert.deepEqual(faultOpNames("pause"), { start: "pause", stop: "resume" });
    assert.deepEqual(faultOpNames("kill"), { start: "kill", stop: "restart" });
  });
});

describe("partition plans", () => {
  it("isolate-leader cuts the leader from each other member", () => {
    const plan = partitionPlan("isolate-leader", 5, new Random(1), 2);
    assert.deepEqual(plan.cut, [[0, 2], [1, 2], [2, 3], [2, 4]]);
    assert.equal(plan.description, "isolate n3 (leader) from n1 n2 n4 n5");
  });

  it("isolate-primary cuts the same links in a primary's words", () => {
    const plan = partitionPlan("isolate-primary", 5, new Random(1), 0);
    assert.deepEqual(plan.cut, [[0, 1], [0, 2], [0, 3], [0, 4]]);
    assert.equal(plan.description, "isolate n1 (primary) from n2 n3 n4 n5");
    assert.match(partitionPlan("isolate-primary", 3, new Random(1), undefined).description, /\(no primary known\)/);
  });

  it("isolate-leader without a known leader isolates some member, and says so", () => {
    const plan = partitionPlan("isolate-leader", 5, new Random(1), undefined);
    assert.equal(plan.cut.length, 4);
    assert.match(plan.description, /^isolate n\d \(no leader known\) from/);
  });

  it("majority-minority splits 5 into 2 | 3 with all 6 links between them cut", () => {
    const plan = partitionPlan("majority-minority", 5, new Random(7), undefined);
    assert.equal(plan.cut.length, 6);
    const minority = new Set(plan.cut.flat().filter((m) => plan.cut.filter((p) => p.includes(m)).length === 3));
    assert.equal(minority.size, 2, "each minority member loses its 3 majority links");
    assert.match(plan.description, /^cut n\d n\d \/ n\d n\d n\d$/);
  });

  it("bridge leaves one member linked to all, and cuts the two halves from each other", () => {
    const plan = partitionPlan("bridge", 5, new Random(3), undefined);
    assert.equal(plan.cut.length, 4);
    const touched = new Set(plan.cut.flat());
    assert.equal(touched.size, 4, "the bridge member appears in no cut");
    const bridge = [0, 1, 2, 3, 4].find((m) => !touched.has(m))!;
    assert.match(plan.description, new RegExp(`^bridge n${bridge + 1} between n\\d n\\d / n\\d n\\d$`));
  });

  it("is deterministic for a seed", () => {
    const a = partitionPlan("majority-minority", 5, new Random(42), undefined);
    const b = partitionPlan("majority-minority", 5, new Random(42), undefined);
    assert.deepEqual(a, b);
  });
});
