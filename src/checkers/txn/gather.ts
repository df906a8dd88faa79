import { isClientProcess, type Operation, type ProcessId } from "../../history/op.ts";
import { READ } from "./facts.ts";
import { FAIL, INFO, Interner, OK, READ_MOP, ValueCodes, WRITE_MOP, type TxnTable } from "./table.ts";
import type { TxnWorkload } from "./workload.ts";
import { DEFAULT_WORKLOAD, WORKLOADS } from "./workloads/index.ts";

/** A growable column of numbers in a typed array. */
class Column<A extends Int32Array | Float64Array> {
  length = 0;

  constructor(
    public data: A,
    private readonly make: (size: number) => A,
  ) {}

  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }
}

const int32s = (): Column<Int32Array> => new Column(new Int32Array(1024), (n) => new Int32Array(n));
const float64s = (): Column<Float64Array> => new Column(new Float64Array(1024), (n) => new Float64Array(n));

/** Micro-op names as gathered: 0 is a read, 1 + i workload i's write. */
const NAMES: readonly string[] = [READ, ...WORKLOADS.map((w) => w.write)];

/** What the checker starts from: the txns, the workload, the ids of txn ops that are not its micro-ops. */
export interface Gathered {
  workload: TxnWorkload;
  table: TxnTable;
  malformed: number[];
}

/**
 * Gathers client ops with f "txn" (nemesis and other fs are not our concern) one at a time, in
 * any order, into columns as they come: nothing of a streamed history's operations is kept.
 * `finish` puts them in invocation order and decides the workload.
 */
export class TxnGatherer {
  private readonly ids = int32s();
  private readonly process: ProcessId[] = [];
  private readonly call = float64s();
  private readonly ret = float64s();
  private readonly outcome = int32s();
  /** Per op: 1 + the index of the workload its first marking micro-op marks, or 0 (see firstMark). */
  private readonly marks = int32s();
  /** Per op: the write names it uses, as bits (1 << name); -1 when its value is not micro-ops we know. */
  private readonly writes = int32s();
  private readonly mopStart = int32s();
  private readonly mopName = int32s();
  private readonly mopKey = int32s();
  private readonly mopA = int32s();
  private readonly mopB = int32s();
  private readonly elements = int32s();
  private maxId = -1;
  private inOrder = true;
  private readonly keys = new Interner();
  private readonly values = new ValueCodes();

  add(o: Operation): void {
    if (o.f !== "txn" || !isClientProcess(o.process)) return;
    const value = o.outcome === "ok" ? o.output : o.input;
    if (o.id < this.maxId) this.inOrder = false;
    this.maxId = Math.max(this.maxId, o.id);
    this.ids.push(o.id);
    this.process.push(o.process);
    this.call.push(o.call);
    this.ret.push(o.ret);
    this.outcome.push(o.outcome === "ok" ? OK : o.outcome === "fail" ? FAIL : INFO);
    this.mopStart.push(this.mopName.length);
    this.marks.push(firstMark(value));
    this.writes.push(this.addMops(value));
  }

  /** The micro-ops' columns; returns the write names used, or -1 (and nothing added) when the value is not micro-ops. */
  private addMops(value: unknown): number {
    if (!Array.isArray(value)) return -1;
    for (let i = 0; i < value.length; i++) {
      const m: unknown = value[i];
      if (!Array.isArray(m) || m.length !== 3 || !NAMES.includes(m[0])) return -1;
    }
    let writes = 0;
    for (let i = 0; i < value.length; i++) {
      const m = value[i] as readonly [string, unknown, unknown];
      const name = m[0] === READ ? 0 : NAMES.indexOf(m[0]);
      this.mopName.push(name);
      this.mopKey.push(this.keys.intern(m[1]));
      const v = m[2];
      if (name !== 0) {
        writes |= 1 << name;
        this.mopA.push(this.values.code(v));
        this.mopB.push(-1);
      } else if (Array.isArray(v)) {
        const { elements, values } = this;
        this.mopA.push(elements.length);
        for (let e = 0; e < v.length; e++) elements.push(values.code(v[e]));
        this.mopB.push(elements.length);
      } else {
        this.mopA.push(this.values.code(v));
        this.mopB.push(-1);
      }
    }
    return writes;
  }

  finish(): Gathered {
    this.mopStart.push(this.mopName.length);
    const ids = this.ids.data;
    const marks = this.marks.data;
    const writes = this.writes.data;
    const mopStart = this.mopStart.data;
    const order = this.invocationOrder();
    const first = order.find((i) => marks[i]! > 0);
    const workload = first === undefined ? DEFAULT_WORKLOAD : WORKLOADS[marks[first]! - 1]!;
    const allowed = 1 << (1 + WORKLOADS.indexOf(workload));
    const malformed: number[] = [];
    const kept: number[] = [];
    let mops = 0;
    for (const i of order) {
      if (writes[i]! >= 0 && (writes[i]! & ~allowed) === 0) {
        kept.push(i);
        mops += mopStart[i + 1]! - mopStart[i]!;
      } else malformed.push(ids[i]!);
    }
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
      elements: this.elements.data.subarray(0, this.elements.length),
      keys: this.keys,
      values: this.values,
    };
    const [call, ret, outcome, mopName, mopKey, mopA, mopB] = [this.call.data, this.ret.data, this.outcome.data, this.mopName.data, this.mopKey.data, this.mopA.data, this.mopB.data];
    let at = 0;
    for (let t = 0; t < kept.length; t++) {
      const i = kept[t]!;
      table.opId[t] = ids[i]!;
      table.call[t] = call[i]!;
      table.ret[t] = ret[i]!;
      table.outcome[t] = outcome[i]!;
      table.mopStart[t] = at;
      for (let m = mopStart[i]!; m < mopStart[i + 1]!; m++, at++) {
        table.mopF[at] = mopName[m] === 0 ? READ_MOP : WRITE_MOP;
        table.mopKey[at] = mopKey[m]!;
        table.mopA[at] = mopA[m]!;
        table.mopB[at] = mopB[m]!;
        table.external[at] = mopName[m] === 0 && firstAccess(mopKey, mopStart[i]!, m) ? 1 : 0;
      }
    }
    table.mopStart[kept.length] = at;
    return { workload, table, malformed };
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
