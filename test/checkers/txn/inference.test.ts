import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { CYCLE_BASES, CYCLE_ORDERS, cycleType, type AnomalyType } from "../../../src/checkers/txn/anomaly.ts";
import { checkTxn, type TxnOptions } from "../../../src/checkers/txn/check.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { historyOf } from "../../support/helpers.ts";
import { simulated } from "../../support/simulate-helpers.ts";

type Mop = [string, string | number, unknown];

/** A txn on `process`: invoked, then completed with `done` (reads filled in). */
function txn(process: number, done: Mop[]): RawOp[] {
  return [
    { type: "invoke", f: "txn", process, value: done.map(([f, k, v]) => [f, k, f === "r" ? null : v]) },
    { type: "ok", f: "txn", process, value: done },
  ];
}

const CYCLES = new Set<AnomalyType>(CYCLE_BASES.flatMap((b) => [b, ...CYCLE_ORDERS.map((o) => cycleType(b, o))]));
const serializable = { consistencyModel: "serializable" } as const;

describe("txn inference options (Elle's rw-register inferences)", () => {
  // T1 and T2 both read x = 1 (T0's) and then write it: a lost update; only wfr orders 1 < 2 and 1 < 3.
  const lostUpdate = [...txn(0, [["w", "x", 1]]), ...txn(1, [["r", "x", 1], ["w", "x", 2]]), ...txn(2, [["r", "x", 1], ["w", "x", 3]])];

  it("wfr: a txn's write follows the version it read, which turns a lost update into a G2-item cycle", () => {
    const plain = checkTxn(historyOf(lostUpdate), serializable);
    assert.deepEqual(plain.anomalyTypes, ["lost-update"]);
    assert.doesNotMatch(plain.summary, /assuming/);
    const wfr = checkTxn(historyOf(lostUpdate), { ...serializable, wfrKeys: true });
    assert.deepEqual(wfr.anomalyTypes, ["G2-item", "lost-update"]);
    assert.match(wfr.summary, /\(assuming writes follow reads \(wfr\)\)/);
    assert.deepEqual(wfr.evidence.inference, { sequentialKeys: false, linearizableKeys: false, wfrKeys: true });
    const cycle = wfr.evidence.anomalies.find((a) => a.type === "G2-item")!.cycle!;
    assert.ok(cycle.every((s) => s.kind === "rw" && s.because.by === "wfr"));
    assert.match(cycle[0]!.explanation, /read key x as 1, so it did not observe T\d's write of [23], a later version: T\d read the one and then wrote the other, and writes follow reads\./);
  });

  // T1 then T2 write x = 1, 2 (on process 0, or on two processes in real-time order); T3 reads T2's z but T1's x: read skew.
  const stale = (t2process: number): RawOp[] => {
    const t1 = txn(0, [["w", "x", 1]]);
    const t2 = txn(t2process, [["w", "z", 1], ["w", "x", 2]]);
    const t3 = txn(2, [["r", "x", 1], ["r", "z", 1]]);
    return [...t1, t3[0]!, t2[0]!, t3[1]!, t2[1]!];
  };

  it("sequential keys: one process's versions are in its order, so a read of the older one anti-depends on the newer", () => {
    const h = historyOf(stale(0));
    assert.deepEqual(checkTxn(h, serializable).anomalyTypes, []);
    const r = checkTxn(h, { ...serializable, sequentialKeys: true });
    assert.deepEqual(r.anomalyTypes, ["G-single"]);
    const rw = r.evidence.anomalies[0]!.cycle!.find((s) => s.kind === "rw")!;
    assert.equal(rw.kind === "rw" && rw.because.by, "sequential");
    assert.match(rw.explanation, /process 0 observed them in that order \(T0, then T\d\), and keys are sequential/);
    // On two processes the sequential assumption orders nothing.
    assert.deepEqual(checkTxn(historyOf(stale(1)), { ...serializable, sequentialKeys: true }).anomalyTypes, []);
  });

  it("linearizable keys: a txn that completed before another began saw no later version", () => {
    const r = checkTxn(historyOf(stale(1)), { ...serializable, linearizableKeys: true });
    assert.deepEqual(r.anomalyTypes, ["G-single"]);
    assert.match(r.summary, /assuming linearizable keys/);
    assert.match(r.evidence.versionOrder, /inferred from linearizable keys/);
    const rw = r.evidence.anomalies[0]!.cycle!.find((s) => s.kind === "rw")!;
    assert.match(rw.explanation, /T0 completed before T\d began, and keys are linearizable/);
  });

  it("an inferred order that loops is cyclic-versions, which rules out read-committed", () => {
    const h = historyOf([...txn(0, [["w", "x", 1]]), ...txn(1, [["w", "x", 2]]), ...txn(2, [["r", "x", 1]]), ...txn(2, [["r", "x", 2]]), ...txn(3, [["r", "x", 2]]), ...txn(3, [["r", "x", 1]])]);
    assert.deepEqual(checkTxn(h, {}).anomalyTypes, []);
    const r = checkTxn(h, { sequentialKeys: true, consistencyModel: "read-committed" });
    assert.deepEqual(r.anomalyTypes, ["cyclic-versions"]);
    assert.equal(r.valid, false);
    assert.deepEqual(r.evidence.models.weakestViolated, ["read-committed"]);
    assert.match(r.evidence.anomalies[0]!.explanation, /^The versions of key x cannot be ordered: [12] precedes [12] \(process \d observed them/);
  });

  it("an order through a version nobody wrote is carried across it", () => {
    // Process 0 reads x = 1, then 99 (never written); process 1 reads 99, then writes 2: so 1 < 99 < 2.
    const h = historyOf([
      ...txn(0, [["w", "x", 1]]),
      ...txn(1, [["r", "x", 1], ["r", "y", 5]]),
      ...txn(1, [["r", "x", 99]]),
      ...txn(2, [["r", "x", 99]]),
      ...txn(2, [["w", "x", 2], ["w", "y", 5]]),
    ]);
    const r = checkTxn(h, { ...serializable, sequentialKeys: true });
    assert.deepEqual(r.anomalyTypes, ["G-single"]);
    const rw = r.evidence.anomalies[0]!.cycle!.find((s) => s.kind === "rw")!;
    assert.equal(rw.kind === "rw" && rw.because.by, "through");
    assert.match(rw.explanation, /the earlier precedes 99, which no committed txn wrote \(process 1 observed them/);
  });

  it("list-append ignores the inferences and says so", () => {
    const r = checkTxn(historyOf(txn(0, [["append", "x", 1]])), { wfrKeys: true });
    assert.match(r.evidence.versionOrder, /writes follow reads \(wfr\) not used/);
    assert.doesNotMatch(r.summary, /assuming/);
  });
});

/*
 * Property tests against brute force, on small rw-register histories (every op ok, unique
 * written values, reads of nil, of some written value or of one never written, processes
 * interleaved at random).
 */
interface Plan {
  process: number;
  mops: { write: boolean; key: number; pick: number }[];
}

const plans = fc.array(
  fc.record({ process: fc.nat(2), mops: fc.array(fc.record({ write: fc.boolean(), key: fc.nat(1), pick: fc.nat() }), { minLength: 1, maxLength: 3 }) }),
  { minLength: 2, maxLength: 5 },
);

interface Txn {
  process: number;
  mops: Mop[];
  call: number;
  ret: number;
}

/**
 * Reads: from a serial run in a random order (`serialOrder`), or a random written value or nil.
 * Times: each process runs its txns one after another; `interleave` picks whose event is next.
 */
function build(plan: Plan[], serialOrder: number[] | undefined, interleave: number[]): { txns: Txn[]; records: RawOp[] } {
  let value = 1;
  const writes = plan.map((p) => p.mops.map((m) => (m.write ? value++ : 0)));
  const written = (key: number): number[] => plan.flatMap((p, t) => p.mops.flatMap((m, i) => (m.write && m.key === key ? [writes[t]![i]!] : [])));
  const mops: Mop[][] = plan.map((p, t) => p.mops.map((m, i): Mop => (m.write ? ["w", m.key, writes[t]![i]] : ["r", m.key, null])));
  if (serialOrder) {
    const state = new Map<unknown, unknown>();
    for (const t of serialOrder) for (const m of mops[t]!) m[0] === "w" ? state.set(m[1], m[2]) : (m[2] = state.get(m[1]) ?? null);
  } else {
    plan.forEach((p, t) =>
      p.mops.forEach((m, i) => {
        if (m.write) return;
        // 99 is never written: orders through it must still be carried.
        const choices = [null, 99, ...written(m.key)];
        mops[t]![i]![2] = choices[m.pick % choices.length];
      }),
    );
  }
  // Per process, its txns in plan order; events alternate invoke / complete.
  const queues = new Map<number, number[]>();
  plan.forEach((p, t) => queues.set(p.process, [...(queues.get(p.process) ?? []), t]));
  const open = new Map<number, number>();
  const records: RawOp[] = [];
  const txns: Txn[] = plan.map((p, t) => ({ process: p.process, mops: mops[t]!, call: -1, ret: -1 }));
  let step = 0;
  while ([...queues.values()].some((q) => q.length > 0)) {
    const live = [...queues.keys()].filter((p) => queues.get(p)!.length > 0).sort();
    const p = live[(interleave[step++ % Math.max(1, interleave.length)] ?? 0) % live.length]!;
    const t = queues.get(p)![0]!;
    if (!open.has(p)) {
      open.set(p, t);
      txns[t]!.call = records.length;
      records.push({ type: "invoke", f: "txn", process: p, value: mops[t]!.map(([f, k, v]) => [f, k, f === "r" ? null : v]) });
    } else {
      open.delete(p);
      queues.get(p)!.shift();
      txns[t]!.ret = records.length;
      records.push({ type: "ok", f: "txn", process: p, value: mops[t]! });
    }
  }
  return { txns, records };
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** Brute force: some serial order, respecting process order and/or real time as asked, in which every read sees the latest write. */
function serialOrderExists(txns: Txn[], respect: { process: boolean; realtime: boolean }): boolean {
  return permutations(txns.length).some((order) => {
    const at = new Map(order.map((t, i) => [t, i]));
    for (const [a, ta] of txns.entries()) {
      for (const [b, tb] of txns.entries()) {
        const before = (respect.process && ta.process === tb.process && ta.call < tb.call) || (respect.realtime && ta.ret < tb.call);
        if (before && at.get(a)! > at.get(b)!) return false;
      }
    }
    const state = new Map<unknown, unknown>();
    for (const t of order) {
      for (const [f, k, v] of txns[t]!.mops) {
        if (f === "w") state.set(k, v);
        else if ((state.get(k) ?? null) !== v) return false;
      }
    }
    return true;
  });
}

/**
 * Brute force of Elle's edges: per key, every pair of versions the inferences order (nil before
 * all; closed transitively; a key whose order loops keeps nil-first only), then ww, wr and rw
 * between txns, and whether that graph has a cycle.
 */
function oracle(txns: Txn[], on: { sequentialKeys: boolean; linearizableKeys: boolean; wfrKeys: boolean }): { cycle: boolean; cyclicKeys: number } {
  const observed = (t: Txn, key: unknown): unknown[] => {
    const first = t.mops.find((m) => m[1] === key);
    const read = first?.[0] === "r" ? [first[2]] : [];
    const last = t.mops.filter((m) => m[0] === "w" && m[1] === key).at(-1);
    return [...read, ...(last ? [last[2]] : [])];
  };
  const n = txns.length;
  const edge = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  const add = (a: number, b: number): void => {
    if (a !== b && a >= 0 && b >= 0) edge[a]![b] = true;
  };
  const writerOf = (key: unknown, v: unknown): number => txns.findIndex((t) => t.mops.some((m) => m[0] === "w" && m[1] === key && m[2] === v));
  let cyclicKeys = 0;
  for (const key of [0, 1]) {
    const values = [null, ...new Set(txns.flatMap((t) => t.mops.filter((m) => m[1] === key && m[2] !== null).map((m) => m[2])))];
    const idx = new Map(values.map((v, i) => [v, i]));
    const lt = values.map((_, i) => values.map((__, j) => i === 0 && j > 0));
    const order = (a: unknown, b: unknown): void => {
      if (a !== b) lt[idx.get(a)!]![idx.get(b)!] = true;
    };
    const inferred = on.sequentialKeys || on.linearizableKeys || on.wfrKeys;
    txns.forEach((t) => {
      const seen = observed(t, key);
      if (inferred && seen.length === 2) order(seen[0], seen[1]);
    });
    txns.forEach((a, i) =>
      txns.forEach((b, j) => {
        const sequential = on.sequentialKeys && a.process === b.process && i < j;
        const realtime = on.linearizableKeys && a.ret < b.call;
        if (sequential || realtime) for (const x of observed(a, key)) for (const y of observed(b, key)) order(x, y);
      }),
    );
    for (let k = 0; k < values.length; k++) for (let i = 0; i < values.length; i++) for (let j = 0; j < values.length; j++) if (lt[i]![k] && lt[k]![j]) lt[i]![j] = true;
    if (values.some((_, i) => lt[i]![i])) {
      cyclicKeys++;
      for (let i = 1; i < values.length; i++) for (let j = 0; j < values.length; j++) lt[i]![j] = false;
    }
    const readers = (v: unknown): number[] => txns.flatMap((t, i) => (observed(t, key)[0] === v && t.mops.find((m) => m[1] === key)![0] === "r" ? [i] : []));
    values.forEach((v, i) => {
      if (v !== null) for (const r of readers(v)) add(writerOf(key, v), r);
      values.forEach((w, j) => {
        if (!lt[i]![j] || w === null) return;
        if (v !== null) add(writerOf(key, v), writerOf(key, w));
        for (const r of readers(v)) add(r, writerOf(key, w));
      });
    });
  }
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (edge[i]![k] && edge[k]![j]) edge[i]![j] = true;
  return { cycle: edge.some((row, i) => row[i]), cyclicKeys };
}

const inferences = fc.record({ sequentialKeys: fc.boolean(), linearizableKeys: fc.boolean(), wfrKeys: fc.boolean() });
const histories = fc.tuple(plans, fc.boolean(), fc.array(fc.nat(4), { minLength: 1, maxLength: 20 })).chain(([plan, serial, interleave]) =>
  (serial ? fc.shuffledSubarray([...plan.keys()], { minLength: plan.length, maxLength: plan.length }) : fc.constant(undefined)).map((order) => build(plan, order, interleave)),
);

describe("txn inference options: properties against brute force", () => {
  it("a cycle is found exactly when the brute-force graph of inferred version orders has one", () => {
    fc.assert(
      fc.property(histories, inferences, ({ txns, records }, on) => {
        const r = checkTxn(historyOf(records), { ...serializable, ...on });
        const expected = oracle(txns, on);
        assert.equal(r.anomalyTypes.some((t) => CYCLES.has(t)), expected.cycle, r.summary);
        assert.equal(r.evidence.anomalyCounts["cyclic-versions"] ?? 0, expected.cyclicKeys, r.summary);
      }),
      { numRuns: 2000 },
    );
  });

  it("sound: when a serial order exists that respects what an inference assumes, nothing is found", () => {
    let serializableSeen = 0;
    fc.assert(
      fc.property(histories, inferences, ({ txns, records }, on) => {
        const respect = { process: on.sequentialKeys, realtime: on.linearizableKeys };
        fc.pre(serialOrderExists(txns, respect));
        serializableSeen++;
        const model = on.linearizableKeys ? "strict-serializable" : on.sequentialKeys ? "strong-session-serializable" : "serializable";
        const options: TxnOptions = { ...on, consistencyModel: model };
        const r = checkTxn(historyOf(records), options);
        assert.equal(r.valid, true, r.summary);
        assert.deepEqual(r.anomalyTypes, []);
      }),
      { numRuns: 300 },
    );
    assert.ok(serializableSeen > 50, `only ${serializableSeen} serializable histories generated`);
  });

  it("and the inferences find what brute force rules out but the reads alone do not show", () => {
    let shown = 0;
    fc.assert(
      fc.property(histories, ({ txns, records }) => {
        const h = historyOf(records);
        const plain = checkTxn(h, serializable);
        const all = checkTxn(h, { ...serializable, sequentialKeys: true, linearizableKeys: true, wfrKeys: true });
        if (plain.valid === true && all.valid === false) shown++;
        // More assumptions only ever add edges: what the reads alone show stays found.
        for (const t of plain.anomalyTypes) if (CYCLES.has(t)) assert.ok(all.anomalyTypes.some((u) => CYCLES.has(u)), all.summary);
        if (all.valid === false) assert.equal(serialOrderExists(txns, { process: true, realtime: true }), false);
      }),
      { numRuns: 300 },
    );
    assert.ok(shown > 0, "no history where the inferences revealed a cycle");
  });
});

describe("txn inference options on simulated stores", () => {
  const run = async (behaviour: string, seed: number) => historyOf((await simulated({ behaviour, workload: "rw-register", ops: 6000, seed })).records);
  const all = { sequentialKeys: true, linearizableKeys: true, wfrKeys: true };

  it("a strictly serializable store stays valid with every inference on", async () => {
    for (const seed of [1, 2, 3]) {
      const r = checkTxn(await run("serializable-txn", seed), all);
      assert.equal(r.valid, true, r.summary);
    }
  });

  it("a snapshot-isolation store: the inferences reveal write skew (G2-item), and snapshot isolation still holds", async () => {
    let skew = 0;
    for (const seed of [1, 2, 3]) {
      const h = await run("snapshot-txn", seed);
      const r = checkTxn(h, { ...all, consistencyModel: "snapshot-isolation" });
      assert.equal(r.valid, true, r.summary);
      skew += r.evidence.anomalyCounts["G2-item"] ?? 0;
      assert.equal(checkTxn(h, { consistencyModel: "snapshot-isolation" }).evidence.anomalyCounts["G2-item"] ?? 0, 0);
    }
    assert.ok(skew > 0, "no write skew found in three runs");
  });
});
