import type { History } from "../history/history.ts";
import type { Operation } from "../history/op.ts";
import type { CheckerResult, OperationFold } from "./checker.ts";

/** Sorted once per history, however many foldable checkers read it. */
const sortedByCompletion = new WeakMap<readonly Operation[], readonly Operation[]>();

/** The order a streaming read hands operations over: by completion, never-completed last. */
export function completionOrder(operations: readonly Operation[]): readonly Operation[] {
  let sorted = sortedByCompletion.get(operations);
  if (!sorted) {
    sorted = [...operations].sort((a, b) => (a.completeIndex ?? Infinity) - (b.completeIndex ?? Infinity) || a.id - b.id);
    sortedByCompletion.set(operations, sorted);
  }
  return sorted;
}

/** Runs a fold over an in-memory history: the same answer a streaming run gives. */
export function foldHistory<Result extends CheckerResult>(fold: OperationFold<Result>, history: History): Result {
  for (const operation of completionOrder(history.operations)) fold.add(operation);
  return fold.finish(history);
}
