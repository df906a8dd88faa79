import { FAIL, INFO, opAt, ret, type OpColumns } from "./columns.ts";
import { opName, valueKey, type LinOp, type Model } from "./model.ts";
import { search, type SearchBudget, type SearchOutcome, type SearchStats } from "./search.ts";

/** Models whose ops are one register's read, write and cas: the only ones segmented. */
const REGISTERS: ReadonlySet<string> = new Set(["register", "cas-register"]);
/** The memo holds each configuration as a bitset of every op: below this many configurations, a part is searched in segments. */
const MEMO_CONFIGURATIONS = 1 << 16;
/**
 * Segments end at a quiescent point past `length` ops (each costs a search or a few, so not one
 * per op) where one state only is possible, or past `stretch` × `length` ops at the next one.
 */
export interface SegmentShape {
  length: number;
  stretch: number;
}
const SEGMENTS: SegmentShape = { length: 2048, stretch: 8 };

/** What `searchInSegments` found: the search outcome, over the ops and from the state it names (a segment's, for a violation). */
export interface SegmentedOutcome {
  outcome: SearchOutcome;
  ops: LinOp[];
  initial: unknown;
}

/** Whether the memo would hold too few configurations of a part of `ops` ops to search it whole. */
export function memoTooSmall(ops: number, memoBytes: number): boolean {
  const entryBytes = (Math.ceil(ops / 32) + 3) * 4 + 8;
  return memoBytes / entryBytes < MEMO_CONFIGURATIONS;
}

/**
 * A register or cas-register part too large for the memo (each configuration a bitset of all
 * its ops) checked in segments cut where no op is open, carrying the states possible at each
 * cut into the next segment: linearizable iff some state survives the last one. A cut is
 * preferred where only one state is possible (then one search decides the segment). Cuts need
 * every op's return bounded, so it applies only when written values are unique (then an `info`
 * write or cas whose value nobody saw may be taken as never done, and one whose value was seen
 * happened before the first return of an op that saw it) and no failed op is kept. Undefined
 * when it does not apply: the caller searches the part whole. Ops are made from the columns
 * one segment at a time.
 */
export function searchInSegments(model: Model, ops: OpColumns, initial: unknown, budget: SearchBudget, shape = SEGMENTS): SegmentedOutcome | undefined {
  if (!REGISTERS.has(model.name)) return undefined;
  const returns = boundedReturns(ops, initial);
  if (!returns) return undefined;
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
  for (const segment of segmentsOf(ops, returns, shape)) {
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
  return { outcome: { kind: "linearizable", stats }, ops: [], initial };
}

/** The value a write or cas leaves, or undefined for a read. */
function written(op: LinOp): unknown {
  const f = opName(op.f);
  if (f === "write") return op.input ?? null;
  if (f === "cas" && Array.isArray(op.input)) return op.input[1] ?? null;
  return undefined;
}

/** The value a read returned or a cas compared with. */
function seen(op: LinOp): unknown {
  const f = opName(op.f);
  if (f === "read") return op.output ?? null;
  if (f === "cas" && Array.isArray(op.input)) return op.input[0] ?? null;
  return undefined;
}

/** Never-returning ops left out: their value was never seen, so they may be taken as never done. */
const NEVER = -Infinity;

/**
 * Each op's return, made finite: an `info` write or cas whose value was seen (by an ok op, or
 * through a chain of info cas leading to one) must have happened before the first return of an
 * op that saw it; one whose value was never seen is NEVER (left out). Undefined when some value
 * is written twice (or is the initial value), an op is not a read, write or cas, a failed op is
 * kept, or a value was seen before its only write could have begun.
 */
function boundedReturns(c: OpColumns, initial: unknown): Float64Array | undefined {
  if (!c.fs.every((f) => ["read", "write", "cas"].includes(opName(f))) || c.outcome.includes(FAIL)) return undefined;
  const producer = new Map<string | number, number>([[valueKey(initial ?? null), -1]]);
  for (let i = 0; i < c.size; i++) {
    const value = written(opAt(c, i));
    if (value === undefined) continue;
    const key = valueKey(value);
    if (producer.has(key)) return undefined;
    producer.set(key, i);
  }
  const by = new Float64Array(c.size);
  for (let i = 0; i < c.size; i++) by[i] = c.outcome[i] === INFO ? Infinity : ret(c, i);
  const pending: number[] = [];
  const bound = (value: unknown, at: number): void => {
    const p = producer.get(valueKey(value));
    if (p === undefined || p === -1 || c.outcome[p] !== INFO || by[p]! <= at) return;
    by[p] = at;
    pending.push(p);
  };
  for (let i = 0; i < c.size; i++) {
    const op = opAt(c, i);
    if (op.outcome === "ok" && opName(op.f) !== "write") bound(seen(op), op.ret);
  }
  while (pending.length > 0) {
    // An info cas that must have happened saw its old value before its own bound.
    const p = pending.pop()!;
    const op = opAt(c, p);
    if (opName(op.f) === "cas") bound(seen(op), by[p]!);
  }
  for (let i = 0; i < c.size; i++) {
    if (by[i] === Infinity) by[i] = NEVER;
    else if (c.outcome[i] === INFO && by[i]! <= c.call[i]!) return undefined;
  }
  return by;
}

/** The op at row `i` as the segment's search takes it: an info op that must have happened is ok, returning by its bound. */
function boundedOp(c: OpColumns, returns: Float64Array, i: number): LinOp {
  const op = opAt(c, i);
  return op.outcome === "info" ? { ...op, outcome: "ok", ret: returns[i]! } : op;
}

/** Runs of ops (in invocation order) between quiescent points (no op open), as `shape` says. */
function* segmentsOf(c: OpColumns, returns: Float64Array, { length, stretch }: SegmentShape): Generator<LinOp[]> {
  let segment: LinOp[] = [];
  let lastReturn = -Infinity;
  for (let i = 0; i < c.size; i++) {
    if (returns[i] === NEVER) continue;
    const op = boundedOp(c, returns, i);
    segment.push(op);
    lastReturn = Math.max(lastReturn, op.ret);
    let next = i + 1;
    while (next < c.size && returns[next] === NEVER) next++;
    const quiescent = next === c.size || lastReturn < c.call[next]!;
    if (quiescent && segment.length >= length && (next === c.size || segment.length >= stretch * length || possibleEnds(segment, undefined).length <= 1)) {
      yield segment;
      segment = [];
    }
  }
  if (segment.length > 0) yield segment;
}

/** The values a segment may leave: the last write or cas placed is one that had not returned when the last of them began (at equal times the two are concurrent); none, the state it started in. */
function possibleEnds(segment: readonly LinOp[], from: unknown): unknown[] {
  let lastCall = -Infinity;
  for (const op of segment) if (written(op) !== undefined) lastCall = Math.max(lastCall, op.call);
  if (lastCall === -Infinity) return [from];
  return segment.filter((op) => written(op) !== undefined && op.ret >= lastCall).map(written);
}

/** A read after every op of the segment, returning `value`: the segment fits ending there iff it can be linearized with it. */
function finalRead(segment: readonly LinOp[], value: unknown): LinOp {
  const after = segment.reduce((latest, op) => Math.max(latest, op.ret), -Infinity) + 1;
  return { id: -1, process: "segment end", f: "read", input: null, output: value, outcome: "ok", call: after, ret: after + 1 };
}
