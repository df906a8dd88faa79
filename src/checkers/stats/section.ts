import type { StatsResult } from "./stats.ts";
import type { History } from "../../history/history.ts";
import type { Block, Section } from "../../report/document.ts";
import { formatPercent } from "../../history/values.ts";
import { formatMs } from "../../report/format.ts";
import { statsCharts } from "./charts-section.ts";

export function statsSection(result: StatsResult, history: History): Section {
  const stats = result.stats;
  const evidence = result.evidence;
  const blocks: Block[] = [{ kind: "paragraph", text: result.summary }];
  blocks.push({
    kind: "table",
    headers: ["f", "total", "ok", "fail", "info", "available", "p50", "p95", "p99", "max"],
    rows: Object.entries(stats.byF).map(([f, s]) => [
      f,
      String(s.total),
      String(s.ok),
      String(s.fail),
      String(s.info),
      formatPercent(s.availability),
      ...(s.latencyMs ? [s.latencyMs.p50, s.latencyMs.p95, s.latencyMs.p99, s.latencyMs.max].map(formatMs) : ["–", "–", "–", "–"]),
    ]),
  });
  if (stats.byNode) {
    blocks.push({ kind: "paragraph", text: "Per node the client operations were sent to: where the errors were." });
    blocks.push({
      kind: "table",
      headers: ["node", "total", "ok", "fail", "info", "available"],
      rows: Object.entries(stats.byNode).map(([node, n]) => [node, String(n.total), String(n.ok), String(n.fail), String(n.info), formatPercent(n.availability)]),
    });
  }
  if (stats.throughputPerSecond !== undefined) {
    blocks.push({ kind: "paragraph", text: `Throughput ${stats.throughputPerSecond.toFixed(1)} completed ops/s over ${stats.durationSeconds!.toFixed(1)} s.` });
  }
  const windows = [...evidence.faultWindows, ...evidence.errorRuns];
  if (windows.length > 0) {
    blocks.push({
      kind: "table",
      headers: ["fault window", "source", "from index", "to index", "duration"],
      rows: windows.map((w) => [w.label, w.source, String(w.startIndex), String(w.endIndex), w.startTime !== undefined && w.endTime !== undefined ? formatMs((w.endTime - w.startTime) / 1e6) : "–"]),
    });
  }
  if (stats.availabilityDuringFaults !== undefined || stats.availabilityOutsideFaults !== undefined) {
    blocks.push({
      kind: "paragraph",
      text: `Availability during nemesis faults ${formatPercent(stats.availabilityDuringFaults)}, outside them ${formatPercent(stats.availabilityOutsideFaults)}.`,
    });
  }
  blocks.push(...statsCharts(history, evidence.faultWindows, evidence.timeSeries));
  return { id: "stats", title: "Stats and availability", valid: result.valid, blocks };
}
