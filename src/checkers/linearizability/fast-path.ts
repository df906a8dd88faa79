import { columnsOf, inputKind, NULL_VALUE, outputKind, ret, INFO, ValueKind, type OpColumns } from "./columns.ts";
import { opName, type LinOp } from "./model.ts";

/** Positions in the ops given to `uniqueValueColumns`. */
export type FastPathVerdict = { valid: true } | { valid: false; culprits: number[]; reason: string };

/** `uniqueValueColumns` over ops given as objects. */
export function uniqueValueRegister(ops: readonly LinOp[], initial: unknown): FastPathVerdict | undefined {
  return uniqueValueColumns(columnsOf(ops), initial);
}

const READ = 0;
const WRITE = 1;
const OTHER = 2;
/** The cluster of the initial value: a write at position -1, before everything. */
const INITIAL = 0;
const NO_CLUSTER = -1;

/**
 * Gibbons & Korach's polynomial check for read/write registers whose written values are all
 * distinct (and distinct from the initial value), in the zone form of Golab, Li & Shah: group
 * each write with the reads of its value; a group's zone runs from its earliest completion to
 * its latest invocation. The history is linearizable iff no read ends before its write begins,
 * no two forward zones (earliest completion before latest invocation) overlap, and no backward
 * zone lies inside a forward one. O(n log n), over the columns alone: about 50 bytes per write,
 * no object per op. Returns undefined when it does not apply (a cas, a repeated value), so the
 * caller falls back to the search.
 */
export function uniqueValueColumns(c: OpColumns, initial: unknown): FastPathVerdict | undefined {
  const clusters = Clusters.of(c, initial ?? null);
  if (!clusters) return undefined;
  const { writeOf, lo, hi, reads } = clusters;
  for (let i = 0; i < c.size; i++) {
    if (clusters.kindOf(i) !== READ || c.outcome[i] !== 0) continue;
    const cluster = clusters.ofOutput(i);
    if (cluster === NO_CLUSTER) return { valid: false, culprits: [i], reason: "it reads a value that was never written" };
    const write = writeOf[cluster]!;
    if (write !== -1 && ret(c, i) < c.call[write]!) return { valid: false, culprits: [i, write], reason: "it completed before the write of its value began" };
    lo[cluster] = Math.min(lo[cluster]!, ret(c, i));
    hi[cluster] = Math.max(hi[cluster]!, c.call[i]!);
    reads[cluster]!++;
  }
  // Zones in the order of their writes (the initial value's first): the first violation found is the same whatever the values.
  const forward: number[] = [];
  const backward: number[] = [];
  const zone = (cluster: number): void => {
    // An unread write that may not have happened (info) can be taken as never: it constrains nothing.
    if (reads[cluster] === 0 && (cluster === INITIAL || c.outcome[writeOf[cluster]!] === INFO)) return;
    (lo[cluster]! < hi[cluster]! ? forward : backward).push(cluster);
  };
  zone(INITIAL);
  for (let i = 0; i < c.size; i++) if (clusters.kindOf(i) === WRITE) zone(clusters.ofInput(i));
  forward.sort((a, b) => lo[a]! - lo[b]!);
  for (let k = 1; k < forward.length; k++) {
    if (lo[forward[k]!]! < hi[forward[k - 1]!]!) {
      return { valid: false, culprits: [...clusters.members(forward[k - 1]!), ...clusters.members(forward[k]!)], reason: "two values must each hold throughout overlapping stretches of time" };
    }
  }
  for (const cluster of backward) {
    // A backward zone runs from its latest invocation to its earliest completion.
    const around = lastStartingBefore(forward, lo, hi[cluster]!);
    if (around !== undefined && lo[cluster]! < hi[around]!) {
      return { valid: false, culprits: [...clusters.members(around), ...clusters.members(cluster)], reason: "a write must take effect while another value has to hold" };
    }
  }
  return { valid: true };
}

/**
 * Each written value's cluster (its write and the reads of it): numbers by their rank among the
 * written numbers (a sorted array, no map of millions), other values by their interned index.
 */
class Clusters {
  /** Per cluster: its write's position (-1 for the initial value), earliest completion, latest invocation, reads. */
  readonly writeOf: Int32Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly reads: Int32Array;

  private constructor(
    private readonly c: OpColumns,
    private readonly fKinds: Uint8Array,
    /** The written numbers, ascending: number `v`'s cluster is 1 + its rank. */
    private readonly numbers: Float64Array,
    /** Interned value -> cluster (NO_CLUSTER when never written). */
    private readonly interned: Int32Array,
    private readonly initialNumber: number | undefined,
    private readonly initialInterned: number,
  ) {
    const count = 1 + numbers.length + interned.reduce((n, cluster) => (cluster === NO_CLUSTER || cluster === INITIAL ? n : n + 1), 0);
    this.writeOf = new Int32Array(count).fill(-1);
    this.lo = new Float64Array(count).fill(Infinity);
    this.hi = new Float64Array(count).fill(-1);
    this.reads = new Int32Array(count);
    this.lo[INITIAL] = -1;
    for (let i = 0; i < c.size; i++) {
      if (this.kindOf(i) !== WRITE) continue;
      const cluster = this.ofInput(i);
      this.writeOf[cluster] = i;
      this.lo[cluster] = ret(c, i);
      this.hi[cluster] = c.call[i]!;
    }
  }

  /** The clusters, or undefined when some op is neither a read nor a write, or a value is written twice (or is the initial value). */
  static of(c: OpColumns, initial: unknown): Clusters | undefined {
    const fKinds = Uint8Array.from(c.fs, (f) => (opName(f) === "read" ? READ : opName(f) === "write" ? WRITE : OTHER));
    const initialNumber = typeof initial === "number" && !Number.isNaN(initial) ? initial : undefined;
    const initialInterned = initialNumber === undefined ? internedIndex(c, initial) : NO_CLUSTER;
    const interned = new Int32Array(c.values.length).fill(NO_CLUSTER);
    if (initialInterned !== NO_CLUSTER) interned[initialInterned] = INITIAL;
    let numberCount = 0;
    for (let i = 0; i < c.size; i++) {
      const kind = fKinds[c.f[i]!]!;
      if (kind === OTHER) return undefined;
      if (kind === WRITE && inputKind(c, i) === ValueKind.Number) numberCount++;
    }
    const numbers = new Float64Array(numberCount);
    let n = 0;
    let internedClusters = 0;
    for (let i = 0; i < c.size; i++) {
      if (fKinds[c.f[i]!] !== WRITE) continue;
      if (inputKind(c, i) === ValueKind.Number) {
        if (c.input[i] === initialNumber) return undefined;
        numbers[n++] = c.input[i]!;
        continue;
      }
      const value = inputKind(c, i) === ValueKind.Undefined ? NULL_VALUE : c.input[i]!;
      if (interned[value] !== NO_CLUSTER) return undefined;
      interned[value] = ++internedClusters; // renumbered below, after the numbers
    }
    numbers.sort();
    // -0 and 0 are one value, as valueKey and Map have it; they sort side by side.
    for (let k = 1; k < numbers.length; k++) if (numbers[k] === numbers[k - 1]) return undefined;
    for (let v = 0; v < interned.length; v++) if (interned[v]! > INITIAL) interned[v] = interned[v]! + numbers.length;
    return new Clusters(c, fKinds, numbers, interned, initialNumber, initialInterned);
  }

  kindOf(i: number): number {
    return this.fKinds[this.c.f[i]!]!;
  }

  ofInput(i: number): number {
    return this.clusterOf(inputKind(this.c, i), this.c.input[i]!);
  }

  ofOutput(i: number): number {
    return this.clusterOf(outputKind(this.c, i), this.c.output[i]!);
  }

  /** The write (unless the initial value's) and then the ok reads of a cluster, in op order. */
  members(cluster: number): number[] {
    const members = cluster === INITIAL ? [] : [this.writeOf[cluster]!];
    for (let i = 0; i < this.c.size; i++) if (this.kindOf(i) === READ && this.c.outcome[i] === 0 && this.ofOutput(i) === cluster) members.push(i);
    return members;
  }

  private clusterOf(kind: ValueKind, payload: number): number {
    if (kind !== ValueKind.Number) return this.interned[kind === ValueKind.Undefined ? NULL_VALUE : payload]!;
    if (payload === this.initialNumber) return INITIAL;
    const rank = lowerBound(this.numbers, payload);
    return rank < this.numbers.length && this.numbers[rank] === payload ? 1 + rank : NO_CLUSTER;
  }
}

/** The index of `value` among the columns' interned values, or NO_CLUSTER. */
function internedIndex(c: OpColumns, value: unknown): number {
  const text = Number.isNaN(value) ? "NaN" : JSON.stringify(value);
  return c.values.findIndex((v) => (Number.isNaN(v) ? "NaN" : JSON.stringify(v)) === text);
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The forward zone with the greatest start below `at` (zones are sorted and disjoint by now). */
function lastStartingBefore(zones: readonly number[], lo: Float64Array, at: number): number | undefined {
  let low = 0;
  let high = zones.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (lo[zones[mid]!]! < at) low = mid + 1;
    else high = mid;
  }
  return low > 0 ? zones[low - 1] : undefined;
}
