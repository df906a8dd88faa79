import { basename } from "node:path";
import { CHECKERS } from "../checkers/registry.ts";
import type { FileVerdict } from "../checkers/verdict.ts";
import type { History } from "../history/history.ts";
import { cutText } from "../history/show.ts";
import type { Block, ReportDocument } from "./document.ts";
import { genericSection } from "./sections/generic.ts";
import { inputSection } from "./sections/input.ts";
import { timelineSection } from "./sections/timeline.ts";

/** The report of one history; every text a reader sees is cut to a readable length (verdict.json keeps values whole). */
export function buildReport(verdict: FileVerdict, history: History): ReportDocument {
  const doc: ReportDocument = {
    title: basename(verdict.file),
    meta: `${verdict.file} · format ${verdict.format}`,
    valid: verdict.valid,
    headline: verdict.summary,
    checkers: verdict.checkers.map((c) => ({ checker: c.checker, valid: c.valid, summary: c.summary })),
    sections: [
      // Each checker draws its own results; a failure, or a checker without a section, shows its evidence as data.
      ...verdict.checkers.map((r) => CHECKERS.find((c) => c.name === r.checker)?.section(r, history) ?? genericSection(r)),
      timelineSection(verdict, history),
      inputSection(verdict, history),
    ],
  };
  return {
    ...doc,
    headline: cutText(doc.headline),
    checkers: doc.checkers.map((c) => ({ ...c, summary: cutText(c.summary) })),
    sections: doc.sections.map((s) => ({ ...s, blocks: s.blocks.map(readableBlock) })),
  };
}

function readableBlock(block: Block): Block {
  switch (block.kind) {
    case "paragraph":
      return { ...block, text: cutText(block.text) };
    case "table":
      return { ...block, rows: block.rows.map((row) => row.map((cell) => (typeof cell === "string" ? cutText(cell) : { ...cell, text: cutText(cell.text) }))) };
    case "listing":
      return { ...block, lines: block.lines.map((line) => cutText(line)) };
    case "list":
      return { ...block, items: block.items.map((item) => cutText(item)) };
    case "chart":
      return block;
  }
}
