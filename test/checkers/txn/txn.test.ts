import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkTxn } from "../../../src/checkers/txn/check.ts";
import { txnChecker } from "../../../src/checkers/txn/checker.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { listAppendHistory } from "../../../bench/generate-list-append.ts";
import { guardedCheck } from "../../../src/checkers/guard.ts";
import { clockReadings, deadlinePassingAt, manualDeadline } from "../../support/deadline.ts";
import { analyzeFile } from "../../../src/analyze.ts";
import { historyOf, ndjson, writeTemp } from "../../support/helpers.ts";

type Mop = [string, string, unknown];

/** A txn on `process`: invoked, then completed with `done` (reads filled in) or failed/indeterminate. */
function txn(process: number, done: Mop[], outcome: "ok" | "fail" | "info" = "ok"): RawOp[] {
  const invoke = done.map(([f, k, v]) => [f, k, f === "r" ? null : v]);
  return [
    { type: "invoke", f: "txn", process, value: invoke },
    { type: outcome, f: "txn", process, value: outcome === "ok" ? done : invoke },
  ];
}

/** Two txns open at once: both invoked before either completes. */
function concurrent(a: RawOp[], b: RawOp[]): RawOp[] {
  return [a[0]!, b[0]!, a[1]!, b[1]!];
}

const init: RawOp[] = txn(0, [["append", "x", 1], ["append", "y", 1]]);

describe("txn checker: anomalies", () => {
  it("finds G0 when two writers interleave on two keys", () => {
    const h = historyOf([...init, ...concurrent(txn(1, [["append", "x", 2], ["append", "y", 2]]), txn(2, [["append", "x", 3], ["append", "y", 3]])), ...txn(3, [["r", "x", [1, 2, 3]], ["r", "y", [1, 3, 2]]])]);
    const r = checkTxn(h, {});
    assert.equal(r.valid, false);
    assert.deepEqual(r.anomalyTypes, ["G0"]);
    assert.deepEqual(r.evidence.models.weakestViolated, ["read-uncommitted"]);
    const g0 = r.evidence.anomalies[0]!;
    assert.deepEqual(new Set(g0.ops), new Set([1, 2]));
    assert.deepEqual(g0.cycle!.map((s) => s.kind), ["ww", "ww"]);
    assert.match(g0.cycle![0]!.explanation, /append of \d to key [xy] came right after T\d's append of \d/);
    assert.deepEqual(r.focus, g0.ops);
  });

  it("finds G1a from a fail writer but not from an info writer", () => {
    const aborted = checkTxn(historyOf([...init, ...txn(1, [["append", "x", 2]], "fail"), ...txn(2, [["r", "x", [1, 2]]])]), {});
    assert.deepEqual(aborted.anomalyTypes, ["G1a"]);
    assert.deepEqual(aborted.evidence.anomalies[0]!.ops, [1, 2]);
    const unsure = checkTxn(historyOf([...init, ...txn(1, [["append", "x", 2]], "info"), ...txn(2, [["r", "x", [1, 2]]])]), {});
    assert.equal(unsure.valid, true);
  });

  it("explains a G-single cycle edge by edge, in the paper's notation", () => {
    // T1 reads x before T2's append and y after it (read skew).
    const t1 = txn(1, [["r", "x", [1]], ["r", "y", [1, 2]]]);
    const t2 = txn(2, [["append", "x", 2], ["append", "y", 2]]);
    const h = historyOf([...init, t1[0]!, ...t2, t1[1]!, ...txn(3, [["r", "x", [1, 2]]])]);
    const r = checkTxn(h, {});
    assert.deepEqual(r.anomalyTypes, ["G-single"]);
    const a = r.evidence.anomalies[0]!;
    assert.match(a.explanation, /^G-single: T1 -rw\(x\)→ T2 -wr\(y\)→ T1\./);
    assert.equal(a.cycle![0]!.explanation, "T1 did not observe T2's append of 2 to key x (it read [1]).");
    assert.equal(a.cycle![1]!.explanation, "T1 observed T2's append of 2 to key y (it read [1 2]).");
    assert.deepEqual(r.evidence.models.weakestViolated, ["consistent-view", "repeatable-read"]);
    assert.ok(r.evidence.models.holding.includes("cursor-stability"));
  });

  it("finds write skew (G2-item), which snapshot isolation allows", () => {
    const h = historyOf([...init, ...concurrent(txn(1, [["r", "x", [1]], ["r", "y", [1]], ["append", "x", 2]]), txn(2, [["r", "x", [1]], ["r", "y", [1]], ["append", "y", 2]])), ...txn(3, [["r", "x", [1, 2]], ["r", "y", [1, 2]]])]);
    const strict = checkTxn(h, {});
    assert.deepEqual(strict.anomalyTypes, ["G2-item"]);
    assert.deepEqual(strict.evidence.models.weakestViolated, ["repeatable-read"]);
    assert.ok(strict.evidence.models.holding.includes("snapshot-isolation"));
    const si = checkTxn(h, { consistencyModel: "snapshot-isolation" });
    assert.equal(si.valid, true);
    assert.match(si.summary, /snapshot-isolation holds/);
  });

  it("finds G-nonadjacent (two rw edges, never consecutive), which snapshot isolation forbids", () => {
    const start = txn(0, [["append", "x", 0], ["append", "y", 0], ["append", "z", 0], ["append", "w", 0]]);
    const t = [
      txn(1, [["r", "x", [0]], ["r", "w", [0, 4]]]),
      txn(2, [["append", "x", 2], ["append", "y", 2]]),
      txn(3, [["r", "y", [0, 2]], ["r", "z", [0]]]),
      txn(4, [["append", "z", 4], ["append", "w", 4]]),
    ];
    const h = historyOf([...start, ...t.map((x) => x[0]!), ...t.map((x) => x[1]!), ...txn(5, [["r", "x", [0, 2]], ["r", "y", [0, 2]], ["r", "z", [0, 4]], ["r", "w", [0, 4]]])]);
    const r = checkTxn(h, {});
    assert.deepEqual(r.anomalyTypes, ["G-nonadjacent"]);
    assert.deepEqual(r.evidence.anomalies[0]!.cycle!.map((s) => s.kind), ["rw", "wr", "rw", "wr"]);
    assert.deepEqual(r.evidence.models.weakestViolated, ["repeatable-read", "snapshot-isolation"]);
    assert.equal(checkTxn(h, { consistencyModel: "snapshot-isolation" }).valid, false);
  });

  it("finds a lost update and a fuzzy read in the ANSI table, and says P3 cannot be checked", () => {
    const h = historyOf([...init, ...concurrent(txn(1, [["r", "x", [1]], ["append", "x", 2]]), txn(2, [["r", "x", [1]], ["append", "x", 3]])), ...txn(3, [["r", "x", [1, 2, 3]]])]);
    const r = checkTxn(h, {});
    assert.deepEqual(r.anomalyTypes, ["G-single", "lost-update"]);
    assert.deepEqual(r.evidence.models.weakestViolated, ["cursor-stability", "update-atomic"]);
    const status = Object.fromEntries(r.evidence.ansi.map((row) => [row.phenomenon, row.status]));
    assert.deepEqual(status, { P0: "not observed", P1: "not observed", P2: "observed", P3: "not checkable", P4: "observed" });
    assert.deepEqual(r.evidence.ansi.find((row) => row.phenomenon === "P4")!.cases, [{ type: "lost-update", ops: [1, 2] }]);
  });

  it("finds internal inconsistency, incompatible orders and duplicate elements", () => {
    const internal = checkTxn(historyOf([...init, ...txn(1, [["append", "x", 2], ["r", "x", [1]]])]), {});
    assert.deepEqual(internal.anomalyTypes, ["internal"]);
    assert.deepEqual(internal.evidence.models.weakestViolated, ["read-atomic"]);
    const orders = checkTxn(historyOf([...init, ...txn(1, [["append", "x", 2]]), ...txn(2, [["append", "x", 3]]), ...txn(3, [["r", "x", [1, 3, 2]]]), ...txn(4, [["r", "x", [1, 2]]])]), {});
    assert.ok(orders.anomalyTypes.includes("incompatible-order"));
    const dup = checkTxn(historyOf([...init, ...txn(1, [["append", "x", 2]]), ...txn(2, [["r", "x", [1, 2, 2]]])]), {});
    assert.deepEqual(dup.anomalyTypes, ["duplicate-elements"]);
  });

  it("finds G1b and G1c over registers", () => {
    const regInit = txn(0, [["w", "x", 1], ["w", "y", 1]]);
    const g1b = checkTxn(historyOf([...regInit, ...concurrent(txn(1, [["w", "x", 2], ["w", "x", 3]]), txn(2, [["r", "x", 2]]))]), {});
    assert.deepEqual(g1b.anomalyTypes, ["G1b"]);
    const g1c = checkTxn(historyOf([...regInit, ...concurrent(txn(1, [["w", "x", 2], ["r", "y", 3]]), txn(2, [["w", "y", 3], ["r", "x", 2]]))]), {});
    assert.deepEqual(g1c.anomalyTypes, ["G1c"]);
    assert.equal(g1c.evidence.workload, "rw-register");
    assert.match(g1c.evidence.anomalies[0]!.cycle![0]!.explanation, /observed T\d's write of \d to key [xy]/);
  });

  it("needs real-time edges for a stale read, and says so under a weaker model", () => {
    const h = historyOf([...init, ...txn(1, [["append", "x", 2]]), ...txn(2, [["r", "x", [1]]]), ...txn(3, [["r", "x", [1, 2]]])]);
    const strict = checkTxn(h, {});
    assert.deepEqual(strict.anomalyTypes, ["G-single-realtime"]);
    assert.deepEqual(strict.evidence.anomalies[0]!.cycle!.map((s) => s.kind).sort(), ["realtime", "rw"]);
    assert.deepEqual(strict.violatedModels, ["strong-snapshot-isolation", "strict-serializable"]);
    const serializable = checkTxn(h, { consistencyModel: "serializable" });
    assert.equal(serializable.valid, true);
    assert.deepEqual(serializable.anomalyTypes, []);
    assert.ok(serializable.evidence.models.unchecked.includes("strict-serializable"));
  });

  it("is unknown when the cycle search runs out of time, unless a prohibited anomaly was found", () => {
    const skew = [...init, ...concurrent(txn(1, [["r", "x", [1]], ["r", "y", [1]], ["append", "x", 2]]), txn(2, [["r", "x", [1]], ["r", "y", [1]], ["append", "y", 2]])), ...txn(3, [["r", "x", [1, 2]], ["r", "y", [1, 2]]])];
    const cut = checkTxn(historyOf(skew), { timeLimitMs: 0 });
    assert.equal(cut.valid, "unknown");
    assert.equal(cut.evidence.cutShort.length, 1);
    assert.equal(cut.stats.cutShortComponents, 1);
    assert.match(cut.summary, /ran out of time/);
    assert.equal(cut.evidence.ansi.find((row) => row.phenomenon === "P0")!.status, "unknown");
    const withAbortedRead = checkTxn(historyOf([...skew, ...txn(4, [["append", "y", 9]], "fail"), ...txn(5, [["r", "y", [1, 2, 9]]])]), { timeLimitMs: 0 });
    assert.equal(withAbortedRead.valid, false);
  });

  it("is unknown when a value is written twice to a key, since its reads cannot be traced", () => {
    const r = checkTxn(historyOf([...txn(0, [["w", "x", 1]]), ...txn(1, [["w", "x", 1]]), ...txn(2, [["r", "x", 1]])]), {});
    assert.equal(r.valid, "unknown");
    assert.equal(r.stats.duplicateWrites, 1);
    assert.match(r.summary, /1 write repeated a value already written to its key/);
  });

  it("applies to txn ops of r / append / w micro-ops, not to other txn vocabularies", () => {
    assert.match(txnChecker.appliesBecause(historyOf(init)) ?? "", /1 operation with f "txn" made of r \/ append \/ w micro-ops/);
    const knossos = historyOf([{ type: "invoke", f: "txn", process: 0, value: [["read", "x", null]] }, { type: "ok", f: "txn", process: 0, value: [["read", "x", 0]] }]);
    assert.equal(txnChecker.appliesBecause(knossos), undefined);
  });

  it("rejects an unknown consistency model by name", () => {
    assert.throws(() => checkTxn(historyOf(init), { consistencyModel: "linearizable-ish" }), /unknown consistency model "linearizable-ish"/);
  });
});

describe("txn checker under --time-limit", () => {
  const history = historyOf([...listAppendHistory(300)]);

  it("reads the deadline between the graph-building steps: unknown, naming how far it got", () => {
    const { deadline, clock } = manualDeadline(200);
    let reads = 0;
    // Past the deadline from the clock's third reading on: two steps finish, the third is where it stops.
    const passing = { ...deadline, clock: () => (++reads >= 3 ? 200 : clock.now) };
    const cut = guardedCheck("txn", () => txnChecker.configure({}, { timeLimitMs: 200, deadline: passing }).check(history));
    assert.equal(cut.valid, "unknown");
    assert.equal(cut.summary, "the --time-limit of 0.2 s was reached while building the txn graph, after 3 steps");
  });

  it("reads the deadline inside each pass too, every 4096 txns: wherever it is reached, unknown with the reason", () => {
    const large = historyOf([...listAppendHistory(5000, { anomalyEvery: 500 })]);
    const readings = clockReadings(txnChecker, large);
    const passes = new Set<string>();
    for (let n = 1; n <= readings; n++) {
      const cut = guardedCheck("txn", () => txnChecker.configure({}, { timeLimitMs: 200, deadline: deadlinePassingAt(n) }).check(large));
      assert.equal(cut.valid, "unknown");
      // The last readings are the cycle searches' budgets: those are cut short instead.
      const reason = /^the --time-limit of 0\.2 s was reached while (.+), after (?:\d+ steps?|4096 transactions)$/.exec(cut.summary);
      if (reason) passes.add(reason[1]!);
      else assert.match(cut.summary, /cannot be confirmed \(the cycle search of \d+ components ran out of time\)/);
    }
    for (const pass of ["indexing the txns' writes", "ordering each key's versions", "looking for aborted, intermediate, internal reads and lost updates", "adding the data dependency edges", "adding the real-time edges", "finding the txn graph's strongly connected components"]) assert.ok(passes.has(pass), `${pass} in ${[...passes].join("; ")}`);
  });

  it("judges as without a limit while the deadline is ahead", () => {
    const ahead = txnChecker.configure({}, { timeLimitMs: 200, deadline: manualDeadline(200).deadline }).check(history);
    assert.equal(ahead.valid, true);
    assert.deepEqual(ahead, checkTxn(history, {}));
  });
});

describe("txn checker, real-time order", () => {
  it("is the same whether records are numbered densely or by sparse given indices", () => {
    const records = [...listAppendHistory(400, { anomalyEvery: 20 })];
    const dense = checkTxn(historyOf(records), {});
    const sparse = checkTxn(historyOf(records.map((r, i) => ({ ...r, index: i * 1_000_003 }))), {});
    assert.ok(dense.anomalyTypes.some((t) => t.endsWith("-realtime")), dense.summary);
    assert.deepEqual(sparse, dense);
  });
});

describe("txn checker, streamed", () => {
  it("folds operations in completion order to exactly the verdict of the held history", async () => {
    const file = writeTemp("txn.ndjson", ndjson([...listAppendHistory(2000, { anomalyEvery: 50 })]));
    const held = await analyzeFile(file, { checkers: ["auto"] });
    const streamed = await analyzeFile(file, { checkers: ["auto"], streamThresholdBytes: 0 });
    assert.deepEqual(held.verdict.picked.map((p) => p.checker), ["stats", "txn"]);
    assert.equal(streamed.history.sampledFrom, held.history.operations.length);
    assert.equal(held.verdict.checkers.find((c) => c.checker === "txn")?.valid, false);
    // stats draws a streamed history's time series from a sample; txn's result is the same.
    assert.deepEqual(streamed.verdict.checkers.find((c) => c.checker === "txn"), held.verdict.checkers.find((c) => c.checker === "txn"));
  });
});
