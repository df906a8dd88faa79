import type { Deadline } from "../deadline.ts";
import type { CycleEdge, DirectAnomalyData, WriteF } from "./anomaly.ts";
import { externalReads, type Txn } from "./facts.ts";
import type { TxnTable } from "./table.ts";
import type { EdgeList } from "./graph.ts";
import { liveWriter, type WriteIndex } from "./writes.ts";

/** The two shapes of transaction Elle checks, one module each (as Elle has one namespace per workload). */
export type WorkloadName = "list-append" | "rw-register";

/**
 * Elle's opt-in inferences of a key's version order (rw-register's `:sequential-keys?`,
 * `:linearizable-keys?`, `:wfr-keys?`): each is an assumption about the store that orders
 * versions the reads alone leave unordered.
 */
export interface VersionInference {
  /** Each process observes a key's versions in order (per-key sequential consistency). */
  sequentialKeys: boolean;
  /** A txn that completed before another began observed no later version of a key (per-key linearizability). */
  linearizableKeys: boolean;
  /** Within a txn, a write to a key follows the version the txn read of it ("writes follow reads"). */
  wfrKeys: boolean;
}

export const NO_INFERENCE: VersionInference = { sequentialKeys: false, linearizableKeys: false, wfrKeys: false };

/** The names Elle and the CLI give the inferences, in the order they are listed in verdicts. */
export const INFERENCE_NAMES: readonly { option: keyof VersionInference; name: string }[] = [
  { option: "sequentialKeys", name: "sequential keys" },
  { option: "linearizableKeys", name: "linearizable keys" },
  { option: "wfrKeys", name: "writes follow reads (wfr)" },
];

export function inferencesOn(inference: VersionInference): string[] {
  return INFERENCE_NAMES.filter((i) => inference[i.option]).map((i) => i.name);
}

/** What one workload knows of its keys' version orders, and how they become dependency edges. */
export interface VersionOrder {
  /** What was inferred and from what, in one sentence. */
  inferred: string;
  /** Anomalies the order shows on its own (reads that fit no order, updates on aborted versions, …). */
  anomalies: DirectAnomalyData[];
  /** Adya's data dependencies (ww, wr, rw) between txns that did not abort. */
  addDependencies(edges: EdgeList): void;
  /** Why txn a precedes txn b (indices in the table) by a data edge of this kind (WW, WR or RW), as data; undefined when no such edge holds. */
  explain(kind: number, a: number, b: number): CycleEdge | undefined;
}

/** A txn's own view of a key while it runs: the whole state once read (or written, for registers), then its own writes since. */
export interface OwnState {
  known: readonly unknown[] | undefined;
  since: unknown[];
}

export interface TxnWorkload {
  name: WorkloadName;
  /** The micro-op name of its writes. */
  write: WriteF;
  /** Whether this micro-op marks a history as this workload. */
  marks(m: readonly unknown[]): boolean;
  /** A read's value as the state it shows: a list's elements; a register's one value (nil included). */
  readState(value: unknown): readonly unknown[];
  /** The txn's own write of `value` to a key it holds `state` of. */
  ownWrite(state: OwnState, value: unknown): void;
  /** A state as a read would return it (a list, or a register's value). */
  asRead(state: readonly unknown[]): unknown;
  /** Reads `deadline` every few thousand txns of each pass (and addDependencies does too). */
  orderVersions(table: TxnTable, writes: WriteIndex, inference: VersionInference, deadline?: Deadline): VersionOrder;
}

/** The values a read observed: a list's elements, or a register's one value (nil observes nothing written). */
export function observed(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return value === null || value === undefined ? [] : [value];
}

/** wr, the same in both workloads: b's external read ends on a's write. */
export function explainRead(write: WriteF, writes: WriteIndex, a: Txn, b: Txn): CycleEdge | undefined {
  for (const r of externalReads(b)) {
    const seen = observed(r.value);
    const last = seen[seen.length - 1];
    if (seen.length === 0 || liveWriter(writes, r.key, last) !== a.id) continue;
    return { kind: "wr", key: r.key, write, value: last, read: r.value };
  }
  return undefined;
}
