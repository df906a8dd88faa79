import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkStats } from "../../../src/checkers/stats/stats.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { historyOf } from "../../support/helpers.ts";
import { statsChecker } from "../../../src/checkers/stats/checker.ts";
import { guardedCheck } from "../../../src/checkers/guard.ts";
import { manualDeadline, pastDeadline } from "../../support/deadline.ts";

const ms = 1_000_000;

/** One client op: invoke at `at` ms, complete `latency` ms later. */
function op(process: number, f: string, outcome: "ok" | "fail" | "info", at: number, latency: number): RawOp[] {
  return [
    { type: "invoke", f, process, time: at * ms },
    { type: outcome, f, process, time: (at + latency) * ms },
  ];
}

describe("stats checker", () => {
  it("counts by f and outcome, with availability and latency quantiles", () => {
    const h = historyOf([...op(0, "read", "ok", 0, 10), ...op(0, "read", "ok", 20, 20), ...op(0, "write", "fail", 50, 30), ...op(0, "read", "ok", 100, 40), ...op(0, "write", "ok", 150, 50)]);
    const r = checkStats(h);
    assert.equal(r.valid, true);
    assert.deepEqual(r.stats.byF.read, { ok: 3, fail: 0, info: 0, total: 3, availability: 1, latencyMs: { count: 3, p50: 20, p95: 38, p99: 39.6, max: 40 } });
    assert.equal(r.stats.byF.write!.availability, 0.5);
    assert.equal(r.stats.availability, 0.8);
    assert.equal(r.stats.latencyMs!.p50, 30);
    assert.equal(r.stats.durationSeconds, 0.2);
    assert.equal(r.stats.throughputPerSecond, 25);
  });

  it("finds nemesis fault windows and compares availability inside and outside them", () => {
    const h = historyOf([
      ...op(0, "read", "ok", 0, 1),
      { type: "invoke", f: "start-partition", process: "nemesis", time: 10 * ms },
      { type: "info", f: "start-partition", process: "nemesis", time: 11 * ms },
      ...op(0, "read", "fail", 20, 1),
      ...op(0, "read", "ok", 30, 1),
      { type: "invoke", f: "stop-partition", process: "nemesis", time: 40 * ms },
      { type: "info", f: "stop-partition", process: "nemesis", time: 41 * ms },
      ...op(0, "read", "ok", 50, 1),
    ]);
    const r = checkStats(h);
    assert.equal(r.evidence.faultWindows.length, 1);
    const w = r.evidence.faultWindows[0]!;
    assert.deepEqual([w.label, w.startIndex, w.endIndex, w.startTime, w.endTime], ["start-partition", 3, 9, 11 * ms, 41 * ms]);
    assert.equal(r.stats.availabilityDuringFaults, 0.5);
    assert.equal(r.stats.availabilityOutsideFaults, 1);
  });

  it("finds maximal runs of three or more fail/info completions", () => {
    const outcomes = ["ok", "fail", "info", "fail", "fail", "ok", "fail", "fail", "ok"] as const;
    const records = outcomes.flatMap((o, i) => op(i, "write", o, i * 10, 1));
    const r = checkStats(historyOf(records));
    assert.equal(r.evidence.errorRuns.length, 1);
    assert.equal(r.evidence.errorRuns[0]!.length, 4);
    assert.equal(r.evidence.errorRuns[0]!.startIndex, 3);
  });

  it("says unknown when no operation completed", () => {
    const r = checkStats(historyOf([{ type: "invoke", f: "read", process: 0 }, { type: "invoke", f: "read", process: 1 }]));
    assert.equal(r.valid, "unknown");
    assert.match(r.summary, /none of the 2 client operations completed/);
  });

  it("works without times", () => {
    const r = checkStats(historyOf([{ type: "invoke", f: "read", process: 0 }, { type: "ok", f: "read", process: 0, value: 1 }]));
    assert.equal(r.valid, true);
    assert.equal(r.stats.latencyMs, undefined);
  });
});

describe("stats per node", () => {
  it("counts each client op's outcome under the node it was sent to, and leaves byNode out when no op names one", () => {
    const op = (process: number, node: string, type: "ok" | "fail" | "info"): RawOp[] => [
      { type: "invoke", f: "read", process, node },
      { type, f: "read", process, node },
    ];
    const history = historyOf([...op(0, "n2", "ok"), ...op(1, "n1", "fail"), ...op(0, "n1", "ok"), ...op(2, "n2", "info"), { type: "invoke", f: "kill", process: "nemesis", node: "n1" }]);
    assert.deepEqual(checkStats(history).stats.byNode, {
      n1: { ok: 1, fail: 1, info: 0, total: 2, availability: 0.5 },
      n2: { ok: 1, fail: 0, info: 1, total: 2, availability: 0.5 },
    });
    assert.equal(checkStats(historyOf(op(0, "n1", "ok").map(({ node: _, ...r }) => r))).stats.byNode, undefined);
  });
});

describe("stats under --time-limit", () => {
  const long = historyOf(Array.from({ length: 5000 }, (_, i) => op(i % 4, "read", "ok", i, 1)).flat());

  it("stops at the deadline, read every 4096 operations: unknown, with the reason", () => {
    const result = guardedCheck("stats", () => statsChecker.configure({}, { timeLimitMs: 200, deadline: pastDeadline() }).check(long));
    assert.equal(result.valid, "unknown");
    assert.equal(result.summary, "the --time-limit of 0.2 s was reached while computing the stats, after 4096 operations");
  });

  it("measures as without a limit while the deadline is ahead", () => {
    const { deadline } = manualDeadline();
    assert.deepEqual(statsChecker.configure({}, { timeLimitMs: 200, deadline }).check(long), checkStats(long));
  });
});
