import { rmSync } from "node:fs";
import { relative } from "node:path";
import { cutText } from "../history/show.ts";
import { abandonedVerdict, type FileVerdict } from "../checkers/verdict.ts";
import { validityWord } from "../report/document.ts";
import { writeIndex, type IndexEntry } from "../report/index-page.ts";
import { reuseReplacedFolders, stagingFolders, writeReportFiles, writeVerdictReports, type ReportFormat } from "../report/write.ts";
import { SILENT } from "../progress.ts";
import type { AnalyzeTask, AnalyzeTaskResult } from "../workers/analyze-task.ts";
import { analyzeAll } from "../workers/batch.ts";
import type { QueueCounts } from "../workers/queue-runner.ts";
import { createRunner, type Runner } from "../workers/runner.ts";
import { EXIT } from "./errors.ts";
import { escapeName, paint, type Io } from "./terminal.ts";

/** What stdout carries: `PATH<TAB>valid|invalid|unknown` (+ a summary), one verdict object per line, or elle-cli's `PATH<TAB>true|false|unknown`. */
export type OutputStyle = "text" | "json" | "elle";

export interface RunFlags {
  out: string;
  report: ReportFormat[];
  workers: number;
  memoryLimitMb?: number;
  /** --redis: tasks go to `hindsight worker`s through this Redis instead of local threads. */
  redis?: string;
  /** --send-inputs: file tasks carry their history's bytes, and the reports come back to be written here. */
  sendInputs: boolean;
  style: OutputStyle;
  quiet: boolean;
}

/** After Ctrl-C, how long results may take to arrive before the rest counts as interrupted. */
const DRAIN_MS = 2000;

type Outcome = "valid" | "invalid" | "unknown" | "unreadable" | "unwritten" | "interrupted";

/**
 * Runs the analyses, printing each history's line in input order as it finishes, and the batch
 * index. Ctrl-C stops the workers; what finished is printed and indexed, the rest is `unknown`
 * (interrupted) and written nowhere; exit 130. Staging folders are removed on every path.
 */
export async function runAnalyses(tasks: AnalyzeTask[], flags: RunFlags, io: Io): Promise<number> {
  const tally: Record<Outcome, number> = { valid: 0, invalid: 0, unknown: 0, unreadable: 0, unwritten: 0, interrupted: 0 };
  const entries: IndexEntry[] = [];
  let operations = 0;
  const progress = flags.quiet || flags.style !== "text" ? SILENT : io.progress(tasks.length);
  const cleanUp = (): void => {
    for (const task of tasks) for (const path of stagingFolders(task.output.dir)) removeQuietly(path);
  };
  // Workers stopped mid-write (Ctrl-C, a heap ceiling) leave staging folders the main thread removes.
  process.once("exit", cleanUp);
  const removeReplaced = reuseReplacedFolders();
  const interrupt = new AbortController();
  const stop = (): void => interrupt.abort();
  process.once("SIGINT", stop);
  const interrupted = new Promise<"interrupted">((resolve) => interrupt.signal.addEventListener("abort", () => resolve("interrupted"), { once: true }));
  const runner = flags.redis === undefined ? createRunner(flags.workers, flags.memoryLimitMb) : await queueRunner(flags.redis, flags.sendInputs ? tasks : undefined, flags.quiet || flags.style !== "text" ? undefined : io);
  const results = analyzeAll(tasks, runner, { progress, signal: interrupt.signal })[Symbol.asyncIterator]();

  const line = (file: string, word: "valid" | "invalid" | "unknown" | "unreadable", verdict: FileVerdict | undefined): void => {
    const name = escapeName(file);
    if (flags.style === "json") io.out(JSON.stringify(verdict ?? { file, valid: null }) + "\n");
    else if (flags.style === "elle") io.out(`${name}\t${word === "valid" ? "true" : word === "invalid" ? "false" : "unknown"}\n`);
    else io.out(`${name}\t${word === "unreadable" ? word : paint(word, io.colour)}\n`);
  };
  const say = (file: string, text: string): void => {
    if (!flags.quiet) io.err(`${escapeName(file)}: ${text}\n`);
  };

  const handle = async (task: AnalyzeTask, result: AnalyzeTaskResult): Promise<void> => {
    const file = displayName(task);
    const dir = relative(flags.out, task.output.dir);
    if (!result.ok) {
      tally.unreadable++;
      entries.push({ file, dir, error: result.message });
      io.err(result.userError ? `hindsight: ${escapeName(cutText(result.message))}\n` : `hindsight: internal error while analyzing ${escapeName(file)} (please report it):\n${result.message}\n`);
      if (flags.style === "json") io.out(JSON.stringify({ file, valid: null, error: result.message }) + "\n");
      else line(file, "unreadable", undefined);
      return;
    }
    const { verdict } = result;
    let outputError = result.outputError;
    if (result.unwritten && flags.report.length > 0) outputError = await writeVerdictReports(task.output.dir, verdict, flags.report).then(() => undefined, (error: Error) => error.message);
    const { reports } = result;
    if (reports) {
      try {
        writeReportFiles(task.output.dir, verdict, () => reports, flags.report.includes("json"));
        outputError = undefined;
      } catch (error) {
        outputError = error instanceof Error ? error.message : String(error);
      }
    }
    const word = validityWord(verdict.valid);
    tally[word]++;
    operations += verdict.operations;
    entries.push({ file, dir, verdict, ...(outputError !== undefined && { unwritten: true as const }) });
    line(file, word, verdict);
    if (verdict.picked.length > 0) say(file, `checkers: ${verdict.picked.map((p) => `${p.checker} (${p.reason})`).join("; ")}`);
    say(file, `${cutText(verdict.summary)}${flags.report.length && outputError === undefined ? ` → ${task.output.dir}/` : ""}`);
    if (outputError !== undefined) {
      tally.unwritten++;
      io.err(`hindsight: cannot write ${escapeName(outputError)}\n`);
    }
  };

  // Results arrive in input order; after Ctrl-C, those already finished behind an unfinished one
  // still come in (workers finish out of order) until the drain deadline.
  const drained = interrupted.then(() => new Promise<"stop">((resolve) => setTimeout(resolve, DRAIN_MS, "stop").unref()));
  try {
    let stopped = false;
    for (const task of tasks) {
      progress.current(escapeName(displayName(task)), operations);
      const next: IteratorResult<AnalyzeTaskResult> | "stop" = stopped ? "stop" : await Promise.race([results.next(), drained]);
      if (next !== "stop" && next.done) break;
      if (next !== "stop" && !isInterruption(next.value)) {
        await handle(task, next.value);
        continue;
      }
      stopped ||= next === "stop";
      tally.interrupted++;
      line(displayName(task), "unknown", abandonedVerdict(displayName(task), "interrupted (Ctrl-C) before the analysis finished"));
      say(displayName(task), "interrupted before the analysis finished; nothing written");
    }
  } finally {
    progress.stop();
    process.removeListener("SIGINT", stop);
    // After Ctrl-C a history may still be running on this thread: the workers stop, the rest exits with the process.
    if (interrupt.signal.aborted) void runner.close();
    else await runner.close();
    removeReplaced();
  }

  if (flags.style === "text" && !flags.quiet) {
    const parts = [`${tally.valid} valid`, `${tally.invalid} invalid`, `${tally.unknown + tally.interrupted} unknown${tally.interrupted ? ` (${tally.interrupted} interrupted)` : ""}`];
    if (tally.unreadable) parts.push(`${tally.unreadable} unreadable`);
    if (tally.unwritten) parts.push(`${tally.unwritten} not written`);
    io.out(`${tasks.length} histor${tasks.length === 1 ? "y" : "ies"}: ${parts.join(", ")}\n`);
  }
  let indexFailed = false;
  if (tasks.length > 1) {
    try {
      const written = writeIndex(flags.out, entries, flags.report);
      if (written.length && !flags.quiet) io.err(`index → ${written.map(escapeName).join(", ")}\n`);
    } catch (error) {
      indexFailed = true;
      io.err(`hindsight: cannot write ${escapeName(error instanceof Error ? error.message : String(error))}\n`);
    }
  }
  cleanUp();
  process.removeListener("exit", cleanUp);
  if (interrupt.signal.aborted) {
    io.err(`hindsight: interrupted; ${tasks.length - tally.interrupted} of ${tasks.length} finished and were printed${tasks.length > 1 ? " and indexed" : ""}\n`);
    return EXIT.interrupted;
  }
  if (tally.unreadable > 0) return EXIT.error;
  if (tally.unwritten > 0 || indexFailed) return EXIT.output;
  if (tally.invalid > 0) return EXIT.invalid;
  if (tally.unknown > 0) return EXIT.unknown;
  return EXIT.valid;
}

/** Clean-up is best effort: a path under a file (`--out /dev/full/x`) cannot hold a folder anyway. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // nothing there to remove
  }
}

/** How a history is named on stdout and stderr: its path, or what the input gave it (`<stdin>`). */
function displayName(task: AnalyzeTask): string {
  return task.options.name ?? task.file;
}

/** A task the pool cancelled on Ctrl-C (not an unreadable file). */
function isInterruption(result: AnalyzeTaskResult): boolean {
  return !result.ok && result.message.endsWith(": interrupted");
}

/** The runner of `--redis`; its queue's counts go to stderr, at most once a second. */
async function queueRunner(url: string, uploads: AnalyzeTask[] | undefined, io: Io | undefined): Promise<Runner> {
  const [{ QueueRunner }, { refuseLargeUploads }] = await Promise.all([import("../workers/queue-runner.ts"), import("../workers/upload.ts")]);
  if (uploads) await refuseLargeUploads(uploads.map((task) => task.file));
  let last = 0;
  const onCounts = ({ queued, running, done }: QueueCounts): void => {
    if (!io || Date.now() - last < 1000) return;
    last = Date.now();
    io.err(`  queue: ${queued} queued, ${running} running, ${done} done\n`);
  };
  return QueueRunner.connect(url, { onCounts, sendInputs: uploads !== undefined });
}
