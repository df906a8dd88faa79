import { opName, valueKey, type LinOp } from "./model.ts";

/** Positions in the `ops` array given to `uniqueValueRegister`. */
export type FastPathVerdict = { valid: true } | { valid: false; culprits: number[]; reason: string };

/** What a cluster (a written value: its write and its reads) must cover. */
interface Zone {
  lo: number;
  hi: number;
  ops: number[];
}

/**
 * Gibbons & Korach's polynomial check for read/write registers whose written values are all
 * distinct (and distinct from the initial value), in the zone form of Golab, Li & Shah: group
 * each write with the reads of its value; a group's zone runs from its earliest completion to
 * its latest invocation. The history is linearizable iff no read ends before its write begins,
 * no two forward zones (earliest completion before latest invocation) overlap, and no backward
 * zone lies inside a forward one. O(n log n). Returns undefined when it does not apply (a cas,
 * a repeated value), so the caller falls back to the search.
 */
export function uniqueValueRegister(ops: readonly LinOp[], initial: unknown): FastPathVerdict | undefined {
  const writes = new Map<string | number, number>();
  for (let i = 0; i < ops.length; i++) {
    const f = opName(ops[i]!.f);
    if (f === "read") continue;
    if (f !== "write") return undefined;
    const k = valueKey(ops[i]!.input ?? null);
    if (writes.has(k) || k === valueKey(initial ?? null)) return undefined;
    writes.set(k, i);
  }
  // The initial value is a write at position -1, before everything.
  const INITIAL = -1;
  const clusters = new Map<string | number, { write: number; reads: number[] }>();
  clusters.set(valueKey(initial ?? null), { write: INITIAL, reads: [] });
  for (const [k, w] of writes) clusters.set(k, { write: w, reads: [] });
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (opName(op.f) !== "read" || op.outcome !== "ok") continue;
    const cluster = clusters.get(valueKey(op.output ?? null));
    if (!cluster) return { valid: false, culprits: [i], reason: "it reads a value that was never written" };
    if (cluster.write !== INITIAL && op.ret < ops[cluster.write]!.call) {
      return { valid: false, culprits: [i, cluster.write], reason: "it completed before the write of its value began" };
    }
    cluster.reads.push(i);
  }
  const forward: Zone[] = [];
  const backward: Zone[] = [];
  for (const { write, reads } of clusters.values()) {
    // An unread write that may not have happened (info) can be taken as never: it constrains nothing.
    if (reads.length === 0 && (write === INITIAL || ops[write]!.outcome === "info")) continue;
    const members = write === INITIAL ? reads : [write, ...reads];
    let lo = write === INITIAL ? INITIAL : Infinity;
    let hi = INITIAL;
    for (const m of members) {
      lo = Math.min(lo, ops[m]!.ret);
      hi = Math.max(hi, ops[m]!.call);
    }
    if (lo < hi) forward.push({ lo, hi, ops: members });
    else backward.push({ lo: hi, hi: lo, ops: members });
  }
  forward.sort((a, b) => a.lo - b.lo);
  for (let i = 1; i < forward.length; i++) {
    if (forward[i]!.lo < forward[i - 1]!.hi) {
      return { valid: false, culprits: [...forward[i - 1]!.ops, ...forward[i]!.ops], reason: "two values must each hold throughout overlapping stretches of time" };
    }
  }
  for (const zone of backward) {
    const around = lastStartingBefore(forward, zone.lo);
    if (around && zone.hi < around.hi) {
      return { valid: false, culprits: [...around.ops, ...zone.ops], reason: "a write must take effect while another value has to hold" };
    }
  }
  return { valid: true };
}

/** The forward zone with the greatest start below `at` (zones are sorted and disjoint by now). */
function lastStartingBefore(zones: Zone[], at: number): Zone | undefined {
  let lo = 0;
  let hi = zones.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (zones[mid]!.lo < at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? zones[lo - 1] : undefined;
}
