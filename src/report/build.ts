import { basename } from "node:path";
import { CHECKERS } from "../checkers/registry.ts";
import type { FileVerdict } from "../checkers/verdict.ts";
import type { History } from "../history/history.ts";
import type { ReportDocument } from "./document.ts";
import { genericSection } from "./sections/generic.ts";
import { inputSection } from "./sections/input.ts";
import { timelineSection } from "./sections/timeline.ts";

export function buildReport(verdict: FileVerdict, history: History): ReportDocument {
  return {
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
}
