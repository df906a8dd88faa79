import type { CheckOptions } from "./checkers/checker.ts";
import { chooseCheckers } from "./checkers/registry.ts";
import { composeVerdict, runChecker, type FileVerdict } from "./checkers/verdict.ts";
import type { History } from "./history/history.ts";
import { loadHistory, type LoadOptions } from "./load.ts";
import { buildReport } from "./report/build.ts";
import { writeReports, type ReportFormat } from "./report/write.ts";

export interface AnalyzeOptions extends LoadOptions, CheckOptions {
  /** --checker names, or ["auto"]. */
  checkers: string[];
}

export interface Analysis {
  history: History;
  verdict: FileVerdict;
}

/** Reads a history and runs the chosen checkers on it: the whole job, minus output. */
export async function analyzeFile(file: string, options: AnalyzeOptions, onProgress?: (records: number) => void): Promise<Analysis> {
  const history = await loadHistory(file, options, onProgress);
  const choices = chooseCheckers(options.checkers, history);
  const results = choices.map((choice) => runChecker(choice, history, options));
  return { history, verdict: composeVerdict(history, choices, results) };
}

export interface OutputOptions {
  /** Folder for this history's reports. */
  dir: string;
  formats: readonly ReportFormat[];
}

/** analyzeFile, then the report files; returns the verdict only (what crosses a thread boundary). */
export async function analyzeAndReport(file: string, options: AnalyzeOptions, output: OutputOptions, onProgress?: (records: number) => void): Promise<FileVerdict> {
  const { history, verdict } = await analyzeFile(file, options, onProgress);
  if (output.formats.length > 0) await writeReports(output.dir, verdict, buildReport(verdict, history), output.formats);
  return verdict;
}
