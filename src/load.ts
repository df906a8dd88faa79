import { IGNORED_LINES } from "./history/annotations.ts";
import { InputError, type SkippedRecord } from "./history/errors.ts";
import { MAX_KEPT_SKIPS, type History } from "./history/history.ts";
import type { Op, Operation } from "./history/op.ts";
import { Pairer, PairingError } from "./history/pair.ts";
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
  let skippedCount = 0;
  let recordCount = 0;
  let ignoredLines = 0;

  const reject = (line: number | undefined, column: number | undefined, reason: string): void => {
    if (!options.lenient) throw new InputError({ file, line, column }, reason);
    skippedCount++;
    if (skipped.length < MAX_KEPT_SKIPS) skipped.push({ line, column, reason });
  };

  await parser.parse(path, {
    op(op, line) {
      try {
        const record = pairer.add(op);
        options.onRecord?.(record);
        if (++recordCount % PROGRESS_EVERY === 0) onProgress?.(recordCount);
      } catch (e) {
        if (!(e instanceof PairingError)) throw e;
        reject(line, undefined, e.message);
      }
    },
    bad: reject,
    ignored() {
      ignoredLines++;
    },
    annotate(key, value) {
      annotations[key] = value;
    },
  });
  pairer.finish();

  if (recordCount === 0 && skippedCount === 0) {
    throw new InputError({ file }, `no operations found: expected ${parser.name} records (${parser.description})`);
  }
  if (ignoredLines > 0) annotations[IGNORED_LINES] = ignoredLines;
  return { file, format: parser.name, recordCount, skipped, skippedCount, warnings: pairer.warnings, annotations };
}
