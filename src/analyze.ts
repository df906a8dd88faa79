import { stat } from "node:fs/promises";
import type { Budget, FlagText } from "./checkers/checker.ts";
import { GuardedFold } from "./checkers/guard.ts";
import { chooseCheckers, type Choice } from "./checkers/registry.ts";
import { composeVerdict, type FileVerdict } from "./checkers/verdict.ts";
import type { History } from "./history/history.ts";
import { OperationProfile, OperationSample } from "./history/sample.ts";
import { loadHistory, streamHistory, type LoadOptions } from "./load.ts";
import { writeReports, type ReportFormat } from "./report/write.ts";
import { runCheckerOnThreads } from "./workers/threaded-checkers.ts";

export interface AnalyzeOptions extends LoadOptions, Budget {
  /** --checker names, or ["auto"]. */
  checkers: string[];
  /** The checkers' own flags as given (--model, --initial, …); each checker reads its own. */
  flags?: FlagText;
  /** Threads a checker may spread one history's independent parts over (1: inline). */
  partWorkers?: number;
  /** Stream histories at least this large (default STREAM_THRESHOLD_BYTES; tests set 0). */
  streamThresholdBytes?: number;
}

export interface Analysis {
  history: History;
  verdict: FileVerdict;
}

/** Histories at least this large stream through the checkers when all of them can fold. */
export const STREAM_THRESHOLD_BYTES = 256 * 1024 * 1024;

/** Operations kept for drawing when a history streams. */
const STREAM_SAMPLE = 20_000;

/**
 * Reads a history and runs the chosen checkers on it: the whole job, minus output. Large
 * histories whose checkers can all fold are read twice instead of held: once to choose the
 * checkers from a profile of the ops, once streaming through them.
 */
export async function analyzeFile(file: string, options: AnalyzeOptions, onProgress?: (records: number) => void): Promise<Analysis> {
  if ((await stat(file)).size >= (options.streamThresholdBytes ?? STREAM_THRESHOLD_BYTES)) {
    const choices = await chooseForStreaming(file, options);
    if (choices.every((c) => c.checker.folds)) return streamAnalysis(file, options, choices, onProgress);
  }
  const history = await loadHistory(file, options, onProgress);
  const choices = chooseCheckers(options.checkers, history);
  const results = await Promise.all(choices.map((choice) => runCheckerOnThreads(choice, history, options.flags ?? {}, budgetOf(options), options.partWorkers ?? 1)));
  return { history, verdict: composeVerdict(history, choices, results) };
}

function budgetOf(options: AnalyzeOptions): Budget {
  return { timeLimitMs: options.timeLimitMs, memoryLimitMb: options.memoryLimitMb };
}

async function chooseForStreaming(file: string, options: AnalyzeOptions): Promise<Choice[]> {
  const explicit = options.checkers.length > 0 && !options.checkers.includes("auto");
  if (explicit) return chooseCheckers(options.checkers, undefined);
  const profile = new OperationProfile();
  const shell = await streamHistory(file, options, (o) => profile.add(o));
  return chooseCheckers(options.checkers, { ...shell, operations: profile.operations });
}

async function streamAnalysis(file: string, options: AnalyzeOptions, choices: Choice[], onProgress?: (records: number) => void): Promise<Analysis> {
  const folds = choices.map(({ checker }) => new GuardedFold(checker.name, () => checker.configure(options.flags ?? {}, budgetOf(options)).fold!()));
  const sample = new OperationSample(STREAM_SAMPLE);
  const shell = await streamHistory(
    file,
    options,
    (o) => {
      for (const fold of folds) fold.add(o);
      sample.add(o);
    },
    onProgress,
  );
  const history: History = { ...shell, operations: sample.operations(), sampledFrom: sample.seen };
  return { history, verdict: composeVerdict(history, choices, folds.map((f) => f.finish(shell))) };
}

export interface OutputOptions {
  /** Folder for this history's reports. */
  dir: string;
  formats: readonly ReportFormat[];
}

type ReportBuilder = typeof import("./report/build.ts").buildReport;

/**
 * Only reports need the section builders and their charts (Observable Plot), so they load on
 * first use: `--report none` never loads them. A worker thread hands them in up front instead
 * (`workers/analyze-worker.ts`): under tsx, worker threads cannot import() TypeScript.
 */
let reportBuilder: ReportBuilder | undefined;

export function provideReportBuilder(builder: ReportBuilder): void {
  reportBuilder = builder;
}

/** analyzeFile, then the report files; returns the verdict only (what crosses a thread boundary). */
export async function analyzeAndReport(file: string, options: AnalyzeOptions, output: OutputOptions, onProgress?: (records: number) => void): Promise<FileVerdict> {
  const { history, verdict } = await analyzeFile(file, options, onProgress);
  if (output.formats.length > 0) {
    reportBuilder ??= (await import("./report/build.ts")).buildReport;
    await writeReports(output.dir, verdict, reportBuilder(verdict, history), output.formats);
  }
  return verdict;
}
