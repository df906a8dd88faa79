import { Worker, type Job } from "bullmq";
import { decode, encode } from "./codec.ts";
import { QUEUE_NAME, connectRedis, submitterKey, type JobData } from "./queue.ts";
import { ThreadRunner, type Task } from "./runner.ts";
import { runUploaded } from "./upload.ts";

export interface QueueWorkerOptions {
  redis: string;
  /** Tasks at once, each on its own thread. */
  concurrency: number;
  /** Heap ceiling of each thread, in MB. */
  memoryLimitMb?: number;
  /** A job whose worker has not renewed its lock for this long (ms) is taken as stalled and given to another. */
  stallMs: number;
  /** Times a job may stall (its worker died) before it fails for good. */
  maxStalls: number;
  log(line: string): void;
}

export interface QueueWorker {
  /** Resolves once the worker stopped (close() was called). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Jobs come from whoever can reach the queue: checked before they reach a thread. */
function isTask(value: unknown): value is Task {
  if (typeof value !== "object" || value === null || !("kind" in value)) return false;
  if (value.kind === "part") return "checker" in value && typeof value.checker === "string" && "part" in value;
  return value.kind === "file" && "file" in value && typeof value.file === "string" && "options" in value && "output" in value && (!("upload" in value) || value.upload === undefined || typeof value.upload === "string");
}

function describe(task: Task): string {
  return task.kind === "file" ? `file ${task.file}` : `part of ${task.checker}`;
}

/**
 * `hindsight worker`: takes jobs off the queue and runs each on a thread of its own
 * ThreadRunner, so that the BullMQ loop (which renews the jobs' locks) is never blocked by a
 * check. Retries and stall detection are BullMQ's.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const client = await connectRedis(options.redis, true);
  const threads = new ThreadRunner(options.concurrency, options.memoryLimitMb);
  const freeLanes = Array.from({ length: options.concurrency }, (_, lane) => lane);
  const perform = async (job: Job<JobData>): Promise<string> => {
    const started = performance.now();
    const { submitter } = job.data;
    if ((await client.exists(submitterKey(submitter))) === 0) {
      options.log(`job ${job.id}: skipped, its submitter is gone`);
      return encode(undefined);
    }
    const task = decode(job.data.task);
    if (!isTask(task)) throw new Error("the job holds no task");
    const lane = freeLanes.pop()!;
    try {
      const outcome = task.kind === "file" ? await runUploaded(task, (local) => threads.run(lane, local)) : await threads.run(lane, task);
      const took = `${Math.round(performance.now() - started)} ms`;
      if (!outcome.ok) {
        options.log(`job ${job.id}: ${describe(task)} failed after ${took}: ${outcome.reason}`);
        throw new Error(outcome.reason);
      }
      options.log(`job ${job.id}: ${describe(task)} done in ${took}`);
      return encode(outcome.value);
    } finally {
      freeLanes.push(lane);
    }
  };
  const worker = new Worker<JobData, string>(QUEUE_NAME, perform, {
    connection: client,
    concurrency: options.concurrency,
    lockDuration: options.stallMs,
    stalledInterval: options.stallMs,
    maxStalledCount: options.maxStalls,
  });
  worker.on("error", (error) => options.log(`queue: ${error.message}`));
  worker.on("stalled", (jobId) => options.log(`job ${jobId}: stalled (its worker died?), back in the queue`));
  await worker.waitUntilReady();
  let stopped!: () => void;
  const closed = new Promise<void>((resolve) => (stopped = resolve));
  return {
    closed,
    close: async () => {
      await worker.close();
      await threads.close();
      client.disconnect();
      stopped();
    },
  };
}
