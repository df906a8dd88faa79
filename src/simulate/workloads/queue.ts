/**
 * A queue, as Jepsen's queue tests use it: enqueues of fresh integers and dequeues, then, once
 * the cluster has healed, one drain of everything left. A failover that promotes a replica
 * missing recent operations loses acknowledged enqueues and brings dequeued elements back, to be
 * dequeued again; a deposed primary's operations are thrown away when it rejoins.
 */
import type { Completed, Expectation } from "../truth.ts";
import type { Applied, DataWorkload, Invocation, Observer, WorkloadDefinition } from "../workload.ts";

const LISTED = 20;

/** FIFO: items[head..] are queued (dequeued ones stay below head until the next compaction). */
export interface Queue {
  items: number[];
  head: number;
}

function queueWorkload(): DataWorkload<Queue> {
  let nextElement = 0;
  return {
    kind: "data",
    name: "queue",
    init: () => ({ items: [], head: 0 }),
    clone: (s) => ({ items: s.items.slice(s.head), head: 0 }),
    next({ rng }): Invocation {
      return rng.chance(0.5) ? { f: "enqueue", value: nextElement++ } : { f: "dequeue", value: null };
    },
    isRead: () => false,
    apply(state, op): Applied {
      if (op.f === "enqueue") {
        state.items.push(op.value as number);
        return { ok: true, value: op.value };
      }
      if (op.f === "drain") {
        const rest = state.items.slice(state.head);
        state.items = [];
        state.head = 0;
        return { ok: true, value: rest };
      }
      if (state.head === state.items.length) return { ok: false, value: null };
      const element = state.items[state.head++]!;
      if (state.head > 1024 && state.head * 2 > state.items.length) {
        state.items = state.items.slice(state.head);
        state.head = 0;
      }
      return { ok: true, value: element };
    },
    finalReads: () => [{ f: "drain", value: null }],
    observer: () => new QueueObserver(),
  };
}

/**
 * Reads the history as Jepsen's two queue checkers do: total-queue's multisets once the drain
 * completed, and the queue checker's one pass (an element is in from its enqueue's invocation,
 * unless the enqueue failed, until one dequeue takes it out).
 */
class QueueObserver implements Observer {
  /** Enqueued element → outcome so far ("pending" until it completes). */
  private readonly enqueues = new Map<number, { outcome: string; invokedAt: number }>();
  /** Every dequeued element with its completion position, drains expanded. */
  private readonly dequeues: { element: number; at: number }[] = [];
  private drained = false;

  invoked(_slot: number, op: Invocation, index: number): void {
    if (op.f === "enqueue") this.enqueues.set(op.value as number, { outcome: "pending", invokedAt: index });
  }

  completed(_slot: number, op: Completed): void {
    if (op.f === "enqueue") this.enqueues.get(op.input as number)!.outcome = op.outcome;
    else if (op.outcome === "ok" && op.f === "dequeue") this.dequeues.push({ element: op.output as number, at: op.completeIndex });
    else if (op.outcome === "ok" && op.f === "drain") {
      for (const element of op.output as number[]) this.dequeues.push({ element, at: op.completeIndex });
      this.drained = true;
    }
  }

  findings(): { facts: Record<string, unknown>; expect: Expectation[] } {
    const times = new Map<number, number>();
    for (const d of this.dequeues) times.set(d.element, (times.get(d.element) ?? 0) + 1);
    const lost = [...this.enqueues].filter(([element, e]) => e.outcome === "ok" && !times.has(element)).map(([element]) => element);
    const unexpected = [...times.keys()].filter((element) => !this.enqueues.has(element));
    const duplicated = [...times].filter(([element, n]) => this.enqueues.has(element) && n > 1).map(([element]) => element);
    // Each element is enqueued once: a dequeue is unexplained when its enqueue failed, was invoked after it, or was already taken.
    const taken = new Set<number>();
    const unexplained = this.dequeues.filter(({ element, at }) => {
      const e = this.enqueues.get(element);
      if (e === undefined || e.outcome === "fail" || e.invokedAt > at || taken.has(element)) return true;
      taken.add(element);
      return false;
    });
    const facts = { enqueues: this.enqueues.size, dequeued: this.dequeues.length, drained: this.drained, lostEnqueues: lost.length, lostElements: lost.slice(0, LISTED), duplicatedElements: duplicated.length, unexpectedElements: unexpected.length, unexplainedDequeues: unexplained.length };
    const expect: Expectation[] = [];
    if (this.dequeues.length > 0) {
      expect.push(
        unexplained.length > 0
          ? { checker: "queue", valid: false, because: `${unexplained.length} dequeue(s) of an element already dequeued (or never enqueued)`, witness: [unexplained[0]!.at] }
          : { checker: "queue", valid: true, because: "every dequeued element was enqueued and dequeued once" },
      );
    }
    if (this.drained) {
      expect.push(
        lost.length > 0 || unexpected.length > 0
          ? { checker: "total-queue", valid: false, because: `${lost.length} acknowledged enqueue(s) neither dequeued nor drained, ${unexpected.length} element(s) dequeued that were never enqueued` }
          : { checker: "total-queue", valid: true, because: `every acknowledged enqueue came out (${duplicated.length} element(s) more than once, which total-queue counts but allows)` },
      );
    }
    return { facts, expect };
  }
}

export const queue: WorkloadDefinition = {
  name: "queue",
  description: "enqueues of fresh integers and dequeues, then a drain after healing (Jepsen's queue tests)",
  create: queueWorkload,
};
