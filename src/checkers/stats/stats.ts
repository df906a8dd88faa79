import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation } from "../../history/op.ts";
import { formatPercent, plural } from "../../history/values.ts";
import type { CheckerResult, NamedResult, OperationFold } from "../checker.ts";
import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";
import { foldHistory } from "../fold.ts";
import { quantileOfSorted, TimeSeriesFold, type TimeSeries } from "./time-series.ts";

/** A span of the history during which faults were active or clients saw only errors. */
export interface FaultWindow {
  source: "nemesis" | "error-run";
  /** What happened: the nemesis f (e.g. "start-partition") or "N consecutive fail/info". */
  label: string;
  /** History positions of the first and last op of the window. */
  startIndex: number;
  endIndex: number;
  /** Nanoseconds, when the history has times. */
  startTime: number | undefined;
  endTime: number | undefined;
  /** For error runs: how many consecutive non-ok completions. */
  length?: number;
  /** The operations that opened and closed it. */
  operationIds: number[];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface OutcomeCounts {
  ok: number;
  fail: number;
  info: number;
  total: number;
  /** ok / total. */
  availability: number;
}

export interface FunctionStats extends OutcomeCounts {
  /** Milliseconds; absent when the history has no times. */
  latencyMs?: LatencySummary;
}

export interface StatsFigures {
  operations: number;
  clientOperations: number;
  nemesisOperations: number;
  byF: Record<string, FunctionStats>;
  /** Per node the client ops were sent to (the `node` field the harness wrote); absent when no op names one. */
  byNode?: Record<string, OutcomeCounts>;
  availability: number;
  latencyMs?: LatencySummary;
  /** Completed client operations per second over the span of the history. */
  throughputPerSecond?: number;
  durationSeconds?: number;
  faultWindows: number;
  errorRuns: number;
  /** ok fraction of client ops invoked inside nemesis fault windows, and outside them. */
  availabilityDuringFaults?: number;
  availabilityOutsideFaults?: number;
}

export interface StatsEvidence {
  faultWindows: FaultWindow[];
  errorRuns: FaultWindow[];
  /** Client operations in buckets of invocation time, for the charts; absent without times. */
  timeSeries?: TimeSeries;
}

/** Error runs shorter than this are noise, not a partition's signature. */
const MIN_ERROR_RUN = 3;
const MAX_ERROR_RUNS_KEPT = 50;

const FAULT_START = /^(start|partition|isolate|kill|crash|pause|split|bridge|cut|skew|bump|strobe|clock-(?!reset))/i;
const FAULT_END = /^(stop|heal|restart|resume|recover|reset|unpause|start-node|clock-reset)/i;

export type StatsResult = NamedResult<"stats", StatsEvidence, StatsFigures>;

/** The stats checker's result among a verdict's (the batch index shows its figures). */
export function isStatsResult(result: CheckerResult): result is StatsResult {
  return result.checker === "stats" && !("failed" in result);
}

export function checkStats(history: History, options: DeadlineOptions = {}): StatsResult {
  return foldHistory(new StatsFold(options), history);
}

/**
 * Stats in one pass over operations in completion order, holding only counts, latencies and
 * windows: a 10M-op history never needs to be in memory for it.
 */
export class StatsFold implements OperationFold<StatsResult> {
  private readonly byF = new Map<string, { ok: number; fail: number; info: number; latencies: number[] }>();
  private readonly byNode = new Map<string, { ok: number; fail: number; info: number }>();
  private client = 0;
  private nemesis = 0;
  private ok = 0;
  private completed = 0;
  private firstCall = Infinity;
  private lastTime = -Infinity;
  private lastIndex = 0;
  private readonly windows: FaultWindow[] = [];
  private openWindow: Operation | undefined;
  private readonly runs: FaultWindow[] = [];
  private run: { first: Operation; last: Operation; length: number } | undefined;
  private inside = { ok: 0, all: 0 };
  private outside = { ok: 0, all: 0 };
  private readonly series = new TimeSeriesFold();
  private readonly watch: DeadlineWatch;

  constructor(options: DeadlineOptions = {}) {
    this.watch = new DeadlineWatch(options.deadline, "computing the stats", "operation");
  }

  add(o: Operation): void {
    this.watch.tick();
    this.lastIndex = Math.max(this.lastIndex, o.completeIndex ?? o.invokeIndex);
    const time = o.retTime ?? o.callTime;
    if (time !== undefined && time > this.lastTime) this.lastTime = time;
    if (!isClientProcess(o.process)) return this.addNemesis(o);
    this.client++;
    this.series.add(o);
    let f = this.byF.get(o.f);
    if (!f) this.byF.set(o.f, (f = { ok: 0, fail: 0, info: 0, latencies: [] }));
    f[o.outcome]++;
    const node = o.invoke.node;
    if (typeof node === "string") {
      let n = this.byNode.get(node);
      if (!n) this.byNode.set(node, (n = { ok: 0, fail: 0, info: 0 }));
      n[o.outcome]++;
    }
    if (o.outcome === "ok") this.ok++;
    if (o.callTime !== undefined && o.callTime < this.firstCall) this.firstCall = o.callTime;
    if (o.callTime !== undefined && o.retTime !== undefined) f.latencies.push((o.retTime - o.callTime) / 1e6);
    if (o.completeIndex !== undefined) {
      this.completed++;
      this.trackErrorRun(o);
    }
    const tally = this.inFaultWindow(o.call) ? this.inside : this.outside;
    tally.all++;
    if (o.outcome === "ok") tally.ok++;
  }

  private addNemesis(o: Operation): void {
    this.nemesis++;
    if (FAULT_END.test(o.f)) this.closeWindow(o);
    else if (FAULT_START.test(o.f) && !this.openWindow) this.openWindow = o;
  }

  private closeWindow(end: Operation | undefined): void {
    const open = this.openWindow;
    if (!open) return;
    this.windows.push({
      source: "nemesis",
      label: String(open.f),
      startIndex: open.completeIndex ?? open.invokeIndex,
      endIndex: end ? (end.completeIndex ?? end.invokeIndex) : this.lastIndex,
      startTime: open.retTime ?? open.callTime,
      endTime: end ? (end.retTime ?? end.callTime) : Number.isFinite(this.lastTime) ? this.lastTime : undefined,
      operationIds: end ? [open.id, end.id] : [open.id],
    });
    this.openWindow = undefined;
  }

  /** Windows that began before `call` are all known by the time an op invoked at `call` completes. */
  private inFaultWindow(call: number): boolean {
    const open = this.openWindow;
    if (open && call >= (open.completeIndex ?? open.invokeIndex)) return true;
    for (let i = this.windows.length - 1; i >= 0; i--) {
      const w = this.windows[i]!;
      if (call >= w.startIndex && call <= w.endIndex) return true;
      if (w.endIndex < call) break;
    }
    return false;
  }

  /** Maximal runs of fail/info completions among client ops, in completion order. */
  private trackErrorRun(o: Operation): void {
    if (o.outcome !== "ok") {
      if (this.run) {
        this.run.last = o;
        this.run.length++;
      } else this.run = { first: o, last: o, length: 1 };
      return;
    }
    this.endErrorRun();
  }

  private endErrorRun(): void {
    const run = this.run;
    this.run = undefined;
    if (!run || run.length < MIN_ERROR_RUN) return;
    this.runs.push({
      source: "error-run",
      label: `${run.length} consecutive fail/info`,
      startIndex: run.first.completeIndex!,
      endIndex: run.last.completeIndex!,
      startTime: run.first.retTime,
      endTime: run.last.retTime,
      length: run.length,
      operationIds: [run.first.id, run.last.id],
    });
  }

  finish(): StatsResult {
    this.endErrorRun();
    this.closeWindow(undefined);
    const byF: Record<string, FunctionStats> = {};
    const all: number[] = [];
    for (const [f, s] of this.byF) {
      const total = s.ok + s.fail + s.info;
      byF[f] = { ok: s.ok, fail: s.fail, info: s.info, total, availability: s.ok / total };
      const latency = latencySummary(s.latencies);
      if (latency) byF[f].latencyMs = latency;
      for (const l of s.latencies) all.push(l);
    }
    const stats: StatsFigures = {
      operations: this.client + this.nemesis,
      clientOperations: this.client,
      nemesisOperations: this.nemesis,
      byF,
      availability: this.client ? this.ok / this.client : 0,
      faultWindows: this.windows.length,
      errorRuns: this.runs.length,
    };
    if (this.byNode.size > 0) {
      const nodes = [...this.byNode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      stats.byNode = Object.fromEntries(nodes.map(([node, n]) => [node, { ...n, total: n.ok + n.fail + n.info, availability: n.ok / (n.ok + n.fail + n.info) }]));
    }
    const latency = latencySummary(all);
    if (latency) {
      stats.latencyMs = latency;
      const span = (this.lastTime - this.firstCall) / 1e9;
      stats.durationSeconds = span;
      if (span > 0) stats.throughputPerSecond = this.completed / span;
    }
    if (this.windows.length > 0) {
      if (this.inside.all) stats.availabilityDuringFaults = this.inside.ok / this.inside.all;
      if (this.outside.all) stats.availabilityOutsideFaults = this.outside.ok / this.outside.all;
    }
    const runs = this.runs.sort((a, b) => b.length! - a.length! || a.startIndex - b.startIndex);
    const evidence: StatsEvidence = { faultWindows: this.windows, errorRuns: runs.slice(0, MAX_ERROR_RUNS_KEPT) };
    const series = this.series.finish();
    if (series) evidence.timeSeries = series;
    return {
      checker: "stats",
      valid: this.completed > 0 ? true : "unknown",
      summary: this.completed > 0 ? summarize(stats) : `none of the ${this.client} client operations completed: nothing to measure`,
      evidence,
      stats,
    };
  }
}

function latencySummary(latencies: number[]): LatencySummary | undefined {
  if (latencies.length === 0) return undefined;
  // A typed array sorts numerically and fast.
  const ms = Float64Array.from(latencies).sort();
  const q = (p: number): number => quantileOfSorted(ms, p);
  return { count: ms.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: ms[ms.length - 1]! };
}


function summarize(s: StatsFigures): string {
  const parts = [`${s.clientOperations} client operations, ${formatPercent(s.availability)} ok`];
  const fs = Object.entries(s.byF);
  if (fs.length > 1) parts[0] += ` (${fs.map(([f, x]) => `${f} ${formatPercent(x.availability)}`).join(", ")})`;
  if (s.latencyMs) parts.push(`latency p50 ${s.latencyMs.p50.toFixed(1)} ms, p99 ${s.latencyMs.p99.toFixed(1)} ms`);
  if (s.faultWindows > 0) {
    let faults = plural(s.faultWindows, "fault window");
    if (s.availabilityDuringFaults !== undefined && s.availabilityOutsideFaults !== undefined) {
      faults += ` (${formatPercent(s.availabilityDuringFaults)} ok during, ${formatPercent(s.availabilityOutsideFaults)} outside)`;
    }
    parts.push(faults);
  }
  if (s.errorRuns > 0) parts.push(`${plural(s.errorRuns, "run")} of ${MIN_ERROR_RUN}+ consecutive errors`);
  return parts.join("; ") + ".";
}
