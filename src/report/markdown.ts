import type { Block, Cell, ReportDocument } from "./document.ts";
import { encodeRelativePath, validityWord } from "./document.ts";

const ICON = { valid: "✅", invalid: "❌", unknown: "❓", measured: "📏" } as const;

/** Escapes text for GitHub-flavoured Markdown, so history values never become markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&#]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`)).replace(/\r?\n/g, " ");
}

/** escapeMarkdown for text that starts a line (a paragraph, a list item), where a leading marker would make a list or heading. */
export function escapeMarkdownLine(text: string): string {
  return escapeMarkdown(text)
    .replace(/^(\s*)([-+=])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, "$1\\$2");
}

/** Renders a report; charts are linked as SVG files under `chartDir` (relative to the report). */
export function renderMarkdown(doc: ReportDocument, chartDir = "charts"): string {
  const word = validityWord(doc.valid);
  const out: string[] = [];
  out.push(`# ${ICON[word]} ${word.toUpperCase()}: ${escapeMarkdown(doc.title)}`, "");
  out.push(`**${escapeMarkdown(doc.headline)}**`, "");
  out.push(escapeMarkdownLine(doc.meta), "");
  if (doc.checkers.length > 0) {
    out.push(table(["Checker", "Verdict", "Summary"], doc.checkers.map((c) => [c.checker, { verdict: c.verdict }, c.summary])));
  }
  for (const section of doc.sections) {
    out.push("", `## ${escapeMarkdown(section.title)}`, "");
    for (const block of section.blocks) out.push(renderBlock(block, chartDir), "");
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

function renderBlock(block: Block, chartDir: string): string {
  switch (block.kind) {
    case "paragraph":
      return escapeMarkdownLine(block.text);
    case "table":
      return table(block.headers, block.rows);
    case "list":
      return block.items.map((i) => `- ${escapeMarkdownLine(i)}`).join("\n");
    case "listing": {
      const fence = "~~~~";
      const body = block.lines.map((l) => l.replaceAll("~~~~", "~ ~ ~ ~")).join("\n");
      return `${block.caption ? `${escapeMarkdown(block.caption)}\n\n` : ""}${fence}text\n${body}\n${fence}`;
    }
    case "chart":
      return `![${escapeMarkdown(block.chart.title)}](${encodeRelativePath(`${chartDir}/${block.chart.id}.svg`)})\n\n*${escapeMarkdown(block.chart.caption)}*`;
  }
}

function table(headers: string[], rows: Cell[][]): string {
  const line = (cells: Cell[]): string => `| ${cells.map(cellMarkdown).join(" | ")} |`;
  return [line(headers), `|${headers.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

function cellMarkdown(cell: Cell): string {
  if (typeof cell === "string") return escapeMarkdown(cell);
  if ("verdict" in cell) return `${ICON[cell.verdict]} ${cell.verdict}`;
  if ("timeline" in cell) return escapeMarkdown(cell.text);
  return `[${escapeMarkdown(cell.text)}](${encodeRelativePath(cell.href)})`;
}
