import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { foldHistory } from "../../../src/checkers/fold.ts";
import { checkLinearizable, LinearizableFold, type LinearizableEvidence, type LinearizableResult } from "../../../src/checkers/linearizability/linearizable.ts";
import { isReadOnly, type LinOp } from "../../../src/checkers/linearizability/model.ts";
import { modelNamed } from "../../../src/checkers/linearizability/models.ts";
import type { LinearizableOptions } from "../../../src/checkers/linearizability/plan.ts";
import { search } from "../../../src/checkers/linearizability/search.ts";
import { toLinOp } from "../../../src/checkers/linearizability/source.ts";
import type { History } from "../../../src/history/history.ts";
import { isClientProcess } from "../../../src/history/op.ts";
import { assertStreamsAsHeld } from "../../support/streaming.ts";
import { historyOf, records, token, type OpMaker } from "../../support/lin-histories.ts";

/**
 * Histories of every path through the columns: unique writes (the fast path, valid or not),
 * repeated values and cas (the fast path does not apply: the search runs on the columns' ops),
 * values of every kind, independent keys.
 */
interface Case {
  name: string;
  options: LinearizableOptions;
  maker: () => OpMaker;
  /** Whether the history is one part, so a direct search over its ops is the reference. */
  onePart: boolean;
}

const CASES: Case[] = [
  {
    name: "unique writes (fast path)",
    options: { model: "register", initial: 0 },
    onePart: true,
    maker: () => {
      let written = 0;
      return (kind, a, b) => (kind % 2 ? { f: "write", input: ++written } : { f: "read", output: a === 2 && b === 2 ? 99 : (a * 3 + b) % (written + 1) });
    },
  },
  {
    name: "repeated values of every kind (search)",
    options: { model: "register" },
    onePart: true,
    maker: () => {
      const values = [null, 1, "1", [1], { v: 1 }];
      return (kind, a, b) => (kind % 2 ? { f: "write", input: values[(a + b) % 5] } : { f: "read", output: values[(a * 2 + b) % 5] });
    },
  },
  {
    name: "cas-register (search)",
    options: { model: "cas-register", initial: 0 },
    onePart: true,
    maker: () => (kind, a, b) => [{ f: "read", output: a }, { f: "write", input: a }, { f: "cas", input: [a, b] }][kind % 3]!,
  },
  {
    name: "independent keys",
    options: { model: "register" },
    onePart: false,
    maker: () => {
      let written = 0;
      return (kind, a, b) => (kind % 2 ? { f: "write", input: [b % 2, ++written] } : { f: "read", input: [b % 2, null], output: [b % 2, a === 2 ? null : (a + written) % (written + 1)] });
    },
  },
  // Held, a small history is planned from its ops as objects (no columns); streamed, from columns: every case above compares the two.
  {
    name: "kv keys, model auto (planned from objects when held)",
    options: {},
    onePart: false,
    maker: () => (kind, a, b) => [{ f: "read", output: a === 2 ? null : a, key: b % 2 }, { f: "write", input: a, key: b % 2 }, { f: "cas", input: [a, (a + b) % 3], key: b % 2 }][kind % 3]!,
  },
  {
    name: "kv-append keys (planned from objects when held)",
    options: { model: "kv-append", semantics: "porcupine" },
    onePart: false,
    maker: () => (kind, a, b) => [{ f: "put", input: String(a), key: b % 2 }, { f: "append", input: String(a), key: b % 2 }, { f: "get", output: ["", "0", "01", null][a]!, key: b % 2 }][kind % 3]!,
  },
];

/** The search over the history's ops as objects, filtered as the plan filters them: the reference. */
function reference(history: History, options: LinearizableOptions): { valid: boolean; culprit?: number } {
  const model = modelNamed(options.model!);
  const ops: LinOp[] = history.operations.filter((o) => isClientProcess(o.process) && o.outcome !== "fail").map(toLinOp).filter((op) => !(op.outcome === "info" && isReadOnly(model, op)));
  const outcome = search(model, ops, model.init(options.initial), { memoBytes: 1 << 24 });
  assert.notEqual(outcome.kind, "budget");
  return outcome.kind === "violation" ? { valid: false, culprit: ops[outcome.culprit]!.id } : { valid: true };
}

for (const { name, options, maker, onePart } of CASES) {
  test(`${name}: streamed in completion order, the checker gives what it gives held, and what a search over the op objects gives`, () => {
    const verdicts = { true: 0, false: 0 };
    fc.assert(
      fc.property(fc.array(token, { minLength: 10, maxLength: 40 }), (tokens) => {
        const history = historyOf(records(tokens, maker(), 12));
        const held: LinearizableResult = checkLinearizable(history, options);
        const streamed = foldHistory(new LinearizableFold(options), history);
        assert.deepEqual(streamed, held);
        assert.notEqual(held.valid, "unknown", held.summary);
        verdicts[String(held.valid) as "true" | "false"]++;
        if (!onePart) return;
        const expected = reference(history, options);
        assert.equal(held.valid, expected.valid);
        if (expected.culprit !== undefined) assert.equal((held.evidence as LinearizableEvidence).violation?.culprit, expected.culprit);
      }),
      { numRuns: 250, seed: 11 },
    );
    // Both verdicts, or the agreement means little.
    assert.ok(verdicts.true > 20 && verdicts.false > 20, JSON.stringify(verdicts));
  });
}

test("simulated register and cas-register histories stream through linearizable with the verdicts they have held", async () => {
  await assertStreamsAsHeld({ workload: "register", ops: 3000 }, ["stats", "linearizable"]);
  await assertStreamsAsHeld({ workload: "register", behaviour: "async-failover", ops: 3000 }, ["linearizable"]);
  await assertStreamsAsHeld({ workload: "cas-register", behaviour: "async-failover", ops: 600 }, ["linearizable"]);
});
