import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { uniqueValueRegister } from "../../../src/checkers/linearizability/fast-path.ts";
import { checkLinearizable } from "../../../src/checkers/linearizability/linearizable.ts";
import { step, type LinOp, type Model } from "../../../src/checkers/linearizability/model.ts";
import { modelNamed } from "../../../src/checkers/linearizability/models.ts";
import { search } from "../../../src/checkers/linearizability/search.ts";
import { isClientProcess } from "../../../src/history/op.ts";
import { everyOrder, historyOf, records, token, type OpMaker, type Token } from "../../support/lin-histories.ts";

/** The brute-force oracle over the model's own step (the search is what is tested). */
function bruteForce(model: Model, ops: LinOp[], initial: unknown): boolean {
  return everyOrder(ops, model.init(initial), (state, op) => {
    const next = step(model, state, op);
    return next === undefined ? undefined : { next };
  });
}

const MAKERS: Record<string, { initial: unknown; make: OpMaker }> = {
  "cas-register": {
    initial: 0,
    make: (kind, a, b) => [{ f: "read", output: a }, { f: "write", input: a }, { f: "cas", input: [a, b] }][kind % 3]!,
  },
  mutex: { initial: undefined, make: (kind) => ({ f: kind % 2 ? "acquire" : "release" }) },
  "fifo-queue": { initial: undefined, make: (kind, a) => (kind % 2 ? { f: "enqueue", input: a } : { f: "dequeue", output: a === 2 ? null : a }) },
  set: { initial: undefined, make: (kind, a, b) => [{ f: "add", input: a }, { f: "remove", input: a }, { f: "read", output: [0, 1, 2].filter((x) => (a * 3 + b) & (1 << x)) }][kind % 3]! },
  "kv-append": {
    initial: undefined,
    make: (kind, a, b) => [{ f: "put", input: String(a), key: b % 2 }, { f: "append", input: String(a), key: b % 2 }, { f: "get", output: ["", "0", "01", "1"][a]!, key: b % 2 }][kind % 3]!,
  },
};

/** The checker against the oracle on 300 histories of at most `max` ops drawn from `tokens`; the generator must produce both verdicts, or the agreement means little. */
function agreesWithOracle(name: string, make: OpMaker, tokens: fc.Arbitrary<Token[]>, max: number, seed: number): void {
  const model = modelNamed(name);
  const { initial } = MAKERS[name]!;
  let invalid = 0;
  fc.assert(
    fc.property(tokens, (drawn) => {
      const history = historyOf(records(drawn, make, max));
      const ops: LinOp[] = history.operations
        .filter((o) => isClientProcess(o.process) && o.outcome !== "fail")
        .map((o) => ({ id: o.id, process: o.process, f: o.f, input: o.input, output: o.output, outcome: o.outcome, call: o.call, ret: o.ret, key: o.invoke.key }));
      const expected = bruteForce(model, ops, initial);
      if (!expected) invalid++;
      assert.equal(checkLinearizable(history, { model: name, initial }).valid, expected);
    }),
    { numRuns: 300, seed },
  );
  assert.ok(invalid > 20 && invalid < 280, `${invalid} of 300 invalid`);
}

for (const [name, { make }] of Object.entries(MAKERS)) {
  test(`${name}: the checker agrees with a brute-force oracle on random small histories`, () => {
    agreesWithOracle(name, make, fc.array(token, { minLength: 6, maxLength: 24 }), 8, 42);
  });
}

// Many ops of unknown outcome: what the memo's inclusion of optional ops and kv-append's growth pruning act on.
const unknownHeavy = fc.record({ process: fc.nat(4), kind: fc.nat(5), a: fc.nat(2), b: fc.nat(2), outcome: fc.constantFrom<Token["outcome"]>("ok", "ok", "info") });
for (const name of ["cas-register", "kv-append"]) {
  test(`${name}: the checker agrees with a brute-force oracle on histories with many ops of unknown outcome`, () => {
    const { make } = MAKERS[name]!;
    // One key, so a part holds every op; gets read what put/append could build.
    const oneKey: OpMaker = (kind, a, b) => ({ ...make(kind, a, b), ...(name === "kv-append" && { key: 0, ...(kind % 3 === 2 && { output: ["", "0", "01", "10", "1", "11"][(a * 3 + b) % 6] }) }) });
    agreesWithOracle(name, oneKey, fc.array(unknownHeavy, { minLength: 8, maxLength: 28 }), 9, 11);
  });
}

test("the unique-value fast path agrees with the search on random register histories", () => {
  const model = modelNamed("register");
  let invalid = 0;
  fc.assert(
    fc.property(fc.array(token, { minLength: 16, maxLength: 40 }), (tokens) => {
      let written = 0;
      // Writes take fresh values 1, 2, …; reads return one of the values written so far, 0 (initial), or a never-written 99.
      const make: OpMaker = (kind, a, b) => (kind % 2 ? { f: "write", input: ++written } : { f: "read", output: a === 2 && b === 2 ? 99 : (a * 3 + b) % (written + 1) });
      const history = historyOf(records(tokens, make, 14));
      const ops: LinOp[] = history.operations
        .filter((o) => o.outcome !== "fail")
        .map((o) => ({ id: o.id, process: o.process, f: o.f, input: o.input, output: o.output, outcome: o.outcome, call: o.call, ret: o.ret }));
      const fast = uniqueValueRegister(ops, 0);
      assert.ok(fast, "the fast path applies to unique writes");
      const searched = search(model, ops, 0, { memoBytes: 1 << 24 });
      if (!fast.valid) invalid++;
      assert.equal(fast.valid, searched.kind === "linearizable");
    }),
    { numRuns: 400, seed: 7 },
  );
  assert.ok(invalid > 40 && invalid < 360, `${invalid} of 400 invalid`);
});
