import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseEDNString } from "edn-data";
import { loadHistory } from "../../src/load.ts";
import { ndjson, runCli, tempDir, writeTemp } from "../support/helpers.ts";
import { skew } from "../support/txn-histories.ts";

const write = (p: number, value: number, t: number): object[] => [
  { type: "invoke", f: "write", process: p, value, time: t },
  { type: "ok", f: "write", process: p, value, time: t + 1000 },
];
const registerHistory = ndjson([...write(0, 1, 0), ...write(1, 2, 5000)]);

describe("analyze: what stdout and stderr say", () => {
  it("each explanation and the auto-choice reasons are one line per history on stderr, prefixed with its file; --quiet removes them", async () => {
    const a = writeTemp("a.ndjson", registerHistory);
    const b = writeTemp("b.ndjson", registerHistory);
    const r = await runCli(["analyze", a, b, "--report", "none"]);
    assert.equal(r.code, 0);
    const lines = r.stderr.trimEnd().split("\n");
    assert.deepEqual(lines.map((l) => l.slice(0, l.indexOf(": "))), [a, a, b, b]);
    assert.match(lines[0]!, /: checkers: stats \(always[^)]*\); linearizable \(--model auto chose register/);
    assert.match(lines[1]!, /: valid: linearizable found nothing wrong$/);
    const quiet = await runCli(["analyze", a, b, "--report", "none", "--quiet"]);
    assert.equal(quiet.stderr, "");
    assert.equal(quiet.stdout, `${a}\tvalid\n${b}\tvalid\n`);
  });

  it("an unreadable file still gets its PATH<TAB>unreadable line, in input order", async () => {
    const good = writeTemp("good.ndjson", registerHistory);
    const bad = writeTemp("bad.ndjson", '{"type":\n');
    const r = await runCli(["analyze", bad, good, "--report", "none"]);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, `${bad}\tunreadable\n${good}\tvalid\n2 histories: 1 valid, 0 invalid, 0 unknown, 1 unreadable\n`);
  });

  it("control characters in file names are escaped: a name cannot forge a verdict line", async () => {
    const file = join(tempDir(), "x\nforged.ndjson\tvalid\u001b[2K.ndjson");
    writeFileSync(file, registerHistory);
    const r = await runCli(["analyze", file, "--report", "none", "--quiet"]);
    assert.equal(r.stdout.split("\n").length, 2, "one line and the final newline");
    assert.ok(r.stdout.startsWith(`${file.slice(0, file.indexOf("\n"))}\\nforged.ndjson\\tvalid\\u{1b}[2K.ndjson\tvalid`), r.stdout);
  });

  it("--output elle prints elle-cli's PATH<TAB>true|false|unknown and nothing else", async () => {
    const good = writeTemp("good.ndjson", registerHistory);
    const bad = writeTemp("skew.ndjson", skew);
    const none = writeTemp("ping.ndjson", ndjson([{ type: "invoke", f: "ping", process: 0 }, { type: "ok", f: "ping", process: 0 }]));
    const r = await runCli(["analyze", good, bad, none, "--report", "none", "--output", "elle"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, `${good}\ttrue\n${bad}\tfalse\n${none}\tunknown\n`);
  });
});

describe("analyze: choosing checkers", () => {
  it("--checker auto,set runs auto's choice and set, with no complaint about 'auto'", async () => {
    const r = await runCli(["analyze", writeTemp("h.ndjson", registerHistory), "--checker", "auto,set", "--report", "none", "--json"]);
    assert.doesNotMatch(r.stderr, /unknown checker/);
    assert.deepEqual(JSON.parse(r.stdout).picked.map((p: { checker: string }) => p.checker), ["stats", "linearizable", "set"]);
  });

  it("a forced checker that does not apply is unknown with the reason, never invalid", async () => {
    const r = await runCli(["analyze", writeTemp("h.ndjson", registerHistory), "--checker", "counter", "--report", "none", "--json"]);
    assert.equal(r.code, 2);
    const verdict = JSON.parse(r.stdout);
    assert.equal(verdict.checkers[0].valid, "unknown");
    assert.equal(verdict.checkers[0].summary, "counter does not apply to these operations (ops: write), so it was not run");
  });

  it("elle-cli's model names choose the checker: --model list-append runs txn", async () => {
    const r = await runCli(["analyze", writeTemp("skew.ndjson", skew), "--model", "list-append", "--report", "none", "--json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).picked.map((p: { checker: string }) => p.checker), ["stats", "txn"]);
    const rw = await runCli(["analyze", writeTemp("skew.ndjson", skew), "--model", "rw-register", "--checker", "txn", "--report", "none", "--json"]);
    assert.deepEqual(JSON.parse(rw.stdout).picked.map((p: { checker: string }) => p.checker), ["txn"]);
    const bank = await runCli(["analyze", join(import.meta.dirname, "..", "..", "histories", "async-failover-bank.ndjson"), "--model", "bank", "--report", "none", "--json"]);
    assert.deepEqual(JSON.parse(bank.stdout).picked.map((p: { checker: string }) => p.checker), ["stats", "bank"]);
  });
});

describe("analyze: report folders", () => {
  it("results.edn beside verdict.json is Jepsen's {:valid? …} per checker, readable EDN", async () => {
    const out = tempDir();
    await runCli(["analyze", writeTemp("skew.ndjson", skew), "--out", out, "--report", "json", "--quiet"]);
    const edn = parseEDNString(readFileSync(join(out, "skew", "results.edn"), "utf8"), { mapAs: "object", keywordAs: "string" }) as Record<string, Record<string, unknown>>;
    assert.equal(edn["valid?"], false);
    assert.equal(edn.txn!["valid?"], false);
    assert.equal(edn.stats!["valid?"], true);
  });

  it("a re-run replaces the whole folder: no earlier report.md beside a new verdict.json; the index follows", async () => {
    const out = tempDir();
    const files = [writeTemp("a.ndjson", skew), writeTemp("b.ndjson", registerHistory)];
    await runCli(["analyze", ...files, "--out", out, "--quiet"]);
    assert.ok(existsSync(join(out, "a", "report.md")) && existsSync(join(out, "index.html")));
    writeFileSync(files[0]!, registerHistory);
    const again = await runCli(["analyze", ...files, "--out", out, "--report", "json", "--quiet"]);
    assert.equal(again.code, 0);
    assert.ok(!existsSync(join(out, "a", "report.md")), "the stale invalid report.md is gone");
    assert.ok(!existsSync(join(out, "a", "charts")));
    assert.equal(JSON.parse(readFileSync(join(out, "a", "verdict.json"), "utf8")).valid, true);
    assert.ok(!existsSync(join(out, "index.html")) && !existsSync(join(out, "index.md")), "an index linking reports no longer there is removed");
  });
});

describe("convert", () => {
  it("--to defaults to ndjson; --to edn writes Jepsen op maps that read back as the same operations", async () => {
    const file = writeTemp("skew.ndjson", skew);
    const plain = await runCli(["convert", file]);
    assert.equal(plain.code, 0);
    assert.equal(plain.stdout.split("\n")[0], '{"index":0,"type":"invoke","f":"txn","process":0,"value":[["append","x",1],["append","y",1]]}');
    const out = join(tempDir(), "skew.edn");
    const edn = await runCli(["convert", file, "--to", "edn", "-o", out]);
    assert.equal(edn.code, 0, edn.stderr);
    const text = readFileSync(out, "utf8");
    assert.equal(text.split("\n")[0], "{:index 0, :type :invoke, :f :txn, :process 0, :value [[:append \"x\" 1] [:append \"y\" 1]]}");
    assert.deepEqual((await loadHistory(out)).operations, (await loadHistory(file)).operations);
  });
});
