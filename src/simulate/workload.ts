/**
 * What clients ask of the store. A data workload is a state machine the behaviours replicate
 * (each replica holds a state S and applies ops to it); a transactional workload is a stream of
 * micro-op lists that the transactional stores execute against versioned keys.
 */
import type { Random } from "./random.ts";
import type { Completed, Expectation, Guarantee } from "./truth.ts";

/** An invocation as the client sends it; `value` is what the history records. */
export interface Invocation {
  f: string;
  value: unknown;
}

/** The result of applying an op to a state: `ok: false` means it did not happen (e.g. a cas whose old value differed). */
export interface Applied {
  ok: boolean;
  value: unknown;
}

/** What a client knows when it invokes: who it is, where, and its node's clock. */
export interface InvokeContext {
  rng: Random;
  slot: number;
  /** The client's node's wall clock, in µs, truncated to the timestamp resolution (LWW timestamps). */
  clockMicros: number;
}

interface WorkloadBase {
  name: string;
  next(context: InvokeContext): Invocation;
  /** Reads done once the cluster has healed and settled (the set app's final read). */
  finalReads(): Invocation[];
  observer(): Observer;
}

export interface DataWorkload<S> extends WorkloadBase {
  kind: "data";
  init(): S;
  clone(state: S): S;
  isRead(op: Invocation): boolean;
  /** Applies the op in place and returns its result. */
  apply(state: S, op: Invocation): Applied;
  /**
   * Last-write-wins replication: folds a write stamped `ts` (µs) into a replica so that the
   * order writes arrive in does not matter. Absent when the data type has no LWW form (cas).
   */
  merge?(state: S, op: Invocation, ts: number): void;
}

/** One transaction's micro-ops: ["append", k, v] / ["w", k, v] / ["r", k, result-or-null]. */
export type MicroOp = [string, number, unknown];

export interface TxnWorkload extends WorkloadBase {
  kind: "txn";
  /** The value a key holds after this transaction writes `arg` to it. */
  write(old: unknown, arg: unknown): unknown;
  /** What a read micro-op returns for a key's value (absent keys are undefined). */
  read(value: unknown): unknown;
}

export type Workload = DataWorkload<unknown> | TxnWorkload;

export interface WorkloadDefinition {
  name: string;
  description: string;
  /** A fresh workload for one run (workloads keep counters for unique values). */
  create(): Workload;
}

/** Watches a workload's history as it is written and turns what the ground truth makes certain into expectations. */
export interface Observer {
  invoked(slot: number, op: Invocation, index: number, time: number): void;
  completed(slot: number, op: Completed): void;
  /** Facts seen in the history (counts) and the verdicts they make certain. */
  findings(guarantee: Guarantee): { facts: Record<string, unknown>; expect: Expectation[] };
}
