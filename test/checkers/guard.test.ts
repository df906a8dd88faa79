import assert from "node:assert/strict";
import { test } from "node:test";
import type { CheckerResult, OperationFold } from "../../src/checkers/checker.ts";
import { GuardedFold, guardedCheck } from "../../src/checkers/guard.ts";
import { historyOf } from "../support/helpers.ts";

const history = historyOf([
  { type: "invoke", f: "read", process: 0 },
  { type: "ok", f: "read", process: 0 },
]);
const fine: CheckerResult = { checker: "c", valid: true, summary: "fine", evidence: {}, stats: {} };

test("a check that throws is unknown, with its error, and marked failed", () => {
  assert.equal(guardedCheck("c", () => fine), fine);
  assert.deepEqual(
    guardedCheck("c", () => {
      throw new Error("boom");
    }),
    { checker: "c", valid: "unknown", summary: "the checker failed: boom", evidence: { error: "boom" }, stats: {}, failed: true },
  );
});

test("a fold that throws when started, adding or finishing is unknown the same way", () => {
  const failing = (where: "start" | "add" | "finish") => (): OperationFold => {
    if (where === "start") throw new Error(where);
    return {
      add() {
        if (where === "add") throw new Error(where);
      },
      finish() {
        if (where === "finish") throw new Error(where);
        return fine;
      },
    };
  };
  for (const where of ["start", "add", "finish"] as const) {
    const fold = new GuardedFold("c", failing(where));
    for (const o of history.operations) fold.add(o);
    assert.equal(fold.finish(history).summary, `the checker failed: ${where}`);
  }
  const ok = new GuardedFold("c", () => ({ add() {}, finish: () => fine }));
  assert.equal(ok.finish(history), fine);
});
