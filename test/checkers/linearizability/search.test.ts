import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Arena } from "../../../src/checkers/linearizability/arena.ts";
import { step, type LinOp } from "../../../src/checkers/linearizability/model.ts";
import { modelNamed } from "../../../src/checkers/linearizability/models.ts";
import { eventOrder, search, searchOrders } from "../../../src/checkers/linearizability/search.ts";

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

/** Ops one after another (each returns before the next is called), drawn per model so that both verdicts come up. */
const SEQUENTIAL_MAKERS: Record<string, (kind: number, a: number) => Pick<LinOp, "f" | "input" | "output">> = {
  register: (kind, a) => (kind % 2 ? { f: "write", input: a, output: undefined } : { f: "read", input: undefined, output: a }),
  "cas-register": (kind, a) => [{ f: "read", input: undefined, output: a }, { f: "write", input: a, output: undefined }, { f: "cas", input: [a, (a + 1) % 3], output: undefined }][kind % 3]!,
  "kv-append": (kind, a) => [{ f: "put", input: String(a), output: undefined }, { f: "append", input: String(a), output: undefined }, { f: "get", input: undefined, output: ["", "0", "01", "1"][a]! }][kind % 3]!,
  "fifo-queue": (kind, a) => (kind % 2 ? { f: "enqueue", input: a, output: undefined } : { f: "dequeue", input: undefined, output: a === 3 ? null : a }),
};

test("ops that follow one another are replayed: the same outcome as the search of every order, and the first op the order cannot take as the culprit", () => {
  for (const [name, make] of Object.entries(SEQUENTIAL_MAKERS)) {
    const model = modelNamed(name).perPart ?? modelNamed(name);
    const initial = model.init(name === "cas-register" || name === "register" ? 0 : undefined);
    let invalid = 0;
    fc.assert(
      fc.property(fc.array(fc.record({ kind: fc.nat(5), a: fc.nat(3), gap: fc.integer({ min: 1, max: 3 }), length: fc.nat(2) }), { minLength: 1, maxLength: 14 }), (drawn) => {
        let at = 0;
        const ops: LinOp[] = drawn.map(({ kind, a, gap, length }, id) => {
          const call = at + gap;
          at = call + length;
          return { id, process: 0, outcome: "ok", call, ret: at, ...make(kind, a) };
        });
        const budget = { memoBytes: 1 << 24 };
        const replayed = search(model, ops, initial, budget);
        const searched = searchOrders(model, ops, initial, budget);
        assert.equal(replayed.kind, searched.kind);
        if (replayed.kind === "violation" && searched.kind === "violation") {
          invalid++;
          // The first op the order cannot take, after all those before it.
          assert.deepEqual(replayed.prefix, ops.slice(0, replayed.culprit).map((_, i) => i));
          assert.equal(step(model, ops.slice(0, replayed.culprit).reduce((state, op) => step(model, state, op)!, initial), ops[replayed.culprit]!), undefined);
          const { culprit, prefix, states, setters } = searched;
          // Growth pruning may see a later get lost already (kv-append: a get of "" after a put), and the search names the latest op it finds blocked.
          if (model.grows) assert.ok(culprit >= replayed.culprit);
          else assert.deepEqual({ culprit: replayed.culprit, prefix: replayed.prefix, states: replayed.states, setters: replayed.setters }, { culprit, prefix, states, setters });
        }
        if (replayed.kind === "linearizable") assert.equal(replayed.stats.steps, ops.length);
      }),
      { numRuns: 400, seed: 5 },
    );
    assert.ok(invalid > 20 && invalid < 380, `${name}: ${invalid} of 400 invalid`);
  }
});

test("ops whose ends touch are concurrent, not replayed in the order given", () => {
  // The read returns at the very time the write is called: the write may come first.
  const ops: LinOp[] = [
    { id: 0, process: 0, f: "read", input: undefined, output: 1, outcome: "ok", call: 0, ret: 1 },
    { id: 1, process: 1, f: "write", input: 1, output: undefined, outcome: "ok", call: 1, ret: 2 },
  ];
  assert.equal(search(modelNamed("register"), ops, 0, { memoBytes: 1 << 20 }).kind, "linearizable");
});

test("when more states block the culprit than are shown, the op that set the state its longest order ends in is still named", () => {
  const op = (id: number, f: string, input: unknown, output: unknown, call: number, ret: number): LinOp => ({ id, process: id, f, input, output, outcome: "ok", call, ret });
  // A read of a value never written, beside eight cas from 0 (each a dead end in a state of its own,
  // found first) and a chain of two cas that goes deeper in a ninth state, past the eight shown.
  const ops: LinOp[] = [op(0, "read", undefined, 99, 0, 100)];
  for (let i = 1; i <= 8; i++) ops.push(op(i, "cas", [0, i], undefined, i, 200));
  ops.push(op(9, "cas", [0, 20], undefined, 9, 200), op(10, "cas", [20, 21], undefined, 10, 200));
  const outcome = search(modelNamed("cas-register"), ops, 0, { memoBytes: 1 << 20 });
  assert.equal(outcome.kind, "violation");
  if (outcome.kind !== "violation") return;
  assert.deepEqual({ culprit: outcome.culprit, prefix: outcome.prefix, states: outcome.states }, { culprit: 0, prefix: [9, 10], states: ["1", "2", "3", "4", "5", "6", "7", "8"] });
  assert.deepEqual(outcome.setters, [10], "the cas that set 21, where the order found ends");
});

test("a replay past its deadline gives up, as the search does", () => {
  const ops: LinOp[] = Array.from({ length: 40_000 }, (_, id) => ({ id, process: 0, f: "write", input: id, output: undefined, outcome: "ok", call: 2 * id, ret: 2 * id + 1 }));
  const outcome = search(modelNamed("register"), ops, 0, { deadline: Date.now() - 1, memoBytes: 1 << 20 });
  assert.equal(outcome.kind, "budget");
  if (outcome.kind === "budget") assert.equal(outcome.reason, "time");
  assert.equal(search(modelNamed("register"), ops, 0, { memoBytes: 1 << 20 }).kind, "linearizable");
});
