import { opName, valueKey, type LinOp, type Model } from "./model.ts";
import { search, type SearchBudget, type SearchOutcome, type SearchStats } from "./search.ts";

/** Models whose ops are one register's read, write and cas: the only ones segmented. */
const REGISTERS: ReadonlySet<string> = new Set(["register", "cas-register"]);
/** The memo holds each configuration as a bitset of every op: below this many configurations, a part is searched in segments. */
const MEMO_CONFIGURATIONS = 1 << 16;
/** Segments end at the first quiescent point past this many ops: each costs a few searches, so not one per op. */
const SEGMENT_OPS = 2048;

/** What `searchInSegments` found: the search outcome, over the ops and from the state it names (a segment's, for a violation). */
export interface SegmentedOutcome {
  outcome: SearchOutcome;
  ops: LinOp[];
  initial: unknown;
}

/**
 * A register or cas-register part too large for the memo (each configuration a bitset of all
 * its ops) checked in segments cut where no op is open, carrying the states possible at each
 * cut into the next segment: linearizable iff some state survives the last one. Cuts need
 * every op's return bounded, so it applies only when written values are unique (then an `info`
 * write or cas whose value nobody saw may be taken as never done, and one whose value was seen
 * happened before the first return of an op that saw it) and no failed op is kept. Undefined
 * when it does not apply: the caller searches the part whole.
 */
export function searchInSegments(model: Model, ops: readonly LinOp[], initial: unknown, budget: SearchBudget, segmentOps = SEGMENT_OPS): SegmentedOutcome | undefined {
  if (!REGISTERS.has(model.name)) return undefined;
  const bounded = boundedReturns(ops, initial);
  if (!bounded) return undefined;
  const stats: SearchStats = { steps: 0, configurations: 0, deepest: 0, states: 0 };
  const run = (segment: LinOp[], from: unknown): SearchOutcome => {
    const outcome = search(model, segment, model.init(from), budget);
    stats.steps += outcome.stats.steps;
    stats.configurations += outcome.stats.configurations;
    stats.deepest = Math.max(stats.deepest, outcome.stats.deepest);
    stats.states = Math.max(stats.states, outcome.stats.states);
    return outcome;
  };
  let states: unknown[] = [initial];
  for (const segment of segmentsOf(bounded, segmentOps)) {
    const ends = new Map<string | number, unknown>();
    for (const from of states) {
      for (const end of possibleEnds(segment, from)) {
        if (ends.has(valueKey(end))) continue;
        const outcome = run([...segment, finalRead(segment, end)], from);
        if (outcome.kind === "budget") return { outcome: { ...outcome, stats }, ops: segment, initial: from };
        if (outcome.kind === "linearizable") ends.set(valueKey(end), end);
      }
    }
    if (ends.size === 0) {
      // No state survives: the segment cannot be linearized from any state it may start in; the first one's search says where.
      const outcome = run(segment, states[0]);
      return { outcome: { ...outcome, stats }, ops: segment, initial: states[0] };
    }
    states = [...ends.values()];
  }
  return { outcome: { kind: "linearizable", stats }, ops: bounded, initial };
}

/** Whether the memo would hold too few configurations of a part of `ops` ops to search it whole. */
export function memoTooSmall(ops: number, memoBytes: number): boolean {
  const entryBytes = (Math.ceil(ops / 32) + 3) * 4 + 8;
  return memoBytes / entryBytes < MEMO_CONFIGURATIONS;
}

/** The value a write or cas leaves, or undefined for a read. */
function written(op: LinOp): unknown {
  const f = opName(op.f);
  if (f === "write") return op.input ?? null;
  if (f === "cas" && Array.isArray(op.input)) return op.input[1] ?? null;
  return undefined;
}

/** The value a read returned or a cas compared with, when it did either for sure (ok). */
function seen(op: LinOp): unknown {
  const f = opName(op.f);
  if (f === "read") return op.output ?? null;
  if (f === "cas" && Array.isArray(op.input)) return op.input[0] ?? null;
  return undefined;
}

/**
 * The ops with every return finite: an `info` write or cas whose value was never seen is left
 * out (taken as never done; nothing could tell), one whose value was seen becomes `ok`, returning
 * by the first return of an op that saw it (or saw a value only it led to, through cas). Undefined
 * when some value is written twice (or is the initial value), an op is not a read, write or
 * cas, or a failed op is kept.
 */
function boundedReturns(ops: readonly LinOp[], initial: unknown): LinOp[] | undefined {
  const producer = new Map<string | number, number>();
  producer.set(valueKey(initial ?? null), -1);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.outcome === "fail" || !["read", "write", "cas"].includes(opName(op.f))) return undefined;
    const value = written(op);
    if (value === undefined) continue;
    const key = valueKey(value);
    if (producer.has(key)) return undefined;
    producer.set(key, i);
  }
  // By: the return before which the op producing each value must have happened, propagated back through info cas.
  const by = new Float64Array(ops.length).fill(Infinity);
  const pending: number[] = [];
  const bound = (value: unknown, at: number): void => {
    const p = producer.get(valueKey(value));
    if (p === undefined || p === -1 || by[p]! <= at) return;
    by[p] = at;
    pending.push(p);
  };
  for (const op of ops) if (op.outcome === "ok" && opName(op.f) !== "write") bound(seen(op), op.ret);
  while (pending.length > 0) {
    const p = pending.pop()!;
    // An info cas that must have happened saw its old value before its own bound.
    if (ops[p]!.outcome === "info" && opName(ops[p]!.f) === "cas") bound(seen(ops[p]!), by[p]!);
  }
  const bounded: LinOp[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.outcome !== "info") bounded.push(op);
    else if (by[i]! < Infinity) {
      // Seen before it could have begun: no order fits; the whole search says so.
      if (by[i]! <= op.call) return undefined;
      bounded.push({ ...op, outcome: "ok", ret: by[i]! });
    }
  }
  return bounded;
}

/** Runs of ops (in invocation order) between quiescent points, each at least `length` long but the last. */
function* segmentsOf(ops: readonly LinOp[], length: number): Generator<LinOp[]> {
  let start = 0;
  let lastReturn = -Infinity;
  for (let i = 0; i < ops.length; i++) {
    lastReturn = Math.max(lastReturn, ops[i]!.ret);
    const next = ops[i + 1];
    if (next === undefined || (i + 1 - start >= length && lastReturn < next.call)) {
      yield ops.slice(start, i + 1);
      start = i + 1;
    }
  }
}

/** The values a segment may leave: the last write or cas placed is one no other write or cas began after; none, the state it started in. */
function possibleEnds(segment: readonly LinOp[], from: unknown): unknown[] {
  const mutations = segment.filter((op) => written(op) !== undefined);
  if (mutations.length === 0) return [from];
  const lastCall = mutations.reduce((latest, op) => Math.max(latest, op.call), -Infinity);
  return mutations.filter((op) => op.ret > lastCall || op.call === lastCall).map(written);
}

/** A read after every op of the segment, returning `value`: the segment fits ending there iff it can be linearized with it. */
function finalRead(segment: readonly LinOp[], value: unknown): LinOp {
  const after = segment.reduce((latest, op) => Math.max(latest, op.ret), -Infinity) + 1;
  return { id: -1, process: "segment end", f: "read", input: null, output: value, outcome: "ok", call: after, ret: after + 1 };
}
