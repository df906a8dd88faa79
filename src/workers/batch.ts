import { statSync } from "node:fs";
import { abandonedVerdict } from "../checkers/verdict.ts";
import { SILENT, type Progress } from "../progress.ts";
import { runAnalyzeTask, type AnalyzeTask, type AnalyzeTaskResult } from "./analyze-task.ts";
import { runCheckerOn } from "./run-checker.ts";
import type { Outcome, Runner } from "./runner.ts";
import { INLINE_CPU_MS, schedule } from "./schedule.ts";
import { isReportFiles } from "./upload.ts";

/** Bytes of history in a batch above which workers start at once rather than after INLINE_CPU_MS of inline work. */
export const BATCH_BYTES_FOR_WORKERS = 8 * 1024 * 1024;
/** Files below this size are analyzed inline a few at a time, so that one's reads and writes overlap another's checking. */
const OVERLAP_BELOW_BYTES = 4 * 1024 * 1024;
const OVERLAPPED = 4;

export interface BatchOptions {
  progress?: Progress;
  /** Aborting stops the workers (Ctrl-C). */
  signal?: AbortSignal;
}

/**
 * Analyzes histories on the caller's thread and the runner's workers, yielding results in
 * input order as they become available. One history runs inline and spreads its checkers'
 * parts over the runner; in a batch the workers take whole files. Under --memory-limit every
 * history runs on a worker, whose heap is capped.
 */
export async function* analyzeAll(tasks: AnalyzeTask[], runner: Runner, options: BatchOptions = {}): AsyncGenerator<AnalyzeTaskResult> {
  const progress = options.progress ?? SILENT;
  // Capped or distributed: every file runs on a worker (one alone still spreads its parts over them).
  const capped = runner.memoryLimitMb !== undefined || (runner.distributed === true && tasks.length > 1);
  const arrived = tasks.map(() => deferred<AnalyzeTaskResult>());
  const sizes = capped || tasks.length < 2 ? [] : fileSizes(tasks);
  const bytes = sizes.reduce((a, b) => a + b, 0);
  const done = schedule(runner, {
    items: tasks,
    // One history spreads its checkers' parts over the workers; in a batch the workers take files.
    inline: capped ? undefined : (task) => runAnalyzeTask(task, (n) => progress.records(n), tasks.length === 1 ? (...check) => runCheckerOn(runner, ...check) : undefined),
    remote: async (lane, task, signal) => fileResult(task, await runner.run(lane, { kind: "file", ...task }, signal), runner.memoryLimitMb),
    inlineConcurrency: sizes.length > 0 && sizes.every((size) => size < OVERLAP_BELOW_BYTES) ? OVERLAPPED : 1,
    workersAfterCpuMs: capped ? 0 : tasks.length < 2 ? Infinity : bytes >= BATCH_BYTES_FOR_WORKERS ? 0 : INLINE_CPU_MS,
    onResult: (index, result) => {
      progress.fileDone();
      arrived[index]!.resolve(result);
    },
    signal: options.signal,
  }).then((results) => results.forEach((result, i) => result ?? arrived[i]!.resolve({ ok: false, userError: true, message: `${tasks[i]!.file}: interrupted` })));
  for (const result of arrived) yield await result.promise;
  await done;
}

/** Blocking calls, cheaper than a round trip to the I/O threads each; an unreadable file is reported by its analysis. */
function fileSizes(tasks: AnalyzeTask[]): number[] {
  return tasks.map((t) => {
    try {
      return statSync(t.file).size;
    } catch {
      return 0;
    }
  });
}

function fileResult(task: AnalyzeTask, outcome: Outcome<unknown>, memoryLimitMb: number | undefined): AnalyzeTaskResult {
  if (outcome.ok) return isAnalyzeTaskResult(outcome.value) ? outcome.value : { ok: false, userError: false, message: `${task.file}: the worker answered with something else than a result` };
  if (outcome.outOfMemory) return { ok: true, verdict: abandonedVerdict(task.file, `the analysis needed more than the --memory-limit of ${memoryLimitMb} MB`), unwritten: true };
  if (outcome.lost) return { ok: true, verdict: abandonedVerdict(task.file, outcome.reason), unwritten: true };
  if (outcome.reason === "interrupted") return { ok: false, userError: true, message: `${task.file}: interrupted` };
  return { ok: false, userError: false, message: `${task.file}: ${outcome.reason}` };
}

function isAnalyzeTaskResult(value: unknown): value is AnalyzeTaskResult {
  if (typeof value !== "object" || value === null || !("ok" in value)) return false;
  return value.ok === true ? "verdict" in value && (!("reports" in value) || value.reports === undefined || isReportFiles(value.reports)) : "message" in value && "userError" in value;
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
