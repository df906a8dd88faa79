import type { Block, Cell, ReportDocument } from "./document.ts";
import { encodeRelativePath, validityWord } from "./document.ts";

const ICON = { valid: "✅", invalid: "❌", unknown: "❓", measured: "📏" } as const;

const ENTITIES: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;" };

/** Any character escapeMarkdown replaces, or the start of an autolink literal it breaks. */
const NEEDS_ESCAPING = /[\r\n\\`*_[\]<>|~&#$@]|(?:https?|ftp|mailto|xmpp):|www\./i;

/**
 * Escapes text for GitHub-flavoured Markdown, so history values never become markup: every
 * punctuation character that can open an inline construct (emphasis, code, links, HTML, entities,
 * strikethrough, table cells, math, mentions) is escaped, line endings (LF, CR, CRLF) become
 * spaces, and GFM's autolink literals (`https://`, `www.`, `user@host`) are broken by an escape.
 */
export function escapeMarkdown(text: string): string {
  // Most text (numbers, names, verdict words) has nothing to escape: one test instead of four replacements.
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text
    .replace(/\r\n?|\n/g, " ")
    .replace(/[\\`*_[\]<>|~&#$@]/g, (c) => ENTITIES[c] ?? `\\${c}`)
    .replace(/(https?|ftp|mailto|xmpp):/gi, "$1\\:")
    .replace(/(www)\./gi, "$1\\.");
}

/**
 * escapeMarkdown for text that starts a line (a paragraph, a list item), where a leading marker
 * would make a list or heading and leading whitespace an indented code block.
 */
export function escapeMarkdownLine(text: string): string {
  return escapeMarkdown(text)
    .replace(/^[ \t]/, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/^([-+=])/, "\\$1")
    .replace(/^(\d+)([.)])(?=\s|$)/, "$1\\$2");
}

/** escapeMarkdown for text inside `**…**` or `*…*`: whitespace at either end (or nothing) would undo the emphasis. */
function inDelimiters(text: string): string {
  return escapeMarkdown(text).replace(/^\s|\s$/g, (c) => `&#${c.charCodeAt(0)};`) || "&#32;";
}

/** Renders a report; charts are linked as SVG files under `chartDir` (relative to the report). */
export function renderMarkdown(doc: ReportDocument, chartDir = "charts"): string {
  const word = validityWord(doc.valid);
  const out: string[] = [];
  out.push(`# ${ICON[word]} ${word.toUpperCase()}: ${escapeMarkdown(doc.title)}`, "");
  out.push(`**${inDelimiters(doc.headline)}**`, "");
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
      // Inside the fence only a line of four tildes could end it early (a lone CR is a line ending too).
      const body = block.lines.map((l) => l.replace(/\r\n?/g, "\n").replaceAll("~~~~", "~ ~ ~ ~")).join("\n");
      return `${block.caption ? `${escapeMarkdownLine(block.caption)}\n\n` : ""}${fence}text\n${body}\n${fence}`;
    }
    case "chart":
      return `![${escapeMarkdown(block.chart.title)}](${encodeRelativePath(`${chartDir}/${block.chart.id}.svg`)})\n\n*${inDelimiters(block.chart.caption)}*`;
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
