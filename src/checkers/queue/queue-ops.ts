/**
 * The queue-shaped part of a history, as Jepsen's queue checkers read it: client `enqueue`s, ok
 * `dequeue`s, and `drain`s expanded into one dequeue per element (Jepsen's
 * expand-queue-drain-ops). Kept in columns, one number or string per element, so a history of
 * millions of enqueues streams.
 */
import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation, type Outcome } from "../../history/op.ts";
import { valueKey, type ValueKey } from "../../history/values.ts";
import { DeadlineWatch, type DeadlineOptions } from "../deadline.ts";

const OUTCOMES: readonly Outcome[] = ["ok", "fail", "info"];

export class QueueOps {
  /** Every enqueue: operation id, element key, outcome (index into OUTCOMES), invocation position. */
  readonly enqueueIds: number[] = [];
  readonly enqueueKeys: ValueKey[] = [];
  readonly enqueueOutcomes: number[] = [];
  readonly enqueueCalls: number[] = [];
  /** Every element dequeued (by an ok dequeue or an ok drain): the operation id, key and completion position. */
  readonly dequeueIds: number[] = [];
  readonly dequeueKeys: ValueKey[] = [];
  readonly dequeueRets: number[] = [];
  /** Drains that took out what cannot be known: outcome unknown, or an ok value that is not a list. */
  readonly crashedDrainIds: number[] = [];
  private readonly watch: DeadlineWatch;

  constructor(options: DeadlineOptions = {}) {
    this.watch = new DeadlineWatch(options.deadline, "collecting the queue's enqueues and dequeues", "operation");
  }

  add(o: Operation): void {
    this.watch.tick();
    if (!isClientProcess(o.process)) return;
    if (o.f === "enqueue") {
      this.enqueueIds.push(o.id);
      this.enqueueKeys.push(valueKey(o.input));
      this.enqueueOutcomes.push(OUTCOMES.indexOf(o.outcome));
      this.enqueueCalls.push(o.call);
    } else if (o.f === "dequeue" && o.outcome === "ok") {
      this.dequeued(o, o.output);
    } else if (o.f === "drain") {
      if (o.outcome === "ok" && Array.isArray(o.output)) for (const element of o.output) this.dequeued(o, element);
      else if (o.outcome !== "fail") this.crashedDrainIds.push(o.id);
    }
  }

  private dequeued(o: Operation, element: unknown): void {
    this.dequeueIds.push(o.id);
    this.dequeueKeys.push(valueKey(element));
    this.dequeueRets.push(o.completeIndex ?? o.ret);
  }

  enqueueOutcome(i: number): Outcome {
    return OUTCOMES[this.enqueueOutcomes[i]!]!;
  }
}

/** An element and the operations that show what happened to it. */
export interface QueueElement {
  element: unknown;
  /** How many copies (a multiset's multiplicity). */
  count: number;
  /** The operations involved (the first 20): enqueues for lost elements, dequeues (or drains) otherwise. */
  operationIds: number[];
}

export const MAX_ELEMENTS_LISTED = 1000;
export const MAX_OPS_PER_ELEMENT = 20;

/**
 * Whether the history drains the queue: a drain, or a dequeue that found it empty (failed, or
 * returned nil) invoked after the last enqueue was. Without it total-queue's "lost" means little.
 */
export function drainReason(history: History): string | undefined {
  let lastEnqueue = -1;
  for (const o of history.operations) if (o.f === "enqueue" && isClientProcess(o.process)) lastEnqueue = Math.max(lastEnqueue, o.call);
  for (const o of history.operations) {
    if (!isClientProcess(o.process)) continue;
    if (o.f === "drain") return `a drain (operation ${o.id})`;
    if (o.f === "dequeue" && o.call > lastEnqueue && (o.outcome === "fail" || (o.outcome === "ok" && (o.output === null || o.output === undefined)))) {
      return `dequeue ${o.id}, invoked after the last enqueue, found the queue empty`;
    }
  }
  return undefined;
}

export function queueOpCounts(history: History): { enqueues: number; dequeues: number } {
  let enqueues = 0;
  let dequeues = 0;
  for (const o of history.operations) {
    if (!isClientProcess(o.process)) continue;
    if (o.f === "enqueue") enqueues++;
    else if (o.f === "dequeue" || o.f === "drain") dequeues++;
  }
  return { enqueues, dequeues };
}
