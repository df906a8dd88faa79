import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { IGNORED_LINES, TIME_WENT_BACKWARDS } from "./history/annotations.ts";
import { InputError, type SkippedRecord } from "./history/errors.ts";
import { MAX_KEPT_SKIPS, type History } from "./history/history.ts";
import type { Op, Operation } from "./history/op.ts";
import { Pairer, PairingError } from "./history/pair.ts";
import { DeadlineWatch, TimeLimitReached, type Deadline } from "./checkers/deadline.ts";
import type { Parser } from "./parsers/parser.ts";
import { detectFormat, parserNamed } from "./parsers/registry.ts";

export interface LoadOptions {
  /** A --format name, or "auto" to sniff. */
  format?: string;
  /** Skip and count bad records instead of stopping at the first. */
  lenient?: boolean;
  /** Sees each record as it is accepted, index assigned (e.g. to write it out as NDJSON). */
  onRecord?: (op: Op) => void;
  /** How the history is named in errors and verdicts (default: its path), e.g. "<stdin>". */
  name?: string;
  /** Facts found beside the file (e.g. a Jepsen run's test.edn), added to History.annotations. */
  annotations?: Record<string, unknown>;
  /** Set when a file is read more than once (streaming): every read must see the same bytes. */
  passes?: FilePasses;
  /** Reading stops there (--time-limit), the history marked readCutShort. */
  deadline?: Deadline;
}

interface Fingerprint {
  size: number;
  mtimeMs: number;
  digest: string;
}

/**
 * The reads of one file that must agree: a streamed history is read twice, and judging the
 * second read after choosing checkers from the first is only sound if the file did not change.
 * Each read compares size and modification time before and after it, and the bytes' SHA-1
 * with the first read's.
 */
export class FilePasses {
  private first: Fingerprint | undefined;

  /** Starts a read; call the returned function once it is complete. */
  async begin(path: string, file: string): Promise<{ bytes: (chunk: Buffer) => void; end: () => Promise<void> }> {
    const before = await stat(path);
    const hash = createHash("sha1");
    return {
      bytes: (chunk) => void hash.update(chunk),
      end: async () => {
        const after = await stat(path);
        const seen = { size: after.size, mtimeMs: after.mtimeMs, digest: hash.digest("hex") };
        const changed = before.size !== after.size || before.mtimeMs !== after.mtimeMs ? "while it was read" : this.first && !sameFingerprint(this.first, seen) ? "between its two reads" : undefined;
        if (changed) throw new InputError({ file }, `the file changed ${changed} (a streamed history is read twice); expected a file that is no longer being written`);
        this.first ??= seen;
      },
    };
  }
}

function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.digest === b.digest;
}

/** Records between progress reports: often enough for a bar, rare enough to cost nothing. */
const PROGRESS_EVERY = 65_536;

/** Everything a read yields but the operations themselves. */
export type HistoryShell = Omit<History, "operations">;

/** Reads, validates and pairs a history file. Throws InputError for bad input unless lenient. */
export async function loadHistory(file: string, options: LoadOptions = {}, onProgress?: (records: number) => void): Promise<History> {
  const pairer = new Pairer();
  const shell = await readHistory(file, options, pairer, onProgress);
  return { ...shell, operations: pairer.operations };
}

/**
 * Reads a history without keeping it: each operation goes to `onComplete` as it completes
 * (completion order; never-completed ones at the end, in invocation order).
 */
export async function streamHistory(
  file: string,
  options: LoadOptions,
  onComplete: (operation: Operation) => void,
  onProgress?: (records: number) => void,
): Promise<HistoryShell> {
  return readHistory(file, options, new Pairer(onComplete), onProgress);
}

async function readHistory(path: string, options: LoadOptions, pairer: Pairer, onProgress?: (records: number) => void): Promise<HistoryShell> {
  const file = options.name ?? path;
  const parser: Parser = !options.format || options.format === "auto" ? await detectFormat(path, file) : parserNamed(options.format);
  const skipped: SkippedRecord[] = [];
  const annotations: Record<string, unknown> = { ...options.annotations };
  const pass = await options.passes?.begin(path, file);
  let skippedCount = 0;
  let recordCount = 0;
  let ignoredLines = 0;
  let readCutShort: string | undefined;
  const watch = new DeadlineWatch(options.deadline, "reading", "record");

  const reject = (line: number | undefined, column: number | undefined, reason: string): void => {
    if (!options.lenient) throw new InputError({ file, line, column }, reason);
    skippedCount++;
    if (skipped.length < MAX_KEPT_SKIPS) skipped.push({ line, column, reason });
  };

  const reading = parser.parse(path, {
    op(op, line, column) {
      try {
        const record = pairer.add(op);
        options.onRecord?.(record);
        if (++recordCount % PROGRESS_EVERY === 0) onProgress?.(recordCount);
      } catch (e) {
        if (!(e instanceof PairingError)) throw e;
        reject(line, column, e.message);
      }
      watch.tick();
    },
    bad: reject,
    ignored() {
      ignoredLines++;
    },
    annotate(key, value) {
      annotations[key] = value;
    },
    bytes: pass?.bytes,
  });
  try {
    await reading;
    await pass?.end();
  } catch (e) {
    if (!(e instanceof TimeLimitReached)) throw e;
    readCutShort = e.message;
  }
  pairer.finish();

  if (recordCount === 0 && skippedCount === 0) {
    throw new InputError({ file }, `no operations found: expected ${parser.name} records (${parser.description})`);
  }
  if (ignoredLines > 0) annotations[IGNORED_LINES] = ignoredLines;
  const { completionsBeforeInvocation, recordsOutOfTimeOrder } = pairer;
  if (completionsBeforeInvocation + recordsOutOfTimeOrder > 0) annotations[TIME_WENT_BACKWARDS] = { completionsBeforeInvocation, recordsOutOfTimeOrder };
  const shell: HistoryShell = { file, format: parser.name, recordCount, skipped, skippedCount, warnings: pairer.warnings, annotations };
  if (readCutShort !== undefined) shell.readCutShort = readCutShort;
  return shell;
}
