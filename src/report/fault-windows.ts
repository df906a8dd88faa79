import { Plot, type Markish } from "./charts.ts";

/**
 * A span during which the nemesis had a fault active, as the stats checker found it (its
 * `FaultWindow` is one): history positions always, nanoseconds when the history has times.
 * Charts draw these; none re-derives them from the history.
 */
export interface FaultSpan {
  label: string;
  startIndex: number;
  endIndex: number;
  startTime: number | undefined;
  endTime: number | undefined;
}

/** The class every drawn fault window carries, in charts and the timeline (tests look for it). */
export const FAULT_WINDOW_CLASS = "fault-window";
export const FAULT_FILL = "#cf222e";
export const FAULT_OPACITY = 0.1;

/** A fault window in a chart's x units. */
interface Shade {
  x1: number;
  x2: number;
  label: string;
}

/**
 * Plot marks shading each window on a chart whose x is seconds since `originNs`, labelled with
 * the nemesis op; nothing when the windows have no times.
 */
export function faultWindowMarks(windows: readonly FaultSpan[], originNs = 0): Markish[] {
  const shades: Shade[] = windows.flatMap((w) =>
    w.startTime !== undefined && w.endTime !== undefined ? [{ x1: (w.startTime - originNs) / 1e9, x2: (w.endTime - originNs) / 1e9, label: w.label }] : [],
  );
  if (shades.length === 0) return [];
  return [
    Plot.rectX(shades, { x1: "x1", x2: "x2", fill: FAULT_FILL, fillOpacity: FAULT_OPACITY, title: "label", className: FAULT_WINDOW_CLASS }),
    Plot.text(shades, { x: "x1", frameAnchor: "top", text: "label", textAnchor: "start", dx: 3, dy: 3, fill: FAULT_FILL, fontSize: 9 }),
  ];
}

/** The caption's sentence when windows are shaded. */
export function faultWindowNote(windows: readonly FaultSpan[]): string {
  return windows.some((w) => w.startTime !== undefined && w.endTime !== undefined) ? " Shaded red: nemesis fault windows, labelled with the nemesis op." : "";
}
