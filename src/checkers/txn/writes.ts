import { isWrite, slot, type Slot, type Txn } from "./facts.ts";

/** Who wrote a value to a key. Values are unique per key in Elle's workloads; that is what makes reads traceable. */
export interface Write {
  txn: number;
  /** The writer's last write to this key: anything earlier is an intermediate version. */
  final: boolean;
  /** Written by a transaction that definitely aborted (a fail completion). */
  failed: boolean;
}

export interface WriteIndex {
  byKey: Map<Slot, Map<Slot, Write>>;
  /** How many writes repeated a value already written to the same key (such reads stay ambiguous). */
  duplicateWrites: number;
}

/** Indexes every write; a committed or indeterminate writer wins over an aborted one for the same value. */
export function indexWrites(txns: readonly Txn[]): WriteIndex {
  const byKey = new Map<Slot, Map<Slot, Write>>();
  let duplicateWrites = 0;
  for (const txn of txns) {
    const failed = txn.outcome === "fail";
    const last = new Map<Slot, Write>();
    for (const m of txn.mops) {
      if (!isWrite(m)) continue;
      const key = slot(m[1]);
      const value = slot(m[2]);
      let values = byKey.get(key);
      if (!values) byKey.set(key, (values = new Map()));
      const previous = last.get(key);
      if (previous) previous.final = false;
      const write: Write = { txn: txn.id, final: true, failed };
      last.set(key, write);
      const existing = values.get(value);
      if (existing && existing.txn !== txn.id) duplicateWrites++;
      if (!existing || (existing.failed && !failed)) values.set(value, write);
    }
  }
  return { byKey, duplicateWrites };
}

export function writeOf(index: WriteIndex, key: Slot, value: unknown): Write | undefined {
  return index.byKey.get(key)?.get(slot(value));
}

/** The writer of a version, or -1 when unknown or aborted: aborted txns take part in no edge. */
export function liveWriter(index: WriteIndex, key: Slot, value: unknown): number {
  const w = writeOf(index, key, value);
  return w && !w.failed ? w.txn : -1;
}
