import { UsageError } from "../history/errors.ts";
import type { History } from "../history/history.ts";
import type { CheckerDefinition } from "./checker.ts";
import { counterChecker } from "./counter/counter.ts";
import { linearizableChecker } from "./linearizability/linearizable.ts";
import { lwwChecker } from "./lww/lww.ts";
import { setFullChecker } from "./set/set-full.ts";
import { setChecker } from "./set/set.ts";
import { statsChecker } from "./stats/stats.ts";
import { txnChecker } from "./txn/check.ts";

/** Every checker, in report order. */
export const CHECKERS: readonly CheckerDefinition[] = [statsChecker, linearizableChecker, setChecker, setFullChecker, counterChecker, lwwChecker, txnChecker];

export interface CheckerChoice {
  checker: CheckerDefinition;
  /** Why it was picked, shown to the user. */
  reason: string;
}

/**
 * Resolves --checker: "auto" picks what applies to the ops present (so it needs the history);
 * names must exist.
 */
export function chooseCheckers(requested: readonly string[], history: History | undefined): CheckerChoice[] {
  if (requested.length === 0 || (requested.length === 1 && requested[0] === "auto")) {
    if (!history) throw new Error("choosing checkers automatically needs the history");
    const applicable = CHECKERS.flatMap((checker) => {
      const reason = checker.appliesBecause(history);
      return reason === undefined ? [] : [{ checker, reason }];
    });
    const superseded = new Set(applicable.flatMap((c) => c.checker.supersedes ?? []));
    return applicable.filter((c) => !superseded.has(c.checker.name));
  }
  return requested.map((name) => ({ checker: checkerNamed(name), reason: "requested with --checker" }));
}

export function checkerNamed(name: string): CheckerDefinition {
  const checker = CHECKERS.find((c) => c.name === name);
  if (!checker) throw new UsageError(`unknown checker "${name}"; expected auto or one of: ${CHECKERS.map((c) => c.name).join(", ")}`);
  return checker;
}
