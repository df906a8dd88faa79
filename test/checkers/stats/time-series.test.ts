import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { checkStats } from "../../../src/checkers/stats/stats.ts";
import { statsSection } from "../../../src/checkers/stats/section.ts";
import { MAX_BUCKETS, quantileOfSorted, TimeSeriesFold, type TimeSeries } from "../../../src/checkers/stats/time-series.ts";
import type { Operation } from "../../../src/history/op.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { historyOf } from "../../support/helpers.ts";

/** One client op per process: invoked at `call` ns, completed `latency` ns later (or never, when undefined). */
function ops(timed: { call: number; latency: number | undefined; outcome: "ok" | "fail" | "info"; f: string }[]): Operation[] {
  const records: RawOp[] = [];
  timed.forEach(({ call, latency, outcome, f }, process) => {
    records.push({ type: "invoke", f, process, time: call });
    if (latency !== undefined) records.push({ type: outcome, f, process, time: call + latency });
  });
  return historyOf(records).operations;
}

function fold(operations: readonly Operation[]): TimeSeries | undefined {
  const series = new TimeSeriesFold();
  for (const o of operations) series.add(o);
  return series.finish();
}

const timedOp = (maxTime: number) =>
  fc.record({
    call: fc.integer({ min: 0, max: maxTime }),
    latency: fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: undefined }),
    outcome: fc.constantFrom("ok" as const, "fail" as const, "info" as const),
    f: fc.constantFrom("read", "write"),
  });

test("the series equals bucketing every operation directly at its final width, in any arrival order", () => {
  fc.assert(
    fc.property(fc.array(timedOp(1e13), { minLength: 1, maxLength: 60 }), fc.integer(), (timed, seed) => {
      const operations = ops(timed);
      const shuffled = [...operations].sort((a, b) => ((a.id * 7919 + seed) % 101) - ((b.id * 7919 + seed) % 101));
      const series = fold(shuffled)!;
      assert.ok(series.buckets.length <= MAX_BUCKETS);
      // The oracle: each op into floor(call / width), quantiles over each bucket's latencies.
      const width = series.bucketSeconds * 1e9;
      const start = Math.min(...operations.map((o) => o.callTime!));
      const low = Math.floor(start / width);
      assert.equal(series.startTime, start);
      const expected = series.buckets.map(() => ({ latencies: [] as number[], invoked: new Map<string, { ok: number; total: number }>(), completed: new Map<string, number>() }));
      for (const o of operations) {
        const b = expected[Math.floor(o.callTime! / width) - low];
        assert.ok(b, `op at ${o.callTime} falls inside the buckets`);
        const inv = b.invoked.get(o.f) ?? { ok: 0, total: 0 };
        b.invoked.set(o.f, { ok: inv.ok + (o.outcome === "ok" ? 1 : 0), total: inv.total + 1 });
        if (o.retTime === undefined) continue;
        b.latencies.push((o.retTime - o.callTime!) / 1e6);
        b.completed.set(`${o.f} ${o.outcome}`, (b.completed.get(`${o.f} ${o.outcome}`) ?? 0) + 1);
      }
      series.buckets.forEach((bucket, i) => {
        const e = expected[i]!;
        assert.deepEqual(bucket.invoked, Object.fromEntries([...e.invoked].sort()));
        assert.deepEqual(bucket.completed, Object.fromEntries([...e.completed].sort()));
        const sorted = Float64Array.from(e.latencies).sort();
        assert.deepEqual(bucket.latencyMs, sorted.length ? { p50: quantileOfSorted(sorted, 0.5), p95: quantileOfSorted(sorted, 0.95), p99: quantileOfSorted(sorted, 0.99), max: sorted.at(-1) } : undefined);
      });
    }),
  );
});

test("bucket widths are round: 10 ms, 20 ms, 100 ms, 200 ms, 1 s, …", () => {
  fc.assert(
    fc.property(fc.array(timedOp(1e18), { minLength: 1, maxLength: 30 }), (timed) => {
      const { bucketSeconds } = fold(ops(timed))!;
      assert.match(bucketSeconds.toExponential(), /^[12]e[-+]\d+$/);
      assert.ok(bucketSeconds >= 0.01);
    }),
  );
  assert.equal(fold(ops([{ call: 0, latency: 1, outcome: "ok", f: "read" }, { call: 59e9, latency: 1, outcome: "ok", f: "read" }]))!.bucketSeconds, 1);
});

test("times like 1e20 and spans of 1e27 ns stay within the bucket bound", () => {
  const operations = ops([
    { call: 1e20, latency: 5e6, outcome: "ok", f: "read" },
    { call: 1e20 + 1e27, latency: 5e6, outcome: "ok", f: "read" },
    { call: 1e20 + 3e26, latency: undefined, outcome: "ok", f: "write" },
  ]);
  const series = fold(operations)!;
  assert.ok(series.buckets.length <= MAX_BUCKETS, `${series.buckets.length} buckets`);
  assert.equal(series.buckets.reduce((n, b) => n + Object.values(b.invoked).reduce((m, c) => m + c.total, 0), 0), 3);
  assert.ok(series.buckets.at(-1)!.t > 9e17 && series.buckets.at(-1)!.t < 1.1e18, "seconds since the first invocation");
});

test("the stats checker and its section handle a history timed at 1e20 ns with a 1e27 ns span", () => {
  const history = historyOf([
    { type: "invoke", f: "read", process: 0, time: 1e20 },
    { type: "ok", f: "read", process: 0, time: 1e20 + 2e6 },
    { type: "invoke", f: "read", process: 1, time: 1e27 },
    { type: "ok", f: "read", process: 1, time: 1e27 + 3e6 },
  ]);
  const result = checkStats(history);
  assert.ok(result.evidence.timeSeries!.buckets.length <= MAX_BUCKETS);
  const section = statsSection(result, history);
  assert.deepEqual(section.blocks.filter((b) => b.kind === "chart").map((b) => (b.kind === "chart" ? b.chart.id : "")), ["stats-latency", "stats-latency-quantiles", "stats-throughput", "stats-availability"]);
});

test("operations without a finite invocation time are not bucketed", () => {
  assert.equal(fold(ops([{ call: Number.POSITIVE_INFINITY, latency: 1, outcome: "ok", f: "read" }])), undefined);
  assert.equal(fold(historyOf([{ type: "invoke", f: "read", process: 0 }, { type: "ok", f: "read", process: 0 }]).operations), undefined);
});
