import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_POINTS } from "../../../src/report/charts.ts";
import { availabilityRows, quantileRows, statsCharts, throughputRows } from "../../../src/checkers/stats/charts-section.ts";
import { checkStats } from "../../../src/checkers/stats/stats.ts";
import type { TimeSeries } from "../../../src/checkers/stats/time-series.ts";
import { historyOf } from "../../support/helpers.ts";
import { timedHistory } from "../../support/report-fixtures.ts";

const SERIES: TimeSeries = {
  startTime: 0,
  bucketSeconds: 2,
  buckets: [
    { t: 1, latencyMs: { p50: 1, p95: 2, p99: 3, max: 0 }, completed: { "read ok": 4 }, invoked: { read: { ok: 4, total: 6 }, write: { ok: 0, total: 1 } } },
    { t: 3, completed: {}, invoked: {} },
    { t: 5, latencyMs: { p50: 5, p95: 5, p99: 5, max: 5 }, completed: { "read ok": 1, "write fail": 2 }, invoked: { write: { ok: 0, total: 2 }, read: { ok: 1, total: 1 } } },
  ],
};

test("quantiles are drawn per bucket that completed something, never below what a log scale shows", () => {
  assert.deepEqual(quantileRows(SERIES), [
    { t: 1, quantile: "p50", latency: 1 },
    { t: 1, quantile: "p95", latency: 2 },
    { t: 1, quantile: "p99", latency: 3 },
    { t: 1, quantile: "max", latency: 0.001 },
    ...["p50", "p95", "p99", "max"].map((quantile) => ({ t: 5, quantile, latency: 5 })),
  ]);
});

test("throughput is per second and 0 where a series is absent, so outages show as drops", () => {
  assert.deepEqual(throughputRows(SERIES), [
    { t: 1, f: "read", outcome: "ok", rate: 2 },
    { t: 3, f: "read", outcome: "ok", rate: 0 },
    { t: 5, f: "read", outcome: "ok", rate: 0.5 },
    { t: 1, f: "write", outcome: "fail", rate: 0 },
    { t: 3, f: "write", outcome: "fail", rate: 0 },
    { t: 5, f: "write", outcome: "fail", rate: 1 },
  ]);
});

test("availability is the ok share of what was invoked, per f and bucket", () => {
  assert.deepEqual(availabilityRows(SERIES), [
    { t: 1, f: "read", availability: (100 * 4) / 6 },
    { t: 1, f: "write", availability: 0 },
    { t: 5, f: "write", availability: 0 },
    { t: 5, f: "read", availability: 100 },
  ]);
});

test("a large history's latency dots are sampled and say so; the measured series are not", () => {
  const n = MAX_POINTS + 1000;
  const history = timedHistory(n);
  const [latency, ...aggregates] = statsCharts(history, [], checkStats(history).evidence.timeSeries);
  assert.ok(latency?.kind === "chart");
  assert.match(latency.chart.caption, /Sampled: 20,000 of 21,000 operations drawn, evenly spaced\./);
  const dots = latency.chart.svg.match(/<g [^>]*aria-label="dot">(.*?)<\/g>/s)![1]!;
  assert.equal(dots.match(/<path /g)?.length, MAX_POINTS);
  for (const a of aggregates) assert.ok(a.kind === "chart" && !a.chart.caption.includes("Sampled"));
});

test("a history without times gets a sentence instead of time charts", () => {
  const history = historyOf([{ type: "invoke", f: "read", process: 0 }, { type: "ok", f: "read", process: 0 }]);
  assert.deepEqual(statsCharts(history, [], checkStats(history).evidence.timeSeries), [{ kind: "paragraph", text: "No time charts: the history has no times." }]);
});

test("a history within one bucket gets its latency dots and a sentence, not one-point lines", () => {
  const history = timedHistory(3);
  const blocks = statsCharts(history, [], checkStats(history).evidence.timeSeries);
  assert.deepEqual(blocks.map((b) => (b.kind === "chart" ? b.chart.id : b.kind)), ["stats-latency", "paragraph"]);
});
