import type { Validity } from "../checkers/checker.ts";

/**
 * A report as data: checkers' sections become blocks, and markdown.ts / html.ts render the same
 * blocks, so both formats say the same thing and escaping happens in one place (the renderers).
 * Every string here is plain text taken possibly from the history: never pre-escaped markup.
 */
export type Block =
  | { kind: "paragraph"; text: string }
  | { kind: "table"; headers: string[]; rows: Cell[][] }
  | { kind: "listing"; caption?: string; lines: string[] }
  | { kind: "list"; items: string[] }
  | { kind: "chart"; chart: Chart };

/** A table cell: text, text linking to the timeline opened at these operation ids (report.html; plain text in Markdown), text linking to a path relative to the report (never a URL from the history), or a verdict, coloured. */
export type Cell = string | { text: string; href: string } | { verdict: VerdictWord } | { text: string; timeline: number[] };

/** What a verdict cell says: a checker's validity, or "measured" for a checker that measures (stats), whose `true` is no verdict. */
export type VerdictWord = "valid" | "invalid" | "unknown" | "measured";

export function verdictWord(valid: Validity, measurement: boolean): VerdictWord {
  return measurement && valid === true ? "measured" : validityWord(valid);
}

/** A chart drawn by charts.ts: `svg` is standalone SVG markup, `html` the figure with its legend. */
export interface Chart {
  id: string;
  title: string;
  /** What a reader should know about the chart: sampling, colours, units. */
  caption: string;
  svg: string;
  html: string;
  /** Inline JS the HTML form needs (e.g. the timeline's zoom); a page includes each distinct script once. */
  script?: string;
  /** CSS the HTML form needs; a page includes each distinct style once. */
  style?: string;
}

export interface Section {
  id: string;
  title: string;
  valid?: Validity;
  blocks: Block[];
}

export interface CheckerRow {
  checker: string;
  verdict: VerdictWord;
  summary: string;
}

export interface ReportDocument {
  title: string;
  /** One line under the verdict: the file and its format, or what a batch covered. */
  meta: string;
  valid: Validity;
  /** One sentence: the verdict and why. */
  headline: string;
  /** The checker table; empty for pages that are not about one history (the batch index). */
  checkers: CheckerRow[];
  sections: Section[];
}

/** How a checker's section opens: its summary, then its headline figures as one table row. */
export function summaryWithFigures(summary: string, headers: string[], figures: string[]): Block[] {
  return [
    { kind: "paragraph", text: summary },
    { kind: "table", headers, rows: [figures] },
  ];
}

export function validityWord(v: Validity): "valid" | "invalid" | "unknown" {
  return v === true ? "valid" : v === false ? "invalid" : "unknown";
}

/** A link cell's href for either renderer: each segment percent-encoded, so no scheme (javascript:) or markup survives. */
export function encodeRelativePath(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/[()']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join("/");
}
