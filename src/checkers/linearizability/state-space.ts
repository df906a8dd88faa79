import type { Arena } from "./arena.ts";
import { step, type LinOp, type Model } from "./model.ts";

/** Marks a transition the model forbids. */
export const ILLEGAL = -1;
const UNKNOWN = -2;
/** The id of the state a space starts in (interned first). */
export const INITIAL_STATE = 0;
/** Transitions of the first states live in a flat table (a few MB at most); the rest in a map. */
const DENSE_ENTRIES = 1 << 20;

/**
 * The model's states interned as small integers, with every transition computed once: the
 * search's inner loop then steps by a map lookup, whatever the model, and allocates nothing.
 */
export class StateSpace<S = unknown> {
  private readonly states: S[] = [];
  private readonly ids = new Map<string | number, number>();
  private readonly transitions = new Map<number, number>();
  /** table[id * ops + op] for ids below denseStates. */
  private table: Int32Array;
  private readonly denseStates: number;
  /** Rough bytes held by states and cached transitions (a key's characters stand for its state's size). */
  bytes = 0;

  constructor(
    private readonly model: Model<S>,
    private readonly ops: readonly LinOp[],
    initial: S,
    private readonly arena: Arena,
  ) {
    this.denseStates = Math.max(1, Math.floor(DENSE_ENTRIES / Math.max(1, ops.length)));
    this.table = arena.int32(Math.min(16, this.denseStates) * ops.length).fill(UNKNOWN);
    this.intern(initial);
  }

  /** The id of the state after op `opIndex` from state `id`, or ILLEGAL. An `info` op may also not happen: where its effect is illegal it is a no-op. */
  step(id: number, opIndex: number): number {
    const slot = id * this.ops.length + opIndex;
    const dense = id < this.denseStates;
    const known = dense ? this.table[slot]! : (this.transitions.get(slot) ?? UNKNOWN);
    if (known !== UNKNOWN) return known;
    const op = this.ops[opIndex]!;
    const next = step(this.model, this.states[id]!, op);
    const result = next === undefined ? (op.outcome === "info" ? id : ILLEGAL) : this.intern(next);
    if (dense) this.table[slot] = result;
    else {
      this.transitions.set(slot, result);
      this.bytes += 40;
    }
    return result;
  }

  state(id: number): S {
    return this.states[id]!;
  }

  describe(id: number): string {
    return this.model.describeState(this.states[id]!);
  }

  get size(): number {
    return this.states.length;
  }

  private intern(state: S): number {
    const key = this.model.key(state);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.states.length;
      this.states.push(state);
      this.ids.set(key, id);
      this.bytes += 64 + (typeof key === "string" ? key.length * 4 : 8);
      const rows = this.table.length / Math.max(1, this.ops.length);
      if (id >= rows && id < this.denseStates) {
        const grown = this.arena.int32(Math.min(rows * 2, this.denseStates) * this.ops.length).fill(UNKNOWN);
        grown.set(this.table);
        this.table = grown;
      }
    }
    return id;
  }
}
