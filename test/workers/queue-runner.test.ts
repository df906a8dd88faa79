import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Queue, QueueEvents } from "bullmq";
import { listAppendHistory } from "../../bench/generate-list-append.ts";
import { checkTxn } from "../../src/checkers/txn/check.ts";
import { txnChecker } from "../../src/checkers/txn/checker.ts";
import { UsageError } from "../../src/history/errors.ts";
import type { AnalyzeTaskResult } from "../../src/workers/analyze-task.ts";
import { analyzeAll } from "../../src/workers/batch.ts";
import { encode } from "../../src/workers/codec.ts";
import { QUEUE_NAME, type JobData } from "../../src/workers/queue.ts";
import { QueueRunner, type QueueCounts } from "../../src/workers/queue-runner.ts";
import { startQueueWorker, type QueueWorker } from "../../src/workers/queue-worker.ts";
import { runCheckerOn } from "../../src/workers/run-checker.ts";
import type { Runner } from "../../src/workers/runner.ts";
import { historyOf } from "../support/helpers.ts";
import { freePort, redisSkipReason, startRedis, type RedisServer } from "../support/redis-server.ts";

describe("QueueRunner and hindsight worker over a real Redis", { skip: redisSkipReason() }, () => {
  let redis: RedisServer;
  let worker: QueueWorker;
  const log: string[] = [];
  before(async () => {
    redis = await startRedis();
    worker = await startQueueWorker({ redis: redis.url, concurrency: 2, stallMs: 5_000, maxStalls: 1, log: (line) => log.push(line) });
  });
  after(async () => {
    await worker?.close();
    await redis?.stop();
  });

  it("a checker's parts through the queue give the inline result, typed arrays and all; progress counts every part done", async () => {
    const counts: QueueCounts[] = [];
    const runner = await QueueRunner.connect(redis.url, { onCounts: (c) => counts.push(c) });
    try {
      const history = historyOf([...listAppendHistory(3000, { anomalyEvery: 40 })]);
      const inline = checkTxn(history, {});
      assert.equal(inline.valid, false);
      const queued = await runCheckerOn(runner, { checker: txnChecker, reason: "test" }, history, {}, {}, 0);
      assert.deepEqual(queued, inline);
      const last = counts.at(-1)!;
      assert.ok(last.done > 0 && last.queued === 0 && last.running === 0, JSON.stringify(last));
      assert.ok(log.some((line) => /part of txn done in \d+ ms/.test(line)), log.join("\n"));
    } finally {
      await runner.close();
    }
  });

  it("a task that fails on its worker comes back lost, with the reason: the caller makes it unknown", async () => {
    const runner = await QueueRunner.connect(redis.url);
    try {
      const outcome = await runner.run(0, { kind: "part", checker: "no-such-checker", part: null });
      assert.equal(outcome.ok, false);
      assert.ok(!outcome.ok && outcome.lost === true && /job failed on the queue: .*no-such-checker/.test(outcome.reason), JSON.stringify(outcome));
    } finally {
      await runner.close();
    }
  });

  it("a worker skips the jobs of a submitter that is gone", async () => {
    const queue = new Queue(QUEUE_NAME, { connection: { url: redis.url } });
    const events = new QueueEvents(QUEUE_NAME, { connection: { url: redis.url } });
    try {
      await events.waitUntilReady();
      const data: JobData = { submitter: "long-gone", task: encode({ kind: "part", checker: "txn", part: null }) };
      const job = await queue.add("part", data);
      assert.equal(await job.waitUntilFinished(events), encode(undefined));
      assert.ok(log.some((line) => line === `job ${job.id}: skipped, its submitter is gone`), log.join("\n"));
    } finally {
      await events.close();
      await queue.close();
    }
  });
});

describe("Redis unreachable", () => {
  it("is a usage error (exit 3) naming the URL, without retrying for minutes", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await assert.rejects(QueueRunner.connect(url), (error) => error instanceof UsageError && error.message.includes(url) && /cannot reach Redis/.test(error.message));
    await assert.rejects(startQueueWorker({ redis: url, concurrency: 1, stallMs: 1000, maxStalls: 1, log: () => {} }), UsageError);
  });
});

describe("a batch on a distributed runner", () => {
  it("sends every file to it, none inline, and a lost file is unknown with the reason, not an error", async () => {
    const sent: string[] = [];
    const runner: Runner = {
      size: 2,
      distributed: true,
      warm: () => Promise.resolve(),
      run: (_lane, task) => {
        if (task.kind === "file") sent.push(task.file);
        return Promise.resolve({ ok: false, reason: "its job failed on the queue: job stalled more than allowable limit", outOfMemory: false, lost: true });
      },
      close: () => Promise.resolve(),
    };
    const options = { checkers: ["auto"] };
    const tasks = ["a.ndjson", "b.ndjson", "c.ndjson"].map((file) => ({ file, options, output: { dir: "unused", formats: [] } }));
    const results: AnalyzeTaskResult[] = [];
    for await (const result of analyzeAll(tasks, runner)) results.push(result);
    assert.deepEqual(sent.sort(), ["a.ndjson", "b.ndjson", "c.ndjson"]);
    for (const result of results) {
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.verdict.valid, "unknown");
      assert.match(result.verdict.summary, /job stalled more than allowable limit/);
    }
  });
});
