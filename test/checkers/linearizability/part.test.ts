import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { columnsOf } from "../../../src/checkers/linearizability/columns.ts";
import { checkPart, isOpList, type PartTask } from "../../../src/checkers/linearizability/part.ts";
import { planLinearizability } from "../../../src/checkers/linearizability/plan.ts";
import { sourceOf } from "../../../src/checkers/linearizability/source.ts";
import { historyOf, records, token, type OpMaker } from "../../support/lin-histories.ts";

/** Keyed models, whose partitions hand small parts over as objects; kv's keys are registers (the fast path, nil reads). */
const KEYED: Record<string, OpMaker> = {
  kv: (kind, a, b) => [{ f: "read", output: a === 2 ? null : a, key: b % 2 }, { f: "write", input: a, key: b % 2 }, { f: "cas", input: [a, (a + b) % 3], key: b % 2 }][kind % 3]!,
  "kv-append": (kind, a, b) => [{ f: "put", input: String(a), key: b % 2 }, { f: "append", input: String(a), key: b % 2 }, { f: "get", output: ["", "0", "01", null][a]!, key: b % 2 }][kind % 3]!,
};

for (const [model, make] of Object.entries(KEYED)) {
  test(`${model}: a part given as objects is decided as the same part given as columns`, () => {
    const verdicts = new Set<unknown>();
    fc.assert(
      fc.property(fc.array(token, { minLength: 6, maxLength: 30 }), fc.constantFrom("knossos", "porcupine", "strict"), (drawn, semantics) => {
        const plan = planLinearizability(sourceOf(historyOf(records(drawn, make, 10))), { model, semantics });
        assert.ok(typeof plan !== "string", String(plan));
        for (const task of plan.tasks) {
          assert.ok(isOpList(task.ops));
          const asColumns: PartTask = { ...task, ops: columnsOf(task.ops) };
          const result = checkPart(task);
          verdicts.add(`${result.valid} ${result.method} ${result.nilReadsForgotten > 0}`);
          assert.deepEqual(result, checkPart(asColumns));
        }
      }),
      { numRuns: 300, seed: 7 },
    );
    // Both verdicts, and (for kv) the fast path and forgotten nil reads, or the agreement means little.
    assert.ok([...verdicts].some((v) => String(v).startsWith("true")) && [...verdicts].some((v) => String(v).startsWith("false")), [...verdicts].join("; "));
    if (model === "kv") assert.ok([...verdicts].some((v) => String(v).includes("fast-path")) && [...verdicts].some((v) => String(v).endsWith("true")), [...verdicts].join("; "));
  });
}
