import { UsageError } from "../history/errors.ts";
import type { History } from "../history/history.ts";
import type { Budget, FailedResult, FlagText } from "./checker.ts";
import type { CheckerChoice, RegisteredChecker } from "./descriptor.ts";
import { counterChecker } from "./counter/checker.ts";
import { linearizableChecker } from "./linearizability/checker.ts";
import { lwwChecker } from "./lww/checker.ts";
import { setChecker, setFullChecker } from "./set/checker.ts";
import { statsChecker } from "./stats/checker.ts";
import { txnChecker } from "./txn/checker.ts";
import { bankChecker } from "./bank/checker.ts";
import { longForkChecker } from "./long-fork/checker.ts";
import { uniqueIdsChecker } from "./unique-ids/checker.ts";
import { queueChecker, totalQueueChecker } from "./queue/checker.ts";

/** Every checker, in report order: one line each. */
const LISTED = [
  statsChecker,
  linearizableChecker,
  setChecker,
  setFullChecker,
  counterChecker,
  lwwChecker,
  txnChecker,
  bankChecker,
  longForkChecker,
  uniqueIdsChecker,
  queueChecker,
  totalQueueChecker,
] as const;

type ResultOf<C> = C extends RegisteredChecker<infer Result> ? Result : never;

/** The typed result of any registered checker (discriminated by `checker`). */
export type KnownResult = ResultOf<(typeof LISTED)[number]>;

/** What a verdict holds per checker: its typed result, or the failure of one that threw. */
export type CheckerOutcome = KnownResult | FailedResult;

export const CHECKERS: readonly RegisteredChecker<KnownResult>[] = LISTED;

export type Choice = CheckerChoice<KnownResult>;

/**
 * Resolves --checker: "auto" picks what applies to the ops present (so it needs the history),
 * and may come with named extras (`auto,set`: auto's choice, then the extras); names must exist
 * and run in the order named. A named checker whose ops are absent is not run but explained.
 */
export function chooseCheckers(requested: readonly string[], history: History | undefined): Choice[] {
  const auto = requested.length === 0 || requested.includes("auto");
  if (auto && !history) throw new Error("choosing checkers automatically needs the history");
  const picked = auto && history ? automaticChoices(history) : [];
  const named = [...new Set(requested.filter((name) => name !== "auto"))].map(checkerNamed).filter((checker) => !picked.some((c) => c.checker === checker));
  return [...picked, ...named.map((checker) => requestedChoice(checker, history))];
}

function automaticChoices(history: History): Choice[] {
  const applicable = CHECKERS.flatMap((checker) => {
    const reason = checker.appliesBecause(history);
    return reason === undefined ? [] : [{ checker, reason }];
  });
  const superseded = new Set(applicable.flatMap((c) => c.checker.supersedes));
  return applicable.filter((c) => !superseded.has(c.checker.name));
}

function requestedChoice(checker: RegisteredChecker<KnownResult>, history: History | undefined): Choice {
  const reason = "requested with --checker";
  if (history === undefined || checker.judges(history)) return { checker, reason };
  const fs = [...new Set(history.operations.map((o) => o.f))].slice(0, 8).join(", ") || "none";
  return { checker, reason, notApplicable: `${checker.name} does not apply to these operations (ops: ${fs}), so it was not run` };
}

/**
 * The outcome of a checker requested where it does not apply: `unknown` with the reason. It has
 * no result of the checker's own type, so it takes the shape of a checker that did not run.
 */
export function notApplicableResult(checker: string, reason: string): FailedResult {
  return { checker, valid: "unknown", summary: reason, evidence: { error: reason }, stats: {}, failed: true };
}

export function checkerNamed(name: string): RegisteredChecker<KnownResult> {
  const checker = CHECKERS.find((c) => c.name === name);
  if (!checker) throw new UsageError(`unknown checker "${name}"; expected auto or one of: ${CHECKERS.map((c) => c.name).join(", ")}`);
  return checker;
}

/** Every checker's flags validated at once, so a bad flag is a usage error before any file is read. */
export function validateCheckerFlags(flags: FlagText, budget: Budget): void {
  for (const checker of CHECKERS) checker.configure(flags, budget);
}
