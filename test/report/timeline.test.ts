import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { buildReport } from "../../src/report/build.ts";
import { MAX_COLUMNS, STATIC_TIMELINE_OPS, timelineChart } from "../../src/report/timeline.ts";
import type { RawOp } from "../../src/history/op.ts";
import { historyOf } from "../support/helpers.ts";
import { findingAt, timedHistory, verdictOf } from "../support/report-fixtures.ts";

function boxes(svg: string): { id: number; classes: string; y: number; height: number; x: number }[] {
  return [...svg.matchAll(/<rect class="(tl-op[^"]*)" data-id="(\d+)" x="([\d.]+)" y="([\d.]+)" width="\d+" height="([\d.]+)">/g)].map((m) => ({
    classes: m[1]!,
    id: Number(m[2]),
    x: Number(m[3]),
    y: Number(m[4]),
    height: Number(m[5]),
  }));
}

test("a box per operation, from invocation to completion in ms, in its process's column, the nemesis first", () => {
  const history = historyOf([
    { type: "invoke", f: "write", value: 1, process: 0, time: 0 },
    { type: "invoke", f: "read", value: null, process: 1, time: 1_000_000 },
    { type: "ok", f: "write", value: 1, process: 0, time: 4_000_000 },
    { type: "fail", f: "read", value: null, process: 1, time: 6_000_000 },
    { type: "invoke", f: "start-partition", process: "nemesis", time: 6_500_000 },
    { type: "invoke", f: "cas", value: [1, 2], process: 0, time: 7_000_000 },
  ]);
  const drawn = timelineChart(history, [])!;
  assert.equal(drawn.layout.unit, "ms");
  assert.deepEqual(drawn.layout.lanes, [["nemesis"], [0], [1]]);
  assert.equal(drawn.layout.range, 7);
  assert.equal(drawn.layout.focusRange, undefined);
  assert.deepEqual(
    boxes(drawn.chart.svg).map(({ id, classes, x, y, height }) => [id, classes, x, y, height]),
    [
      [0, "tl-op tl-ok", 26, 0, 4],
      [1, "tl-op tl-fail", 52, 1, 5],
      [2, "tl-op tl-open", 0, 6.5, 0.5],
      [3, "tl-op tl-open", 26, 7, 0.013],
    ],
  );
  assert.match(drawn.chart.svg, /<title>op 1 · process p1 · read null\n→ fail null\nhistory index 1–3\nat 1.000 ms, took 5.000 ms<\/title>/);
});

test("without times the vertical axis is the history position", () => {
  const history = historyOf([
    { type: "invoke", f: "write", value: 1, process: 0 },
    { type: "ok", f: "write", value: 1, process: 0 },
  ]);
  const drawn = timelineChart(history, [])!;
  assert.equal(drawn.layout.unit, "position");
  assert.match(drawn.chart.caption, /history position/);
  assert.deepEqual(boxes(drawn.chart.svg).map((b) => [b.y, b.height]), [[0, 1]]);
});

test("a long history is windowed around the first evidence operation, and the caption says so", () => {
  const history = timedHistory(25);
  const around = (ids: number[]) => timelineChart(history, ids.length ? [{ checker: "lin", ids }] : [], [], 10)!.layout;
  assert.deepEqual([around([20]).first, around([20]).last], [15, 24]);
  assert.deepEqual([around([12, 3]).first, around([12, 3]).last], [0, 9]);
  assert.deepEqual([around([]).first, around([]).last], [0, 9]);
  const drawn = timelineChart(history, [{ checker: "lin", ids: [12] }], [], 10)!;
  assert.equal(boxes(drawn.chart.svg).length, 10);
  assert.match(drawn.chart.caption, /^Windowed: operations 7–16 of 25 drawn/);
});

test("the timeline opens at the evidence: focus boxes outlined, focus range covering them", () => {
  const history = timedHistory(60);
  const doc = buildReport(verdictOf(history, [findingAt([30, 31])]), history);
  const chart = doc.sections.find((s) => s.id === "timeline")!.blocks.find((b) => b.kind === "chart")!;
  assert.equal(chart.kind, "chart");
  if (chart.kind !== "chart") return;
  const focused = boxes(chart.chart.svg).filter((b) => b.classes.includes("tl-focus"));
  assert.deepEqual(focused.map((b) => b.id), [30, 31]);
  const [from, to] = chart.chart.html.match(/data-focus="([\d.]+),([\d.]+)"/)!.slice(1).map(Number);
  for (const b of focused) assert.ok(from! <= b.y && b.y + b.height <= to!, `box ${b.id} at ${b.y} in [${from}, ${to}]`);
  assert.ok(to! - from! < 40, `the focus range [${from}, ${to}] is a zoom into the 61 ms drawn`);
  assert.match(chart.chart.caption, /Blue outlines: evidence of linearizable/);
});

test("many short-lived processes are packed into lanes whose processes never overlap", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 30 })), { minLength: MAX_COLUMNS + 1, maxLength: 120 }), (spans) => {
      // Process i runs one op from start to start+length (ms); all distinct processes, so more than MAX_COLUMNS.
      const events = spans.flatMap(([start, length], i) => [
        { at: start * 1e6, order: 1, record: { type: "invoke", f: "read", value: null, process: i, time: start * 1e6 } as RawOp },
        { at: (start + length) * 1e6, order: 0, record: { type: "ok", f: "read", value: null, process: i, time: (start + length) * 1e6 } as RawOp },
      ]);
      events.sort((a, b) => a.at - b.at || a.order - b.order);
      const history = historyOf(events.map((e) => e.record));
      const { layout } = timelineChart(history, [])!;
      assert.equal(layout.packed, true);
      assert.equal(layout.lanes.flat().length, spans.length);
      for (const lane of layout.lanes) {
        const lifetimes = lane.map((p) => spans[p as number]!).sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < lifetimes.length; i++) assert.ok(lifetimes[i - 1]![0] + lifetimes[i - 1]![1] <= lifetimes[i]![0]);
      }
    }),
    { numRuns: 40 },
  );
});

test("a streamed history's sample is drawn by position, and the caption says it is a sample", () => {
  const full = timedHistory(30);
  const sampled = { ...full, operations: full.operations.filter((o) => o.id % 3 === 0), sampledFrom: 30 };
  const drawn = timelineChart(sampled, [{ checker: "lin", ids: [27] }], [], 4)!;
  assert.deepEqual([drawn.layout.first, drawn.layout.last], [6, 9]);
  assert.deepEqual(boxes(drawn.chart.svg).map((b) => b.id), [18, 21, 24, 27]);
  assert.match(drawn.chart.caption, /^Streamed history: the boxes are an evenly spaced sample of 10 of 30 operations/);
});

test("a client that crashed comes back on its thread's lane: lanes are process mod concurrency, the nemesis first", () => {
  // Three threads; process 1 ends in info and returns as 4 (1 + 3), which then crashes and returns as 7.
  const op = (process: number, start: number, type: "ok" | "info"): RawOp[] => [
    { type: "invoke", f: "read", value: null, process, time: start * 1e6 },
    { type, f: "read", value: null, process, time: (start + 2) * 1e6 },
  ];
  const records: RawOp[] = [{ type: "invoke", f: "kill", process: "nemesis", time: 0 }, ...op(0, 1, "ok"), ...op(1, 1, "info"), ...op(2, 1, "ok"), ...op(4, 4, "info"), ...op(0, 4, "ok"), ...op(7, 7, "ok"), ...op(2, 7, "ok")];
  const history = historyOf(records.sort((a, b) => Number(a.time) - Number(b.time)));
  const { layout, chart } = timelineChart(history, [])!;
  assert.equal(layout.slots, 3);
  assert.deepEqual(layout.lanes, [["nemesis"], [0], [1, 4, 7], [2]]);
  assert.match(chart.caption, /process mod 3/);
  assert.match(chart.svg, /process p7 · read/);
});

test("fault windows are bands across every lane, labelled with the nemesis op", () => {
  const history = timedHistory(20);
  const window = { label: "start-partition", startIndex: 4, endIndex: 10, startTime: 5e6, endTime: 9e6 };
  const { chart } = timelineChart(history, [], [window])!;
  const band = chart.svg.match(/<rect class="fault-window" x="0" y="([\d.]+)" width="(\d+)" height="([\d.]+)"[^>]*><title>fault window: start-partition<\/title>/);
  assert.ok(band, "a band");
  assert.equal(Number(band[2]), Number(chart.svg.match(/<svg class="tl-plot" x="\d+" y="\d+" width="(\d+)"/)![1]), "across every lane");
  assert.equal(Number(band[3]), 4);
  assert.match(chart.caption, /fault windows \(start-partition\)/);
});

test("an op's details name the node it went to", () => {
  const history = historyOf([
    { type: "invoke", f: "read", value: null, process: 0, time: 0, node: "n3" },
    { type: "ok", f: "read", value: 1, process: 0, time: 1e6, node: "n3" },
  ]);
  assert.match(timelineChart(history, [])!.chart.svg, /<title>op 0 · process p0 · node n3 · read null/);
});

test("report.md's SVG of a big history draws a narrower window around the evidence and summarises the rest", () => {
  const history = timedHistory(STATIC_TIMELINE_OPS * 3);
  const { chart } = timelineChart(history, [{ checker: "lin", ids: [2000] }])!;
  assert.equal(boxes(chart.html).length, STATIC_TIMELINE_OPS * 3);
  const drawn = boxes(chart.svg);
  assert.equal(drawn.length, STATIC_TIMELINE_OPS);
  assert.ok(drawn.some((b) => b.id === 2000 && b.classes.includes("tl-focus")), "the evidence is in it");
  assert.match(chart.svg, /Drawn: operations 1,500–2,499 of 3,000, around the evidence/);
  assert.match(chart.svg, /Not drawn: 1,500 \(1,286 ok, 214 fail, 0 info\) before, 500 \(\d+ ok, \d+ fail, 0 info\) after\./);
  assert.ok(chart.svg.length < chart.html.length / 2);
});

test("a timeline over 200k operations is drawn, not a stack overflow (no Math.min over a spread)", () => {
  const records: RawOp[] = [];
  for (let i = 0; i < 200_000; i++) records.push({ type: "invoke", f: "write", value: i, process: i % 5 }, { type: "ok", f: "write", value: i, process: i % 5 });
  const drawn = timelineChart(historyOf(records), [], [], 200_000);
  assert.ok(drawn, "a chart");
});
