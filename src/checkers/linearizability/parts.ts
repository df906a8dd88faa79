import type { CheckerParts } from "../checker.ts";
import { composeLinearizable, unplanned, type LinearizableResult } from "./linearizable.ts";
import { checkPart, partSize, type PartResult, type PartTask } from "./part.ts";
import { planLinearizability, type LinearizableOptions } from "./plan.ts";
import { sourceOf } from "./source.ts";

/** The model's partitions (P-compositionality), one PartTask each; with --first-failure, a violation settles the history. */
export const linearizableParts: CheckerParts<LinearizableOptions, LinearizableResult, PartTask, PartResult> = {
  plan(history, options) {
    const plan = planLinearizability(sourceOf(history), options);
    // No model fits: the result says why, at once.
    return typeof plan === "string" ? unplanned(plan) : { parts: plan.tasks, compose: (results) => composeLinearizable(plan, results), decisive: plan.firstFailure ? (result) => result.valid === false : undefined };
  },
  checkPart,
  cost: (task) => partSize(task.ops),
  lost: (task, reason) => ({ label: task.label, valid: "unknown", method: "search", ops: partSize(task.ops), nilReadsForgotten: 0, reason, stats: { steps: 0, configurations: 0, deepest: 0, states: 0 } }),
};
