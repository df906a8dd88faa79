import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { checkCounter } from "../../../src/checkers/counter/counter.ts";
import { counterChecker } from "../../../src/checkers/counter/checker.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { makeHistory, op } from "../../support/make-history.ts";
import { guardedCheck } from "../../../src/checkers/guard.ts";
import { manualDeadline, pastDeadline } from "../../support/deadline.ts";

test("each read between acknowledged-before-invocation and invoked-before-completion", () => {
  const records: RawOp[] = [
    ...op(0, "add", 1),
    ...op(0, "add", 2),
    ...op(1, "read", null, "ok", 3), // [3, 3]
    ...op(2, "add", 5, "info"), // may happen any time after
    ...op(1, "read", null, "ok", 3), // [3, 8]
    ...op(1, "read", null, "ok", 10), // 2 above 8
    ...op(1, "read", null, "ok", 1), // 2 below 3
    ...op(0, "add", 4, "fail"), // never counts
    ...op(1, "read", null, "ok", 8), // [3, 8]
  ];
  const result = checkCounter(makeHistory(records));
  assert.equal(result.valid, false);
  assert.deepEqual(
    result.evidence.reads.map((r) => [r.id, r.value, r.lower, r.upper, r.drift]),
    [
      [2, 3, 3, 3, 0],
      [4, 3, 3, 8, 0],
      [5, 10, 3, 8, 2],
      [6, 1, 3, 8, -2],
      [8, 8, 3, 8, 0],
    ],
  );
  assert.deepEqual(result.evidence.errors.map((e) => e.id), [5, 6]);
  assert.deepEqual(result.stats.maxDrift, { absolute: 2, absoluteReadId: 5, relative: 2 / 3, relativeReadId: 6 });
  assert.deepEqual(result.stats.counts, { increments: 3, acknowledged: 2, reads: 5, errors: 2, unjudged: 0 });
  assert.deepEqual(result.stats.final, { id: 8, value: 8, acknowledged: 3, attempted: 8, difference: 5 });
  assert.deepEqual(result.focus, [5, 6]);
  assert.equal(result.summary, "2 of 5 reads outside their bounds; largest drift 2 (read 5) (largest relative drift 66.7% of the nearest bound, read 6); final read 8 vs 3 acknowledged.");
});

test("an increment concurrent with a read may or may not be seen", () => {
  const records: RawOp[] = [
    { type: "invoke", f: "add", process: 0, value: 1 },
    { type: "invoke", f: "read", process: 1, value: null },
    { type: "ok", f: "add", process: 0, value: 1 },
    { type: "ok", f: "read", process: 1, value: 1 },
    ...op(1, "read", null, "ok", 0),
  ];
  const result = checkCounter(makeHistory(records));
  assert.deepEqual(result.evidence.reads.map((r) => [r.lower, r.upper, r.drift]), [[0, 1, 0], [1, 1, -1]]);
  assert.equal(result.valid, false);
});

test("negative increments mirror the bounds", () => {
  const records: RawOp[] = [...op(0, "add", 5), ...op(1, "add", -2, "info"), ...op(2, "read", null, "ok", 3), ...op(2, "read", null, "ok", 6)];
  const result = checkCounter(makeHistory(records));
  assert.deepEqual(result.evidence.reads.map((r) => [r.lower, r.upper, r.drift]), [[3, 5, 0], [3, 5, 1]]);
  assert.equal(result.evidence.reads[1]!.relativeDrift, 0.2);
});

test("the 2013 form: the final read against acknowledged increments", () => {
  const result = checkCounter(makeHistory([...op(0, "add", 1), ...op(0, "add", 1), ...op(1, "add", 1, "info"), ...op(0, "read", null, "ok", 1)]));
  assert.deepEqual(result.stats.final, { id: 3, value: 1, acknowledged: 2, attempted: 3, difference: -1 });
  assert.match(result.summary, /final read 1 vs 2 acknowledged \(1 acknowledged increments missing\)\.$/);
});

test("an --initial value shifts the bounds", () => {
  const result = checkCounter(makeHistory([...op(0, "add", 1), ...op(0, "read", null, "ok", 11)]), { initial: 10 });
  assert.equal(result.valid, true);
});

test("no reads, or values that are not numbers: unknown, never valid", () => {
  assert.equal(checkCounter(makeHistory([...op(0, "add", 1), ...op(0, "add", 1)])).valid, "unknown");
  assert.equal(checkCounter(makeHistory([...op(0, "add", 1), ...op(0, "read", null, "ok", null), ...op(0, "read", null, "ok", 1)])).valid, "unknown");
});

test("auto: numeric adds with numeric reads, or repeated adds without reads", () => {
  assert.ok(counterChecker.appliesBecause(makeHistory([...op(0, "add", 1), ...op(0, "read", null, "ok", 1)])));
  assert.ok(counterChecker.appliesBecause(makeHistory([...op(0, "add", 1), ...op(0, "add", 1)])));
  assert.equal(counterChecker.appliesBecause(makeHistory([...op(0, "add", 1), ...op(0, "add", 2)])), undefined);
  assert.equal(counterChecker.appliesBecause(makeHistory([...op(0, "add", 1), ...op(0, "read", null, "ok", [1])])), undefined);
});

test("property: a read of the counter's true value at its completion is always within its bounds", () => {
  // Random concurrent histories in which each add takes effect at its invocation or at its
  // completion (or never, when it fails): every read returns the true sum when it completes.
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(3), fc.integer({ min: -3, max: 5 }), fc.constantFrom("ok", "info", "fail"), fc.boolean(), fc.boolean()), { maxLength: 50 }), (steps) => {
      const records: RawOp[] = [];
      const open = new Map<number, { f: string; delta: number; outcome: "ok" | "info" | "fail"; late: boolean }>();
      const crashed = new Set<number>();
      let sum = 0;
      for (const [p, delta, outcome, isRead, early] of steps) {
        if (crashed.has(p)) continue;
        const pending = open.get(p);
        if (!pending) {
          records.push({ type: "invoke", f: isRead ? "read" : "add", process: p, value: isRead ? null : delta });
          const applies = !isRead && outcome !== "fail";
          if (applies && early) sum += delta;
          open.set(p, { f: isRead ? "read" : "add", delta, outcome: outcome as "ok" | "info" | "fail", late: applies && !early });
          continue;
        }
        open.delete(p);
        if (pending.late) sum += pending.delta;
        if (pending.f === "read") records.push({ type: "ok", f: "read", process: p, value: sum });
        else records.push({ type: pending.outcome, f: "add", process: p, value: pending.delta });
        if (pending.outcome === "info" && pending.f === "add") crashed.add(p);
      }
      const result = checkCounter(makeHistory(records));
      for (const r of result.evidence.reads) assert.ok(r.lower <= r.value && r.value <= r.upper, JSON.stringify(r));
      assert.deepEqual(result.evidence.errors, []);
    }),
    { numRuns: 300 },
  );
});

test("counter: stops at the --time-limit deadline, read every 4096 operations: unknown, with the reason", () => {
  const long = makeHistory([...Array.from({ length: 5000 }, (_, i) => op(i % 4, "add", 1)).flat(), ...op(0, "read", null, "ok", 5000)]);
  const cut = guardedCheck("counter", () => counterChecker.configure({}, { timeLimitMs: 200, deadline: pastDeadline() }).check(long));
  assert.equal(cut.valid, "unknown");
  assert.equal(cut.summary, "the --time-limit of 0.2 s was reached while collecting the counter's adds and reads, after 4096 operations");
  const ahead = counterChecker.configure({}, { timeLimitMs: 200, deadline: manualDeadline().deadline }).check(long);
  assert.equal(ahead.valid, true);
  assert.deepEqual(ahead, checkCounter(long));
});
