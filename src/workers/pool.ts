import { setMaxListeners } from "node:events";
import { Piscina } from "piscina";
import { abandonedVerdict } from "../checkers/verdict.ts";
import { SILENT, type Progress } from "../progress.ts";
import { runAnalyzeTask, type AnalyzeTask, type AnalyzeTaskResult } from "./analyze-task.ts";

/** Under tsx the sources are .ts; once built they are .js beside this file. */
const TASK_FILE = new URL(`./analyze-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href;

export interface PoolOptions {
  workers: number;
  /** Heap ceiling per worker thread; a worker that exceeds it is stopped, not the process. */
  memoryLimitMb?: number;
  progress?: Progress;
  /** Aborting stops the workers (Ctrl-C). */
  signal?: AbortSignal;
}

/**
 * Runs analyses on up to `workers` threads, yielding results in input order as they become
 * available. One history, or one worker, runs inline: no thread start-up for the common case.
 */
export async function* analyzeAll(tasks: AnalyzeTask[], options: PoolOptions): AsyncGenerator<AnalyzeTaskResult> {
  const progress = options.progress ?? SILENT;
  if ((options.workers <= 1 || tasks.length <= 1) && options.memoryLimitMb === undefined) {
    for (const task of tasks) {
      yield await runAnalyzeTask(task, (n) => progress.records(n));
      progress.fileDone();
    }
    return;
  }
  const pool = new Piscina({
    filename: TASK_FILE,
    maxThreads: options.workers,
    minThreads: Math.min(options.workers, tasks.length),
    idleTimeout: 1000,
    resourceLimits: options.memoryLimitMb === undefined ? undefined : { maxOldGenerationSizeMb: options.memoryLimitMb },
  });
  // A worker that dies outside a task (a respawned one past --memory-limit) is an 'error' on the pool;
  // tasks' own failures arrive through their promises, so this one only must not crash the process.
  pool.on("error", () => undefined);
  // Every queued task listens on the one interrupt signal: that many listeners is expected.
  if (options.signal) setMaxListeners(tasks.length + 10, options.signal);
  try {
    const pending = tasks.map((task) =>
      (pool.run(task, { signal: options.signal }) as Promise<AnalyzeTaskResult>)
        .catch((error: unknown): AnalyzeTaskResult => workerFailure(task, error, options.memoryLimitMb))
        .finally(() => progress.fileDone()),
    );
    for (const result of pending) yield await result;
  } finally {
    await pool.destroy();
  }
}

function workerFailure(task: AnalyzeTask, error: unknown, memoryLimitMb: number | undefined): AnalyzeTaskResult {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === "AbortError") return { ok: false, userError: true, message: `${task.file}: interrupted` };
  if (/memory|ERR_WORKER_OUT_OF_MEMORY/i.test(message) || (error as NodeJS.ErrnoException)?.code === "ERR_WORKER_OUT_OF_MEMORY") {
    return { ok: true, verdict: abandonedVerdict(task.file, `the analysis needed more than the --memory-limit of ${memoryLimitMb} MB`), unwritten: true };
  }
  return { ok: false, userError: false, message: `${task.file}: the worker stopped: ${message}` };
}
