import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import type { ReportDocument } from "../../src/report/document.ts";
import { renderMarkdown } from "../../src/report/markdown.ts";

/** Renders as GitHub would (CommonMark + GFM: tables, autolink literals, strikethrough, task lists), raw HTML kept. */
function html(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

/** The elements of a rendering, in order, with the attributes that could carry a history's link. */
function elements(rendered: string): string[] {
  return [...rendered.matchAll(/<(\/?[a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)].map(([, tag, attributes]) => `${tag}${/href|src/.test(attributes!) ? " (link)" : ""}`);
}

/** A document whose every text slot holds `value`: where a history's strings can reach report.md. */
function documentWith(value: string): ReportDocument {
  return {
    title: value,
    meta: value,
    valid: false,
    headline: value,
    checkers: [{ checker: value, verdict: "unknown", summary: value }],
    sections: [
      {
        id: "s",
        title: value,
        blocks: [
          { kind: "paragraph", text: value },
          { kind: "table", headers: ["h", value], rows: [[value, { text: value, href: "x/report.md" }]] },
          { kind: "list", items: [value, value] },
          { kind: "listing", caption: value, lines: [value, value] },
          { kind: "paragraph", text: `${value} after` },
        ],
      },
    ],
  };
}

/** Pieces of every character class a value can carry: Markdown punctuation, line endings, URLs, emails, HTML, indentation. */
const PIECES = [
  "|", "\\", "`", "```", "*", "**", "_", "__", "~", "~~", "~~~~", "[", "]", "(", ")", "![", "<", ">", "&", "&amp;", "&#60;", "#", "# ",
  "-", "- ", "+ ", "= ", "===", "---", "1. ", "2) ", "> ", "$", "$x$", "@", ":", "!", "\r", "\n", "\r\n", "\t", "    ", "  ", " ",
  "http://x.io", "https://example.com/a?b", "www.example.com", "mailto:a@b.io", "xmpp:a@b.io", "ftp://f.io", "user@example.com",
  "<http://x.io>", "<b>", "</td>", "<!-- c -->", "<script>alert(1)</script>", "[x]: /y", "[^1]", "[ ] ", "[x] ", "a", "0", "é", "\u0000",
];

const value = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(""));

test("report.md: no value of any character class adds, removes or links an element (CommonMark + GFM renderer)", () => {
  const reference = elements(html(renderMarkdown(documentWith("x"))));
  fc.assert(
    fc.property(value, (v) => {
      assert.deepEqual(elements(html(renderMarkdown(documentWith(v)))), reference, JSON.stringify(v));
    }),
    { numRuns: 400 },
  );
});

test("report.md: escaped values read back as the text given (line endings as spaces)", () => {
  fc.assert(
    fc.property(value, (v) => {
      const rendered = html(renderMarkdown({ ...documentWith("x"), sections: [{ id: "s", title: "t", blocks: [{ kind: "paragraph", text: `a${v}z` }] }] }));
      const paragraph = /<h2>t<\/h2>\n<p>([\s\S]*?)<\/p>/.exec(rendered)![1]!;
      const text = paragraph.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
      const expected = `a${v}z`.replace(/\r\n?|\n/g, " ").replace(/\u0000/g, "\uFFFD");
      assert.equal(text, expected, JSON.stringify(v));
    }),
    { numRuns: 300 },
  );
});
