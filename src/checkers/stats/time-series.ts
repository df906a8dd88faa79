import type { Operation } from "../../history/op.ts";

/** Most buckets a series holds: past it, buckets widen, so memory never follows the time span. */
export const MAX_BUCKETS = 120;
/** The narrowest bucket: 10 ms, in nanoseconds. */
const FIRST_WIDTH_NS = 1e7;

/** What the charts draw for one bucket of invocation time. */
export interface TimeBucket {
  /** The bucket's middle, in seconds since the first invocation. */
  t: number;
  /** Latency quantiles (ms) of the operations invoked in the bucket that completed. */
  latencyMs?: { p50: number; p95: number; p99: number; max: number };
  /** Completed operations per "f outcome" series (the throughput chart). */
  completed: Record<string, number>;
  /** Per f, the operations invoked and how many of them ended ok (the availability chart). */
  invoked: Record<string, { ok: number; total: number }>;
}

/** Client operations by invocation time, in round buckets (10 ms, 20 ms, 100 ms, 200 ms, 1 s, …). */
export interface TimeSeries {
  /** Time of the first invocation (ns): the charts' zero. */
  startTime: number;
  bucketSeconds: number;
  /** Every bucket from the first invocation's to the last's, empty ones included. */
  buckets: TimeBucket[];
}

interface Bucket {
  latencies: number[];
  completed: Map<string, number>;
  invoked: Map<string, { ok: number; total: number }>;
}

/**
 * Buckets of client operations by invocation time, at most MAX_BUCKETS of them: when an
 * operation falls outside, buckets merge into wider ones (×2 or ×5, so widths stay round).
 * Operations may come in any order (a stream delivers them by completion).
 */
export class TimeSeriesFold {
  private width = FIRST_WIDTH_NS;
  private widenings = 0;
  private readonly buckets = new Map<number, Bucket>();
  private low = Infinity;
  private high = -Infinity;
  private start = Infinity;

  add(o: Operation): void {
    const call = o.callTime;
    if (call === undefined || !Number.isFinite(call)) return;
    if (call < this.start) this.start = call;
    let index = Math.floor(call / this.width);
    while (Math.max(this.high, index) - Math.min(this.low, index) >= MAX_BUCKETS) {
      this.widen();
      index = Math.floor(call / this.width);
    }
    this.low = Math.min(this.low, index);
    this.high = Math.max(this.high, index);
    const bucket = this.bucket(index);
    const invoked = bucket.invoked.get(o.f) ?? { ok: 0, total: 0 };
    invoked.total++;
    if (o.outcome === "ok") invoked.ok++;
    bucket.invoked.set(o.f, invoked);
    if (o.retTime === undefined || !Number.isFinite(o.retTime)) return;
    bucket.latencies.push((o.retTime - call) / 1e6);
    const series = `${o.f} ${o.outcome}`;
    bucket.completed.set(series, (bucket.completed.get(series) ?? 0) + 1);
  }

  finish(): TimeSeries | undefined {
    if (this.buckets.size === 0) return undefined;
    const seconds = this.width / 1e9;
    const buckets: TimeBucket[] = [];
    for (let i = this.low; i <= this.high; i++) {
      const b = this.buckets.get(i);
      const bucket: TimeBucket = { t: ((i + 0.5) * this.width - this.start) / 1e9, completed: {}, invoked: {} };
      if (b) {
        if (b.latencies.length > 0) bucket.latencyMs = quantiles(b.latencies);
        bucket.completed = Object.fromEntries([...b.completed].sort(([x], [y]) => (x < y ? -1 : 1)));
        bucket.invoked = Object.fromEntries([...b.invoked].sort(([x], [y]) => (x < y ? -1 : 1)));
      }
      buckets.push(bucket);
    }
    return { startTime: this.start, bucketSeconds: seconds, buckets };
  }

  private bucket(index: number): Bucket {
    let bucket = this.buckets.get(index);
    if (!bucket) this.buckets.set(index, (bucket = { latencies: [], completed: new Map(), invoked: new Map() }));
    return bucket;
  }

  /** 1 → 2 → 10 → 20 → 100 …: each step merges every 2 or 5 neighbouring buckets into one. */
  private widen(): void {
    const factor = this.widenings++ % 2 === 0 ? 2 : 5;
    this.width *= factor;
    const old = [...this.buckets];
    this.buckets.clear();
    for (const [index, b] of old) {
      const into = this.bucket(Math.floor(index / factor));
      for (const l of b.latencies) into.latencies.push(l);
      for (const [s, n] of b.completed) into.completed.set(s, (into.completed.get(s) ?? 0) + n);
      for (const [f, c] of b.invoked) {
        const sum = into.invoked.get(f) ?? { ok: 0, total: 0 };
        into.invoked.set(f, { ok: sum.ok + c.ok, total: sum.total + c.total });
      }
    }
    if (Number.isFinite(this.low)) {
      this.low = Math.floor(this.low / factor);
      this.high = Math.floor(this.high / factor);
    }
  }
}

function quantiles(latencies: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = Float64Array.from(latencies).sort();
  return { p50: quantileOfSorted(sorted, 0.5), p95: quantileOfSorted(sorted, 0.95), p99: quantileOfSorted(sorted, 0.99), max: sorted[sorted.length - 1]! };
}

/** d3's quantileSorted (R-7: linear between closest ranks) over a typed array, which d3's types do not admit. */
export function quantileOfSorted(sorted: Float64Array, p: number): number {
  if (p <= 0 || sorted.length < 2) return sorted[0]!;
  if (p >= 1) return sorted[sorted.length - 1]!;
  const i = (sorted.length - 1) * p;
  const below = Math.floor(i);
  return sorted[below]! + (sorted[below + 1]! - sorted[below]!) * (i - below);
}
