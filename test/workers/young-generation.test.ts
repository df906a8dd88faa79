import assert from "node:assert/strict";
import { closeSync, openSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LARGE_INPUT_BYTES, largeRunFlags, wantsLargeYoungGeneration } from "../../src/workers/young-generation.ts";
import { tempDir } from "../support/helpers.ts";
import { crashed, spawnCli } from "../support/spawn-cli.ts";

/** A file of `bytes` zero bytes that takes no disk (sparse). */
function sparseFile(name: string, bytes: number): string {
  const path = join(tempDir(), name);
  writeFileSync(path, "");
  truncateSync(path, bytes);
  return path;
}

describe("a large analysis runs with a larger young generation", () => {
  it("is wanted once the named files reach LARGE_INPUT_BYTES together, not under --memory-limit, and not again in the process that has it", () => {
    const half = sparseFile("half.ndjson", LARGE_INPUT_BYTES / 2);
    const other = sparseFile("other.ndjson", LARGE_INPUT_BYTES / 2);
    assert.equal(wantsLargeYoungGeneration([half, "--out", tempDir(), "--checker", "txn"], []), false);
    assert.equal(wantsLargeYoungGeneration([half, other, "--report", "none"], []), true);
    assert.equal(wantsLargeYoungGeneration([sparseFile("big.ndjson", LARGE_INPUT_BYTES)], []), true);
    assert.equal(wantsLargeYoungGeneration([sparseFile("big2.ndjson", LARGE_INPUT_BYTES)], ["--max-semi-space-size=64"]), false);
    assert.equal(wantsLargeYoungGeneration(["-", "no-such-file", tempDir()], []), false);
    const big = sparseFile("big3.ndjson", LARGE_INPUT_BYTES);
    assert.equal(wantsLargeYoungGeneration([big, "--memory-limit", "1200"], []), false);
    assert.equal(wantsLargeYoungGeneration([big, "--memory-limit=1200"], []), false);
    // Standard input counts when it is named and is a regular file (`< h.ndjson`); a pipe is 0.
    assert.equal(wantsLargeYoungGeneration(["-", "--report", "none"], [], () => LARGE_INPUT_BYTES), true);
    assert.equal(wantsLargeYoungGeneration(["-"], [], () => 0), false);
    assert.equal(wantsLargeYoungGeneration([half], [], () => LARGE_INPUT_BYTES), false);
  });

  it("re-runs the command in a child with the flag, whose output and exit status are the command's", async () => {
    const log = join(tempDir(), "exec-argv.txt");
    const hook = join(tempDir(), "exec-argv.mjs");
    writeFileSync(hook, `import { appendFileSync } from "node:fs";\nappendFileSync(${JSON.stringify(log)}, process.execArgv.filter((a) => a.startsWith("--max-semi")).join(" ") + "|\\n");\n`);
    const zeros = sparseFile("zeros.ndjson", LARGE_INPUT_BYTES);
    const r = await spawnCli(["analyze", zeros, "--report", "none"], { env: { NODE_OPTIONS: `--import ${hook}` } });
    assert.equal(r.code, 3, r.stderr);
    assert.ok(!crashed(r.stderr), r.stderr);
    assert.match(r.stderr, /^hindsight: \S*zeros\.ndjson:1: unrecognised format/m);
    assert.match(r.stdout, /zeros\.ndjson\tunreadable\n1 history: .*1 unreadable/);
    assert.deepEqual(readFileSync(log, "utf8").trim().split("\n"), ["|", "--max-semi-space-size=64|"]);
    // The same file as standard input (`analyze - < zeros.ndjson`): the child reads it from the start.
    writeFileSync(log, "");
    const fd = openSync(zeros, "r");
    const piped = await spawnCli(["analyze", "-", "--report", "none"], { env: { NODE_OPTIONS: `--import ${hook}` }, stdin: fd });
    closeSync(fd);
    assert.equal(piped.code, 3, piped.stderr);
    assert.match(piped.stderr, /unrecognised format/);
    assert.deepEqual(readFileSync(log, "utf8").trim().split("\n"), ["|", "--max-semi-space-size=64|"]);
  });

  it("leaves the launcher's start-up snapshot (which V8 would refuse under another young generation) and one-thread V8 pool out of the child's node flags", () => {
    assert.deepEqual(largeRunFlags(["--v8-pool-size=1", "--snapshot-blob", "/x/hindsight.blob", "--enable-source-maps"]), ["--enable-source-maps"]);
    assert.deepEqual(largeRunFlags(["--snapshot-blob=/x/hindsight.blob", "--import", "hook.mjs"]), ["--import", "hook.mjs"]);
    assert.deepEqual(largeRunFlags(["--max-old-space-size=100"]), ["--max-old-space-size=100"]);
  });
});
