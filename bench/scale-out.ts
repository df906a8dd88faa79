/**
 * Batch wall time over BullMQ: `npm run bench:scale-out [-- HISTORIES [OPS]]` simulates
 * HISTORIES histories (default 40) of OPS records (default 3000), then analyzes the batch
 * locally with --workers 1 and 2, and over a throwaway redis-server with 1 and 2 `hindsight
 * worker`s (--concurrency 1 each), and a batch of tiny histories (20 records) to show the
 * overhead per task. Prints one JSON line per run. Needs redis-server.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulateToFile } from "../src/simulate/run.ts";
import { DEFAULT_OPTIONS } from "../src/simulate/simulator.ts";
import { tempDir } from "../test/support/helpers.ts";
import { redisSkipReason, startRedis, startWorker, stopWorker, type WorkerProcess } from "../test/support/redis-server.ts";

const histories = Number(process.argv[2] ?? 40);
const ops = Number(process.argv[3] ?? 3000);
const skip = redisSkipReason();
if (skip) throw new Error(skip);
const CLI = fileURLToPath(new URL("../src/bin/hindsight.ts", import.meta.url));
const dir = tempDir();

async function simulate(name: string, count: number, records: number): Promise<string> {
  const folder = join(dir, name);
  mkdirSync(folder);
  for (let seed = 1; seed <= count; seed++) await simulateToFile({ ...DEFAULT_OPTIONS, behaviour: seed % 2 ? "async-failover" : "majority", seed, ops: records }, join(folder, `h${seed}.ndjson`));
  return folder;
}

function analyzeSeconds(folder: string, args: string[]): number {
  const started = performance.now();
  try {
    execFileSync(process.execPath, ["--import", "tsx", CLI, "analyze", folder, "--out", join(dir, `out-${Math.random()}`), "--quiet", ...args], { stdio: "ignore" });
  } catch {
    // exit 1: some history is invalid, as simulated
  }
  return (performance.now() - started) / 1000;
}

const batch = await simulate("batch", histories, ops);
const tiny = await simulate("tiny", histories, 20);
const redis = await startRedis();
const workers: WorkerProcess[] = [];
try {
  const report = (run: string, folder: string, args: string[]): void => {
    const seconds = analyzeSeconds(folder, args);
    console.log(JSON.stringify({ run, histories, ops: folder === tiny ? 20 : ops, seconds: Number(seconds.toFixed(2)), msPerHistory: Math.round((seconds * 1000) / histories) }));
  };
  report("local --workers 1", batch, ["--workers", "1"]);
  report("local --workers 2", batch, ["--workers", "2"]);
  report("local --workers 1, tiny", tiny, ["--workers", "1"]);
  workers.push(await startWorker(redis.url, 1));
  report("redis, 1 worker", batch, ["--redis", redis.url]);
  report("redis, 1 worker, tiny", tiny, ["--redis", redis.url]);
  workers.push(await startWorker(redis.url, 1));
  report("redis, 2 workers", batch, ["--redis", redis.url]);
  report("redis, 2 workers, tiny", tiny, ["--redis", redis.url]);
} finally {
  await Promise.all(workers.map(stopWorker));
  await redis.stop();
}
