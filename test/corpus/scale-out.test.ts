/**
 * Issue 21 end to end: a real redis-server, two `hindsight worker` processes, a batch of 40
 * simulated histories analyzed with --redis: the same verdict.json bytes as a local run, and
 * still the same and complete when one worker is SIGKILLed mid-batch (BullMQ's stalled-job
 * check gives its task to the other). Skipped when redis-server is missing.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { simulateToFile } from "../../src/simulate/run.ts";
import { DEFAULT_OPTIONS } from "../../src/simulate/simulator.ts";
import { runCli, tempDir } from "../support/helpers.ts";
import { redisSkipReason, startRedis, startWorker, stopWorker, type RedisServer, type WorkerProcess } from "../support/redis-server.ts";

const HISTORIES = 40;

function verdicts(out: string): Map<string, string> {
  return new Map(readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => [e.name, readFileSync(join(out, e.name, "verdict.json"), "utf8")]));
}

describe("a batch over BullMQ on a real Redis with two workers", { skip: redisSkipReason() }, () => {
  let redis: RedisServer;
  const workers: WorkerProcess[] = [];
  const dir = tempDir();
  const histories = join(dir, "histories");
  let local: Map<string, string>;
  let localIndex: string;

  before(async () => {
    redis = await startRedis();
    mkdirSync(histories);
    for (let seed = 1; seed <= HISTORIES; seed++) {
      const behaviour = seed % 2 === 0 ? "majority" : "async-failover";
      await simulateToFile({ ...DEFAULT_OPTIONS, behaviour, seed, ops: 600 }, join(histories, `h${String(seed).padStart(2, "0")}.ndjson`));
    }
    const run = await runCli(["analyze", histories, "--out", join(dir, "local"), "--workers", "1"]);
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    local = verdicts(join(dir, "local"));
    localIndex = readFileSync(join(dir, "local", "index.md"), "utf8");
    assert.equal(local.size, HISTORIES);
    workers.push(await startWorker(redis.url, 1, 2), await startWorker(redis.url, 1, 2));
  });
  after(async () => {
    await Promise.all(workers.map(stopWorker));
    await redis?.stop();
  });

  it("gives the local run's verdict.json bytes and index, both workers taking tasks", async () => {
    const out = join(dir, "queued");
    const run = await runCli(["analyze", histories, "--out", out, "--redis", redis.url]);
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    assert.deepEqual(verdicts(out), local);
    assert.equal(readFileSync(join(out, "index.md"), "utf8"), localIndex);
    assert.match(run.stderr, /queue: \d+ queued, \d+ running, \d+ done/);
    for (const worker of workers) assert.match(worker.log, /job \d+: file .* done in \d+ ms/);
  });

  it("with one worker SIGKILLed mid-batch: its task goes to the other, and the verdicts are still the local run's, all of them", async () => {
    const out = join(dir, "killed");
    const [victim, survivor] = workers as [WorkerProcess, WorkerProcess];
    const killed = new Promise<void>((resolve) => {
      const start = victim.log.length;
      // Right after a task is done it has taken the next one: the kill lands mid-task.
      victim.child.stderr!.on("data", () => {
        if (/done in/.test(victim.log.slice(start)) && victim.child.signalCode === null) {
          victim.child.kill("SIGKILL");
          resolve();
        }
      });
    });
    const run = await runCli(["analyze", histories, "--out", out, "--redis", redis.url]);
    await killed;
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    assert.deepEqual(verdicts(out), local);
    // The survivor's stderr may trail the results it sent through Redis.
    const stalled = /stalled \(its worker died\?\), back in the queue/;
    for (let waited = 0; !stalled.test(survivor.log) && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(survivor.log, stalled, `victim:\n${victim.log}\nsurvivor:\n${survivor.log}`);
  });
});
