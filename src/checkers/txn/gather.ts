import { isClientProcess, type Operation, type ProcessId } from "../../history/op.ts";
import { READ } from "./facts.ts";
import { FAIL, INFO, Interner, OK, READ_MOP, ValueCodes, WRITE_MOP, type TxnTable } from "./table.ts";
import type { TxnWorkload } from "./workload.ts";
import { DEFAULT_WORKLOAD, WORKLOADS } from "./workloads/index.ts";

/** A growable column of 32-bit integers. */
class Int32Column {
  data = new Int32Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }
}

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
  private readonly ids: number[] = [];
  private readonly process: ProcessId[] = [];
  private readonly call: number[] = [];
  private readonly ret: number[] = [];
  private readonly outcome: number[] = [];
  /** Per op: 1 + the index of the workload its first marking micro-op marks, or 0 (see firstMark). */
  private readonly marks: number[] = [];
  /** Per op: the write names it uses, as bits (1 << name); -1 when its value is not micro-ops we know. */
  private readonly writes: number[] = [];
  private readonly mopStart = new Int32Column();
  private readonly mopName = new Int32Column();
  private readonly mopKey = new Int32Column();
  private readonly mopA = new Int32Column();
  private readonly mopB = new Int32Column();
  private readonly elements = new Int32Column();
  private readonly keys = new Interner();
  private readonly values = new ValueCodes();

  add(o: Operation): void {
    if (o.f !== "txn" || !isClientProcess(o.process)) return;
    const value = o.outcome === "ok" ? o.output : o.input;
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
    const n = this.ids.length;
    this.mopStart.push(this.mopName.length);
    // Completion order is nearly invocation order: the sort has little to do.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => this.ids[a]! - this.ids[b]!);
    const first = order.find((i) => this.marks[i]! > 0);
    const workload = first === undefined ? DEFAULT_WORKLOAD : WORKLOADS[this.marks[first]! - 1]!;
    const allowed = 1 << (1 + WORKLOADS.indexOf(workload));
    const malformed: number[] = [];
    const kept = order.filter((i) => {
      const ok = this.writes[i]! >= 0 && (this.writes[i]! & ~allowed) === 0;
      if (!ok) malformed.push(this.ids[i]!);
      return ok;
    });
    const mops = kept.reduce((sum, i) => sum + this.mopStart.data[i + 1]! - this.mopStart.data[i]!, 0);
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
      elements: this.elements.data.subarray(0, this.elements.length),
      keys: this.keys,
      values: this.values,
    };
    let at = 0;
    kept.forEach((i, t) => {
      table.opId[t] = this.ids[i]!;
      table.call[t] = this.call[i]!;
      table.ret[t] = this.ret[i]!;
      table.outcome[t] = this.outcome[i]!;
      table.mopStart[t] = at;
      for (let m = this.mopStart.data[i]!; m < this.mopStart.data[i + 1]!; m++, at++) {
        table.mopF[at] = this.mopName.data[m] === 0 ? READ_MOP : WRITE_MOP;
        table.mopKey[at] = this.mopKey.data[m]!;
        table.mopA[at] = this.mopA.data[m]!;
        table.mopB[at] = this.mopB.data[m]!;
      }
    });
    table.mopStart[kept.length] = at;
    return { workload, table, malformed };
  }
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
