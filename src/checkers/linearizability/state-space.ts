import type { LinOp, Model } from "./model.ts";

/** Marks a transition the model forbids. */
export const ILLEGAL = -1;

/**
 * The model's states interned as small integers, with every transition computed once: the
 * search's inner loop then steps by a map lookup, whatever the model, and allocates nothing.
 */
export class StateSpace<S = unknown> {
  private readonly states: S[] = [];
  private readonly ids = new Map<string | number, number>();
  private readonly transitions = new Map<number, number>();

  constructor(
    private readonly model: Model<S>,
    private readonly ops: readonly LinOp[],
    initial: S,
  ) {
    this.intern(initial);
  }

  /** The id of the state after op `opIndex` from state `id`, or ILLEGAL. An `info` op may also not happen: where its effect is illegal it is a no-op. */
  step(id: number, opIndex: number): number {
    const slot = id * this.ops.length + opIndex;
    const known = this.transitions.get(slot);
    if (known !== undefined) return known;
    const op = this.ops[opIndex]!;
    const next = this.model.step(this.states[id]!, op);
    const result = next === undefined ? (op.outcome === "info" ? id : ILLEGAL) : this.intern(next);
    this.transitions.set(slot, result);
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
    }
    return id;
  }
}
