import type { ReportedSetSummary } from "../../history/annotations.ts";
import type { SetCounts, SetRates } from "./figures.ts";

/** One figure of a 2013 log's printed summary beside ours. */
export interface ComparisonRow {
  figure: string;
  /** Null when the history cannot give it (e.g. no final read). */
  ours: number | null;
  printed: number | null;
  /** The printed element list was elided, so the count is known only as printed. */
  elided: boolean;
  note: string;
}

/** A rate as the 2013 app printed it (Clojure doubles: "0.0", "0.999"), to 7 significant digits. */
export function formatRate(x: number | null | undefined): string {
  if (x === null || x === undefined) return "n/a";
  return Number.isInteger(x) ? x.toFixed(1) : String(Number(x.toPrecision(7)));
}

/**
 * Our figures beside the printed ones. The printed rates have 7 significant digits at most, so
 * figures agree when they round the same.
 */
export function setComparison(reported: ReportedSetSummary, counts: Partial<SetCounts>, rates: SetRates): ComparisonRow[] {
  const rows: [string, number | undefined, number | null | undefined, boolean][] = [
    ["total", reported.total, counts.attempted, false],
    ["acknowledged", reported.acknowledged, counts.acknowledged, false],
    ["survivors", reported.survivors, counts.read, false],
    ["acknowledged writes lost", reported.lost, counts.lost, reported.lostElided === true],
    ["unacknowledged writes found", reported.unacknowledgedFound, counts.recovered, reported.unacknowledgedElided === true],
    ["ack rate", reported.ackRate, rates.ack, false],
    ["loss rate", reported.lossRate, rates.loss, false],
    ["unacknowledged but successful rate", reported.unacknowledgedSuccessRate, rates.unackedPresent, false],
  ];
  return rows
    .filter(([, printed, ours]) => printed !== undefined || (ours !== undefined && ours !== null))
    .map(([figure, printed, ours, elided]) => {
      const row: ComparisonRow = { figure, ours: ours ?? null, printed: printed ?? null, elided, note: "" };
      row.note = noteFor(row);
      return row;
    });
}

function noteFor(row: ComparisonRow): string {
  if (row.printed === null) return "ours only: the log did not print it";
  const parts: string[] = [];
  if (row.ours === null) parts.push("printed only: the history cannot give it (no final read)");
  else if (agree(row.ours, row.printed)) parts.push("agrees");
  else if (row.figure === "total" && row.ours < row.printed) parts.push(`differs: the log holds only ${row.ours} of the ${row.printed} requests its summary counts`);
  else parts.push("differs from the printed figure");
  if (row.elided) parts.push("the printed element list is elided (first and last few shown), so the elements are known only as a count");
  return parts.join("; ");
}

function agree(ours: number, printed: number): boolean {
  return Number(ours.toPrecision(7)) === Number(printed.toPrecision(7)) || Math.abs(ours - printed) < 5e-8;
}
