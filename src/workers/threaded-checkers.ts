import type { Budget, FlagText } from "../checkers/checker.ts";
import { guardedCheck } from "../checkers/guard.ts";
import { linearizableOptions } from "../checkers/linearizability/checker.ts";
import { notApplicableResult, type CheckerOutcome, type Choice, type KnownResult } from "../checkers/registry.ts";
import { txnOptions } from "../checkers/txn/checker.ts";
import type { History } from "../history/history.ts";
import { checkLinearizableOnPool } from "./lin-parts.ts";
import { checkTxnOnPool } from "./txn-cycles.ts";

type ThreadedCheck = (history: History, flags: FlagText, budget: Budget, workers: number) => Promise<KnownResult>;

/** Checkers whose work splits into parts that threads can share: same result as their inline `check`. */
const THREADED: Record<string, ThreadedCheck> = {
  linearizable: (history, flags, budget, workers) => checkLinearizableOnPool(history, linearizableOptions(flags, budget), workers),
  txn: (history, flags, budget, workers) => checkTxnOnPool(history, txnOptions(flags, budget), workers),
};

/** The checker's check, on `workers` threads where the checker can use them; a failure is `unknown`, never a crash. */
export async function runCheckerOnThreads(choice: Choice, history: History, flags: FlagText, budget: Budget, workers: number): Promise<CheckerOutcome> {
  const { checker } = choice;
  if (choice.notApplicable !== undefined) return notApplicableResult(checker.name, choice.notApplicable);
  const inline = (): CheckerOutcome => guardedCheck(checker.name, () => checker.configure(flags, budget).check(history));
  const threaded = THREADED[checker.name];
  if (!threaded || workers <= 1) return inline();
  try {
    return await threaded(history, flags, budget, workers);
  } catch {
    return inline();
  }
}
