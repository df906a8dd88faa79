import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import { elementKey, type ElementKey } from "./elements.ts";

/** What the set checkers need of an add's operation (a streamed add keeps only this). */
export type AddOp = Pick<Operation, "id" | "outcome" | "call" | "ret" | "callTime" | "retTime">;
/** What the set checkers need of a read's operation. */
export type ReadOp = Pick<Operation, "id" | "call" | "ret" | "callTime" | "retTime" | "completeIndex">;

/** One add of an element to the set. */
export interface SetAdd {
  op: AddOp;
  element: unknown;
  key: ElementKey;
}

/** One completed read of the whole set. */
export interface SetRead {
  op: ReadOp;
  elements: unknown[];
  keys: Set<ElementKey>;
}

/** The set-shaped part of a history: client adds, and ok reads that returned a collection. */
export interface SetOps {
  /** In invocation order. */
  adds: SetAdd[];
  /** In invocation order. */
  reads: SetRead[];
  /** Ok reads whose value is not a collection (they cannot be judged). */
  unreadable: Operation[];
}

export function setOps(history: History): SetOps {
  const collector = new SetOpsCollector();
  for (const op of history.operations) collector.add(op);
  return collector.result();
}

/** An ok read as the set checkers see it, or undefined when its value is not a collection. */
export function toSetRead(o: Operation): SetRead | undefined {
  if (!Array.isArray(o.output)) return undefined;
  const op: ReadOp = { id: o.id, call: o.call, ret: o.ret, callTime: o.callTime, retTime: o.retTime, completeIndex: o.completeIndex };
  return { op, elements: o.output, keys: new Set(o.output.map(elementKey)) };
}

/**
 * Gathers the set-shaped ops one at a time, in any order, keeping of each operation only what
 * the set checkers read: that is what lets a huge set history stream.
 */
export class SetOpsCollector {
  private readonly adds: SetAdd[] = [];
  private readonly reads: SetRead[] = [];
  private readonly unreadable: Operation[] = [];

  add(o: Operation): void {
    if (!isClientProcess(o.process)) return;
    if (o.f === "add") {
      const op: AddOp = { id: o.id, outcome: o.outcome, call: o.call, ret: o.ret, callTime: o.callTime, retTime: o.retTime };
      this.adds.push({ op, element: o.input, key: elementKey(o.input) });
    } else if (o.f === "read" && o.outcome === "ok") {
      const read = toSetRead(o);
      if (read) this.reads.push(read);
      else this.unreadable.push(o);
    }
  }

  /** Adds and reads in invocation order. */
  result(): SetOps {
    const byId = (a: { op: { id: number } }, b: { op: { id: number } }): number => a.op.id - b.op.id;
    return { adds: this.adds.sort(byId), reads: this.reads.sort(byId), unreadable: this.unreadable.sort((a, b) => a.id - b.id) };
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
  return new Set(adds.map((o) => elementKey(o.input))).size === adds.length;
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
export function shapeMismatch(adds: readonly Pick<SetAdd, "key" | "element">[], reads: readonly SetRead[]): string | undefined {
  const firstRead = reads.find((r) => r.elements.length > 0)?.elements[0];
  if (adds.length === 0 || firstRead === undefined) return undefined;
  if (adds.some((a) => reads.some((r) => r.keys.has(a.key)))) return undefined;
  const addShape = shapeOf(adds[0]!.element);
  const readShape = shapeOf(firstRead);
  if (addShape === readShape) return undefined;
  let reason = `adds are ${addShape} but reads return ${readShape}, so no read can contain an added element`;
  const tails = adds.filter((a) => Array.isArray(a.element) && a.element.length > 0);
  if (tails.length === adds.length) {
    const seen = tails.filter((a) => reads.some((r) => r.keys.has(elementKey((a.element as unknown[]).at(-1)))));
    if (seen.length > 0) reason += `; the reads do contain the last component of ${seen.length} of ${adds.length} added tuples (a keyed history read without its key?)`;
  }
  return reason;
}
