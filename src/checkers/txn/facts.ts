import type { Outcome, ProcessId } from "../../history/op.ts";
import { DeadlineWatch } from "../deadline.ts";

/** A micro-op as the history wrote it: `[f, key, value]`, f `r` or the workload's write (append / w). */
export type MicroOp = readonly [f: string, key: unknown, value: unknown];

/** A key or value reduced to something a Map compares by value (objects become their JSON). */
export type Slot = string | number | boolean | null;

export function slot(x: unknown): Slot {
  if (x === undefined) return null;
  return typeof x === "string" || typeof x === "number" || typeof x === "boolean" || x === null ? x : JSON.stringify(x);
}

/** What the checker keeps of a txn operation: a few numbers, not the operation and its records. */
export interface TxnOp {
  /** Operation.id: T-numbers in explanations. */
  id: number;
  process: ProcessId;
  /** History positions (real-time order); ret is Infinity for an indeterminate txn. */
  call: number;
  ret: number;
}

/** One transaction: its operation, outcome and micro-ops (with observed reads when it is ok). */
export interface Txn {
  /** Dense index among transactions: the node id in the dependency graph. */
  id: number;
  op: TxnOp;
  outcome: Outcome;
  mops: readonly MicroOp[];
}

export const READ = "r";

export function isRead(m: MicroOp): boolean {
  return m[0] === READ;
}

/** Txns hold only reads and their workload's writes (gather.ts), so anything but a read is a write. */
export function isWrite(m: MicroOp): boolean {
  return m[0] !== READ;
}

/**
 * Whether the micro-op at `at` is an external read: a read that is the txn's first access to
 * its key, so it sees the state others left (later reads see the txn's own writes too).
 */
export function isExternalRead(mops: readonly MicroOp[], at: number): boolean {
  const m = mops[at]!;
  if (!isRead(m)) return false;
  const key = slot(m[1]);
  for (let before = 0; before < at; before++) if (slot(mops[before]![1]) === key) return false;
  return true;
}

/** An external read of a committed txn, spelled out (for explanations). */
export interface ExternalRead {
  key: Slot;
  value: unknown;
  /** Position of the read among the txn's micro-ops. */
  at: number;
}

export function externalReads(txn: Txn): ExternalRead[] {
  if (txn.outcome !== "ok") return [];
  return txn.mops.flatMap((m, at) => (isExternalRead(txn.mops, at) ? [{ key: slot(m[1]), value: m[2], at }] : []));
}

/** Each external read of a committed transaction: what it observed of other transactions (`watch` ticks once per txn). */
export function forEachExternalRead(txns: readonly Txn[], watch: DeadlineWatch, visit: (txn: Txn, key: Slot, value: unknown) => void): void {
  for (const txn of txns) {
    watch.tick();
    if (txn.outcome !== "ok") continue;
    for (let at = 0; at < txn.mops.length; at++) {
      if (!isExternalRead(txn.mops, at)) continue;
      const m = txn.mops[at]!;
      visit(txn, slot(m[1]), m[2]);
    }
  }
}

/** A txn's last write to each key it writes: the version it installs (earlier ones are intermediate). */
export function finalWrites(txn: Txn): Map<Slot, unknown> {
  const out = new Map<Slot, unknown>();
  for (const m of txn.mops) if (isWrite(m)) out.set(slot(m[1]), m[2]);
  return out;
}
