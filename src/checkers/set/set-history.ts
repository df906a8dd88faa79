import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import { valueKey, type ValueKey } from "../../history/values.ts";

/** What the set checkers need of a read's operation. */
export type ReadOp = Pick<Operation, "id" | "call" | "ret" | "callTime" | "retTime" | "completeIndex">;

/** One completed read of the whole set. */
export interface SetRead {
  op: ReadOp;
  elements: unknown[];
  keys: Set<ValueKey>;
}

/** An ok read as the set checkers see it, or undefined when its value is not a collection. */
export function toSetRead(o: Operation): SetRead | undefined {
  if (!Array.isArray(o.output)) return undefined;
  const op: ReadOp = { id: o.id, call: o.call, ret: o.ret, callTime: o.callTime, retTime: o.retTime, completeIndex: o.completeIndex };
  return { op, elements: o.output, keys: new Set(o.output.map(valueKey)) };
}

const OUTCOMES = ["ok", "fail", "info"] as const;

/**
 * The set family's one representation of adds: parallel arrays of what the set algebra reads
 * (id, outcome, ret, times, element and its key), not an object per add, so that a 10M-op set
 * history streams through the checkers in little memory.
 */
export class AddColumns {
  readonly ids: number[] = [];
  readonly outcomes: number[] = [];
  readonly rets: number[] = [];
  /** NaN when the history has no times. */
  readonly callTimes: number[] = [];
  readonly retTimes: number[] = [];
  readonly elements: unknown[] = [];
  readonly keys: ValueKey[] = [];

  push(o: Operation): void {
    this.ids.push(o.id);
    this.outcomes.push(OUTCOMES.indexOf(o.outcome));
    this.rets.push(o.ret);
    this.callTimes.push(o.callTime ?? NaN);
    this.retTimes.push(o.retTime ?? NaN);
    this.elements.push(o.input);
    this.keys.push(valueKey(o.input));
  }

  get length(): number {
    return this.ids.length;
  }

  outcome(i: number): Operation["outcome"] {
    return OUTCOMES[this.outcomes[i]!]!;
  }

  callTime(i: number): number | undefined {
    return timeOrUndefined(this.callTimes[i]!);
  }

  retTime(i: number): number | undefined {
    return timeOrUndefined(this.retTimes[i]!);
  }

  /** Positions in invocation order (a stream delivers adds as they complete). */
  invocationOrder(): Uint32Array {
    return Uint32Array.from(this.ids.keys()).sort((a, b) => this.ids[a]! - this.ids[b]!);
  }
}

function timeOrUndefined(time: number): number | undefined {
  return Number.isNaN(time) ? undefined : time;
}

/**
 * The set-shaped part of a history, gathered one operation at a time in any order: client adds
 * (any outcome) and the ok reads that returned a collection. Both set checkers fold through it.
 */
export class SetOps {
  readonly adds = new AddColumns();
  private readonly reads: SetRead[] = [];

  add(o: Operation): void {
    if (!isClientProcess(o.process)) return;
    if (o.f === "add") this.adds.push(o);
    else if (o.f === "read" && o.outcome === "ok") {
      const read = toSetRead(o);
      if (read) this.reads.push(read);
    }
  }

  /** The reads in invocation order. */
  readsInOrder(): SetRead[] {
    return this.reads.sort((a, b) => a.op.id - b.op.id);
  }
}

/**
 * How many ok client reads returned a collection: what --checker auto needs to tell set from
 * set-full, without building every read's element keys as setOps does.
 */
export function collectionReadCount(history: History): number {
  let count = 0;
  for (const o of history.operations) if (o.f === "read" && o.outcome === "ok" && Array.isArray(o.output) && isClientProcess(o.process)) count++;
  return count;
}

/** Client ops with this f. */
export function clientOps(history: History, f: string): Operation[] {
  return history.operations.filter((o) => o.f === f && isClientProcess(o.process));
}

/** Whether adds are set adds: each element added once (increments repeat). */
export function addsAreUnique(adds: readonly Operation[]): boolean {
  return new Set(adds.map((o) => valueKey(o.input))).size === adds.length;
}

/** How a value looks, for explaining why adds and reads cannot match: "plain integers", "2-element arrays like [0,1]". */
function shapeOf(value: unknown): string {
  if (Number.isInteger(value)) return "plain integers";
  if (Array.isArray(value)) return `${value.length}-element arrays like ${JSON.stringify(value)}`;
  if (value === null || value === undefined) return "nulls";
  return `${typeof value}s like ${JSON.stringify(value)}`;
}

/**
 * When no added element is ever read and the two look different (Jepsen's set-full with
 * independent keys writes [key element] tuples but a read may return bare elements), the reason in
 * one sentence; undefined when shapes agree or some element matched.
 */
export function shapeMismatch(adds: AddColumns, reads: readonly SetRead[]): string | undefined {
  const firstRead = reads.find((r) => r.elements.length > 0)?.elements[0];
  if (adds.length === 0 || firstRead === undefined) return undefined;
  if (adds.keys.some((key) => reads.some((r) => r.keys.has(key)))) return undefined;
  const addShape = shapeOf(adds.elements[adds.invocationOrder()[0]!]);
  const readShape = shapeOf(firstRead);
  if (addShape === readShape) return undefined;
  let reason = `adds are ${addShape} but reads return ${readShape}, so no read can contain an added element`;
  const tails = adds.elements.filter((e): e is unknown[] => Array.isArray(e) && e.length > 0);
  if (tails.length === adds.length) {
    const seen = tails.filter((e) => reads.some((r) => r.keys.has(valueKey(e.at(-1)))));
    if (seen.length > 0) reason += `; the reads do contain the last component of ${seen.length} of ${adds.length} added tuples (a keyed history read without its key?)`;
  }
  return reason;
}
