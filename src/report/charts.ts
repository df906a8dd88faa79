import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Script } from "node:vm";
import type * as PlotModule from "@observablehq/plot";
import type * as Linkedom from "linkedom";
import { ticks } from "d3-array";
import type { Chart } from "./document.ts";
import { escapeHtml } from "./html.ts";

// Plot and linkedom are the dearest modules to load: they load on the first chart drawn, so a run
// that draws none (`--report none`, --version, --help) never loads them. require() loads these ES
// modules synchronously (Node >= 20.19), which section builders, being synchronous, need.
const load = createRequire(import.meta.url);

interface ChartLibraries {
  Plot: typeof PlotModule;
  linkedom: typeof Linkedom;
}

/** Built, both are one bundle beside this file (scripts/bundle-chart-libraries.mjs), about a third of the CPU to load. */
const BUNDLE = "./chart-libraries.cjs";
/**
 * V8's code cache of the bundle, when the build made one (scripts/chart-code-cache.mjs): the
 * bundle's functions as compiled while a report's charts were drawn, so a run neither parses
 * 1.8 MB of script nor compiles those functions again. V8 refuses a cache made by another
 * version or for other flags, and the bundle is then compiled as without one. V8 tells sources
 * apart by length only, so the cache starts with a line naming the bundle it was made from (size
 * and modification time) and is used for that bundle only.
 */
const CODE_CACHE = "./chart-libraries.cache";
let libraries: ChartLibraries | undefined;
/** The bundle as compiled, and its file, kept so that its code cache can be written once charts were drawn. */
let loadedBundle: { script: Script; file: string } | undefined;
/** What became of the code cache when the bundle was loaded. */
let codeCache: "used" | "refused by V8" | "none for this bundle" | undefined;

function chartLibraries(): ChartLibraries {
  libraries ??= existsSync(new URL(BUNDLE, import.meta.url)) ? loadBundle() : { Plot: load("@observablehq/plot") as typeof PlotModule, linkedom: load("linkedom") as typeof Linkedom };
  return libraries;
}

/** The bundle run as `require` would run it, compiled with its code cache when there is one. */
function loadBundle(): ChartLibraries {
  const file = fileURLToPath(new URL(BUNDLE, import.meta.url));
  const cache = new URL(CODE_CACHE, import.meta.url);
  // Taken when first needed, not with this module: this module is part of the start-up snapshot.
  const { Script } = process.getBuiltinModule("node:vm");
  const cachedData = codeCacheFor(file, cache);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`, { filename: file, cachedData });
  loadedBundle = { script, file };
  codeCache = cachedData === undefined ? "none for this bundle" : script.cachedDataRejected === true ? "refused by V8" : "used";
  const module = { exports: {} };
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports as ChartLibraries;
}

/** The code cache made from this very bundle, or undefined. */
function codeCacheFor(bundle: string, cache: URL): Buffer | undefined {
  if (!existsSync(cache)) return undefined;
  const data = readFileSync(cache);
  const end = data.indexOf(10);
  return end !== -1 && data.subarray(0, end).toString() === bundleIdentity(bundle) ? data.subarray(end + 1) : undefined;
}

function bundleIdentity(bundle: string): string {
  const { size, mtimeMs } = statSync(bundle);
  return `${size} ${Math.trunc(mtimeMs)}`;
}

/** Whether the chart bundle was loaded with its code cache (undefined: not loaded, or loaded as packages under tsx). */
export function chartCodeCache(): typeof codeCache {
  return codeCache;
}

/**
 * Writes the bundle's code cache beside it, with every function compiled so far: run once a
 * report's charts were drawn (scripts/chart-code-cache.mjs). False when the bundle was not loaded.
 */
export function writeChartCodeCache(): boolean {
  if (loadedBundle === undefined) return false;
  const { script, file } = loadedBundle;
  writeFileSync(new URL(CODE_CACHE, import.meta.url), Buffer.concat([Buffer.from(`${bundleIdentity(file)}\n`), script.createCachedData()]));
  return true;
}

/**
 * Lets go of the chart libraries, so that a start-up snapshot taken next holds none of them (they
 * hold what V8 cannot put in a snapshot: Intl formatters, a compiled script); the next chart loads them again.
 */
export function releaseChartLibraries(): void {
  libraries = undefined;
  loadedBundle = undefined;
  codeCache = undefined;
}

/** Observable Plot, loaded on first use. */
export const Plot: typeof PlotModule = new Proxy({} as typeof PlotModule, {
  get: (_, key) => chartLibraries().Plot[key as keyof typeof PlotModule],
});
export type Markish = PlotModule.Markish;

/** Plot needs a DOM; linkedom gives it one in Node without a browser. */
export function newDocument(): ReturnType<typeof Linkedom.parseHTML>["document"] {
  return chartLibraries().linkedom.parseHTML("<!DOCTYPE html><html><body></body></html>").document;
}

/** The part of a DOM element a chart needs (the project builds without the DOM lib). */
interface Rendered {
  tagName: string;
  outerHTML: string;
  textContent: string | null;
  children: ArrayLike<Rendered>;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<Rendered>;
}

export const MAX_POINTS = 20_000;

/** Outcome colours shared by every chart and the timeline: ok green, fail red, info amber. */
export const OUTCOME_COLOURS = { domain: ["ok", "fail", "info"], range: ["#1a7f37", "#cf222e", "#bf8700"] };

/** Colours for series that are not outcomes (f, quantiles): blues, purples and greys, never ok green, fail red or info amber. */
export const SERIES_RANGE = ["#0969da", "#8250df", "#1b7c83", "#6e7781", "#bc4c00", "#0550ae", "#6639ba", "#24292f"];

/** A y axis for counts from 0: integer ticks only (never 1.0, 1.1, … 2.0). */
export function countAxis(label: string, max: number): PlotModule.ScaleOptions {
  const top = Math.max(1, Math.ceil(max));
  return { label, grid: true, domain: [0, top], ticks: ticks(0, top, Math.min(8, top)).filter(Number.isInteger), tickFormat: "d" };
}

/** Every k-th item so that at most `limit` remain; deterministic, keeps the first and spreads evenly. */
export function sample<T>(items: T[], limit = MAX_POINTS): { items: T[]; sampled: boolean } {
  if (items.length <= limit) return { items, sampled: false };
  const step = items.length / limit;
  const out: T[] = [];
  for (let i = 0; i < limit; i++) out.push(items[Math.floor(i * step)]!);
  return { items: out, sampled: true };
}

/** Renders a Plot spec once: the figure (title, legends, plot) for HTML, and the same as one standalone SVG for files. */
export function renderChart(id: string, title: string, caption: string, options: PlotModule.PlotOptions): Chart {
  // Plot types its result with DOM types this build leaves out (no DOM lib): it arrives untyped.
  const figure: Rendered = Plot.plot({ ...options, document: newDocument(), figure: true, title } as PlotModule.PlotOptions);
  const local = chartLocalIds(id);
  return { id, title, caption, html: local(figure.outerHTML), svg: `<?xml version="1.0" encoding="UTF-8"?>\n${local(standalone(figure, title))}\n` };
}

/**
 * Plot numbers its markers with a counter that runs for the whole process, so the same chart
 * would differ with what was drawn before it: numbered within the chart instead (same input,
 * same bytes), prefixed with the chart's id, which is unique on its page.
 */
function chartLocalIds(chartId: string): (markup: string) => string {
  const renamed = new Map<string, string>();
  return (markup) => markup.replace(/plot-marker-\d+/g, (name) => {
    if (!renamed.has(name)) renamed.set(name, `${chartId}-marker-${renamed.size + 1}`);
    return renamed.get(name)!;
  });
}

const LEGEND_ROW = 20;

/**
 * A figure's parts laid out in one SVG document, so a chart linked from Markdown still has its
 * title and legends: Plot draws legends as HTML swatches, each holding a small SVG we reuse.
 */
function standalone(figure: Rendered, title: string): string {
  const parts = Array.from(figure.children);
  const plot = parts.find((p) => p.tagName.toLowerCase() === "svg");
  if (!plot) throw new Error(`Plot drew no SVG for "${title}"`);
  const width = Number(plot.getAttribute("width"));
  let y = 30;
  const legend: string[] = [];
  for (const part of parts.filter((p) => p.tagName.toLowerCase() === "div")) {
    let x = 0;
    for (const swatch of Array.from(part.querySelectorAll("span"))) {
      const label = swatch.textContent ?? "";
      const advance = 22 + label.length * 6.5;
      if (x > 0 && x + advance > width) {
        x = 0;
        y += LEGEND_ROW;
      }
      const symbol = Array.from(swatch.children).find((c) => c.tagName.toLowerCase() === "svg");
      if (symbol) {
        symbol.setAttribute("x", String(x));
        symbol.setAttribute("y", String(y));
        legend.push(symbol.outerHTML);
      }
      legend.push(`<text x="${x + 19}" y="${y + 11}">${escapeHtml(label)}</text>`);
      x += advance;
    }
    y += LEGEND_ROW;
  }
  plot.setAttribute("y", String(y));
  const height = y + Number(plot.getAttribute("height"));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/><text x="0" y="16" font-size="15" font-weight="600">${escapeHtml(title)}</text>
${legend.join("")}
${plot.outerHTML}
</svg>`;
}
