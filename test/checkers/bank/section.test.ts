import assert from "node:assert/strict";
import { test } from "node:test";
import { checkBank } from "../../../src/checkers/bank/bank.ts";
import { bankSection } from "../../../src/checkers/bank/section.ts";
import { checkStats } from "../../../src/checkers/stats/stats.ts";
import type { RawOp } from "../../../src/history/op.ts";
import type { Block } from "../../../src/report/document.ts";
import { makeHistory, op } from "../../support/make-history.ts";

const read = (process: number, balances: Record<string, number>, node: string): RawOp[] => op(process, "read", null, "ok", balances).map((r) => ({ ...r, node }));

test("the bank section: error table with first/worst/last, and totals over time per node with the shared fault windows shaded", () => {
  const history = makeHistory([
    ...read(0, { 0: 5, 1: 5 }, "n1"),
    { type: "invoke", f: "start-partition", process: "nemesis", value: null },
    { type: "info", f: "start-partition", process: "nemesis", value: "cut" },
    ...read(1, { 0: 5, 1: 4 }, "n2"),
    ...read(0, { 0: 7, 1: 5 }, "n1"),
    { type: "invoke", f: "stop-partition", process: "nemesis", value: null },
    { type: "info", f: "stop-partition", process: "nemesis", value: "healed" },
    ...read(1, { 0: 5, 1: 5 }, "n2"),
  ]);
  const result = checkBank(history);
  // The windows come from the stats checker, as build.ts hands them to every section.
  const faultWindows = checkStats(history).evidence.faultWindows;
  assert.deepEqual(faultWindows.map((w) => [w.label, w.operationIds]), [["start-partition", [1, 4]]]);
  const section = bankSection(result, history, { faultWindows });
  assert.equal(section.valid, false);
  const tables = section.blocks.filter((b): b is Extract<Block, { kind: "table" }> => b.kind === "table");
  assert.deepEqual(tables[1]!.rows, [["wrong-total", "2", "read 2 on n2: total 9", "read 3 on n1: total 12", "read 3 on n1: total 12", "read 2 on n2: total 9", "read 3 on n1: total 12"]]);
  const chart = section.blocks.find((b): b is Extract<Block, { kind: "chart" }> => b.kind === "chart")!.chart;
  assert.match(chart.html, /class="fault-window"[^>]*><rect[^>]*><title>start-partition<\/title>/);
  assert.match(chart.html, />n1</);
  assert.match(chart.html, />n2</);
  assert.match(chart.caption, /Shaded red: nemesis fault windows/);
  const unshaded = bankSection(result, history, { faultWindows: [] }).blocks.find((b): b is Extract<Block, { kind: "chart" }> => b.kind === "chart")!.chart;
  assert.doesNotMatch(unshaded.html, /fault-window/);
});
