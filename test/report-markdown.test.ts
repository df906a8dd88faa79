import assert from "node:assert/strict";
import { test } from "node:test";
import { buildReport } from "../src/report/build.ts";
import type { ReportDocument } from "../src/report/document.ts";
import { escapeMarkdown, renderMarkdown } from "../src/report/markdown.ts";
import { findingAt, HOSTILE, timedHistory, verdictOf } from "./report-fixtures.ts";

test("escapeMarkdown keeps history values from becoming markup", () => {
  assert.equal(escapeMarkdown(HOSTILE), "&lt;img src=x onerror=alert(1)&gt;");
  assert.equal(escapeMarkdown("a|b *c* [d](e) `f` # g"), "a\\|b \\*c\\* \\[d\\](e) \\`f\\` \\# g");
  assert.equal(escapeMarkdown("- item"), "\\- item");
  assert.equal(escapeMarkdown("12. item"), "12\\. item");
  assert.equal(escapeMarkdown("line\nbreak"), "line break");
});

test("report.md: verdict line, checker table, evidence, and every chart linked as an SVG beside it", () => {
  const history = timedHistory(40);
  const doc = buildReport(verdictOf(history, [findingAt([5, 6])]), history);
  const md = renderMarkdown(doc);
  const lines = md.split("\n");
  assert.equal(lines[0], "# ❌ INVALID: test.ndjson");
  assert.equal(lines[2], "**invalid: finder: ops 5, 6 cannot be ordered**");
  assert.ok(md.includes("| Checker | Verdict | Summary |\n|---|---|---|\n| stats | ✅ valid |"));
  assert.ok(md.includes("| finder | ❌ invalid | ops 5, 6 cannot be ordered |"));
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
  }
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
