import type { Worker } from "node:worker_threads";
import type { AnalyzeTask } from "./analyze-task.ts";

/**
 * Work a runner can do anywhere: plain data (structured-clone values: typed arrays and
 * `Infinity` included), never functions or handles, so that threads today and machines later
 * (issue 21) can take it. A file task analyzes one history and writes its reports; a part task
 * checks one independent part of a checker's work (`CheckerParts.checkPart`).
 */
export type Task = FileTask | PartTask;

export interface FileTask extends AnalyzeTask {
  kind: "file";
  /** The history's bytes, zlib-deflated and base64, for a worker that cannot see `file` (analyze --send-inputs). */
  upload?: string;
}

export interface PartTask {
  kind: "part";
  /** The checker whose `parts.checkPart` takes `part`. */
  checker: string;
  part: unknown;
}

/**
 * What came back: the task's value, or why there is none (its worker stopped). `lost`: the task
 * was given up on elsewhere (queue-runner.ts: its retries ran out), so its work is `unknown`.
 */
export type Outcome<Value> = { ok: true; value: Value } | { ok: false; reason: string; outOfMemory: boolean; lost?: boolean };

/**
 * Runs tasks away from the caller's thread. One per run (the CLI makes it), shared by every file
 * and every checker of the run; the caller keeps small work to itself (see schedule.ts).
 */
export interface Runner {
  /** Tasks that can run at once (0: none, everything stays inline). */
  readonly size: number;
  /** Heap ceiling of every worker, in MB, when --memory-limit set one. */
  readonly memoryLimitMb?: number;
  /** Its workers are other processes (a queue): a batch's files all go to them, none runs on the caller. */
  readonly distributed?: boolean;
  /** Resolves once worker `lane` (0 ≤ lane < size) has started and can take a task without waiting. */
  warm(lane: number): Promise<void>;
  /** Runs the task on worker `lane`, one task per lane at a time; aborting stops it. The value is as the worker sent it: data to check, not trust. */
  run(lane: number, task: Task, signal?: AbortSignal): Promise<Outcome<unknown>>;
  close(): Promise<void>;
}

/** A runner without workers: everything runs on the caller's thread. */
export const INLINE: Runner = {
  size: 0,
  warm: () => new Promise(() => {}),
  run: (): Promise<Outcome<never>> => Promise.resolve({ ok: false, reason: "no workers", outOfMemory: false }),
  close: () => Promise.resolve(),
};

/**
 * Built, the worker is worker.js beside this file. Under tsx (tests, benches) it is worker.ts, and
 * the worker registers tsx's hooks itself first: those inherited from `--import tsx` come too late.
 */
const WORKER_ENTRY = import.meta.url.endsWith(".ts")
  ? `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL("./worker.ts", import.meta.url).href)}); });`
  : `import(${JSON.stringify(new URL("./worker.js", import.meta.url).href)});`;

/** Messages between a worker (worker.ts) and its runner. */
export type FromWorker = { ready: true } | { id: number; ok: true; value: unknown } | { id: number; ok: false; reason: string };
export interface ToWorker {
  id: number;
  task: Task;
}

interface Pending {
  resolve(outcome: Outcome<unknown>): void;
}

/** One worker thread, started on first use; it runs one task at a time. */
class Slot {
  private worker?: Worker;
  private ready?: Promise<void>;
  private current?: { id: number; pending: Pending };
  private nextId = 0;
  private failure?: Error;

  constructor(private readonly memoryLimitMb: number | undefined) {}

  /** Resolves once the worker is ready, or has died trying (then run() says why). */
  start(): Promise<void> {
    if (this.ready) return this.ready;
    // Loaded with the first worker, not with this module: worker_threads' state does not survive the
    // start-up snapshot this module is part of (scripts/build-snapshot.mjs).
    const { Worker } = process.getBuiltinModule("node:worker_threads");
    const worker = new Worker(WORKER_ENTRY, {
      eval: true,
      resourceLimits: this.memoryLimitMb === undefined ? undefined : { maxOldGenerationSizeMb: this.memoryLimitMb },
    });
    this.worker = worker;
    this.failure = undefined;
    let started!: () => void;
    this.ready = new Promise((resolve) => (started = resolve));
    worker.on("message", (message: FromWorker) => {
      // An idle warm worker does not keep the process alive; starting and running ones do.
      if ("ready" in message) {
        if (!this.current) worker.unref();
        return started();
      }
      const current = this.current;
      if (!current || current.id !== message.id) return;
      this.current = undefined;
      current.pending.resolve(message.ok ? { ok: true, value: message.value } : { ok: false, reason: message.reason, outOfMemory: false });
    });
    worker.on("error", (error) => (this.failure = error));
    worker.on("exit", () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.ready = undefined;
      started();
      const current = this.current;
      this.current = undefined;
      current?.pending.resolve(stopped(this.failure, this.memoryLimitMb));
    });
    return this.ready;
  }

  async run(task: Task, signal?: AbortSignal): Promise<Outcome<unknown>> {
    await this.start();
    const worker = this.worker;
    if (!worker) return stopped(this.failure, this.memoryLimitMb);
    if (signal?.aborted) return { ok: false, reason: "interrupted", outOfMemory: false };
    const id = this.nextId++;
    return new Promise<Outcome<unknown>>((resolve) => {
      const abort = (): void => void worker.terminate();
      signal?.addEventListener("abort", abort, { once: true });
      this.current = {
        id,
        pending: {
          resolve: (outcome) => {
            signal?.removeEventListener("abort", abort);
            resolve(signal?.aborted ? { ok: false, reason: "interrupted", outOfMemory: false } : outcome);
          },
        },
      };
      worker.ref();
      worker.postMessage({ id, task } satisfies ToWorker);
    }).finally(() => {
      // Only when idle: the next task may already be running on this worker (it was ref()ed for it).
      if (!this.current) this.worker?.unref();
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }
}

function stopped(error: Error | undefined, memoryLimitMb: number | undefined): Outcome<never> {
  if (error && "code" in error && error.code === "ERR_WORKER_OUT_OF_MEMORY") return { ok: false, reason: `its worker needed more than the --memory-limit of ${memoryLimitMb} MB`, outOfMemory: true };
  return { ok: false, reason: `its worker stopped${error ? `: ${error.message}` : ""}`, outOfMemory: false };
}

/** How long close() waits for its workers' exits. */
const CLOSE_WAIT_MS = 2000;

/**
 * `size` worker threads, each under the --memory-limit heap ceiling, started when first needed
 * and kept warm for the rest of the run; a worker that dies (out of memory) is replaced on next use.
 */
export class ThreadRunner implements Runner {
  private readonly slots: Slot[];

  constructor(
    readonly size: number,
    readonly memoryLimitMb?: number,
  ) {
    this.slots = Array.from({ length: size }, () => new Slot(memoryLimitMb));
  }

  warm(lane: number): Promise<void> {
    return this.slots[lane]!.start();
  }

  run(lane: number, task: Task, signal?: AbortSignal): Promise<Outcome<unknown>> {
    return this.slots[lane]!.run(task, signal);
  }

  async close(): Promise<void> {
    // A terminating worker does not always keep the event loop alive until its exit (Node 20: the
    // loop ended inside close(), and a run with it, before its summary, index and exit status). A
    // pending timer does, up to a bound.
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)));
    try {
      await Promise.race([Promise.all(this.slots.map((s) => s.stop())), bound]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The run's runner: no threads for one worker without a memory ceiling, else a ThreadRunner. */
export function createRunner(workers: number, memoryLimitMb?: number): Runner {
  if (workers <= 1 && memoryLimitMb === undefined) return INLINE;
  return new ThreadRunner(Math.max(1, workers), memoryLimitMb);
}
