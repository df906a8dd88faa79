/**
 * An id generator: `generate` increments a counter on the store and returns the new value, as
 * INCR-based id generators do. A failover to a replica that missed the last increments hands the
 * same ids out again.
 */
import type { Completed, Expectation } from "../truth.ts";
import type { Applied, DataWorkload, Invocation, Observer, WorkloadDefinition } from "../workload.ts";

interface Generator {
  last: number;
}

function uniqueIdsWorkload(): DataWorkload<Generator> {
  return {
    kind: "data",
    name: "unique-ids",
    init: () => ({ last: 0 }),
    clone: (s) => ({ ...s }),
    next: (): Invocation => ({ f: "generate", value: null }),
    isRead: () => false,
    apply(state): Applied {
      return { ok: true, value: ++state.last };
    },
    finalReads: () => [],
    observer: () => new UniqueIdsObserver(),
  };
}

class UniqueIdsObserver implements Observer {
  private readonly seen = new Set<number>();
  private acknowledged = 0;
  private duplicates = 0;
  private firstWitness: number[] | undefined;

  invoked(): void {}

  completed(_slot: number, op: Completed): void {
    if (op.outcome !== "ok") return;
    this.acknowledged++;
    const id = op.output as number;
    if (this.seen.has(id)) {
      this.duplicates++;
      this.firstWitness ??= [op.completeIndex];
    } else this.seen.add(id);
  }

  findings(): { facts: Record<string, unknown>; expect: Expectation[] } {
    const facts = { acknowledged: this.acknowledged, duplicateIds: this.duplicates };
    if (this.acknowledged === 0) return { facts, expect: [] };
    if (this.duplicates > 0) return { facts, expect: [{ checker: "unique-ids", valid: false, because: `${this.duplicates} acknowledged generate(s) returned an id handed out before`, witness: this.firstWitness }] };
    return { facts, expect: [{ checker: "unique-ids", valid: true, because: "every acknowledged id is distinct" }] };
  }
}

export const uniqueIds: WorkloadDefinition = {
  name: "unique-ids",
  description: "generate: an incremented counter as a unique id (Jepsen's unique-ids)",
  create: uniqueIdsWorkload,
};
