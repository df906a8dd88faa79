import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { kvHistory } from "../../../bench/generate-kv.ts";
import { checkLinearizable, type LinearizableEvidence } from "../../../src/checkers/linearizability/linearizable.ts";
import { step, type LinOp } from "../../../src/checkers/linearizability/model.ts";
import { modelNamed } from "../../../src/checkers/linearizability/models.ts";
import { search } from "../../../src/checkers/linearizability/search.ts";
import { loadHistory } from "../../../src/load.ts";
import { writeTemp } from "../../support/helpers.ts";
import { everyOrder, historyOf, type Rec } from "../../support/lin-histories.ts";

async function kv50(staleEvery: number, opsPerClient = 34): Promise<LinearizableEvidence & { valid: unknown }> {
  const file = writeTemp("c50.txt", `${kvHistory({ clients: 50, keys: 10, opsPerClient, seed: 1, staleEvery }).join("\n")}\n`);
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

test("appends a put will overwrite, which no get can see any more, are one configuration in any order: 200 ops a client decided", async () => {
  // 2,000 ops a key; a key took 1.1M steps when only a read's call time could tell it could not see the state.
  const evidence = await kv50(0, 200);
  assert.equal(evidence.valid, true);
  for (const row of evidence.partResults) assert.ok(row.valid === true && row.steps < 40_000, `${row.part}: ${row.valid} after ${row.steps} steps`);
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

test("kv-append's growth pruning agrees with a brute-force oracle when times tie (a get called as a put returns may still precede it)", () => {
  const model = modelNamed("kv-append").perPart!;
  const outputs = ["", "a", "b", "ab", "ba", "aa", "bb"];
  const op = fc.record({ kind: fc.nat(2), value: fc.nat(6), call: fc.nat(5), length: fc.nat(3), unknown: fc.nat(4) });
  let invalid = 0;
  fc.assert(
    fc.property(fc.array(op, { minLength: 2, maxLength: 9 }), (drawn) => {
      const ops: LinOp[] = drawn
        .map(({ kind, value, call, length, unknown }, id): LinOp => {
          const f = (["put", "append", "get"] as const)[kind]!;
          const info = f !== "get" && unknown === 0;
          return { id, process: id, f, input: f === "get" ? undefined : "ab"[value % 2], output: f === "get" ? outputs[value] : undefined, outcome: info ? "info" : "ok", call, ret: info ? Infinity : call + length };
        })
        .sort((a, b) => a.call - b.call)
        .map((o, id) => ({ ...o, id }));
      const expected = everyOrder(ops, "", (state, o) => {
        const next = step(model, state, o);
        return next === undefined ? undefined : { next };
      });
      if (!expected) invalid++;
      assert.equal(search(model, ops, "", { memoBytes: 1 << 24 }).kind, expected ? "linearizable" : "violation");
    }),
    { numRuns: 2000, seed: 7 },
  );
  assert.ok(invalid > 200 && invalid < 1800, `${invalid} of 2000 invalid`);
});

test("a get whose rescuing puts are too many to list is still one a pending put can satisfy", () => {
  // 3,000 rounds of: an append, then a put of "" and a get of "" concurrent with it. Every earlier
  // put could satisfy each get, 4.5M (get, put) pairs in all: past the listing bound the last gets'
  // puts are not listed, and each get still needs its own put, which is pending when the append is placed.
  const model = modelNamed("kv-append").perPart!;
  const rounds = (stale: boolean): LinOp[] =>
    Array.from({ length: 3000 }, (_, k): LinOp[] => [
      { id: 0, process: 0, f: "append", input: "x", output: undefined, outcome: "ok", call: 10 * k, ret: 10 * k + 1 },
      { id: 0, process: 1, f: "put", input: "", output: undefined, outcome: "ok", call: 10 * k + 2, ret: 10 * k + 6 },
      { id: 0, process: 2, f: "get", input: undefined, output: stale && k === 2999 ? "xx" : "", outcome: "ok", call: 10 * k + 3, ret: 10 * k + 5 },
    ])
      .flat()
      .sort((a, b) => a.call - b.call)
      .map((op, id) => ({ ...op, id }));
  assert.equal(search(model, rounds(false), "", { memoBytes: 1 << 28 }).kind, "linearizable");
  assert.equal(search(model, rounds(true), "", { memoBytes: 1 << 28 }).kind, "violation");
});
