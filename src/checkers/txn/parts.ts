import type { CheckerParts } from "../checker.ts";
import { remainingMs } from "../deadline.ts";
import { componentBudget, composeTxn, gatherTxns, planTxn, type TxnOptions, type TxnResult } from "./check.ts";
import { componentTask, searchComponent, type ComponentSearch, type ComponentTask } from "./cycles.ts";

/** One component's cycle search; `until` (Date.now, shared by threads) ends what --time-limit leaves to all of them. */
export interface TxnPart {
  search: ComponentTask;
  until: number;
}

/** One cycle search per strongly connected component. */
export const txnParts: CheckerParts<TxnOptions, TxnResult, TxnPart, ComponentSearch> = {
  plan(history, options) {
    const plan = planTxn(gatherTxns(history.operations), options);
    const budgetMs = componentBudget(options)();
    const until = Date.now() + (remainingMs(options.deadline, options.timeLimitMs) ?? Infinity);
    return { parts: plan.components.map((c) => ({ search: componentTask(plan.graph, c, plan.classes, budgetMs), until })), compose: (searches) => composeTxn(plan, searches) };
  },
  checkPart: ({ search, until }) => searchComponent({ ...search, budgetMs: Math.max(0, Math.min(search.budgetMs, until - Date.now())) }),
  cost: ({ search }) => search.graph.size,
  lost: () => ({ cycles: [], cutShort: true }),
};
