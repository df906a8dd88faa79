import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { uniqueValueRegister } from "../../../src/checkers/linearizability/fast-path.ts";
import { checkLinearizable } from "../../../src/checkers/linearizability/linearizable.ts";
import type { LinOp, Model } from "../../../src/checkers/linearizability/model.ts";
import { modelNamed } from "../../../src/checkers/linearizability/models.ts";
import { search } from "../../../src/checkers/linearizability/search.ts";
import { isClientProcess } from "../../../src/history/op.ts";
import { historyOf, type Rec } from "../../support/lin-histories.ts";

/** Tries every order that respects real time; an info op may also never happen. */
function bruteForce(model: Model, ops: LinOp[], initial: unknown): boolean {
  const done = ops.map(() => false);
  const extend = (state: unknown, left: number): boolean => {
    if (left === 0) return true;
    for (let i = 0; i < ops.length; i++) {
      if (done[i] || ops.some((o, j) => !done[j] && j !== i && o.ret < ops[i]!.call)) continue;
      done[i] = true;
      const next = model.step(state, ops[i]!);
      if ((next !== undefined && extend(next, left - 1)) || (ops[i]!.outcome === "info" && extend(state, left - 1))) {
        done[i] = false;
        return true;
      }
      done[i] = false;
    }
    return false;
  };
  return extend(model.init(initial), ops.length);
}

/** What a model's op looks like: its f, the invocation's value and the completion's, from small random numbers. */
type OpMaker = (kind: number, a: number, b: number) => { f: string; input?: unknown; output?: unknown; key?: unknown };
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

interface Token {
  process: number;
  kind: number;
  a: number;
  b: number;
  outcome: "ok" | "fail" | "info";
}
const token: fc.Arbitrary<Token> = fc.record({ process: fc.nat(3), kind: fc.nat(5), a: fc.nat(2), b: fc.nat(2), outcome: fc.constantFrom<Token["outcome"]>("ok", "ok", "ok", "fail", "info") });

/** Records from tokens: a token invokes on an idle process, or completes its open op; at most `max` invocations, some left open. */
function records(tokens: Token[], make: OpMaker, max: number): Rec[] {
  const open = new Map<number, ReturnType<OpMaker>>();
  const crashed = new Set<number>();
  const out: Rec[] = [];
  let invoked = 0;
  for (const t of tokens) {
    const process = t.process + 4 * [...crashed].filter((p) => p % 4 === t.process).length;
    const pending = open.get(process);
    if (pending) {
      out.push([process, t.outcome, pending.f, t.outcome === "ok" ? (pending.output ?? pending.input) : pending.input, pending.key]);
      open.delete(process);
      if (t.outcome === "info") crashed.add(process);
    } else if (invoked < max) {
      const op = make(t.kind, t.a, t.b);
      out.push([process, "invoke", op.f, op.input, op.key]);
      open.set(process, op);
      invoked++;
    }
  }
  return out;
}

for (const [name, { initial, make }] of Object.entries(MAKERS)) {
  test(`${name}: the checker agrees with a brute-force oracle on random small histories`, () => {
    const model = modelNamed(name);
    let invalid = 0;
    fc.assert(
      fc.property(fc.array(token, { minLength: 6, maxLength: 24 }), (tokens) => {
        const history = historyOf(records(tokens, make, 8));
        const ops: LinOp[] = history.operations
          .filter((o) => isClientProcess(o.process) && o.outcome !== "fail")
          .map((o) => ({ id: o.id, process: o.process, f: o.f, input: o.input, output: o.output, outcome: o.outcome, call: o.call, ret: o.ret, key: o.invoke.key }));
        const expected = bruteForce(model, ops, initial);
        if (!expected) invalid++;
        assert.equal(checkLinearizable(history, { model: name, initial }).valid, expected);
      }),
      { numRuns: 300, seed: 42 },
    );
    // The generator must produce both verdicts, or the agreement means little.
    assert.ok(invalid > 20 && invalid < 280, `${invalid} of 300 invalid`);
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
