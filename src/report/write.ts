import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileVerdict } from "../checkers/verdict.ts";
import type { ReportDocument } from "./document.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";

export type ReportFormat = "json" | "md" | "html";
export const REPORT_FORMATS: readonly ReportFormat[] = ["json", "md", "html"];

/**
 * Writes verdict.json, report.md (with charts/*.svg) and report.html into `dir`, each atomically,
 * so an interrupted run never leaves a half-written report that looks complete.
 */
export async function writeReports(dir: string, verdict: FileVerdict, doc: ReportDocument, formats: readonly ReportFormat[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, content: string): Promise<void> => {
    written.push(await writeAtomically(join(dir, name), content));
  };
  if (formats.includes("json")) await put("verdict.json", JSON.stringify(verdict, null, 2) + "\n");
  if (formats.includes("md")) {
    const charts = doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === "chart" ? [b.chart] : [])));
    if (charts.length > 0) await mkdir(join(dir, "charts"), { recursive: true });
    for (const chart of charts) await put(join("charts", `${chart.id}.svg`), chart.svg);
    await put("report.md", renderMarkdown(doc));
  }
  if (formats.includes("html")) await put("report.html", renderHtml(doc));
  return written;
}

/** Writes to a temporary name and renames, so a reader never sees a half-written file. */
export async function writeAtomically(path: string, content: string): Promise<string> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
  return path;
}
