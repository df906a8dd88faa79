import { Piscina } from "piscina";
import { componentBudget, composeTxn, planTxn, searchInline, type TxnOptions, type TxnResult } from "../checkers/txn/check.ts";
import { componentTask } from "../checkers/txn/cycles.ts";
import type { History } from "../history/history.ts";

const TASK_FILE = new URL(`./txn-cycle-task${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href;

/** Below this many txns in cyclic components, a thread's start-up costs more than the search it would share. */
export const PARALLEL_MIN_NODES = 5000;

/**
 * The txn checker with the strongly connected components' cycle searches spread over
 * `workers` threads (each with its own time budget). Same result as checkTxn: the searches are
 * deterministic but for where a budget runs out.
 */
export async function checkTxnOnPool(history: History, options: TxnOptions, workers: number, minNodes = PARALLEL_MIN_NODES): Promise<TxnResult> {
  const plan = planTxn(history, options);
  const nodes = plan.components.reduce((sum, c) => sum + c.length, 0);
  if (plan.components.length < 2 || nodes < minNodes || workers <= 1) return composeTxn(plan, searchInline(plan, options));
  const budget = componentBudget(options);
  const pool = new Piscina({ filename: TASK_FILE, maxThreads: workers, minThreads: workers, idleTimeout: 1000 });
  try {
    const searches = await Promise.all(plan.components.map((component) => pool.run(componentTask(plan.graph, component, plan.classes, budget()))));
    return composeTxn(plan, searches);
  } finally {
    await pool.destroy();
  }
}
