import type { CounterRead, CounterResult } from "./counter.ts";
import type { SectionContext } from "../descriptor.ts";
import type { History } from "../../history/history.ts";
import { nodeColumn } from "../../report/nodes.ts";
import { faultWindowMarks, faultWindowNote, type FaultSpan } from "../../report/fault-windows.ts";
import { Plot, renderChart, sample } from "../../report/charts.ts";
import { summaryWithFigures, type Block, type Section } from "../../report/document.ts";
import { formatPercent } from "../../history/values.ts";

const ERRORS_SHOWN = 50;

export function counterSection(result: CounterResult, history: History, context: SectionContext): Section {
  const stats = result.stats;
  const evidence = result.evidence;
  const { counts, maxDrift, final } = stats;
  const blocks: Block[] = summaryWithFigures(result.summary, ["increments", "acknowledged", "reads", "reads out of bounds", "largest drift", "largest relative drift"], [String(counts.increments), String(counts.acknowledged), String(counts.reads), String(counts.errors), driftText(maxDrift.absolute, maxDrift.absoluteReadId), maxDrift.relative === null ? "n/a" : `${formatPercent(maxDrift.relative)} (read ${maxDrift.relativeReadId})`]);
  if (final) {
    blocks.push({
      kind: "paragraph",
      text: `The 2013 form: the final read (operation ${final.id}) returned ${final.value}; acknowledged increments sum to ${final.acknowledged} and every increment that may have happened to ${final.attempted}, so the read is ${describeDifference(final.difference)}.`,
    });
  }
  if (evidence.errors.length > 0) {
    const node = nodeColumn(history);
    blocks.push({
      kind: "table",
      headers: ["read (operation id)", ...(node ? ["node"] : []), "completed at index", "value", "lower bound", "upper bound", "drift", "relative"],
      rows: evidence.errors
        .slice(0, ERRORS_SHOWN)
        .map((e) => [String(e.id), ...(node ? [node(e.id)] : []), String(e.index), String(e.value), String(e.lower), String(e.upper), signed(e.drift), e.relativeDrift === null ? "n/a" : formatPercent(e.relativeDrift)]),
    });
    if (evidence.errors.length > ERRORS_SHOWN) blocks.push({ kind: "paragraph", text: `${evidence.errors.length - ERRORS_SHOWN} more out-of-bounds reads in verdict.json.` });
  }
  const [only] = evidence.reads;
  // One read is one point: a sentence says it.
  if (evidence.reads.length === 1 && only) blocks.push({ kind: "paragraph", text: `One read (operation ${only.id}): ${only.value}, bounds [${only.lower}, ${only.upper}], drift ${signed(only.drift)}.` });
  else if (evidence.reads.length > 1) blocks.push(...boundsCharts(evidence.reads, context.faultWindows));
  return { id: "counter", title: "Counter: reads against their bounds", valid: result.valid, blocks };
}

/** The largest relative drift of the reads above (sign 1) or below (-1) their bounds, as a signed percentage. */
export function largestDrift(reads: readonly CounterRead[], sign: 1 | -1): string {
  const relative = reads.filter((r) => Math.sign(r.drift) === sign && r.relativeDrift !== null).map((r) => r.relativeDrift!);
  if (relative.length === 0) return reads.some((r) => Math.sign(r.drift) === sign) ? "n/a (bound 0)" : "none";
  return `${sign > 0 ? "+" : "−"}${formatPercent(relative.reduce((a, b) => Math.max(a, b)))}`;
}

function driftText(drift: number, id: number | null): string {
  return id === null ? "0" : `${drift} (read ${id})`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function describeDifference(d: number): string {
  if (d === 0) return "exactly the acknowledged total";
  return d < 0 ? `${-d} short of the acknowledged total` : `${d} above the acknowledged total`;
}

interface Point {
  x: number;
  value: number;
  lower: number;
  upper: number;
  drift: number;
  status: string;
}

/** Reads against their bounds; and, when some fall outside, their signed drift over time. */
function boundsCharts(reads: readonly CounterRead[], windows: readonly FaultSpan[]): Block[] {
  const timed = reads.every((r) => r.time !== undefined);
  const points: Point[] = reads.map((r) => ({ x: timed ? r.time! / 1e9 : r.index, value: r.value, lower: r.lower, upper: r.upper, drift: r.drift, status: r.drift === 0 ? "within bounds" : "out of bounds" }));
  const { items, sampled } = sample(points);
  const note = (timed ? faultWindowNote(windows) : "") + (sampled ? ` Sampled: ${items.length.toLocaleString("en")} of ${points.length.toLocaleString("en")} reads drawn, evenly spaced.` : "");
  const shades = timed ? faultWindowMarks(windows) : [];
  const x = { label: timed ? "read completed (s since start)" : "read completed (history index)" };
  const color = { domain: ["within bounds", "out of bounds"], range: ["#1a7f37", "#cf222e"], legend: true };
  const bounds = renderChart("counter-bounds", "Reads against their bounds", `Each read at its completion; grey bar = [acknowledged before it began, attempted before it ended]; dot = the value read.${note}`, {
    width: 900,
    height: 360,
    x,
    y: { label: "counter value", grid: true },
    color,
    marks: [...shades, Plot.ruleX(items, { x: "x", y1: "lower", y2: "upper", stroke: "#8c959f", strokeWidth: 3, strokeOpacity: 0.5 }), Plot.dot(items, { x: "x", y: "value", fill: "status", r: 2.5 })],
  });
  const charts: Block[] = [{ kind: "chart", chart: bounds }];
  if (reads.some((r) => r.drift !== 0)) {
    const drift = renderChart("counter-drift", "Drift over time", `Signed distance of each read outside its bounds (above the upper bound > 0, below the lower < 0; 0 = within).${note}`, {
      width: 900,
      height: 260,
      x,
      y: { label: "drift", grid: true },
      color,
      marks: [...shades, Plot.ruleY([0], { stroke: "#8c959f" }), Plot.dot(items, { x: "x", y: "drift", fill: "status", r: 2.5 })],
    });
    charts.push({ kind: "chart", chart: drift });
  }
  return charts;
}
