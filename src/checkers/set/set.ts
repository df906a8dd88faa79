import { REPORTED_SET_SUMMARY, type ReportedSetSummary } from "../../history/annotations.ts";
import type { History } from "../../history/history.ts";
import type { Operation } from "../../history/op.ts";
import type { NamedResult, OperationFold, Validity } from "../checker.ts";
import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";
import { foldHistory } from "../fold.ts";
import { formatPercent, plural, valueKey, type ValueKey } from "../../history/values.ts";
import { compactElements, sortElements, spreadIndices } from "./elements.ts";
import type { SetCounts, SetRates } from "./figures.ts";
import { formatRate, setComparison, type ComparisonRow } from "./set-reported.ts";
import { SetOps, shapeMismatch, type AddColumns, type SetRead } from "./set-history.ts";

/**
 * Jepsen's `set` and the 2013 set app: unique adds, then one final read of the whole set.
 * T = attempted, A = acknowledged, R = the final read.
 */
export interface SetFigures {
  counts: SetCounts;
  rates: SetRates;
  /** The figures a 2013 log printed for itself, when it did; see evidence.comparison. */
  reported?: ReportedSetSummary;
  /** Figures known only from the log's printed summary (our history cannot give them). */
  reportedOnly?: string[];
}

/**
 * What happened to each attempted element, for the chart: present (acknowledged and read), lost,
 * recovered (unacknowledged yet read), absent (unacknowledged and not read), concurrent
 * (acknowledged while the final read ran, not read); with no read at all, only acknowledged or
 * unacknowledged.
 */
export type SetOutcome = "present" | "lost" | "recovered" | "absent" | "concurrent" | "acknowledged" | "unacknowledged";

export interface SetElement {
  element: unknown;
  outcome: SetOutcome;
  addId: number;
  /** Invocation time of the add, nanoseconds. */
  time: number | undefined;
}

export interface SetEvidence {
  /** The read judged against: Operation id and its completion index. */
  finalRead?: { id: number; index: number | undefined };
  lost: unknown[];
  /** Operation ids of the lost adds. */
  lostAddIds: number[];
  recovered: unknown[];
  unexpected: unknown[];
  failedPresent: unknown[];
  /** Why everything was lost when adds and reads have different shapes. */
  shapeMismatch?: string;
  /** Every attempted element's outcome, in add order; an evenly spaced sample past MAX_ELEMENTS_KEPT. */
  elements: SetElement[];
  comparison?: ComparisonRow[];
}

const FOCUS_LOST = 10;

export type SetResult = NamedResult<"set", SetEvidence, SetFigures>;

export function checkSet(history: History, options: DeadlineOptions = {}): SetResult {
  return foldHistory(new SetFold(options), history);
}

/** The set checker over a stream: it keeps the adds in columns and the reads as their elements. */
export class SetFold implements OperationFold<SetResult> {
  private readonly ops = new SetOps();
  private readonly watch: DeadlineWatch;

  constructor(options: DeadlineOptions = {}) {
    this.watch = new DeadlineWatch(options.deadline, "collecting the set's adds and reads", "operation");
  }

  add(o: Operation): void {
    this.watch.tick();
    this.ops.add(o);
  }

  finish(history: Omit<History, "operations">): SetResult {
    return judgeSet(this.ops.adds, this.ops.readsInOrder(), history.annotations[REPORTED_SET_SUMMARY] as ReportedSetSummary | undefined);
  }
}

function judgeSet(adds: AddColumns, reads: SetRead[], reported: ReportedSetSummary | undefined): SetResult {
  const finalRead = reads.reduce<SetRead | undefined>((last, r) => (last === undefined || r.op.ret > last.op.ret ? r : last), undefined);
  const judged = judge(adds, finalRead);
  const { counts, rates } = judged;
  const figures: SetFigures = { counts, rates };
  const evidence: SetEvidence = { ...judged.evidence };
  if (finalRead) evidence.finalRead = { id: finalRead.op.id, index: finalRead.op.completeIndex };
  if (finalRead && counts.lost === counts.acknowledged && counts.lost > 0) {
    const reason = shapeMismatch(adds, reads);
    if (reason) evidence.shapeMismatch = reason;
  }
  if (reported) {
    const comparison = setComparison(reported, finalRead ? counts : { attempted: counts.attempted, acknowledged: counts.acknowledged }, rates);
    figures.reported = reported;
    figures.reportedOnly = comparison.filter((r) => r.ours === null || r.elided).map((r) => r.figure);
    evidence.comparison = comparison;
  }

  let valid: Validity;
  let summary: string;
  if (!finalRead) {
    valid = "unknown";
    summary = `The set was never read, so loss cannot be judged: ${counts.attempted} adds attempted, ${counts.acknowledged} acknowledged`;
    if (reported?.lost !== undefined) summary += `; the log's printed summary claims ${reported.lost} acknowledged writes lost (loss rate ${formatRate(reported.lossRate)}), figures this history cannot confirm`;
  } else {
    valid = counts.lost === 0 && counts.unexpected === 0;
    const problems: string[] = [];
    if (counts.lost > 0) problems.push(`${counts.lost} of ${counts.acknowledged} acknowledged adds lost (${compactElements(evidence.lost, 8)})`);
    if (counts.unexpected > 0) problems.push(neverAdded(evidence.unexpected));
    summary = problems.length ? `${problems.join("; ")}. ` : "Nothing lost. ";
    summary += talk(counts, rates);
    if (reported?.readFromSummary === true) summary += " The final read is the log's printed summary: survivors = acknowledged − lost + found.";
    if (evidence.shapeMismatch) summary += ` Why: ${evidence.shapeMismatch}.`;
  }
  const result: SetResult = { checker: "set", valid, summary, evidence, stats: figures };
  if (valid === false) result.focus = [...evidence.lostAddIds.slice(0, FOCUS_LOST), finalRead!.op.id];
  return result;
}

/** The talk's phrasing: "78% acknowledged, 0% false positives, 0.1% false negatives". */
export function talk(counts: Pick<SetCounts, "attempted" | "acknowledged" | "read">, rates: SetRates): string {
  return `${counts.attempted} attempted, ${counts.read} in the final read: ${formatPercent(rates.ack)} acknowledged, ${formatPercent(rates.loss)} false positives (acknowledged but lost), ${formatPercent(rates.unackedPresent)} false negatives (unacknowledged but present).`;
}

/** "2 elements read that were never added (42 43)". */
export function neverAdded(unexpected: readonly unknown[]): string {
  return `${plural(unexpected.length, "element")} read that ${unexpected.length === 1 ? "was" : "were"} never added (${compactElements(unexpected, 8)})`;
}

interface Judged {
  counts: SetCounts;
  rates: SetRates;
  evidence: Pick<SetEvidence, "lost" | "lostAddIds" | "recovered" | "unexpected" | "failedPresent" | "elements">;
}

/** The set algebra against one read (none: elements are only acknowledged or not, rates need R). */
function judge(adds: AddColumns, read: SetRead | undefined): Judged {
  // Per element, the position of its last acknowledged add, else of its first add.
  const attempted = new Map<ValueKey, number>();
  const failed = new Set<ValueKey>();
  let acknowledgedCount = 0;
  for (const i of adds.invocationOrder()) {
    const key = adds.keys[i]!;
    const chosen = attempted.get(key);
    const outcome = adds.outcome(i);
    if (outcome === "ok") {
      if (chosen === undefined || adds.outcome(chosen) !== "ok") acknowledgedCount++;
      attempted.set(key, i);
    } else if (chosen === undefined) attempted.set(key, i);
    if (outcome === "fail") failed.add(key);
  }
  const readKeys = read?.keys ?? new Set<ValueKey>();
  // Every element is judged; only an evenly spaced sample of them is kept for the chart.
  const keep = spreadIndices(attempted.size);
  const elements: SetElement[] = [];
  let position = 0;
  const lost: number[] = [];
  const recovered: number[] = [];
  const failedPresent: number[] = [];
  for (const [key, i] of attempted) {
    const acknowledged = adds.outcome(i) === "ok";
    let outcome: SetOutcome;
    if (readKeys.has(key)) {
      outcome = acknowledged ? "present" : "recovered";
      if (!acknowledged) recovered.push(i);
      if (!acknowledged && failed.has(key)) failedPresent.push(i);
    } else if (acknowledged && read && adds.rets[i]! < read.op.call) {
      outcome = "lost";
      lost.push(i);
    } else if (!read) outcome = acknowledged ? "acknowledged" : "unacknowledged";
    else outcome = acknowledged ? "concurrent" : "absent";
    if (keep[elements.length] === position++) {
      elements.push({ element: adds.elements[i], outcome, addId: adds.ids[i]!, time: adds.callTime(i) });
    }
  }
  const unexpected = read ? unexpectedElements(read, attempted) : [];
  const counts: SetCounts = {
    attempted: attempted.size,
    acknowledged: acknowledgedCount,
    read: readKeys.size,
    lost: lost.length,
    recovered: recovered.length,
    unexpected: unexpected.length,
    failedPresent: failedPresent.length,
  };
  const ratio = (n: number, d: number): number | null => (read && d > 0 ? n / d : null);
  const elementsAt = (positions: number[]): unknown[] => sortElements(positions.map((i) => adds.elements[i]));
  return {
    counts,
    rates: {
      ack: counts.attempted > 0 ? counts.acknowledged / counts.attempted : null,
      loss: ratio(counts.lost, counts.acknowledged),
      unackedPresent: ratio(counts.recovered, counts.acknowledged),
    },
    evidence: {
      lost: elementsAt(lost),
      lostAddIds: lost.map((i) => adds.ids[i]!),
      recovered: elementsAt(recovered),
      unexpected: sortElements(unexpected),
      failedPresent: elementsAt(failedPresent),
      elements,
    },
  };
}

/** Distinct elements of a read that no add attempted. */
export function unexpectedElements(read: SetRead, attempted: ReadonlyMap<ValueKey, unknown> | ReadonlySet<ValueKey>): unknown[] {
  const missing = [...read.keys].filter((key) => !attempted.has(key));
  if (missing.length === 0) return [];
  // Rare: only now map keys back to the values read.
  const values = new Map(read.elements.map((e) => [valueKey(e), e]));
  return missing.map((key) => values.get(key));
}
