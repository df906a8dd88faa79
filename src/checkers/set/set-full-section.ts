import type { Quantiles, SetFullResult } from "./set-full.ts";
import type { SectionContext } from "../descriptor.ts";
import type { History } from "../../history/history.ts";
import { summaryWithFigures, type Block, type Section } from "../../report/document.ts";
import { formatMs } from "../../report/format.ts";
import { outcomeChart, placeElements } from "../../report/sections/outcome-chart.ts";
import { formatPercent } from "../../history/values.ts";
import { elementLists } from "./section.ts";

const COLOURS = { stable: "#1a7f37", lost: "#cf222e", "never-read": "#8c959f" };
const DUPLICATES_SHOWN = 50;

export function setFullSection(result: SetFullResult, _history: History, context: SectionContext): Section {
  const stats = result.stats;
  const evidence = result.evidence;
  const c = stats.counts;
  const blocks: Block[] = summaryWithFigures(result.summary, ["attempted", "acknowledged", "reads", "stable", "stale", "lost", "never read", "unexpected", "reads with duplicates", "loss rate"], [c.attempted, c.acknowledged, c.reads, c.stable, c.stale, c.lost, c.neverRead, c.unexpected, c.duplicated].map(String).concat([formatPercent(stats.rates.loss)]));
  const latency: [string, Quantiles | undefined][] = [
    ["to become visible (stable elements)", stats.stableLatencyMs],
    ["to be lost (lost elements)", stats.lostLatencyMs],
  ];
  const timed = latency.filter((l): l is [string, Quantiles] => l[1] !== undefined);
  if (timed.length > 0) {
    blocks.push({
      kind: "table",
      headers: ["latency", "min", "p50", "p95", "p99", "max"],
      rows: timed.map(([label, q]) => [label, ...(["0", "0.5", "0.95", "0.99", "1"] as const).map((k) => formatMs(q[k]))]),
    });
  }
  blocks.push(...elementLists([
    ["Lost (seen or acknowledged, then missing from every later read)", evidence.lost],
    ["Stale (visible only after a delay)", evidence.stale],
    ["Never read after being known", evidence.neverRead],
    ["Read but never added", evidence.unexpected],
  ]));
  if (evidence.duplicates.length > 0) {
    blocks.push({
      kind: "table",
      headers: ["read (operation id)", "element", "times listed"],
      rows: evidence.duplicates.slice(0, DUPLICATES_SHOWN).map((d) => [String(d.readId), JSON.stringify(d.element) ?? "undefined", String(d.count)]),
    });
  }
  const { xs, timed: byTime } = placeElements(evidence.elements, (e) => e.addTime, c.attempted);
  if (xs.length > 0) blocks.push(outcomeChart("set-full-outcomes", "Outcome per element", evidence.elements.map((e, i) => ({ x: xs[i]!, outcome: e.outcome })), COLOURS, byTime, c.attempted, context.faultWindows));
  return { id: "set-full", title: "Set (many reads): stable, lost, never read", valid: result.valid, blocks };
}
