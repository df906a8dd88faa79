import type { CheckerResult } from "../../checkers/checker.ts";
import type { FaultWindow, StatsEvidence, StatsFigures } from "../../checkers/stats.ts";
import type { History } from "../../history/history.ts";
import { isClientProcess } from "../../history/op.ts";
import { Plot, renderChart, sample } from "../charts.ts";
import type { Block, Section } from "../document.ts";
import { formatMs, formatPercent } from "../format.ts";

const OUTCOME_COLOURS = { domain: ["ok", "fail", "info"], range: ["#1a7f37", "#cf222e", "#bf8700"] };

export function statsSection(result: CheckerResult, history: History): Section {
  const stats = result.stats as unknown as StatsFigures;
  const evidence = result.evidence as StatsEvidence;
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
      text: `Availability during nemesis faults ${fmt(stats.availabilityDuringFaults)}, outside them ${fmt(stats.availabilityOutsideFaults)}.`,
    });
  }
  blocks.push(...charts(history, evidence.faultWindows));
  return { id: "stats", title: "Stats and availability", valid: result.valid, blocks };
}

function fmt(x: number | undefined): string {
  return x === undefined ? "n/a" : formatPercent(x);
}

interface Point {
  t: number;
  latency: number;
  outcome: string;
  f: string;
}

function charts(history: History, windows: FaultWindow[]): Block[] {
  const points: Point[] = [];
  for (const o of history.operations) {
    if (!isClientProcess(o.process) || o.callTime === undefined || o.retTime === undefined) continue;
    points.push({ t: o.callTime / 1e9, latency: Math.max((o.retTime - o.callTime) / 1e6, 0.001), outcome: o.outcome, f: o.f });
  }
  if (points.length === 0) return [{ kind: "paragraph", text: "No charts: the history has no times." }];
  const shaded = windows
    .filter((w) => w.startTime !== undefined && w.endTime !== undefined)
    .map((w) => ({ x1: w.startTime! / 1e9, x2: w.endTime! / 1e9, label: w.label }));
  const { items, sampled } = sample(points);
  const total = history.sampledFrom ?? points.length;
  const note = sampled || history.sampledFrom !== undefined ? ` Sampled: ${items.length.toLocaleString("en")} of ${total.toLocaleString("en")} operations drawn, evenly spaced.` : "";
  const latency = renderChart(
    "stats-latency",
    "Latency over time",
    `Each operation at its invocation time; colour = outcome, shape = f; shaded = nemesis fault windows.${note}`,
    {
      width: 900,
      height: 360,
      x: { label: "time since start (s)" },
      y: { type: "log", label: "latency (ms)" },
      color: { ...OUTCOME_COLOURS, legend: true },
      symbol: { legend: true },
      marks: [
        Plot.rectX(shaded, { x1: "x1", x2: "x2", fill: "#cf222e", fillOpacity: 0.08 }),
        Plot.dot(items, { x: "t", y: "latency", stroke: "outcome", symbol: "f", r: 2 }),
      ],
    },
  );
  const span = Math.max(...[points.at(-1)!.t, ...shaded.map((s) => s.x2)]);
  const bucket = niceBucket(span);
  const throughput = renderChart(
    "stats-throughput",
    "Throughput over time",
    `Completed client operations per second in ${bucket} s buckets, by f and outcome; shaded = fault windows.`,
    {
      width: 900,
      height: 300,
      x: { label: "time since start (s)" },
      y: { label: "operations per second", grid: true },
      color: { legend: true },
      marks: [
        Plot.rectX(shaded, { x1: "x1", x2: "x2", fill: "#cf222e", fillOpacity: 0.08 }),
        Plot.lineY(
          points,
          Plot.binX({ y: (bin: unknown[]) => bin.length / bucket }, {
            x: "t",
            stroke: (d: Point) => `${d.f} ${d.outcome}`,
            thresholds: Math.max(1, Math.ceil(span / bucket)),
          } as Plot.LineYOptions),
        ),
      ],
    },
  );
  return [
    { kind: "chart", chart: latency },
    { kind: "chart", chart: throughput },
  ];
}

function niceBucket(spanSeconds: number): number {
  const target = spanSeconds / 60;
  for (const b of [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300]) if (b >= target) return b;
  return 600;
}
