import type { FaultWindow } from "./stats.ts";
import { faultWindowMarks, faultWindowNote } from "../../report/fault-windows.ts";
import type { TimeSeries } from "./time-series.ts";
import type { History } from "../../history/history.ts";
import { isClientProcess } from "../../history/op.ts";
import { OUTCOME_COLOURS, Plot, renderChart, sample, SERIES_RANGE, type Markish } from "../../report/charts.ts";
import type { Block } from "../../report/document.ts";

/** A completed client operation placed for the latency dots: seconds since the start, latency in ms. */
interface Dot {
  t: number;
  latency: number;
  outcome: string;
  f: string;
}

const WIDTH = 900;
const QUANTILES = ["p50", "p95", "p99", "max"] as const;
/** Log scales cannot show 0: latencies are drawn at least this high (ms). */
const LEAST_LATENCY = 0.001;

/**
 * The time charts of the stats section: latency dots (the history's operations, sampled), and the
 * quantiles, throughput and availability the stats checker measured per bucket (`TimeSeries`).
 */
export function statsCharts(history: History, windows: FaultWindow[], series: TimeSeries | undefined): Block[] {
  if (!series || series.buckets.every((b) => b.latencyMs === undefined)) return [{ kind: "paragraph", text: "No time charts: the history has no times." }];
  const since = (ns: number): number => (ns - series.startTime) / 1e9;
  const dots: Dot[] = [];
  for (const o of history.operations) {
    if (!isClientProcess(o.process) || o.callTime === undefined || o.retTime === undefined) continue;
    dots.push({ t: since(o.callTime), latency: Math.max((o.retTime - o.callTime) / 1e6, LEAST_LATENCY), outcome: o.outcome, f: o.f });
  }
  const shades = faultWindowMarks(windows, series.startTime);
  // A streamed history holds only a sample (History.sampledFrom) for the dots; the buckets count every operation.
  const streamNote =
    history.sampledFrom === undefined
      ? ""
      : ` Streamed history: dots from an evenly spaced sample of ${history.operations.length.toLocaleString("en")} of ${history.sampledFrom.toLocaleString("en")} operations.`;
  const shadeNote = faultWindowNote(windows);
  const latency: Block = { kind: "chart", chart: latencyChart(dots, shades, shadeNote + streamNote) };
  // One bucket would be one point per line: the table above says it better.
  if (series.buckets.length < 2) return [latency, { kind: "paragraph", text: `The history spans one ${series.bucketSeconds} s bucket: no quantile, throughput or availability charts over time (the table above has them).` }];
  return [
    latency,
    ...[quantileChart(series, shades, shadeNote),
    throughputChart(series, shades, shadeNote),
    availabilityChart(series, shades, shadeNote),
    ].map((chart): Block => ({ kind: "chart", chart })),
  ];
}

const TIME_AXIS = { label: "time since start (s)" } as const;

function latencyChart(completed: Dot[], shades: Markish[], note: string) {
  const { items, sampled } = sample(completed);
  const sampledNote = sampled ? ` Sampled: ${items.length.toLocaleString("en")} of ${completed.length.toLocaleString("en")} operations drawn, evenly spaced.` : "";
  return renderChart("stats-latency", "Latency over time", `Each completed operation at its invocation time; colour = outcome, shape = f.${note}${sampledNote}`, {
    width: WIDTH,
    height: 360,
    x: TIME_AXIS,
    y: { type: "log", label: "latency (ms)" },
    color: { ...OUTCOME_COLOURS, legend: true },
    symbol: { legend: true },
    marks: [...shades, Plot.dot(items, { x: "t", y: "latency", stroke: "outcome", symbol: "f", r: 2 })],
  });
}

/** One row per bucket and quantile, for the buckets in which something completed. */
export function quantileRows(series: TimeSeries): { t: number; quantile: string; latency: number }[] {
  return series.buckets.flatMap(({ t, latencyMs }) => (latencyMs ? QUANTILES.map((q) => ({ t, quantile: q, latency: Math.max(latencyMs[q], LEAST_LATENCY) })) : []));
}

function quantileChart(series: TimeSeries, shades: Markish[], shadeNote: string) {
  return renderChart(
    "stats-latency-quantiles",
    "Latency quantiles over time",
    `Latency quantiles of the operations invoked in each ${series.bucketSeconds} s bucket, plotted at the bucket's middle.${shadeNote}`,
    {
      width: WIDTH,
      height: 300,
      x: TIME_AXIS,
      y: { type: "log", label: "latency (ms)", grid: true },
      color: { domain: [...QUANTILES], range: ["#80b3ff", "#0969da", "#6639ba", "#24292f"], legend: true },
      marks: [...shades, Plot.lineY(quantileRows(series), { x: "t", y: "latency", stroke: "quantile", z: "quantile", marker: "dot" })],
    },
  );
}

/** Per "f outcome" series, completed operations per second in every bucket: 0 where a series is absent, so outages show as drops. */
export function throughputRows(series: TimeSeries): { t: number; f: string; outcome: string; rate: number }[] {
  const names = [...new Set(series.buckets.flatMap((b) => Object.keys(b.completed)))].sort();
  return names.flatMap((name) => {
    const split = name.lastIndexOf(" ");
    const [f, outcome] = [name.slice(0, split), name.slice(split + 1)];
    return series.buckets.map((b) => ({ t: b.t, f, outcome, rate: (b.completed[name] ?? 0) / series.bucketSeconds }));
  });
}

function throughputChart(series: TimeSeries, shades: Markish[], shadeNote: string) {
  const rows = throughputRows(series);
  const fs = [...new Set(rows.map((r) => r.f))];
  return renderChart(
    "stats-throughput",
    "Throughput over time",
    `Completed client operations per second in ${series.bucketSeconds} s buckets (by invocation time), one panel per f, one line per outcome (ok green, fail red, info amber).${shadeNote}`,
    {
      width: WIDTH,
      height: 60 + 110 * fs.length,
      marginRight: 70,
      x: TIME_AXIS,
      y: { label: "operations per second", grid: true },
      fy: { label: null },
      color: { ...OUTCOME_COLOURS, legend: true },
      marks: [...shades, Plot.lineY(rows, { x: "t", y: "rate", fy: "f", stroke: "outcome", z: "outcome" })],
    },
  );
}

/** Per bucket and f, the share (%) of invoked operations that ended ok. */
export function availabilityRows(series: TimeSeries): { t: number; f: string; availability: number }[] {
  return series.buckets.flatMap((b) => Object.entries(b.invoked).map(([f, { ok, total }]) => ({ t: b.t, f, availability: (100 * ok) / total })));
}

function availabilityChart(series: TimeSeries, shades: Markish[], shadeNote: string) {
  return renderChart(
    "stats-availability",
    "Availability over time",
    `Share of the operations invoked in each ${series.bucketSeconds} s bucket that completed ok, one line per f (fail, info and never-completed count as unavailable).${shadeNote}`,
    {
      width: WIDTH,
      height: 300,
      x: TIME_AXIS,
      y: { label: "ok (%)", domain: [0, 100], grid: true },
      color: { range: SERIES_RANGE, legend: true },
      marks: [...shades, Plot.lineY(availabilityRows(series), { x: "t", y: "availability", stroke: "f", z: "f", marker: "dot" })],
    },
  );
}
