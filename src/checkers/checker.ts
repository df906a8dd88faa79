import type { History } from "../history/history.ts";
import type { Operation } from "../history/op.ts";
import type { BankOptions } from "./bank/bank.ts";

/** Three-valued: `unknown` whenever a search was cut short, input was skipped or nothing could be judged. */
export type Validity = true | false | "unknown";

export interface CheckerResult<Evidence = unknown, Stats extends object = object> {
  checker: string;
  valid: Validity;
  /** One sentence a person can read at a glance. */
  summary: string;
  /** Data first: indices of the ops involved, so every invalid verdict names its proof. */
  evidence: Evidence;
  stats: Stats;
  /**
   * Operation ids (Operation.id) the evidence centres on, e.g. a linearizability culprit and
   * the ops concurrent with it, or a cycle's transactions: the report's timeline opens there.
   */
  focus?: number[];
}

/** Options every checker may receive; a checker ignores what does not concern it. */
export interface CheckOptions {
  /** Linearizability model name. */
  model?: string;
  /** Initial model state (--initial JSON). */
  initial?: unknown;
  /** txn: the consistency model that decides validity. */
  consistencyModel?: string;
  /** Wall-clock budget in milliseconds, enforced inside searches. */
  timeLimitMs?: number;
  /** Memory budget in MB for a checker's own structures (e.g. a search memo); enforced inside. */
  memoryLimitMb?: number;
  /** bank: --accounts, --total-amount, --negative-balances. */
  bank?: BankOptions;
  /** long-fork: --group-size (keys read together); inferred when absent. */
  groupSize?: number;
}

/**
 * A checker that consumes operations one at a time, so that a huge history streams through it
 * without being held in memory. Operations arrive in completion order (`completeIndex`); those
 * never completed come last, in invocation order — the order a streaming read produces them.
 */
export interface OperationFold {
  add(operation: Operation): void;
  /** `history` is everything read but the operations (annotations, counts). */
  finish(history: Omit<History, "operations">): CheckerResult;
}

export interface CheckerDefinition {
  /** The --checker name; stable. */
  name: string;
  description: string;
  /** Why this checker applies to a history (for --checker auto), or undefined when it does not. */
  appliesBecause(history: History): string | undefined;
  /** Pure and deterministic: history in, result out; never prints, reads files or starts threads. */
  check(history: History, options: CheckOptions): CheckerResult;
  /**
   * Checkers that `--checker auto` should not also run when this one applies, because this one
   * understands the ops better (LWW row writes look like register writes to linearizability).
   */
  supersedes?: readonly string[];
  /** Measures rather than judges (stats): its `true` alone never makes a history valid. */
  informational?: boolean;
  /** Present when the checker can stream (then `check` must equal folding the history). */
  fold?(options: CheckOptions): OperationFold;
}
