import type { Anomaly } from "./anomaly.ts";
import type { TxnResult } from "./check.ts";
import { MODELS } from "./models.ts";
import { cycleNotation, describeMop } from "./text.ts";
import type { MicroOp } from "./facts.ts";
import type { History } from "../../history/history.ts";
import type { Operation } from "../../history/op.ts";
import { drawCycle } from "../../report/cycle-graph.ts";
import type { Block, Section } from "../../report/document.ts";

/** Cycles explained (and drawn) in full; the rest are counted in the table. */
const MAX_CYCLES_SHOWN = 10;
const MAX_OTHERS_SHOWN = 30;
/** Order edges are labelled tersely in drawings, as in the Elle paper's figures. */
const SHORT_KIND: Record<string, string> = { process: "p", realtime: "rt" };

export function txnSection(result: TxnResult, history: History): Section {
  const { evidence, stats } = result;
  const blocks: Block[] = [
    { kind: "paragraph", text: result.summary },
    {
      kind: "paragraph",
      text: `${stats.transactions} ${evidence.workload} transactions (${stats.committed} committed, ${stats.aborted} aborted, ${stats.indeterminate} indeterminate) over ${stats.keys} keys; ${stats.edges} dependency edges; ${stats.components} strongly connected component${stats.components === 1 ? "" : "s"} with a cycle (largest ${stats.largestComponent}). Checked against ${evidence.requestedModel}. Version order: ${evidence.versionOrder}.`,
    },
  ];
  if (evidence.byType.length > 0) {
    blocks.push({ kind: "table", headers: ["anomaly", "count", "rules out (and everything stronger)"], rows: evidence.byType.map((t) => [t.type, String(t.count), t.rulesOut.join(", ")]) });
  }
  const cycles = evidence.anomalies.filter((a) => a.cycle);
  cycles.slice(0, MAX_CYCLES_SHOWN).forEach((a, i) => blocks.push(...cycleBlocks(a, i, history)));
  if (cycles.length > MAX_CYCLES_SHOWN) blocks.push({ kind: "paragraph", text: `${cycles.length - MAX_CYCLES_SHOWN} more cycles are in verdict.json.` });
  const others = evidence.anomalies.filter((a) => !a.cycle);
  if (others.length > 0) {
    blocks.push({ kind: "list", items: others.slice(0, MAX_OTHERS_SHOWN).map((a) => `${a.type}: ${a.explanation} (operations ${a.ops.join(", ")})`) });
  }
  if (stats.cutShortComponents > 0) {
    const sizes = evidence.cutShort.map((c) => c.size).join(", ");
    blocks.push({
      kind: "paragraph",
      text: `The cycle search ran out of time in ${stats.cutShortComponents} component${stats.cutShortComponents > 1 ? "s" : ""} (sizes ${sizes}${stats.cutShortComponents > evidence.cutShort.length ? ", …" : ""}): cycles there may be missing, so nothing unobserved can be called absent.`,
    });
  }
  blocks.push({
    kind: "table",
    headers: ["ANSI phenomenon", "status", "judged from", "cases"],
    rows: evidence.ansi.map((row) => [`${row.phenomenon} ${row.name}`, row.status, row.basis, row.cases.map((c) => `${c.type} (ops ${c.ops.join(", ")})`).join("; ") || "–"]),
  });
  const { models } = evidence;
  blocks.push({
    kind: "table",
    headers: ["consistency model", "status"],
    rows: MODELS.map((m) => [m, models.weakestViolated.includes(m) ? "violated (weakest)" : models.violated.includes(m) ? "violated" : models.holding.includes(m) ? "holds" : "not checked"]),
  });
  return { id: "txn", title: "Transactional anomalies", valid: result.valid, blocks };
}

function cycleBlocks(anomaly: Anomaly, n: number, history: History): Block[] {
  const steps = anomaly.cycle!;
  const nodes = anomaly.ops.map((id) => {
    const op = operationById(history.operations, id);
    const mops = (op?.outcome === "ok" ? op.output : op?.input) as MicroOp[] | undefined;
    return { id, label: `T${id}${op ? ` (ops ${op.invokeIndex}–${op.completeIndex ?? "…"}, process ${String(op.process)}, ${op.outcome})` : ""}`, lines: Array.isArray(mops) ? mops.map(describeMop) : [] };
  });
  const chart = drawCycle(
    `txn-cycle-${n + 1}`,
    `${anomaly.type} cycle ${n + 1}`,
    nodes.map((node) => ({ label: `T${node.id}`, lines: node.lines })),
    steps.map((s) => ({ kind: s.kind, label: `${SHORT_KIND[s.kind] ?? s.kind}${s.key !== undefined ? `(${String(s.key)})` : ""}` })),
  );
  return [
    { kind: "paragraph", text: `${anomaly.type}: ${cycleNotation(steps)}` },
    { kind: "list", items: steps.map((s) => s.explanation) },
    { kind: "listing", caption: "The transactions", lines: nodes.map((node) => `${node.label}: ${node.lines.join("; ")}`) },
    { kind: "chart", chart },
  ];
}

/** Operations are in id order but, in a streamed history's sample, not every id is there: a missing one gives undefined. */
function operationById(operations: readonly Operation[], id: number): Operation | undefined {
  let low = 0;
  let high = operations.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const at = operations[mid]!.id;
    if (at === id) return operations[mid];
    if (at < id) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}
