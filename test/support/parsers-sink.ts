import type { RawOp } from "../../src/history/op.ts";
import type { ParseSink } from "../../src/parsers/parser.ts";

/** A ParseSink that records everything, for asserting what a parser produced. */
export interface RecordingSink extends ParseSink {
  ops: { op: RawOp; line: number }[];
  bads: { line: number; column: number | undefined; reason: string }[];
  ignoredLines: number[];
  annotations: Record<string, unknown>;
}

export function recordingSink(): RecordingSink {
  const sink: RecordingSink = {
    ops: [],
    bads: [],
    ignoredLines: [],
    annotations: {},
    op: (op, line) => void sink.ops.push({ op: structuredClone(op), line }),
    bad: (line, column, reason) => void sink.bads.push({ line, column, reason }),
    ignored: (line) => void sink.ignoredLines.push(line),
    annotate: (key, value) => void (sink.annotations[key] = value),
  };
  return sink;
}
