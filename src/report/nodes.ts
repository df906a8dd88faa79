import type { History } from "../history/history.ts";
import type { Operation } from "../history/op.ts";

/** The node the harness sent an op to (its invocation's `node` field), if it wrote one. */
export function nodeOf(op: Operation): string | undefined {
  const node = op.invoke.node;
  return typeof node === "string" ? node : undefined;
}

/**
 * A "node" column for evidence tables that list operations by id: the node of each, or
 * undefined when no op of the history names one (the column is then left out).
 */
export function nodeColumn(history: History): ((id: number) => string) | undefined {
  const nodes = new Map<number, string>();
  for (const o of history.operations) {
    const node = nodeOf(o);
    if (node !== undefined) nodes.set(o.id, node);
  }
  return nodes.size > 0 ? (id) => nodes.get(id) ?? "–" : undefined;
}
