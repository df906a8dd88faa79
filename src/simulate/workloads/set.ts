/**
 * The 2013 set app: clients add fresh integers; after the cluster heals, one final read. The
 * `set-reads` variant also reads the whole set while it runs. An acknowledged add missing from
 * the final read was lost; that is certain from the history, so the truth is exact.
 */
import type { Completed, Expectation, Guarantee } from "../truth.ts";
import type { Applied, DataWorkload, Invocation, Observer, WorkloadDefinition } from "../workload.ts";

const LOST_LISTED = 20;

function setWorkload(name: string, readShare: number): DataWorkload<Set<number>> {
  let nextElement = 0;
  return {
    kind: "data",
    name,
    init: () => new Set<number>(),
    clone: (s) => new Set(s),
    next({ rng }): Invocation {
      if (readShare > 0 && rng.chance(readShare)) return { f: "read", value: null };
      return { f: "add", value: nextElement++ };
    },
    isRead: (op) => op.f === "read",
    apply(state, op): Applied {
      if (op.f === "read") return { ok: true, value: [...state].sort((a, b) => a - b) };
      state.add(op.value as number);
      return { ok: true, value: op.value };
    },
    merge(state, op) {
      // a set of elements is a grow-only CRDT: adds commute, nothing is ever overwritten
      state.add(op.value as number);
    },
    finalReads: () => [{ f: "read", value: null }],
    observer: () => new SetObserver(readShare > 0),
  };
}

class SetObserver implements Observer {
  private readonly acknowledged = new Map<number, number>();
  private readonly attempted = new Set<number>();
  private finalRead: Completed | undefined;

  /** Jepsen's set checker judges the final read; set-full judges every read. */
  private readonly checker: string;

  constructor(private readonly readsWhileRunning: boolean) {
    this.checker = readsWhileRunning ? "set-full" : "set";
  }

  invoked(_slot: number, op: Invocation): void {
    if (op.f === "add") this.attempted.add(op.value as number);
  }

  completed(_slot: number, op: Completed): void {
    if (op.f === "add" && op.outcome === "ok") this.acknowledged.set(op.input as number, op.invokeIndex);
    if (op.f === "read" && op.outcome === "ok") this.finalRead = op;
  }

  findings(guarantee: Guarantee): { facts: Record<string, unknown>; expect: Expectation[] } {
    const final = this.finalRead;
    if (final === undefined) return { facts: { finalRead: false }, expect: [] };
    const survivors = new Set(final.output as number[]);
    const lost = [...this.acknowledged].filter(([element]) => !survivors.has(element));
    const unexpected = [...survivors].filter((element) => !this.attempted.has(element));
    const facts = { attempted: this.attempted.size, acknowledged: this.acknowledged.size, survivors: survivors.size, lost: lost.length, lostElements: lost.slice(0, LOST_LISTED).map(([e]) => e), unexpected: unexpected.length };
    if (lost.length > 0 || unexpected.length > 0) {
      const because = `${lost.length} acknowledged add(s) missing from the final read, ${unexpected.length} element(s) read that were never added`;
      return { facts, expect: [{ checker: this.checker, valid: false, because, witness: [...lost.slice(0, LOST_LISTED).map(([, index]) => index), final.invokeIndex] }] };
    }
    // reads taken while running may be judged more strictly than the final read (stale reads)
    if (this.readsWhileRunning && !guarantee.linearizable) return { facts, expect: [] };
    return { facts, expect: [{ checker: this.checker, valid: true, because: "every acknowledged add is in the final read and nothing else is" }] };
  }
}

export const set: WorkloadDefinition = {
  name: "set",
  description: "adds of fresh integers and one final read after healing (the 2013 set app)",
  create: () => setWorkload("set", 0),
};

export const setReads: WorkloadDefinition = {
  name: "set-reads",
  description: "adds of fresh integers with many reads of the whole set, and a final read",
  create: () => setWorkload("set-reads", 0.2),
};
