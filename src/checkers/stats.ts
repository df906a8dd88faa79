import { max, min, quantileSorted } from "d3-array";
import type { History } from "../history/history.ts";
import { isClientProcess, type Operation } from "../history/op.ts";
import type { CheckerDefinition, CheckerResult } from "./checker.ts";

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

export interface FunctionStats {
  ok: number;
  fail: number;
  info: number;
  total: number;
  /** ok / total. */
  availability: number;
  /** Milliseconds; absent when the history has no times. */
  latencyMs?: LatencySummary;
}

export interface StatsFigures {
  operations: number;
  clientOperations: number;
  nemesisOperations: number;
  byF: Record<string, FunctionStats>;
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
}

/** Error runs shorter than this are noise, not a partition's signature. */
const MIN_ERROR_RUN = 3;
const MAX_ERROR_RUNS_KEPT = 50;

const FAULT_START = /^(start|partition|isolate|kill|crash|pause|split|bridge|cut|skew|bump|strobe|clock-(?!reset))/i;
const FAULT_END = /^(stop|heal|restart|resume|recover|reset|unpause|start-node|clock-reset)/i;

export const statsChecker: CheckerDefinition = {
  name: "stats",
  description: "counts, availability, latency quantiles, throughput and fault windows",
  appliesBecause: () => "always: every history has counts, availability and latency",
  check: checkStats,
};

export function checkStats(history: History): CheckerResult<StatsEvidence, StatsFigures> {
  const client = history.operations.filter((o) => isClientProcess(o.process));
  const nemesis = history.operations.filter((o) => !isClientProcess(o.process));
  const byF: Record<string, FunctionStats> = {};
  for (const o of client) {
    const s = (byF[o.f] ??= { ok: 0, fail: 0, info: 0, total: 0, availability: 0 });
    s[o.outcome]++;
    s.total++;
  }
  const hasTimes = client.some((o) => o.callTime !== undefined && o.retTime !== undefined);
  for (const [f, s] of Object.entries(byF)) {
    s.availability = s.ok / s.total;
    if (hasTimes) s.latencyMs = latencies(client.filter((o) => o.f === f));
  }
  const ok = client.filter((o) => o.outcome === "ok").length;
  const faultWindows = nemesisWindows(nemesis, history);
  const errorRuns = findErrorRuns(client);
  const stats: StatsFigures = {
    operations: history.operations.length,
    clientOperations: client.length,
    nemesisOperations: nemesis.length,
    byF,
    availability: client.length ? ok / client.length : 0,
    faultWindows: faultWindows.length,
    errorRuns: errorRuns.length,
  };
  if (hasTimes) {
    stats.latencyMs = latencies(client);
    const span = ((max(client, (o) => o.retTime ?? o.callTime) ?? 0) - (min(client, (o) => o.callTime) ?? 0)) / 1e9;
    stats.durationSeconds = span;
    const completed = client.filter((o) => o.retTime !== undefined).length;
    if (span > 0) stats.throughputPerSecond = completed / span;
  }
  if (faultWindows.length > 0) {
    const inside = client.filter((o) => faultWindows.some((w) => o.call >= w.startIndex && o.call <= w.endIndex));
    const outside = client.filter((o) => !faultWindows.some((w) => o.call >= w.startIndex && o.call <= w.endIndex));
    if (inside.length) stats.availabilityDuringFaults = inside.filter((o) => o.outcome === "ok").length / inside.length;
    if (outside.length) stats.availabilityOutsideFaults = outside.filter((o) => o.outcome === "ok").length / outside.length;
  }
  const completed = client.some((o) => o.completeIndex !== undefined);
  return {
    checker: "stats",
    valid: completed ? true : "unknown",
    summary: completed ? summarize(stats) : `none of the ${client.length} client operations completed: nothing to measure`,
    evidence: { faultWindows, errorRuns: errorRuns.slice(0, MAX_ERROR_RUNS_KEPT) },
    stats,
  };
}

function latencies(ops: Operation[]): LatencySummary | undefined {
  const ms = ops
    .filter((o) => o.callTime !== undefined && o.retTime !== undefined)
    .map((o) => (o.retTime! - o.callTime!) / 1e6)
    .sort((a, b) => a - b);
  if (ms.length === 0) return undefined;
  return {
    count: ms.length,
    p50: quantileSorted(ms, 0.5)!,
    p95: quantileSorted(ms, 0.95)!,
    p99: quantileSorted(ms, 0.99)!,
    max: ms[ms.length - 1]!,
  };
}

/** Pairs each fault-starting nemesis op with the next fault-ending one; an unclosed fault runs to the end. */
function nemesisWindows(nemesis: Operation[], history: History): FaultWindow[] {
  const windows: FaultWindow[] = [];
  let open: Operation | undefined;
  const lastIndex = max(history.operations, (o) => o.completeIndex ?? o.invokeIndex) ?? 0;
  const lastTime = max(history.operations, (o) => o.retTime ?? o.callTime);
  const close = (end: Operation | undefined): void => {
    if (!open) return;
    windows.push({
      source: "nemesis",
      label: String(open.f),
      startIndex: open.completeIndex ?? open.invokeIndex,
      endIndex: end ? (end.completeIndex ?? end.invokeIndex) : lastIndex,
      startTime: open.retTime ?? open.callTime,
      endTime: end ? (end.retTime ?? end.callTime) : lastTime,
      operationIds: end ? [open.id, end.id] : [open.id],
    });
    open = undefined;
  };
  for (const o of nemesis) {
    if (FAULT_END.test(o.f)) close(o);
    else if (FAULT_START.test(o.f) && !open) open = o;
  }
  close(undefined);
  return windows;
}

/** Maximal runs of fail/info completions among client ops, in completion order. */
function findErrorRuns(client: Operation[]): FaultWindow[] {
  const completed = client.filter((o) => o.completeIndex !== undefined).sort((a, b) => a.completeIndex! - b.completeIndex!);
  const runs: FaultWindow[] = [];
  let start = -1;
  const flush = (end: number): void => {
    const length = end - start;
    if (start >= 0 && length >= MIN_ERROR_RUN) {
      const first = completed[start]!;
      const last = completed[end - 1]!;
      runs.push({
        source: "error-run",
        label: `${length} consecutive fail/info`,
        startIndex: first.completeIndex!,
        endIndex: last.completeIndex!,
        startTime: first.retTime,
        endTime: last.retTime,
        length,
        operationIds: [first.id, last.id],
      });
    }
    start = -1;
  };
  completed.forEach((o, i) => {
    if (o.outcome === "ok") flush(i);
    else if (start < 0) start = i;
  });
  flush(completed.length);
  return runs.sort((a, b) => b.length! - a.length! || a.startIndex - b.startIndex);
}

function percent(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 && x > 0 ? 2 : 1)}%`;
}

function summarize(s: StatsFigures): string {
  const parts = [`${s.clientOperations} client operations, ${percent(s.availability)} ok`];
  const fs = Object.entries(s.byF);
  if (fs.length > 1) parts[0] += ` (${fs.map(([f, x]) => `${f} ${percent(x.availability)}`).join(", ")})`;
  if (s.latencyMs) parts.push(`latency p50 ${s.latencyMs.p50.toFixed(1)} ms, p99 ${s.latencyMs.p99.toFixed(1)} ms`);
  if (s.faultWindows > 0) {
    let faults = `${s.faultWindows} fault window${s.faultWindows > 1 ? "s" : ""}`;
    if (s.availabilityDuringFaults !== undefined && s.availabilityOutsideFaults !== undefined) {
      faults += ` (${percent(s.availabilityDuringFaults)} ok during, ${percent(s.availabilityOutsideFaults)} outside)`;
    }
    parts.push(faults);
  }
  if (s.errorRuns > 0) parts.push(`${s.errorRuns} run${s.errorRuns > 1 ? "s" : ""} of ${MIN_ERROR_RUN}+ consecutive errors`);
  return parts.join("; ") + ".";
}
