import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { checkTxn, type TxnResult } from "../../src/checkers/txn/check.ts";
import type { History } from "../../src/history/history.ts";
import { loadHistory } from "../../src/load.ts";
import { corpusMissing, corpusPath } from "./corpus.ts";

interface Case {
  file: string;
  expected_valid: boolean;
  expected_anomalies: string[];
  violates: string[];
  not_violated: string[];
  cycle: string | null;
  txns: Record<string, [number, number]>;
}

const skip = corpusMissing();

async function check(path: string, consistencyModel?: string): Promise<TxnResult> {
  return (await checkWithHistory(path, consistencyModel)).result;
}

async function checkWithHistory(path: string, consistencyModel?: string): Promise<{ history: History; result: TxnResult }> {
  const history = await loadHistory(path);
  return { history, result: checkTxn(history, consistencyModel ? { consistencyModel } : {}) };
}

/** A cycle as "T3 -rw(x)→ T1 …" with T named by history index of the invocation, rotated to start at its smallest. */
function canonical(steps: { from: string; kind: string; key: string }[]): string {
  const at = steps.reduce((best, s, i) => (s.from < steps[best]!.from ? i : best), 0);
  return [...steps.slice(at), ...steps.slice(0, at)].map((s) => `${s.from} -${s.kind}(${s.key})->`).join(" ");
}

describe("txn checker on the Hermitage cases", { skip }, () => {
  const manifest: Case[] = skip ? [] : JSON.parse(readFileSync(corpusPath("hermitage", "MANIFEST.json"), "utf8"));
  for (const c of manifest) {
    it(c.file, async () => {
      const { history, result: r } = await checkWithHistory(corpusPath("hermitage", c.file));
      assert.equal(r.valid, c.expected_valid, r.summary);
      // Exactly the expected anomalies: the manifest lists base names, and so do we for these cases.
      assert.deepEqual(r.anomalyTypes, [...c.expected_anomalies].sort());
      assert.deepEqual([...r.evidence.models.weakestViolated].sort(), [...c.violates].sort());
      for (const m of c.not_violated) assert.ok(r.evidence.models.holding.includes(m as never), `${m} should still hold`);
      if (c.cycle) {
        // Manifest T names map to [invoke index, completion index]; ours are operation ids.
        const byInvoke = new Map(Object.entries(c.txns).map(([name, [invoke]]) => [invoke, name]));
        const name = (opId: number): string => byInvoke.get(history.operations[opId]!.invokeIndex) ?? `op${opId}`;
        const expected = [...c.cycle.matchAll(/(T\d+) -(\w+)(?:\((\w+)\))?->/g)].map(([, from, kind, key]) => ({ from: from!, kind: kind!, key: key ?? "" }));
        const found = r.evidence.anomalies.filter((a) => a.cycle).map((a) => canonical(a.cycle!.map((s) => ({ from: name(s.from), kind: s.kind, key: s.key === undefined ? "" : String(s.key) }))));
        assert.ok(found.includes(canonical(expected)), `expected cycle ${c.cycle}, found ${found.join(" | ")}`);
      }
    });
  }
});

describe("txn checker on Elle's histories", { skip }, () => {
  it("paper-example: G-single T3 -rw→ T1 -wr→ T2 -ww→ T3 (elle/ and elle-cli/, EDN and JSON)", async () => {
    for (const path of [corpusPath("elle", "paper-example.edn"), corpusPath("elle-cli", "elle", "paper-example.edn"), corpusPath("elle-cli", "elle", "paper-example.json")]) {
      const r = await check(path);
      assert.equal(r.valid, false, path);
      assert.deepEqual(r.anomalyTypes, ["G-single"], path);
      const cycle = r.evidence.anomalies[0]!.cycle!;
      assert.deepEqual(
        cycle.map((s) => `T${s.from} -${s.kind}(${String(s.key)})→`),
        ["T3 -rw(255)→", "T1 -wr(255)→", "T2 -ww(256)→"],
        path,
      );
      assert.equal(cycle[0]!.explanation, "T3 did not observe T1's append of 8 to key 255 (it read [2 3 4 5]).");
    }
  });

  it("list-append-gh-30: G2-item, invalid under serializable", async () => {
    const r = await check(corpusPath("elle-cli", "elle", "list-append-gh-30.edn"), "serializable");
    assert.equal(r.valid, false);
    assert.deepEqual(r.anomalyTypes, ["G2-item"]);
  });

  it("rw-register: valid (a read of a never-written 3 is not flagged)", async () => {
    for (const file of ["rw-register.edn", "rw-register.json"]) {
      const r = await check(corpusPath("elle-cli", "elle", file));
      assert.equal(r.valid, true, file);
      assert.equal(r.evidence.workload, "rw-register");
    }
  });

  it("si-without-g-single: G2-item; repeatable read violated, snapshot isolation holds", async () => {
    const path = corpusPath("elle", "si-without-g-single.edn");
    const r = await check(path);
    assert.ok(r.anomalyTypes.includes("G2-item"));
    assert.ok(!r.anomalyTypes.includes("G-single"));
    assert.ok(r.violatedModels.includes("repeatable-read"));
    assert.ok(r.evidence.models.holding.includes("snapshot-isolation"));
    assert.equal((await check(path, "snapshot-isolation")).valid, true);
    assert.equal((await check(path, "repeatable-read")).valid, false);
  });
});
