import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";

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

/** Why the history's client ops are independent keys (for detection), or undefined when they are not. */
export function independentBecause(history: History): string | undefined {
  const client = history.operations.filter((o) => isClientProcess(o.process));
  if (client.length === 0 || notATuple(client) !== undefined) return undefined;
  // A history of cas ops alone has [old new] values that look like tuples: nothing tells them apart.
  if (client.every((o) => o.f.replace(/^:/, "") === "cas")) return undefined;
  if (client.some((o) => o.invoke.key !== undefined)) return undefined;
  const keys = new Set(client.map((o) => tupleKey(o.input)));
  return `every client value is a [key value] tuple (Jepsen's independent keys): ${keys.size} key${keys.size === 1 ? "" : "s"}`;
}

/** The first client op whose values are not a [key value] tuple (the completion's with the invocation's key), if any. */
export function notATuple(operations: readonly Operation[]): Operation | undefined {
  return operations.find((o) => {
    if (!isClientProcess(o.process)) return false;
    const key = tupleKey(o.input);
    if (key === undefined) return true;
    return o.outcome === "ok" && o.output != null && tupleKey(o.output) !== key;
  });
}

/** Each key's history, keys in the order they first occur. Assumes notATuple found nothing. */
export function splitByKey(history: History): KeyHistory[] {
  const nemesis = history.operations.filter((o) => !isClientProcess(o.process));
  const byKey = new Map<IndependentKey, Operation[]>();
  for (const o of history.operations) {
    if (!isClientProcess(o.process)) continue;
    const key = tupleKey(o.input)!;
    let ops = byKey.get(key);
    if (!ops) byKey.set(key, (ops = []));
    ops.push(unwrapped(o));
  }
  return [...byKey].map(([key, ops]) => ({
    key,
    history: { ...history, operations: [...ops, ...nemesis].sort((a, b) => a.call - b.call) },
  }));
}

function unwrapped(o: Operation): Operation {
  const input = (o.input as unknown[])[1];
  const output = tupleKey(o.output) === undefined ? o.output : (o.output as unknown[])[1];
  return { ...o, input, output, invoke: { ...o.invoke, value: input } };
}
