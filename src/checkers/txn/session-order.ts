import type { Txn } from "./facts.ts";
import { PROCESS, REALTIME, type EdgeList } from "./graph.ts";

/** Process order: each committed txn precedes the next txn its process invoked. */
export function addProcessOrder(edges: EdgeList, txns: readonly Txn[]): void {
  const last = new Map<unknown, number>();
  for (const txn of txns) {
    if (txn.outcome === "fail") continue;
    const previous = last.get(txn.op.process);
    if (previous !== undefined) edges.add(previous, txn.id, PROCESS);
    if (txn.outcome === "ok") last.set(txn.op.process, txn.id);
  }
}

/**
 * Real-time order, transitively reduced as Elle does: a txn that completed gets an edge to each
 * txn invoked later, but only while no other txn completed in between that itself follows it.
 * The frontier holds the txns completed so far that nothing completed has yet superseded.
 */
export function addRealtimeOrder(edges: EdgeList, txns: readonly Txn[]): void {
  const live = txns.filter((t) => t.outcome !== "fail");
  const completions = live.filter((t) => t.outcome === "ok").sort((a, b) => a.op.ret - b.op.ret);
  const predecessors = new Map<number, number[]>();
  let frontier: number[] = [];
  let c = 0;
  const complete = (txn: Txn): void => {
    const before = predecessors.get(txn.id);
    predecessors.delete(txn.id);
    if (before && before.length > 0) {
      const superseded = new Set(before);
      frontier = frontier.filter((t) => !superseded.has(t));
    }
    frontier.push(txn.id);
  };
  for (const txn of live) {
    while (c < completions.length && completions[c]!.op.ret < txn.op.call) complete(completions[c++]!);
    for (const t of frontier) edges.add(t, txn.id, REALTIME);
    if (txn.outcome === "ok") predecessors.set(txn.id, frontier.slice());
  }
}
