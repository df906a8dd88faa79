/**
 * Jepsen's total-queue checker (jepsen.checker/total-queue): what goes in must come out. Over
 * multisets of elements: lost = acknowledged enqueues never dequeued; unexpected = dequeued but
 * never attempted; duplicated = dequeued more often than attempted; recovered = dequeued although
 * the enqueue's outcome was unknown. Valid iff nothing is lost and nothing unexpected. Meaningful
 * only for a history that drains the queue at the end.
 */
import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";
import type { History } from "../../history/history.ts";
import type { Operation } from "../../history/op.ts";
import type { NamedResult, OperationFold, Validity } from "../checker.ts";
import { valueOfKey, type ValueKey } from "../../history/values.ts";
import { foldHistory } from "../fold.ts";
import { drainReason, MAX_ELEMENTS_LISTED, MAX_OPS_PER_ELEMENT, QueueOps, queueOpCounts, type QueueElement } from "./queue-ops.ts";

export interface TotalQueueFigures {
  /** Jepsen's counts: enqueues attempted (invoked) and acknowledged; dequeued elements that were attempted (ok). */
  attempted: number;
  acknowledged: number;
  ok: number;
  lost: number;
  unexpected: number;
  duplicated: number;
  recovered: number;
  /** Dequeued elements, drains expanded. */
  dequeued: number;
  crashedDrains: number;
}

export interface TotalQueueEvidence {
  lost: QueueElement[];
  unexpected: QueueElement[];
  duplicated: QueueElement[];
  recovered: QueueElement[];
  /** Drains with an unknown outcome: Jepsen refuses to expand them; nothing can be called lost. */
  crashedDrainIds: number[];
}

export type TotalQueueResult = NamedResult<"total-queue", TotalQueueEvidence, TotalQueueFigures>;


/** Why --checker auto picks total-queue: enqueues, dequeues, and a history that drains the queue. */
export function totalQueueAppliesBecause(history: History): string | undefined {
  const { enqueues, dequeues } = queueOpCounts(history);
  if (enqueues === 0 || dequeues === 0) return undefined;
  const drained = drainReason(history);
  return drained === undefined ? undefined : `enqueues and dequeues, and the history drains the queue: ${drained}`;
}

export function checkTotalQueue(history: History, options: DeadlineOptions = {}): TotalQueueResult {
  return foldHistory(new TotalQueueFold(options), history);
}

/** Per distinct element: copies attempted, acknowledged and dequeued. */
interface Tally {
  attempted: number;
  acknowledged: number;
  dequeued: number;
}

type Category = "lost" | "unexpected" | "duplicated" | "recovered";
const CATEGORIES: readonly Category[] = ["lost", "unexpected", "duplicated", "recovered"];

/** How many copies of an element fall in each category: Jepsen's multiset arithmetic, element by element. */
export function totalQueueCounts(t: Tally): Record<Category | "ok", number> {
  const ok = Math.min(t.dequeued, t.attempted);
  return {
    ok,
    lost: Math.max(0, t.acknowledged - t.dequeued),
    unexpected: t.attempted === 0 ? t.dequeued : 0,
    duplicated: t.attempted > 0 ? Math.max(0, t.dequeued - t.attempted) : 0,
    recovered: Math.max(0, ok - t.acknowledged),
  };
}

export class TotalQueueFold implements OperationFold<TotalQueueResult> {
  private readonly ops: QueueOps;
  private readonly counting: DeadlineWatch;

  constructor(options: DeadlineOptions = {}) {
    this.ops = new QueueOps(options);
    this.counting = new DeadlineWatch(options.deadline, "counting the queue's elements", "element");
  }

  add(o: Operation): void {
    this.ops.add(o);
  }

  finish(): TotalQueueResult {
    const { ops } = this;
    const tallies = new Map<ValueKey, Tally>();
    const tally = (key: ValueKey): Tally => {
      let t = tallies.get(key);
      if (!t) tallies.set(key, (t = { attempted: 0, acknowledged: 0, dequeued: 0 }));
      return t;
    };
    ops.enqueueKeys.forEach((key, i) => {
      const t = tally(key);
      t.attempted++;
      if (ops.enqueueOutcome(i) === "ok") t.acknowledged++;
    });
    for (const key of ops.dequeueKeys) tally(key).dequeued++;

    const stats: TotalQueueFigures = { attempted: ops.enqueueKeys.length, acknowledged: 0, ok: 0, lost: 0, unexpected: 0, duplicated: 0, recovered: 0, dequeued: ops.dequeueKeys.length, crashedDrains: ops.crashedDrainIds.length };
    const listed = new Map<Category, Map<ValueKey, QueueElement>>(CATEGORIES.map((c) => [c, new Map()]));
    for (const [key, t] of tallies) {
      this.counting.tick();
      stats.acknowledged += t.acknowledged;
      const counts = totalQueueCounts(t);
      stats.ok += counts.ok;
      for (const category of CATEGORIES) {
        if (counts[category] === 0) continue;
        stats[category] += counts[category];
        const list = listed.get(category)!;
        if (list.size < MAX_ELEMENTS_LISTED) list.set(key, { element: valueOfKey(key), count: counts[category], operationIds: [] });
      }
    }
    this.nameOperations(listed);
    const evidence: TotalQueueEvidence = {
      lost: [...listed.get("lost")!.values()],
      unexpected: [...listed.get("unexpected")!.values()],
      duplicated: [...listed.get("duplicated")!.values()],
      recovered: [...listed.get("recovered")!.values()],
      crashedDrainIds: ops.crashedDrainIds.sort((a, b) => a - b),
    };
    const figures = `${stats.attempted} attempted, ${stats.acknowledged} acknowledged, ${stats.dequeued} dequeued: ${stats.lost} lost, ${stats.unexpected} unexpected, ${stats.duplicated} duplicated, ${stats.recovered} recovered`;
    let valid: Validity;
    let summary: string;
    if (stats.unexpected > 0) {
      valid = false;
      summary = `${stats.unexpected} element(s) dequeued that were never enqueued; ${figures}`;
    } else if (stats.crashedDrains > 0) {
      valid = "unknown";
      summary = `${stats.crashedDrains} drain(s) crashed (outcome unknown), so what they took out is unknown and nothing can be called lost (Jepsen refuses such a history); ${figures}`;
    } else if (stats.lost > 0) {
      valid = false;
      summary = `${stats.lost} acknowledged enqueue(s) never dequeued; ${figures}`;
    } else if (stats.acknowledged === 0 && stats.dequeued === 0) {
      valid = "unknown";
      summary = `Nothing acknowledged and nothing dequeued: nothing to check (Jepsen's checker calls this valid); ${figures}`;
    } else {
      valid = true;
      summary = `Every acknowledged enqueue came out and nothing else did; ${figures}`;
    }
    const result: TotalQueueResult = { checker: "total-queue", valid, summary: `${summary} (Jepsen's total-queue checker).`, evidence, stats };
    if (valid === false) result.focus = [...new Set([...evidence.unexpected, ...evidence.lost].slice(0, 10).flatMap((e) => e.operationIds.slice(0, 3)))].sort((a, b) => a - b);
    return result;
  }

  /** A second pass over the columns, for the listed elements only: which operations show each. */
  private nameOperations(listed: Map<Category, Map<ValueKey, QueueElement>>): void {
    const { ops } = this;
    const note = (category: Category, key: ValueKey, id: number): void => {
      const e = listed.get(category)!.get(key);
      if (e && e.operationIds.length < MAX_OPS_PER_ELEMENT && e.operationIds.at(-1) !== id) e.operationIds.push(id);
    };
    ops.enqueueKeys.forEach((key, i) => {
      const outcome = ops.enqueueOutcome(i);
      if (outcome === "ok") note("lost", key, ops.enqueueIds[i]!);
      else note("recovered", key, ops.enqueueIds[i]!);
    });
    ops.dequeueKeys.forEach((key, i) => {
      for (const category of ["unexpected", "duplicated", "recovered"] as const) note(category, key, ops.dequeueIds[i]!);
    });
    for (const list of listed.values()) for (const e of list.values()) e.operationIds.sort((a, b) => a - b);
    // In history order of the operations that show them.
    for (const [category, list] of listed) listed.set(category, new Map([...list].sort(([, a], [, b]) => (a.operationIds[0] ?? 0) - (b.operationIds[0] ?? 0))));
  }
}
