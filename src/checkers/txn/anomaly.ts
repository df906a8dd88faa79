import type { Slot } from "./facts.ts";

/** One dependency edge of a cycle, with the sentence that justifies it. */
export interface CycleStep {
  /** Operation ids of the edge's ends. */
  from: number;
  to: number;
  kind: EdgeKindName;
  key?: Slot;
  /** e.g. "T2 observed T1's append of 1 to key y". */
  explanation: string;
}

export type EdgeKindName = "ww" | "wr" | "rw" | "process" | "realtime";

/** A phenomenon the history shows, named as Elle names it (G1a, G-single-realtime, …). */
export interface Anomaly {
  type: string;
  /** Operation ids of the transactions that prove it. */
  ops: number[];
  key?: Slot;
  /** Plain sentences: what was seen and why it is this anomaly. */
  explanation: string;
  cycle?: CycleStep[];
}
