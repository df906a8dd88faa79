import type { CycleEdge, CycleStepData } from "./anomaly.ts";
import { PROCESS, REALTIME } from "./graph.ts";
import type { TxnTable } from "./table.ts";
import type { VersionOrder } from "./workload.ts";

/** Why each edge of a found cycle exists, re-derived from the facts as data (prose.ts says it in words). */
export function explainCycle(order: VersionOrder, table: TxnTable, nodes: readonly number[], kinds: readonly number[]): CycleStepData[] {
  return nodes.map((from, i) => {
    const to = nodes[(i + 1) % nodes.length]!;
    return { from: table.opId[from]!, to: table.opId[to]!, ...edgeOf(order, table, kinds[i]!, from, to) };
  });
}

function edgeOf(order: VersionOrder, table: TxnTable, kind: number, a: number, b: number): CycleEdge {
  if (kind === PROCESS) return { kind: "process", process: table.process[a]! };
  if (kind === REALTIME) return { kind: "realtime" };
  const edge = order.explain(kind, a, b);
  // Every data edge was built from the same order that explains it.
  if (!edge) throw new Error(`no explanation for a ${kind} edge from T${table.opId[a]} to T${table.opId[b]}`);
  return edge;
}
