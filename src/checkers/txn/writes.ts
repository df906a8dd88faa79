import { DeadlineWatch, type Deadline } from "../deadline.ts";
import type { Slot } from "./facts.ts";
import { FAIL, NONE, WRITE_MOP, type TxnTable } from "./table.ts";

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
  table: TxnTable;
  /** Per key id: value code → packed write; undefined for a key never written. */
  byKey: (Map<number, number> | undefined)[];
  /** Keys written at all. */
  keyCount: number;
  /** Keys (ids) some aborted txn wrote: only their reads can be aborted reads. */
  failedKeys: Set<number>;
  /** How many writes repeated a value already written to the same key (such reads stay ambiguous). */
  duplicateWrites: number;
}

/** Indexes every write; a committed or indeterminate writer wins over an aborted one for the same value. */
export function indexWrites(table: TxnTable, deadline?: Deadline): WriteIndex {
  const byKey: (Map<number, number> | undefined)[] = new Array(table.keys.size);
  const failedKeys = new Set<number>();
  let duplicateWrites = 0;
  let keyCount = 0;
  const { mopStart, mopF, mopKey, mopA } = table;
  const watch = new DeadlineWatch(deadline, "indexing the txns' writes", "transaction");
  for (let t = 0; t < table.size; t++) {
    watch.tick();
    const failed = table.outcome[t] === FAIL ? FAILED : 0;
    const end = mopStart[t + 1]!;
    for (let m = mopStart[t]!; m < end; m++) {
      if (mopF[m] !== WRITE_MOP) continue;
      const key = mopKey[m]!;
      const value = mopA[m]!;
      if (failed) failedKeys.add(key);
      let values = byKey[key];
      if (!values) {
        byKey[key] = values = new Map();
        keyCount++;
      }
      const packed = t * 4 + failed + (isLastWrite(table, m, end, key) ? FINAL : 0);
      const existing = values.get(value);
      if (existing !== undefined && Math.floor(existing / 4) !== t) duplicateWrites++;
      if (existing === undefined || (existing & FAILED && !failed)) values.set(value, packed);
    }
  }
  return { table, byKey, keyCount, failedKeys, duplicateWrites };
}

function isLastWrite(table: TxnTable, at: number, end: number, key: number): boolean {
  for (let later = at + 1; later < end; later++) if (table.mopF[later] === WRITE_MOP && table.mopKey[later] === key) return false;
  return true;
}

function unpack(packed: number): Write {
  return { txn: Math.floor(packed / 4), final: (packed & FINAL) !== 0, failed: (packed & FAILED) !== 0 };
}

/** The packed write of a value (code) to a key (id). */
function packedWrite(index: WriteIndex, key: number, code: number): number | undefined {
  return key < 0 || code === NONE ? undefined : index.byKey[key]?.get(code);
}

export function writeOfCode(index: WriteIndex, key: number, code: number): Write | undefined {
  const packed = packedWrite(index, key, code);
  return packed === undefined ? undefined : unpack(packed);
}

/** The writer of a version, or -1 when unknown or aborted: aborted txns take part in no edge. */
export function liveWriterOfCode(index: WriteIndex, key: number, code: number): number {
  const packed = packedWrite(index, key, code);
  return packed === undefined || packed & FAILED ? -1 : Math.floor(packed / 4);
}

/** A version its (committed or indeterminate) writer overwrote within the same txn. */
export function isIntermediateCode(index: WriteIndex, key: number, code: number): boolean {
  const packed = packedWrite(index, key, code);
  return packed !== undefined && (packed & (FINAL | FAILED)) === 0;
}

// The same, for keys and values as the history wrote them (explanations, rw-register's inferences).

const keyId = (index: WriteIndex, key: Slot): number => index.table.keys.idOf(key);
const codeOf = (index: WriteIndex, value: unknown): number => index.table.values.codeOf(value);

export function writeOf(index: WriteIndex, key: Slot, value: unknown): Write | undefined {
  return writeOfCode(index, keyId(index, key), codeOf(index, value));
}

/** Every write to a key. */
export function writesTo(index: WriteIndex, key: Slot): Write[] {
  const id = keyId(index, key);
  return id < 0 ? [] : [...(index.byKey[id]?.values() ?? [])].map(unpack);
}

export function liveWriter(index: WriteIndex, key: Slot, value: unknown): number {
  return liveWriterOfCode(index, keyId(index, key), codeOf(index, value));
}
