import type { MicroOp, Slot } from "./facts.ts";

/*
 * Anomalies as data: the type, the operations, the key and the versions involved, a cycle's
 * edges with why each holds. prose.ts renders every sentence from these; nothing reads a type
 * back out of a string.
 */

export type CycleBase = "G0" | "G1c" | "G-single" | "G-nonadjacent" | "G2-item";
/** The order edge a cycle needs besides data edges: the -process and -realtime variants. */
export type CycleOrder = "process" | "realtime";
export type CycleType = CycleBase | `${CycleBase}-${CycleOrder}`;

export type DirectType = "G1a" | "G1b" | "internal" | "future-read" | "dirty-update" | "duplicate-elements" | "incompatible-order" | "cyclic-versions" | "lost-update";

export type AnomalyType = DirectType | CycleType;

export const CYCLE_BASES: readonly CycleBase[] = ["G0", "G1c", "G-single", "G-nonadjacent", "G2-item"];
export const CYCLE_ORDERS: readonly CycleOrder[] = ["process", "realtime"];
export const DIRECT_TYPES: readonly DirectType[] = ["G1a", "G1b", "internal", "future-read", "dirty-update", "duplicate-elements", "incompatible-order", "cyclic-versions", "lost-update"];

export function cycleType(base: CycleBase, order: CycleOrder | undefined): CycleType {
  return order === undefined ? base : `${base}-${order}`;
}

/** Every type Hindsight can report. */
export const ANOMALY_TYPES: readonly AnomalyType[] = [...DIRECT_TYPES, ...CYCLE_BASES.flatMap((b) => [b, ...CYCLE_ORDERS.map((o) => cycleType(b, o))])];

/**
 * Why one version of a key precedes another: list-append reads show the order (`list`), or an
 * append no read shows came after the last element read (`unread`); for registers the initial
 * nil precedes every write (`initial`), and Elle's opt-in inferences: a txn read the earlier and
 * then wrote the later (`wfr`), one process observed them in that order (`sequential`), or one
 * txn observing the earlier completed before another observing the later began (`linearizable`);
 * an order carried through a version nobody wrote says so (`through`).
 */
export type VersionReason =
  | { by: "list" }
  | { by: "unread" }
  | { by: "initial" }
  | { by: "wfr"; op: number }
  | { by: "sequential"; process: unknown; ops: readonly [number, number] }
  | { by: "linearizable"; ops: readonly [number, number] }
  /** Through a version no live txn wrote: the earlier precedes it (`first`), it precedes the later (`then`). */
  | { by: "through"; version: unknown; first: VersionReason; then: VersionReason };

/** The micro-op name of a workload's writes: `append` or `w`. */
export type WriteF = "append" | "w";

/** Why txn `from` precedes txn `to`, as data. */
export type CycleEdge =
  /** `to` wrote `value` right after `from`'s `previous` in the key's version order. */
  | { kind: "ww"; key: Slot; write: WriteF; previous: unknown; value: unknown; because: VersionReason }
  /** `to` read `read` from key, ending on `from`'s write of `value`. */
  | { kind: "wr"; key: Slot; write: WriteF; value: unknown; read: unknown }
  /** `from` read `read`; `to` then wrote `value`, a later version. */
  | { kind: "rw"; key: Slot; write: WriteF; read: unknown; value: unknown; because: VersionReason }
  | { kind: "process"; process: unknown; key?: never }
  | { kind: "realtime"; key?: never };

export type EdgeKindName = CycleEdge["kind"];

/** One edge of a cycle: operation ids of its ends, the edge's data and its sentence. */
export type CycleStep = { from: number; to: number; explanation: string } & CycleEdge;
/** A cycle edge before it is put in words. */
export type CycleStepData = { from: number; to: number } & CycleEdge;

/** `ops` are operation ids: the transactions that prove the anomaly. */
export type DirectAnomalyData =
  /** ops [writer, reader]: the reader's `read` shows `value`, which only the aborted writer wrote. */
  | { type: "G1a"; ops: [number, number]; key: Slot; read: unknown; value: unknown }
  /** ops [writer, reader]: the read ends on `value`, which its writer overwrote before committing. */
  | { type: "G1b"; ops: [number, number]; key: Slot; read: unknown; value: unknown }
  /** The read contradicts the txn's own earlier micro-ops, which imply `expected` (or a list ending in it when not `exact`). */
  | { type: "internal"; ops: [number]; key: Slot; read: unknown; expected: unknown; exact: boolean }
  /** The read shows what the txn's own later `write` writes. */
  | { type: "future-read"; ops: [number]; key: Slot; read: unknown; write: MicroOp }
  /** ops [aborted writer, writer]: in the key's order `value` follows the aborted `aborted`. */
  | { type: "dirty-update"; ops: [number, number]; key: Slot; aborted: unknown; value: unknown }
  | { type: "duplicate-elements"; ops: [number]; key: Slot; read: readonly unknown[] }
  /** ops [the longest read's txn, this read's]: neither list is a prefix of the other. */
  | { type: "incompatible-order"; ops: [number, number]; key: Slot; read: readonly unknown[]; longest: readonly unknown[] }
  /** The inferred version order of the key loops: `versions[i]` precedes `versions[i+1]`, the last the first, for `because[i]`. */
  | { type: "cyclic-versions"; ops: number[]; key: Slot; versions: unknown[]; because: VersionReason[] }
  /** Every txn in ops read `version` of the key and then wrote it. */
  | { type: "lost-update"; ops: number[]; key: Slot; version: unknown; write: WriteF };

export interface CycleAnomalyData {
  type: CycleType;
  base: CycleBase;
  order?: CycleOrder;
  ops: number[];
  cycle: CycleStepData[];
}

export type AnomalyData = DirectAnomalyData | CycleAnomalyData;

/** An anomaly with its prose: what was seen and why it is this anomaly. */
export type Anomaly = (DirectAnomalyData & { explanation: string; cycle?: never }) | (Omit<CycleAnomalyData, "cycle"> & { cycle: CycleStep[]; explanation: string });

export function isCycle(a: AnomalyData): a is CycleAnomalyData;
export function isCycle(a: Anomaly): a is Extract<Anomaly, { base: CycleBase }>;
export function isCycle(a: AnomalyData | Anomaly): boolean {
  return "base" in a;
}
