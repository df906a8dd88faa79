import type { CheckerResult, CheckOptions } from "../checkers/checker.ts";
import type { History } from "../history/history.ts";
import type { CheckerChoice } from "../checkers/registry.ts";
import { runChecker } from "../checkers/verdict.ts";
import { checkLinearizableOnPool } from "./lin-parts.ts";
import { checkTxnOnPool } from "./txn-cycles.ts";

type ThreadedCheck = (history: History, options: CheckOptions, workers: number) => Promise<CheckerResult>;

/** Checkers whose work splits into parts that threads can share: same result as their inline `check`. */
const THREADED: Record<string, ThreadedCheck> = {
  linearizable: checkLinearizableOnPool,
  txn: checkTxnOnPool,
};

/** runChecker, on `workers` threads where the checker can use them; a failure is `unknown`, never a crash. */
export async function runCheckerOnThreads(choice: CheckerChoice, history: History, options: CheckOptions, workers: number): Promise<CheckerResult> {
  const threaded = THREADED[choice.checker.name];
  if (!threaded || workers <= 1 || choice.notApplicable !== undefined) return runChecker(choice, history, options);
  try {
    return await threaded(history, options, workers);
  } catch {
    return runChecker(choice, history, options);
  }
}
