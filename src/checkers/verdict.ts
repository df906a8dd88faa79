import type { History } from "../history/history.ts";
import { plural } from "../history/values.ts";
import { combineValidity, type Validity } from "./checker.ts";
import type { CheckerChoice } from "./descriptor.ts";
import type { CheckerOutcome } from "./registry.ts";

/** What verdict.json holds for one history; field names are stable (docs/formats.md). */
export interface FileVerdict {
  file: string;
  format: string;
  /** Records read (invocations + completions). */
  ops: number;
  operations: number;
  valid: Validity;
  /** One sentence: the verdict and the reason for it. */
  summary: string;
  skipped: number;
  warnings: number;
  checkers: CheckerOutcome[];
  /** Which checkers ran and why. */
  picked: { checker: string; reason: string }[];
  annotations: Record<string, unknown>;
}

/** Composes checker results into the file's verdict; skipped input can never be called valid. */
export function composeVerdict(history: History, choices: readonly CheckerChoice[], results: CheckerOutcome[]): FileVerdict {
  const informational = new Set(choices.filter((c) => c.checker.informational).map((c) => c.checker.name));
  const deciding = results.filter((r) => !informational.has(r.checker) || r.valid !== true);
  let valid = combineValidity(deciding.map((r) => r.valid));
  const failing = results.filter((r) => r.valid === false);
  const unsure = results.filter((r) => r.valid === "unknown");
  const more = (n: number): string => (n > 1 ? ` (and ${plural(n - 1, "more checker")})` : "");
  let summary: string;
  if (valid === false) summary = `invalid: ${failing[0]!.checker}: ${failing[0]!.summary}${more(failing.length)}`;
  else if (unsure.length > 0) summary = `unknown: ${unsure[0]!.checker}: ${unsure[0]!.summary}${more(unsure.length)}`;
  else if (deciding.length === 0) {
    const fs = [...new Set(history.operations.map((o) => o.f))].slice(0, 8).join(", ");
    summary = `unknown: no correctness checker applies to these operations (${fs || "none"}); ${results.length ? "only statistics were computed" : "nothing ran"}`;
  } else summary = `valid: ${deciding.map((r) => r.checker).join(", ")} found nothing wrong`;
  if (history.skippedCount > 0) {
    const skipped = `${history.skippedCount} unreadable record${history.skippedCount > 1 ? "s were" : " was"} skipped`;
    if (valid === true) {
      valid = "unknown";
      summary = `unknown: the checkers found nothing wrong, but ${skipped}`;
    } else summary += ` (${skipped})`;
  }
  return {
    file: history.file,
    format: history.format,
    ops: history.recordCount,
    operations: history.sampledFrom ?? history.operations.length,
    valid,
    summary,
    skipped: history.skippedCount,
    warnings: history.warnings.length,
    checkers: results,
    picked: choices.map((c) => ({ checker: c.checker.name, reason: c.reason })),
    annotations: history.annotations,
  };
}

/** The verdict of a history whose analysis was abandoned (e.g. past --memory-limit): unknown, with why. */
export function abandonedVerdict(file: string, reason: string): FileVerdict {
  return {
    file,
    format: "unknown",
    ops: 0,
    operations: 0,
    valid: "unknown",
    summary: `unknown: ${reason}`,
    skipped: 0,
    warnings: 0,
    checkers: [],
    picked: [],
    annotations: {},
  };
}
