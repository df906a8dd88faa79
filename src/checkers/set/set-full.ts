import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";
import { quantileSorted } from "d3-array";
import type { History } from "../../history/history.ts";
import type { Operation } from "../../history/op.ts";
import type { NamedResult, OperationFold, Validity } from "../checker.ts";
import { foldHistory } from "../fold.ts";
import { plural, valueKey, type ValueKey } from "../../history/values.ts";
import { compactElements, sortElements, spread } from "./elements.ts";
import { neverAdded, unexpectedElements } from "./set.ts";
import { SetOps, shapeMismatch, type AddColumns, type ReadOp, type SetRead } from "./set-history.ts";

/**
 * Jepsen's `set-full`: adds and many reads. Per element: when it became known (its add was
 * acknowledged, or a read saw it), the last read that saw it and the last read invoked after it
 * was known that missed it. Seen last → stable; missed last → lost; neither → never read.
 */
export type SetFullOutcome = "stable" | "lost" | "never-read";

export interface ElementHistory {
  element: unknown;
  outcome: SetFullOutcome;
  /** Id of the first add of the element, and its invocation time (nanoseconds). */
  addId: number;
  addTime: number | undefined;
  /** Nanoseconds: the ok add's completion, or the completion of the first read that saw it. */
  knownTime: number | undefined;
  /** Operation ids of the last read that saw it and the last read (invoked after it was known) that missed it. */
  lastPresentId?: number;
  lastAbsentId?: number;
  /** Stable: the element was still missing from a read invoked this long after it was known (0 = visible at once). */
  stableLatencyMs?: number;
  /** Lost: how long after it was known the first read missed it for good. */
  lostLatencyMs?: number;
}

/** Latency quantiles keyed as Jepsen's are ("0", "0.5", "0.95", "0.99", "1"), milliseconds. */
export type Quantiles = Record<"0" | "0.5" | "0.95" | "0.99" | "1", number>;

export interface SetFullCounts {
  attempted: number;
  acknowledged: number;
  reads: number;
  stable: number;
  lost: number;
  neverRead: number;
  /** Stable elements that took > 0 ms to become visible (some read after they were known missed them). */
  stale: number;
  /** Reads listing an element more than once. */
  duplicated: number;
  /** Elements read that were never added. */
  unexpected: number;
}

export interface SetFullFigures {
  counts: SetFullCounts;
  /** ack = acknowledged / attempted; loss = lost / attempted; stale = stale / stable. */
  rates: { ack: number | null; loss: number | null; stale: number | null };
  /** Absent when the history has no times. */
  stableLatencyMs?: Quantiles;
  lostLatencyMs?: Quantiles;
}

export interface Duplicate {
  readId: number;
  element: unknown;
  count: number;
}

export interface SetFullEvidence {
  lost: unknown[];
  lostAddIds: number[];
  stale: unknown[];
  neverRead: unknown[];
  unexpected: unknown[];
  duplicates: Duplicate[];
  shapeMismatch?: string;
  /** Every attempted element's story, in add order; an evenly spaced sample past MAX_ELEMENTS_KEPT. */
  elements: ElementHistory[];
}

const QUANTILES = [0, 0.5, 0.95, 0.99, 1] as const;
const FOCUS_LOST = 10;
const MAX_DUPLICATES_KEPT = 1000;

export type SetFullResult = NamedResult<"set-full", SetFullEvidence, SetFullFigures>;

export function checkSetFull(history: History, options: DeadlineOptions = {}): SetFullResult {
  return foldHistory(new SetFullFold(options), history);
}

/** set-full over a stream: the same adds in columns and reads as set's fold keeps; the judging waits for the end. */
export class SetFullFold implements OperationFold<SetFullResult> {
  private readonly ops = new SetOps();
  private readonly watch: DeadlineWatch;

  constructor(options: DeadlineOptions = {}) {
    this.watch = new DeadlineWatch(options.deadline, "collecting set-full's adds and reads", "operation");
  }

  add(o: Operation): void {
    this.watch.tick();
    this.ops.add(o);
  }

  finish(): SetFullResult {
    return judgeSetFull(this.ops.adds, this.ops.readsInOrder());
  }
}

function judgeSetFull(adds: AddColumns, reads: SetRead[]): SetFullResult {
  const elements = elementHistories(adds, reads);
  const pick = (o: SetFullOutcome): ElementHistory[] => elements.filter((e) => e.outcome === o);
  const lost = pick("lost");
  const stable = pick("stable");
  const stale = stable.filter((e) => e.lastAbsentId !== undefined);
  const attemptedKeys = new Set(adds.keys);
  const unexpected = sortElements([...new Map(reads.flatMap((r) => unexpectedElements(r, attemptedKeys)).map((e) => [valueKey(e), e])).values()]);
  const duplicates = reads.flatMap(duplicatesIn);
  const counts: SetFullCounts = {
    attempted: elements.length,
    acknowledged: new Set(adds.keys.filter((_, i) => adds.outcome(i) === "ok")).size,
    reads: reads.length,
    stable: stable.length,
    lost: lost.length,
    neverRead: elements.length - stable.length - lost.length,
    stale: stale.length,
    duplicated: new Set(duplicates.map((d) => d.readId)).size,
    unexpected: unexpected.length,
  };
  const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);
  const figures: SetFullFigures = {
    counts,
    rates: { ack: ratio(counts.acknowledged, counts.attempted), loss: ratio(counts.lost, counts.attempted), stale: ratio(counts.stale, counts.stable) },
  };
  const stableLatency = quantiles(stable.map((e) => e.stableLatencyMs));
  const lostLatency = quantiles(lost.map((e) => e.lostLatencyMs));
  if (stableLatency) figures.stableLatencyMs = stableLatency;
  if (lostLatency) figures.lostLatencyMs = lostLatency;
  const evidence: SetFullEvidence = {
    lost: sortElements(lost.map((e) => e.element)),
    lostAddIds: lost.map((e) => e.addId),
    stale: sortElements(stale.map((e) => e.element)),
    neverRead: sortElements(pick("never-read").map((e) => e.element)),
    unexpected,
    duplicates: duplicates.slice(0, MAX_DUPLICATES_KEPT),
    elements: spread(elements),
  };
  if (lost.length > 0 && stable.length === 0) {
    const reason = shapeMismatch(adds, reads);
    if (reason) evidence.shapeMismatch = reason;
  }

  const problems: string[] = [];
  if (counts.lost > 0) problems.push(`${counts.lost} of ${counts.attempted} elements lost (${compactElements(evidence.lost, 8)})`);
  if (duplicates.length > 0) problems.push(`${plural(counts.duplicated, "read")} listed an element twice`);
  if (counts.unexpected > 0) problems.push(neverAdded(unexpected));
  let valid: Validity;
  let summary: string;
  if (problems.length > 0) {
    valid = false;
    summary = `${problems.join("; ")}; ${counts.stable} stable, ${counts.neverRead} never read.`;
    if (evidence.shapeMismatch) summary += ` Why: ${evidence.shapeMismatch}.`;
  } else if (counts.stable === 0) {
    valid = "unknown";
    summary = `No element was ever seen stable by a read (${counts.neverRead} of ${counts.attempted} never read after being known): nothing to judge`;
  } else {
    valid = true;
    summary = `${counts.stable === 1 ? "The 1 element read is" : `All ${counts.stable} elements read are`} stable, none lost; ${counts.stale} stale (visible only after a delay), ${counts.neverRead} never read`;
    if (stableLatency) summary += `; visibility latency p50 ${stableLatency["0.5"].toFixed(0)} ms, max ${stableLatency["1"].toFixed(0)} ms`;
    summary += ".";
  }
  const result: SetFullResult = { checker: "set-full", valid, summary, evidence, stats: figures };
  if (valid === false) {
    const lastMisses = lost.slice(0, FOCUS_LOST).flatMap((e) => (e.lastAbsentId === undefined ? [] : [e.lastAbsentId]));
    result.focus = [...new Set([...evidence.lostAddIds.slice(0, FOCUS_LOST), ...lastMisses, ...duplicates.slice(0, FOCUS_LOST).map((d) => d.readId)])];
  }
  return result;
}

interface Known {
  /** History position from which every read invoked later should see it. */
  index: number;
  time: number | undefined;
}

/** Each attempted element's story, in order of first add. */
function elementHistories(adds: AddColumns, reads: readonly SetRead[]): ElementHistory[] {
  /** Each element's first add, as a position in the columns. */
  const firstAdd = new Map<ValueKey, number>();
  const known = new Map<ValueKey, Known>();
  for (const i of adds.invocationOrder()) {
    const key = adds.keys[i]!;
    if (!firstAdd.has(key)) firstAdd.set(key, i);
    if (adds.outcome(i) === "ok") earliest(known, key, { index: adds.rets[i]!, time: adds.retTime(i) });
  }
  const byCall = [...reads].sort((a, b) => a.op.call - b.op.call);
  for (const read of byCall) {
    for (const key of read.keys) {
      if (firstAdd.has(key)) earliest(known, key, { index: read.op.ret, time: read.op.retTime });
    }
  }
  // Reads (positions in byCall) that list each element: total work is the size of the reads.
  const presentIn = new Map<ValueKey, number[]>();
  byCall.forEach((read, i) => {
    for (const key of read.keys) if (firstAdd.has(key)) (presentIn.get(key) ?? presentIn.set(key, []).get(key)!).push(i);
  });
  const calls = byCall.map((r) => r.op.call);
  return [...firstAdd].map(([key, add]) => {
    const k = known.get(key);
    const history: ElementHistory = { element: adds.elements[add], outcome: "never-read", addId: adds.ids[add]!, addTime: adds.callTime(add), knownTime: k?.time };
    if (!k) return history;
    const present = presentIn.get(key) ?? [];
    /** First read invoked after the element was known: reads before it cannot miss it. */
    const eligible = firstAfter(calls, k.index);
    // The last read that missed it: walk back from the newest read past the trailing sightings.
    let last = byCall.length - 1;
    for (let p = present.length - 1; p >= 0 && present[p] === last; p--) last--;
    const lastAbsent = last >= eligible ? byCall[last]!.op : undefined;
    const lastPresent = present.length > 0 ? byCall[present.at(-1)!]!.op : undefined;
    if (lastPresent) history.lastPresentId = lastPresent.id;
    if (lastAbsent) history.lastAbsentId = lastAbsent.id;
    if (lastPresent && (!lastAbsent || lastAbsent.call < lastPresent.call)) {
      history.outcome = "stable";
      const ms = lastAbsent ? sinceKnown(k, lastAbsent) : k.time === undefined ? undefined : 0;
      if (ms !== undefined) history.stableLatencyMs = ms;
    } else if (lastAbsent) {
      history.outcome = "lost";
      // The first read that missed it for good: the first eligible one after its last sighting.
      const ms = sinceKnown(k, byCall[Math.max(eligible, (present.at(-1) ?? -1) + 1)]!.op);
      if (ms !== undefined) history.lostLatencyMs = ms;
    }
    return history;
  });
}

/** Index of the first sorted value greater than x (values.length when none). */
function firstAfter(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function earliest(known: Map<ValueKey, Known>, key: ValueKey, candidate: Known): void {
  const current = known.get(key);
  if (!current || candidate.index < current.index) known.set(key, candidate);
}

/** Milliseconds from when the element was known to the read's invocation; undefined without times. */
function sinceKnown(k: Known, read: ReadOp): number | undefined {
  if (k.time === undefined || read.callTime === undefined) return undefined;
  return Math.max(0, (read.callTime - k.time) / 1e6);
}

function quantiles(values: (number | undefined)[]): Quantiles | undefined {
  const sorted = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const q = (p: number): number => quantileSorted(sorted, p)!;
  return Object.fromEntries(QUANTILES.map((p) => [String(p), q(p)])) as Quantiles;
}

/** Elements a read lists more than once (a set never should). */
function duplicatesIn(read: SetRead): Duplicate[] {
  if (read.keys.size === read.elements.length) return [];
  const counts = new Map<ValueKey, { element: unknown; count: number }>();
  for (const e of read.elements) {
    const key = valueKey(e);
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { element: e, count: 1 });
  }
  return [...counts.values()].filter((c) => c.count > 1).map((c) => ({ readId: read.op.id, ...c }));
}
