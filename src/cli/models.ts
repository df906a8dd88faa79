import type { FlagText } from "../checkers/checker.ts";

/**
 * elle-cli's `--model` names that choose a checker rather than a linearizability model. The
 * linearizability models (register, cas-register, mutex, set, …) keep their meaning, so elle-cli's
 * `set` is `--checker set` here.
 */
const CHECKER_OF_MODEL: Record<string, string> = {
  "list-append": "txn",
  "elle-list-append": "txn",
  "rw-register": "txn",
  "elle-rw-register": "txn",
  bank: "bank",
  counter: "counter",
  "set-full": "set-full",
  "long-fork": "long-fork",
  "unique-ids": "unique-ids",
  queue: "queue",
  "total-queue": "total-queue",
};

/** --checker and the checkers' flags as the analysis takes them: an elle-cli `--model` name becomes its checker. */
export function resolveModel(checkers: string[], flags: FlagText): { checkers: string[]; flags: FlagText } {
  const checker = flags.model === undefined ? undefined : CHECKER_OF_MODEL[flags.model];
  if (checker === undefined) return { checkers, flags };
  const { model: _elleModel, ...others } = flags;
  const chosen = checkers.length === 1 && checkers[0] === "auto" ? ["stats", checker] : [...new Set([...checkers, checker])];
  return { checkers: chosen, flags: others };
}
