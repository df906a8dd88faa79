import assert from "node:assert/strict";
import { test } from "node:test";
import { buildReport } from "../../src/report/build.ts";
import type { ReportDocument } from "../../src/report/document.ts";
import { escapeMarkdown, escapeMarkdownLine, renderMarkdown } from "../../src/report/markdown.ts";
import { historyOf } from "../support/helpers.ts";
import { findingAt, HOSTILE, timedHistory, verdictOf } from "../support/report-fixtures.ts";

test("escapeMarkdown keeps history values from becoming markup", () => {
  assert.equal(escapeMarkdown(HOSTILE), "&lt;img src=x onerror=alert(1)&gt;");
  assert.equal(escapeMarkdown("a|b *c* [d](e) `f` # g"), "a\\|b \\*c\\* \\[d\\](e) \\`f\\` \\# g");
  assert.equal(escapeMarkdownLine("- item"), "\\- item");
  assert.equal(escapeMarkdownLine("12. item"), "12\\. item");
  assert.equal(escapeMarkdownLine("90.0% ok"), "90.0% ok");
  assert.equal(escapeMarkdown("+3"), "+3", "inside a table cell a leading + is text");
  assert.equal(escapeMarkdown("line\nbreak"), "line break");
});

test("report.md: verdict line, checker table, evidence, and every chart linked as an SVG beside it", () => {
  const history = timedHistory(40);
  const doc = buildReport(verdictOf(history, [findingAt([5, 6])]), history);
  const md = renderMarkdown(doc);
  const lines = md.split("\n");
  assert.equal(lines[0], "# ❌ INVALID: test.ndjson");
  assert.equal(lines[2], "**invalid: linearizable: ops 5, 6 cannot be ordered**");
  assert.ok(md.includes("| Checker | Verdict | Summary |\n|---|---|---|\n| stats | 📏 measured |"));
  assert.ok(md.includes("| linearizable | ❌ invalid | ops 5, 6 cannot be ordered |"));
  const charts = doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === "chart" ? [b.chart.id] : [])));
  assert.deepEqual(charts, ["stats-latency", "stats-latency-quantiles", "stats-throughput", "stats-availability", "timeline"]);
  const linked = [...md.matchAll(/!\[[^\]]*\]\(([^)]*)\)/g)].map((m) => m[1]);
  assert.deepEqual(linked, charts.map((id) => `charts/${id}.svg`));
  assert.doesNotMatch(md, /<(svg|script|div)/, "nothing only HTML can show");
});

test("every chart's standalone SVG is a well-formed SVG document with marks", () => {
  const history = timedHistory(40);
  const doc = buildReport(verdictOf(history, [findingAt([5])]), history);
  for (const block of doc.sections.flatMap((s) => s.blocks)) {
    if (block.kind !== "chart") continue;
    assert.match(block.chart.svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, block.chart.id);
    assert.match(block.chart.svg, /<(circle|path|rect)[ >]/, block.chart.id);
    assert.ok(block.chart.svg.trimEnd().endsWith("</svg>"), block.chart.id);
    assert.ok(block.chart.svg.includes(`>${block.chart.title}</text>`) || block.chart.svg.includes(`>${block.chart.title}:`), `${block.chart.id} has its title`);
  }
});

test("a standalone chart carries its legends, and history values in them stay text", () => {
  const history = historyOf([
    { type: "invoke", f: HOSTILE, value: 1, process: 0, time: 1_000_000 },
    { type: "ok", f: HOSTILE, value: 1, process: 0, time: 3_000_000 },
    { type: "invoke", f: "read", value: null, process: 1, time: 2_000_000 },
    { type: "fail", f: "read", value: null, process: 1, time: 4_000_000 },
  ]);
  const latency = buildReport(verdictOf(history), history).sections[0]!.blocks.find((b) => b.kind === "chart" && b.chart.id === "stats-latency");
  assert.ok(latency?.kind === "chart");
  const labels = [...latency.chart.svg.matchAll(/<text x="[\d.]+" y="[\d.]+">([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(labels, ["&#60;img src=x onerror=alert(1)&#62;", "read", "ok", "fail", "info"]);
  assert.doesNotMatch(latency.chart.svg, /<img/);
});

test("listings are fenced so that a history value cannot close the fence", () => {
  const doc: ReportDocument = {
    title: "t",
    meta: "m",
    valid: "unknown",
    headline: "h",
    checkers: [],
    sections: [{ id: "s", title: "s", blocks: [{ kind: "listing", lines: ["~~~~", HOSTILE], caption: "c" }] }],
  };
  const md = renderMarkdown(doc);
  assert.ok(md.includes("~~~~text\n~ ~ ~ ~\n<img src=x onerror=alert(1)>\n~~~~"), md);
  assert.doesNotMatch(md, /\| Checker/);
});
