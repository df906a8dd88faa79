import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { FileVerdict } from "../../src/checkers/verdict.ts";
import { reuseReplacedFolders, writeReportFiles, writeReports } from "../../src/report/write.ts";
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

  it("while a run reuses replaced folders, each report is still exactly its own files, and nothing is left once the run ends", () => {
    const out = tempDir();
    const write = (name: string, files: [string, string][]): string[] => writeReportFiles(join(out, name), verdict, () => files, true);
    write("a", [["report.md", "a, first and long"], [join("charts", "t.svg"), "<svg>a</svg>"]]);
    write("b", [["report.md", "b, first"], ["extra.txt", "only in the first b"], [join("charts", "deeper", "u.svg"), "<svg/>"]]);
    const done = reuseReplacedFolders();
    write("a", [["report.md", "a2"], [join("charts", "t.svg"), "<svg>a2</svg>"]]);
    // b is written over a's old folder: shorter files, another shape.
    write("b", [["report.md", "b2"], [join("other", "v.svg"), "<svg>b2</svg>"]]);
    assert.ok(tree(out).some((path) => path.endsWith(".old/")), "a replaced folder is kept for the next report");
    write("c", [["report.md", "c"]]);
    write("a", [["report.md", "a2"], [join("charts", "t.svg"), "<svg>a2</svg>"]]);
    done();
    assert.deepEqual(tree(out), ["a/", "a/charts/", "a/charts/t.svg", "a/report.md", "b/", "b/other/", "b/other/v.svg", "b/report.md", "c/", "c/report.md"]);
    const read = (path: string): string => readFileSync(join(out, path), "utf8");
    assert.deepEqual([read("a/report.md"), read("a/charts/t.svg"), read("b/report.md"), read("b/other/v.svg"), read("c/report.md")], ["a2", "<svg>a2</svg>", "b2", "<svg>b2</svg>", "c"]);
    // A link or a folder where the next report writes a file is replaced, not followed.
    const outside = join(tempDir(), "outside.txt");
    writeFileSync(outside, "not a report");
    const done2 = reuseReplacedFolders();
    symlinkSync(outside, join(out, "a", "report.md.tmp"));
    unlinkSync(join(out, "a", "report.md"));
    renameSync(join(out, "a", "report.md.tmp"), join(out, "a", "report.md"));
    mkdirSync(join(out, "a", "charts", "t.svg.d"));
    write("a", [["report.md", "a4"], [join("charts", "t.svg"), "<svg/>"]]);
    write("b", [["report.md", "b3"], [join("charts", "t.svg.d"), "<svg>file now</svg>"]]);
    done2();
    assert.equal(readFileSync(outside, "utf8"), "not a report");
    assert.equal(read("b/charts/t.svg.d"), "<svg>file now</svg>");
    write("a", [["report.md", "a3"]]);
    assert.deepEqual(tree(out).filter((path) => path.startsWith("a")), ["a/", "a/report.md"], "after the run, a replaced folder is removed at once");
  });
});

describe("writeReports", () => {
  it("--report json writes the verdict without drawing the report, which only md and html show", () => {
    const dir = join(tempDir(), "h");
    const undrawn = (): never => assert.fail("the report document was built for json alone");
    assert.deepEqual(writeReports(dir, verdict, undrawn, ["json"]), [join(dir, "verdict.json"), join(dir, "results.edn")]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "verdict.json"), "utf8")), verdict);
  });
});
