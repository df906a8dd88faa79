import { max, min, ticks } from "d3-array";
import type { History } from "../history/history.ts";
import { isClientProcess, type Operation, type ProcessId } from "../history/op.ts";
import { OUTCOME_COLOURS } from "./charts.ts";
import type { Chart } from "./document.ts";
import { FAULT_FILL, FAULT_OPACITY, FAULT_WINDOW_CLASS, type FaultSpan } from "./fault-windows.ts";
import { escapeHtml } from "./html.ts";
import { nodeOf } from "./nodes.ts";
import { TIMELINE_SCRIPT, TIMELINE_STYLE } from "./timeline-script.ts";
import { showValue } from "../history/show.ts";

/**
 * Jepsen's timeline as one SVG: a column per process, a box per operation from invocation to
 * completion, coloured by outcome, with the op in a tooltip. Drawn here rather than by Plot
 * because the browser must zoom and pan it without a charting library in the page: the boxes
 * live in a nested <svg> whose viewBox the inline script changes (docs/decisions.md).
 */

/** Operations a checker's evidence centres on (CheckerResult.focus). */
export interface TimelineFocus {
  checker: string;
  ids: number[];
}

/** At most this many operations are drawn (a window of the history), keeping report.html small. */
export const MAX_TIMELINE_OPS = 10_000;
/** The standalone SVG (report.md's) draws at most this many, so a big history's report.md stays light. */
export const STATIC_TIMELINE_OPS = 1_000;
/** More processes than this are packed into lanes, so a run with many crashed clients stays legible. */
export const MAX_COLUMNS = 48;
const MAX_VALUE_CHARS = 200;

const LANE = 22;
const GAP = 4;
const AXIS = 70;
const TOP = 72;
const PLOT_HEIGHT = 560;
const LEGEND = 125;

export interface TimelineLayout {
  /** Operations drawn: a contiguous window of the history, in invocation order. */
  first: number;
  last: number;
  total: number;
  /** Set when the history was streamed and `total` operations are an evenly spaced sample of this many. */
  sampledFrom: number | undefined;
  unit: "ms" | "position";
  /** Process ids per lane; a lane holds several only when processes were packed. */
  lanes: ProcessId[][];
  packed: boolean;
  /** The concurrency whose slots (process mod it) are the client lanes; undefined when lanes are not slots. */
  slots: number | undefined;
  /** y range, in unit, of all boxes drawn and of the focus (undefined when no focus op is drawn). */
  range: number;
  focusRange: [number, number] | undefined;
}

/** A fault window across every lane, in the timeline's unit. */
interface Band {
  label: string;
  y: number;
  height: number;
}

interface Box {
  op: Operation;
  lane: number;
  y: number;
  height: number;
  open: boolean;
  focusedBy: string[];
}

export function timelineChart(history: History, focus: TimelineFocus[], windows: readonly FaultSpan[] = [], limit = MAX_TIMELINE_OPS): { chart: Chart; layout: TimelineLayout } | undefined {
  if (history.operations.length === 0) return undefined;
  const focusedBy = new Map<number, string[]>();
  for (const f of focus) for (const id of f.ids) focusedBy.set(id, [...(focusedBy.get(id) ?? []), f.checker]);
  const { svg, layout, bands } = drawWindow(history, focusedBy, windows, limit);
  // report.md's SVG stays small: a narrower window around the evidence, the rest summarised in it.
  const still = layout.total > STATIC_TIMELINE_OPS ? drawWindow(history, focusedBy, windows, STATIC_TIMELINE_OPS, true).svg : svg;
  const caption = captionFor(layout, focus, bands);
  const html = `<div class="tl" data-range="${layout.range}" data-plot-height="${PLOT_HEIGHT}" data-top="${TOP}" data-axis="${AXIS}"${layout.focusRange ? ` data-focus="${layout.focusRange.join(",")}"` : ""}>
<div class="tl-controls"><button type="button" data-zoom="in">zoom in</button><button type="button" data-zoom="out">zoom out</button><button type="button" data-zoom="fit">whole window</button>${layout.focusRange ? `<button type="button" data-zoom="focus">evidence</button>` : ""}<span class="tl-hint">wheel: scroll · ctrl+wheel: zoom · drag: pan · click a box: details</span></div>
<div class="tl-scroll">${svg}</div>
<pre class="tl-detail">Click an operation to see it here.</pre></div>`;
  return {
    chart: { id: "timeline", title: "Timeline", caption, svg: `<?xml version="1.0" encoding="UTF-8"?>\n${still}\n`, html, script: TIMELINE_SCRIPT, style: TIMELINE_STYLE },
    layout,
  };
}

/** The boxes of a window of at most `limit` operations around the first focus op; `summarise` says in the SVG what was left out. */
function drawWindow(history: History, focusedBy: Map<number, string[]>, windows: readonly FaultSpan[], limit: number, summarise = false): { svg: string; layout: TimelineLayout; bands: Band[] } {
  const all = history.operations;
  // Positions, not ids: a streamed history's operations are a sample, so ids skip.
  const position = new Map(all.map((o, i) => [o.id, i]));
  const focusPositions = [...focusedBy.keys()].flatMap((id) => (position.has(id) ? [position.get(id)!] : []));
  const [first, last] = windowAround(all.length, focusPositions, limit);
  const ops = all.slice(first, last + 1);
  const unit = ops.every((o) => o.callTime !== undefined && (o.completeIndex === undefined || o.retTime !== undefined)) ? "ms" : "position";
  const start = (o: Operation): number => (unit === "ms" ? o.callTime! / 1e6 : o.invokeIndex);
  const end = (o: Operation): number | undefined => (o.completeIndex === undefined ? undefined : unit === "ms" ? o.retTime! / 1e6 : o.completeIndex);
  const origin = min(ops, start) ?? 0;
  const range = Math.max(1e-3, max(ops, (o) => (end(o) ?? start(o)) - origin) ?? 0);
  const { lanes, laneOf, packed, slots } = assignLanes(ops, start, end, recordedConcurrency(history));
  const minHeight = range / PLOT_HEIGHT;
  const boxes: Box[] = ops.map((op) => {
    const y = start(op) - origin;
    const stop = end(op);
    return { op, lane: laneOf.get(op.process)!, y, height: Math.max((stop === undefined ? range : stop - origin) - y, minHeight), open: stop === undefined, focusedBy: focusedBy.get(op.id) ?? [] };
  });
  const focused = boxes.filter((b) => b.focusedBy.length > 0);
  const layout: TimelineLayout = { first, last, total: all.length, sampledFrom: history.sampledFrom, unit, lanes, packed, slots, range, focusRange: focusRangeOf(focused, range, ops.length) };
  const bands = windows.flatMap((w): Band[] => {
    const from = (unit === "ms" ? (w.startTime === undefined ? undefined : w.startTime / 1e6) : w.startIndex) ?? undefined;
    const to = unit === "ms" ? (w.endTime === undefined ? undefined : w.endTime / 1e6) : w.endIndex;
    if (from === undefined || to === undefined || to < origin || from - origin > range) return [];
    const y = Math.max(0, from - origin);
    return [{ label: w.label, y, height: Math.max(Math.min(range, to - origin) - y, minHeight) }];
  });
  return { svg: drawSvg(boxes, bands, layout, summarise ? summaryOf(all, first, last) : undefined), layout, bands };
}

/** What a narrowed window leaves out, per side: how many operations and how they ended. */
function summaryOf(all: readonly Operation[], first: number, last: number): string[] {
  const side = (ops: readonly Operation[]): string => {
    const counts = { ok: 0, fail: 0, info: 0 };
    for (const o of ops) counts[o.outcome]++;
    return `${ops.length.toLocaleString("en")} (${counts.ok.toLocaleString("en")} ok, ${counts.fail.toLocaleString("en")} fail, ${counts.info.toLocaleString("en")} info)`;
  };
  return [
    `Drawn: operations ${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${all.length.toLocaleString("en")}, around the evidence (report.html draws up to ${MAX_TIMELINE_OPS.toLocaleString("en")}).`,
    `Not drawn: ${side(all.slice(0, first))} before, ${side(all.slice(last + 1))} after.`,
  ];
}

/** The window of at most `limit` operations: all of them, or centred on the first focus op, or the start. */
function windowAround(total: number, focusPositions: number[], limit: number): [number, number] {
  if (total <= limit) return [0, total - 1];
  const centre = min(focusPositions) ?? 0;
  const first = Math.max(0, Math.min(centre - Math.floor(limit / 2), total - limit));
  return [first, first + limit - 1];
}

/**
 * Lanes: the nemesis first (always on screen), then one per client slot — Jepsen's thread,
 * process mod concurrency, since a client that crashed comes back as a new process id on the
 * same thread. When no concurrency fits (two processes of one slot overlap) and there are more
 * than MAX_COLUMNS processes, clients whose lifetimes do not overlap share a lane, greedily.
 */
function assignLanes(ops: Operation[], start: (o: Operation) => number, end: (o: Operation) => number | undefined, concurrency: number | undefined) {
  const life = new Map<ProcessId, { from: number; to: number }>();
  for (const o of ops) {
    const span = life.get(o.process) ?? { from: start(o), to: start(o) };
    span.to = Math.max(span.to, end(o) ?? Infinity);
    life.set(o.process, span);
  }
  const byStart = (a: ProcessId, b: ProcessId): number => life.get(a)!.from - life.get(b)!.from || compareProcesses(a, b);
  const processes = [...life.keys()].sort(compareProcesses);
  const clients = processes.filter((p): p is number => typeof p === "number");
  const nemeses: ProcessId[][] = processes.filter((p) => !isClientProcess(p)).map((p) => [p]);
  const lanes: ProcessId[][] = [];
  const slots = slotCount(clients, life, concurrency ?? mostOpenAtOnce(ops, start, end));
  if (slots !== undefined) {
    const bySlot = new Map<number, number[]>();
    for (const p of clients) {
      const slot = ((p % slots) + slots) % slots;
      const lane = bySlot.get(slot);
      if (lane) lane.push(p);
      else bySlot.set(slot, [p]);
    }
    for (const slot of [...bySlot.keys()].sort((a, b) => a - b)) lanes.push(bySlot.get(slot)!.sort(byStart));
  } else if (processes.length > MAX_COLUMNS) {
    const laneEnds: number[] = [];
    for (const p of [...clients].sort(byStart)) {
      const span = life.get(p)!;
      let lane = laneEnds.findIndex((to) => to <= span.from);
      if (lane < 0) {
        lane = lanes.length;
        lanes.push([]);
      }
      lanes[lane]!.push(p);
      laneEnds[lane] = span.to;
    }
  } else lanes.push(...clients.map((p) => [p]));
  const all = [...nemeses, ...lanes];
  const laneOf = new Map<ProcessId, number>();
  all.forEach((lane, i) => lane.forEach((p) => laneOf.set(p, i)));
  return { lanes: all, laneOf, packed: all.some((lane) => lane.length > 1), slots };
}

/** Client processes busy at the same instant, at most: a lower bound on the test's concurrency. */
function mostOpenAtOnce(ops: Operation[], start: (o: Operation) => number, end: (o: Operation) => number | undefined): number {
  const events: [number, number][] = [];
  for (const o of ops) if (isClientProcess(o.process)) events.push([start(o), 1], [end(o) ?? Infinity, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, delta] of events) most = Math.max(most, (open += delta));
  return most;
}

/** Tries beyond the first guess: a few threads may never have been busy at once. */
const SLOT_TRIES = 64;

/**
 * The smallest concurrency from `guess` up under which no two processes of one slot overlap;
 * undefined when none does, or when it would not put any two processes in one lane.
 */
function slotCount(clients: number[], life: Map<ProcessId, { from: number; to: number }>, guess: number): number | undefined {
  const byStart = [...clients].sort((a, b) => life.get(a)!.from - life.get(b)!.from);
  for (let c = Math.max(1, guess); c < Math.min(clients.length, guess + SLOT_TRIES); c++) {
    const ends = new Map<number, number>();
    const fits = byStart.every((p) => {
      const slot = ((p % c) + c) % c;
      const span = life.get(p)!;
      if ((ends.get(slot) ?? -Infinity) > span.from) return false;
      ends.set(slot, span.to);
      return true;
    });
    if (fits) return c;
  }
  return undefined;
}

/** test.edn's :concurrency, when the input read it beside the history. */
export function recordedConcurrency(history: History): number | undefined {
  const test = history.annotations.jepsenTest;
  const concurrency = typeof test === "object" && test !== null && "concurrency" in test ? test.concurrency : undefined;
  return typeof concurrency === "number" && Number.isInteger(concurrency) && concurrency > 0 ? concurrency : undefined;
}

function compareProcesses(a: ProcessId, b: ProcessId): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a.localeCompare(b);
}

/** The span the page opens at: the focus boxes with some context around them. */
function focusRangeOf(focused: Box[], range: number, drawn: number): [number, number] | undefined {
  if (focused.length === 0) return undefined;
  const from = Math.min(...focused.map((b) => b.y));
  const to = Math.max(...focused.map((b) => (b.open ? b.y : b.y + b.height)));
  // At least the room of ~30 average operations, so the neighbours that matter are visible too.
  const pad = Math.max((to - from) * 0.25, (range / Math.max(drawn, 1)) * 15);
  return [round(Math.max(0, from - pad)), Math.min(range, round(to + pad))];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function drawSvg(boxes: Box[], bands: Band[], layout: TimelineLayout, summary: string[] | undefined): string {
  const plotWidth = layout.lanes.length * (LANE + GAP);
  const width = Math.max(AXIS + plotWidth + 60, AXIS + 5 * LEGEND); // room for the last rotated lane label
  const height = TOP + PLOT_HEIGHT + 24 + 14 * (summary?.length ?? 0);
  const unitLabel = layout.unit === "ms" ? "ms since the first operation shown" : "history position";
  const header = layout.lanes
    .map((lane, i) => {
      const label = lane.length > 1 ? `${processLabel(lane[0]!)}+${lane.length - 1}` : processLabel(lane[0]!);
      return `<text class="tl-lane" x="${AXIS + i * (LANE + GAP) + LANE / 2}" y="${TOP - 6}" transform="rotate(-45 ${AXIS + i * (LANE + GAP) + LANE / 2} ${TOP - 6})"><title>${escapeHtml(lane.map(processLabel).join(", "))}</title>${escapeHtml(label)}</text>`;
    })
    .join("");
  const keys = [...OUTCOME_COLOURS.domain.map((o) => [o, `tl-key tl-${o}`]), ["never completed", "tl-key tl-open"], ...(layout.focusRange ? [["evidence", "tl-key tl-focus tl-bg"]] : [])];
  const legend = keys
    .map(([label, classes], i) => `<rect x="${AXIS + i * LEGEND}" y="22" width="12" height="12" class="${classes}"/><text class="tl-legend" x="${AXIS + i * LEGEND + 16}" y="32">${label}</text>`)
    .join("");
  const rects = boxes.map((b) => rect(b, layout.unit)).join("\n");
  const axis = ticks(0, layout.range, 10)
    .map((t) => {
      const y = TOP + (t / layout.range) * PLOT_HEIGHT;
      return `<line x1="${AXIS - 5}" x2="${AXIS}" y1="${y}" y2="${y}" stroke="#59636e"/><text x="${AXIS - 8}" y="${y + 4}" text-anchor="end">${t}</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" class="tl-svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">
<style>${SVG_STYLE}</style>
<text x="0" y="14" font-size="13" font-weight="600">Timeline: one lane per client slot (nemesis first), one box per operation (invocation to completion)</text>${(summary ?? []).map((line, i) => `\n<text class="tl-summary" x="0" y="${TOP + PLOT_HEIGHT + 18 + 14 * i}">${escapeHtml(line)}</text>`).join("")}
${legend}
${header}
<g class="tl-axis" font-size="10">${axis}</g>
<text class="tl-unit" transform="rotate(-90)" x="${-(TOP + PLOT_HEIGHT / 2)}" y="12" text-anchor="middle">${escapeHtml(unitLabel)}</text>
<svg class="tl-plot" x="${AXIS}" y="${TOP}" width="${plotWidth}" height="${PLOT_HEIGHT}" viewBox="0 0 ${plotWidth} ${layout.range}" preserveAspectRatio="none">
<rect class="tl-bg" width="${plotWidth}" height="${layout.range}"/>
${bands.map((b) => `<rect class="${FAULT_WINDOW_CLASS}" x="0" y="${round(b.y)}" width="${plotWidth}" height="${round(b.height)}" fill="${FAULT_FILL}" fill-opacity="${FAULT_OPACITY}"><title>${escapeHtml(`fault window: ${b.label}`)}</title></rect>`).join("")}
${rects}
</svg>
</svg>`;
}

const SVG_STYLE = `.tl-op,.tl-key{stroke:#1f2328;stroke-width:.5px;vector-effect:non-scaling-stroke}.tl-ok{fill:${OUTCOME_COLOURS.range[0]}}.tl-fail{fill:${OUTCOME_COLOURS.range[1]}}.tl-info{fill:${OUTCOME_COLOURS.range[2]}}.tl-open{fill:${OUTCOME_COLOURS.range[2]};fill-opacity:.3;stroke-dasharray:4 2}.tl-focus{stroke:#0969da;stroke-width:3px;vector-effect:non-scaling-stroke}.tl-bg{fill:#f6f8fa}.tl-lane,.tl-legend,.tl-unit{fill:#1f2328}`;

function rect(box: Box, unit: TimelineLayout["unit"]): string {
  const { op } = box;
  const classes = `tl-op ${box.open ? "tl-open" : `tl-${op.outcome}`}${box.focusedBy.length ? " tl-focus" : ""}`;
  return `<rect class="${classes}" data-id="${op.id}" x="${box.lane * (LANE + GAP)}" y="${round(box.y)}" width="${LANE}" height="${round(box.height)}"><title>${escapeHtml(describe(box, unit))}</title></rect>`;
}

/** The tooltip: everything about the op a reader needs to find it in the history. */
export function describe(box: Pick<Box, "op" | "focusedBy" | "open">, unit: TimelineLayout["unit"]): string {
  const { op } = box;
  const node = nodeOf(op);
  // One string built up, not lines joined: a timeline describes every op it draws.
  let text = `op ${op.id} · process ${processLabel(op.process)}${node === undefined ? "" : ` · node ${node}`} · ${op.f} ${shortValue(op.input)}`;
  text += box.open ? "\n→ never completed (indeterminate)" : `\n→ ${op.outcome} ${shortValue(op.output)}`;
  if (op.error !== undefined) text += `\nerror ${shortValue(op.error)}`;
  text += `\nhistory index ${op.invokeIndex}${op.completeIndex === undefined ? "" : `–${op.completeIndex}`}`;
  if (unit === "ms" && op.callTime !== undefined) {
    text += `\nat ${(op.callTime / 1e6).toFixed(3)} ms${op.retTime === undefined ? "" : `, took ${((op.retTime - op.callTime) / 1e6).toFixed(3)} ms`}`;
  }
  if (box.focusedBy.length) text += `\nevidence of ${box.focusedBy.join(", ")}`;
  return text;
}

function shortValue(value: unknown): string {
  return value === undefined ? "" : showValue(value, MAX_VALUE_CHARS);
}

function processLabel(p: ProcessId): string {
  return typeof p === "number" ? `p${p}` : p;
}

function captionFor(layout: TimelineLayout, focus: TimelineFocus[], bands: Band[]): string {
  const parts: string[] = [];
  if (bands.length > 0) parts.push(`Red bands across every lane: nemesis fault windows (${[...new Set(bands.map((b) => b.label))].join(", ")}); click one for its op.`);
  if (layout.sampledFrom !== undefined) {
    parts.push(`Streamed history: the boxes are an evenly spaced sample of ${layout.total.toLocaleString("en")} of ${layout.sampledFrom.toLocaleString("en")} operations, so neighbours in the history may be missing.`);
  }
  if (layout.first > 0 || layout.last < layout.total - 1) {
    parts.push(
      `Windowed: operations ${layout.first}–${layout.last} of ${layout.total.toLocaleString("en")} drawn (at most ${MAX_TIMELINE_OPS.toLocaleString("en")}), ${focus.length ? "around the first evidence operation" : "from the start"}.`,
    );
  }
  parts.push(`Vertical axis: ${layout.unit === "ms" ? "milliseconds since the first operation shown" : "history position (the history has no times)"}.`);
  parts.push("Green ok, red fail, amber info; pale dashed boxes never completed and run to the end.");
  if (layout.slots !== undefined && layout.packed) {
    parts.push(`One lane per client slot (Jepsen's thread: process mod ${layout.slots}), as a client that crashed comes back as a new process on its thread; the process is in each box's details (label: first process +others).`);
  } else if (layout.packed) parts.push(`${layout.lanes.flat().length} processes packed into ${layout.lanes.length} lanes: a lane holds client processes whose lifetimes do not overlap (label: first process +others).`);
  if (layout.focusRange) parts.push(`Blue outlines: evidence of ${focus.map((f) => f.checker).join(", ")}; the page opens zoomed there.`);
  else if (focus.length) parts.push(`The evidence operations of ${focus.map((f) => f.checker).join(", ")} fall outside the window drawn.`);
  return parts.join(" ");
}
