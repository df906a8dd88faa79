import { Plot, renderChart, sample } from "../charts.ts";
import type { Block } from "../document.ts";
import { faultWindowMarks, faultWindowNote, type FaultSpan } from "../fault-windows.ts";

/** One element's fate, placed by when it was added (seconds) or, without times, by its order. */
export interface OutcomePoint {
  x: number;
  outcome: string;
}

/**
 * Outcome per element as a strip per outcome: where along the run elements were lost, recovered
 * or left unread. Shared by the set and set-full sections.
 */
export function outcomeChart(id: string, title: string, points: OutcomePoint[], colours: Record<string, string>, timed: boolean, total: number, windows: readonly FaultSpan[]): Block {
  const { items } = sample(points);
  const note = items.length < total ? ` Sampled: ${items.length.toLocaleString("en")} of ${total.toLocaleString("en")} elements drawn, evenly spaced.` : "";
  const domain = Object.keys(colours).filter((o) => points.some((p) => p.outcome === o));
  const chart = renderChart(id, title, `One tick per attempted element, at ${timed ? "the time its add was invoked" : "its position in add order"}; one row per outcome.${timed ? faultWindowNote(windows) : ""}${note}`, {
    width: 900,
    height: 80 + 40 * domain.length,
    marginLeft: 110,
    x: { label: timed ? "add invoked (s since start)" : "element, in add order" },
    y: { domain, label: null },
    color: { domain, range: domain.map((o) => colours[o]!), legend: true },
    marks: [...(timed ? faultWindowMarks(windows) : []), Plot.tickX(items, { x: "x", y: "outcome", stroke: "outcome", strokeOpacity: 0.7 })],
  });
  return { kind: "chart", chart };
}

/**
 * x for each element: add time in seconds when every element has one, else its position in add
 * order (scaled back up when `elements` is an evenly spaced sample of `total`).
 */
export function placeElements<T>(elements: readonly T[], time: (e: T) => number | undefined, total: number): { xs: number[]; timed: boolean } {
  const timed = elements.length > 0 && elements.every((e) => time(e) !== undefined);
  const step = elements.length > 0 ? total / elements.length : 1;
  return { xs: elements.map((e, i) => (timed ? time(e)! / 1e9 : Math.floor(i * step))), timed };
}
