import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_POINTS } from "../../../src/report/charts.ts";
import { availabilityOverTime, latencyQuantiles, niceBucket, statsCharts, type TimePoint } from "../../../src/checkers/stats/charts.ts";
import { historyOf } from "../../support/helpers.ts";
import { timedHistory } from "../../support/report-fixtures.ts";

const point = (t: number, latency: number | undefined, outcome = "ok", f = "read"): TimePoint => ({ t, latency, outcome, f });

test("latency quantiles are computed per bucket of invocation time", () => {
  const rows = latencyQuantiles([point(0.1, 1), point(0.2, 2), point(0.3, 3), point(0.4, 4), point(1.5, 10)], 1);
  const rounded = rows.map((r) => ({ ...r, latency: Math.round(r.latency * 1000) / 1000 }));
  assert.deepEqual(rounded, [
    { t: 0.5, quantile: "p50", latency: 2.5 },
    { t: 0.5, quantile: "p95", latency: 3.85 },
    { t: 0.5, quantile: "p99", latency: 3.97 },
    { t: 0.5, quantile: "max", latency: 4 },
    { t: 1.5, quantile: "p50", latency: 10 },
    { t: 1.5, quantile: "p95", latency: 10 },
    { t: 1.5, quantile: "p99", latency: 10 },
    { t: 1.5, quantile: "max", latency: 10 },
  ]);
});

test("availability per f and bucket counts fail, info and never-completed as unavailable", () => {
  const rows = availabilityOverTime([point(0, 1), point(0.5, 1, "fail"), point(0.6, undefined, "info"), point(0.7, 1, "ok", "write"), point(1.2, 3)], 1);
  assert.deepEqual(rows, [
    { t: 0.5, f: "read", ok: 1, total: 3, availability: 100 / 3 },
    { t: 0.5, f: "write", ok: 1, total: 1, availability: 100 },
    { t: 1.5, f: "read", ok: 1, total: 1, availability: 100 },
  ]);
});

test("buckets are round and give about 60 per span", () => {
  assert.equal(niceBucket(2), 0.05);
  assert.equal(niceBucket(60), 1);
  assert.equal(niceBucket(3600), 60);
  assert.equal(niceBucket(1e6), 600);
});

test("a large history's latency chart is sampled and says so; the aggregates are not", () => {
  const n = MAX_POINTS + 1000;
  const [latency, ...aggregates] = statsCharts(timedHistory(n), []);
  assert.ok(latency?.kind === "chart");
  assert.match(latency.chart.caption, /Sampled: 20,000 of 21,000 operations drawn, evenly spaced\./);
  const dots = latency.chart.svg.match(/<g [^>]*aria-label="dot">(.*?)<\/g>/s)![1]!;
  assert.equal(dots.match(/<path /g)?.length, MAX_POINTS);
  for (const a of aggregates) assert.ok(a.kind === "chart" && !a.chart.caption.includes("Sampled"));
});

test("a history without times gets a sentence instead of time charts", () => {
  const blocks = statsCharts(historyOf([{ type: "invoke", f: "read", process: 0 }, { type: "ok", f: "read", process: 0 }]), []);
  assert.deepEqual(blocks, [{ kind: "paragraph", text: "No time charts: the history has no times." }]);
});
