import type { EdgeKindName } from "./anomaly.ts";

/** Edge kinds as bits: one pair of transactions can be related several ways at once. */
export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;
export const DATA = WW | WR | RW;

export const KIND_NAMES: Record<number, EdgeKindName> = { [WW]: "ww", [WR]: "wr", [RW]: "rw", [PROCESS]: "process", [REALTIME]: "realtime" };

/** A directed graph over transactions in compressed rows: node i's edges are offsets[i]..offsets[i+1]. */
export interface Graph {
  size: number;
  offsets: Int32Array;
  targets: Int32Array;
  kinds: Uint8Array;
}

/** Collects edges in growable typed arrays: millions of edges without millions of objects. */
export class EdgeList {
  private from: Int32Array;
  private to: Int32Array;
  private kind: Uint8Array;
  length = 0;

  /** `capacity`: the expected number of edges, so that the arrays rarely need to grow. */
  constructor(capacity = 1024) {
    this.from = new Int32Array(capacity);
    this.to = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
  }

  /** Ignores self-edges and unknown ends (-1). */
  add(from: number, to: number, kind: number): void {
    if (from === to || from < 0 || to < 0) return;
    if (this.length === this.from.length) this.grow();
    this.from[this.length] = from;
    this.to[this.length] = to;
    this.kind[this.length] = kind;
    this.length++;
  }

  private grow(): void {
    const size = Math.max(1024, this.from.length * 2);
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.from = grow(this.from, (n) => new Int32Array(n));
    this.to = grow(this.to, (n) => new Int32Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
  }

  /** Compressed rows, parallel edges merged into one edge carrying every kind. */
  toGraph(size: number): Graph {
    const counts = new Int32Array(size + 1);
    for (let e = 0; e < this.length; e++) counts[this.from[e]! + 1]!++;
    for (let i = 0; i < size; i++) counts[i + 1]! += counts[i]!;
    const fill = counts.slice(0, size);
    const targets = new Int32Array(this.length);
    const kinds = new Uint8Array(this.length);
    for (let e = 0; e < this.length; e++) {
      const at = fill[this.from[e]!]!++;
      targets[at] = this.to[e]!;
      kinds[at] = this.kind[e]!;
    }
    return mergeParallel(size, counts, targets, kinds);
  }
}

function mergeParallel(size: number, offsets: Int32Array, targets: Int32Array, kinds: Uint8Array): Graph {
  const slotOf = new Int32Array(size).fill(-1);
  const outOffsets = new Int32Array(size + 1);
  let out = 0;
  for (let i = 0; i < size; i++) {
    const start = out;
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      const t = targets[e]!;
      const at = slotOf[t]!;
      if (at >= start) {
        kinds[at]! |= kinds[e]!;
      } else {
        slotOf[t] = out;
        targets[out] = t;
        kinds[out] = kinds[e]!;
        out++;
      }
    }
    outOffsets[i + 1] = out;
  }
  return { size, offsets: outOffsets, targets: targets.subarray(0, out), kinds: kinds.subarray(0, out) };
}
