import assert from "node:assert/strict";
import { test } from "node:test";
import { buildReport } from "../../src/report/build.ts";
import type { ReportDocument } from "../../src/report/document.ts";
import { escapeHtml, renderHtml } from "../../src/report/html.ts";
import { historyOf } from "../support/helpers.ts";
import { findingAt, HOSTILE, timedHistory, verdictOf } from "../support/report-fixtures.ts";

const MEGABYTE = "x".repeat(1 << 20);

function hostileHistory() {
  return historyOf([
    { type: "invoke", f: HOSTILE, value: HOSTILE, process: 0, time: 1_000_000 },
    { type: "ok", f: HOSTILE, value: MEGABYTE, process: 0, time: 3_000_000 },
    { type: "invoke", f: "write", value: { "</script><script>alert(2)</script>": 1 }, process: 1, time: 2_000_000 },
    { type: "info", f: "write", value: null, process: 1, time: 9_000_000, error: HOSTILE },
    { type: "invoke", f: "start", value: HOSTILE, process: '"><svg onload=alert(3)>', time: 2_500_000 },
  ]);
}

test("escapeHtml leaves no character that could open markup or close an attribute", () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), "&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;");
});

test("hostile values in a history render as text: no element, attribute or script comes from the history", () => {
  const history = hostileHistory();
  const html = renderHtml(buildReport(verdictOf(history, [findingAt([0, 1])]), history));
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /<svg onload/i);
  assert.doesNotMatch(html, /alert\(2\)<\/script>/);
  assert.match(html, /&#60;img src=x onerror=alert\(1\)&#62;/);
  // The only script is the timeline's, and the only links stay inside the page.
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.deepEqual([...new Set([...html.matchAll(/(?:href|src)="([^"#]*)/g)].map((m) => m[1]))], [""]);
  // The 1 MB value is shown truncated, not copied into the page.
  assert.ok(html.length < 600_000, `report is ${html.length} bytes`);
  assert.match(html, /x+&#34;… \(1,048,\d{3} more characters\)/);
});

test("the page forbids network requests and opens with the verdict banner", () => {
  const history = timedHistory(30);
  const html = renderHtml(buildReport(verdictOf(history, [findingAt([4])]), history));
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  const banner = html.indexOf('id="verdict"');
  assert.ok(banner > 0 && banner < html.indexOf('id="checkers"') && html.indexOf('id="checkers"') < html.indexOf("<section"));
  assert.match(html, /<div class="banner invalid" id="verdict"><h1>INVALID<\/h1><p>invalid: linearizable: ops 4 cannot be ordered<\/p>/);
});

test("link cells keep to relative paths: a scheme cannot survive", () => {
  const doc: ReportDocument = {
    title: "t",
    meta: "m",
    valid: true,
    headline: "h",
    checkers: [],
    sections: [{ id: "s", title: "s", blocks: [{ kind: "table", headers: ["a"], rows: [[{ text: "x", href: "javascript:alert(1)" }], [{ text: "y", href: "run 1/report.html" }]] }] }],
  };
  const html = renderHtml(doc);
  assert.match(html, /<a href="javascript%3Aalert%281%29">x<\/a>/);
  assert.match(html, /<a href="run%201\/report.html">y<\/a>/);
  assert.doesNotMatch(html, /id="checkers"/, "a page with no checkers has no checker table");
});

test("a chart script that could close its <script> element early is refused", () => {
  const chart = { id: "c", title: "c", caption: "c", svg: "", html: "", script: "let s = '</script><b>';" };
  const doc: ReportDocument = { title: "t", meta: "m", valid: true, headline: "h", checkers: [], sections: [{ id: "s", title: "s", blocks: [{ kind: "chart", chart }] }] };
  assert.throws(() => renderHtml(doc), /must not contain <\/script/);
  assert.equal(renderHtml({ ...doc, sections: [{ id: "s", title: "s", blocks: [{ kind: "chart", chart: { ...chart, script: "1;" } }, { kind: "chart", chart: { ...chart, id: "d", script: "1;" } }] }] }).match(/<script>1;<\/script>/g)?.length, 1, "a script shared by two charts is included once");
});
