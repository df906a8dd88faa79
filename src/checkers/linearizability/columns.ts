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
  let lo = 0;
  let hi = c.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.id[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo < c.size && c.id[lo] === id ? lo : -1;
}

/** The ops at `positions`, in that order, as columns of their own (holding only the values they use). */
export function selectOps(c: OpColumns, positions: ArrayLike<number>): OpColumns {
  const builder = new ColumnsBuilder(positions.length);
  for (let j = 0; j < positions.length; j++) {
    const i = positions[j]!;
    builder.add(opAt(c, i), c.complete[i]!);
  }
  return builder.finish();
}

/**
 * The ops at `rows` (ascending), moved to the front of `c`'s own arrays: `c` is spent, the
 * result holds them without a copy (a history of millions keeps one set of columns).
 */
export function keepInPlace(c: OpColumns, rows: Int32Array): OpColumns {
  const n = rows.length;
  for (const column of [c.id, c.process, c.f, c.outcome, c.call, c.complete, c.kinds, c.input, c.output, c.key, c.tuple]) {
    for (let j = 0; j < n; j++) column[j] = column[rows[j]!]!;
  }
  return {
    ...c,
    size: n,
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

/** Columns of `ops` (ids ascending), completions where their `ret` is. */
export function columnsOf(ops: readonly LinOp[]): OpColumns {
  const builder = new ColumnsBuilder(ops.length);
  for (const op of ops) builder.add(op, op.ret);
  return builder.finish();
}

const GROWTH = 1.5;

/** Gathers ops into columns. */
export class ColumnsBuilder {
  private n = 0;
  private capacity: number;
  private id: Int32Array;
  private process: Int32Array;
  private f: Int32Array;
  private outcome: Uint8Array;
  private call: Float64Array;
  private complete: Float64Array;
  private kinds: Uint8Array;
  private input: Float64Array;
  private output: Float64Array;
  private key: Int32Array;
  private tuple: Int32Array;
  private readonly processes: ProcessId[] = [];
  private readonly processIds = new Map<ProcessId, number>();
  private readonly fs: string[] = [];
  private readonly fIds = new Map<string, number>();
  private readonly values: unknown[] = [null];
  private readonly valueIds = new Map<string, number>([["null", NULL_VALUE]]);
  private sorted = true;

  constructor(expected = 1024) {
    this.capacity = Math.max(16, expected);
    this.id = new Int32Array(this.capacity);
    this.process = new Int32Array(this.capacity);
    this.f = new Int32Array(this.capacity);
    this.outcome = new Uint8Array(this.capacity);
    this.call = new Float64Array(this.capacity);
    this.complete = new Float64Array(this.capacity);
    this.kinds = new Uint8Array(this.capacity);
    this.input = new Float64Array(this.capacity);
    this.output = new Float64Array(this.capacity);
    this.key = new Int32Array(this.capacity);
    this.tuple = new Int32Array(this.capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Adds `op`; `complete` is its completion's position (NaN: never completed); `tuple` its tuple's key, if any. */
  add(op: LinOp, complete: number, tuple?: string | number): void {
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    if (i > 0 && op.id < this.id[i - 1]!) this.sorted = false;
    this.id[i] = op.id;
    this.process[i] = intern(this.processIds, this.processes, op.process);
    this.f[i] = intern(this.fIds, this.fs, op.f);
    this.outcome[i] = OUTCOMES.indexOf(op.outcome);
    this.call[i] = op.call;
    this.complete[i] = complete;
    this.kinds[i] = this.encode(op.input, this.input, i) | (this.encode(op.output, this.output, i) << 2);
    this.key[i] = op.key === undefined ? -1 : this.internValue(op.key);
    this.tuple[i] = tuple === undefined ? -1 : this.internValue(tuple);
  }

  /** The index of `value` in the values table: by JSON, as sameValue compares, but keeping NaN and -0 as given. */
  internValue(value: unknown): number {
    const text = value === undefined ? "null" : Number.isNaN(value) ? "NaN" : Object.is(value, -0) ? "-0" : JSON.stringify(value);
    let id = this.valueIds.get(text);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value === undefined ? null : value);
      this.valueIds.set(text, id);
    }
    return id;
  }

  /** The columns, rows as added or (a stream hands ops over by completion) in id order. */
  finish(rows: "as added" | "by id" = "as added"): OpColumns {
    if (rows === "by id" && !this.sorted) this.sortById();
    const n = this.n;
    return {
      size: n,
      id: this.id.subarray(0, n),
      process: this.process.subarray(0, n),
      f: this.f.subarray(0, n),
      outcome: this.outcome.subarray(0, n),
      call: this.call.subarray(0, n),
      complete: this.complete.subarray(0, n),
      kinds: this.kinds.subarray(0, n),
      input: this.input.subarray(0, n),
      output: this.output.subarray(0, n),
      key: this.key.subarray(0, n),
      tuple: this.tuple.subarray(0, n),
      processes: this.processes,
      fs: this.fs,
      values: this.values,
    };
  }

  /** Puts the rows in id order, one column at a time so the old one can go. */
  private sortById(): void {
    const order = idOrder(this.id.subarray(0, this.n));
    const n = this.n;
    const permute = <C extends Column>(column: C, into: C): C => {
      for (let j = 0; j < n; j++) into[j] = column[order[j]!]!;
      return into;
    };
    this.id = permute(this.id, new Int32Array(n));
    this.process = permute(this.process, new Int32Array(n));
    this.f = permute(this.f, new Int32Array(n));
    this.outcome = permute(this.outcome, new Uint8Array(n));
    this.call = permute(this.call, new Float64Array(n));
    this.complete = permute(this.complete, new Float64Array(n));
    this.kinds = permute(this.kinds, new Uint8Array(n));
    this.input = permute(this.input, new Float64Array(n));
    this.output = permute(this.output, new Float64Array(n));
    this.key = permute(this.key, new Int32Array(n));
    this.tuple = permute(this.tuple, new Int32Array(n));
    this.capacity = n;
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
    this.id = grown(this.id, new Int32Array(this.capacity));
    this.process = grown(this.process, new Int32Array(this.capacity));
    this.f = grown(this.f, new Int32Array(this.capacity));
    this.outcome = grown(this.outcome, new Uint8Array(this.capacity));
    this.call = grown(this.call, new Float64Array(this.capacity));
    this.complete = grown(this.complete, new Float64Array(this.capacity));
    this.kinds = grown(this.kinds, new Uint8Array(this.capacity));
    this.input = grown(this.input, new Float64Array(this.capacity));
    this.output = grown(this.output, new Float64Array(this.capacity));
    this.key = grown(this.key, new Int32Array(this.capacity));
    this.tuple = grown(this.tuple, new Int32Array(this.capacity));
  }
}

type Column = Int32Array | Uint8Array | Float64Array;

function grown<C extends Column>(old: C, into: C): C {
  into.set(old);
  return into;
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
