import assert from "node:assert/strict";
import { test } from "node:test";
import { kvHistory } from "../../../bench/generate-kv.ts";
import { checkLinearizable, type LinearizableEvidence } from "../../../src/checkers/linearizability/linearizable.ts";
import { loadHistory } from "../../../src/load.ts";
import { writeTemp } from "../../support/helpers.ts";
import { historyOf, type Rec } from "../../support/lin-histories.ts";

async function kv50(staleEvery: number): Promise<LinearizableEvidence & { valid: unknown }> {
  const file = writeTemp("c50.txt", `${kvHistory({ clients: 50, keys: 10, opsPerClient: 34, seed: 1, staleEvery }).join("\n")}\n`);
  // A small memo: without growth pruning some keys fill it (millions of configurations).
  const result = checkLinearizable(await loadHistory(file), { memoryLimitMb: 64 });
  return { ...(result.evidence as LinearizableEvidence), valid: result.valid };
}

test("a 50-client kv history is decided on every key, each in a few thousand steps", async () => {
  const evidence = await kv50(0);
  assert.equal(evidence.valid, true);
  assert.equal(evidence.partResults.length, 10);
  for (const row of evidence.partResults) assert.ok(row.valid === true && row.steps < 20_000, `${row.part}: ${row.valid} after ${row.steps} steps`);
});

test("a stale get in a 50-client kv history is found, naming its key; the other keys are decided", async () => {
  const evidence = await kv50(60);
  assert.equal(evidence.valid, false);
  assert.deepEqual(evidence.failingParts, ['key "0"']);
  assert.ok(evidence.partResults.every((r) => r.valid !== "unknown"));
});

test("concurrent appends that a put overwrites are not searched in every order", () => {
  // 9 concurrent appends, then put x, get x, put y and a stale get of x: invalid, and every
  // order of the appends fails alike (the put hides them), so their subsets suffice, not their 9! orders.
  const records: Rec[] = [];
  for (let p = 0; p < 9; p++) records.push([p, "invoke", "append", `a${p}`, "k"]);
  for (let p = 0; p < 9; p++) records.push([p, "ok", "append", `a${p}`, "k"]);
  for (const [f, value] of [["put", "x"], ["get", "x"], ["put", "y"], ["get", "x"]] as const) records.push([9, "invoke", f, f === "put" ? value : undefined, "k"], [9, "ok", f, value, "k"]);
  const result = checkLinearizable(historyOf(records), { model: "kv-append" });
  assert.equal(result.valid, false);
  assert.ok((result.stats.searchSteps ?? Infinity) < 10_000, `${result.stats.searchSteps} steps`);
});
