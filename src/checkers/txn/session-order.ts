import { DeadlineWatch, type Deadline } from "../deadline.ts";
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

/** Real-time order as edges, transitively reduced (forEachRealtimePair). */
export function addRealtimeOrder(edges: EdgeList, txns: readonly Txn[], deadline?: Deadline): void {
  forEachRealtimePair(txns, (earlier, later) => edges.add(earlier.id, later.id, REALTIME), new DeadlineWatch(deadline, "adding the real-time edges", "transaction"));
}

/**
 * Real-time order, transitively reduced as Elle does: a txn that completed precedes each txn
 * invoked later, but only while no other txn completed in between that itself follows it.
 * The frontier holds the txns completed so far that nothing completed since has superseded.
 * `txns` in invocation order; failed ones take no part.
 */
export function forEachRealtimePair(txns: readonly Txn[], visit: (earlier: Txn, later: Txn) => void, watch?: DeadlineWatch): void {
  const live = txns.filter((t) => t.outcome !== "fail");
  const completions = live.filter((t) => t.outcome === "ok").sort((a, b) => a.op.ret - b.op.ret);
  const frontier: Txn[] = [];
  let c = 0;
  // A completing txn supersedes the frontier txns that completed before it was invoked: they precede it.
  const complete = (txn: Txn): void => {
    let kept = 0;
    for (const t of frontier) if (t.op.ret > txn.op.call) frontier[kept++] = t;
    frontier.length = kept;
    frontier.push(txn);
  };
  for (const txn of live) {
    watch?.tick();
    while (c < completions.length && completions[c]!.op.ret < txn.op.call) complete(completions[c++]!);
    for (const t of frontier) visit(t, txn);
  }
}
