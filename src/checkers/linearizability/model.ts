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

/** One kind of op a model reads: its f (without a leading colon) and what it does, for --help and the docs. */
export interface OpSpec {
  f: string;
  does: string;
  /** Never changes the state (a read): with its output unknown (info) it constrains nothing. */
  readOnly?: boolean;
}

/** What an op does in a state: the state after it, and what it returns there when it returns something to compare. */
export interface Effect<S> {
  next: S;
  output?: unknown;
}

/**
 * A sequential specification: data, not a class hierarchy. States are immutable values;
 * `key` gives equal states equal keys (the search interns states by it). A model never looks at
 * an op's outcome to decide whether its output is known: `step` below is the one place that does.
 */
export interface Model<S = unknown> {
  name: string;
  description: string;
  /** Every f it reads: `reject`, --model auto, --help and the docs derive from this table. */
  ops: readonly OpSpec[];
  /** Its ops carry the invocation's `key` (kv models). */
  keyed?: boolean;
  /** --model auto picks it only when one of these fs occurs (reads alone say nothing about writes). */
  requires: readonly string[];
  /** Cheap enough for --checker auto to run it unasked. */
  auto: boolean;
  /** The state before any op; `initial` is --initial when given. */
  init(initial: unknown): S;
  /** `op`'s effect in `state`, or undefined when it cannot take effect there (a cas whose compare fails). */
  apply(state: S, op: LinOp): Effect<S> | undefined;
  /** Whether a recorded output is what the op returned (default: sameValue). */
  sameOutput?(recorded: unknown, returned: unknown): boolean;
  key(state: S): string | number;
  describeState(state: S): string;
  /** Why this model cannot interpret the value of an op whose f it knows, or undefined. */
  rejectValue?(op: LinOp): string | undefined;
  /** Independent parts (P-compositionality): the history is linearizable iff each part is. Groups of the ops given, as given (the same objects). */
  partition?(ops: LinOp[]): LinOp[][];
  /** The model a part made by `partition` is checked with, when simpler (one key's value, for keyed models). */
  perPart?: Model;
  /**
   * For models whose parts are one register read and written by `read`/`write`: the register's
   * initial value, given --initial. Enables the unique-value fast path (fast-path.ts).
   */
  registerInitial?(initial: unknown): unknown;
  /** For ops whose read-only-ness depends on their value (a txn of reads, a failed cas); else the ops table says. */
  readOnly?(op: LinOp): boolean;
  /**
   * Knossos's semantics: `op` with its ok reads of nil forgotten (they match any state), or
   * undefined when nothing of it is left to check. Only models whose reads may return nil have it.
   */
  forgetNilReads?(op: LinOp): LinOp | undefined;
  /** Porcupine's semantics: a failed op that still observed the state (a cas whose compare failed). */
  failedObserves?(op: LinOp): boolean;
  /**
   * For states that only grow between resets (kv-append's strings), where only read-only ops
   * observe the state and every other op is legal in any state (see growth.ts).
   */
  grows?: Growth<S>;
}

export interface Growth<S> {
  /** The state `op` sets whatever the state was (a put), or undefined when it does not reset it. */
  reset(op: LinOp): S | undefined;
  /** Whether a read-only op's recorded output can still be returned once `state` has only grown. */
  reachable(state: S, op: LinOp): boolean;
}

/**
 * The state after `op`, or undefined when it cannot happen in `state`. The one place an op of
 * unknown outcome (info, never completed) is treated: its output is unknown, so never compared.
 */
export function step<S>(model: Model<S>, state: S, op: LinOp): S | undefined {
  const effect = model.apply(state, op);
  if (effect === undefined) return undefined;
  if (op.outcome === "info" || !("output" in effect)) return effect.next;
  return (model.sameOutput ?? sameValue)(op.output, effect.output) ? effect.next : undefined;
}

/** Why `model` cannot interpret `op` (an f it does not know, a malformed value), or undefined. */
export function rejectOp(model: Model, op: LinOp): string | undefined {
  const f = opName(op.f);
  if (!model.ops.some((spec) => spec.f === f)) return `op ${op.id} has f "${op.f}"; ${model.name} knows ${orList(model.ops.map((spec) => spec.f), "and")}`;
  if (model.keyed && op.key === undefined) return `op ${op.id} has no key; ${model.name} ops carry one`;
  return model.rejectValue?.(op);
}

/** Whether `op` never changes the state. */
export function isReadOnly(model: Model, op: LinOp): boolean {
  if (model.readOnly) return model.readOnly(op);
  const f = opName(op.f);
  return model.ops.some((spec) => spec.f === f && spec.readOnly === true);
}

/** "a", "a or b", "a, b or c" (or "and"). */
export function orList(items: readonly string[], word: "or" | "and" = "or"): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
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

/**
 * A Map key for a JSON-like value (an interned state, a part's key), as `valueKey` distinguishes them but
 * without stringifying strings (kv-append states grow with every append): a string is its own
 * key unless it starts with NUL; every other non-number is NUL + its JSON, so no two collide.
 */
export function stateKey(value: unknown): string | number {
  if (typeof value === "number") return value;
  if (typeof value === "string") return value.charCodeAt(0) === 0 ? `\u0000${value}` : value;
  return `\u0000${value === undefined ? "null" : JSON.stringify(value)}`;
}

/** Groups ops by a key function, first-seen order: the usual per-key partition. */
export function partitionBy(ops: LinOp[], keyOf: (op: LinOp) => unknown): LinOp[][] {
  const parts = new Map<string | number, LinOp[]>();
  for (const op of ops) {
    const k = stateKey(keyOf(op));
    let part = parts.get(k);
    if (!part) parts.set(k, (part = []));
    part.push(op);
  }
  return [...parts.values()];
}
