import { ConfigurationMemo, FULL, NEW } from "./memo.ts";
import { isReadOnly, type LinOp, type Model } from "./model.ts";
import { ILLEGAL, StateSpace } from "./state-space.ts";

export interface SearchBudget {
  /** Date.now() past which the search gives up (shared by threads, unlike performance.now). */
  deadline?: number;
  /** Bytes the memo of visited configurations may hold (and, apart, the model states met). */
  memoBytes: number;
}

export interface SearchStats {
  /** Iterations of the search loop: candidate steps and backtracks. */
  steps: number;
  /** Configurations remembered. */
  configurations: number;
  /** Most ops linearized at once. */
  deepest: number;
  states: number;
}

/** Indices below are positions in the `ops` array given to `search`. */
export type SearchOutcome =
  | { kind: "linearizable"; stats: SearchStats }
  | {
      kind: "violation";
      /** The op whose completion came before any linearization could take it: the latest such op. */
      culprit: number;
      /** The longest linearization found before the culprit blocked: a valid order. */
      prefix: number[];
      /** The model states the search stood in, each time it found the culprit blocked. */
      states: string[];
      stats: SearchStats;
    }
  | { kind: "budget"; reason: "time" | "memory"; stats: SearchStats };

const MAX_STATES_SHOWN = 8;
/** How many loop iterations pass between clock reads. */
const CLOCK_EVERY = 0x3fff;

/**
 * Wing & Gong's search with Lowe's just-in-time linearization and memo (as in Porcupine):
 * walk the call/return events in real-time order; at a call, try to linearize that op now
 * (remove it and its return from the list, push it); at a return of an op not yet linearized,
 * backtrack. A configuration (linearized set, state) seen before is not explored again.
 * `ret = Infinity` (info, never completed) puts the return after every other event, so the op
 * may take effect at any point, or never (state-space makes an impossible effect a no-op).
 */
export function search<S>(model: Model<S>, ops: readonly LinOp[], initial: S, budget: SearchBudget): SearchOutcome {
  const n = ops.length;
  const space = new StateSpace(model, ops, initial);
  const events = eventOrder(ops);
  // Doubly linked list of events; slot 2n is the head sentinel, -1 the end.
  const HEAD = 2 * n;
  const next = new Int32Array(2 * n + 1);
  const prev = new Int32Array(2 * n + 1);
  const opOf = new Int32Array(2 * n);
  const returnOf = new Int32Array(2 * n).fill(-1);
  const retAt = Float64Array.from(ops, (o) => o.ret);
  // Ops that never change any state (reads with a known result): see `dead` below.
  const readOnly = Uint8Array.from(ops, (o) => (o.outcome !== "info" && isReadOnly(model, o) ? 1 : 0));
  // Ops of unknown outcome are tried only after every op of known outcome failed at a configuration (see `late`).
  const unknown = Uint8Array.from(ops, (o) => (o.outcome === "info" ? 1 : 0));
  let last = HEAD;
  for (const e of events) {
    const slot = e.isCall ? 2 * e.op : 2 * e.op + 1;
    opOf[slot] = e.op;
    if (!e.isCall) returnOf[2 * e.op] = slot;
    next[last] = slot;
    prev[slot] = last;
    last = slot;
  }
  next[last] = -1;

  const words = Math.max(1, Math.ceil(n / 32));
  const bits = new Uint32Array(words);
  const { zobrist1, zobrist2 } = zobristKeys(n);
  const memo = new ConfigurationMemo(words, budget.memoBytes);
  const stackEvent = new Int32Array(n);
  const stackState = new Int32Array(n);
  let depth = 0;
  let state = 0;
  let h1 = 0;
  let h2 = 0;
  let steps = 0;
  let deepest = 0;
  // Evidence: the blocked op with the latest return, the order and states that led there.
  let culprit = -1;
  let culpritRet = -Infinity;
  // The prefix is copied from the stack incrementally: prefixOps[0, copiedUpTo) matches the
  // stack, so a longer snapshot copies only what changed since the last one.
  const prefixOps = new Int32Array(n);
  let prefixLength = 0;
  let copiedUpTo = 0;
  const culpritStates = new Set<number>();
  let event = next[HEAD]!;
  // Set when the current configuration cannot be extended to a full linearization.
  let dead = false;
  // The second walk over a configuration's candidates, for the ops of unknown outcome: they never
  // block, so trying them last keeps the search on the ops that must be placed.
  let late = 0;
  // Ops of unknown outcome not yet linearized: with none left, the second walk could find nothing.
  let unknownLeft = unknown.reduce((sum, u) => sum + u, 0);
  while (next[HEAD] !== -1 || dead) {
    if ((++steps & CLOCK_EVERY) === 0) {
      if (budget.deadline !== undefined && Date.now() > budget.deadline) return { kind: "budget", reason: "time", stats: statsOf(steps, deepest, memo, space) };
      // Large states (sets, queues) weigh more than the memo's fixed-size entries: they share its budget.
      if (space.bytes > budget.memoBytes) return { kind: "budget", reason: "memory", stats: statsOf(steps, deepest, memo, space) };
    }
    if (dead) {
      // Backtrack: undo the last op; a read-only op legal where it was placed could not have been
      // placed better later, so the configuration below it is dead too.
      if (depth === 0) {
        return { kind: "violation", culprit, prefix: Array.from(prefixOps.subarray(0, prefixLength)), states: describeStates(space, culpritStates), stats: statsOf(steps, deepest, memo, space) };
      }
      depth--;
      if (depth < copiedUpTo) copiedUpTo = depth;
      const call = stackEvent[depth]!;
      const op = opOf[call]!;
      const preserved = readOnly[op] === 1;
      state = stackState[depth]!;
      bits[op >>> 5]! &= ~(1 << (op & 31));
      h1 ^= zobrist1[op]!;
      h2 ^= zobrist2[op]!;
      unknownLeft += unknown[op]!;
      unlift(next, prev, returnOf, call);
      if (!preserved) {
        dead = false;
        late = unknown[op]!;
        event = next[call]!;
      }
      continue;
    }
    if (returnOf[event] !== -1) {
      const op = opOf[event]!;
      if (unknown[op] !== late) {
        event = next[event]!;
        continue;
      }
      const after = space.step(state, op);
      if (after !== ILLEGAL) {
        const word = op >>> 5;
        const bit = 1 << (op & 31);
        bits[word]! |= bit;
        const added = memo.add(bits, after, h1 ^ zobrist1[op]!, h2 ^ zobrist2[op]!);
        if (added === NEW) {
          h1 ^= zobrist1[op]!;
          h2 ^= zobrist2[op]!;
          stackEvent[depth] = event;
          stackState[depth] = state;
          depth++;
          if (depth > deepest) deepest = depth;
          state = after;
          unknownLeft -= unknown[op]!;
          lift(next, prev, returnOf, event);
          late = 0;
          event = next[HEAD]!;
          continue;
        }
        bits[word]! &= ~bit;
        if (added === FULL) return { kind: "budget", reason: "memory", stats: statsOf(steps, deepest, memo, space) };
        // A legal read-only op fits now as well as later (moving it earlier breaks no real-time
        // order and changes no state): this configuration stands or falls with it, and with it
        // placed here it was seen to fall.
        if (readOnly[op] === 1) {
          if (culprit === -1) culprit = op;
          dead = true;
          continue;
        }
      }
      event = next[event]!;
      continue;
    }
    // A return of an op not yet linearized: after the second walk, this path is dead.
    if (late === 0 && unknownLeft > 0) {
      late = 1;
      event = next[HEAD]!;
      continue;
    }
    const blocked = opOf[event]!;
    const at = retAt[blocked]!;
    if (at > culpritRet && at !== Infinity) {
      culprit = blocked;
      culpritRet = at;
      prefixLength = 0;
      culpritStates.clear();
    }
    if (culprit === -1) culprit = blocked;
    if (blocked === culprit) {
      if (culpritStates.size < MAX_STATES_SHOWN) culpritStates.add(state);
      if (depth > prefixLength) {
        for (let i = copiedUpTo; i < depth; i++) prefixOps[i] = opOf[stackEvent[i]!]!;
        copiedUpTo = prefixLength = depth;
      }
    }
    dead = true;
  }
  return { kind: "linearizable", stats: statsOf(steps, deepest, memo, space) };
}

function describeStates(space: StateSpace<unknown>, ids: Set<number>): string[] {
  return [...ids].map((id) => space.describe(id));
}

/** A plain function, not a closure: the search loop's variables must not be captured (they would live on the heap). */
function statsOf(steps: number, deepest: number, memo: ConfigurationMemo, space: StateSpace<unknown>): SearchStats {
  return { steps, configurations: memo.count, deepest, states: space.size };
}

/** Removes a call event and its return from the list. Module-level (not closures), so V8 inlines one stable target. */
function lift(next: Int32Array, prev: Int32Array, returnOf: Int32Array, call: number): void {
  const ret = returnOf[call]!;
  next[prev[call]!] = next[call]!;
  if (next[call] !== -1) prev[next[call]!] = prev[call]!;
  next[prev[ret]!] = next[ret]!;
  if (next[ret] !== -1) prev[next[ret]!] = prev[ret]!;
}

/** Puts back what `lift` removed, in reverse order. */
function unlift(next: Int32Array, prev: Int32Array, returnOf: Int32Array, call: number): void {
  const ret = returnOf[call]!;
  if (next[ret] !== -1) prev[next[ret]!] = ret;
  next[prev[ret]!] = ret;
  if (next[call] !== -1) prev[next[call]!] = call;
  next[prev[call]!] = call;
}

interface Event {
  op: number;
  isCall: boolean;
  at: number;
}

/** Calls and returns in real-time order; positions are distinct, and every Infinity return goes last. */
function eventOrder(ops: readonly LinOp[]): Event[] {
  const events: Event[] = [];
  ops.forEach((o, op) => {
    events.push({ op, isCall: true, at: o.call }, { op, isCall: false, at: o.ret });
  });
  return events.sort((a, b) => a.at - b.at || (a.at === b.at ? (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1) : 0));
}

/** Random but fixed per-op keys (a seeded xorshift): the search is deterministic. */
function zobristKeys(n: number): { zobrist1: Int32Array; zobrist2: Int32Array } {
  let x = 0x2545f491;
  const nextRandom = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x | 0;
  };
  const zobrist1 = new Int32Array(n);
  const zobrist2 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    zobrist1[i] = nextRandom();
    zobrist2[i] = nextRandom();
  }
  return { zobrist1, zobrist2 };
}
