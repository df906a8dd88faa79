import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Arena } from "../../../src/checkers/linearizability/arena.ts";
import { ConfigurationMemo, NEW, SEEN } from "../../../src/checkers/linearizability/memo.ts";

/**
 * The search's hashes of a configuration: any function of its bits will do, and the worst, a
 * constant, makes every configuration collide, which the memo must tell apart by their bits.
 */
const hashes = (): [number, number] => [0, 0];

/**
 * A configuration of `words` words as a search meets them: ops placed up to a frontier, a few
 * around it, none after; or, now and then, ops placed far past it (wider than any window).
 * Few frontiers and places, so that configurations often share their windows.
 */
const configuration = (words: number): fc.Arbitrary<{ bits: Uint32Array; state: number }> =>
  fc.record({ frontier: fc.constantFrom(0, 40, 64, 96, 100, words * 16), around: fc.array(fc.nat(40), { maxLength: 3 }), far: fc.array(fc.constantFrom(words * 32 - 1, words * 32 - 40, words * 20), { maxLength: 2 }), state: fc.nat(1) }).map(
    ({ frontier, around, far, state }) => {
      const bits = new Uint32Array(words);
      const place = (op: number): void => {
        if (op < words * 32) bits[op >>> 5]! |= 1 << (op & 31);
      };
      for (let op = 0; op < frontier; op++) place(op);
      for (const d of around) place(frontier + d);
      for (const op of far) place(op);
      return { bits, state };
    },
  );

for (const words of [3, 12, 40]) {
  test(`configurations of ${words} words: seen exactly when an equal one was added before, in a window or not`, () => {
    fc.assert(
      fc.property(fc.array(configuration(words), { minLength: 1, maxLength: 120 }), (configurations) => {
        const memo = new ConfigurationMemo(words, 1 << 24, undefined, new Arena(1 << 16).reset());
        const seen = new Set<string>();
        for (const { bits, state } of configurations) {
          const key = `${state}:${bits.join(",")}`;
          assert.equal(memo.add(bits, state, ...hashes(), 0), seen.has(key) ? SEEN : NEW);
          seen.add(key);
        }
        assert.equal(memo.count, seen.size);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  test(`configurations of ${words} words with optional ops: seen only when one added before places the same other ops and no more optional ones`, () => {
    fc.assert(
      fc.property(fc.array(configuration(words), { minLength: 1, maxLength: 120 }), fc.array(fc.nat(words * 32 - 1), { minLength: 1, maxLength: 40 }), (configurations, optionalOps) => {
        const optional = new Uint32Array(words);
        for (const op of optionalOps) optional[op >>> 5]! |= 1 << (op & 31);
        const memo = new ConfigurationMemo(words, 1 << 24, optional, new Arena(1 << 16).reset());
        const added: { bits: Uint32Array; state: number }[] = [];
        const covers = (a: Uint32Array, b: Uint32Array): boolean => a.every((word, w) => ((word ^ b[w]!) & ~optional[w]!) === 0 && (word & ~b[w]!) === 0);
        for (const { bits, state } of configurations) {
          const equal = added.some((c) => c.state === state && c.bits.every((word, w) => word === bits[w]));
          const result = memo.add(bits, state, ...hashes(), 0);
          if (equal) assert.equal(result, SEEN);
          if (result === SEEN) assert.ok(added.some((c) => c.state === state && covers(c.bits, bits)), "seen without one that covers it");
          else added.push({ bits, state });
        }
      }),
      { numRuns: 200, seed: 12 },
    );
  });
}

test("a configuration with more optional ops placed than one seen, the rest the same, is seen, windowed too", () => {
  for (const words of [3, 12]) {
    const optional = new Uint32Array(words);
    optional[words - 1] = 0b1000;
    const memo = new ConfigurationMemo(words, 1 << 20, optional, new Arena(1 << 16).reset());
    // All ops placed up to word words - 2; the optional op (in the last word) not yet.
    const before = new Uint32Array(words).fill(0xffffffff, 0, words - 1);
    before[words - 1] = 0b0001;
    const after = before.slice();
    after[words - 1] = 0b1001;
    assert.equal(memo.add(before, 0, ...hashes(), 0), NEW);
    assert.equal(memo.add(after, 0, ...hashes(), 0), SEEN, `${words} words`);
    assert.equal(memo.add(after, 1, ...hashes(), 0), NEW, "another state");
  }
});
