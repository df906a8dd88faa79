import type { Budget } from "../checker.ts";
import { remainingMs } from "../deadline.ts";
import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import { independentBecause, notATuple, splitByKey, type IndependentKey } from "../independent/split.ts";
import { isReadOnly, rejectOp, show, type LinOp } from "./model.ts";
import { inferModel, modelNamed, type ModelChoice } from "./models.ts";
import type { PartTask } from "./part.ts";
import { chooseSemantics, type SemanticsChoice } from "./semantics.ts";

/** Default ceiling of the memo of visited configurations (and, apart, of model states), per part. */
export const DEFAULT_MEMO_BYTES = 512 * 1024 * 1024;

export interface LinearizabilityPlan {
  choice: ModelChoice;
  semantics: SemanticsChoice;
  /** Set when the history is Jepsen independent keys, checked key by key: why, and how many keys. */
  independent?: { reason: string; keys: number };
  initial: unknown;
  /** Client ops that may have taken effect (fails removed unless they observed the state), in invocation order. */
  ops: LinOp[];
  failed: number;
  /** Failed ops kept because they still observed the state (Porcupine's failed cas). */
  failedKept: number;
  /** Reads whose result is unknown (info), dropped: they constrain nothing. */
  unknownReads: number;
  tasks: PartTask[];
  /** --first-failure: stop at the first part found not linearizable. */
  firstFailure: boolean;
}

export interface LinearizableOptions extends Budget {
  /** Model name, or "auto" (the default). */
  model?: string;
  /** Initial model state (--initial JSON). */
  initial?: unknown;
  /** How nil reads and failed ops are read (knossos, porcupine, strict); absent or "auto", from the format. */
  semantics?: string;
  /** Stop at the first part found not linearizable. */
  firstFailure?: boolean;
  /** Jepsen independent keys: true splits by [key value] tuples, false never does; absent, detected. */
  independent?: boolean;
}

/** What to check and how: the model, the ops, the independent parts. A string says why nothing can be checked. */
export function planLinearizability(history: History, options: LinearizableOptions): LinearizabilityPlan | string {
  const keys = independentKeys(history, options);
  if (typeof keys === "string") return keys;
  const perKey = keys?.histories.map(({ key, history: sub }) => ({ key, client: clientOps(sub) })) ?? [{ key: undefined, client: clientOps(history) }];
  const client = perKey.flatMap((k) => k.client);
  const requested = options.model ?? "auto";
  const choice = requested === "auto" ? inferModel(client) : { model: modelNamed(requested), reason: `--model ${requested}` };
  if (!choice) return `--model auto found no model for these ops (f: ${[...new Set(client.map((o) => o.f))].join(", ") || "none"}); name one with --model`;
  const semantics = chooseSemantics(options.semantics, history.format);
  const model = choice.model;
  const remaining = remainingMs(options.deadline, options.timeLimitMs);
  const deadline = remaining === undefined ? undefined : Date.now() + remaining;
  // The memo lives outside the JS heap (typed arrays), so a worker's heap ceiling would not stop it: half of --memory-limit goes to it.
  const memoBytes = options.memoryLimitMb === undefined ? DEFAULT_MEMO_BYTES : (options.memoryLimitMb * 1024 * 1024) / 2;
  const tasks: PartTask[] = [];
  const ops: LinOp[] = [];
  let candidates = 0;
  let failedKept = 0;
  for (const { key, client: keyOps } of perKey) {
    // Fails never took effect; under Porcupine's semantics a failed cas still saw the state.
    const kept = keyOps.filter((op) => op.outcome !== "fail" || (semantics.name === "porcupine" && model.failedObserves?.(op) === true));
    failedKept += kept.filter((op) => op.outcome === "fail").length;
    for (const op of kept) {
      const complaint = rejectOp(model, op);
      if (complaint !== undefined) return `${model.name} cannot interpret the history: ${complaint}`;
    }
    candidates += kept.length;
    // A read whose result is unknown could sit anywhere and change nothing: it only widens the search.
    const useful = kept.filter((op) => !(op.outcome === "info" && isReadOnly(model, op)));
    for (const op of useful) ops.push(op); // not push(...useful): a spread of 100k+ ops overflows the stack
    const parts = model.partition ? model.partition(useful) : [useful];
    parts.forEach((part, i) => {
      const within = parts.length === 1 ? undefined : partName(part[0]!, i);
      const label = key === undefined ? (within ?? "the whole history") : `key ${show(key)}${within === undefined ? "" : `, ${within}`}`;
      tasks.push({ label, model: model.name, semantics: semantics.name, initial: options.initial, ops: part, deadline, memoBytes });
    });
  }
  const independent = keys && { reason: keys.reason, keys: keys.histories.length };
  const failed = client.filter((op) => op.outcome === "fail").length - failedKept;
  return { choice, semantics, independent, initial: options.initial, ops, failed, failedKept, unknownReads: candidates - ops.length, tasks, firstFailure: options.firstFailure === true };
}

/** The history's independent keys when --independent asks or the ops are tuples; a string when --independent cannot be honoured. */
function independentKeys(history: History, options: LinearizableOptions): { reason: string; histories: { key: IndependentKey; history: History }[] } | string | undefined {
  if (options.independent === false) return undefined;
  const detected = independentBecause(history);
  if (options.independent === true && detected === undefined) {
    const odd = notATuple(history.operations);
    return odd ? `--independent: ${describeValue(odd)} is not a [key value] tuple` : "--independent: no client ops to split by key";
  }
  if (detected === undefined) return undefined;
  return { reason: options.independent === true ? `--independent (${detected})` : detected, histories: splitByKey(history) };
}

function describeValue(o: Operation): string {
  return `the value ${show(o.outcome === "ok" ? o.output : o.input)} of op ${o.id} (${o.f} by process ${String(o.process)})`;
}

function clientOps(history: History): LinOp[] {
  return history.operations.filter((o) => isClientProcess(o.process)).map(toLinOp);
}

export function toLinOp(o: Operation): LinOp {
  const op: LinOp = { id: o.id, process: o.process, f: o.f, input: o.input, output: o.output, outcome: o.outcome, call: o.call, ret: o.ret };
  if (o.invoke.key !== undefined) op.key = o.invoke.key;
  return op;
}

function partName(op: LinOp, i: number): string {
  return op.key !== undefined ? `key ${show(op.key)}` : `part ${i + 1} (ops from ${op.id})`;
}

