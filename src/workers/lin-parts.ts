import { setMaxListeners } from "node:events";
import { Piscina } from "piscina";
import { checkLinearizable, composeLinearizable, type LinearizableResult } from "../checkers/linearizability/linearizable.ts";
import { checkPart, type PartResult, type PartTask } from "../checkers/linearizability/part.ts";
import { planLinearizability, type LinearizableOptions } from "../checkers/linearizability/plan.ts";
import type { History } from "../history/history.ts";

const TASK_FILE = new URL(`./lin-part-task${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href;

/** How long the inline pass may run parts before the rest go to threads: most histories finish within it. */
export const INLINE_MS = 250;

/**
 * The linearizable checker with its independent parts spread over `workers` threads: parts run
 * inline for up to `inlineMs` (a thread's start-up costs more than most parts), then the parts
 * left, and any cut short by that, run on a pool; with --first-failure, the first invalid part cancels the rest. Same
 * verdict as inline (checkLinearizable); when several parts are invalid, which one the evidence
 * shows may differ.
 */
export async function checkLinearizableOnPool(history: History, options: LinearizableOptions, workers: number, inlineMs = INLINE_MS): Promise<LinearizableResult> {
  const plan = planLinearizability(history, options);
  if (typeof plan === "string" || plan.tasks.length < 2 || workers <= 1) return checkLinearizable(history, options);
  const inlineUntil = Date.now() + inlineMs;
  const done: PartResult[] = [];
  const rest: PartTask[] = [];
  for (const task of plan.tasks) {
    if (Date.now() >= inlineUntil) {
      rest.push(task);
      continue;
    }
    const result = checkPart({ ...task, deadline: Math.min(task.deadline ?? Infinity, inlineUntil) });
    const cutShort = result.valid === "unknown" && result.budget === "time" && (task.deadline === undefined || Date.now() < task.deadline);
    if (cutShort) rest.push(task);
    else done.push(result);
    if (result.valid === false && plan.firstFailure) return composeLinearizable(history, plan, done);
  }
  const results = rest.length > 0 ? [...done, ...(await checkParts(rest, workers, plan.firstFailure))] : done;
  // In plan order, so that the evidence does not depend on which thread finished first.
  const order = new Map(plan.tasks.map((t, i) => [t.label, i]));
  return composeLinearizable(history, plan, results.sort((a, b) => order.get(a.label)! - order.get(b.label)!));
}

/** Runs parts on a fresh pool of `workers` threads (see PartPool.run). */
export async function checkParts(tasks: PartTask[], workers: number, firstFailure = false): Promise<PartResult[]> {
  const pool = new PartPool(workers);
  try {
    return await pool.run(tasks, firstFailure);
  } finally {
    await pool.destroy();
  }
}

/** Threads that check linearizability parts; reusable across batches. */
export class PartPool {
  private readonly pool: Piscina;

  constructor(workers: number) {
    this.pool = new Piscina({ filename: TASK_FILE, maxThreads: workers, minThreads: workers, idleTimeout: 1000 });
    // A cancelled part may still post its result; piscina reports that as an 'error' event, which unheard would end the process.
    this.pool.on("error", () => {});
  }

  /** Results in task order; with `firstFailure`, without the parts cancelled by a violation. A worker that dies makes its part unknown. */
  async run(tasks: PartTask[], firstFailure = false): Promise<PartResult[]> {
    const cancel = new AbortController();
    setMaxListeners(0, cancel.signal); // one listener per queued task
    const settled = await Promise.all(
      tasks.map((task) =>
        (this.pool.run(task, { signal: cancel.signal }) as Promise<PartResult>).then(
          (result) => {
            if (result.valid === false && firstFailure) cancel.abort();
            return result;
          },
          (error: unknown): PartResult | undefined => {
            if (cancel.signal.aborted) return undefined;
            const reason = `its worker stopped: ${error instanceof Error ? error.message : String(error)}`;
            return { label: task.label, valid: "unknown", method: "search", ops: task.ops.length, nilReadsForgotten: 0, reason, stats: { steps: 0, configurations: 0, deepest: 0, states: 0 } };
          },
        ),
      ),
    );
    return settled.filter((r): r is PartResult => r !== undefined);
  }

  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}
