import type { CheckerParts } from "../checker.ts";
import { checkLinearizable, composeLinearizable, type LinearizableResult } from "./linearizable.ts";
import { checkPart, type PartResult, type PartTask } from "./part.ts";
import { planLinearizability, type LinearizableOptions } from "./plan.ts";

/** The model's partitions (P-compositionality), one PartTask each; with --first-failure, a violation settles the history. */
export const linearizableParts: CheckerParts<LinearizableOptions, LinearizableResult, PartTask, PartResult> = {
  plan(history, options) {
    const plan = planLinearizability(history, options);
    // No model fits: the inline check says why, at once.
    return typeof plan === "string" ? checkLinearizable(history, options) : { parts: plan.tasks, compose: (results) => composeLinearizable(history, plan, results), decisive: plan.firstFailure ? (result) => result.valid === false : undefined };
  },
  checkPart,
  cost: (task) => task.ops.length,
  lost: (task, reason) => ({ label: task.label, valid: "unknown", method: "search", ops: task.ops.length, nilReadsForgotten: 0, reason, stats: { steps: 0, configurations: 0, deepest: 0, states: 0 } }),
};
