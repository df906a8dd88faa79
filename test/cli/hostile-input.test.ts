import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ndjson, runCli, tempDir, writeTemp } from "../support/helpers.ts";

function reportBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

describe("hostile input end to end", () => {
  it("huge times (1e20, a span of 1e27) give a verdict and every report, for each kind of history", async () => {
    const huge = [0, 1e20, 1e27, 1.0000001e27, 2e27, 3e27];
    const histories: Record<string, object[]> = {
      register: [{ f: "write", value: 1 }, { f: "read", value: 1 }, { f: "read", value: 1 }],
      set: [{ f: "add", value: 1 }, { f: "read", value: [1] }, { f: "read", value: [1] }],
      counter: [{ f: "add", value: 1 }, { f: "read", value: 1 }, { f: "read", value: 1 }],
    };
    for (const [name, ops] of Object.entries(histories)) {
      const records = ops.flatMap((op, i) => [
        { type: "invoke", process: i, time: huge[2 * i], ...op, value: op === ops[0] ? (op as { value: unknown }).value : null },
        { type: "ok", process: i, time: huge[2 * i + 1], ...op },
      ]);
      const out = tempDir();
      const r = await runCli(["analyze", writeTemp(`${name}.ndjson`, ndjson(records)), "--out", out, "--quiet"]);
      assert.ok([0, 1, 2].includes(r.code), `${name}: exit ${r.code}: ${r.stderr.slice(0, 500)}`);
      for (const file of ["verdict.json", "report.md", "report.html"]) assert.ok(statSync(join(out, name, file)).size > 0, `${name}/${file}`);
    }
  });

  it("a value of 5 MB is cut wherever a person reads it, and kept whole in verdict.json", async () => {
    const big = "v".repeat(5_000_000);
    const file = writeTemp("big-value.ndjson", ndjson([
      { type: "invoke", f: "write", value: big, process: 0 },
      { type: "ok", f: "write", value: big, process: 0 },
      { type: "invoke", f: "read", value: null, process: 1 },
      { type: "ok", f: "read", value: "other", process: 1 },
    ]));
    const out = tempDir();
    const r = await runCli(["analyze", file, "--out", out, "--checker", "linearizable", "--model", "register"]);
    assert.equal(r.code, 1, r.stderr.slice(0, 300));
    assert.ok(r.stderr.length < 10_000, `stderr is ${r.stderr.length} characters`);
    const dir = join(out, "big-value");
    assert.ok(statSync(join(dir, "report.html")).size < 500_000, `report.html is ${statSync(join(dir, "report.html")).size} bytes`);
    assert.ok(statSync(join(dir, "report.md")).size < 100_000);
    assert.ok(reportBytes(dir) - statSync(join(dir, "verdict.json")).size < 1_000_000);
    assert.match(readFileSync(join(dir, "report.md"), "utf8"), /more characters\)/);
  });

  it("a bad record's error is one short line even when it quotes a huge token", async () => {
    const r = await runCli(["analyze", writeTemp("big-token.edn", `{:type :invoke, :f :read, :process 0, :value 1${"x".repeat(1_000_000)}}\n`), "--report", "none"]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /big-token\.edn:1:\d+: "1x+"… \([\d,]+ more characters\) is not a number/);
    assert.ok(r.stderr.length < 5_000);
  });
});
