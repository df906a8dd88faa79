import { isClientProcess, type Operation, type ProcessId } from "../../history/op.ts";
import { READ } from "./facts.ts";
import { FAIL, INFO, Interner, OK, READ_MOP, ValueCodes, WRITE_MOP, type TxnTable } from "./table.ts";
import type { TxnWorkload } from "./workload.ts";
import { DEFAULT_WORKLOAD, WORKLOADS } from "./workloads/index.ts";

/** A growable column of numbers in a typed array; `reserve` before writing `data` directly. */
class Column<A extends Int32Array | Uint8Array | Float64Array> {
  length = 0;

  constructor(
    public data: A,
    private readonly make: (size: number) => A,
  ) {}

  reserve(more: number): void {
    if (this.length + more <= this.data.length) return;
    const grown = this.make(Math.max(this.data.length * 2, this.length + more));
    grown.set(this.data);
    this.data = grown;
  }

  push(x: number): void {
    this.reserve(1);
    this.data[this.length++] = x;
  }

  /** The filled part, without a copy. */
  view(): A {
    return this.data.subarray(0, this.length) as A;
  }
}

const int32s = (capacity: number): Column<Int32Array> => new Column(new Int32Array(capacity), (n) => new Int32Array(n));
const uint8s = (capacity: number): Column<Uint8Array> => new Column(new Uint8Array(capacity), (n) => new Uint8Array(n));
const float64s = (capacity: number): Column<Float64Array> => new Column(new Float64Array(capacity), (n) => new Float64Array(n));

/** Micro-op names: 0 is a read, 1 + i workload i's write. */
const NAMES: readonly string[] = [READ, ...WORKLOADS.map((w) => w.write)];

function nameIndex(f: unknown): number {
  for (let i = 0; i < NAMES.length; i++) if (NAMES[i] === f) return i;
  return -1;
}

/** A client op with f "txn": nemesis and other fs are not our concern. */
export function isTxnOperation(o: Operation): boolean {
  return o.f === "txn" && isClientProcess(o.process);
}

/** What the checker starts from: the txns, the workload, the ids of txn ops that are not its micro-ops. */
export interface Gathered {
  workload: TxnWorkload;
  table: TxnTable;
  malformed: number[];
}

/**
 * Gathers txn operations one at a time, in any order, into columns as they come: nothing of a
 * streamed history's operations is kept. `finish` puts them in invocation order and decides the
 * workload. `expected`: how many txn ops will come, when known (the columns start that large).
 */
export class TxnGatherer {
  private readonly ids: Column<Int32Array>;
  private readonly process: ProcessId[] = [];
  private readonly call: Column<Float64Array>;
  private readonly ret: Column<Float64Array>;
  private readonly outcome: Column<Uint8Array>;
  /** Per op: the write names it uses, as bits (1 << name); -1 when its value is not micro-ops we know. */
  private readonly writes: Column<Int32Array>;
  private readonly mopStart: Column<Int32Array>;
  private readonly mopF: Column<Uint8Array>;
  private readonly mopKey: Column<Int32Array>;
  private readonly mopA: Column<Int32Array>;
  private readonly mopB: Column<Int32Array>;
  private readonly elements: Column<Int32Array>;
  private readonly keys = new Interner();
  private readonly values = new ValueCodes();
  private maxId = -1;
  private inOrder = true;
  /** The op with the smallest id whose micro-ops mark a workload, and which (see firstMark). */
  private markedId = Infinity;
  private marked = 0;

  constructor(expected = 1024) {
    const ops = Math.max(16, expected);
    [this.ids, this.writes, this.mopStart] = [int32s(ops), int32s(ops), int32s(ops + 1)];
    [this.call, this.ret, this.outcome] = [float64s(ops), float64s(ops), uint8s(ops)];
    [this.mopF, this.mopKey, this.mopA, this.mopB] = [uint8s(2 * ops), int32s(2 * ops), int32s(2 * ops), int32s(2 * ops)];
    this.elements = int32s(4 * ops);
  }

  add(o: Operation): void {
    if (!isTxnOperation(o)) return;
    const value = o.outcome === "ok" ? o.output : o.input;
    if (o.id < this.maxId) this.inOrder = false;
    this.maxId = Math.max(this.maxId, o.id);
    this.ids.push(o.id);
    this.process.push(o.process);
    this.call.push(o.call);
    this.ret.push(o.ret);
    this.outcome.push(o.outcome === "ok" ? OK : o.outcome === "fail" ? FAIL : INFO);
    this.mopStart.push(this.mopF.length);
    // Only the first marked op in invocation order decides: a later one need not be looked at.
    if (o.id < this.markedId) {
      const mark = firstMark(value);
      if (mark > 0) [this.markedId, this.marked] = [o.id, mark];
    }
    this.writes.push(this.addMops(value));
  }

  /** The micro-ops' columns; returns the write names used, or -1 (and nothing added) when the value is not micro-ops. */
  private addMops(value: unknown): number {
    if (!Array.isArray(value)) return -1;
    for (let i = 0; i < value.length; i++) {
      const m: unknown = value[i];
      if (!Array.isArray(m) || m.length !== 3 || nameIndex(m[0]) < 0) return -1;
    }
    const n = value.length;
    const { mopF, mopKey, mopA, mopB, elements, values } = this;
    for (const column of [mopF, mopKey, mopA, mopB]) column.reserve(n);
    let at = mopF.length;
    let writes = 0;
    for (let i = 0; i < n; i++, at++) {
      const m = value[i] as readonly [string, unknown, unknown];
      const name = nameIndex(m[0]);
      mopF.data[at] = name === 0 ? READ_MOP : WRITE_MOP;
      mopKey.data[at] = this.keys.intern(m[1]);
      const v = m[2];
      if (name !== 0) {
        writes |= 1 << name;
        mopA.data[at] = values.code(v);
        mopB.data[at] = -1;
      } else if (Array.isArray(v)) {
        elements.reserve(v.length);
        mopA.data[at] = elements.length;
        for (let e = 0; e < v.length; e++) elements.data[elements.length++] = values.code(v[e]);
        mopB.data[at] = elements.length;
      } else {
        mopA.data[at] = values.code(v);
        mopB.data[at] = -1;
      }
    }
    for (const column of [mopF, mopKey, mopA, mopB]) column.length = at;
    return writes;
  }

  finish(): Gathered {
    this.mopStart.push(this.mopF.length);
    const workload = this.marked > 0 ? WORKLOADS[this.marked - 1]! : DEFAULT_WORKLOAD;
    const allowed = 1 << (1 + WORKLOADS.indexOf(workload));
    const writes = this.writes.data;
    const ids = this.ids.data;
    const malformed: number[] = [];
    const order = this.invocationOrder();
    const kept: number[] = [];
    for (const i of order) {
      if (writes[i]! >= 0 && (writes[i]! & ~allowed) === 0) kept.push(i);
      else malformed.push(ids[i]!);
    }
    const table = this.inOrder && malformed.length === 0 ? this.asTable(workload) : this.copied(workload, kept);
    markExternalReads(table);
    return { workload, table, malformed };
  }

  /** Gathered in invocation order with nothing left out: the columns are the table. */
  private asTable(workload: TxnWorkload): TxnTable {
    const mops = this.mopF.length;
    return {
      size: this.ids.length,
      write: workload.write,
      opId: this.ids.view(),
      process: this.process,
      call: this.call.view(),
      ret: this.ret.view(),
      outcome: this.outcome.view(),
      mopStart: this.mopStart.view(),
      mopF: this.mopF.view(),
      mopKey: this.mopKey.view(),
      mopA: this.mopA.view(),
      mopB: this.mopB.view(),
      external: new Uint8Array(mops),
      elements: this.elements.view(),
      keys: this.keys,
      values: this.values,
    };
  }

  /** The kept ops (positions in the columns, in invocation order) copied into a table of their own. */
  private copied(workload: TxnWorkload, kept: readonly number[]): TxnTable {
    const mopStart = this.mopStart.data;
    let mops = 0;
    for (const i of kept) mops += mopStart[i + 1]! - mopStart[i]!;
    const table: TxnTable = {
      size: kept.length,
      write: workload.write,
      opId: new Int32Array(kept.length),
      process: kept.map((i) => this.process[i]!),
      call: new Float64Array(kept.length),
      ret: new Float64Array(kept.length),
      outcome: new Uint8Array(kept.length),
      mopStart: new Int32Array(kept.length + 1),
      mopF: new Uint8Array(mops),
      mopKey: new Int32Array(mops),
      mopA: new Int32Array(mops),
      mopB: new Int32Array(mops),
      external: new Uint8Array(mops),
      elements: this.elements.view(),
      keys: this.keys,
      values: this.values,
    };
    const [ids, call, ret, outcome, mopF, mopKey, mopA, mopB] = [this.ids.data, this.call.data, this.ret.data, this.outcome.data, this.mopF.data, this.mopKey.data, this.mopA.data, this.mopB.data];
    let at = 0;
    for (let t = 0; t < kept.length; t++) {
      const i = kept[t]!;
      table.opId[t] = ids[i]!;
      table.call[t] = call[i]!;
      table.ret[t] = ret[i]!;
      table.outcome[t] = outcome[i]!;
      table.mopStart[t] = at;
      const end = mopStart[i + 1]!;
      table.mopF.set(mopF.subarray(mopStart[i]!, end), at);
      table.mopKey.set(mopKey.subarray(mopStart[i]!, end), at);
      table.mopA.set(mopA.subarray(mopStart[i]!, end), at);
      table.mopB.set(mopB.subarray(mopStart[i]!, end), at);
      at += end - mopStart[i]!;
    }
    table.mopStart[kept.length] = at;
    return table;
  }

  /** Positions of the gathered ops in id order: ids are distinct, so each goes to its slot (no comparison sort). */
  private invocationOrder(): Int32Array {
    const n = this.ids.length;
    const order = new Int32Array(n);
    if (this.inOrder) {
      for (let i = 0; i < n; i++) order[i] = i;
      return order;
    }
    const ids = this.ids.data;
    const byId = new Int32Array(this.maxId + 1).fill(-1);
    for (let i = 0; i < n; i++) byId[ids[i]!] = i;
    let k = 0;
    for (const i of byId) if (i >= 0) order[k++] = i;
    return order;
  }
}

/** An external read is its txn's first access to its key: it sees the state others left. */
function markExternalReads(table: TxnTable): void {
  const { mopStart, mopF, mopKey, external } = table;
  for (let t = 0; t < table.size; t++) {
    for (let m = mopStart[t]!; m < mopStart[t + 1]!; m++) external[m] = mopF[m] === READ_MOP && firstAccess(mopKey, mopStart[t]!, m) ? 1 : 0;
  }
}

/** Whether no micro-op in [start, m) has m's key. */
function firstAccess(keys: Int32Array, start: number, m: number): boolean {
  for (let before = start; before < m; before++) if (keys[before] === keys[m]) return false;
  return true;
}

/**
 * The first micro-op that marks a workload decides (an append or list-valued read: list-append;
 * a `w`: rw-register); in a history mixing both, the other kind's txns are counted as malformed.
 */
function firstMark(value: unknown): number {
  if (!Array.isArray(value)) return 0;
  for (const m of value) {
    if (!Array.isArray(m)) continue;
    const marked = WORKLOADS.findIndex((w) => w.marks(m));
    if (marked >= 0) return marked + 1;
  }
  return 0;
}
