import { quantileSorted } from "d3-array";
import type { FaultWindow } from "./stats.ts";
import type { History } from "../../history/history.ts";
import { isClientProcess } from "../../history/op.ts";
import { OUTCOME_COLOURS, Plot, renderChart, sample } from "../../report/charts.ts";
import type { Block } from "../../report/document.ts";

/** A client operation placed in time: seconds since the start; latency in ms when it completed. */
export interface TimePoint {
  t: number;
  latency: number | undefined;
  outcome: string;
  f: string;
}

interface Shade {
  x1: number;
  x2: number;
  label: string;
}

const WIDTH = 900;
const QUANTILES = [
  { name: "p50", q: 0.5 },
  { name: "p95", q: 0.95 },
  { name: "p99", q: 0.99 },
  { name: "max", q: 1 },
] as const;

/** The time charts of the stats section: latency (raw and quantiles), throughput and availability. */
export function statsCharts(history: History, windows: FaultWindow[]): Block[] {
  const points: TimePoint[] = [];
  for (const o of history.operations) {
    if (!isClientProcess(o.process) || o.callTime === undefined) continue;
    const latency = o.retTime === undefined ? undefined : Math.max((o.retTime - o.callTime) / 1e6, 0.001);
    points.push({ t: o.callTime / 1e9, latency, outcome: o.outcome, f: o.f });
  }
  const completed = points.filter((p) => p.latency !== undefined);
  if (completed.length === 0) return [{ kind: "paragraph", text: "No time charts: the history has no times." }];
  const shades: Shade[] = windows
    .filter((w) => w.startTime !== undefined && w.endTime !== undefined)
    .map((w) => ({ x1: w.startTime! / 1e9, x2: w.endTime! / 1e9, label: w.label }));
  const span = Math.max(...[points.at(-1)!.t, ...shades.map((s) => s.x2)]);
  const bucket = niceBucket(span);
  // A streamed history holds only a sample (History.sampledFrom): every chart says so.
  const streamNote =
    history.sampledFrom === undefined
      ? ""
      : ` Streamed history: drawn from an evenly spaced sample of ${history.operations.length.toLocaleString("en")} of ${history.sampledFrom.toLocaleString("en")} operations; counts and rates are the sample's.`;
  const shadeNote = (shades.length > 0 ? " Shaded: nemesis fault windows." : "") + streamNote;
  return [
    latencyChart(completed, shades, shadeNote),
    quantileChart(completed, shades, bucket, shadeNote),
    throughputChart(completed, shades, bucket, span, shadeNote),
    availabilityChart(points, shades, bucket, shadeNote),
  ].map((chart) => ({ kind: "chart", chart }));
}

function faultMarks(shades: Shade[]): Plot.Markish[] {
  return [Plot.rectX(shades, { x1: "x1", x2: "x2", fill: "#cf222e", fillOpacity: 0.08, title: "label" })];
}

const TIME_AXIS = { label: "time since start (s)" } as const;

function latencyChart(completed: TimePoint[], shades: Shade[], shadeNote: string) {
  const { items, sampled } = sample(completed);
  const note = sampled ? ` Sampled: ${items.length.toLocaleString("en")} of ${completed.length.toLocaleString("en")} operations drawn, evenly spaced.` : "";
  return renderChart("stats-latency", "Latency over time", `Each completed operation at its invocation time; colour = outcome, shape = f.${shadeNote}${note}`, {
    width: WIDTH,
    height: 360,
    x: TIME_AXIS,
    y: { type: "log", label: "latency (ms)" },
    color: { ...OUTCOME_COLOURS, legend: true },
    symbol: { legend: true },
    marks: [...faultMarks(shades), Plot.dot(items, { x: "t", y: "latency", stroke: "outcome", symbol: "f", r: 2 })],
  });
}

/** Operations grouped by the time bucket they were invoked in, keyed by bucket start (s). */
function byBucket(points: TimePoint[], bucket: number): Map<number, TimePoint[]> {
  const groups = new Map<number, TimePoint[]>();
  for (const p of points) {
    const start = Math.floor(p.t / bucket) * bucket;
    let group = groups.get(start);
    if (!group) groups.set(start, (group = []));
    group.push(p);
  }
  return groups;
}

/** Latency quantiles of the operations invoked in each bucket: an aggregate, so it stays small for any history size. */
export function latencyQuantiles(completed: TimePoint[], bucket: number): { t: number; quantile: string; latency: number }[] {
  const rows: { t: number; quantile: string; latency: number }[] = [];
  for (const [start, group] of byBucket(completed, bucket)) {
    const sorted = group.map((p) => p.latency!).sort((a, b) => a - b);
    for (const { name, q } of QUANTILES) rows.push({ t: start + bucket / 2, quantile: name, latency: quantileSorted(sorted, q)! });
  }
  return rows.sort((a, b) => a.t - b.t);
}

function quantileChart(completed: TimePoint[], shades: Shade[], bucket: number, shadeNote: string) {
  return renderChart(
    "stats-latency-quantiles",
    "Latency quantiles over time",
    `Latency quantiles of the operations invoked in each ${bucket} s bucket, plotted at the bucket's middle.${shadeNote}`,
    {
      width: WIDTH,
      height: 300,
      x: TIME_AXIS,
      y: { type: "log", label: "latency (ms)", grid: true },
      color: { domain: QUANTILES.map((q) => q.name), legend: true },
      marks: [...faultMarks(shades), Plot.lineY(latencyQuantiles(completed, bucket), { x: "t", y: "latency", stroke: "quantile", z: "quantile", marker: "dot" })],
    },
  );
}

/** Completed operations per second, per bucket and "f outcome" series; a series absent from a bucket is 0 there, so outages show as drops. */
export function throughputOverTime(completed: TimePoint[], bucket: number, span: number): { t: number; series: string; rate: number }[] {
  const counts = new Map<string, number[]>();
  const buckets = Math.max(1, Math.ceil(span / bucket));
  for (const p of completed) {
    const series = `${p.f} ${p.outcome}`;
    let perBucket = counts.get(series);
    if (!perBucket) counts.set(series, (perBucket = new Array<number>(buckets).fill(0)));
    perBucket[Math.min(Math.floor(p.t / bucket), buckets - 1)]!++;
  }
  return [...counts].flatMap(([series, perBucket]) => perBucket.map((n, i) => ({ t: (i + 0.5) * bucket, series, rate: n / bucket })));
}

function throughputChart(completed: TimePoint[], shades: Shade[], bucket: number, span: number, shadeNote: string) {
  return renderChart(
    "stats-throughput",
    "Throughput over time",
    `Completed client operations per second in ${bucket} s buckets (by invocation time), one line per f and outcome.${shadeNote}`,
    {
      width: WIDTH,
      height: 300,
      x: TIME_AXIS,
      y: { label: "operations per second", grid: true },
      color: { legend: true },
      marks: [...faultMarks(shades), Plot.lineY(throughputOverTime(completed, bucket, span), { x: "t", y: "rate", stroke: "series", z: "series" })],
    },
  );
}

/** Per f and bucket, the share of invoked operations that ended ok (info and never-completed count as not ok). */
export function availabilityOverTime(points: TimePoint[], bucket: number): { t: number; f: string; ok: number; total: number; availability: number }[] {
  const rows: { t: number; f: string; ok: number; total: number; availability: number }[] = [];
  for (const [start, group] of byBucket(points, bucket)) {
    const perF = new Map<string, { ok: number; total: number }>();
    for (const p of group) {
      const counts = perF.get(p.f) ?? { ok: 0, total: 0 };
      counts.total++;
      if (p.outcome === "ok") counts.ok++;
      perF.set(p.f, counts);
    }
    for (const [f, { ok, total }] of perF) rows.push({ t: start + bucket / 2, f, ok, total, availability: (100 * ok) / total });
  }
  return rows.sort((a, b) => a.t - b.t || a.f.localeCompare(b.f));
}

function availabilityChart(points: TimePoint[], shades: Shade[], bucket: number, shadeNote: string) {
  return renderChart(
    "stats-availability",
    "Availability over time",
    `Share of the operations invoked in each ${bucket} s bucket that completed ok, one line per f (fail, info and never-completed count as unavailable).${shadeNote}`,
    {
      width: WIDTH,
      height: 300,
      x: TIME_AXIS,
      y: { label: "ok (%)", domain: [0, 100], grid: true },
      color: { legend: true },
      marks: [...faultMarks(shades), Plot.lineY(availabilityOverTime(points, bucket), { x: "t", y: "availability", stroke: "f", z: "f", marker: "dot" })],
    },
  );
}

/** A round bucket width giving about 60 buckets over the span. */
export function niceBucket(spanSeconds: number): number {
  const target = spanSeconds / 60;
  for (const b of [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300]) if (b >= target) return b;
  return 600;
}
