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

test("events are put in real-time order, ties and Infinity returns included, whatever the times", () => {
  const arena = new Arena(1 << 12);
  for (const times of [fc.nat(30), fc.double({ min: 0, max: 30, noNaN: true }), fc.integer({ min: -5, max: 5 }), fc.constant(2 ** 52)]) {
    fc.assert(
      fc.property(opsOf(times), (ops) => {
        arena.reset();
        assert.deepEqual([...eventOrder(ops, arena)], expectedOrder(ops));
      }),
      { numRuns: 300, seed: 3 },
    );
  }
});
