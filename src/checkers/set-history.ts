import type { History } from "../history/history.ts";
import { isClientProcess, type Operation } from "../history/op.ts";
import { elementKey } from "./elements.ts";

/** One add of an element to the set. */
export interface SetAdd {
  op: Operation;
  element: unknown;
  key: string;
}

/** One completed read of the whole set. */
export interface SetRead {
  op: Operation;
  elements: unknown[];
  keys: Set<string>;
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
  const adds: SetAdd[] = [];
  const reads: SetRead[] = [];
  const unreadable: Operation[] = [];
  for (const op of history.operations) {
    if (!isClientProcess(op.process)) continue;
    if (op.f === "add") adds.push({ op, element: op.input, key: elementKey(op.input) });
    else if (op.f === "read" && op.outcome === "ok") {
      if (Array.isArray(op.output)) reads.push({ op, elements: op.output, keys: new Set(op.output.map(elementKey)) });
      else unreadable.push(op);
    }
  }
  return { adds, reads, unreadable };
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
export function shapeMismatch(adds: readonly SetAdd[], reads: readonly SetRead[]): string | undefined {
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
