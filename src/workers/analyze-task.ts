import { analyzeAndReport, checkInline, type AnalyzeOptions, type OutputOptions } from "../analyze.ts";
import type { FileVerdict } from "../checkers/verdict.ts";
import { InputError, UsageError } from "../history/errors.ts";
import { ReportWriteError } from "../report/write.ts";

export interface AnalyzeTask {
  file: string;
  options: AnalyzeOptions;
  output: OutputOptions;
}

/** Errors cross the thread boundary as data: a user error keeps its message and position. */
export type AnalyzeTaskResult =
  | {
      ok: true;
      verdict: FileVerdict;
      /** Why the report folder could not be written (exit 4). */
      outputError?: string;
      /** The analysis stopped before its reports (a worker past --memory-limit): the caller writes them from the verdict. */
      unwritten?: true;
      /** The report files (relative path, content) of a history uploaded to a worker: the caller writes them under its --out. */
      reports?: [string, string][];
    }
  | { ok: false; userError: boolean; message: string };

export async function runAnalyzeTask(task: AnalyzeTask, onProgress?: (records: number) => void, runChecker = checkInline): Promise<AnalyzeTaskResult> {
  try {
    return { ok: true, verdict: await analyzeAndReport(task.file, task.options, task.output, onProgress, runChecker) };
  } catch (error) {
    if (error instanceof ReportWriteError) return { ok: true, verdict: error.verdict, outputError: error.message };
    if (error instanceof InputError) return { ok: false, userError: true, message: error.toString() };
    if (error instanceof UsageError) return { ok: false, userError: true, message: error.message };
    if (isFileSystemError(error)) return { ok: false, userError: true, message: `${task.file}: ${error.message}` };
    return { ok: false, userError: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && (error as NodeJS.ErrnoException).syscall !== undefined;
}
