import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Arena } from "../../../src/checkers/linearizability/arena.ts";

type Kind = "int32" | "uint32" | "uint8" | "float64";

test("an arena's arrays are zeroed, never overlap within a round, and past its size are made fresh", () => {
  const arena = new Arena(256);
  fc.assert(
    fc.property(fc.array(fc.array(fc.tuple(fc.constantFrom<Kind>("int32", "uint32", "uint8", "float64"), fc.nat(40)), { maxLength: 12 }), { maxLength: 6 }), (rounds) => {
      for (const round of rounds) {
        arena.reset();
        const arrays = round.map(([kind, length]) => arena[kind](length));
        arrays.forEach((array, i) => {
          assert.equal(array.length, round[i]![1]);
          assert.ok(array.every((x) => x === 0), "zeroed, though the last round wrote here");
        });
        // Each array filled with its own number: were two to share bytes, one would read the other's.
        arrays.forEach((array, i) => array.fill(i + 1));
        arrays.forEach((array, i) => assert.ok(array.every((x) => x === i + 1)));
      }
    }),
    { numRuns: 200, seed: 7 },
  );
  arena.reset();
  const large = arena.float64(100);
  assert.equal(large.buffer.byteLength, 800, "too large for the arena: an array of its own");
});
