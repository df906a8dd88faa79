import { searchArena, type Arena } from "./arena.ts";
import { ConfigurationMemo, FULL, NEW } from "./memo.ts";
import { GrowthWatch } from "./growth.ts";
import { isReadOnly, step, type LinOp, type Model } from "./model.ts";
import { ILLEGAL, INITIAL_STATE, StateSpace } from "./state-space.ts";

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
  /** Model states held: each distinct one the search met (a replay holds one at a time). */
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
      /**
       * Positions in `prefix`'s order of the ops that set those states, read off the order found:
       * for each state, the last op that changed the state into it, and the last op that changed
       * the state at all (its value holds when the culprit runs). In increasing position.
       */
      setters: number[];
      stats: SearchStats;
    }
  | { kind: "budget"; reason: "time" | "memory"; stats: SearchStats };

const MAX_STATES_SHOWN = 8;
/** How the search loop ended. */
const LINEARIZABLE = 0;
const VIOLATION = 1;
const OUT_OF_TIME = 2;
const OUT_OF_MEMORY = 3;
/** How many loop iterations pass between clock reads. */
const CLOCK_EVERY = 0x3fff;
/** The memo's state for a configuration whose state no read can see any more (GrowthWatch.unobserved); never a StateSpace id. */
const UNOBSERVED = 0x7fffffff;

/**
 * Wing & Gong's search with Lowe's just-in-time linearization and memo (as in Porcupine):
 * walk the call/return events in real-time order; at a call, try to linearize that op now
 * (remove it and its return from the list, push it); at a return of an op not yet linearized,
 * backtrack. A configuration (linearized set, state) seen before is not explored again.
 * An op of unknown outcome (info, never completed: `ret = Infinity`) may take effect at any
 * point after its call, or never (state-space makes an impossible effect a no-op): it never
 * blocks, is tried only after the ops of known outcome, never where it would change nothing,
 * and a configuration with more of them placed than one seen with the same state and the same
 * other ops adds nothing (memo.ts). The search is done once every op of known outcome is placed.
 * Steps count loop iterations: a candidate tried, or a backtrack (with the block that caused it).
 * Ops that follow one another in real time have one order, and are replayed in it instead.
 */
export function search<S>(model: Model<S>, ops: readonly LinOp[], initial: S, budget: SearchBudget): SearchOutcome {
  return replayInOrder(model, ops, initial, budget) ?? searchOrders(model, ops, initial, budget);
}

/**
 * The search for ops that follow one another, each returning before the next is called, every
 * outcome known: real time then allows one order, which the search would walk and, at the first
 * op the model refuses, backtrack from to nothing. Walking it once gives the same outcome
 * without the search's setup (its arrays, memo and state space cost more than a few ops do, and
 * most keys of a one-client kv history are a handful of such ops). Undefined when ops overlap.
 */
function replayInOrder<S>(model: Model<S>, ops: readonly LinOp[], initial: S, budget: SearchBudget): SearchOutcome | undefined {
  const n = ops.length;
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    if (op.outcome === "info" || !(op.call <= op.ret && op.ret < Infinity) || (i > 0 && !(op.call > ops[i - 1]!.ret))) return undefined;
  }
  let state = initial;
  for (let i = 0; i < n; i++) {
    if ((i & CLOCK_EVERY) === CLOCK_EVERY && budget.deadline !== undefined && Date.now() > budget.deadline) return { kind: "budget", reason: "time", stats: replayStats(i, i) };
    const after = step(model, state, ops[i]!);
    if (after === undefined) {
      const prefix = Array.from({ length: i }, (_, j) => j);
      return { kind: "violation", culprit: i, prefix, states: [model.describeState(state)], setters: lastChangeIn(model, ops, initial, i), stats: replayStats(i + 1, i) };
    }
    state = after;
  }
  return { kind: "linearizable", stats: replayStats(n, n) };
}

/** A replay's stats: each op tried is a step, each prefix placed a configuration; one state held at a time. */
function replayStats(steps: number, placed: number): SearchStats {
  return { steps, configurations: placed, deepest: placed, states: 1 };
}

/**
 * settersOf for a replay stopped at op `end`: the state then was set by the last op before it
 * that changed the state, if any. A second walk, on a violation only, so a replay that passes
 * never keys a state.
 */
function lastChangeIn<S>(model: Model<S>, ops: readonly LinOp[], initial: S, end: number): number[] {
  let last = -1;
  let state = initial;
  let key = model.key(state);
  for (let i = 0; i < end; i++) {
    state = step(model, state, ops[i]!)!;
    const after = model.key(state);
    if (after !== key) last = i;
    key = after;
  }
  return last === -1 ? [] : [last];
}

/** The search proper, for ops that real time leaves more than one order. */
export function searchOrders<S>(model: Model<S>, ops: readonly LinOp[], initial: S, budget: SearchBudget): SearchOutcome {
  const n = ops.length;
  const arena = searchArena.reset();
  const space = new StateSpace(model, ops, initial, arena);
  const events = eventOrder(ops, arena);
  // Two doubly linked lists over event slots (2·op a call, 2·op + 1 its return), in real-time
  // order: from HEAD, the calls and returns of ops of known outcome; from LATE, the calls of ops
  // of unknown outcome, tried at a configuration only after every op of known outcome failed there
  // (they never block, so trying them last keeps the search on the ops that must be placed). An op
  // of unknown outcome needs no return in any list: once every op of known outcome is placed, the
  // rest fit at the end (or never happened).
  const HEAD = 2 * n;
  const LATE = 2 * n + 1;
  const next = arena.int32(2 * n + 2);
  const prev = arena.int32(2 * n + 2);
  /** Position of each event slot in real-time order: the late walk stops at the first pending return. */
  const rank = arena.int32(2 * n);
  // Ops that never change any state (reads with a known result): see `dead` below.
  const readOnly = arena.uint8(n);
  const unknown = arena.uint8(n);
  let knownLeft = 0;
  for (let op = 0; op < n; op++) {
    const o = ops[op]!;
    if (o.outcome === "info") unknown[op] = 1;
    else {
      knownLeft++;
      if (isReadOnly(model, o)) readOnly[op] = 1;
    }
  }
  let last = HEAD;
  let lastLate = LATE;
  for (let i = 0; i < events.length; i++) {
    const slot = events[i]!;
    rank[slot] = i;
    const op = slot >>> 1;
    if (unknown[op] === 1 && (slot & 1) === 1) continue;
    if (unknown[op] === 1) {
      next[lastLate] = slot;
      prev[slot] = lastLate;
      lastLate = slot;
    } else {
      next[last] = slot;
      prev[slot] = last;
      last = slot;
    }
  }
  next[last] = -1;
  next[lastLate] = -1;
  const words = Math.max(1, Math.ceil(n / 32));
  const bits = arena.uint32(words);
  const watch = GrowthWatch.of(model.grows, ops, events, readOnly, bits, arena);
  const { zobrist1, zobrist2 } = zobristKeys(n);
  // Ops of unknown outcome are optional to the memo (compared by inclusion), and left out of its third hash.
  const knownKey = arena.int32(n);
  const optional = arena.uint32(words);
  for (let op = 0; op < n; op++) {
    if (unknown[op] === 1) optional[op >>> 5]! |= 1 << (op & 31);
    else knownKey[op] = zobrist1[op]!;
  }
  const memo = new ConfigurationMemo(words, budget.memoBytes, optional, arena);
  const stackEvent = arena.int32(n);
  const stackState = arena.int32(n);
  // The pending return that bounded the late walk an op was placed in.
  const stackBound = arena.int32(n);
  let depth = 0;
  let state = INITIAL_STATE;
  let h1 = 0;
  let h2 = 0;
  let k = 0;
  let steps = 0;
  let deepest = 0;
  // Evidence: the blocked op with the latest return, the order and states that led there.
  let culprit = -1;
  let culpritRet = -Infinity;
  // The prefix is copied from the stack incrementally: prefixOps[0, copiedUpTo) matches the
  // stack, so a longer snapshot copies only what changed since the last one.
  const prefixOps = arena.int32(n);
  let prefixLength = 0;
  let copiedUpTo = 0;
  const culpritStates = new Set<number>();
  let exit = VIOLATION;
  let event = next[HEAD]!;
  // Walking the LATE list, up to the pending return `bound`.
  let walkingLate = false;
  let bound = -1;
  // Set when the current configuration cannot be extended to a full linearization.
  let dead = false;
  // Set on entering a configuration whose state changed: a growing state checks its pending reads there.
  let grown = false;
  if (knownLeft === 0) exit = LINEARIZABLE;
  while (exit === VIOLATION) {
    if ((++steps & CLOCK_EVERY) === 0) {
      if (budget.deadline !== undefined && Date.now() > budget.deadline) {
        exit = OUT_OF_TIME;
        break;
      }
      // Large states (sets, queues) weigh more than the memo's fixed-size entries: they share its budget.
      if (space.bytes > budget.memoBytes) {
        exit = OUT_OF_MEMORY;
        break;
      }
    }
    if (!dead) {
      let blocked = -1;
      if (grown) {
        grown = false;
        if (watch.active) blocked = watch.unreachableRead(space.state(state));
      }
      if (blocked === -1 && !walkingLate && (event & 1) === 1) {
        // The first pending return: the candidates of unknown outcome called before it come next.
        walkingLate = true;
        bound = event;
        event = next[LATE]!;
      }
      // Every candidate failed: this configuration is dead, and the op whose return bounds it blocked.
      if (blocked === -1 && walkingLate && (event === -1 || rank[event]! > rank[bound]!)) blocked = bound >>> 1;
      if (blocked !== -1) {
        const at = ops[blocked]!.ret;
        if (at > culpritRet) {
          culprit = blocked;
          culpritRet = at;
          prefixLength = 0;
          culpritStates.clear();
        }
        if (blocked === culprit) {
          if (culpritStates.size < MAX_STATES_SHOWN) culpritStates.add(state);
          if (depth > prefixLength) {
            for (let i = copiedUpTo; i < depth; i++) prefixOps[i] = stackEvent[i]! >>> 1;
            copiedUpTo = prefixLength = depth;
          }
        }
        dead = true;
      } else {
        const op = event >>> 1;
        const after = space.step(state, op);
        // An op of unknown outcome that would leave the state as it is adds nothing: leaving it
        // pending keeps every path open (it never blocks, and fits at the end or never happens).
        if (after !== ILLEGAL && (after !== state || unknown[op] === 0)) {
          const word = op >>> 5;
          const bit = 1 << (op & 31);
          bits[word]! |= bit;
          watch.place(op);
          // A state no read can see any more is remembered as one: configurations differing only in it stand or fall together.
          const added = memo.add(bits, watch.unobserved(space.state(after)) ? UNOBSERVED : after, h1 ^ zobrist1[op]!, h2 ^ zobrist2[op]!, k ^ knownKey[op]!);
          if (added === NEW) {
            h1 ^= zobrist1[op]!;
            h2 ^= zobrist2[op]!;
            k ^= knownKey[op]!;
            stackEvent[depth] = event;
            stackState[depth] = state;
            stackBound[depth] = bound;
            depth++;
            if (depth > deepest) deepest = depth;
            grown = after !== state;
            state = after;
            knownLeft -= 1 - unknown[op]!;
            if (knownLeft === 0) {
              exit = LINEARIZABLE;
              break;
            }
            lift(next, prev, event, unknown[op] === 0);
            walkingLate = false;
            event = next[HEAD]!;
            continue;
          }
          bits[word]! &= ~bit;
          watch.unplace(op);
          if (added === FULL) {
            exit = OUT_OF_MEMORY;
            break;
          }
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
    }
    // Backtrack: undo the last op; a read-only op legal where it was placed could not have been
    // placed better later, so the configuration below it is dead too.
    if (depth === 0) break;
    depth--;
    if (depth < copiedUpTo) copiedUpTo = depth;
    const call = stackEvent[depth]!;
    const op = call >>> 1;
    state = stackState[depth]!;
    bits[op >>> 5]! &= ~(1 << (op & 31));
    h1 ^= zobrist1[op]!;
    h2 ^= zobrist2[op]!;
    k ^= knownKey[op]!;
    knownLeft += 1 - unknown[op]!;
    unlift(next, prev, call, unknown[op] === 0);
    watch.unplace(op);
    grown = false;
    if (readOnly[op] === 0) {
      dead = false;
      walkingLate = unknown[op] === 1;
      bound = stackBound[depth]!;
      event = next[call]!;
    }
  }
  return outcomeOf(exit, { steps, configurations: memo.count, deepest, states: space.size }, culprit, prefixOps.subarray(0, prefixLength), space, culpritStates);
}

/**
 * The search's result, built in one place: every exit of the loop reaches this one call, so
 * the optimised loop never meets a call site it has no feedback for (a search ending valid
 * after one ending invalid used to deoptimise it, once per search in a batch).
 */
function outcomeOf(exit: number, stats: SearchStats, culprit: number, prefix: Int32Array, space: StateSpace<unknown>, culpritStates: Set<number>): SearchOutcome {
  switch (exit) {
    case VIOLATION: {
      const states: string[] = [];
      for (const id of culpritStates) states.push(space.describe(id));
      return { kind: "violation", culprit, prefix: Array.from(prefix), states, setters: settersOf(space, prefix, culpritStates), stats };
    }
    case OUT_OF_TIME:
      return { kind: "budget", reason: "time", stats };
    case OUT_OF_MEMORY:
      return { kind: "budget", reason: "memory", stats };
    default:
      return { kind: "linearizable", stats };
  }
}

/**
 * The ops of `prefix` that set `wanted` (state ids), replayed through the transitions the search
 * already made: ids, not states, so nothing is built or hashed again (equal states share an id).
 */
function settersOf(space: StateSpace<unknown>, prefix: Int32Array, wanted: ReadonlySet<number>): number[] {
  const setBy = new Map<number, number>();
  let lastChange = -1;
  let state = INITIAL_STATE;
  for (let i = 0; i < prefix.length; i++) {
    const op = prefix[i]!;
    const after = space.step(state, op);
    // The prefix is a valid order, so every op in it takes effect; stop rather than guess if not.
    if (after === ILLEGAL) break;
    if (after !== state) {
      lastChange = op;
      if (wanted.has(after)) setBy.set(after, op);
    }
    state = after;
  }
  const setters = new Set<number>();
  for (const id of wanted) if (setBy.has(id)) setters.add(setBy.get(id)!);
  if (lastChange !== -1) setters.add(lastChange);
  return [...setters].sort((a, b) => a - b);
}

/** Removes a call event (and its return, if listed) from its list. Module-level (not closures), so V8 inlines one stable target. */
function lift(next: Int32Array, prev: Int32Array, call: number, withReturn: boolean): void {
  remove(next, prev, call);
  if (withReturn) remove(next, prev, call + 1);
}

/** Puts back what `lift` removed, in reverse order. */
function unlift(next: Int32Array, prev: Int32Array, call: number, withReturn: boolean): void {
  if (withReturn) restore(next, prev, call + 1);
  restore(next, prev, call);
}

function remove(next: Int32Array, prev: Int32Array, slot: number): void {
  next[prev[slot]!] = next[slot]!;
  if (next[slot] !== -1) prev[next[slot]!] = prev[slot]!;
}

function restore(next: Int32Array, prev: Int32Array, slot: number): void {
  if (next[slot] !== -1) prev[next[slot]!] = slot;
  next[prev[slot]!] = slot;
}

/**
 * Event slots (2·op for a call, 2·op + 1 for its return) in real-time order; positions are
 * distinct, and every Infinity return goes last. At equal times calls come first, then lower ops.
 */
export function eventOrder(ops: readonly LinOp[], arena: Arena): Int32Array {
  const n = ops.length;
  const slots = arena.int32(2 * n);
  return mergedEventOrder(ops, slots, arena) ?? packedEventOrder(ops, slots, arena) ?? comparedEventOrder(ops, slots, arena);
}

/** Element moves the insertion sort of returns may make per op before the merge gives way to a full sort. */
const MERGE_SHIFTS_PER_OP = 16;

/**
 * eventOrder for ops given in call order, as a part's are: only the returns need sorting, and
 * ops return nearly in the order they were called, so an insertion sort (stable: equal returns
 * stay in op order) takes a few moves each; then calls and returns merge, calls first at equal
 * times. Undefined when calls are out of order, a time is NaN, or the returns are too far out of
 * order (MERGE_SHIFTS_PER_OP).
 */
function mergedEventOrder(ops: readonly LinOp[], slots: Int32Array, arena: Arena): Int32Array | undefined {
  const n = ops.length;
  const returns = arena.int32(n);
  const returnAt = arena.float64(n);
  let finite = 0;
  let shiftsLeft = MERGE_SHIFTS_PER_OP * n;
  let lastCall = -Infinity;
  for (let op = 0; op < n; op++) {
    const { call, ret } = ops[op]!;
    if (!(call >= lastCall) || Number.isNaN(ret)) return undefined;
    lastCall = call;
    if (ret === Infinity) continue;
    let i = finite++;
    for (; i > 0 && returnAt[i - 1]! > ret; i--) {
      if (--shiftsLeft < 0) return undefined;
      returns[i] = returns[i - 1]!;
      returnAt[i] = returnAt[i - 1]!;
    }
    returns[i] = op;
    returnAt[i] = ret;
  }
  let at = 0;
  let r = 0;
  for (let op = 0; op < n; op++) {
    const call = ops[op]!.call;
    for (; r < finite && returnAt[r]! < call; r++) slots[at++] = 2 * returns[r]! + 1;
    slots[at++] = 2 * op;
  }
  for (; r < finite; r++) slots[at++] = 2 * returns[r]! + 1;
  for (let op = 0; op < n; op++) if (ops[op]!.ret === Infinity) slots[at++] = 2 * op + 1;
  return slots;
}

/**
 * eventOrder as one numeric sort, without a comparator (its call back into JS per comparison
 * was a tenth of checking a kv log): each finite event is the number time·2n + tiebreak, which
 * holds the slot; Infinity returns follow in op order. Undefined when times are not small
 * non-negative integers (history positions always are), where the number would not be exact.
 */
function packedEventOrder(ops: readonly LinOp[], slots: Int32Array, arena: Arena): Int32Array | undefined {
  const n = ops.length;
  const width = 2 * n;
  const keys = arena.float64(width);
  let finite = 0;
  for (let op = 0; op < n; op++) {
    const { call, ret } = ops[op]!;
    if (!exactTime(call, width)) return undefined;
    keys[finite++] = call * width + op;
    if (ret === Infinity) continue;
    if (!exactTime(ret, width)) return undefined;
    keys[finite++] = ret * width + n + op;
  }
  keys.subarray(0, finite).sort();
  for (let i = 0; i < finite; i++) {
    const tiebreak = keys[i]! % width;
    slots[i] = tiebreak < n ? 2 * tiebreak : 2 * (tiebreak - n) + 1;
  }
  let at = finite;
  for (let op = 0; op < n; op++) if (ops[op]!.ret === Infinity) slots[at++] = 2 * op + 1;
  return slots;
}

function exactTime(time: number, width: number): boolean {
  return Number.isInteger(time) && time >= 0 && time * width < Number.MAX_SAFE_INTEGER;
}

function comparedEventOrder(ops: readonly LinOp[], slots: Int32Array, arena: Arena): Int32Array {
  const at = arena.float64(2 * ops.length);
  for (let op = 0; op < ops.length; op++) {
    at[2 * op] = ops[op]!.call;
    at[2 * op + 1] = ops[op]!.ret;
    slots[2 * op] = 2 * op;
    slots[2 * op + 1] = 2 * op + 1;
  }
  return slots.sort((a, b) => at[a]! - at[b]! || (a & 1) - (b & 1) || a - b);
}

/**
 * Drops what searches keep between them, the arena and the per-op keys (1.3 MB after a few
 * searches), for a process about to be snapshotted: the start-up snapshot would carry them, and
 * each start would pay to read them back. The next search makes them again.
 */
export function releaseSearchMemory(): void {
  searchArena.release();
  zobrist = NO_KEYS;
}

/** No per-op keys yet: the first search makes them. */
const NO_KEYS = { zobrist1: new Int32Array(0), zobrist2: new Int32Array(0) };
/** Random but fixed per-op keys (a seeded xorshift): the search is deterministic. The same for every search, so made once and grown on demand. */
let zobrist = NO_KEYS;

function zobristKeys(n: number): { zobrist1: Int32Array; zobrist2: Int32Array } {
  if (zobrist.zobrist1.length >= n) return zobrist;
  const size = Math.max(n, 2 * zobrist.zobrist1.length, 1024);
  const zobrist1 = new Int32Array(size);
  const zobrist2 = new Int32Array(size);
  let x = 0x2545f491;
  for (let i = 0; i < 2 * size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    if ((i & 1) === 0) zobrist1[i >>> 1] = x | 0;
    else zobrist2[i >>> 1] = x | 0;
  }
  zobrist = { zobrist1, zobrist2 };
  return zobrist;
}
