import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { valueKey, type ValueKey } from "../../../src/history/values.ts";
import { checkSetFull, SetFullFold, type SetFullOutcome } from "../../../src/checkers/set/set-full.ts";
import { checkSet, SetFold } from "../../../src/checkers/set/set.ts";
import type { CheckerResult, OperationFold } from "../../../src/checkers/checker.ts";
import { setFullChecker } from "../../../src/checkers/set/checker.ts";
import type { History } from "../../../src/history/history.ts";
import { isClientProcess, type Operation, type RawOp } from "../../../src/history/op.ts";
import { historyOf } from "../../support/helpers.ts";
import { makeHistory, op } from "../../support/make-history.ts";
import { assertStopsAtDeadline, pastDeadline } from "../../support/deadline.ts";

/**
 * One process, one record per millisecond (record i at (i+1) ms):
 * 0 is seen at once; 1 is missed by the read invoked 1 ms after its ack, then seen (stale);
 * 2 is missed by both reads after its ack (lost); 3 is indeterminate and never seen.
 */
function story(): RawOp[] {
  return [
    ...op(0, "add", 0), // records 0-1, known at 2 ms
    ...op(0, "read", null, "ok", [0]),
    ...op(0, "add", 1), // known at 6 ms (record 5)
    ...op(0, "read", null, "ok", [0]), // invoked at 7 ms: misses 1
    ...op(0, "read", null, "ok", [0, 1]),
    ...op(0, "add", 2), // known at 12 ms
    ...op(0, "read", null, "ok", [0, 1]), // invoked at 13 ms: misses 2
    ...op(0, "read", null, "ok", [0, 1]),
    ...op(1, "add", 3, "info"),
  ];
}

test("stable, stale, lost and never-read elements with their latencies", () => {
  const result = checkSetFull(makeHistory(story()));
  assert.equal(result.valid, false);
  assert.deepEqual(result.stats.counts, { attempted: 4, acknowledged: 3, reads: 5, stable: 2, lost: 1, neverRead: 1, stale: 1, duplicated: 0, unexpected: 0 });
  assert.deepEqual(result.stats.rates, { ack: 0.75, loss: 0.25, stale: 0.5 });
  assert.deepEqual(result.stats.stableLatencyMs, { "0": 0, "0.5": 0.5, "0.95": 0.95, "0.99": 0.99, "1": 1 });
  assert.deepEqual(result.stats.lostLatencyMs, { "0": 1, "0.5": 1, "0.95": 1, "0.99": 1, "1": 1 });
  assert.deepEqual(result.evidence.lost, [2]);
  assert.deepEqual(result.evidence.stale, [1]);
  assert.deepEqual(result.evidence.neverRead, [3]);
  const two = result.evidence.elements[2]!;
  assert.deepEqual([two.lastPresentId, two.lastAbsentId, two.knownTime], [undefined, 7, 12e6]);
  assert.deepEqual(result.focus, [5, 7]);
  assert.match(result.summary, /^1 of 4 elements lost \(2\); 2 stable, 1 never read\.$/);
});

test("a read listing an element twice is invalid, naming the read", () => {
  const result = checkSetFull(makeHistory([...op(0, "add", 0), ...op(0, "read", null, "ok", [0]), ...op(0, "read", null, "ok", [0, 0])]));
  assert.equal(result.valid, false);
  assert.deepEqual(result.evidence.duplicates, [{ readId: 2, element: 0, count: 2 }]);
  assert.equal(result.stats.counts.duplicated, 1);
});

test("all stable: valid; nothing stable: unknown", () => {
  const good = checkSetFull(makeHistory([...op(0, "add", 0), ...op(0, "read", null, "ok", [0]), ...op(0, "read", null, "ok", [0])]));
  assert.equal(good.valid, true);
  assert.match(good.summary, /^The 1 element read is stable, none lost; 0 stale/);
  const unread = checkSetFull(makeHistory([...op(0, "add", 0, "info"), ...op(0, "read", null, "ok", []), ...op(1, "read", null, "ok", [])]));
  assert.equal(unread.valid, "unknown");
});

test("adds of [key element] tuples against reads of bare elements: all lost, and the summary says why", () => {
  const records: RawOp[] = [];
  for (let i = 0; i < 3; i++) records.push(...op(0, "add", [0, i]));
  records.push(...op(0, "read", [0, null], "ok", [0, 1, 2]), ...op(0, "read", [0, null], "ok", [0, 1, 2]));
  const result = checkSetFull(makeHistory(records));
  assert.equal(result.valid, false);
  assert.equal(result.stats.counts.lost, 3);
  assert.equal(result.evidence.shapeMismatch, "adds are 2-element arrays like [0,0] but reads return plain integers, so no read can contain an added element; the reads do contain the last component of 3 of 3 added tuples (a keyed history read without its key?)");
  assert.match(result.summary, /Why: adds are 2-element arrays/);
});

test("auto picks set-full for several collection reads only", () => {
  assert.ok(setFullChecker.appliesBecause(makeHistory(story())));
  assert.equal(setFullChecker.appliesBecause(makeHistory([...op(0, "add", 0), ...op(0, "read", null, "ok", [0])])), undefined);
});

/** Random concurrent add/read histories over a few processes. */
const histories = fc
  .array(fc.tuple(fc.nat(3), fc.constantFrom("ok", "ok", "info", "fail"), fc.boolean(), fc.array(fc.nat(12), { maxLength: 8 })), { maxLength: 60 })
  .map((steps) => {
    const records: RawOp[] = [];
    const open = new Map<number, RawOp>();
    const crashed = new Set<number>();
    let next = 0;
    for (const [p, outcome, isRead, seen] of steps) {
      if (crashed.has(p)) continue;
      const pending = open.get(p);
      if (pending) {
        const type = pending.f === "read" ? "ok" : (outcome as "ok" | "info" | "fail");
        records.push({ type, f: pending.f, process: p, value: pending.f === "read" ? seen : pending.value });
        open.delete(p);
        if (type === "info") crashed.add(p);
      } else {
        const invoke: RawOp = isRead ? { type: "invoke", f: "read", process: p, value: null } : { type: "invoke", f: "add", process: p, value: next++ };
        records.push(invoke);
        open.set(p, invoke);
      }
    }
    return makeHistory(records);
  });

/** The definition, element by element and read by read (quadratic, obviously right). */
function reference(history: History): Map<ValueKey, SetFullOutcome> {
  const client = history.operations.filter((o) => isClientProcess(o.process));
  const adds = client.filter((o) => o.f === "add").map((o) => ({ op: o, key: valueKey(o.input) }));
  const reads = client.filter((o) => o.f === "read" && o.outcome === "ok" && Array.isArray(o.output)).map((o) => ({ op: o, keys: new Set((o.output as unknown[]).map(valueKey)) }));
  const out = new Map<ValueKey, SetFullOutcome>();
  for (const add of adds) {
    if (out.has(add.key)) continue;
    const acked = adds.filter((a) => a.key === add.key && a.op.outcome === "ok").map((a) => a.op.ret);
    const seenBy = reads.filter((r) => r.keys.has(add.key)).map((r) => r.op.ret);
    const known = Math.min(...acked, ...seenBy);
    const present = reads.filter((r) => r.keys.has(add.key)).map((r) => r.op.call);
    const absent = reads.filter((r) => !r.keys.has(add.key) && r.op.call > known).map((r) => r.op.call);
    const lastPresent = Math.max(-1, ...present);
    const lastAbsent = Math.max(-1, ...absent);
    out.set(add.key, lastPresent > lastAbsent ? "stable" : lastAbsent >= 0 ? "lost" : "never-read");
  }
  return out;
}

test("property: stable, lost and never-read partition the attempted elements, as the definition says", () => {
  fc.assert(
    fc.property(histories, (history) => {
      const result = checkSetFull(history);
      const attempted = new Set(history.operations.filter((o) => o.f === "add").map((o) => valueKey(o.input)));
      const { counts, elements } = { counts: result.stats.counts, elements: result.evidence.elements };
      assert.equal(counts.stable + counts.lost + counts.neverRead, attempted.size);
      assert.deepEqual(new Set(elements.map((e) => valueKey(e.element))), attempted);
      assert.deepEqual(new Map(elements.map((e) => [valueKey(e.element), e.outcome])), reference(history));
    }),
    { numRuns: 300 },
  );
});

/** Folds the operations in the given order, as a stream of the file would hand them over. */
function foldIn<R extends CheckerResult>(fold: OperationFold<R>, operations: readonly Operation[], history: History): R {
  for (const o of operations) fold.add(o);
  return fold.finish(history);
}

test("property: set-full and set give the same result folded in any order as checked in memory", () => {
  fc.assert(
    fc.property(histories, fc.integer(), (history, seed) => {
      const shuffled = [...history.operations].sort((a, b) => ((a.id * 7919 + seed) % 97) - ((b.id * 7919 + seed) % 97) || a.id - b.id);
      assert.deepEqual(foldIn(new SetFullFold(), shuffled, history), checkSetFull(history));
      assert.deepEqual(foldIn(new SetFold(), shuffled, history), checkSet(history));
    }),
    { numRuns: 200 },
  );
});

test("without times there are no latencies, not zeros", () => {
  const records = [...op(0, "add", 0), ...op(0, "read", null, "ok", [0]), ...op(0, "read", null, "ok", [0])].map((r) => ({ ...r, time: undefined }));
  const result = checkSetFull(historyOf(records));
  assert.equal(result.valid, true);
  assert.equal(result.stats.stableLatencyMs, undefined);
  assert.equal(result.evidence.elements[0]!.stableLatencyMs, undefined);
});

test("set-full: stops at the --time-limit deadline, read every 4096 operations: unknown, with the reason", () => {
  const adds: RawOp[] = Array.from({ length: 5000 }, (_, i) => op(i % 4, "add", i)).flat();
  const all = Array.from({ length: 5000 }, (_, i) => i);
  const history = makeHistory([...adds, ...op(0, "read", null, "ok", all), ...op(1, "read", null, "ok", all)]);
  assertStopsAtDeadline(setFullChecker, history, pastDeadline(), "the --time-limit of 0.2 s was reached while collecting set-full's adds and reads, after 4096 operations");
});
