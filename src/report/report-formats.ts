/** The report files `--report` can ask for (json: verdict.json and results.edn). */
export type ReportFormat = "json" | "md" | "html";
export const REPORT_FORMATS: readonly ReportFormat[] = ["json", "md", "html"];
