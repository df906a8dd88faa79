import type { Block, Cell, ReportDocument, VerdictWord } from "./document.ts";
import { encodeRelativePath, validityWord } from "./document.ts";

const HTML_SPECIAL = /[&<>"']/;

/** Escapes text for HTML element content and quoted attributes: histories are untrusted. */
export function escapeHtml(text: string): string {
  return HTML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`) : text;
}

/** No network, no plugins, no frames: inline styles and scripts only. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { --valid: #1a7f37; --invalid: #cf222e; --unknown: #9a6700; --measured: #59636e; font-family: system-ui, sans-serif; }
body { margin: 0 auto; max-width: 1100px; padding: 0 1.5rem 3rem; color: #1f2328; }
.banner { margin: 1rem 0; padding: 1rem 1.25rem; border-radius: 8px; color: white; }
.banner h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
.banner p { margin: 0; }
.valid { background: var(--valid); } .invalid { background: var(--invalid); } .unknown { background: var(--unknown); } .measured { background: var(--measured); }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
td.verdict { color: white; font-weight: 600; white-space: nowrap; }
pre { background: #f6f8fa; padding: .75rem; overflow-x: auto; max-height: 30rem; }
figure { margin: 1rem 0; } figcaption { color: #59636e; font-size: .9rem; }
.meta { color: #59636e; }
a.badge { color: inherit; }
`;

export function renderHtml(doc: ReportDocument): string {
  const word = validityWord(doc.valid);
  const rows = doc.checkers
    .map((c) => {
      return `<tr><td><a href="#${escapeHtml(sectionId(c.checker))}">${escapeHtml(c.checker)}</a></td>${verdictCell(c.verdict)}<td>${escapeHtml(c.summary)}</td></tr>`;
    })
    .join("\n");
  const checkerTable = rows
    ? `<table id="checkers"><thead><tr><th>Checker</th><th>Verdict</th><th>Summary</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : "";
  const sections = doc.sections
    .map((s) => `<section id="${escapeHtml(sectionId(s.id))}"><h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map(renderBlock).join("\n")}</section>`)
    .join("\n");
  const charts = doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === "chart" ? [b.chart] : [])));
  const styles = new Set(charts.flatMap((c) => (c.style ? [c.style] : [])));
  const scripts = new Set(charts.flatMap((c) => (c.script ? [c.script] : [])));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${word}: ${doc.title}`)}</title>
<style>${STYLE}${[...styles].join("\n")}</style></head>
<body>
<div class="banner ${word}" id="verdict"><h1>${word.toUpperCase()}</h1><p>${escapeHtml(doc.headline)}</p></div>
<p class="meta">${escapeHtml(doc.meta)}</p>
${checkerTable}
${sections}
${[...scripts].map(inlineScript).join("\n")}
</body></html>
`;
}

/** Scripts are the project's own constants; one that could close its element early is a bug. */
function inlineScript(code: string): string {
  if (/<\/script|<!--/i.test(code)) throw new Error("an inline script must not contain </script or <!--");
  return `<script>${code}</script>`;
}

function verdictCell(word: VerdictWord): string {
  return `<td class="verdict ${word}">${word}</td>`;
}

function cellHtml(cell: Cell): string {
  if (typeof cell === "string") return `<td>${escapeHtml(cell)}</td>`;
  if ("verdict" in cell) return verdictCell(cell.verdict);
  if ("timeline" in cell) return `<td><a href="#section-timeline" data-tl-ids="${cell.timeline.join(" ")}">${escapeHtml(cell.text)}</a></td>`;
  return `<td><a href="${escapeHtml(encodeRelativePath(cell.href))}">${escapeHtml(cell.text)}</a></td>`;
}

export function sectionId(name: string): string {
  return `section-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case "paragraph":
      return `<p>${escapeHtml(block.text)}</p>`;
    case "table":
      return `<table><thead><tr>${block.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${block.rows
        .map((r) => `<tr>${r.map(cellHtml).join("")}</tr>`)
        .join("")}</tbody></table>`;
    case "list":
      return `<ul>${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
    case "listing":
      return `${block.caption ? `<p>${escapeHtml(block.caption)}</p>` : ""}<pre>${escapeHtml(block.lines.join("\n"))}</pre>`;
    case "chart":
      // Chart markup comes from Plot's DOM serialisation, which escapes the data it draws.
      return `<figure class="chart" id="chart-${escapeHtml(block.chart.id)}">${block.chart.html}<figcaption>${escapeHtml(block.chart.caption)}</figcaption></figure>`;
  }
}
