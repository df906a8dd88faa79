import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { checkQueue, queueAppliesBecause } from "../../../src/checkers/queue/queue.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { makeHistory, op } from "../../support/make-history.ts";
import { queueChecker, totalQueueChecker } from "../../../src/checkers/queue/checker.ts";
import { assertStopsAtDeadline, deadlinePassingAt, pastDeadline } from "../../support/deadline.ts";

const invoke = (process: number, f: string, value: unknown): RawOp => ({ type: "invoke", f, process, value });
const complete = (process: number, f: string, value: unknown, type: "ok" | "fail" | "info" = "ok"): RawOp => ({ type, f, process, value });

test("Jepsen's queue cases: empty, possible and definite enqueue without dequeue are not invalid", () => {
  assert.equal(checkQueue(makeHistory([])).valid, "unknown");
  assert.equal(checkQueue(makeHistory([invoke(1, "enqueue", 1)])).valid, "unknown");
  assert.equal(checkQueue(makeHistory(op(1, "enqueue", 1))).valid, "unknown");
});

test("an enqueue concurrent with the dequeue may have put the element in", () => {
  const result = checkQueue(makeHistory([invoke(2, "dequeue", null), invoke(1, "enqueue", 1), complete(2, "dequeue", 1)]));
  assert.equal(result.valid, true);
  assert.deepEqual(result.stats, { enqueues: 1, dequeues: 1, badDequeues: 0, remaining: 0 });
});

test("a dequeue with no enqueue, a failed enqueue's element, or one dequeued twice is an error", () => {
  const none = checkQueue(makeHistory(op(1, "dequeue", null, "ok", 1)));
  assert.equal(none.valid, false);
  assert.deepEqual(none.evidence.badDequeues, [{ operationId: 0, index: 1, element: 1 }]);
  const failed = checkQueue(makeHistory([...op(0, "enqueue", 1, "fail"), ...op(1, "dequeue", null, "ok", 1)]));
  assert.equal(failed.valid, false);
  const twice = checkQueue(makeHistory([...op(0, "enqueue", 1, "info"), ...op(1, "dequeue", null, "ok", 1), ...op(1, "dequeue", null, "ok", 1)]));
  assert.deepEqual(twice.evidence.badDequeues.map((b) => b.operationId), [2]);
  const later = checkQueue(makeHistory([...op(1, "dequeue", null, "ok", 1), ...op(0, "enqueue", 1)]));
  assert.equal(later.valid, false, "an enqueue invoked after the dequeue completed cannot explain it");
});

test("drained elements are dequeued at the drain's completion", () => {
  const result = checkQueue(makeHistory([...op(0, "enqueue", 1), ...op(0, "enqueue", 2), ...op(1, "drain", null, "ok", [2, 1, 3])]));
  assert.equal(result.valid, false);
  assert.deepEqual(result.evidence.badDequeues, [{ operationId: 2, index: 5, element: 3 }]);
});

test("--checker auto: enqueues and dequeues", () => {
  assert.ok(queueAppliesBecause(makeHistory([...op(0, "enqueue", 1), ...op(1, "dequeue", null, "ok", 1)])));
  assert.equal(queueAppliesBecause(makeHistory(op(0, "enqueue", 1))), undefined);
});

/** Brute force: the largest matching of dequeues to distinct earlier non-failed enqueues of their element. */
function maxMatching(dequeues: { v: number; at: number }[], enqueues: { v: number; at: number }[]): number {
  const used = new Array<boolean>(enqueues.length).fill(false);
  const go = (i: number): number => {
    if (i === dequeues.length) return 0;
    let best = go(i + 1);
    enqueues.forEach((e, j) => {
      if (used[j] || e.v !== dequeues[i]!.v || e.at >= dequeues[i]!.at) return;
      used[j] = true;
      best = Math.max(best, 1 + go(i + 1));
      used[j] = false;
    });
    return best;
  };
  return go(0);
}

test("property: the bad dequeues are the fewest no assignment of enqueues can explain", () => {
  const step = fc.record({ f: fc.constantFrom("enqueue", "dequeue"), v: fc.integer({ min: 0, max: 2 }), type: fc.constantFrom("ok", "fail", "info"), process: fc.integer({ min: 0, max: 2 }), completes: fc.boolean() });
  fc.assert(
    fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
      // Interleave: each process invokes, and completes either right away or at the end.
      const records: RawOp[] = [];
      const open = new Map<number, RawOp>();
      for (const s of steps) {
        const pending = open.get(s.process);
        if (pending) {
          records.push(pending);
          open.delete(s.process);
        }
        records.push(invoke(s.process, s.f, s.f === "enqueue" ? s.v : null));
        const done = complete(s.process, s.f, s.v, s.type as "ok");
        if (s.completes) records.push(done);
        else open.set(s.process, done);
      }
      records.push(...open.values());
      const history = makeHistory(records);
      const result = checkQueue(history);
      const enq = history.operations.filter((o) => o.f === "enqueue" && o.outcome !== "fail").map((o) => ({ v: o.input as number, at: o.call }));
      const deq = history.operations.filter((o) => o.f === "dequeue" && o.outcome === "ok").map((o) => ({ v: o.output as number, at: o.completeIndex! }));
      assert.equal(result.stats.badDequeues, deq.length - maxMatching(deq, enq));
    }),
  );
});

test("queue and total-queue: read the --time-limit deadline while collecting and while judging: unknown, with the reason", () => {
  const enqueues = Array.from({ length: 5000 }, (_, i) => op(i % 4, "enqueue", i)).flat();
  const dequeues = Array.from({ length: 5000 }, (_, i) => op(i % 4, "dequeue", null, "ok", i)).flat();
  const history = makeHistory([...enqueues, ...dequeues]);
  const collecting = "the --time-limit of 0.2 s was reached while collecting the queue's enqueues and dequeues, after 4096 operations";
  assertStopsAtDeadline(queueChecker, history, pastDeadline(), collecting);
  assertStopsAtDeadline(totalQueueChecker, history, pastDeadline(), collecting);
  // 10,000 operations are two readings; the third falls in the judging pass.
  assertStopsAtDeadline(queueChecker, history, deadlinePassingAt(3), "the --time-limit of 0.2 s was reached while matching the queue's dequeues to enqueues, after 4096 dequeues");
  assertStopsAtDeadline(totalQueueChecker, history, deadlinePassingAt(3), "the --time-limit of 0.2 s was reached while counting the queue's elements, after 4096 elements");
});
