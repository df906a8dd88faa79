import { Piscina } from "piscina";
import { runAnalyzeTask, type AnalyzeTask, type AnalyzeTaskResult } from "./analyze-task.ts";

/** Under tsx the sources are .ts; once built they are .js beside this file. */
const TASK_FILE = new URL(`./analyze-task${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url).href;

/**
 * Runs analyses on up to `workers` threads, yielding results in input order as they become
 * available. One worker runs inline: no thread start-up for the common single-file case.
 */
export async function* analyzeAll(tasks: AnalyzeTask[], workers: number): AsyncGenerator<AnalyzeTaskResult> {
  if (workers <= 1 || tasks.length <= 1) {
    for (const task of tasks) yield await runAnalyzeTask(task);
    return;
  }
  const pool = new Piscina({ filename: TASK_FILE, maxThreads: workers, minThreads: Math.min(workers, tasks.length), idleTimeout: 1000 });
  try {
    const pending = tasks.map((task) =>
      (pool.run(task) as Promise<AnalyzeTaskResult>).catch((error: unknown): AnalyzeTaskResult => ({
        ok: false,
        userError: false,
        message: `${task.file}: the worker stopped: ${error instanceof Error ? error.message : String(error)}`,
      })),
    );
    for (const result of pending) yield await result;
  } finally {
    await pool.destroy();
  }
}
