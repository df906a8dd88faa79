import { compactElements } from "./elements.ts";
import { formatRate } from "./set-reported.ts";
import type { SetResult } from "./set.ts";
import type { SectionContext } from "../descriptor.ts";
import type { History } from "../../history/history.ts";
import { summaryWithFigures, type Block, type Section } from "../../report/document.ts";
import { formatPercent } from "../../history/values.ts";
import { outcomeChart, placeElements } from "../../report/sections/outcome-chart.ts";

/** Runs shown before a list is cut ("… N more elements"); verdict.json keeps them all. */
const LIST_RUNS = 200;

const COLOURS = { present: "#1a7f37", lost: "#cf222e", recovered: "#bf8700", absent: "#8c959f", concurrent: "#0969da", acknowledged: "#1a7f37", unacknowledged: "#8c959f" };

export function setSection(result: SetResult, _history: History, context: SectionContext): Section {
  const stats = result.stats;
  const evidence = result.evidence;
  const { counts, rates } = stats;
  const blocks: Block[] = summaryWithFigures(result.summary, ["attempted |T|", "acknowledged |A|", "final read |R|", "lost A∖R", "recovered (R∩T)∖A", "unexpected R∖T", "ack rate", "loss rate", "unacked-present rate"], [counts.attempted, counts.acknowledged].map(String).concat([counts.read, counts.lost, counts.recovered, counts.unexpected].map((n) => (evidence.finalRead ? String(n) : "n/a")), [rates.ack, rates.loss, rates.unackedPresent].map(formatPercent)));
  blocks.push(...elementLists([
    ["Acknowledged but lost (false positives)", evidence.lost],
    ["Unacknowledged but present (false negatives)", evidence.recovered],
    ["Read but never attempted", evidence.unexpected],
    ["Failed adds that were read anyway", evidence.failedPresent],
  ]));
  if (evidence.comparison) {
    blocks.push({ kind: "paragraph", text: "The log printed its own summary; our figures beside the printed ones:" });
    blocks.push({
      kind: "table",
      headers: ["figure", "ours", "printed", "note"],
      rows: evidence.comparison.map((r) => [r.figure, r.figure.endsWith("rate") ? formatRate(r.ours) : String(r.ours ?? "n/a"), r.figure.endsWith("rate") ? formatRate(r.printed) : String(r.printed ?? "n/a"), r.note]),
    });
    if (stats.reportedOnly?.length) blocks.push({ kind: "paragraph", text: `Reported only (printed by the log, not computed from its operations): ${stats.reportedOnly.join(", ")}.` });
  }
  const { xs, timed } = placeElements(evidence.elements, (e) => e.time, counts.attempted);
  if (xs.length > 0) blocks.push(outcomeChart("set-outcomes", "Outcome per element", evidence.elements.map((e, i) => ({ x: xs[i]!, outcome: e.outcome })), COLOURS, timed, counts.attempted, context.faultWindows));
  return { id: "set", title: "Set: acknowledged writes lost", valid: result.valid, blocks };
}

/** Each non-empty list as a compacted listing ("0..3 5 9..12"). */
export function elementLists(lists: [string, readonly unknown[]][]): Block[] {
  return lists
    .filter(([, elements]) => elements.length > 0)
    .map(([caption, elements]) => ({ kind: "listing", caption: `${caption}: ${elements.length}`, lines: wrap(compactElements(elements, LIST_RUNS)) }));
}

/** Breaks a space-separated list into lines of at most `width` characters. */
function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
