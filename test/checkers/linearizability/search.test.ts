import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Arena } from "../../../src/checkers/linearizability/arena.ts";
import type { LinOp } from "../../../src/checkers/linearizability/model.ts";
import { eventOrder } from "../../../src/checkers/linearizability/search.ts";

/** Real-time order as the search defines it: by time, calls before returns, then by slot; Infinity returns last. */
function expectedOrder(ops: readonly LinOp[]): number[] {
  const at = (slot: number): number => (slot & 1 ? ops[slot >> 1]!.ret : ops[slot >> 1]!.call);
  return Array.from({ length: 2 * ops.length }, (_, slot) => slot).sort((a, b) => at(a) - at(b) || (a & 1) - (b & 1) || a - b);
}

/** Ops with call before ret; `time` draws the positions (history indices, or fractions where a caller gives them). */
function opsOf(times: fc.Arbitrary<number>): fc.Arbitrary<LinOp[]> {
  const op = fc.record({ call: times, length: times, unknown: fc.boolean() });
  return fc.array(op, { maxLength: 40 }).map((drawn) =>
    drawn.map(({ call, length, unknown }, id) => ({ id, process: id % 3, f: "read", input: undefined, output: undefined, outcome: unknown ? "info" : "ok", call, ret: unknown ? Infinity : call + length })),
  );
}

/** The same ops in call order, as a part gives them (ids renumbered to match). */
const inCallOrder = (ops: LinOp[]): LinOp[] => [...ops].sort((a, b) => a.call - b.call).map((op, id) => ({ ...op, id }));

test("events are put in real-time order, ties and Infinity returns included, whatever the times and however the ops are ordered", () => {
  const arena = new Arena(1 << 12);
  for (const times of [fc.nat(30), fc.double({ min: 0, max: 30, noNaN: true }), fc.integer({ min: -5, max: 5 }), fc.constant(2 ** 52)]) {
    for (const order of [(ops: LinOp[]) => ops, inCallOrder]) {
      fc.assert(
        fc.property(opsOf(times).map(order), (ops) => {
          arena.reset();
          assert.deepEqual([...eventOrder(ops, arena)], expectedOrder(ops));
        }),
        { numRuns: 300, seed: 3 },
      );
    }
  }
});

test("ops in call order whose returns are far out of order are still put in real-time order", () => {
  // Every op open at once, returning in reverse: more moves than the insertion sort of returns may make.
  const n = 200;
  const ops: LinOp[] = Array.from({ length: n }, (_, id) => ({ id, process: id, f: "read", input: undefined, output: undefined, outcome: "ok", call: id, ret: 2 * n - id }));
  assert.deepEqual([...eventOrder(ops, new Arena(1 << 12))], expectedOrder(ops));
});
