import type { History } from "../history/history.ts";
import type { Operation } from "../history/op.ts";
import { failedResult, type CheckerResult, type FailedResult, type OperationFold } from "./checker.ts";

/** Runs a check; one that throws becomes `unknown` with its error, never a crash. */
export function guardedCheck<Result extends CheckerResult>(name: string, check: () => Result): Result | FailedResult {
  try {
    return check();
  } catch (error) {
    return failedResult(name, error);
  }
}

/** A fold that turns a checker's exception into an `unknown` result, as guardedCheck does for `check`. */
export class GuardedFold<Result extends CheckerResult> implements OperationFold<Result | FailedResult> {
  private fold: OperationFold<Result> | undefined;
  private error: unknown;

  constructor(
    private readonly name: string,
    start: () => OperationFold<Result>,
  ) {
    try {
      this.fold = start();
    } catch (error) {
      this.error = error;
    }
  }

  add(operation: Operation): void {
    if (this.error !== undefined || !this.fold) return;
    try {
      this.fold.add(operation);
    } catch (error) {
      this.error = error;
    }
  }

  finish(history: Omit<History, "operations">): Result | FailedResult {
    if (this.error === undefined && this.fold) {
      try {
        return this.fold.finish(history);
      } catch (error) {
        this.error = error;
      }
    }
    return failedResult(this.name, this.error);
  }
}
