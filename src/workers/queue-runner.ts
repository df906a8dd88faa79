import { randomUUID } from "node:crypto";
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { decode, encode } from "./codec.ts";
import { QUEUE_NAME, SUBMITTER_TTL_MS, connectRedis, submitterKey, type JobData } from "./queue.ts";
import type { Outcome, Runner, Task } from "./runner.ts";
import { withUpload } from "./upload.ts";

/** Tasks in the queue at once per submitter: enough to keep many machines busy, few enough that --first-failure wastes little. */
export const QUEUE_LANES = 64;
/** Finished jobs stay in Redis this long (s) for inspection, then BullMQ removes them. */
const KEEP_FINISHED_S = 3_600;

export interface QueueRunnerOptions {
  onCounts?: (counts: QueueCounts) => void;
  /** File tasks carry the history's bytes (upload.ts), for workers that cannot see its path. */
  sendInputs?: boolean;
}

export interface QueueCounts {
  queued: number;
  running: number;
  done: number;
}

/**
 * A Runner whose lanes are jobs on a BullMQ queue in Redis, taken by `hindsight worker`s
 * anywhere (queue-worker.ts): `run` enqueues the task and awaits its result. Checkers and
 * batches run the same code as on threads; only the transport differs. A job whose worker died
 * is retried by BullMQ's stalled-job check; one that failed for good comes back lost, with why.
 */
export class QueueRunner implements Runner {
  readonly size = QUEUE_LANES;
  /** Every task's result comes back from elsewhere: the caller keeps no batch work to itself. */
  readonly distributed = true;
  private readonly submitter = randomUUID();
  private readonly heartbeat: NodeJS.Timeout;
  /** This submitter's jobs in the queue: running once a worker took them. */
  private readonly jobs = new Map<string, "queued" | "running">();
  private done = 0;

  private constructor(
    private readonly client: Redis,
    private readonly blocking: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly onCounts: (counts: QueueCounts) => void,
    private readonly sendInputs: boolean,
  ) {
    this.heartbeat = setInterval(() => void this.beat(), SUBMITTER_TTL_MS / 3);
    events.on("active", ({ jobId }) => {
      if (this.jobs.has(jobId)) this.moved(jobId, "running");
    });
  }

  /** Connects (or throws a UsageError saying why not) and starts the submitter's heartbeat. */
  static async connect(url: string, { onCounts = () => {}, sendInputs = false }: QueueRunnerOptions = {}): Promise<QueueRunner> {
    const client = await connectRedis(url);
    const blocking = await connectRedis(url, true);
    const queue = new Queue(QUEUE_NAME, { connection: client });
    queue.setMaxListeners(QUEUE_LANES + 10); // a listener per job being added
    const events = new QueueEvents(QUEUE_NAME, { connection: blocking });
    await events.waitUntilReady();
    const runner = new QueueRunner(client, blocking, queue, events, onCounts, sendInputs);
    await runner.beat();
    return runner;
  }

  private moved(jobId: string, state: "queued" | "running" | "done"): void {
    if (state === "done") {
      this.jobs.delete(jobId);
      this.done++;
    } else this.jobs.set(jobId, state);
    const states = [...this.jobs.values()];
    const running = states.filter((s) => s === "running").length;
    this.onCounts({ queued: states.length - running, running, done: this.done });
  }

  private async beat(): Promise<void> {
    await this.client.set(submitterKey(this.submitter), "1", "PX", SUBMITTER_TTL_MS).catch(() => {});
  }

  warm(): Promise<void> {
    return Promise.resolve();
  }

  async run(_lane: number, task: Task, signal?: AbortSignal): Promise<Outcome<unknown>> {
    if (signal?.aborted) return { ok: false, reason: "interrupted", outOfMemory: false };
    const sent = task.kind === "file" && this.sendInputs ? await withUpload(task) : task;
    if (!("kind" in sent)) return { ok: true, value: sent };
    const data: JobData = { submitter: this.submitter, task: encode(sent) };
    const job = await this.queue.add(task.kind, data, { removeOnComplete: { age: KEEP_FINISHED_S }, removeOnFail: { age: KEEP_FINISHED_S } });
    const id = job.id!;
    this.moved(id, "queued");
    const abort = (): void => void job.remove().catch(() => {}); // a running job cannot be removed: its result is dropped
    signal?.addEventListener("abort", abort, { once: true });
    try {
      const text: unknown = await job.waitUntilFinished(this.events);
      return typeof text === "string" ? { ok: true, value: decode(text) } : { ok: false, reason: "its worker answered with something else than a result", outOfMemory: false };
    } catch (error) {
      if (signal?.aborted) return { ok: false, reason: "interrupted", outOfMemory: false };
      return { ok: false, reason: `its job failed on the queue: ${error instanceof Error ? error.message : String(error)}`, outOfMemory: false, lost: true };
    } finally {
      signal?.removeEventListener("abort", abort);
      this.moved(id, "done");
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.client.del(submitterKey(this.submitter)).catch(() => {});
    await this.events.close();
    await this.queue.close();
    this.client.disconnect();
    this.blocking.disconnect();
  }
}
