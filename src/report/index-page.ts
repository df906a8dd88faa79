import { rmSync } from "node:fs";
import { cutText } from "../history/show.ts";
import { join } from "node:path";
import { CHECKERS } from "../checkers/registry.ts";
import { isStatsResult } from "../checkers/stats/stats.ts";
import { combineValidity } from "../checkers/checker.ts";
import type { FileVerdict } from "../checkers/verdict.ts";
import { OutputError } from "../history/errors.ts";
import type { Cell, ReportDocument, Section } from "./document.ts";
import { validityWord, verdictWord } from "./document.ts";
import { formatPercent } from "../history/values.ts";
import { formatMs } from "./format.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { makeFolder, writeAtomically, type ReportFormat } from "./write.ts";

/**
 * One history of a batch: its report folder (relative to the index) and its verdict, or why it
 * could not be read. `unwritten`: its report folder could not be written, so the index links nothing.
 */
export type IndexEntry = { file: string; dir: string } & ({ verdict: FileVerdict; unwritten?: true } | { error: string });

/** Invalid first: a batch index is read to find what broke. */
const RANK = { invalid: 0, unreadable: 1, unknown: 2, valid: 3 } as const;

function word(entry: IndexEntry): keyof typeof RANK {
  return "verdict" in entry ? validityWord(entry.verdict.valid) : "unreadable";
}

export function sortForIndex(entries: IndexEntry[]): IndexEntry[] {
  return entries.map((e, i) => ({ e, i })).sort((a, b) => RANK[word(a.e)] - RANK[word(b.e)] || a.i - b.i).map(({ e }) => e);
}

/** The index page as a report document; `report` names the per-history file to link (report.html or report.md). */
export function buildIndex(entries: IndexEntry[], report: string): ReportDocument {
  const sorted = sortForIndex(entries);
  const counts = Object.keys(RANK).map((w) => `${sorted.filter((e) => word(e) === w).length} ${w}`);
  const verdicts = entries.flatMap((e) => ("verdict" in e ? [e.verdict.valid] : ["unknown" as const]));
  return {
    title: `${entries.length} histories`,
    meta: "Each history links to its own report; invalid histories first, then unreadable, unknown and valid.",
    valid: combineValidity(verdicts),
    headline: counts.join(", "),
    checkers: [],
    sections: [
      {
        id: "histories",
        title: "Histories",
        blocks: [{ kind: "table", headers: ["history", "verdict", "summary", "operations", "ok", "p99 latency", "checkers"], rows: sorted.map((e) => row(e, report)) }],
      },
      ...batchTables(sorted, report),
    ],
  };
}

function row(entry: IndexEntry, report: string): Cell[] {
  if (!("verdict" in entry)) return [entry.file, "unreadable", cutText(entry.error), "–", "–", "–", "–"];
  const v = entry.verdict;
  const stats = v.checkers.find(isStatsResult)?.stats;
  return [
    entry.unwritten ? entry.file : { text: entry.file, href: `${entry.dir}/${report}` },
    { verdict: validityWord(v.valid) },
    entry.unwritten ? `${cutText(v.summary)} (report not written)` : cutText(v.summary),
    String(v.operations),
    stats?.availability === undefined ? "–" : formatPercent(stats.availability),
    stats?.latencyMs === undefined ? "–" : formatMs(stats.latencyMs.p99),
    v.checkers.map((c) => `${c.checker}: ${verdictWord(c.valid, CHECKERS.find((d) => d.name === c.checker)?.informational ?? false)}`).join(", "),
  ];
}

/** Each checker's own figures side by side (its descriptor's batch table), for the histories it judged: the talk's table for sets. */
function batchTables(entries: IndexEntry[], report: string): Section[] {
  return CHECKERS.flatMap((checker) => {
    const table = checker.batchTable;
    if (!table) return [];
    const rows = entries.flatMap((e): Cell[][] => {
      if (!("verdict" in e)) return [];
      const result = e.verdict.checkers.find((c) => c.checker === checker.name);
      const cells = result && table.row(result);
      return cells && result ? [[{ text: e.file, href: `${e.dir}/${report}` }, { verdict: validityWord(result.valid) }, ...cells]] : [];
    });
    return rows.length > 0 ? [{ id: `batch-${checker.name}`, title: table.title, blocks: [{ kind: "table", headers: ["history", checker.name, ...table.columns], rows }] }] : [];
  });
}

/**
 * Writes index.html and/or index.md into `out`, linking each history's report of the same format;
 * an index of a format not written this time is removed (it would link reports no longer there).
 */
export function writeIndex(out: string, entries: IndexEntry[], formats: readonly ReportFormat[]): string[] {
  for (const [format, name] of [["html", "index.html"], ["md", "index.md"]] as const) {
    const path = join(out, name);
    // Blocking: one unlink, where the I/O threads' round trip (and fs.rm's walk) cost more.
    if (!formats.includes(format)) {
      try {
        rmSync(path, { force: true });
      } catch (error) {
        throw new OutputError(path, error);
      }
    }
  }
  if (!formats.includes("html") && !formats.includes("md")) return [];
  makeFolder(out);
  const written: string[] = [];
  if (formats.includes("html")) written.push(writeAtomically(join(out, "index.html"), renderHtml(buildIndex(entries, "report.html"))));
  if (formats.includes("md")) written.push(writeAtomically(join(out, "index.md"), renderMarkdown(buildIndex(entries, "report.md"))));
  return written;
}
