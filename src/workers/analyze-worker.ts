/** The analysis thread's entry: analyze-task with the report builder loaded up front (see analyze.ts). */
import { provideReportBuilder } from "../analyze.ts";
import { buildReport } from "../report/build.ts";
import { runAnalyzeTask, type AnalyzeTask, type AnalyzeTaskResult } from "./analyze-task.ts";

provideReportBuilder(buildReport);

export default (task: AnalyzeTask): Promise<AnalyzeTaskResult> => runAnalyzeTask(task);
