/**
 * analyze --redis --send-inputs: histories the workers cannot see travel with their tasks, and
 * the reports come back to be written under the submitter's --out. The worker here runs in
 * another working folder, so the relative paths the submitter gives name nothing there.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { abandonedVerdict } from "../../src/checkers/verdict.ts";
import { UsageError } from "../../src/history/errors.ts";
import { simulateToFile } from "../../src/simulate/run.ts";
import { DEFAULT_OPTIONS } from "../../src/simulate/simulator.ts";
import type { AnalyzeTaskResult } from "../../src/workers/analyze-task.ts";
import type { FileTask } from "../../src/workers/runner.ts";
import { MAX_UPLOAD_BYTES, isReportFiles, refuseLargeUploads, runUploaded, withUpload } from "../../src/workers/upload.ts";
import { runCli, tempDir } from "../support/helpers.ts";
import { redisSkipReason, startRedis, startWorker, stopWorker, type RedisServer, type WorkerProcess } from "../support/redis-server.ts";

const HISTORIES = 4;

/** Every file under `dir`, by relative path, with its bytes as text. */
function tree(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const read = (path: string): string => readFileSync(path, "utf8");
  return new Map(files.map((e) => [join(e.parentPath, e.name).slice(dir.length + 1), read(join(e.parentPath, e.name))]));
}

function fileTask(file: string, formats: FileTask["output"]["formats"] = ["json"]): FileTask {
  return { kind: "file", file, options: { checkers: ["auto"] }, output: { dir: "unused", formats } };
}

describe("uploads", () => {
  it("a history larger than the limit is refused up front, naming it and the shared-path way out", async () => {
    const big = join(tempDir(), "big.ndjson");
    writeFileSync(big, "");
    truncateSync(big, MAX_UPLOAD_BYTES + 1);
    const small = join(tempDir(), "small.ndjson");
    writeFileSync(small, "{}\n");
    await refuseLargeUploads([small]);
    await assert.rejects(refuseLargeUploads([small, big]), (error) => error instanceof UsageError && error.message.includes(big) && /a path the workers share/.test(error.message));
  });

  it("an unreadable history is the file's unreadable result, as in a local run, not a job", async () => {
    const missing = join(tempDir(), "missing.ndjson");
    const sent = await withUpload(fileTask(missing));
    assert.ok(!("kind" in sent) && !sent.ok && sent.userError && sent.message.startsWith(`${missing}: ENOENT`), JSON.stringify(sent));
  });

  it("the worker analyzes the bytes under the original name, returns the reports, and leaves no temp folder", async () => {
    const history = join(tempDir(), "h.ndjson");
    writeFileSync(history, '{"process":0,"type":"invoke","f":"read","value":null}\n');
    const sent = await withUpload(fileTask("elsewhere/h.ndjson"));
    assert.ok(!("kind" in sent) && !sent.ok, "elsewhere/h.ndjson does not exist here");
    const task = await withUpload({ ...fileTask(history), file: history });
    assert.ok("kind" in task && typeof task.upload === "string");
    let seen: FileTask | undefined;
    const outcome = await runUploaded({ ...task, file: "their/h.ndjson" }, (local) => {
      seen = local;
      assert.equal(readFileSync(local.file, "utf8"), readFileSync(history, "utf8"));
      mkdirSync(join(local.output.dir, "charts"), { recursive: true });
      writeFileSync(join(local.output.dir, "verdict.json"), "{}\n");
      writeFileSync(join(local.output.dir, "charts", "a.svg"), "<svg/>");
      const result: AnalyzeTaskResult = { ok: true, verdict: abandonedVerdict("their/h.ndjson", "a stand-in") };
      return Promise.resolve({ ok: true, value: result });
    });
    assert.ok(seen && seen.upload === undefined && seen.options.name === "their/h.ndjson" && seen.file.endsWith("/h.ndjson"));
    assert.ok(outcome.ok);
    assert.deepEqual((outcome.value as { reports: unknown }).reports, [["charts/a.svg", "<svg/>"], ["verdict.json", "{}\n"]]);
    assert.throws(() => readdirSync(seen!.output.dir), /ENOENT/);
  });

  it("report files from a worker must stay inside the report folder", () => {
    assert.ok(isReportFiles([["verdict.json", "{}"], ["charts/a.svg", ""]]));
    for (const name of ["../x", "/etc/x", "a/../../x", "", "a//b"]) assert.ok(!isReportFiles([[name, ""]]), name);
    assert.ok(!isReportFiles([["verdict.json", 1]]));
  });
});

describe("analyze --redis --send-inputs with a worker that cannot see the histories", { skip: redisSkipReason() }, () => {
  let redis: RedisServer;
  let worker: WorkerProcess;
  const dir = tempDir();
  const workerTmp = tempDir();
  const home = process.cwd();
  let local: Map<string, string>;

  before(async () => {
    redis = await startRedis();
    mkdirSync(join(dir, "histories"));
    for (let seed = 1; seed <= HISTORIES; seed++) {
      await simulateToFile({ ...DEFAULT_OPTIONS, behaviour: seed % 2 === 0 ? "majority" : "async-failover", seed, ops: 300 }, join(dir, "histories", `h${seed}.ndjson`));
    }
    // Relative paths from here name the histories; from the worker's folder they name nothing.
    process.chdir(dir);
    const run = await runCli(["analyze", "histories", "--out", "local", "--workers", "1"]);
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    local = tree(join(dir, "local"));
    worker = await startWorker(redis.url, 1, 30, { cwd: tempDir(), env: { ...process.env, TMPDIR: workerTmp } });
  });
  after(async () => {
    process.chdir(home);
    await stopWorker(worker);
    await redis?.stop();
  });

  it("without --send-inputs the worker cannot read them: the test's worker really does not see the paths", async () => {
    const run = await runCli(["analyze", "histories", "--out", "blind", "--redis", redis.url, "--quiet"]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /histories\/h1\.ndjson: ENOENT/);
  });

  it("with --send-inputs every report file has the local run's bytes, and the worker leaves no upload in its temp folder", async () => {
    const run = await runCli(["analyze", "histories", "--out", "sent", "--redis", redis.url, "--send-inputs", "--quiet"]);
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    const sent = tree(join(dir, "sent"));
    assert.deepEqual([...sent.keys()].sort(), [...local.keys()].sort());
    for (const [name, bytes] of local) assert.ok(sent.get(name) === bytes, `${name} differs from the local run's`);

    assert.ok(sent.get("h1/verdict.json")!.includes('"file": "histories/h1.ndjson"'));
    assert.deepEqual(readdirSync(workerTmp).filter((name) => name.startsWith("hindsight-upload-")), []);
    assert.match(worker.log, /job \d+: file histories\/h1\.ndjson done in \d+ ms/);
  });

  it("--send-inputs without --redis is a usage error", async () => {
    const run = await runCli(["analyze", "histories", "--out", "x", "--send-inputs"]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /--send-inputs: needs --redis/);
  });
});
