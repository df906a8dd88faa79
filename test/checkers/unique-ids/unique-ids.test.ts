import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { checkUniqueIds, uniqueIdsAppliesBecause } from "../../../src/checkers/unique-ids/unique-ids.ts";
import { chooseCheckers } from "../../../src/checkers/registry.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { makeHistory, op } from "../../support/make-history.ts";
import { assertStreamsAsHeld } from "../../support/streaming.ts";
import { uniqueIdsChecker } from "../../../src/checkers/unique-ids/checker.ts";
import { assertStopsAtDeadline, pastDeadline } from "../../support/deadline.ts";

const generate = (process: number, id: unknown, type: "ok" | "fail" | "info" = "ok"): RawOp[] => op(process, "generate", null, type, type === "ok" ? id : null);

test("an empty history is unknown (Jepsen: valid, nothing attempted)", () => {
  const result = checkUniqueIds(makeHistory([]));
  assert.equal(result.valid, "unknown");
  assert.deepEqual(result.stats, { attempted: 0, acknowledged: 0, duplicated: 0, range: null });
});

test("an info generate is attempted, not acknowledged", () => {
  const result = checkUniqueIds(makeHistory([...generate(0, null, "info"), ...generate(1, 5)]));
  assert.equal(result.valid, true);
  assert.deepEqual(result.stats, { attempted: 2, acknowledged: 1, duplicated: 0, range: [5, 5] });
  assert.equal(checkUniqueIds(makeHistory(generate(0, null, "info"))).valid, "unknown");
});

test("duplicated ids with their multiplicity and the generates that returned them", () => {
  const records = [...generate(0, 0), ...generate(1, 1), ...generate(2, 0), ...generate(0, 0, "fail"), ...generate(3, 0), ...generate(4, 1), ...generate(0, 7)];
  const result = checkUniqueIds(makeHistory(records));
  assert.equal(result.valid, false);
  assert.deepEqual(result.stats, { attempted: 7, acknowledged: 6, duplicated: 2, range: [0, 7] });
  assert.deepEqual(result.evidence.duplicated, [
    { id: 0, count: 3, operationIds: [0, 2, 4] },
    { id: 1, count: 2, operationIds: [1, 5] },
  ]);
  assert.match(result.summary, /^2 id\(s\) returned more than once among 6 acknowledged; 0 3 times/);
});

test("ids of any type compare by value; numbers before strings in the range", () => {
  const result = checkUniqueIds(makeHistory([...generate(0, "b"), ...generate(1, [1, 2]), ...generate(2, 3), ...generate(3, [1, 2]), ...generate(4, "a")]));
  assert.equal(result.valid, false);
  assert.deepEqual(result.evidence.duplicated.map((d) => d.id), [[1, 2]]);
  assert.deepEqual(result.stats.range, [3, [1, 2]], "non-numbers compare by their JSON");
});

test("--checker auto: generate ops", () => {
  assert.ok(uniqueIdsAppliesBecause(makeHistory(generate(0, 1))));
  assert.equal(uniqueIdsAppliesBecause(makeHistory(op(0, "add", 1))), undefined);
});

test("property: duplicates are exactly the ids two ok generates share (pairwise)", () => {
  const gen = fc.record({ id: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.constantFrom("x", "y")), type: fc.constantFrom("ok", "ok", "ok", "fail", "info") as fc.Arbitrary<"ok" | "fail" | "info"> });
  fc.assert(
    fc.property(fc.array(gen, { maxLength: 30 }), (gens) => {
      const result = checkUniqueIds(makeHistory(gens.flatMap((g, i) => generate(i % 4, g.id, g.type))));
      const oks = gens.flatMap((g, i) => (g.type === "ok" ? [{ id: g.id, op: i }] : []));
      const expected = new Map<unknown, number[]>();
      for (let i = 0; i < oks.length; i++) for (let j = 0; j < oks.length; j++) if (i !== j && oks[i]!.id === oks[j]!.id) expected.set(oks[i]!.id, [...new Set([...(expected.get(oks[i]!.id) ?? []), oks[i]!.op])]);
      assert.equal(result.stats.duplicated, expected.size);
      for (const d of result.evidence.duplicated) assert.deepEqual(d.operationIds, expected.get(d.id)!.sort((a, b) => a - b));
      assert.equal(result.stats.attempted, gens.length);
      assert.equal(result.valid, expected.size > 0 ? false : oks.length === 0 ? "unknown" : true);
    }),
  );
});

test("streams: a simulated unique-ids history folded operation by operation gives the held verdict", async () => {
  await assertStreamsAsHeld({ behaviour: "async-failover", workload: "unique-ids", ops: 1500, seed: 5 }, ["unique-ids"]);
});

test("--checker auto on generates runs stats and unique-ids only", () => {
  assert.deepEqual(chooseCheckers(["auto"], makeHistory([...generate(0, 1), ...generate(1, 2)])).map((c) => c.checker.name), ["stats", "unique-ids"]);
});

test("unique-ids: stops at the --time-limit deadline, read every 4096 operations: unknown, with the reason", () => {
  const history = makeHistory(Array.from({ length: 5000 }, (_, i) => generate(i % 4, i)).flat());
  assertStopsAtDeadline(uniqueIdsChecker, history, pastDeadline(), "the --time-limit of 0.2 s was reached while collecting the generated ids, after 4096 operations");
});
