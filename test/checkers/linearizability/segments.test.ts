import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { columnsOf } from "../../../src/checkers/linearizability/columns.ts";
import { isReadOnly, step, type LinOp } from "../../../src/checkers/linearizability/model.ts";
import { modelNamed } from "../../../src/checkers/linearizability/models.ts";
import { search } from "../../../src/checkers/linearizability/search.ts";
import { memoTooSmall, searchInSegments } from "../../../src/checkers/linearizability/segments.ts";
import { toLinOp } from "../../../src/checkers/linearizability/source.ts";
import { everyOrder, historyOf, records, token, type OpMaker } from "../../support/lin-histories.ts";

const model = modelNamed("cas-register");
const MEMO = { memoBytes: 1 << 24 };

/** Unique written values (writes and cas leave fresh ones); reads and cas compare with any value so far, the initial 0 included. */
function uniqueCasMaker(): OpMaker {
  let written = 0;
  return (kind, a, b) => {
    const earlier = (a * 3 + b) % (written + 1);
    return [{ f: "read", output: earlier }, { f: "write", input: ++written }, { f: "cas", input: [earlier, ++written] }][kind % 3]!;
  };
}

/** The part as the plan gives it: fails removed, reads of unknown result dropped. */
function partOps(tokens: Parameters<typeof records>[0]): LinOp[] {
  const history = historyOf(records(tokens, uniqueCasMaker(), 9));
  return history.operations.filter((o) => o.outcome !== "fail").map(toLinOp).filter((op) => !(op.outcome === "info" && isReadOnly(model, op)));
}

/** The same ops on a coarser clock (positions divided by `tick`, rounded down): with tick > 1 a return and a call can fall on one time, where the two are concurrent. */
const onClock = (ops: LinOp[], tick: number): LinOp[] => ops.map((op) => ({ ...op, call: Math.floor(op.call / tick), ret: Math.floor(op.ret / tick) }));

test("cut into segments at quiescent points, a cas-register part gets the verdict of the brute-force oracle, times tying or not; a violation is one of its segment", () => {
  const seen = { valid: 0, invalid: 0, withInfo: 0 };
  fc.assert(
    fc.property(fc.array(token, { minLength: 8, maxLength: 36 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom(1, 8), fc.constantFrom(1, 3), (tokens, length, stretch, tick) => {
      const ops = onClock(partOps(tokens), tick);
      const expected = everyOrder(ops, model.init(0), (state, op) => {
        const next = step(model, state, op);
        return next === undefined ? undefined : { next };
      });
      const segmented = searchInSegments(model, columnsOf(ops), 0, MEMO, { length, stretch });
      // Only an info op seen before it could have begun leaves the part to the whole search.
      if (!segmented) return;
      if (ops.some((op) => op.outcome === "info")) seen.withInfo++;
      assert.equal(segmented.outcome.kind === "linearizable", expected);
      if (expected) seen.valid++;
      else {
        seen.invalid++;
        assert.equal(segmented.outcome.kind, "violation");
        // The segment named cannot be linearized from the state it names.
        assert.equal(search(model, segmented.ops, model.init(segmented.initial), MEMO).kind, "violation");
      }
    }),
    { numRuns: 1200, seed: 19 },
  );
  assert.ok(seen.valid > 40 && seen.invalid > 40 && seen.withInfo > 40, JSON.stringify(seen));
});

test("every state a segment may end in is carried into the next", () => {
  const op = (id: number, f: string, value: unknown, call: number, ret: number): LinOp => ({ id, process: id, f, input: f === "read" ? null : value, output: value, outcome: "ok", call, ret });
  // Two concurrent writes, then (no op open) a read of the one invoked first: either may have been last.
  const ops = [op(0, "write", 1, 0, 3), op(1, "write", 2, 1, 2), op(2, "read", 1, 4, 5), op(3, "read", 2, 6, 7)];
  const shape = { length: 1, stretch: 1 };
  assert.equal(searchInSegments(model, columnsOf(ops.slice(0, 3)), 0, MEMO, shape)?.outcome.kind, "linearizable");
  assert.equal(searchInSegments(model, columnsOf([...ops.slice(0, 2), ops[3]!]), 0, MEMO, shape)?.outcome.kind, "linearizable");
  const violation = searchInSegments(model, columnsOf(ops), 0, MEMO, shape);
  assert.equal(violation?.outcome.kind, "violation");
  assert.deepEqual(violation.ops.map((o) => o.id), [3], "the segment that fails, alone");
});

test("segments are only for parts whose configurations the memo could not hold, and only for registers", () => {
  assert.equal(memoTooSmall(5_000, 512 << 20), false);
  assert.equal(memoTooSmall(5_000_000, 512 << 20), true);
  const write: LinOp = { id: 0, process: 0, f: "acquire", input: undefined, output: undefined, outcome: "ok", call: 0, ret: 1 };
  assert.equal(searchInSegments(modelNamed("mutex"), columnsOf([write]), undefined, MEMO), undefined);
  // A value written twice: nothing bounds an info write, so no cut can be trusted.
  const twice: LinOp[] = [
    { id: 0, process: 0, f: "write", input: 1, output: 1, outcome: "ok", call: 0, ret: 1 },
    { id: 1, process: 1, f: "write", input: 1, output: 1, outcome: "ok", call: 2, ret: 3 },
  ];
  assert.equal(searchInSegments(model, columnsOf(twice), 0, MEMO), undefined);
});
