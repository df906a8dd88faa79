import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { checkTxn } from "../../../src/checkers/txn/check.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { historyOf } from "../../support/helpers.ts";

type Workload = "list-append" | "rw-register";
type Mop = [string, number, unknown];

interface Plan {
  process: number;
  outcome: "ok" | "fail" | "info";
  mops: { write: boolean; key: number }[];
}

const plans = fc.array(
  fc.record({
    process: fc.nat(3),
    outcome: fc.constantFrom<Plan["outcome"]>("ok", "ok", "ok", "ok", "ok", "ok", "fail", "info"),
    mops: fc.array(fc.record({ write: fc.boolean(), key: fc.nat(2) }), { minLength: 1, maxLength: 4 }),
  }),
  { minLength: 1, maxLength: 25 },
);

/** A read in the history: which record and micro-op, and whether a committed other txn wrote what it last saw. */
interface ReadSite {
  record: number;
  mop: number;
  lastWriter: "other-ok" | "self" | "other-info" | "none";
}

/**
 * Runs the txns one after another against a store (serial, hence strictly serializable), then
 * a final reader of every key. Failed txns have no effect; info txns take effect. Each
 * indeterminate txn gets a fresh process, as Jepsen does.
 */
function serialHistory(workload: Workload, txns: Plan[]): { records: RawOp[]; reads: ReadSite[] } {
  const lists = new Map<number, number[]>();
  const registers = new Map<number, number | null>();
  const writerOf = new Map<number, { txn: number; outcome: Plan["outcome"] }>();
  const records: RawOp[] = [];
  const reads: ReadSite[] = [];
  let value = 1;
  const all: Plan[] = [...txns, { process: 9, outcome: "ok", mops: [0, 1, 2].map((key) => ({ write: false, key })) }];
  all.forEach((plan, t) => {
    const process = plan.outcome === "info" ? 100 + t : plan.process;
    const effect = plan.outcome !== "fail";
    const done: Mop[] = plan.mops.map(({ write, key }, m) => {
      if (write) {
        const v = value++;
        if (effect) {
          if (workload === "list-append") lists.set(key, [...(lists.get(key) ?? []), v]);
          else registers.set(key, v);
          writerOf.set(v, { txn: t, outcome: plan.outcome });
        }
        return [workload === "list-append" ? "append" : "w", key, v];
      }
      const seen = workload === "list-append" ? [...(lists.get(key) ?? [])] : (registers.get(key) ?? null);
      const last = Array.isArray(seen) ? seen.at(-1) : seen;
      const writer = last === undefined || last === null ? undefined : writerOf.get(last);
      if (plan.outcome === "ok" && t < txns.length) {
        reads.push({ record: records.length + 1, mop: m, lastWriter: !writer ? "none" : writer.txn === t ? "self" : writer.outcome === "ok" ? "other-ok" : "other-info" });
      }
      return ["r", key, seen];
    });
    const invoked = done.map(([f, k, v]) => [f, k, f === "r" ? null : v]);
    records.push({ type: "invoke", f: "txn", process, value: invoked }, { type: plan.outcome, f: "txn", process, value: plan.outcome === "ok" ? done : invoked });
  });
  return { records, reads };
}

/** A stale read: the list loses its last element, the register reads nil. */
function corrupt(records: RawOp[], site: ReadSite): RawOp[] {
  const copy = structuredClone(records);
  const mop = (copy[site.record]!.value as Mop[])[site.mop]!;
  mop[2] = Array.isArray(mop[2]) ? mop[2].slice(0, -1) : null;
  return copy;
}

describe("txn checker: properties of serial executions", () => {
  for (const workload of ["list-append", "rw-register"] as const) {
    it(`${workload}: a serial execution is strict-serializable`, () => {
      fc.assert(
        fc.property(plans, (txns) => {
          const r = checkTxn(historyOf(serialHistory(workload, txns).records), {});
          assert.equal(r.valid, true, r.summary);
          assert.deepEqual(r.violatedModels, []);
        }),
      );
    });

    it(`${workload}: making one read stale yields an anomaly`, () => {
      fc.assert(
        fc.property(plans, fc.nat(), (txns, pick) => {
          const { records, reads } = serialHistory(workload, txns);
          const stale = reads.filter((r) => r.lastWriter === "other-ok" || r.lastWriter === "self");
          fc.pre(stale.length > 0);
          const r = checkTxn(historyOf(corrupt(records, stale[pick % stale.length]!)), {});
          assert.equal(r.valid, false, r.summary);
          assert.ok(r.anomalyTypes.length > 0);
        }),
      );
    });
  }
});

describe("txn checker: any history of well-formed micro-ops", () => {
  const listMop = fc.oneof(fc.tuple(fc.constant("append"), fc.nat(1), fc.nat(4)), fc.tuple(fc.constant("r"), fc.nat(1), fc.array(fc.nat(4), { maxLength: 5 })));
  const registerMop = fc.oneof(fc.tuple(fc.constant("w"), fc.nat(1), fc.nat(4)), fc.tuple(fc.constant("r"), fc.nat(1), fc.option(fc.nat(4))));
  const records = fc.array(fc.record({ process: fc.nat(3), outcome: fc.constantFrom<Plan["outcome"]>("ok", "ok", "fail", "info"), mops: fc.array(fc.oneof(listMop, registerMop), { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 8 });
  const inference = fc.record({ sequentialKeys: fc.boolean(), linearizableKeys: fc.boolean(), wfrKeys: fc.boolean() });

  it("is judged without throwing, every cycle edge explained (repeated values, reads of anything, inferences on or off)", () => {
    fc.assert(
      fc.property(records, inference, (txns, on) => {
        const ops: RawOp[] = txns.flatMap((t, i) => [
          { type: "invoke", f: "txn", process: t.outcome === "info" ? 100 + i : t.process, value: t.mops.map(([f, k, v]) => [f, k, f === "r" ? null : v]) },
          { type: t.outcome, f: "txn", process: t.outcome === "info" ? 100 + i : t.process, value: t.mops },
        ]);
        const r = checkTxn(historyOf(ops), on);
        for (const a of r.evidence.anomalies) for (const s of a.cycle ?? []) assert.ok(s.explanation.length > 0);
      }),
      { numRuns: 500 },
    );
  });
});
