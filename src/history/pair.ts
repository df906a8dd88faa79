import type { Op, Operation, ProcessId, RawOp } from "./op.ts";
import { isClientProcess } from "./op.ts";
import type { HistoryWarning } from "./history.ts";
import { showValue } from "./show.ts";

/** A record that cannot be paired: an error in strict mode, a skipped record in lenient mode. */
export class PairingError extends Error {}

const MAX_WARNINGS = 1000;

/**
 * Pairs each invocation with the next completion on the same process, streaming: feed records
 * in history order with `add`, then call `finish`. Also assigns dense indices where absent and
 * checks them where present.
 *
 * By default every operation is kept, in invocation order. Given `onComplete`, operations are
 * instead handed over as they complete (those never completed at `finish`, in invocation
 * order) and not kept: that is how huge histories stream through foldable checkers.
 */
export class Pairer {
  readonly operations: Operation[] = [];
  readonly warnings: HistoryWarning[] = [];
  warningCount = 0;
  /** Completions timed before their own invocation (their latency is unknown: retTime is dropped). */
  completionsBeforeInvocation = 0;
  /** Records whose time is before an earlier record's. */
  recordsOutOfTimeOrder = 0;
  private latestTime = -Infinity;
  private readonly open = new OpenOperations();
  private readonly crashed = new Set<ProcessId>();
  private nextIndex = 0;
  private nextId = 0;

  constructor(private readonly onComplete?: (operation: Operation) => void) {}

  /**
   * Adds one record, taking ownership of it (its index is set in place: copying every record
   * would double the reader's cost). Throws PairingError, leaving the pairer unchanged, if it
   * cannot be paired (the caller then drops the record).
   */
  add(raw: RawOp): Op {
    const index = this.indexFor(raw);
    const op = raw as Op;
    op.index = index;
    if (op.time !== undefined) this.checkTimeOrder(op);
    if (op.type === "invoke") this.invoke(op);
    else this.complete(op);
    this.nextIndex = index + 1;
    return op;
  }

  /** Operations still open at the end are indeterminate: they may or may not have happened. */
  finish(): Operation[] {
    if (this.onComplete) for (const operation of this.open.take().sort((a, b) => a.id - b.id)) this.onComplete(operation);
    else this.open.take();
    return this.operations;
  }

  private indexFor(raw: RawOp): number {
    if (raw.index === undefined) return this.nextIndex;
    if (raw.index < this.nextIndex) {
      throw new PairingError(`index ${raw.index} does not increase (expected ${this.nextIndex} or more)`);
    }
    return raw.index;
  }

  private invoke(op: Op): void {
    const pending = this.open.get(op.process);
    if (pending) {
      throw new PairingError(
        `process ${String(op.process)} invokes again (index ${op.index}) while its ${pending.f} at index ${pending.invokeIndex} is still open; expected a completion first`,
      );
    }
    if (this.crashed.size > 0 && isClientProcess(op.process) && this.crashed.has(op.process)) {
      this.warn(op.index, `process ${op.process} invokes again after an info; Jepsen harnesses use a new process id after an indeterminate result`);
    }
    const operation: Operation = {
      id: this.nextId++,
      process: op.process,
      f: op.f,
      input: op.value,
      output: undefined,
      outcome: "info",
      call: op.index,
      ret: Infinity,
      invokeIndex: op.index,
      completeIndex: undefined,
      callTime: op.time,
      retTime: undefined,
      error: undefined,
      invoke: op,
    };
    if (!this.onComplete) this.operations.push(operation);
    this.open.set(op.process, operation);
  }

  private complete(op: Op): void {
    const operation = this.open.get(op.process);
    if (!operation) {
      throw new PairingError(`${op.type} completion of ${op.f} by process ${String(op.process)} (index ${op.index}) has no open invocation on that process`);
    }
    if (op.f !== operation.f) {
      this.warn(op.index, `completion's f "${op.f}" differs from its invocation's "${operation.f}" (index ${operation.invokeIndex})`);
    }
    if (op.type === "fail" && op.value !== undefined && !sameValue(op.value, operation.input)) {
      this.warn(op.index, `fail's value ${showValue(op.value)} differs from its invocation's ${showValue(operation.input)} (index ${operation.invokeIndex})`);
    }
    this.open.delete(op.process);
    operation.outcome = op.type as Operation["outcome"];
    operation.completeIndex = op.index;
    operation.retTime = op.time;
    if (op.time !== undefined && operation.callTime !== undefined && op.time < operation.callTime) {
      this.completionsBeforeInvocation++;
      this.warn(op.index, `completes at time ${op.time}, before its invocation at ${operation.callTime} (index ${operation.invokeIndex}): the clock went backwards, so its latency is unknown`);
      operation.retTime = undefined;
    }
    operation.output = op.value === undefined ? operation.input : op.value;
    operation.error = op.error;
    if (op.type === "info") this.crashed.add(op.process);
    else operation.ret = op.index;
    this.onComplete?.(operation);
  }

  /** One warning for the first record out of time order; the rest are counted. */
  private checkTimeOrder(op: Op): void {
    const time = op.time!;
    if (time >= this.latestTime) {
      this.latestTime = time;
      return;
    }
    if (this.recordsOutOfTimeOrder++ === 0) {
      this.warn(op.index, `time ${time} is before an earlier record's ${this.latestTime}: records are not in time order (history order is used for real time; times only for latencies and charts)`);
    }
  }

  private warn(index: number, message: string): void {
    this.warningCount++;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ index, message });
  }
}

/** Beyond this, integer processes are kept in the map (an array that long would be mostly holes). */
const MAX_PROCESS_SLOT = 1 << 16;

/** The open operation of each process: integer processes by slot (no hashing: the common case), others in a map. */
class OpenOperations {
  private readonly bySlot: (Operation | undefined)[] = [];
  private readonly byId = new Map<ProcessId, Operation>();

  get(process: ProcessId): Operation | undefined {
    return isSlot(process) ? this.bySlot[process] : this.byId.get(process);
  }

  set(process: ProcessId, operation: Operation): void {
    if (isSlot(process)) {
      while (this.bySlot.length < process) this.bySlot.push(undefined);
      this.bySlot[process] = operation;
    } else this.byId.set(process, operation);
  }

  delete(process: ProcessId): void {
    if (isSlot(process)) this.bySlot[process] = undefined;
    else this.byId.delete(process);
  }

  /** Every open operation, emptying the set. */
  take(): Operation[] {
    const open = [...this.bySlot.filter((o) => o !== undefined), ...this.byId.values()];
    this.bySlot.length = 0;
    this.byId.clear();
    return open;
  }
}

function isSlot(process: ProcessId): process is number {
  return typeof process === "number" && process >>> 0 === process && process < MAX_PROCESS_SLOT;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
