import type { Arena } from "./arena.ts";
import type { Growth, LinOp } from "./model.ts";

/**
 * Reads looked at per check, the first called: the state meets them first. Two keep nearly all
 * the pruning (50-client kv histories: 0-10% more steps than looking at every read) for a
 * fraction of the cost on small parts.
 */
const READS_LOOKED = 2;
/**
 * Rescuers listed at most over a part's reads (each read's are found the first time it is looked
 * at, by one pass over the resets called before it returns): past it, a read's are not listed and
 * it is taken as one a reset can still satisfy, which only prunes less. Resets that every read
 * could grow from (puts of "") would otherwise make a list of every (read, reset) pair.
 */
const MAX_RESCUERS = 1 << 22;
/** `from[read]` for a read whose rescuers were not listed (MAX_RESCUERS). */
const NOT_LISTED = -2;

/**
 * Ops not yet placed, in a fixed order, as a doubly linked list over op indices (slot n the
 * head): removing and restoring in stack order is O(1), and the first is at hand.
 */
class OpList {
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: number;

  constructor(n: number, order: readonly number[], arena: Arena) {
    this.head = n;
    this.next = arena.int32(n + 1).fill(-1);
    this.prev = arena.int32(n + 1);
    let last = n;
    for (const op of order) {
      this.next[last] = op;
      this.prev[op] = last;
      last = op;
    }
  }

  first(): number {
    return this.next[this.head]!;
  }

  after(op: number): number {
    return this.next[op]!;
  }

  remove(op: number): void {
    this.next[this.prev[op]!] = this.next[op]!;
    if (this.next[op] !== -1) this.prev[this.next[op]!] = this.prev[op]!;
  }

  restore(op: number): void {
    if (this.next[op] !== -1) this.prev[this.next[op]!] = op;
    this.next[this.prev[op]!] = op;
  }
}

/**
 * What the search knows of a growing state (`Model.grows`: only read-only ops observe it, every
 * other op is legal anywhere, and a reset sets it whatever it was) from the reads and resets not
 * yet placed. Two facts prune: a read that the state can no longer grow into, and that no reset
 * still to come could satisfy, makes the configuration dead; and when every read left must follow
 * a reset still to come, the state's content can never be observed, so configurations that differ
 * only in it are one (concurrent appends overwritten by a put, in any of their orders).
 */
export class GrowthWatch<S> {
  private readonly knownResetsByReturn: OpList;
  private readonly readsByCall: OpList;
  private readonly read: Uint8Array;
  private readonly reset: Uint8Array;
  /**
   * For each read, the resets called before it returns (or as it does: at equal times a call
   * comes first, so the two are concurrent) whose state it can grow into:
   * rescuers[from[r] … to[r]), found the first time the read is looked at (from[r] = -1 until
   * then): most reads never are, and a part's reads and resets are many pairs.
   */
  private readonly rescuers: number[] = [];
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  /** The resets (op order) and the states they set; resetsByCall indexes them in call order. */
  private readonly resetOps: readonly number[];
  private readonly resetStates: readonly S[];
  private readonly resetsByCall: number[];
  /** Each op's call and return, unboxed for the loops below. */
  private readonly callAt: Float64Array;
  private readonly returnAt: Float64Array;

  /** Whether it prunes at all: not for a model without growing states. */
  readonly active: boolean;
  /** The last reachability asked, (state, read) → answer: a configuration entered is asked about its first read twice, by unobserved and then unreachableRead. */
  private askedState: S | undefined;
  private askedRead = -1;
  private askedAnswer = false;

  /**
   * The watch of a part, inactive when it cannot help. Every search has one, of this one class,
   * so the search's optimised code never meets a second kind (a kv part after register parts).
   */
  static of<S>(grows: Growth<S> | undefined, ops: readonly LinOp[], events: Int32Array, readOnly: Uint8Array, placed: Uint32Array, arena: Arena): GrowthWatch<S> {
    // Each op's reset state, found once: resetOps[i] (in op order) sets resetStates[i].
    const resetOps: number[] = [];
    const resetStates: S[] = [];
    for (let op = 0; grows !== undefined && op < ops.length; op++) {
      if (readOnly[op] === 1) continue;
      const state = grows.reset(ops[op]!);
      if (state === undefined) continue;
      resetOps.push(op);
      resetStates.push(state);
    }
    return new GrowthWatch(grows, ops, events, readOnly, placed, arena, resetOps, resetStates);
  }

  /**
   * `events`: call (2·op) and return (2·op + 1) slots in real-time order; `readOnly`: the reads of
   * known outcome; `placed`: the search's bitset of placed ops, read as it changes; `resetOps`
   * and `resetStates`: the resets, in op order, and the states they set.
   */
  private constructor(
    private readonly grows: Growth<S> | undefined,
    private readonly ops: readonly LinOp[],
    events: Int32Array,
    readOnly: Uint8Array,
    private readonly placed: Uint32Array,
    arena: Arena,
    resetOps: readonly number[],
    resetStates: readonly S[],
  ) {
    this.active = grows !== undefined;
    // An inactive watch holds nothing (a 10M-op register history allocates no tables here).
    const n = this.active ? ops.length : 0;
    this.callAt = arena.float64(n);
    this.returnAt = arena.float64(n);
    this.read = readOnly;
    this.reset = arena.uint8(n);
    for (let op = 0; op < n; op++) {
      this.callAt[op] = ops[op]!.call;
      this.returnAt[op] = ops[op]!.ret;
    }
    const knownResetsByReturn: number[] = [];
    const readsByCall: number[] = [];
    // Indices into resetOps, in call order: rescued() looks at the latest called first.
    const resetsByCall: number[] = [];
    if (grows !== undefined) {
      const resetIndex = arena.int32(n);
      for (let r = 0; r < resetOps.length; r++) {
        this.reset[resetOps[r]!] = 1;
        resetIndex[resetOps[r]!] = r;
      }
      for (const slot of events) {
        const op = slot >>> 1;
        if ((slot & 1) === 0) {
          if (readOnly[op] === 1) readsByCall.push(op);
          else if (this.reset[op] === 1) resetsByCall.push(resetIndex[op]!);
        } else if (this.reset[op] === 1 && ops[op]!.outcome !== "info") knownResetsByReturn.push(op);
      }
    }
    this.knownResetsByReturn = new OpList(n, knownResetsByReturn, arena);
    this.readsByCall = new OpList(n, readsByCall, arena);
    this.from = arena.int32(n).fill(-1);
    this.to = arena.int32(n);
    this.resetsByCall = resetsByCall;
    this.resetOps = resetOps;
    this.resetStates = resetStates;
  }

  place(op: number): void {
    if (!this.active) return;
    if (this.read[op] === 1) {
      this.readsByCall.remove(op);
    } else if (this.reset[op] === 1 && this.ops[op]!.outcome !== "info") this.knownResetsByReturn.remove(op);
  }

  /** Undoes `place(op)`; calls come in stack order. */
  unplace(op: number): void {
    if (!this.active) return;
    if (this.read[op] === 1) {
      this.readsByCall.restore(op);
    } else if (this.reset[op] === 1 && this.ops[op]!.outcome !== "info") this.knownResetsByReturn.restore(op);
  }

  /**
   * A read not yet placed that `state` can no longer grow into and that no reset still to come
   * can satisfy, of the first READS_LOOKED called; or -1. Reads called after a reset of known
   * outcome not yet placed returned cannot see `state` (that reset comes between).
   */
  unreachableRead(state: S): number {
    if (this.grows === undefined) return -1;
    const reset = this.knownResetsByReturn.first();
    const until = reset === -1 ? Infinity : this.returnAt[reset]!;
    let looked = 0;
    for (let op = this.readsByCall.first(); op !== -1 && this.callAt[op]! < until && looked < READS_LOOKED; op = this.readsByCall.after(op), looked++) {
      if (!this.reachable(state, op) && !this.rescued(op)) return op;
    }
    return -1;
  }

  /**
   * Whether no read not yet placed can see `state` (or one it grows into): each is called once
   * a reset of known outcome not yet placed has returned, or `state` cannot grow into what it
   * returned, so a reset must come before it. Then configurations differing only in their state
   * stand or fall together (every other op is legal in any state, and after the next reset the
   * states are the same): concurrent appends that a put will overwrite, in any order.
   */
  unobserved(state: S): boolean {
    if (this.grows === undefined) return false;
    const reset = this.knownResetsByReturn.first();
    const until = reset === -1 ? Infinity : this.returnAt[reset]!;
    // The first read called is usually one the state can grow into, or one that nothing left can
    // satisfy, which unreachableRead is about to find (the configuration is dead, however it is
    // remembered): one look or two.
    let looked = 0;
    for (let op = this.readsByCall.first(); op !== -1 && this.callAt[op]! <= until; op = this.readsByCall.after(op), looked++) {
      if (this.reachable(state, op) || (looked < READS_LOOKED && !this.rescued(op))) return false;
    }
    return true;
  }

  private reachable(state: S, read: number): boolean {
    if (state !== this.askedState || read !== this.askedRead) {
      this.askedState = state;
      this.askedRead = read;
      this.askedAnswer = this.grows!.reachable(state, this.ops[read]!);
    }
    return this.askedAnswer;
  }

  private rescued(read: number): boolean {
    if (this.from[read] === -1) this.findRescuers(read);
    if (this.from[read] === NOT_LISTED) return true;
    // The latest called first: the earlier ones are the likelier to be placed already.
    for (let i = this.to[read]! - 1; i >= this.from[read]!; i--) {
      const reset = this.rescuers[i]!;
      if ((this.placed[reset >>> 5]! & (1 << (reset & 31))) === 0) return true;
    }
    return false;
  }

  private findRescuers(read: number): void {
    const op = this.ops[read]!;
    const from = this.rescuers.length;
    for (const r of this.resetsByCall) {
      const reset = this.resetOps[r]!;
      if (this.callAt[reset]! > this.returnAt[read]!) break;
      if (!this.grows!.reachable(this.resetStates[r]!, op)) continue;
      this.rescuers.push(reset);
      // Stopped at the bound, not listed in full and cut back.
      if (this.rescuers.length > MAX_RESCUERS) {
        this.rescuers.length = from;
        this.from[read] = NOT_LISTED;
        return;
      }
    }
    this.from[read] = from;
    this.to[read] = this.rescuers.length;
  }
}
