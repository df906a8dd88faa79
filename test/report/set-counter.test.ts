import assert from "node:assert/strict";
import { test } from "node:test";
import type { FlagText } from "../../src/checkers/checker.ts";
import { guardedCheck } from "../../src/checkers/guard.ts";
import { chooseCheckers } from "../../src/checkers/registry.ts";
import { composeVerdict } from "../../src/checkers/verdict.ts";
import { REPORTED_SET_SUMMARY, type ReportedSetSummary } from "../../src/history/annotations.ts";
import type { History } from "../../src/history/history.ts";
import type { RawOp } from "../../src/history/op.ts";
import { buildReport } from "../../src/report/build.ts";
import type { ReportDocument, Section } from "../../src/report/document.ts";
import { renderHtml } from "../../src/report/html.ts";
import { renderMarkdown } from "../../src/report/markdown.ts";
import { makeHistory, op } from "../support/make-history.ts";

function report(history: History, flags: FlagText = {}): ReportDocument {
  const choices = chooseCheckers(["auto"], history);
  const verdict = composeVerdict(history, choices, choices.map(({ checker }) => guardedCheck(checker.name, () => checker.configure(flags, {}).check(history))));
  return buildReport(verdict, history);
}

function section(doc: ReportDocument, id: string): Section {
  const found = doc.sections.find((s) => s.id === id);
  assert.ok(found, `no ${id} section in ${doc.sections.map((s) => s.id).join(", ")}`);
  return found;
}

function chartIds(s: Section): string[] {
  return s.blocks.flatMap((b) => (b.kind === "chart" ? [b.chart.id] : []));
}

test("set: rates in words, compacted lists, the printed 2013 figures marked, an outcome chart", () => {
  const reported: ReportedSetSummary = { total: 2000, acknowledged: 1998, survivors: 872, lost: 1126, lostElided: true, ackRate: 0.999, lossRate: 0.5635636, unacknowledgedSuccessRate: 0 };
  const records: RawOp[] = [...op(0, "add", 0), ...op(0, "add", 1), ...op(0, "add", 2), ...op(0, "add", 3), ...op(0, "add", 5), ...op(1, "read", null, "ok", [2])];
  const doc = report(makeHistory(records, { [REPORTED_SET_SUMMARY]: reported }));
  const set = section(doc, "set");
  assert.deepEqual(chartIds(set), ["set-outcomes"]);
  const md = renderMarkdown(doc);
  assert.match(md, /~~~~text\n0\.\.1 3 5\n~~~~/);
  assert.match(md, /\| ack rate \| 1\.0 \| 0\.999 \| differs from the printed figure \|/);
  assert.match(md, /\| loss rate \| 0\.8 \| 0\.5635636 \| differs from the printed figure \|/);
  assert.match(md, /\| unacknowledged but successful rate \| 0\.0 \| 0\.0 \| agrees \|/);
  assert.match(md, /printed element list is elided/);
  assert.match(renderHtml(doc), /0\.5635636/);
});

test("set-full, counter and lww each get their section and a chart prefixed with the checker name", () => {
  const setFull = report(makeHistory([...op(0, "add", 0), ...op(0, "read", null, "ok", [0]), ...op(0, "read", null, "ok", [])]));
  assert.deepEqual(chartIds(section(setFull, "set-full")), ["set-full-outcomes"]);
  assert.match(renderMarkdown(setFull), /Lost \(seen or acknowledged, then missing from every later read\): 1\n\n~~~~text\n0\n~~~~/);

  const counter = report(makeHistory([...op(0, "add", 1), ...op(1, "read", null, "ok", 1), ...op(1, "read", null, "ok", 4)]));
  const counterSection = section(counter, "counter");
  assert.deepEqual(chartIds(counterSection), ["counter-bounds", "counter-drift"]);
  assert.match(renderMarkdown(counter), /\| 2 \| 5 \| 4 \| 1 \| 1 \| \\?\+3 \| 300% \|/);

  const write = (p: number, id: number): RawOp[] => op(p, "write", { row: 1, cells: { a: id, b: -id }, ts: 5 });
  const lww = report(makeHistory([...write(0, 1), ...write(1, 2), ...op(2, "read", { row: 1 }, "ok", { row: 1, cells: { a: 2, b: -1 } })]));
  assert.deepEqual(chartIds(section(lww, "lww")), ["lww-events"]);
  assert.match(renderMarkdown(lww), /\| 2 \| 1 \| \{"a":2,"b":-1\} \| a: 1; b: 0 \|/);
});
