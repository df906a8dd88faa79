import type { CycleEdge, CycleStepData } from "./anomaly.ts";
import type { Txn } from "./facts.ts";
import { PROCESS, REALTIME } from "./graph.ts";
import type { VersionOrder } from "./workload.ts";

/** Why each edge of a found cycle exists, re-derived from the facts as data (prose.ts says it in words). */
export function explainCycle(order: VersionOrder, txns: readonly Txn[], nodes: readonly number[], kinds: readonly number[]): CycleStepData[] {
  return nodes.map((from, i) => {
    const a = txns[from]!;
    const b = txns[nodes[(i + 1) % nodes.length]!]!;
    return { from: a.op.id, to: b.op.id, ...edgeOf(order, kinds[i]!, a, b) };
  });
}

function edgeOf(order: VersionOrder, kind: number, a: Txn, b: Txn): CycleEdge {
  if (kind === PROCESS) return { kind: "process", process: a.op.process };
  if (kind === REALTIME) return { kind: "realtime" };
  const edge = order.explain(kind, a, b);
  // Every data edge was built from the same order that explains it.
  if (!edge) throw new Error(`no explanation for a ${kind} edge from T${a.op.id} to T${b.op.id}`);
  return edge;
}
