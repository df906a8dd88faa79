import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import { opName } from "../../history/values.ts";

/**
 * Jepsen's `jepsen.independent`: every client value is a `[key value]` tuple (a cas
 * `[key [old new]]`, a read `[key nil]` completing as `[key v]`), and each key's ops form a
 * history of their own.
 */
export type IndependentKey = string | number;

export interface KeyHistory {
  key: IndependentKey;
  /** The key's client ops with their values unwrapped, and every nemesis op; ids as in the whole history. */
  history: History;
}

/** The key of a `[key value]` tuple, or undefined when `value` is not one. */
export function tupleKey(value: unknown): IndependentKey | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [key] = value as unknown[];
  return typeof key === "number" || typeof key === "string" ? key : undefined;
}

/**
 * Watches client ops one at a time and says whether they are independent keys: every value a
 * tuple (the completion's with the invocation's key), not only cas ops (whose `[old new]`
 * looks like one), none with a `key` field of its own. Loaded and streamed histories use it alike.
 */
export class IndependentDetector {
  private clientOps = 0;
  private nonCas = false;
  private tuples = true;
  private readonly keys = new Set<IndependentKey>();

  /** `key`: the op's tuple key, when the caller has it already (`tupleOf`). */
  add(o: Operation, key = this.tuples ? tupleOf(o) : undefined): void {
    if (!isClientProcess(o.process)) return;
    this.clientOps++;
    if (!this.nonCas && opName(o.f) !== "cas") this.nonCas = true;
    if (key === undefined) this.tuples = false;
    else if (this.tuples) this.keys.add(key);
  }

  /** Why these ops are independent keys, or undefined when they are not. */
  get because(): string | undefined {
    if (this.clientOps === 0 || !this.tuples || !this.nonCas) return undefined;
    return `every client value is a [key value] tuple (Jepsen's independent keys): ${this.keys.size} key${this.keys.size === 1 ? "" : "s"}`;
  }
}

/** The op's key when its values are a [key value] tuple (the completion's with the same key), else undefined. */
export function tupleOf(o: Operation): IndependentKey | undefined {
  const key = o.invoke.key === undefined ? tupleKey(o.input) : undefined;
  if (key === undefined) return undefined;
  return o.outcome === "ok" && o.output != null && tupleKey(o.output) !== key ? undefined : key;
}

/** Why the history's client ops are independent keys, or undefined when they are not. */
export function independentBecause(history: History): string | undefined {
  const detector = new IndependentDetector();
  for (const o of history.operations) detector.add(o);
  return detector.because;
}

/** The first client op whose values are not a [key value] tuple, if any. */
export function notATuple(operations: readonly Operation[]): Operation | undefined {
  return operations.find((o) => isClientProcess(o.process) && tupleOf(o) === undefined);
}

/** The op with its tuple's value in place of the tuple (input, output and the invocation's value). */
export function unwrapped(o: Operation): Operation {
  const { input, output } = unwrappedValues(o);
  return { ...o, input, output, invoke: { ...o.invoke, value: input } };
}

/** A tuple op's values: its input's value, and its output's when the output is a tuple too. */
export function unwrappedValues(o: { input: unknown; output: unknown }): { input: unknown; output: unknown } {
  return { input: (o.input as unknown[])[1], output: tupleKey(o.output) === undefined ? o.output : (o.output as unknown[])[1] };
}

/** Numbers ascending, then strings: the order keys are listed in everywhere. */
export function compareKeys(a: IndependentKey, b: IndependentKey): number {
  if (typeof a !== typeof b) return typeof a === "number" ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Each key's history, in key order (compareKeys). Assumes notATuple found nothing. */
export function splitByKey(history: History): KeyHistory[] {
  const nemesis = history.operations.filter((o) => !isClientProcess(o.process));
  const byKey = new Map<IndependentKey, Operation[]>();
  for (const o of history.operations) {
    if (!isClientProcess(o.process)) continue;
    const key = tupleOf(o)!;
    let ops = byKey.get(key);
    if (!ops) byKey.set(key, (ops = []));
    ops.push(unwrapped(o));
  }
  return [...byKey].sort(([a], [b]) => compareKeys(a, b)).map(([key, ops]) => ({
    key,
    history: { ...history, operations: [...ops, ...nemesis].sort((a, b) => a.call - b.call) },
  }));
}

