/**
 * A counter: increments ("add" of a small positive number) and reads. The truth applies
 * Jepsen's bounds: a read must be at least the sum of the adds acknowledged before it began and
 * at most the sum of the adds that had begun (and not failed) by the time it returned.
 */
import type { Completed, Expectation, Guarantee } from "../truth.ts";
import type { Applied, DataWorkload, Invocation, Observer, WorkloadDefinition } from "../workload.ts";

interface Counter {
  value: number;
}

function counterWorkload(): DataWorkload<Counter> {
  return {
    kind: "data",
    name: "counter",
    init: () => ({ value: 0 }),
    clone: (s) => ({ ...s }),
    next({ rng }): Invocation {
      if (rng.chance(0.4)) return { f: "read", value: null };
      return { f: "add", value: 1 + rng.int(5) };
    },
    isRead: (op) => op.f === "read",
    apply(state, op): Applied {
      if (op.f === "read") return { ok: true, value: state.value };
      state.value += op.value as number;
      return { ok: true, value: op.value };
    },
    merge(state, op) {
      // counter columns sum their increments whatever the timestamps
      state.value += op.value as number;
    },
    finalReads: () => [{ f: "read", value: null }],
    observer: () => new CounterObserver(),
  };
}

class CounterObserver implements Observer {
  private lower = 0;
  private upper = 0;
  private readonly lowerAtCall: number[] = [];
  private outOfBounds = 0;
  private firstWitness: number[] | undefined;
  private reads = 0;

  invoked(slot: number, op: Invocation): void {
    if (op.f === "add") this.upper += op.value as number;
    else this.lowerAtCall[slot] = this.lower;
  }

  completed(slot: number, op: Completed): void {
    if (op.f === "add") {
      if (op.outcome === "ok") this.lower += op.input as number;
      else if (op.outcome === "fail") this.upper -= op.input as number;
      return;
    }
    if (op.outcome !== "ok") return;
    this.reads++;
    const value = op.output as number;
    if (value < this.lowerAtCall[slot]! || value > this.upper) {
      this.outOfBounds++;
      this.firstWitness ??= [op.invokeIndex, op.completeIndex];
    }
  }

  findings(_guarantee: Guarantee): { facts: Record<string, unknown>; expect: Expectation[] } {
    const facts = { reads: this.reads, readsOutOfBounds: this.outOfBounds, acknowledgedSum: this.lower, possibleSum: this.upper };
    if (this.outOfBounds > 0) return { facts, expect: [{ checker: "counter", valid: false, because: `${this.outOfBounds} read(s) outside [acknowledged adds before the read, adds begun by its end]`, witness: this.firstWitness }] };
    return { facts, expect: [{ checker: "counter", valid: true, because: "every read lies within its bounds" }] };
  }
}

export const counter: WorkloadDefinition = {
  name: "counter",
  description: "increments and reads of one counter",
  create: counterWorkload,
};
