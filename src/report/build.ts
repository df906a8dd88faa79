import { basename } from "node:path";
import type { CheckerResult } from "../checkers/checker.ts";
import type { FileVerdict } from "../checkers/verdict.ts";
import type { History } from "../history/history.ts";
import type { ReportDocument, Section } from "./document.ts";
import { genericSection } from "./sections/generic.ts";
import { inputSection } from "./sections/input.ts";
import { counterSection } from "../checkers/counter/section.ts";
import { lwwSection } from "../checkers/lww/section.ts";
import { setFullSection } from "../checkers/set/set-full-section.ts";
import { setSection } from "../checkers/set/section.ts";
import { linearizableSection } from "../checkers/linearizability/section.ts";
import { statsSection } from "../checkers/stats/section.ts";
import { txnSection } from "../checkers/txn/section.ts";
import { timelineSection } from "./sections/timeline.ts";

type SectionBuilder = (result: CheckerResult, history: History) => Section;

/** Each checker's report section; a checker without one gets its evidence shown as data. */
const SECTIONS: Record<string, SectionBuilder> = {
  stats: statsSection,
  set: setSection,
  "set-full": setFullSection,
  counter: counterSection,
  lww: lwwSection,
  txn: txnSection,
  linearizable: linearizableSection,
};

export function buildReport(verdict: FileVerdict, history: History): ReportDocument {
  return {
    title: basename(verdict.file),
    meta: `${verdict.file} · format ${verdict.format}`,
    valid: verdict.valid,
    headline: verdict.summary,
    checkers: verdict.checkers.map((c) => ({ checker: c.checker, valid: c.valid, summary: c.summary })),
    sections: [
      ...verdict.checkers.map((r) => (SECTIONS[r.checker] ?? genericSection)(r, history)),
      timelineSection(verdict, history),
      inputSection(verdict, history),
    ],
  };
}
