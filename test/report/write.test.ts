import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { FileVerdict } from "../../src/checkers/verdict.ts";
import { writeReportFiles } from "../../src/report/write.ts";
import { tempDir } from "../support/helpers.ts";

const verdict: FileVerdict = { file: "h.ndjson", format: "ndjson", ops: 2, operations: 1, valid: true, summary: "valid", skipped: 0, warnings: 0, checkers: [], picked: [], annotations: {} };

/** Every path under `dir`, folders with a trailing slash. */
function tree(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1) + (e.isDirectory() ? "/" : ""))
    .sort();
}

describe("writeReportFiles", () => {
  it("replaces the folder whole: nothing of the old one stays, beside it or inside it, and a link in it is removed, not followed", () => {
    const out = tempDir();
    const dir = join(out, "h");
    const kept = join(out, "elsewhere.txt");
    writeFileSync(kept, "not a report");
    mkdirSync(join(dir, "charts", "deeper"), { recursive: true });
    writeFileSync(join(dir, "charts", "deeper", "old.svg"), "<svg/>");
    writeFileSync(join(dir, "report.md"), "old");
    symlinkSync(kept, join(dir, "charts", "link.txt"));
    const written = writeReportFiles(dir, verdict, () => [["report.md", "new"], [join("charts", "timeline.svg"), "<svg>new</svg>"]], true);
    assert.deepEqual(written, [join(dir, "report.md"), join(dir, "charts", "timeline.svg")]);
    assert.deepEqual(tree(out), ["elsewhere.txt", "h/", "h/charts/", "h/charts/timeline.svg", "h/report.md"]);
    assert.equal(readFileSync(join(dir, "report.md"), "utf8"), "new");
    assert.equal(readFileSync(kept, "utf8"), "not a report");
  });

  it("writes a folder that was not there, and its parents", () => {
    const dir = join(tempDir(), "a", "b", "h");
    writeReportFiles(dir, verdict, () => [["verdict.json", "{}"]], true);
    assert.deepEqual(tree(join(dir, "..")), ["h/", "h/verdict.json"]);
  });
});
