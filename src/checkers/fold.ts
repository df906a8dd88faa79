import type { History } from "../history/history.ts";
import type { Operation } from "../history/op.ts";
import type { CheckerDefinition, CheckerResult, CheckOptions, OperationFold } from "./checker.ts";
import { failedResult } from "./verdict.ts";

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
export function foldHistory(fold: OperationFold, history: History): CheckerResult {
  for (const operation of completionOrder(history.operations)) fold.add(operation);
  return fold.finish(history);
}

/** A fold that turns a checker's exception into an `unknown` result, as runChecker does for `check`. */
export class GuardedFold implements OperationFold {
  private readonly fold: OperationFold;
  private error: unknown;

  constructor(
    private readonly checker: CheckerDefinition,
    options: CheckOptions,
  ) {
    this.fold = checker.fold!(options);
  }

  add(operation: Operation): void {
    if (this.error !== undefined) return;
    try {
      this.fold.add(operation);
    } catch (error) {
      this.error = error;
    }
  }

  finish(history: Omit<History, "operations">): CheckerResult {
    if (this.error === undefined) {
      try {
        return this.fold.finish(history);
      } catch (error) {
        this.error = error;
      }
    }
    return failedResult(this.checker.name, this.error);
  }
}
