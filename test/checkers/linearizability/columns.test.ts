import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ColumnsBuilder, columnsOf, keepInPlace, opsOf, positionOf, selectOps } from "../../../src/checkers/linearizability/columns.ts";
import type { LinOp } from "../../../src/checkers/linearizability/model.ts";

/** Values as histories carry them: numbers (with -0 and NaN), strings, nil, and JSON structures. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(-0, NaN, 0.5, 1e300),
  fc.constantFrom("a", "", "null", "\u0000x"),
  fc.tuple(fc.constantFrom("k", 1), fc.integer({ min: 0, max: 2 })),
  fc.integer({ min: 0, max: 2 }).map((x) => ({ x })),
);

const linOp = (id: number): fc.Arbitrary<LinOp> =>
  fc
    .record({
      process: fc.oneof(fc.nat(5), fc.constantFrom("p1", "1")),
      f: fc.constantFrom("read", "write", ":cas", "txn"),
      input: value,
      output: value,
      outcome: fc.constantFrom<LinOp["outcome"]>("ok", "fail", "info"),
      call: fc.nat(1000),
      length: fc.nat(50),
      key: fc.option(value, { nil: undefined }),
    })
    .map(({ length, key, ...o }) => {
      const op: LinOp = { id, ...o, ret: o.outcome === "info" ? Infinity : o.call + length };
      if (key !== undefined) op.key = key;
      return op;
    });

const ops = fc.integer({ min: 0, max: 30 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => linOp(i * 2))));

test("columns give back every op as it was added: values, nil and undefined, -0 and NaN, keys, infinite returns", () => {
  fc.assert(
    fc.property(ops, (given) => {
      assert.deepEqual(opsOf(columnsOf(given)), given);
    }),
    { numRuns: 300, seed: 3 },
  );
});

test("ops added in any order come back in id order, findable by id; a selection keeps only its rows", () => {
  fc.assert(
    fc.property(
      ops.chain((given) => fc.tuple(fc.constant(given), fc.shuffledSubarray(given, { minLength: given.length, maxLength: given.length }))),
      ([given, shuffled]) => {
        const builder = new ColumnsBuilder(1);
        for (const op of shuffled) builder.add(op, op.ret, op.key);
        const columns = builder.finish("by id");
        assert.deepEqual(opsOf(columns), given);
        for (let i = 0; i < given.length; i++) assert.equal(positionOf(columns, given[i]!.id), i);
        assert.equal(positionOf(columns, 1), -1, "odd ids are absent");
        const odd = given.flatMap((_, i) => (i % 2 ? [i] : []));
        const selected = selectOps(columns, odd);
        assert.deepEqual(opsOf(selected), odd.map((i) => given[i]));
        // Its own tables: nil and at most an input, output, key and tuple value per op it holds.
        assert.ok(selected.values.length <= 1 + 4 * odd.length, `${selected.values.length} values for ${odd.length} ops`);
        assert.ok(selected.processes.length <= odd.length && selected.fs.length <= odd.length);
      },
    ),
    { numRuns: 200, seed: 5 },
  );
});

test("keeping rows in place leaves exactly those ops, in order, whatever runs of rows are left out", () => {
  fc.assert(
    fc.property(
      ops.chain((given) => fc.tuple(fc.constant(given), fc.subarray(Array.from(given, (_, i) => i)))),
      ([given, rows]) => {
        const kept = keepInPlace(columnsOf(given), Int32Array.from(rows));
        assert.equal(kept.size, rows.length);
        assert.deepEqual(opsOf(kept), rows.map((i) => given[i]));
      },
    ),
    { numRuns: 300, seed: 11 },
  );
});
