/**
 * Known truth about a simulated history: what the behaviour guarantees, what the simulator saw
 * go wrong inside the cluster, and the verdicts Hindsight's checkers must reach. Observers watch
 * the history as it is written and turn what the ground truth makes certain into expectations;
 * they never guess (no expectation is better than a wrong one).
 */
import type { Completion } from "../recorder/recorder.ts";

/** The consistency a behaviour promises, in the names the checkers use. */
export interface Guarantee {
  /** Every operation takes effect atomically between its invocation and completion. */
  linearizable: boolean;
  /** Transactional stores: the strongest model they promise (Elle's names). */
  txnModel?: "strict-serializable" | "snapshot-isolation" | "read-committed";
}

/** A completed operation, as written: indices are history positions, times nanoseconds. */
export interface Completed {
  f: string;
  input: unknown;
  outcome: Completion;
  output: unknown;
  invokeIndex: number;
  completeIndex: number;
  callTime: number;
  retTime: number;
}

/** A verdict a checker must reach on the history, and why the simulator knows. */
export interface Expectation {
  /** Checker family: linearizability, set, set-full, counter, lww, txn, bank, queue, total-queue or unique-ids (test/simulate/truth.test.ts maps these to registered names). */
  checker: string;
  valid: boolean;
  because: string;
  /** For txn: the consistency model the verdict is about. */
  consistencyModel?: string;
  /** Indices of history records that prove an invalid verdict. */
  witness?: number[];
}

export interface Truth {
  history: string;
  command: string;
  seed: number;
  records: number;
  behaviour: { name: string; like: string; guarantees: string };
  workload: string;
  nemesis: { name: string; actions: { index: number; f: string; value: unknown }[] };
  /** What went wrong inside the cluster, counted by the store (e.g. acknowledged writes discarded). */
  violations: string[];
  facts: Record<string, unknown>;
  expect: Expectation[];
}
