import type { FileVerdict } from "../../checkers/verdict.ts";
import type { History } from "../../history/history.ts";
import type { Section } from "../document.ts";
import type { FaultSpan } from "../fault-windows.ts";
import { timelineChart, type TimelineFocus } from "../timeline.ts";

/** The per-process timeline of the whole history, opening at whatever the checkers' evidence centres on. */
export function timelineSection(verdict: FileVerdict, history: History, windows: readonly FaultSpan[]): Section {
  const focus: TimelineFocus[] = verdict.checkers.flatMap((r) => (r.focus?.length ? [{ checker: r.checker, ids: r.focus }] : []));
  const drawn = timelineChart(history, focus, windows);
  if (!drawn) return { id: "timeline", title: "Timeline", blocks: [{ kind: "paragraph", text: "The history has no operations." }] };
  return { id: "timeline", title: "Timeline", blocks: [{ kind: "chart", chart: drawn.chart }] };
}
