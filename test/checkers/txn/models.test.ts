import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ANOMALY_TYPES, type AnomalyType } from "../../../src/checkers/txn/anomaly.ts";
import { checkTxn } from "../../../src/checkers/txn/check.ts";
import { judgeModels, rulesOut, type ConsistencyModel } from "../../../src/checkers/txn/models.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { historyOf } from "../../support/helpers.ts";

/** Elle's lattice, anomaly by anomaly: the weakest models each rules out (everything stronger falls with them). */
const EXPECTED: Record<AnomalyType, ConsistencyModel[]> = {
  G0: ["read-uncommitted"],
  "duplicate-elements": ["read-uncommitted"],
  G1a: ["read-committed"],
  G1b: ["read-committed"],
  G1c: ["read-committed"],
  "future-read": ["read-committed"],
  "dirty-update": ["read-committed"],
  "incompatible-order": ["read-committed"],
  "cyclic-versions": ["read-committed"],
  internal: ["read-atomic"],
  "lost-update": ["cursor-stability", "update-atomic"],
  "G-single": ["consistent-view", "repeatable-read"],
  "G-nonadjacent": ["repeatable-read", "snapshot-isolation"],
  "G2-item": ["repeatable-read"],
  "G0-process": ["strong-session-snapshot-isolation"],
  "G1c-process": ["strong-session-snapshot-isolation"],
  "G-single-process": ["strong-session-snapshot-isolation"],
  "G-nonadjacent-process": ["strong-session-snapshot-isolation"],
  "G2-item-process": ["strong-session-serializable"],
  "G0-realtime": ["strong-snapshot-isolation"],
  "G1c-realtime": ["strong-snapshot-isolation"],
  "G-single-realtime": ["strong-snapshot-isolation"],
  "G-nonadjacent-realtime": ["strong-snapshot-isolation"],
  "G2-item-realtime": ["strict-serializable"],
};

describe("txn: Elle's anomaly → consistency-model lattice", () => {
  for (const type of ANOMALY_TYPES) {
    it(`${type} rules out ${EXPECTED[type].join(", ")}`, () => {
      assert.deepEqual(rulesOut(type), EXPECTED[type]);
    });
  }

  it("a -process cycle also breaks the real-time models; a base cycle breaks its session and real-time variants", () => {
    const built = { process: true, realtime: true };
    assert.ok(judgeModels(["G-single-process"], built, true).violated.includes("strong-snapshot-isolation"));
    const single = judgeModels(["G-single"], built, true);
    for (const m of ["snapshot-isolation", "serializable", "strong-session-snapshot-isolation", "strict-serializable"] as const) assert.ok(single.violated.includes(m), m);
    assert.deepEqual(single.holding, ["read-uncommitted", "read-committed", "monotonic-atomic-view", "cursor-stability", "read-atomic", "update-atomic"]);
  });

  it("future-read: reading one's own later append is G1c in Elle, so read-committed does not hold", () => {
    const records: RawOp[] = [
      { type: "invoke", f: "txn", process: 0, value: [["r", "x", null], ["append", "x", 1]] },
      { type: "ok", f: "txn", process: 0, value: [["r", "x", [1]], ["append", "x", 1]] },
    ];
    const r = checkTxn(historyOf(records), { consistencyModel: "read-committed" });
    assert.ok(r.anomalyTypes.includes("future-read"));
    assert.equal(r.valid, false);
    assert.deepEqual(r.evidence.models.weakestViolated, ["read-committed"]);
    assert.deepEqual(r.evidence.models.holding, ["read-uncommitted"]);
    assert.deepEqual(r.evidence.byType.find((t) => t.type === "future-read"), { type: "future-read", count: 1, rulesOut: ["read-committed"] });
  });
});
