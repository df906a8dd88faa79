import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkTxn } from "../../../src/checkers/txn/check.ts";
import { txnChecker } from "../../../src/checkers/txn/checker.ts";
import { composeVerdict } from "../../../src/checkers/verdict.ts";
import type { RawOp } from "../../../src/history/op.ts";
import { buildReport } from "../../../src/report/build.ts";
import { drawCycle, MAX_DRAWN_NODES } from "../../../src/report/cycle-graph.ts";
import { renderHtml } from "../../../src/report/html.ts";
import { renderMarkdown } from "../../../src/report/markdown.ts";
import { historyOf } from "../../support/helpers.ts";

/** Read skew on a key named with markup: the report must show it as text. */
const KEY = "<b>&x";
const records: RawOp[] = [
  { type: "invoke", f: "txn", process: 0, value: [["append", KEY, 1], ["append", "y", 1]] },
  { type: "ok", f: "txn", process: 0, value: [["append", KEY, 1], ["append", "y", 1]] },
  { type: "invoke", f: "txn", process: 1, value: [["r", KEY, null], ["r", "y", null]] },
  { type: "invoke", f: "txn", process: 2, value: [["append", KEY, 2], ["append", "y", 2]] },
  { type: "ok", f: "txn", process: 2, value: [["append", KEY, 2], ["append", "y", 2]] },
  { type: "ok", f: "txn", process: 1, value: [["r", KEY, [1]], ["r", "y", [1, 2]]] },
  { type: "invoke", f: "txn", process: 3, value: [["r", KEY, null]] },
  { type: "ok", f: "txn", process: 3, value: [["r", KEY, [1, 2]]] },
];

describe("txn report section", () => {
  const history = historyOf(records);
  const result = checkTxn(history, {});
  const doc = buildReport(composeVerdict(history, [{ checker: txnChecker, reason: "test" }], [result]), history);
  const section = doc.sections.find((s) => s.id === "txn")!;

  it("explains the cycle in sentences and tables the ANSI phenomena and models", () => {
    const md = renderMarkdown(doc);
    assert.ok(md.includes("G-single: T1 -rw(&lt;b&gt;&amp;x)→ T2 -wr(y)→ T1\n"));
    assert.match(md, /T1 observed T2's append of 2 to key y \(it read \\\[1 2\\\]\)\./);
    assert.match(md, /\| P3 phantom \| not checkable \|/);
    assert.match(md, /\| repeatable-read \| violated \(weakest\) \|/);
    assert.match(md, /\| cursor-stability \| holds \|/);
    // The anomaly table reads Elle's lattice off the evidence.
    assert.match(md, /\| G-single \| 1 \| consistent-view, repeatable-read \|/);
  });

  it("draws the cycle as inline SVG, labels escaped by the DOM, not by hand", () => {
    const chart = section.blocks.find((b) => b.kind === "chart");
    assert.ok(chart && chart.kind === "chart");
    assert.match(chart.chart.html, /^<svg/);
    assert.ok(chart.chart.html.includes("rw(&lt;b&gt;&amp;x)"));
    assert.ok(!chart.chart.html.includes("<b>&x"));
    const html = renderHtml(doc);
    assert.ok(html.includes(chart.chart.html));
  });

  it("labels order edges tersely in the drawing: rt for real time", () => {
    const stale = historyOf([
      { type: "invoke", f: "txn", process: 0, value: [["append", "x", 1]] },
      { type: "ok", f: "txn", process: 0, value: [["append", "x", 1]] },
      { type: "invoke", f: "txn", process: 1, value: [["r", "x", null]] },
      { type: "ok", f: "txn", process: 1, value: [["r", "x", []]] },
      { type: "invoke", f: "txn", process: 2, value: [["r", "x", null]] },
      { type: "ok", f: "txn", process: 2, value: [["r", "x", [1]]] },
    ]);
    const r = checkTxn(stale, {});
    const report = buildReport(composeVerdict(stale, [{ checker: txnChecker, reason: "test" }], [r]), stale);
    const chart = report.sections.find((s) => s.id === "txn")!.blocks.find((b) => b.kind === "chart");
    assert.ok(chart && chart.kind === "chart");
    assert.ok(chart.chart.html.includes(">rt</text>"));
    assert.ok(chart.chart.html.includes(">rw(x)</text>"));
  });

  it("caps drawings of long cycles and says so", () => {
    const n = MAX_DRAWN_NODES + 3;
    const chart = drawCycle("long", "long", Array.from({ length: n }, (_, i) => ({ label: `T${i}`, lines: [] })), Array.from({ length: n }, () => ({ kind: "ww", label: "ww" })));
    assert.match(chart.caption, new RegExp(`showing ${MAX_DRAWN_NODES} of the cycle's ${n} transactions`));
    assert.equal((chart.html.match(/<rect/g) ?? []).length, MAX_DRAWN_NODES);
  });

  it("lists a cycle's transactions from a streamed history's sample only when they are in it, never another operation", () => {
    const listing = (operations: typeof history.operations): string[] => {
      const sampled = { ...history, operations, sampledFrom: history.operations.length };
      const txn = buildReport(composeVerdict(sampled, [{ checker: txnChecker, reason: "test" }], [result]), sampled).sections.find((s) => s.id === "txn")!;
      const block = txn.blocks.find((b) => b.kind === "listing");
      assert.ok(block?.kind === "listing");
      return block.lines;
    };
    assert.deepEqual(listing(history.operations), ["T1 (ops 2–5, process 1, ok): r <b>&x [1]; r y [1 2]", "T2 (ops 3–4, process 2, ok): append <b>&x 2; append y 2"]);
    // T1 left out of the sample: it is named, its micro-ops unknown; T2 still found although it is no longer at position 2.
    assert.deepEqual(listing(history.operations.filter((o) => o.id !== 1)), ["T1: ", "T2 (ops 3–4, process 2, ok): append <b>&x 2; append y 2"]);
  });
});
