import type { RawOp } from "../history/op.ts";

/** Where a parser sends what it reads; the history builder decides what a bad record means. */
export interface ParseSink {
  /** A record, with the (1-based) line and column it started at. */
  op(op: RawOp, line: number, column: number): void;
  /** A record that could not be read: an error in strict mode, a counted skip with --lenient. */
  bad(line: number, column: number | undefined, reason: string): void;
  /** A line that is not a record and never was meant to be (foreign log lines, banners). */
  ignored(line: number, reason: string): void;
  /** Facts beside the ops, e.g. a printed summary; merged into History.annotations. */
  annotate(key: string, value: unknown): void;
  /** Sees every byte of the file as it is read, when the reader wants to fingerprint it. */
  bytes?(chunk: Buffer): void;
}

export interface Parser {
  /** The --format name. */
  name: string;
  description: string;
  /** Decides from the start of a file whether it is in this format: true, or why not. */
  sniff(head: string): true | string;
  /** Streams the file into the sink; throws InputError only when reading cannot go on. */
  parse(file: string, sink: ParseSink): Promise<void>;
}
