import type { CheckerParts } from "../checker.ts";
import { checkLinearizable, composeLinearizable, type LinearizableResult } from "./linearizable.ts";
import { checkPart, type PartResult, type PartTask } from "./part.ts";
import { planLinearizability, type LinearizableOptions } from "./plan.ts";

/** The model's partitions (P-compositionality), one PartTask each; a violation settles the history. */
export const linearizableParts: CheckerParts<LinearizableOptions, LinearizableResult, PartTask, PartResult> = {
  plan(history, options) {
    const plan = planLinearizability(history, options);
    // No model fits: the inline check says why, at once.
    return typeof plan === "string" ? checkLinearizable(history, options) : { parts: plan.tasks, compose: (results) => composeLinearizable(history, plan, results) };
  },
  checkPart,
  cost: (task) => task.ops.length,
  decisive: (result) => result.valid === false,
  lost: (task, reason) => ({ label: task.label, valid: "unknown", method: "search", reason, stats: { steps: 0, configurations: 0, deepest: 0, states: 0 } }),
};
