import assert from "node:assert/strict";
import { test } from "node:test";
import { guardedCheck } from "../../src/checkers/guard.ts";
import { chooseCheckers } from "../../src/checkers/registry.ts";
import { composeVerdict } from "../../src/checkers/verdict.ts";
import type { History } from "../../src/history/history.ts";
import type { RawOp } from "../../src/history/op.ts";
import { buildReport } from "../../src/report/build.ts";
import type { Chart } from "../../src/report/document.ts";
import { faultWindowMarks } from "../../src/report/fault-windows.ts";
import { makeHistory, op } from "../support/make-history.ts";

function charts(history: History): Chart[] {
  const choices = chooseCheckers(["auto"], history);
  const verdict = composeVerdict(history, choices, choices.map(({ checker }) => guardedCheck(checker.name, () => checker.configure({}, {}).check(history))));
  return buildReport(verdict, history).sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === "chart" ? [b.chart] : [])));
}

/** Client ops around a partition: the nemesis starts it after the first ops and heals it before the last. */
function partitioned(before: RawOp[], during: RawOp[], after: RawOp[]): History {
  return makeHistory([
    ...before,
    { type: "invoke", f: "start-partition", process: "nemesis" },
    { type: "info", f: "start-partition", process: "nemesis" },
    ...during,
    { type: "invoke", f: "stop-partition", process: "nemesis" },
    { type: "info", f: "stop-partition", process: "nemesis" },
    ...after,
  ]);
}

test("every time chart of a counter history, and its timeline, marks the stats checker's fault window", () => {
  const history = partitioned([...op(0, "add", 1), ...op(1, "read", null, "ok", 1)], [...op(0, "add", 1), ...op(1, "read", null, "ok", 1)], [...op(0, "add", 1), ...op(1, "read", null, "ok", 2)]);
  const drawn = charts(history);
  assert.deepEqual(drawn.map((c) => c.id).sort(), ["counter-bounds", "counter-drift", "stats-availability", "stats-latency", "stats-latency-quantiles", "stats-throughput", "timeline"]);
  for (const chart of drawn) {
    assert.match(chart.html, /class="fault-window"/, `${chart.id} (html)`);
    assert.match(chart.svg, /class="fault-window"/, `${chart.id} (svg)`);
  }
});

test("the set outcome strip marks the fault window where losses cluster", () => {
  const history = partitioned([...op(0, "add", 1)], [...op(0, "add", 2), ...op(0, "add", 3)], [...op(1, "read", null, "ok", [1])]);
  const strip = charts(history).find((c) => c.id === "set-outcomes")!;
  assert.match(strip.html, /class="fault-window"/);
  assert.match(strip.caption, /Shaded red: nemesis fault windows, labelled with the nemesis op/);
});

test("a window without times draws nothing on a time axis", () => {
  assert.deepEqual(faultWindowMarks([{ label: "kill", startIndex: 1, endIndex: 4, startTime: undefined, endTime: undefined }]), []);
});
