import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { classifyCycle } from "../../../src/checkers/txn/classify.ts";
import { EdgeList, PROCESS, REALTIME, RW, WR, WW } from "../../../src/checkers/txn/graph.ts";
import { judgeModels } from "../../../src/checkers/txn/models.ts";
import { stronglyConnected } from "../../../src/checkers/txn/tarjan.ts";

function graphOf(size: number, edges: [number, number, number][]): ReturnType<EdgeList["toGraph"]> {
  const list = new EdgeList();
  for (const [a, b, k] of edges) list.add(a, b, k);
  return list.toGraph(size);
}

/** Components of two or more nodes by brute force: nodes that reach each other. */
function mutualReach(size: number, edges: [number, number, number][]): string[] {
  const reach = Array.from({ length: size }, (_, i) => {
    const seen = new Set([i]);
    const todo = [i];
    while (todo.length) {
      const u = todo.pop()!;
      for (const [a, b] of edges) if (a === u && !seen.has(b)) (seen.add(b), todo.push(b));
    }
    return seen;
  });
  const groups = new Set<string>();
  for (let i = 0; i < size; i++) {
    const group = [...reach[i]!].filter((j) => reach[j]!.has(i)).sort((a, b) => a - b);
    if (group.length > 1) groups.add(group.join(","));
  }
  return [...groups].sort();
}

describe("txn graph", () => {
  it("merges parallel edges into one edge carrying both kinds", () => {
    const g = graphOf(3, [[0, 1, WW], [0, 1, WR], [1, 2, RW], [2, 2, RW]]);
    assert.deepEqual([...g.offsets], [0, 1, 2, 2]);
    assert.deepEqual([...g.targets], [1, 2]);
    assert.deepEqual([...g.kinds], [WW | WR, RW]);
  });

  it("Tarjan agrees with brute-force mutual reachability on random graphs", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom(WW, WR, RW)), { maxLength: 30 }))), ([n, edges]) => {
        const found = stronglyConnected(graphOf(n, edges), WW | WR | RW).map((c) => [...c].sort((a, b) => a - b).join(",")).sort();
        assert.deepEqual(found, mutualReach(n, edges.filter(([a, b]) => a !== b)));
      }),
    );
  });

  it("Tarjan handles a million-node cycle without recursion", () => {
    const n = 1_000_000;
    const list = new EdgeList();
    for (let i = 0; i < n; i++) list.add(i, (i + 1) % n, WW);
    const components = stronglyConnected(list.toGraph(n), WW);
    assert.equal(components.length, 1);
    assert.equal(components[0]!.length, n);
  });

  it("names cycles by their edges", () => {
    assert.deepEqual(classifyCycle([WW, WW]), { type: "G0", base: "G0" });
    assert.equal(classifyCycle([WW, WR]).type, "G1c");
    assert.equal(classifyCycle([RW, WR, WW]).type, "G-single");
    assert.equal(classifyCycle([RW, RW]).type, "G2-item");
    assert.equal(classifyCycle([RW, WR, RW, WR]).type, "G-nonadjacent");
    assert.deepEqual(classifyCycle([RW, PROCESS]), { type: "G-single-process", base: "G-single", order: "process" });
    assert.deepEqual(classifyCycle([RW, PROCESS, REALTIME]), { type: "G-single-realtime", base: "G-single", order: "realtime" });
  });

  it("rules models out along the lattice and keeps what still holds", () => {
    const built = { process: true, realtime: true };
    const g1a = judgeModels(["G1a"], built, true);
    assert.deepEqual(g1a.weakestViolated, ["read-committed"]);
    assert.deepEqual(g1a.holding, ["read-uncommitted"]);
    const skew = judgeModels(["G2-item"], built, true);
    assert.deepEqual(skew.violated, ["repeatable-read", "serializable", "strong-session-serializable", "strict-serializable"]);
    assert.ok(skew.holding.includes("strong-snapshot-isolation"));
    const cut = judgeModels([], built, false);
    assert.deepEqual(cut.holding, []);
    assert.equal(cut.unchecked.length, 14);
  });
});
