import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { outputDirs } from "../../src/cli.ts";
import { reportStem } from "../../src/inputs.ts";
import { listAppendHistory } from "../../bench/generate-list-append.ts";
import { ndjson, runCli, tempDir, writeTemp } from "../support/helpers.ts";

/** A write: always linearizable on its own, so these histories are valid. */
const write = (p: number, value: unknown, t: number): object[] => [
  { type: "invoke", f: "write", process: p, value, time: t },
  { type: "ok", f: "write", process: p, value, time: t + 1000 },
];

describe("hindsight analyze", () => {
  it("prints PATH<TAB>verdict and a summary, writes the three reports, exits 0 when valid", async () => {
    const file = writeTemp("good.ndjson", ndjson([...write(0, 1, 0), ...write(1, 1, 5000)]));
    const out = tempDir();
    const r = await runCli(["analyze", file, "--out", out]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${file}\tvalid\n1 history: 1 valid, 0 invalid, 0 unknown\n`);
    for (const name of ["verdict.json", "report.md", "report.html"]) assert.ok(existsSync(join(out, "good", name)), name);
    const verdict = JSON.parse(readFileSync(join(out, "good", "verdict.json"), "utf8"));
    assert.equal(verdict.valid, true);
    assert.equal(verdict.ops, 4);
    assert.deepEqual(verdict.picked.map((p: { checker: string }) => p.checker), ["stats", "linearizable"]);
  });

  it("exits 3 naming FILE:3: when line 3 is malformed; with --lenient counts 1 skipped and is not valid", async () => {
    const file = writeTemp("bad.ndjson", [JSON.stringify(write(0, 1, 0)[0]), JSON.stringify(write(0, 1, 0)[1]), '{"type":', JSON.stringify(write(1, 1, 9)[0]), JSON.stringify(write(1, 1, 9)[1])].join("\n"));
    const strict = await runCli(["analyze", file, "--report", "none"]);
    assert.equal(strict.code, 3);
    assert.match(strict.stderr, new RegExp(`^hindsight: ${file.replaceAll("/", "\\/")}:3:9: invalid JSON`));
    assert.doesNotMatch(strict.stderr, /\n\s+at /, "no stack trace");
    const lenient = await runCli(["analyze", file, "--report", "none", "--lenient", "--json"]);
    assert.equal(lenient.code, 2);
    const verdict = JSON.parse(lenient.stdout);
    assert.equal(verdict.skipped, 1);
    assert.equal(verdict.valid, "unknown");
    assert.match(verdict.summary, /1 unreadable record was skipped/);
  });

  it("handles an empty file, only invocations, an unknown type and a double invocation without a stack trace", async () => {
    const empty = await runCli(["analyze", writeTemp("empty.ndjson", ""), "--report", "none"]);
    assert.equal(empty.code, 3);
    assert.match(empty.stderr, /empty\.ndjson:1: the file is empty/);
    const invokes = await runCli(["analyze", writeTemp("inv.ndjson", ndjson([write(0, 1, 0)[0]!, write(1, 1, 0)[0]!])), "--report", "none"]);
    assert.equal(invokes.code, 2, "nothing completed: unknown");
    const unknownType = await runCli(["analyze", writeTemp("t.ndjson", '{"type":"done","f":"read","process":0}\n'), "--report", "none"]);
    assert.equal(unknownType.code, 3);
    assert.match(unknownType.stderr, /t\.ndjson:1:1: field type must be one of/);
    const twice = await runCli(["analyze", writeTemp("twice.ndjson", ndjson([write(0, 1, 0)[0]!, write(0, 1, 0)[0]!])), "--report", "none"]);
    assert.equal(twice.code, 3);
    assert.match(twice.stderr, /twice\.ndjson:2:1: process 0 invokes again/);
    for (const r of [empty, invokes, unknownType, twice]) assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it("escapes hostile values in report.html and requests nothing from the network", async () => {
    const hostile = "<img src=x onerror=alert(1)>";
    const file = writeTemp("x.ndjson", ndjson([{ type: "invoke", f: hostile, process: 0, time: 0, value: hostile }, { type: "ok", f: hostile, process: 0, time: 10, value: hostile }]));
    const out = tempDir();
    await runCli(["analyze", file, "--out", out]);
    const html = readFileSync(join(out, "x", "report.html"), "utf8");
    assert.ok(!html.includes(hostile), "the raw tag never appears");
    assert.ok(html.includes("&#60;img src=x onerror=alert(1)&#62;") || html.includes("&lt;img src=x onerror=alert(1)&gt;"));
    assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i);
    assert.match(html, /Content-Security-Policy/);
    const md = readFileSync(join(out, "x", "report.md"), "utf8");
    assert.ok(!md.includes(hostile));
  });

  it("is unknown, not valid, when no correctness checker applies (statistics alone prove nothing)", async () => {
    const file = writeTemp("ping.ndjson", ndjson([{ type: "invoke", f: "ping", process: 0 }, { type: "ok", f: "ping", process: 0 }]));
    const r = await runCli(["analyze", file, "--report", "none", "--json"]);
    assert.equal(r.code, 2);
    const verdict = JSON.parse(r.stdout);
    assert.equal(verdict.valid, "unknown");
    assert.equal(verdict.summary, "unknown: no correctness checker applies to these operations (ping); only statistics were computed");
    assert.equal(verdict.checkers[0].valid, true);
  });

  it("rejects unknown checkers and formats with the valid names, exit 3", async () => {
    const file = writeTemp("g.ndjson", ndjson(write(0, 1, 0)));
    const checker = await runCli(["analyze", file, "--checker", "nope"]);
    assert.equal(checker.code, 3);
    assert.match(checker.stderr, /unknown checker "nope"; expected auto or one of: stats/);
    const format = await runCli(["analyze", file, "--format", "xml"]);
    assert.equal(format.code, 3);
    assert.match(format.stderr, /unknown format "xml"; expected one of: auto, ndjson/);
    const missing = await runCli(["analyze", "/nonexistent/file.ndjson"]);
    assert.equal(missing.code, 3);
  });

  it("prints --help with the exit codes, and --version", async () => {
    const help = await runCli(["analyze", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Exit codes:\n\s+0\s+every history is valid/);
    const version = await runCli(["--version"]);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it("analyzes several files in input order, one folder each", async () => {
    const dir = tempDir();
    const a = writeTemp("a.ndjson", ndjson(write(0, 1, 0)));
    const b = writeTemp("b.ndjson", ndjson(write(0, 2, 0)));
    const r = await runCli(["analyze", b, a, "--out", dir, "--workers", "2", "--quiet"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${b}\tvalid\n${a}\tvalid\n`);
  });
});

describe("batches", () => {
  it("run a dozen histories on threads without warnings, in input order", async () => {
    const files = Array.from({ length: 12 }, (_, i) => writeTemp(`h${String(i).padStart(2, "0")}.ndjson`, ndjson(write(0, i, 0))));
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const r = await runCli(["analyze", ...files, "--workers", "2", "--report", "none", "--quiet"]);
      assert.equal(r.code, 0);
      assert.deepEqual(r.stdout.trim().split("\n").map((l) => l.split("\t")[0]), files);
    } finally {
      process.removeListener("warning", onWarning);
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings, []);
  });
});

describe("budgets", () => {
  it("a history that needs more than --memory-limit is unknown, and the process carries on", async () => {
    const records: object[] = [];
    for (let i = 0; i < 200_000; i++) records.push(...write(i, "x".repeat(64), i * 10));
    const big = writeTemp("big.ndjson", ndjson(records));
    const small = writeTemp("small.ndjson", ndjson(write(0, 1, 0)));
    const r = await runCli(["analyze", big, small, "--memory-limit", "48", "--report", "none", "--json"]);
    const [bigVerdict, smallVerdict] = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(bigVerdict.valid, "unknown");
    assert.match(bigVerdict.summary, /more than the --memory-limit of 48 MB/);
    assert.equal(smallVerdict.valid, true);
    assert.equal(r.code, 2);
  });

  it("bounds the whole analysis: a large txn history stops while it is read, unknown with the reason", async () => {
    // 400k records: several times what 0.2 s reads on any machine this runs on.
    const file = writeTemp("large-txn.ndjson", ndjson([...listAppendHistory(200_000)]));
    const run = await runCli(["analyze", file, "--time-limit", "0.2", "--report", "none", "--json"]);
    assert.equal(run.code, 2);
    const verdict = JSON.parse(run.stdout) as { valid: unknown; summary: string; checkers: { valid: unknown; summary: string }[] };
    assert.equal(verdict.valid, "unknown");
    assert.match(verdict.summary, /^unknown: \w+: the --time-limit of 0\.2 s was reached while reading, after \d+ records( \(and 1 more checker\))?$/);
    assert.ok(verdict.checkers.length > 0 && verdict.checkers.every((c) => c.valid === "unknown" && /reached while reading/.test(c.summary)));
  });
});

describe("output folders", () => {
  it("never leave --out, and stay distinct", () => {
    assert.deepEqual(outputDirs(["../../etc/x.ndjson", "a/x.edn", "..", "/tmp/.hidden.ndjson"].map(reportStem), "out"), ["out/x", "out/x-2", "out/_", "out/_hidden"]);
  });
});
