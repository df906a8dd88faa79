import type { Budget } from "../checker.ts";
import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import type { LinOp } from "./model.ts";
import { inferModel, modelNamed, type ModelChoice } from "./models.ts";
import type { PartTask } from "./part.ts";

/** Default ceiling of the memo of visited configurations (and, apart, of model states), per part. */
export const DEFAULT_MEMO_BYTES = 512 * 1024 * 1024;

export interface LinearizabilityPlan {
  choice: ModelChoice;
  initial: unknown;
  /** Client ops that may have taken effect (fails removed), in invocation order. */
  ops: LinOp[];
  failed: number;
  /** Reads whose result is unknown (info), dropped: they constrain nothing. */
  unknownReads: number;
  tasks: PartTask[];
}

export interface LinearizableOptions extends Budget {
  /** Model name, or "auto" (the default). */
  model?: string;
  /** Initial model state (--initial JSON). */
  initial?: unknown;
}

/** What to check and how: the model, the ops, the independent parts. A string says why nothing can be checked. */
export function planLinearizability(history: History, options: LinearizableOptions): LinearizabilityPlan | string {
  const client = history.operations.filter((o) => isClientProcess(o.process));
  const candidates = client.filter((o) => o.outcome !== "fail").map(toLinOp);
  const requested = options.model ?? "auto";
  const choice = requested === "auto" ? inferModel(client.map(toLinOp)) : { model: modelNamed(requested), reason: `--model ${requested}` };
  if (!choice) return `--model auto found no model for these ops (f: ${[...new Set(client.map((o) => o.f))].join(", ") || "none"}); name one with --model`;
  for (const op of candidates) {
    const complaint = choice.model.reject(op);
    if (complaint !== undefined) return `${choice.model.name} cannot interpret the history: ${complaint}`;
  }
  // A read whose result is unknown could sit anywhere and change nothing: it only widens the search.
  const ops = candidates.filter((op) => !(op.outcome === "info" && choice.model.readOnly?.(op)));
  const parts = choice.model.partition ? choice.model.partition(ops) : [ops];
  const deadline = options.timeLimitMs === undefined ? undefined : Date.now() + options.timeLimitMs;
  // The memo lives outside the JS heap (typed arrays), so a worker's heap ceiling would not stop it: half of --memory-limit goes to it.
  const memoBytes = options.memoryLimitMb === undefined ? DEFAULT_MEMO_BYTES : (options.memoryLimitMb * 1024 * 1024) / 2;
  const tasks = parts.map((part, i): PartTask => ({
    label: parts.length === 1 ? "the whole history" : `part ${i + 1} (${partName(part[0]!)})`,
    model: choice.model.name,
    initial: options.initial,
    ops: part,
    deadline,
    memoBytes,
  }));
  return { choice, initial: options.initial, ops, failed: client.length - candidates.length, unknownReads: candidates.length - ops.length, tasks };
}

export function toLinOp(o: Operation): LinOp {
  const op: LinOp = { id: o.id, process: o.process, f: o.f, input: o.input, output: o.output, outcome: o.outcome, call: o.call, ret: o.ret };
  if (o.invoke.key !== undefined) op.key = o.invoke.key;
  return op;
}

function partName(op: LinOp): string {
  return op.key !== undefined ? `key ${JSON.stringify(op.key)}` : `ops from ${op.id}`;
}
