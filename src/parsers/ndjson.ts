import type { RawOp } from "../history/op.ts";
import { schemaError } from "../history/schema.ts";
import { readPlainRecord } from "./json-bytes.ts";
import { findHeadLine, forEachLineBytes } from "./lines.ts";
import { readJsonRecord } from "./json-record.ts";
import type { Parser, ParseSink } from "./parser.ts";

/** Canonical NDJSON: one JSON object per line, fields as in schema/history.schema.json. */
export const ndjsonParser: Parser = {
  name: "ndjson",
  description: "one JSON op object per line (Hindsight's canonical format)",
  sniff(head) {
    const first = findHeadLine(head, (line) => line.trim().length > 0)?.trim();
    if (first === undefined) return "the file is empty";
    if (!first.startsWith("{")) return "the first line is not a JSON object";
    const lineEnd = head.indexOf("\n");
    // A first record longer than the head (a huge value) is judged by how it starts; reading says if it is broken.
    if (lineEnd === -1 && head.length >= 64 * 1024) return /^\s*\{\s*"(?:type|f|process|index|time|value)"\s*:/.test(head) || "the first line is longer than the sniffed head and does not start like an op";
    try {
      const record: unknown = JSON.parse(first);
      if (typeof record !== "object" || record === null || !("type" in record)) return 'the first object has no "type" field';
      return true;
    } catch {
      return "the first line is not valid JSON";
    }
  },
  async parse(file, sink) {
    await forEachLineBytes(file, (bytes, start, end, n) => parseLineBytes(bytes, start, end, n, sink), sink.bytes);
  },
};

/** The common record straight from its bytes; any other line decoded and read carefully. */
function parseLineBytes(bytes: Buffer, start: number, end: number, n: number, sink: ParseSink): void {
  const record = readPlainRecord(bytes, start, end);
  if (record === undefined) parseLine(bytes.toString("utf8", start, end), n, sink);
  else accept(record, n, 1, sink);
}

function parseLine(line: string, n: number, sink: ParseSink): void {
  if (line.trim().length === 0) return;
  const read = readJsonRecord(line);
  if ("reason" in read) {
    sink.bad(n, read.offset + 1, read.reason);
    return;
  }
  const record = read.value;
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    sink.bad(n, 1, "expected a JSON object with type, f and process");
    return;
  }
  accept(record, n, line.charCodeAt(0) > 32 ? 1 : line.search(/\S/) + 1, sink);
}

function accept(record: object, n: number, column: number, sink: ParseSink): void {
  const problem = schemaError(record);
  if (problem === undefined) sink.op(record as RawOp, n, column);
  else sink.bad(n, 1, problem);
}
