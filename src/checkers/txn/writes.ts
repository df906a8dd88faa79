import { DeadlineWatch, type Deadline } from "../deadline.ts";
import { isWrite, slot, type Slot, type Txn } from "./facts.ts";

/** Who wrote a value to a key. Values are unique per key in Elle's workloads; that is what makes reads traceable. */
export interface Write {
  txn: number;
  /** The writer's last write to this key: anything earlier is an intermediate version. */
  final: boolean;
  /** Written by a transaction that definitely aborted (a fail completion). */
  failed: boolean;
}

// A write packed into one number (txn × 4 + flags): millions of writes without millions of objects.
const FINAL = 1;
const FAILED = 2;

export interface WriteIndex {
  byKey: Map<Slot, Map<Slot, number>>;
  /** Keys some aborted txn wrote: only their reads can be aborted reads. */
  failedKeys: Set<Slot>;
  /** How many writes repeated a value already written to the same key (such reads stay ambiguous). */
  duplicateWrites: number;
}

/** Indexes every write; a committed or indeterminate writer wins over an aborted one for the same value. */
export function indexWrites(txns: readonly Txn[], deadline?: Deadline): WriteIndex {
  const byKey = new Map<Slot, Map<Slot, number>>();
  const failedKeys = new Set<Slot>();
  let duplicateWrites = 0;
  const watch = new DeadlineWatch(deadline, "indexing the txns' writes", "transaction");
  for (const txn of txns) {
    watch.tick();
    const failed = txn.outcome === "fail" ? FAILED : 0;
    const { mops } = txn;
    for (let at = 0; at < mops.length; at++) {
      const m = mops[at]!;
      if (!isWrite(m)) continue;
      const key = slot(m[1]);
      const value = slot(m[2]);
      if (failed) failedKeys.add(key);
      let values = byKey.get(key);
      if (!values) byKey.set(key, (values = new Map()));
      const packed = txn.id * 4 + failed + (isLastWrite(mops, at, key) ? FINAL : 0);
      const existing = values.get(value);
      if (existing !== undefined && Math.floor(existing / 4) !== txn.id) duplicateWrites++;
      if (existing === undefined || (existing & FAILED && !failed)) values.set(value, packed);
    }
  }
  return { byKey, failedKeys, duplicateWrites };
}

function isLastWrite(mops: Txn["mops"], at: number, key: Slot): boolean {
  for (let later = at + 1; later < mops.length; later++) {
    if (isWrite(mops[later]!) && slot(mops[later]![1]) === key) return false;
  }
  return true;
}

function unpack(packed: number): Write {
  return { txn: Math.floor(packed / 4), final: (packed & FINAL) !== 0, failed: (packed & FAILED) !== 0 };
}

export function writeOf(index: WriteIndex, key: Slot, value: unknown): Write | undefined {
  const packed = index.byKey.get(key)?.get(slot(value));
  return packed === undefined ? undefined : unpack(packed);
}

/** Every write to a key. */
export function writesTo(index: WriteIndex, key: Slot): Write[] {
  return [...(index.byKey.get(key)?.values() ?? [])].map(unpack);
}

/** A version its (committed or indeterminate) writer overwrote within the same txn. */
export function isIntermediate(index: WriteIndex, key: Slot, value: unknown): boolean {
  const packed = index.byKey.get(key)?.get(slot(value));
  return packed !== undefined && (packed & (FINAL | FAILED)) === 0;
}

/** The writer of a version, or -1 when unknown or aborted: aborted txns take part in no edge. */
export function liveWriter(index: WriteIndex, key: Slot, value: unknown): number {
  const packed = index.byKey.get(key)?.get(slot(value));
  return packed === undefined || packed & FAILED ? -1 : Math.floor(packed / 4);
}
