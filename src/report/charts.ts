import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { Chart } from "./document.ts";

/** Plot needs a DOM; linkedom gives it one in Node without a browser. */
function newDocument(): ReturnType<typeof parseHTML>["document"] {
  return parseHTML("<!DOCTYPE html><html><body></body></html>").document;
}

/** The part of a DOM element a chart needs (the project builds without the DOM lib). */
interface Rendered {
  outerHTML: string;
  setAttribute(name: string, value: string): void;
}

export const MAX_POINTS = 20_000;

/** Outcome colours shared by every chart and the timeline: ok green, fail red, info amber. */
export const OUTCOME_COLOURS = { domain: ["ok", "fail", "info"], range: ["#1a7f37", "#cf222e", "#bf8700"] };

/** Every k-th item so that at most `limit` remain; deterministic, keeps the first and spreads evenly. */
export function sample<T>(items: T[], limit = MAX_POINTS): { items: T[]; sampled: boolean } {
  if (items.length <= limit) return { items, sampled: false };
  const step = items.length / limit;
  const out: T[] = [];
  for (let i = 0; i < limit; i++) out.push(items[Math.floor(i * step)]!);
  return { items: out, sampled: true };
}

/** Renders a Plot spec to a chart: the figure (with legends) for HTML, bare SVG for files. */
export function renderChart(id: string, title: string, caption: string, options: Plot.PlotOptions): Chart {
  const document = newDocument();
  const figure = Plot.plot({ ...options, document, figure: true, title } as Plot.PlotOptions) as unknown as Rendered;
  const bare = Plot.plot({ ...options, document, figure: false, title: undefined } as Plot.PlotOptions) as unknown as Rendered;
  bare.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return { id, title, caption, html: figure.outerHTML, svg: `<?xml version="1.0" encoding="UTF-8"?>\n${bare.outerHTML}\n` };
}

export { Plot };
