import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { checkTotalQueue, totalQueueAppliesBecause } from "../../../src/checkers/queue/total-queue.ts";
import { chooseCheckers } from "../../../src/checkers/registry.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { makeHistory, op } from "../../support/make-history.ts";
import { assertStreamsAsHeld } from "../../support/streaming.ts";

const invoke = (process: number, f: string, value: unknown): RawOp => ({ type: "invoke", f, process, value });
const ok = (process: number, f: string, value: unknown): RawOp => ({ type: "ok", f, process, value });

test("empty: unknown, nothing to check (Jepsen: valid)", () => {
  assert.equal(checkTotalQueue(makeHistory([])).valid, "unknown");
});

test("Jepsen's sane case: an unacknowledged enqueue dequeued is recovered", () => {
  const result = checkTotalQueue(makeHistory([invoke(1, "enqueue", 1), invoke(2, "enqueue", 2), ok(2, "enqueue", 2), invoke(3, "dequeue", null), ok(3, "dequeue", 1), invoke(3, "dequeue", null), ok(3, "dequeue", 2)]));
  assert.equal(result.valid, true);
  assert.deepEqual(result.stats, { attempted: 2, acknowledged: 1, ok: 2, lost: 0, unexpected: 0, duplicated: 0, recovered: 1, dequeued: 2, crashedDrains: 0 });
  assert.deepEqual(result.evidence.recovered, [{ element: 1, count: 1, operationIds: [0, 2] }]);
});

test("Jepsen's pathological case: a hung enqueue, a lost one, an unexpected and a duplicated dequeue", () => {
  const records = [
    invoke(1, "enqueue", "hung"), // op 0, never completes
    invoke(2, "enqueue", "enqueued"),
    ok(2, "enqueue", "enqueued"), // op 1
    invoke(3, "enqueue", "dup"),
    ok(3, "enqueue", "dup"), // op 2
    invoke(4, "dequeue", null), // op 3, never completes
    invoke(5, "dequeue", null),
    ok(5, "dequeue", "wtf"), // op 4
    invoke(6, "dequeue", null),
    ok(6, "dequeue", "dup"), // op 5
    invoke(7, "dequeue", null),
    ok(7, "dequeue", "dup"), // op 6
  ];
  const result = checkTotalQueue(makeHistory(records));
  assert.equal(result.valid, false);
  assert.deepEqual(result.stats, { attempted: 3, acknowledged: 2, ok: 1, lost: 1, unexpected: 1, duplicated: 1, recovered: 0, dequeued: 3, crashedDrains: 0 });
  assert.deepEqual(result.evidence.lost, [{ element: "enqueued", count: 1, operationIds: [1] }]);
  assert.deepEqual(result.evidence.unexpected, [{ element: "wtf", count: 1, operationIds: [4] }]);
  assert.deepEqual(result.evidence.duplicated, [{ element: "dup", count: 1, operationIds: [5, 6] }]);
  assert.deepEqual(result.focus, [1, 4]);
});

test("an ok drain expands into a dequeue per element; a failed one did nothing; a crashed one makes loss unknowable", () => {
  const base = [...op(0, "enqueue", 1), ...op(0, "enqueue", 2), ...op(1, "drain", null, "fail")];
  const drained = checkTotalQueue(makeHistory([...base, ...op(1, "drain", null, "ok", [1, 2])]));
  assert.equal(drained.valid, true);
  assert.equal(drained.stats.dequeued, 2);
  const crashed = checkTotalQueue(makeHistory([...base, ...op(1, "drain", null, "info")]));
  assert.equal(crashed.valid, "unknown");
  assert.deepEqual(crashed.evidence.crashedDrainIds, [3]);
  assert.equal(crashed.stats.lost, 2);
  const crashedButUnexpected = checkTotalQueue(makeHistory([...base, ...op(1, "drain", null, "info"), ...op(1, "dequeue", null, "ok", 9)]));
  assert.equal(crashedButUnexpected.valid, false);
});

test("--checker auto: only when the history drains the queue", () => {
  const traffic = [...op(0, "enqueue", 1), ...op(1, "dequeue", null, "ok", 1)];
  assert.equal(totalQueueAppliesBecause(makeHistory(traffic)), undefined);
  assert.match(totalQueueAppliesBecause(makeHistory([...traffic, ...op(1, "drain", null, "ok", [])]))!, /a drain/);
  assert.match(totalQueueAppliesBecause(makeHistory([...traffic, ...op(1, "dequeue", null, "fail")]))!, /found the queue empty/);
});

/** Multisets as arrays, Jepsen's definitions read literally. */
function minus(a: unknown[], b: unknown[]): unknown[] {
  const rest = [...b];
  return a.filter((x) => {
    const i = rest.indexOf(x);
    if (i < 0) return true;
    rest.splice(i, 1);
    return false;
  });
}
const intersect = (a: unknown[], b: unknown[]): unknown[] => minus(a, minus(a, b));

test("property: lost, unexpected, duplicated and recovered are Jepsen's multiset expressions", () => {
  const enqueue = fc.record({ f: fc.constant("enqueue"), v: fc.integer({ min: 0, max: 5 }), type: fc.constantFrom("ok", "fail", "info") });
  const dequeue = fc.record({ f: fc.constantFrom("dequeue", "drain"), v: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 3 }), type: fc.constantFrom("ok", "ok", "fail") });
  fc.assert(
    fc.property(fc.array(fc.oneof(enqueue, dequeue), { maxLength: 20 }), (ops) => {
      const records = ops.flatMap((o, i) => (o.f === "enqueue" ? op(i, "enqueue", o.v, o.type as "ok") : op(i, o.f, null, o.type as "ok", o.f === "drain" ? o.v : (o.v as number[])[0])));
      const result = checkTotalQueue(makeHistory(records));
      const attempts = ops.filter((o) => o.f === "enqueue").map((o) => o.v);
      const enqueues = ops.filter((o) => o.f === "enqueue" && o.type === "ok").map((o) => o.v);
      const dequeues = ops.filter((o) => o.f !== "enqueue" && o.type === "ok").flatMap((o) => (o.f === "drain" ? (o.v as number[]) : [(o.v as number[])[0]]));
      const okSet = intersect(dequeues, attempts);
      const unexpected = dequeues.filter((d) => !attempts.includes(d));
      const duplicated = minus(minus(dequeues, attempts), unexpected);
      const lost = minus(enqueues, dequeues);
      const recovered = minus(okSet, enqueues);
      const s = result.stats;
      assert.deepEqual([s.ok, s.unexpected, s.duplicated, s.lost, s.recovered], [okSet.length, unexpected.length, duplicated.length, lost.length, recovered.length]);
      const listed = (xs: { element: unknown; count: number }[]): unknown[] => xs.flatMap((x) => Array(x.count).fill(x.element)).sort();
      assert.deepEqual(listed(result.evidence.lost), [...lost].sort());
      assert.deepEqual(listed(result.evidence.unexpected), [...unexpected].sort());
      if (lost.length > 0 || unexpected.length > 0) assert.equal(result.valid, false);
    }),
  );
});

test("streams: a simulated queue history folded operation by operation gives the held verdicts (queue and total-queue)", async () => {
  await assertStreamsAsHeld({ behaviour: "async-failover", workload: "queue", ops: 1500, seed: 5 }, ["queue", "total-queue"]);
});

test("--checker auto on a drained queue history runs stats, queue and total-queue, and nothing else", () => {
  const history = makeHistory([...op(0, "enqueue", 1), ...op(1, "dequeue", null, "ok", 1), ...op(0, "enqueue", 2), ...op(1, "drain", null, "ok", [2])]);
  assert.deepEqual(chooseCheckers(["auto"], history).map((c) => c.checker.name), ["stats", "queue", "total-queue"]);
});

test("an ok drain whose value is not a list took out what cannot be known, like a crashed one", () => {
  const result = checkTotalQueue(makeHistory([...op(0, "enqueue", 1), ...op(1, "drain", null, "ok", "everything")]));
  assert.equal(result.valid, "unknown");
  assert.deepEqual(result.evidence.crashedDrainIds, [1]);
});
