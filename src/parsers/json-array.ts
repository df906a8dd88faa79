import { JepsenOps } from "./jepsen-ops.ts";
import { readJsonRecord } from "./json-record.ts";
import { readChunks } from "./lines.ts";
import type { Parser, ParseSink } from "./parser.ts";
import { TextPosition } from "./text-position.ts";

/**
 * elle-cli's JSON histories: one top-level array of op objects, `type`/`f` and micro-op names as
 * strings. Streams: each element is cut out by bracket depth as its text arrives and parsed on
 * its own, so a large array is never held whole.
 */
export const jsonArrayParser: Parser = {
  name: "json-array",
  description: "a top-level JSON array of op objects (elle-cli)",
  sniff(head) {
    if (!/^\s*\[/.test(head)) return "the file does not start with '['";
    if (!/^\s*\[\s*(?:\]|\{\s*")/.test(head)) return "the array does not start with a JSON object";
    return true;
  },
  async parse(file, sink) {
    const ops = new JepsenOps(sink);
    const reader = new JsonArrayReader(sink, (element, line, column) => ops.add(element, line, column));
    for await (const chunk of readChunks(file, sink.bytes)) reader.feed(chunk);
    reader.end();
    ops.finish();
  },
};

const DOUBLE_QUOTE = 34;
const BACKSLASH = 92;

/** Splits a streamed JSON array into its elements, each parsed with JSON.parse. */
export class JsonArrayReader {
  private text = "";
  private scanned = 0;
  private readonly position = new TextPosition();
  private state: "before" | "inside" | "after" = "before";
  private elementStart = -1;
  /** Bracket depth inside the current element. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** An element ended: a ',' or ']' must come before the next one. */
  private needComma = false;
  private stopped = false;

  constructor(
    private readonly sink: ParseSink,
    private readonly onElement: (element: unknown, line: number, column: number) => void,
  ) {}

  feed(chunk: string): void {
    if (this.stopped) return;
    this.text += chunk;
    this.scan();
    const keep = this.elementStart === -1 ? this.scanned : this.elementStart;
    this.position.drop(this.text, keep);
    this.text = this.text.slice(keep);
    this.scanned -= keep;
    if (this.elementStart !== -1) this.elementStart = 0;
  }

  end(): void {
    if (this.stopped) return;
    if (this.elementStart !== -1 && this.depth === 0) this.finishElement(this.text.length);
    if (this.state === "before") this.bad(this.text.length, "expected '[' to open the array of ops");
    else if (this.state === "inside") this.bad(this.elementStart === -1 ? this.text.length : this.elementStart, this.elementStart === -1 ? "the file ended before the array's closing ']'" : "the file ended inside this element");
  }

  private scan(): void {
    const text = this.text;
    for (let i = this.scanned; i < text.length && !this.stopped; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === DOUBLE_QUOTE) this.inString = false;
        continue;
      }
      const ch = text[i]!;
      const space = ch === " " || ch === "\n" || ch === "\r" || ch === "\t";
      if (this.state === "before") {
        if (ch === "[") this.state = "inside";
        else if (!space) this.bad(i, "expected '[' to open the array of ops");
      } else if (this.state === "after") {
        if (!space) this.bad(i, "expected the end of the file after the array's closing ']'");
      } else if (this.elementStart === -1) {
        if (space) continue;
        if (ch === "]") this.state = "after";
        else if (ch === ",") {
          if (!this.needComma) this.bad(i, "expected an op object, found ','");
          this.needComma = false;
        } else if (this.needComma) {
          this.bad(i, "expected ',' or ']' after the element");
        } else {
          this.elementStart = i;
          this.enter(ch, i);
        }
      } else {
        this.enter(ch, i);
      }
    }
    this.scanned = text.length;
  }

  /** One character inside an element (outside strings). */
  private enter(ch: string, i: number): void {
    if (ch === '"') this.inString = true;
    else if (ch === "{" || ch === "[") this.depth++;
    else if (ch === "}" || ch === "]") {
      if (this.depth === 0) {
        // A scalar element ended at the array's ']'.
        this.finishElement(i);
        this.state = "after";
        return;
      }
      if (--this.depth === 0) this.finishElement(i + 1);
    } else if (this.depth === 0 && (ch === "," || ch === " " || ch === "\n" || ch === "\r" || ch === "\t")) {
      this.finishElement(i);
      if (ch === ",") this.needComma = false;
    }
  }

  private finishElement(end: number): void {
    const start = this.elementStart;
    const source = this.text.slice(start, end);
    this.elementStart = -1;
    this.needComma = true;
    const read = readJsonRecord(source);
    if ("reason" in read) {
      const at = this.position.locate(this.text, start + read.offset);
      this.sink.bad(at.line, at.column, read.reason);
      return;
    }
    const { line, column } = this.position.locate(this.text, start);
    this.onElement(read.value, line, column);
  }

  /** Structure is broken beyond one element: report it and read no further. */
  private bad(offset: number, reason: string): void {
    const at = this.position.locate(this.text, offset);
    this.stopped = true;
    this.sink.bad(at.line, at.column, reason);
  }
}
