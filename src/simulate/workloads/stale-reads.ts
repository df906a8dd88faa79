/**
 * Proves a register history non-linearizable without a search: with fresh values, a read that
 * returns the value of write W, although some other write W′ began after W completed and itself
 * completed before the read began, cannot be ordered (W < W′ < read in real time). So can a read
 * of a value whose write failed, or of the initial null after a write completed.
 */
import type { Completed, Expectation, Guarantee } from "../truth.ts";
import type { Invocation } from "../workload.ts";

interface WriteSeen {
  invokeIndex: number;
  callTime: number;
  retTime: number;
}

/** Writes remembered: older ones are forgotten so memory stays flat on long runs (fewer proofs, never wrong ones). */
const REMEMBERED_WRITES = 100_000;
const WITNESSES_KEPT = 10;

export class StaleReadObserver {
  private readonly okWrites = new Map<number, WriteSeen>();
  private readonly failedWrites = new Map<number, number>();
  /** Among ok writes completed so far, the one that was invoked last. */
  private latest: WriteSeen | undefined;
  /** Per client: the latest completed write when its current read was invoked. */
  private readonly latestAtCall: (WriteSeen | undefined)[] = [];
  private staleReads = 0;
  private readonly witnesses: number[][] = [];

  invoked(slot: number, _op: Invocation, _index: number, _time: number): void {
    this.latestAtCall[slot] = this.latest;
  }

  completed(slot: number, op: Completed): void {
    const written = writtenValue(op);
    if (written !== undefined) {
      if (op.outcome === "ok") this.rememberWrite(written, { invokeIndex: op.invokeIndex, callTime: op.callTime, retTime: op.retTime });
      else if (op.outcome === "fail") remember(this.failedWrites, written, op.invokeIndex);
      return;
    }
    if (op.f !== "read" || op.outcome !== "ok") return;
    const before = this.latestAtCall[slot];
    const value = op.output as number | null;
    const failed = value === null ? undefined : this.failedWrites.get(value);
    if (failed !== undefined) return this.witness([failed, op.invokeIndex]);
    if (before === undefined) return;
    if (value === null) return this.witness([before.invokeIndex, op.invokeIndex]);
    const source = this.okWrites.get(value);
    if (source !== undefined && before.callTime > source.retTime) this.witness([source.invokeIndex, before.invokeIndex, op.invokeIndex]);
  }

  findings(guarantee: Guarantee): { facts: Record<string, unknown>; expect: Expectation[] } {
    const facts = { provablyStaleReads: this.staleReads };
    if (this.staleReads > 0) {
      return {
        facts,
        expect: [{ checker: "linearizability", valid: false, because: `${this.staleReads} read(s) returned a value that a later completed write had replaced before the read began`, witness: this.witnesses[0] }],
      };
    }
    if (guarantee.linearizable) return { facts, expect: [{ checker: "linearizability", valid: true, because: "the store applies every operation atomically between its invocation and completion" }] };
    return { facts, expect: [] };
  }

  private witness(indices: number[]): void {
    this.staleReads++;
    if (this.witnesses.length < WITNESSES_KEPT) this.witnesses.push(indices);
  }

  private rememberWrite(value: number, seen: WriteSeen): void {
    remember(this.okWrites, value, seen);
    if (this.latest === undefined || seen.callTime > this.latest.callTime) this.latest = seen;
  }
}

function remember<V>(map: Map<number, V>, key: number, value: V): void {
  map.set(key, value);
  if (map.size > REMEMBERED_WRITES) map.delete(map.keys().next().value!);
}

/** The fresh value a write or cas puts in the register, or undefined for reads. */
function writtenValue(op: Completed): number | undefined {
  if (op.f === "write") return op.input as number;
  if (op.f === "cas") return (op.input as [number | null, number])[1];
  return undefined;
}
