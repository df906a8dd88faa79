import { EdnIncomplete, EdnReader, EdnSyntaxError, type EdnValue } from "./edn-reader.ts";
import { JepsenOps } from "./jepsen-ops.ts";
import { readChunks } from "./lines.ts";
import type { Parser, ParseSink } from "./parser.ts";
import { TextPosition } from "./text-position.ts";

/**
 * Jepsen EDN histories (history.edn, Knossos and Elle data, Porcupine kv logs): op maps, either
 * bare one after another or inside one top-level vector or list. Streams: each op map is read
 * as soon as its text has arrived, so a file of any size is never held whole.
 */
export const ednParser: Parser = {
  name: "edn",
  description: "Jepsen EDN op maps, bare or in one top-level vector or list (history.edn, Knossos, Elle, Porcupine kv)",
  sniff(head) {
    const reader = new EdnReader(head, 0, false);
    let opened = -1;
    try {
      if (!reader.skipSpace()) return "no EDN form in the first bytes";
      const opener = head[reader.pos];
      if (opener === "[" || opener === "(") {
        reader.pos++;
        if (!reader.skipSpace()) return "the top-level collection is empty in the first bytes";
      }
      const c = head[reader.pos];
      if (c !== "{" && c !== "#") return `the first form does not start with '{' (an op map), found ${JSON.stringify(c)}`;
      opened = reader.pos;
      const first = reader.read();
      if (typeof first !== "object" || first === null || Array.isArray(first) || !("type" in first)) return "the first form is not a map with :type";
      return true;
    } catch (e) {
      if (e instanceof EdnIncomplete) return OP_MAP_START.test(head.slice(opened, opened + 200)) || "the first op map does not end within the sniffed head";
      // A map of keywords is EDN even if it is broken further on: reading says where.
      if (e instanceof EdnSyntaxError) return OP_MAP_START.test(head.slice(opened, opened + 200)) || `not EDN: ${e.message}`;
      throw e;
    }
  },
  async parse(file, sink) {
    const ops = new JepsenOps(sink);
    await readEdnRecords(readChunks(file, sink.bytes), sink, (record, line, column) => ops.add(record, line, column));
    ops.finish();
  },
};

/** An op map's first key, e.g. `{:type` or `#jepsen.history.Op{:index`. */
const OP_MAP_START = /^(?:#[\w.]+)?\{\s*:(?:type|f|process|index|time|value)\b/;

type Frame =
  | { kind: "unknown" }
  | { kind: "bare" }
  | { kind: "collection"; closer: string; line: number; column: number }
  | { kind: "closed" };

/**
 * Reads top-level records from streamed EDN text: the forms of a bare sequence, or the elements
 * of a single top-level vector or list. Bad forms go to `sink.bad` with line:column; in lenient
 * mode reading resumes at the next line that starts with '{'.
 */
export async function readEdnRecords(
  chunks: AsyncIterable<string>,
  sink: ParseSink,
  onRecord: (record: EdnValue, line: number, column: number) => void,
): Promise<void> {
  const position = new TextPosition();
  let frame: Frame = { kind: "unknown" };
  let resyncing = false;
  /** Where the last bad form was reported: reading never resumes before it. */
  let badOffset = 0;
  let text = "";

  const bad = (offset: number, reason: string): void => {
    const at = position.locate(text, offset);
    sink.bad(at.line, at.column, reason);
    resyncing = true;
    badOffset = offset;
  };

  /** Reads every complete record in `text`; returns how much of it was consumed. */
  const drain = (complete: boolean): number => {
    const reader = new EdnReader(text, 0, complete);
    for (;;) {
      if (resyncing) {
        const next = /\n[ \t,]*\{/g;
        next.lastIndex = reader.pos;
        const found = next.exec(text);
        if (!found) return complete ? text.length : Math.max(reader.pos, text.lastIndexOf("\n"));
        reader.pos = found.index + 1;
        resyncing = false;
      }
      const start = reader.pos;
      try {
        if (!reader.skipSpace()) return reader.pos;
      } catch (e) {
        if (e instanceof EdnIncomplete) return start;
        throw e;
      }
      const at = reader.pos;
      const c = text[at]!;
      if (frame.kind === "unknown") {
        if (c === "[" || c === "(") {
          const { line, column } = position.locate(text, at);
          frame = { kind: "collection", closer: c === "[" ? "]" : ")", line, column };
          reader.pos++;
          continue;
        }
        frame = { kind: "bare" };
      }
      if (frame.kind === "collection" && c === frame.closer) {
        frame = { kind: "closed" };
        reader.pos++;
        continue;
      }
      if (frame.kind === "closed") {
        bad(at, "expected the end of the file: the top-level vector or list has already closed");
        return text.length;
      }
      try {
        const record = reader.read();
        const { line, column } = position.locate(text, at);
        onRecord(record, line, column);
      } catch (e) {
        if (e instanceof EdnIncomplete) {
          if (!complete) return at;
          bad(e.openedAt, `the file ended inside the form that opens here; expected ${e.expected}`);
        } else if (e instanceof EdnSyntaxError) {
          bad(e.offset, e.message);
        } else {
          throw e;
        }
        reader.pos = Math.max(reader.pos, at + 1, badOffset);
      }
    }
  };

  for await (const chunk of chunks) {
    text += chunk;
    const consumed = drain(false);
    position.drop(text, consumed);
    text = text.slice(consumed);
  }
  drain(true);
  const last = frame as Frame;
  if (last.kind === "collection") {
    sink.bad(last.line, last.column, `the file ended before the top-level '${last.closer === "]" ? "[" : "("}' opened here was closed; expected '${last.closer}'`);
  }
}
