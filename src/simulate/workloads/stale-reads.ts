/**
 * Proves a register history non-linearizable without a search: with fresh values, a read that
 * returns the value of write W, although some other write W′ began after W completed and itself
 * completed before the read began, cannot be ordered (W < W′ < read in real time). So can a read
 * of a value whose write failed, or of the initial null after a write completed.
 *
 * Fresh values are increasing integers, so writes live in ring buffers indexed by value: memory
 * stays flat on long runs, and a read of a value older than the ring proves nothing (fewer
 * proofs, never wrong ones).
 */
import type { Completed, Expectation, Guarantee } from "../truth.ts";
import type { Invocation } from "../workload.ts";

const RING = 1 << 17;
const MASK = RING - 1;
const WITNESSES_KEPT = 10;

const enum Outcome {
  Unknown,
  Ok,
  Failed,
}

export class StaleReadObserver {
  private readonly value = new Float64Array(RING).fill(-1);
  private readonly outcome = new Uint8Array(RING);
  private readonly retTime = new Float64Array(RING);
  private readonly invokeIndex = new Float64Array(RING);
  /** Among ok writes completed so far, the one invoked last: its call time and index. */
  private latestCall = -Infinity;
  private latestIndex = -1;
  /** Per client: the latest completed write when its current read was invoked. */
  private readonly callAtInvoke: number[] = [];
  private readonly indexAtInvoke: number[] = [];
  private staleReads = 0;
  private readonly witnesses: number[][] = [];

  invoked(slot: number, _op: Invocation, _index: number, _time: number): void {
    this.callAtInvoke[slot] = this.latestCall;
    this.indexAtInvoke[slot] = this.latestIndex;
  }

  completed(slot: number, op: Completed): void {
    const written = writtenValue(op);
    if (written !== undefined) {
      if (op.outcome !== "info") this.rememberWrite(written, op);
      return;
    }
    if (op.f !== "read" || op.outcome !== "ok") return;
    const before = this.callAtInvoke[slot]!;
    const value = op.output as number | null;
    if (value === null) {
      if (before > -Infinity) this.witness([this.indexAtInvoke[slot]!, op.invokeIndex]);
      return;
    }
    const at = value & MASK;
    if (this.value[at] !== value) return;
    if (this.outcome[at] === Outcome.Failed) this.witness([this.invokeIndex[at]!, op.invokeIndex]);
    else if (this.outcome[at] === Outcome.Ok && before > this.retTime[at]!) this.witness([this.invokeIndex[at]!, this.indexAtInvoke[slot]!, op.invokeIndex]);
  }

  findings(guarantee: Guarantee): { facts: Record<string, unknown>; expect: Expectation[] } {
    const facts = { provablyStaleReads: this.staleReads };
    if (this.staleReads > 0) {
      return {
        facts,
        expect: [{ checker: "linearizability", valid: false, because: `${this.staleReads} read(s) returned a value that a later completed write had replaced before the read began (or whose write failed)`, witness: this.witnesses[0] }],
      };
    }
    if (guarantee.linearizable) return { facts, expect: [{ checker: "linearizability", valid: true, because: "the store applies every operation atomically between its invocation and completion" }] };
    return { facts, expect: [] };
  }

  private witness(indices: number[]): void {
    this.staleReads++;
    if (this.witnesses.length < WITNESSES_KEPT) this.witnesses.push(indices);
  }

  private rememberWrite(value: number, op: Completed): void {
    const at = value & MASK;
    this.value[at] = value;
    this.outcome[at] = op.outcome === "ok" ? Outcome.Ok : Outcome.Failed;
    this.retTime[at] = op.retTime;
    this.invokeIndex[at] = op.invokeIndex;
    if (op.outcome === "ok" && op.callTime > this.latestCall) {
      this.latestCall = op.callTime;
      this.latestIndex = op.invokeIndex;
    }
  }
}

/** The fresh value a write or cas puts in the register, or undefined for reads. */
function writtenValue(op: Completed): number | undefined {
  if (op.f === "write") return op.input as number;
  if (op.f === "cas") return (op.input as [number | null, number])[1];
  return undefined;
}
