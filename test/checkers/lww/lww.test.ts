import assert from "node:assert/strict";
import { test } from "node:test";
import { cassandraWinner, checkLww } from "../../../src/checkers/lww/lww.ts";
import { lwwChecker } from "../../../src/checkers/lww/checker.ts";
import { corruptRowProbability, sameTickProbability, timestampResolution, visibleTieChance } from "../../../src/checkers/lww/lww-model.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { makeHistory, op } from "../../support/make-history.ts";
import { assertStopsAtDeadline, pastDeadline } from "../../support/deadline.ts";

/** The 2013 test's writes: a = id, b = −id, the whole row at once. */
function write(process: number, row: number, id: number, ts: number): RawOp[] {
  return op(process, "write", { row, cells: { a: id, b: -id }, ts });
}

function read(process: number, row: number, cells: Record<string, unknown>): RawOp[] {
  return op(process, "read", { row }, "ok", { row, cells });
}

test("two whole-row writes with one timestamp: a tie per cell, and a mixed row under the greater-value rule", () => {
  const records = [
    ...write(0, 1, 1, 1000),
    ...write(1, 1, 2, 1000), // same microsecond: a keeps 2, b keeps −1
    ...write(0, 2, 3, 2000),
    ...write(1, 2, 4, 3000),
    ...read(2, 1, { a: 2, b: -1 }),
    ...read(2, 2, { a: 4, b: -4 }),
  ];
  const result = checkLww(makeHistory(records));
  assert.equal(result.valid, false);
  assert.deepEqual(
    result.evidence.ties.map((t) => [t.row, t.column, t.ts, t.writeIds, t.winner, t.winnerWriteId, t.agreeingReadIds, t.disagreeingReadIds]),
    [
      [1, "a", 1000, [0, 1], 2, 1, [4], []],
      [1, "b", 1000, [0, 1], -1, 0, [4], []],
    ],
  );
  assert.deepEqual(result.evidence.mixed.map((m) => [m.readId, m.row, m.sources]), [[4, 1, { a: [1], b: [0] }]]);
  assert.deepEqual(result.stats.counts, { writes: 4, reads: 2, cells: 4, ties: 2, rowTies: 1, visibleTies: 2, disagreeingReads: 0, rowsRead: 2, corruptRows: 1, mixedReads: 1, unexplained: 0 });
  assert.equal(result.stats.rates.corruptRows, 0.5);
  assert.deepEqual(result.focus, [4, 1, 0]);
  assert.match(result.summary, /^2 ties \(equal-timestamp writes to a cell from different writers, at 1 row timestamp\), 2 seen by reads; 1 of 2 rows read mixed from different writes \(1 in 2\)/);
});

test("a read showing a tie's smaller value disagrees with Cassandra's rule; a value never written is unexplained", () => {
  const records = [...write(0, 1, 1, 1000), ...write(1, 1, 2, 1000), ...read(2, 1, { a: 1, b: -1 }), ...read(2, 1, { a: 7, b: -1 })];
  const result = checkLww(makeHistory(records));
  assert.equal(result.valid, false);
  assert.deepEqual(result.evidence.ties[0]!.disagreeingReadIds, [2]);
  assert.deepEqual(result.evidence.mixed, []);
  assert.deepEqual(result.evidence.unexplained, [{ readId: 3, row: 1, column: "a", value: 7 }]);
});

test("reads after the cell was written again do not judge the tie; same-writer or same-value ties are no ties", () => {
  const records = [...write(0, 1, 1, 1000), ...write(1, 1, 2, 1000), ...write(0, 1, 5, 9000), ...read(2, 1, { a: 5, b: -5 })];
  const result = checkLww(makeHistory(records));
  assert.equal(result.valid, true);
  assert.deepEqual(result.evidence.ties.map((t) => t.agreeingReadIds.length + t.disagreeingReadIds.length), [0, 0]);
  const same = checkLww(makeHistory([...write(0, 1, 1, 1000), ...write(0, 1, 2, 1000), ...write(1, 2, 3, 5), ...write(2, 2, 3, 5), ...read(3, 1, { a: 2, b: -2 })]));
  assert.equal(same.stats.counts.ties, 0);
});

test("ts may sit on the invocation record beside the value", () => {
  const records: RawOp[] = [
    { type: "invoke", f: "write", process: 0, value: { row: 1, cells: { a: 1 } }, ts: 7 },
    { type: "ok", f: "write", process: 0, value: { row: 1, cells: { a: 1 } } },
  ];
  assert.ok(lwwChecker.appliesBecause(makeHistory(records)));
  assert.equal(checkLww(makeHistory(records)).valid, "unknown");
});

test("Cassandra keeps the greater value: numbers by number, text by its order", () => {
  assert.equal(cassandraWinner([1, 2]), 1);
  assert.equal(cassandraWinner([-1, -2]), 0);
  assert.equal(cassandraWinner(["b", "a"]), 0);
});

test("the Poisson model reproduces the talk's figures", () => {
  // 10 writes/s and 1 read/s on a cell, microsecond timestamps: about a 34% chance per day.
  const day = visibleTieChance(10, 1, 1e-6, 86_400);
  assert.ok(Math.abs(day - 0.337) < 0.001, String(day));
  assert.equal(Math.round(day * 100), 34);
  // Two writes per row a mean 100 ms apart: P(corrupt row) ≈ 5×10⁻⁶.
  const row = corruptRowProbability(2, 0.1, 1e-6);
  assert.ok(Math.abs(row - 5e-6) < 1e-9, String(row));
  assert.ok(Math.abs(sameTickProbability(1000, 1e-3) - (1 - (1 - Math.exp(-1)))) < 1e-12);
});

test("timestamp resolution is the largest power of ten dividing every timestamp", () => {
  assert.equal(timestampResolution([1_000_000, 3_000, 12_000]), 1e-3);
  assert.equal(timestampResolution([1_000_001]), 1e-6);
  assert.equal(timestampResolution([5_000_000, 7_000_000]), 1);
});

test("the expectation compares observed ties and mixed rows with chance", () => {
  const records = [...write(0, 1, 1, 1000), ...write(1, 1, 2, 1000), ...read(2, 1, { a: 2, b: -1 })];
  const result = checkLww(makeHistory(records));
  const e = result.stats.expected!;
  assert.equal(e.resolution, 1e-3);
  assert.equal(e.seconds, 0.005);
  // Two writes 2 ms apart against millisecond ticks: rate × tick = 0.5, P(same tick) = 1 − (1 − e^{−0.5})/0.5.
  assert.ok(Math.abs(e.expectedCorruptFraction - (1 - (1 - Math.exp(-0.5)) / 0.5)) < 1e-12);
  assert.ok(e.corruptTimesExpected! > 1);
  assert.match(result.summary, /1 ms timestamps/);
});

test("lww: stops at the --time-limit deadline, read every 4096 operations: unknown, with the reason", () => {
  const history = makeHistory(Array.from({ length: 5000 }, (_, i) => write(i % 4, i % 10, i, 1000 * i)).flat());
  assertStopsAtDeadline(lwwChecker, history, pastDeadline(), "the --time-limit of 0.2 s was reached while collecting the lww writes and reads, after 4096 operations");
});
