import { max } from "d3-array";
import type { LwwEvidence, LwwResult } from "./lww.ts";
import type { SectionContext } from "../descriptor.ts";
import type { History } from "../../history/history.ts";
import { nodeColumn } from "../../report/nodes.ts";
import { faultWindowMarks, faultWindowNote, type FaultSpan } from "../../report/fault-windows.ts";
import { countAxis, Plot, renderChart } from "../../report/charts.ts";
import { summaryWithFigures, type Block, type Section } from "../../report/document.ts";
import { formatPercent } from "../../history/values.ts";

const ROWS_SHOWN = 50;

export function lwwSection(result: LwwResult, history: History, context: SectionContext): Section {
  const stats = result.stats;
  const evidence = result.evidence;
  const c = stats.counts;
  const blocks: Block[] = summaryWithFigures(result.summary, ["writes", "reads", "cells", "ties", "ties seen by reads", "reads disagreeing", "rows read", "rows mixed", "fraction mixed"], [c.writes, c.reads, c.cells, c.ties, c.visibleTies, c.disagreeingReads, c.rowsRead, c.corruptRows].map(String).concat([oneIn(stats.rates.corruptRows)]));
  const e = stats.expected;
  if (e) {
    blocks.push({
      kind: "table",
      headers: ["by chance (Poisson, observed rates)", "expected", "observed", "observed ÷ expected"],
      rows: [
        ["visible ties", e.expectedVisibleTies.toPrecision(3), String(c.visibleTies), times(e.tiesTimesExpected)],
        ["fraction of rows mixed", e.expectedCorruptFraction.toPrecision(3), (stats.rates.corruptRows ?? 0).toPrecision(3), times(e.corruptTimesExpected)],
      ],
    });
    blocks.push({ kind: "paragraph", text: `Timestamp resolution ${e.resolution} s (the largest power of ten dividing every ts), over ${e.seconds.toFixed(1)} s. The model is derived in docs/lww.md.` });
  }
  const node = nodeColumn(history);
  const nodes = (ids: readonly number[]): string => (node ? ` (${ids.map(node).join(" ")})` : "");
  if (evidence.ties.length > 0) {
    blocks.push({
      kind: "table",
      headers: ["row", "column", "ts", node ? "writes (operation ids; node)" : "writes (operation ids)", "values", "kept (greater value)", "reads agreeing", "reads disagreeing"],
      rows: evidence.ties.slice(0, ROWS_SHOWN).map((t) => [json(t.row), t.column, String(t.ts), t.writeIds.join(" ") + nodes(t.writeIds), t.values.map(json).join(" "), json(t.winner), t.agreeingReadIds.join(" "), t.disagreeingReadIds.join(" ")]),
    });
  }
  if (evidence.mixed.length > 0) {
    blocks.push({
      kind: "table",
      headers: ["read (operation id)", ...(node ? ["node"] : []), "row", "cells read", node ? "written by (per column; node)" : "written by (per column)"],
      rows: evidence.mixed
        .slice(0, ROWS_SHOWN)
        .map((m) => [String(m.readId), ...(node ? [node(m.readId)] : []), json(m.row), json(m.cells), Object.entries(m.sources).map(([col, ids]) => `${col}: ${ids.join(" ")}${nodes(ids)}`).join("; ")]),
    });
  }
  if (evidence.unexplained.length > 0) {
    blocks.push({ kind: "list", items: evidence.unexplained.slice(0, ROWS_SHOWN).map((u) => `read ${u.readId}: row ${json(u.row)} column ${u.column} = ${json(u.value)}, which no write wrote`) });
  }
  blocks.push(...eventsChart(evidence, context.faultWindows));
  return { id: "lww", title: "Last-write-wins ties", valid: result.valid, blocks };
}

function json(v: unknown): string {
  return JSON.stringify(v) ?? "undefined";
}

function oneIn(fraction: number | null): string {
  return fraction === null || fraction === 0 ? formatPercent(fraction) : `${formatPercent(fraction)} (1 in ${Math.round(1 / fraction)})`;
}

function times(x: number | null): string {
  return x === null ? "n/a" : `${x.toPrecision(3)}×`;
}

/** Cumulative ties and mixed reads over time. */
function eventsChart(evidence: LwwEvidence, windows: readonly FaultSpan[]): Block[] {
  const events = [
    ...evidence.ties.map((t) => ({ t: t.time, kind: "ties" })),
    ...evidence.mixed.map((m) => ({ t: m.time, kind: "mixed-row reads" })),
  ].filter((e): e is { t: number; kind: string } => e.t !== undefined);
  if (events.length === 0) return [];
  // One event is a table row above, not a chart.
  if (events.length === 1) return [{ kind: "paragraph", text: `One ${events[0]!.kind === "ties" ? "tie" : "mixed-row read"}, at ${(events[0]!.t / 1e9).toFixed(3)} s: no chart over time.` }];
  events.sort((a, b) => a.t - b.t);
  const seen = new Map<string, number>();
  const points = events.map((e) => ({ x: e.t / 1e9, kind: e.kind, count: seen.set(e.kind, (seen.get(e.kind) ?? 0) + 1).get(e.kind)! }));
  const chart = renderChart("lww-events", "Ties and mixed rows over time", `Cumulative count of equal-timestamp ties (at the first tied write) and of reads returning a row mixed from different writes (at the read's completion).${faultWindowNote(windows)}`, {
    width: 900,
    height: 300,
    x: { label: "time since start (s)" },
    y: countAxis("cumulative count", max(seen.values()) ?? 0),
    color: { domain: ["ties", "mixed-row reads"], range: ["#bf8700", "#cf222e"], legend: true },
    marks: [...faultWindowMarks(windows), Plot.lineY(points, { x: "x", y: "count", stroke: "kind", curve: "step-after" }), Plot.dot(points, { x: "x", y: "count", fill: "kind", r: 2 })],
  });
  return [{ kind: "chart", chart }];
}
