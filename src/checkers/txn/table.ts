import type { Outcome, ProcessId } from "../../history/op.ts";
import { READ, slot, type MicroOp, type Slot, type Txn } from "./facts.ts";

/**
 * Keys and values as small integers, so that a million transactions fit in typed arrays
 * instead of millions of objects. Two keys (or values) get the same number exactly when they
 * have the same Slot, the equality the checker has always used; each number keeps the first
 * original it was given, which is what the evidence shows.
 */
export class Interner {
  private readonly ids = new Map<Slot, number>();
  readonly originals: unknown[] = [];
  readonly slots: Slot[] = [];

  intern(x: unknown): number {
    const s = slot(x);
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.slots.length;
      this.ids.set(s, id);
      this.slots.push(s);
      this.originals.push(x);
    }
    return id;
  }

  /** The id of something already interned, or -1. */
  idOf(x: unknown): number {
    return this.ids.get(slot(x)) ?? -1;
  }

  get size(): number {
    return this.slots.length;
  }
}

/** Values as codes: a small non-negative integer is its own code (no map entry); anything else is interned, coded -1 - id. */
export class ValueCodes {
  private readonly interned = new Interner();

  code(x: unknown): number {
    return typeof x === "number" && (x | 0) === x && x >= 0 ? x | 0 : -1 - this.interned.intern(x);
  }

  /** The code of a value seen before; NONE for one never seen (it matches nothing). */
  codeOf(x: unknown): number {
    if (typeof x === "number" && (x | 0) === x && x >= 0) return x | 0;
    const id = this.interned.idOf(x);
    return id < 0 ? NONE : -1 - id;
  }

  value(code: number): unknown {
    return code >= 0 ? code : this.interned.originals[-1 - code];
  }

  slotOf(code: number): Slot {
    return code >= 0 ? code : this.interned.slots[-1 - code]!;
  }
}

/** A code no value has. */
export const NONE = -2147483648;

export const OK = 0;
export const FAIL = 1;
export const INFO = 2;
export const OUTCOMES: readonly Outcome[] = ["ok", "fail", "info"];

/** A micro-op's kind in TxnTable.mopF. */
export const READ_MOP = 0;
export const WRITE_MOP = 1;

/**
 * Every transaction of a history, in columns (invocation order; the index is the node id in the
 * dependency graph). Micro-op m of txn t is at mopStart[t] + m. A write's value is mopA; a read
 * of a list has its elements at elements[mopA .. mopB) (mopB >= mopA), any other read's value is
 * mopA with mopB = -1. `external` marks the external reads: a read that is its txn's first access
 * to its key, so it sees the state others left (later reads see the txn's own writes too).
 */
export interface TxnTable {
  size: number;
  /** The workload's write micro-op name (append / w). */
  write: string;
  opId: Int32Array;
  process: readonly ProcessId[];
  call: Float64Array;
  ret: Float64Array;
  outcome: Uint8Array;
  mopStart: Int32Array;
  mopF: Uint8Array;
  mopKey: Int32Array;
  mopA: Int32Array;
  mopB: Int32Array;
  external: Uint8Array;
  elements: Int32Array;
  keys: Interner;
  values: ValueCodes;
}

/** The codes of what a read observed: a list's elements, or a register's value (none when nil). */
export function observedCodes(table: TxnTable, m: number): Int32Array {
  const b = table.mopB[m]!;
  if (b >= 0) return table.elements.subarray(table.mopA[m]!, b);
  const code = table.mopA[m]!;
  return table.values.slotOf(code) === null ? EMPTY : Int32Array.of(code);
}

const EMPTY = new Int32Array(0);

/** The code of the version a read ends on (a list's last element, a register's value), or NONE when it observed nothing. */
export function lastObservedCode(table: TxnTable, m: number): number {
  const b = table.mopB[m]!;
  if (b >= 0) return b > table.mopA[m]! ? table.elements[b - 1]! : NONE;
  const code = table.mopA[m]!;
  return table.values.slotOf(code) === null ? NONE : code;
}

/** A read's value as the history wrote it (a list rebuilt from its elements). */
export function readValue(table: TxnTable, m: number): unknown {
  const b = table.mopB[m]!;
  const { values, elements } = table;
  if (b < 0) return values.value(table.mopA[m]!);
  const out: unknown[] = [];
  for (let e = table.mopA[m]!; e < b; e++) out.push(values.value(elements[e]!));
  return out;
}

/** Whether micro-op m is an external read: its txn's first access to its key. */
export function isExternalReadAt(table: TxnTable, m: number): boolean {
  return table.external[m] === 1;
}

/** One transaction as objects, for the few places that explain or re-check a txn in detail. */
export function txnAt(table: TxnTable, t: number): Txn {
  const mops: MicroOp[] = [];
  for (let m = table.mopStart[t]!; m < table.mopStart[t + 1]!; m++) {
    const key = table.keys.originals[table.mopKey[m]!];
    mops.push(table.mopF[m] === READ_MOP ? [READ, key, readValue(table, m)] : [table.write, key, table.values.value(table.mopA[m]!)]);
  }
  return { id: t, op: { id: table.opId[t]!, process: table.process[t]!, call: table.call[t]!, ret: table.ret[t]! }, outcome: OUTCOMES[table.outcome[t]!]!, mops };
}
