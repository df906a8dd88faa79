import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { checkLongFork, longForkAppliesBecause, readCompare } from "../../../src/checkers/long-fork/long-fork.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { makeHistory, op } from "../../support/make-history.ts";
import { longForkChecker } from "../../../src/checkers/long-fork/checker.ts";
import { assertStopsAtDeadline, deadlinePassingAt, pastDeadline } from "../../support/deadline.ts";

/** A read txn of `keys` that saw `seen` (key → value; unseen keys read nil). */
const read = (process: number, keys: number[], seen: Record<number, number>): RawOp[] => [
  { type: "invoke", f: "read", process, value: keys.map((k) => ["r", k, null]) },
  { type: "ok", f: "read", process, value: keys.map((k) => ["r", k, seen[k] ?? null]) },
];
const write = (process: number, key: number, value = 1, type: "ok" | "fail" | "info" = "ok"): RawOp[] => op(process, "write", [["w", key, value]], type);

test("read-compare as Jepsen defines it", () => {
  const s = (...values: (number | null)[]): [unknown, unknown][] => values.map((v, k) => [k, v]);
  assert.equal(readCompare(s(1, null), s(1, null)), 0);
  assert.equal(readCompare(s(1, 1), s(1, null)), -1);
  assert.equal(readCompare(s(null, null), s(1, null)), 1);
  assert.equal(readCompare(s(1, null), s(null, 1)), "fork");
  assert.equal(readCompare(s(1, null), s(2, null)), "conflict");
});

test("two reads seeing two writes in conflicting orders are a long fork, named with both writes", () => {
  const records = [
    ...write(0, 0), // op 0
    ...write(1, 1), // op 1
    ...read(2, [0, 1], { 0: 1 }), // op 2: saw x, not y
    ...read(3, [1, 0], { 1: 1 }), // op 3: saw y, not x (keys in another order)
    ...read(2, [0, 1], { 0: 1, 1: 1 }), // op 4: late read
    ...read(3, [0, 1], {}), // op 5: early read
  ];
  const result = checkLongFork(makeHistory(records));
  assert.equal(result.valid, false);
  assert.deepEqual(result.evidence.forks, [
    { reads: [2, 3], states: [[[0, 1], [1, null]], [[0, null], [1, 1]]], keys: [0, 1], writes: [0, 1], pairs: 1 },
  ]);
  assert.deepEqual(result.stats, { groupSize: 2, groupSizeFrom: "inferred", reads: 4, writes: 2, groups: 1, earlyReads: 1, lateReads: 1, forkPairs: 1 });
  assert.deepEqual(result.focus, [0, 1, 2, 3]);
});

test("reads that agree on one order are valid; reads of other groups are never compared", () => {
  const ordered = [...write(0, 0), ...write(0, 1), ...read(1, [0, 1], { 0: 1 }), ...read(2, [0, 1], { 0: 1, 1: 1 })];
  assert.equal(checkLongFork(makeHistory(ordered)).valid, true);
  const otherGroups = [...read(1, [0, 1], { 0: 1 }), ...read(2, [2, 3], { 3: 1 })];
  assert.equal(checkLongFork(makeHistory(otherGroups)).valid, true);
});

test("--group-size: reads grouped by consecutive keys; a read not of one whole group is not judged", () => {
  const records = [...read(1, [3, 4, 5], { 3: 1 }), ...read(2, [5, 4, 3], { 5: 1 }), ...read(3, [4, 5, 6], {})];
  const result = checkLongFork(makeHistory(records), { groupSize: 3 });
  assert.equal(result.valid, false);
  assert.deepEqual(result.evidence.malformedReadIds, [2]);
  assert.equal(result.stats.groupSizeFrom, "option");
  assert.match(result.summary, /groups of 3 keys \(--group-size\)/);
  const clean = checkLongFork(makeHistory([...read(1, [3, 4, 5], {}), ...read(3, [4, 5, 6], {})]), { groupSize: 3 });
  assert.equal(clean.valid, "unknown");
});

test("keys written twice, or read with two values, make a fork-free history unknown", () => {
  const twice = [...write(0, 0, 1), ...write(1, 0, 2), ...read(2, [0, 1], { 0: 1 }), ...read(3, [0, 1], { 0: 2 })];
  const result = checkLongFork(makeHistory(twice));
  assert.equal(result.valid, "unknown");
  assert.deepEqual(result.evidence.multipleWrites, [{ key: 0, writeIds: [0, 1] }]);
  assert.deepEqual(result.evidence.conflicts, [{ reads: [2, 3], key: 0 }]);
  assert.equal(checkLongFork(makeHistory([...write(0, 0), ...write(1, 0, 2, "fail"), ...read(2, [0, 1], { 0: 1 }), ...read(3, [0, 1], {})])).valid, true);
});

test("fewer than two reads: nothing to compare", () => {
  assert.equal(checkLongFork(makeHistory([])).valid, "unknown");
  assert.equal(checkLongFork(makeHistory(read(0, [0, 1], {}))).valid, "unknown");
});

test("--checker auto: read txns of several keys and single-write txns, nothing else", () => {
  assert.ok(longForkAppliesBecause(makeHistory([...write(0, 0), ...read(1, [0, 1], {})])));
  assert.equal(longForkAppliesBecause(makeHistory(write(0, 0))), undefined);
  assert.equal(longForkAppliesBecause(makeHistory([...read(1, [0, 1], {}), ...op(0, "txn", [["w", 0, 1], ["w", 1, 1]])])), undefined);
  assert.equal(longForkAppliesBecause(makeHistory([...read(1, [0, 1], {}), ...op(0, "txn", [["append", 0, 1]])])), undefined);
});

test("property: the forks found are exactly the pairs of reads Jepsen's read-compare finds incomparable", () => {
  // Each key of two groups of 3 written once (value 1); reads see a random subset of their group.
  const readArb = fc.record({ group: fc.integer({ min: 0, max: 1 }), seen: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), order: fc.constantFrom([0, 1, 2], [2, 0, 1], [1, 2, 0]) });
  fc.assert(
    fc.property(fc.array(readArb, { maxLength: 14 }), (reads) => {
      const records = [0, 1, 2, 3, 4, 5].flatMap((k) => write(9, k)).concat(
        reads.flatMap((r, i) => {
          const keys = r.order.map((j) => r.group * 3 + j);
          return read(i, keys, Object.fromEntries(keys.filter((k) => r.seen[k % 3]).map((k) => [k, 1])));
        }),
      );
      const result = checkLongFork(makeHistory(records));
      let pairs = 0;
      for (let i = 0; i < reads.length; i++) {
        for (let j = i + 1; j < reads.length; j++) {
          const [a, b] = [reads[i]!, reads[j]!];
          if (a.group !== b.group) continue;
          const aOnly = a.seen.some((s, k) => s && !b.seen[k]);
          const bOnly = b.seen.some((s, k) => s && !a.seen[k]);
          if (aOnly && bOnly) pairs++;
        }
      }
      assert.equal(result.stats.forkPairs, pairs);
      assert.equal(result.valid, pairs > 0 ? false : reads.length < 2 ? "unknown" : true);
      for (const fork of result.evidence.forks) assert.ok(fork.writes.every((w) => w !== null && w < 6));
    }),
  );
});

test("long-fork: reads the --time-limit deadline while collecting and while comparing reads: unknown, with the reason", () => {
  const writes = Array.from({ length: 5000 }, (_, k) => write(k % 4, k)).flat();
  assertStopsAtDeadline(longForkChecker, makeHistory(writes), pastDeadline(), "the --time-limit of 0.2 s was reached while collecting the long-fork reads and writes, after 4096 operations");
  // 128 reads of one group of 7 keys, each seeing another subset of the writes: 8,128 comparisons, few operations.
  const keys = [0, 1, 2, 3, 4, 5, 6];
  const reads = Array.from({ length: 128 }, (_, subset) => read(subset % 4, keys, Object.fromEntries(keys.filter((k) => (subset >> k) & 1).map((k) => [k, 1])))).flat();
  const history = makeHistory([...keys.flatMap((k) => write(k % 4, k)), ...reads]);
  assertStopsAtDeadline(longForkChecker, history, deadlinePassingAt(1), "the --time-limit of 0.2 s was reached while comparing the long-fork reads, after 4096 comparisons");
});
