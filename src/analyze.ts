import { statSync } from "node:fs";
import { failedResult, type Budget, type FlagText, type OperationFold } from "./checkers/checker.ts";
import { startDeadline, TimeLimitReached } from "./checkers/deadline.ts";
import type { RegisteredChecker } from "./checkers/descriptor.ts";
import { GuardedFold } from "./checkers/guard.ts";
import { chooseCheckers, notApplicableResult, type Choice, type KnownResult } from "./checkers/registry.ts";
import { composeVerdict, type FileVerdict } from "./checkers/verdict.ts";
import type { History } from "./history/history.ts";
import { OperationProfile, OperationSample } from "./history/sample.ts";
import { FilePasses, loadHistory, streamHistory, type LoadOptions } from "./load.ts";
import { buildReport } from "./report/build.ts";
import { writeReports, type ReportFormat } from "./report/write.ts";
import { guardedCheck } from "./checkers/guard.ts";
import type { CheckerOutcome } from "./checkers/registry.ts";

export interface AnalyzeOptions extends LoadOptions, Budget {
  /** --checker names, or ["auto"]. */
  checkers: string[];
  /** The checkers' own flags as given (--model, --initial, …); each checker reads its own. */
  flags?: FlagText;
  /** Stream histories at least this large (default STREAM_THRESHOLD_BYTES; tests set 0). */
  streamThresholdBytes?: number;
}

/** How a chosen checker is run on a history: inline by default; workers/run-checker.ts spreads its parts over threads. */
export type RunChecker = (choice: Choice, history: History, flags: FlagText, budget: Budget) => CheckerOutcome | Promise<CheckerOutcome>;

export const checkInline: RunChecker = ({ checker, notApplicable }, history, flags, budget) =>
  notApplicable !== undefined ? notApplicableResult(checker.name, notApplicable) : guardedCheck(checker.name, () => checker.configure(flags, budget).check(history));

export interface Analysis {
  history: History;
  verdict: FileVerdict;
}

/**
 * Histories at least this large stream through the checkers when all of them can fold: from here
 * streaming is as fast as holding and needs half the memory or less (80 MB histories, docs/decisions.md).
 */
export const STREAM_THRESHOLD_BYTES = 64 * 1024 * 1024;

/** Operations kept for drawing when a history streams. */
const STREAM_SAMPLE = 20_000;

/**
 * Reads a history and runs the chosen checkers on it: the whole job, minus output. Large
 * histories whose checkers can all fold are read twice instead of held: once to choose the
 * checkers from a profile of the ops, once streaming through them.
 */
export async function analyzeFile(file: string, given: AnalyzeOptions, onProgress?: (records: number) => void, runChecker = checkInline): Promise<Analysis> {
  // One deadline for the whole analysis: reading, then every checker.
  const options = { ...given, deadline: given.deadline ?? startDeadline(given.timeLimitMs) };
  if (statSync(file).size >= (options.streamThresholdBytes ?? STREAM_THRESHOLD_BYTES)) {
    // Named checkers need no first read; a second read must see the bytes the first chose from.
    const reads = namesCheckers(options) ? options : { ...options, passes: new FilePasses() };
    const choices = await chooseForStreaming(file, reads);
    if (choices.every((c) => c.checker.folds)) return streamAnalysis(file, reads, choices, onProgress);
  }
  const history = await loadHistory(file, options, onProgress);
  const choices = chooseCheckers(options.checkers, history);
  if (history.readCutShort !== undefined) return { history, verdict: readCutShortVerdict(history, choices, history.readCutShort) };
  // One checker at a time: each may fill the workers with its parts.
  const results: CheckerOutcome[] = [];
  for (const choice of choices) results.push(await runChecker(choice, history, options.flags ?? {}, budgetOf(options)));
  return { history, verdict: composeVerdict(history, choices, results) };
}

function foldOf(checker: RegisteredChecker<KnownResult>, options: AnalyzeOptions): OperationFold<KnownResult> {
  const { fold } = checker.configure(options.flags ?? {}, budgetOf(options));
  if (!fold) throw new Error(`${checker.name} cannot stream`);
  return fold();
}

function budgetOf(options: AnalyzeOptions): Budget {
  return { timeLimitMs: options.timeLimitMs, deadline: options.deadline, memoryLimitMb: options.memoryLimitMb };
}

/** A history read only in part (--time-limit) is judged by no checker: each is `unknown`, with the reason. */
function readCutShortVerdict(history: History, choices: Choice[], reason: string): FileVerdict {
  return composeVerdict(history, choices, choices.map(({ checker }) => failedResult(checker.name, new TimeLimitReached(reason))));
}

function namesCheckers(options: AnalyzeOptions): boolean {
  return options.checkers.length > 0 && !options.checkers.includes("auto");
}

async function chooseForStreaming(file: string, options: AnalyzeOptions): Promise<Choice[]> {
  if (namesCheckers(options)) return chooseCheckers(options.checkers, undefined);
  const profile = new OperationProfile();
  const shell = await streamHistory(file, options, (o) => profile.add(o));
  return chooseCheckers(options.checkers, { ...shell, operations: profile.operations });
}

async function streamAnalysis(file: string, options: AnalyzeOptions, choices: Choice[], onProgress?: (records: number) => void): Promise<Analysis> {
  const folds = choices.map(({ checker }) => new GuardedFold(checker.name, () => foldOf(checker, options)));
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
  if (shell.readCutShort !== undefined) return { history, verdict: readCutShortVerdict(history, choices, shell.readCutShort) };
  return { history, verdict: composeVerdict(history, choices, folds.map((f) => f.finish(shell))) };
}

export interface OutputOptions {
  /** Folder for this history's reports. */
  dir: string;
  formats: readonly ReportFormat[];
}

/** analyzeFile, then the report files; returns the verdict only (what crosses a thread boundary). */
export async function analyzeAndReport(file: string, options: AnalyzeOptions, output: OutputOptions, onProgress?: (records: number) => void, runChecker = checkInline): Promise<FileVerdict> {
  const { history, verdict } = await analyzeFile(file, options, onProgress, runChecker);
  if (output.formats.length > 0) writeReports(output.dir, verdict, () => buildReport(verdict, history), output.formats);
  return verdict;
}
