import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { findHeadLine, forEachLine, forEachLineBytes } from "../../src/parsers/lines.ts";
import { writeTemp } from "../support/helpers.ts";

async function textLines(file: string): Promise<[number, string][]> {
  const lines: [number, string][] = [];
  await forEachLine(file, (line, n) => void lines.push([n, line]));
  return lines;
}

async function byteLines(file: string): Promise<[number, string][]> {
  const lines: [number, string][] = [];
  await forEachLineBytes(file, (chunk, start, end, n) => void lines.push([n, chunk.toString("utf8", start, end)]));
  return lines;
}

describe("forEachLineBytes", () => {
  it("splits as forEachLine does: BOM, CRLF, blank lines, a lone CR, no final newline", async () => {
    const file = writeTemp("lines.ndjson", '\uFEFF{"a":1}\r\n\r\n\n x\ry \r\r\nlast');
    const lines = await byteLines(file);
    assert.deepEqual(lines, [
      [1, '{"a":1}'],
      [2, ""],
      [3, ""],
      [4, " x\ry \r"],
      [5, "last"],
    ]);
    assert.deepEqual(lines, await textLines(file));
  });

  it("joins a line longer than a read, and characters split between reads", async () => {
    const long = `{"v":"${"é€𝄞".repeat(400_000)}"}`;
    const file = writeTemp("long.ndjson", `a\n${long}\nb\n${"x".repeat((1 << 20) - 3)}é\nc`);
    const lines = await byteLines(file);
    assert.deepEqual(
      lines.map(([n, line]) => [n, line.length]),
      [
        [1, 1],
        [2, long.length],
        [3, 1],
        [4, (1 << 20) - 2],
        [5, 1],
      ],
    );
    assert.deepEqual(lines, await textLines(file));
  });

  it("sees every byte and no line in an empty file", async () => {
    const file = writeTemp("empty.ndjson", "");
    assert.deepEqual(await byteLines(file), []);
    let seen = 0;
    await forEachLineBytes(writeTemp("three.ndjson", "ab\n"), () => {}, (chunk) => void (seen += chunk.length));
    assert.equal(seen, 3);
  });
});

describe("findHeadLine", () => {
  it("finds the first line a test accepts, as split at LF with one CR before it removed, lines cut one at a time", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "\r", "\n", " "), { maxLength: 30 }), fc.constantFrom("a", "b", ""), (chars, wanted) => {
        const head = chars.join("");
        const lines = head.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
        const seen: string[] = [];
        const found = findHeadLine(head, (line) => (seen.push(line), line.trim() === wanted));
        assert.equal(found, lines.find((line) => line.trim() === wanted));
        assert.deepEqual(seen, lines.slice(0, found === undefined ? lines.length : lines.indexOf(found) + 1));
      }),
    );
  });
});
