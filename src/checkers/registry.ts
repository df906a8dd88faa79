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
  /** Requested with --checker but its ops are not there: it is not run, its result is `unknown` with this reason. */
  notApplicable?: string;
}

/**
 * Resolves --checker: "auto" picks what applies to the ops present (so it needs the history),
 * and may come with named extras (`auto,set`: auto's choice, then the extras); names must exist and run in the order named. A named checker whose ops are
 * absent is not run but explained (its verdict there would mean nothing).
 */
export function chooseCheckers(requested: readonly string[], history: History | undefined): CheckerChoice[] {
  const auto = requested.length === 0 || requested.includes("auto");
  if (auto && !history) throw new Error("choosing checkers automatically needs the history");
  const picked = auto && history ? automaticChoices(history) : [];
  const named = [...new Set(requested.filter((name) => name !== "auto"))].map(checkerNamed).filter((checker) => !picked.some((c) => c.checker === checker));
  return [...picked, ...named.map((checker) => requestedChoice(checker, history))];
}

function automaticChoices(history: History): CheckerChoice[] {
  const applicable = CHECKERS.flatMap((checker) => {
    const reason = checker.appliesBecause(history);
    return reason === undefined ? [] : [{ checker, reason }];
  });
  const superseded = new Set(applicable.flatMap((c) => c.checker.supersedes ?? []));
  return applicable.filter((c) => !superseded.has(c.checker.name));
}

function requestedChoice(checker: CheckerDefinition, history: History | undefined): CheckerChoice {
  const reason = "requested with --checker";
  if (history === undefined || checker.appliesBecause(history) !== undefined) return { checker, reason };
  const fs = [...new Set(history.operations.map((o) => o.f))].slice(0, 8).join(", ") || "none";
  return { checker, reason, notApplicable: `${checker.name} does not apply to these operations (ops: ${fs}), so it was not run` };
}

export function checkerNamed(name: string): CheckerDefinition {
  const checker = CHECKERS.find((c) => c.name === name);
  if (!checker) throw new UsageError(`unknown checker "${name}"; expected auto or one of: ${CHECKERS.map((c) => c.name).join(", ")}`);
  return checker;
}
