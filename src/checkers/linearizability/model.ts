import type { Operation } from "../../history/op.ts";
import { opName, valueKey } from "../../history/values.ts";

/** The shared value vocabulary (history/values.ts), as every model needs it. */
export { opName, valueKey };

/**
 * What the search needs of an operation: a plain, serialisable record (it crosses to worker
 * threads). `fail` ops never reach a model: they never took effect. For `info` ops the output
 * is unknown, so a model must not check it.
 */
export type LinOp = Pick<Operation, "id" | "process" | "f" | "input" | "output" | "outcome" | "call" | "ret"> & {
  /** The invocation's `key` field, for keyed models (kv, kv-append). */
  key?: unknown;
};

/**
 * A sequential specification: data, not a class hierarchy. States are immutable values;
 * `key` gives equal states equal keys (the search interns states by it).
 */
export interface Model<S = unknown> {
  name: string;
  description: string;
  /** The state before any op; `initial` is --initial when given. */
  init(initial: unknown): S;
  /** The state after `op`, or undefined when `op` cannot happen in `state` (e.g. a stale read). */
  step(state: S, op: LinOp): S | undefined;
  key(state: S): string | number;
  describeState(state: S): string;
  /** Why this model cannot interpret `op` (unknown f, malformed value), or undefined. */
  reject(op: LinOp): string | undefined;
  /** Independent parts (P-compositionality): the history is linearizable iff each part is. */
  partition?(ops: LinOp[]): LinOp[][];
  /**
   * For models whose parts are one register read and written by `read`/`write`: the register's
   * initial value, given --initial. Enables the unique-value fast path (fast-path.ts).
   */
  registerInitial?(initial: unknown): unknown;
  /** Whether `op` never changes the state (a read): with its output unknown (info) it constrains nothing. */
  readOnly?(op: LinOp): boolean;
}

/** `read` ops: the usual read-only op. */
export function isRead(op: LinOp): boolean {
  return opName(op.f) === "read";
}


/** Structural equality of JSON-like values; nil/null/undefined are one value. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a !== "object" || typeof b !== "object") return false;
  return JSON.stringify(a) === JSON.stringify(b);
}


export function show(value: unknown): string {
  return value === undefined || value === null ? "nil" : JSON.stringify(value);
}

export function unsupported(op: LinOp, expected: string): string {
  return `op ${op.id} has f "${op.f}"; this model knows ${expected}`;
}

/** Groups ops by a key function, first-seen order: the usual per-key partition. */
export function partitionBy(ops: LinOp[], keyOf: (op: LinOp) => unknown): LinOp[][] {
  const parts = new Map<string | number, LinOp[]>();
  for (const op of ops) {
    const k = valueKey(keyOf(op));
    let part = parts.get(k);
    if (!part) parts.set(k, (part = []));
    part.push(op);
  }
  return [...parts.values()];
}
