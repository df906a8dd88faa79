import type { Validity } from "../checkers/checker.ts";

/**
 * A report as data: checkers' sections become blocks, and markdown.ts / html.ts render the same
 * blocks, so both formats say the same thing and escaping happens in one place (the renderers).
 * Every string here is plain text taken possibly from the history: never pre-escaped markup.
 */
export type Block =
  | { kind: "paragraph"; text: string }
  | { kind: "table"; headers: string[]; rows: string[][] }
  | { kind: "listing"; caption?: string; lines: string[] }
  | { kind: "list"; items: string[] }
  | { kind: "chart"; chart: Chart };

/** A chart drawn by charts.ts: `svg` is standalone SVG markup, `html` the figure with its legend. */
export interface Chart {
  id: string;
  title: string;
  /** What a reader should know about the chart: sampling, colours, units. */
  caption: string;
  svg: string;
  html: string;
}

export interface Section {
  id: string;
  title: string;
  valid?: Validity;
  blocks: Block[];
}

export interface CheckerRow {
  checker: string;
  valid: Validity;
  summary: string;
}

export interface ReportDocument {
  title: string;
  file: string;
  format: string;
  valid: Validity;
  /** One sentence: the verdict and why. */
  headline: string;
  checkers: CheckerRow[];
  sections: Section[];
}

export function validityWord(v: Validity): "valid" | "invalid" | "unknown" {
  return v === true ? "valid" : v === false ? "invalid" : "unknown";
}
