import type { Outcome, ProcessId } from "../../history/op.ts";
import type { LinOp } from "./model.ts";

/**
 * Ops as columns: typed arrays for what every op has, interned tables for the rest, so a
 * history of millions of ops holds about 55 bytes per op and no object per op. Plain data: it
 * crosses to worker threads by structured clone. `LinOp`s are made from it only where a search
 * needs them (`opsOf`), one part at a time.
 */
export interface OpColumns {
  readonly size: number;
  readonly id: Int32Array;
  /** Index into `processes`. */
  readonly process: Int32Array;
  /** Index into `fs`. */
  readonly f: Int32Array;
  /** Index into OUTCOMES. */
  readonly outcome: Uint8Array;
  readonly call: Float64Array;
  /** The completion's position (an op's `ret` unless its outcome is unknown); NaN when it never completed. */
  readonly complete: Float64Array;
  /** How `input` and `output` are held: a ValueKind each, the output's shifted by two bits. */
  readonly kinds: Uint8Array;
  /** The number itself (NUMBER) or an index into `values` (INTERNED). */
  readonly input: Float64Array;
  readonly output: Float64Array;
  /** The invocation's key: an index into `values`, or -1 when it has none. */
  readonly key: Int32Array;
  /** The key of its Jepsen `[key value]` tuple (independent/split.ts: tupleOf) as an index into `values`; -1 when not one, or not asked. */
  readonly tuple: Int32Array;
  readonly processes: readonly ProcessId[];
  readonly fs: readonly string[];
  /** Distinct non-number values, by JSON; `values[NULL_VALUE]` is null. */
  readonly values: readonly unknown[];
}

export const OUTCOMES: readonly Outcome[] = ["ok", "fail", "info"];
export const INFO = 2;
export const FAIL = 1;

/** How a value slot is held. */
export const enum ValueKind {
  Undefined = 0,
  Number = 1,
  Interned = 2,
}
export const NULL_VALUE = 0;

export function inputKind(c: OpColumns, i: number): ValueKind {
  return c.kinds[i]! & 3;
}

export function outputKind(c: OpColumns, i: number): ValueKind {
  return c.kinds[i]! >> 2;
}

export function ret(c: OpColumns, i: number): number {
  return c.outcome[i] === INFO ? Infinity : c.complete[i]!;
}

export function inputAt(c: OpColumns, i: number): unknown {
  return valueOf(c, inputKind(c, i), c.input[i]!);
}

export function outputAt(c: OpColumns, i: number): unknown {
  return valueOf(c, outputKind(c, i), c.output[i]!);
}

export function keyAt(c: OpColumns, i: number): unknown {
  return c.key[i] === -1 ? undefined : c.values[c.key[i]!];
}

function valueOf(c: OpColumns, kind: ValueKind, payload: number): unknown {
  return kind === ValueKind.Number ? payload : kind === ValueKind.Interned ? c.values[payload] : undefined;
}

/** The op at position `i`, as the search reads it (made afresh: nothing holds it but the caller). */
export function opAt(c: OpColumns, i: number): LinOp {
  const op: LinOp = { id: c.id[i]!, process: c.processes[c.process[i]!]!, f: c.fs[c.f[i]!]!, input: inputAt(c, i), output: outputAt(c, i), outcome: OUTCOMES[c.outcome[i]!]!, call: c.call[i]!, ret: ret(c, i) };
  if (c.key[i] !== -1) op.key = c.values[c.key[i]!];
  return op;
}

/** Every op, in order: what the search of a part is given. */
export function opsOf(c: OpColumns): LinOp[] {
  const ops = new Array<LinOp>(c.size);
  for (let i = 0; i < c.size; i++) ops[i] = opAt(c, i);
  return ops;
}

/** The position of op `id` (ids ascend along the columns), or -1. */
export function positionOf(c: OpColumns, id: number): number {
  return positionAmong(c.size, (i) => c.id[i]!, id);
}

/** The position of `id` among `size` ids ascending (idAt(i) the i-th), or -1. */
export function positionAmong(size: number, idAt: (i: number) => number, id: number): number {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (idAt(mid) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < size && idAt(lo) === id ? lo : -1;
}

/**
 * The ops at `positions`, in that order, as columns of their own holding only the values they
 * use: slots are copied and table indices renumbered, nothing is made an op or re-interned.
 */
export function selectOps(c: OpColumns, positions: ArrayLike<number>): OpColumns {
  const n = positions.length;
  const out = allocateColumns(n);
  const processes = new Renumbering(c.processes);
  const fs = new Renumbering(c.fs);
  const values = new Renumbering(c.values);
  values.of(NULL_VALUE);
  for (let j = 0; j < n; j++) {
    const i = positions[j]!;
    const kinds = c.kinds[i]!;
    out.id[j] = c.id[i]!;
    out.process[j] = processes.of(c.process[i]!);
    out.f[j] = fs.of(c.f[i]!);
    out.outcome[j] = c.outcome[i]!;
    out.call[j] = c.call[i]!;
    out.complete[j] = c.complete[i]!;
    out.kinds[j] = kinds;
    out.input[j] = (kinds & 3) === ValueKind.Interned ? values.of(c.input[i]!) : c.input[i]!;
    out.output[j] = kinds >> 2 === ValueKind.Interned ? values.of(c.output[i]!) : c.output[i]!;
    out.key[j] = c.key[i] === -1 ? -1 : values.of(c.key[i]!);
    out.tuple[j] = c.tuple[i] === -1 ? -1 : values.of(c.tuple[i]!);
  }
  return { size: n, ...out, processes: processes.table, fs: fs.table, values: values.table };
}

/** Indices into one table, renumbered densely in first-use order into a table of their own. */
class Renumbering<T> {
  readonly table: T[] = [];
  private readonly ids = new Map<number, number>();
  constructor(private readonly from: readonly T[]) {}

  of(index: number): number {
    let id = this.ids.get(index);
    if (id === undefined) {
      id = this.table.length;
      this.table.push(this.from[index]!);
      this.ids.set(index, id);
    }
    return id;
  }
}

/**
 * The ops at `rows` (ascending), moved to the front of `c`'s own arrays: `c` is spent, the
 * result holds them without a copy (a history of millions keeps one set of columns).
 */
export function keepInPlace(c: OpColumns, rows: Int32Array): OpColumns {
  const n = rows.length;
  for (const name of COLUMN_NAMES) {
    const column = c[name];
    for (let j = 0; j < n; j++) column[j] = column[rows[j]!]!;
  }
  return { ...c, size: n, ...firstRows(c, n) };
}

/** Columns of `ops` (ids ascending), completions where their `ret` is. */
export function columnsOf(ops: readonly LinOp[]): OpColumns {
  const builder = new ColumnsBuilder(ops.length);
  for (const op of ops) builder.add(op, op.ret, op.key);
  return builder.finish();
}

const GROWTH = 1.5;

/** What a row holds of an op, given apart from its completion and key: a history's Operation is one, so none is copied to be added. */
export type ColumnOp = Pick<LinOp, "id" | "process" | "f" | "input" | "output" | "outcome" | "call">;

/** Gathers ops into columns. */
export class ColumnsBuilder {
  private n = 0;
  private capacity: number;
  private columns: Columns;
  private readonly processes: ProcessId[] = [];
  private readonly processIds = new Map<ProcessId, number>();
  private readonly fs: string[] = [];
  private readonly fIds = new Map<string, number>();
  private readonly values: unknown[] = [null];
  /** Non-string values by JSON; strings apart, by themselves (their JSON is unique to them, and a long one need not be copied to be looked up). */
  private readonly valueIds = new Map<string, number>([["null", NULL_VALUE]]);
  private readonly stringIds = new Map<string, number>();
  private sorted = true;

  constructor(expected = 1024) {
    this.capacity = Math.max(1, expected);
    this.columns = allocateColumns(this.capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Adds `op`; `complete` is its completion's position (NaN: never completed), `key` its invocation's key, `tuple` its tuple's key, if any. */
  add(op: ColumnOp, complete: number, key: unknown, tuple?: string | number): void {
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    const c = this.columns;
    if (i > 0 && op.id < c.id[i - 1]!) this.sorted = false;
    c.id[i] = op.id;
    c.process[i] = intern(this.processIds, this.processes, op.process);
    c.f[i] = intern(this.fIds, this.fs, op.f);
    c.outcome[i] = OUTCOMES.indexOf(op.outcome);
    c.call[i] = op.call;
    c.complete[i] = complete;
    c.kinds[i] = this.encode(op.input, c.input, i) | (this.encode(op.output, c.output, i) << 2);
    c.key[i] = key === undefined ? -1 : this.internValue(key);
    c.tuple[i] = tuple === undefined ? -1 : this.internValue(tuple);
  }

  /** The index of `value` in the values table: by JSON, as sameValue compares, but keeping NaN and -0 as given. */
  internValue(value: unknown): number {
    const byString = typeof value === "string";
    const ids = byString ? this.stringIds : this.valueIds;
    const text = byString ? value : value === undefined ? "null" : Number.isNaN(value) ? "NaN" : Object.is(value, -0) ? "-0" : JSON.stringify(value);
    let id = ids.get(text);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value === undefined ? null : value);
      ids.set(text, id);
    }
    return id;
  }

  /** The columns, rows as added or (a stream hands ops over by completion) in id order. */
  finish(rows: "as added" | "by id" = "as added"): OpColumns {
    if (rows === "by id" && !this.sorted) this.sortById();
    const n = this.n;
    // Full columns are handed over as they are (a part's builder is sized to it): a view costs more than the whole of a small part.
    const columns = n === this.capacity ? this.columns : firstRows(this.columns, n);
    return { size: n, ...columns, processes: this.processes, fs: this.fs, values: this.values };
  }

  /** Puts the rows in id order, in place (a history of millions is not held twice): each column follows the permutation's cycles. */
  private sortById(): void {
    const n = this.n;
    const order = idOrder(this.columns.id.subarray(0, n));
    const done = new Uint8Array(n);
    for (const name of COLUMN_NAMES) {
      const column = this.columns[name];
      done.fill(0);
      for (let start = 0; start < n; start++) {
        if (done[start] === 1) continue;
        const first = column[start]!;
        let j = start;
        for (;;) {
          done[j] = 1;
          const from = order[j]!;
          if (from === start) {
            column[j] = first;
            break;
          }
          column[j] = column[from]!;
          j = from;
        }
      }
    }
    this.sorted = true;
  }

  private encode(value: unknown, into: Float64Array, i: number): ValueKind {
    if (value === undefined) return ValueKind.Undefined;
    // NaN is interned: as a value it is one value (valueKey), which a number column cannot say.
    if (typeof value === "number" && !Number.isNaN(value)) {
      into[i] = value;
      return ValueKind.Number;
    }
    into[i] = this.internValue(value);
    return ValueKind.Interned;
  }

  private grow(): void {
    this.capacity = Math.ceil(this.capacity * GROWTH);
    const into = allocateColumns(this.capacity);
    for (const name of COLUMN_NAMES) into[name].set(this.columns[name]);
    this.columns = into;
  }
}

type ColumnName = "id" | "process" | "f" | "outcome" | "call" | "complete" | "kinds" | "input" | "output" | "key" | "tuple";
type Columns = Pick<OpColumns, ColumnName>;
const COLUMN_NAMES: readonly ColumnName[] = ["id", "process", "f", "outcome", "call", "complete", "kinds", "input", "output", "key", "tuple"];

/** The first `n` rows of every column, as views. */
function firstRows(c: Columns, n: number): Columns {
  return {
    id: c.id.subarray(0, n),
    process: c.process.subarray(0, n),
    f: c.f.subarray(0, n),
    outcome: c.outcome.subarray(0, n),
    call: c.call.subarray(0, n),
    complete: c.complete.subarray(0, n),
    kinds: c.kinds.subarray(0, n),
    input: c.input.subarray(0, n),
    output: c.output.subarray(0, n),
    key: c.key.subarray(0, n),
    tuple: c.tuple.subarray(0, n),
  };
}

/** Bytes per row: four float columns, five int columns, two byte columns. */
const ROW_BYTES = 4 * 8 + 5 * 4 + 2;

/**
 * Every column of `n` rows, as views of one buffer: one allocation instead of eleven (an
 * allocation outside the heap costs more than checking a small kv part's ops). Widest first,
 * so every view is aligned.
 */
function allocateColumns(n: number): Columns {
  const buffer = new ArrayBuffer(ROW_BYTES * n);
  const float64 = (k: number): Float64Array => new Float64Array(buffer, 8 * n * k, n);
  const int32 = (k: number): Int32Array => new Int32Array(buffer, 4 * 8 * n + 4 * n * k, n);
  const uint8 = (k: number): Uint8Array => new Uint8Array(buffer, (4 * 8 + 5 * 4) * n + n * k, n);
  return { call: float64(0), complete: float64(1), input: float64(2), output: float64(3), id: int32(0), process: int32(1), f: int32(2), key: int32(3), tuple: int32(4), outcome: uint8(0), kinds: uint8(1) };
}

function intern<T>(ids: Map<T, number>, table: T[], value: T): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = table.length;
    table.push(value);
    ids.set(value, id);
  }
  return id;
}

/** Row positions in id order. Ids are a history's dense operation ids, so a counting pass does; a sort when they are sparse. */
function idOrder(ids: Int32Array): Int32Array {
  const order = new Int32Array(ids.length);
  let min = Infinity;
  let max = -Infinity;
  for (const id of ids) {
    if (id < min) min = id;
    if (id > max) max = id;
  }
  if (max - min > 4 * ids.length) {
    for (let i = 0; i < ids.length; i++) order[i] = i;
    return order.sort((a, b) => ids[a]! - ids[b]!);
  }
  const rowOf = new Int32Array(max - min + 1).fill(-1);
  for (let i = 0; i < ids.length; i++) rowOf[ids[i]! - min] = i;
  let j = 0;
  for (const row of rowOf) if (row !== -1) order[j++] = row;
  return order;
}
