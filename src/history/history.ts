import type { Operation } from "./op.ts";
import type { SkippedRecord } from "./errors.ts";

/** Something odd about a history that does not stop it being checked (e.g. a fail whose value changed). */
export interface HistoryWarning {
  index: number;
  message: string;
}

/** A parsed, validated and paired history: the only vocabulary checkers see. */
export interface History {
  file: string;
  format: string;
  /** Records read (invocations and completions), not counting skipped ones. */
  recordCount: number;
  /** Paired operations in invocation order; nemesis operations included (string process). */
  operations: Operation[];
  /** Records skipped under --lenient (the first 100 kept in full), and how many in all. */
  skipped: SkippedRecord[];
  skippedCount: number;
  warnings: HistoryWarning[];
  /** Format-specific facts a parser found beside the ops (e.g. a 2013 log's printed summary). */
  annotations: Record<string, unknown>;
  /**
   * Set when the history was streamed: `operations` is then only a deterministic sample of this
   * many operations, kept for drawing. Checkers never see such a history; reports say so.
   */
  sampledFrom?: number;
  /** Set when reading stopped at --time-limit, with why: the history is then only what was read, and no checker judges it. */
  readCutShort?: string;
}

export const MAX_KEPT_SKIPS = 100;
