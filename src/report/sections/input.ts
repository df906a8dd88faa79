import type { FileVerdict } from "../../checkers/verdict.ts";
import type { History } from "../../history/history.ts";
import type { Block, Section } from "../document.ts";

/** What was read, what was skipped, and which checkers ran and why. */
export function inputSection(verdict: FileVerdict, history: History): Section {
  const blocks: Block[] = [
    {
      kind: "paragraph",
      text: `${verdict.ops} records (${verdict.operations} operations) read as ${verdict.format}${verdict.skipped ? `; ${verdict.skipped} unreadable records skipped (--lenient)` : ""}.`,
    },
    { kind: "list", items: verdict.picked.map((p) => `${p.checker}: ${p.reason}`) },
  ];
  if (history.skipped.length > 0) {
    blocks.push({
      kind: "listing",
      caption: `Skipped records${history.skippedCount > history.skipped.length ? ` (first ${history.skipped.length} of ${history.skippedCount})` : ""}`,
      lines: history.skipped.map((s) => `line ${s.line ?? "?"}${s.column ? `:${s.column}` : ""}: ${s.reason}`),
    });
  }
  if (history.warnings.length > 0) {
    blocks.push({ kind: "listing", caption: "Warnings", lines: history.warnings.slice(0, 100).map((w) => `index ${w.index}: ${w.message}`) });
  }
  return { id: "input", title: "Input", blocks };
}
