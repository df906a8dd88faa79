/**
 * Jepsen's queue checker (jepsen.checker/queue with an unordered-queue model): every dequeue must
 * come from an enqueue. One pass in history order: a non-failed enqueue puts its element in at
 * its invocation (it may take effect any time after), an ok dequeue (or each element of an ok
 * drain) takes one out at its completion; a dequeue of an element not in is an error.
 */
import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";
import type { History } from "../../history/history.ts";
import type { Operation } from "../../history/op.ts";
import type { NamedResult, OperationFold, Validity } from "../checker.ts";
import { valueOfKey, type ValueKey } from "../../history/values.ts";
import { foldHistory } from "../fold.ts";
import { MAX_ELEMENTS_LISTED, QueueOps, queueOpCounts } from "./queue-ops.ts";

export interface QueueFigures {
  /** Non-failed enqueues and dequeued elements (drains expanded). */
  enqueues: number;
  dequeues: number;
  /** Dequeues of an element no earlier enqueue could have put in. */
  badDequeues: number;
  /** Elements still possibly in the queue at the end. */
  remaining: number;
}

export interface BadDequeue {
  /** The dequeue (or drain) operation, its completion position and the element. */
  operationId: number;
  index: number;
  element: unknown;
}

export interface QueueEvidence {
  /** In history order, the first MAX_ELEMENTS_LISTED; Jepsen reports the first. */
  badDequeues: BadDequeue[];
}

export type QueueResult = NamedResult<"queue", QueueEvidence, QueueFigures>;


/** Why --checker auto picks queue, or undefined. */
export function queueAppliesBecause(history: History): string | undefined {
  const { enqueues, dequeues } = queueOpCounts(history);
  return enqueues > 0 && dequeues > 0 ? `${enqueues} enqueue(s) and ${dequeues} dequeue or drain operation(s)` : undefined;
}

export function checkQueue(history: History, options: DeadlineOptions = {}): QueueResult {
  return foldHistory(new QueueFold(options), history);
}

export class QueueFold implements OperationFold<QueueResult> {
  private readonly ops: QueueOps;
  private readonly matching: DeadlineWatch;

  constructor(options: DeadlineOptions = {}) {
    this.ops = new QueueOps(options);
    this.matching = new DeadlineWatch(options.deadline, "matching the queue's dequeues to enqueues", "dequeue");
  }

  add(o: Operation): void {
    this.ops.add(o);
  }

  finish(): QueueResult {
    const { ops } = this;
    const enqueues = Uint32Array.from(ops.enqueueKeys.keys())
      .filter((i) => ops.enqueueOutcome(i) !== "fail")
      .sort((a, b) => ops.enqueueCalls[a]! - ops.enqueueCalls[b]!);
    // Dequeues arrive in completion order already: a stream hands operations over that way.
    const dequeues = Uint32Array.from(ops.dequeueKeys.keys()).sort((a, b) => ops.dequeueRets[a]! - ops.dequeueRets[b]!);
    const inQueue = new Map<ValueKey, number>();
    const bad: BadDequeue[] = [];
    let badCount = 0;
    let e = 0;
    for (const d of dequeues) {
      this.matching.tick();
      const at = ops.dequeueRets[d]!;
      for (; e < enqueues.length && ops.enqueueCalls[enqueues[e]!]! < at; e++) {
        const key = ops.enqueueKeys[enqueues[e]!]!;
        inQueue.set(key, (inQueue.get(key) ?? 0) + 1);
      }
      const key = ops.dequeueKeys[d]!;
      const copies = inQueue.get(key) ?? 0;
      if (copies > 0) {
        if (copies === 1) inQueue.delete(key);
        else inQueue.set(key, copies - 1);
        continue;
      }
      badCount++;
      if (bad.length < MAX_ELEMENTS_LISTED) bad.push({ operationId: ops.dequeueIds[d]!, index: at, element: valueOfKey(key) });
    }
    const remaining = enqueues.length - (dequeues.length - badCount);
    const stats: QueueFigures = { enqueues: enqueues.length, dequeues: dequeues.length, badDequeues: badCount, remaining };
    let valid: Validity;
    let summary: string;
    if (badCount > 0) {
      valid = false;
      const first = bad[0]!;
      summary = `${badCount} of ${dequeues.length} dequeued elements no enqueue explains (never enqueued, enqueue failed or invoked later, or already dequeued); first: operation ${first.operationId} dequeued ${JSON.stringify(first.element)}`;
    } else if (dequeues.length === 0) {
      valid = "unknown";
      summary = `No element was dequeued (${enqueues.length} non-failed enqueues): nothing to check (Jepsen's checker calls this valid)`;
    } else {
      valid = true;
      summary = `Each of the ${dequeues.length} dequeued elements was put in by its own enqueue; ${remaining} may remain`;
    }
    const result: QueueResult = { checker: "queue", valid, summary: `${summary} (Jepsen's queue checker, unordered queue).`, evidence: { badDequeues: bad }, stats };
    if (valid === false) result.focus = [...new Set(bad.slice(0, 20).map((b) => b.operationId))];
    return result;
  }
}
