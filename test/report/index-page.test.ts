import assert from "node:assert/strict";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { buildIndex, sortForIndex, type IndexEntry } from "../../src/report/index-page.ts";
import { checkSet } from "../../src/checkers/set/set.ts";
import type { RawOp } from "../../src/history/op.ts";
import { renderMarkdown } from "../../src/report/markdown.ts";
import { historyOf, runCli, tempDir } from "../support/helpers.ts";
import { findingAt, timedHistory, verdictOf } from "../support/report-fixtures.ts";

function entries(): IndexEntry[] {
  const history = timedHistory(10);
  const open = historyOf([{ type: "invoke", f: "read", process: 0 }]);
  return [
    { file: "ok.ndjson", dir: "ok", verdict: verdictOf(history) },
    { file: "broken.ndjson", dir: "broken", error: "broken.ndjson:3: not JSON" },
    { file: "open.ndjson", dir: "open", verdict: verdictOf(open) },
    { file: "bad.ndjson", dir: "bad", verdict: verdictOf(history, [findingAt([2])]) },
  ];
}

test("the index lists invalid histories first, then unreadable, unknown, valid", () => {
  assert.deepEqual(sortForIndex(entries()).map((e) => e.file), ["bad.ndjson", "broken.ndjson", "open.ndjson", "ok.ndjson"]);
});

test("index.md links each history's report and shows its headline numbers", () => {
  const doc = buildIndex(entries(), "report.md");
  assert.equal(doc.valid, false);
  assert.equal(doc.headline, "1 invalid, 1 unreadable, 1 unknown, 1 valid");
  const md = renderMarkdown(doc);
  const rows = md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| history"));
  assert.deepEqual(rows, [
    "| [bad.ndjson](bad/report.md) | ❌ invalid | invalid: linearizable: ops 2 cannot be ordered | 10 | 90% | 2.00 ms | stats: measured, linearizable: invalid |",
    "| broken.ndjson | unreadable | broken.ndjson:3: not JSON | – | – | – | – |",
    "| [open.ndjson](open/report.md) | ❓ unknown | unknown: stats: none of the 1 client operations completed: nothing to measure | 1 | 0% | – | stats: unknown, linearizable: valid |",
    "| [ok.ndjson](ok/report.md) | ✅ valid | valid: linearizable found nothing wrong | 10 | 90% | 2.00 ms | stats: measured, linearizable: valid |",
  ]);
});

test("analyze over several histories writes index.html and index.md beside their folders", async () => {
  const dir = tempDir();
  try {
    const inputs = join(dir, "in");
    const out = join(dir, "out");
    await mkdir(inputs);
    const register = (read: number): string =>
      [
        { type: "invoke", f: "write", value: 1, process: 0, time: 1 },
        { type: "ok", f: "write", value: 1, process: 0, time: 5 },
        { type: "invoke", f: "read", process: 0, time: 6 },
        { type: "ok", f: "read", value: read, process: 0, time: 9 },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n");
    await writeFile(join(inputs, "a-valid.ndjson"), register(1));
    await writeFile(join(inputs, "d-invalid.ndjson"), register(2));
    await writeFile(join(inputs, "b-open.ndjson"), '{"type":"invoke","f":"read","process":0}\n');
    await writeFile(join(inputs, "c-broken.ndjson"), "{not json\n");
    const run = await runCli(["analyze", inputs, "--out", out, "--workers", "1"]);
    assert.equal(run.code, 3, "an unreadable history makes the batch exit 3");
    const md = await readFile(join(out, "index.md"), "utf8");
    const order = ["d-invalid", "c-broken", "b-open", "a-valid"].map((name) => md.indexOf(name));
    assert.ok(order.every((i, k) => i > 0 && (k === 0 || order[k - 1]! < i)), md);
    assert.match(md, /\[[^\]]*a-valid.ndjson\]\(a-valid\/report.md\)/);
    const html = await readFile(join(out, "index.html"), "utf8");
    assert.match(html, /<a href="a-valid\/report.html">/);
    assert.match(html, /<h1>INVALID<\/h1><p>1 invalid, 1 unreadable, 1 unknown, 1 valid<\/p>/);
    await readFile(join(out, "a-valid", "report.html"), "utf8");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a history whose report folder could not be written is listed without a link, saying so", () => {
  const [ok] = entries();
  const md = renderMarkdown(buildIndex([{ ...ok!, unwritten: true }, { ...ok!, file: "b.ndjson", dir: "b" }], "report.md"));
  assert.match(md, /\| ok\.ndjson \| ✅ valid \| [^|]* \(report not written\) \|/);
  assert.match(md, /\[b\.ndjson\]\(b\/report\.md\)/);
  assert.doesNotMatch(md, /\(ok\/report\.md\)/);
});

test("a batch of set histories gets the 2013 talk's table: acknowledged, false positives, false negatives, verdict", () => {
  // Elements 0..3 added; 0, 1, 2 acknowledged, 3 failed; the final read sees 0 and 3: 1 and 2 lost, 3 present unacknowledged.
  const lossy = historyOf([
    ...[0, 1, 2, 3].flatMap((e): RawOp[] => [
      { type: "invoke", f: "add", value: e, process: e },
      { type: e === 3 ? "info" : "ok", f: "add", value: e, process: e },
    ]),
    { type: "invoke", f: "read", process: 9 },
    { type: "ok", f: "read", value: [0, 3], process: 9 },
  ]);
  const clean = historyOf([
    { type: "invoke", f: "add", value: 1, process: 0 },
    { type: "ok", f: "add", value: 1, process: 0 },
    { type: "invoke", f: "read", process: 1 },
    { type: "ok", f: "read", value: [1], process: 1 },
  ]);
  const doc = buildIndex(
    [
      { file: "clean.ndjson", dir: "clean", verdict: verdictOf(clean, [checkSet(clean)]) },
      { file: "lossy.ndjson", dir: "lossy", verdict: verdictOf(lossy, [checkSet(lossy)]) },
    ],
    "report.md",
  );
  const table = doc.sections.find((s) => s.id === "batch-set")!.blocks[0]!;
  assert.equal(table.kind, "table");
  if (table.kind !== "table") return;
  assert.deepEqual(table.headers, ["history", "set", "attempted", "acknowledged", "false positives (acknowledged but lost)", "false negatives (unacknowledged but present)"]);
  assert.deepEqual(table.rows, [
    [{ text: "lossy.ndjson", href: "lossy/report.md" }, { verdict: "invalid" }, "4", "3 (75%)", "2 (66.7%)", "1 (33.3%)"],
    [{ text: "clean.ndjson", href: "clean/report.md" }, { verdict: "valid" }, "1", "1 (100%)", "0 (0%)", "0 (0%)"],
  ]);
  assert.equal(doc.sections.some((s) => s.id === "batch-counter"), false, "no table for a checker that judged none of them");
  assert.match(renderMarkdown(doc), /\| \[lossy\.ndjson\]\(lossy\/report\.md\) \| ❌ invalid \| 4 \|/);
});
