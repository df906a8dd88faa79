import type { History } from "../../history/history.ts";
import { isClientProcess, type Operation, type Outcome } from "../../history/op.ts";

/** The two shapes of transaction Elle checks, told apart by the writes they contain. */
export type Workload = "list-append" | "rw-register";

/** A micro-op as the history wrote it: `[f, key, value]`, f one of r / append / w. */
export type MicroOp = readonly [f: string, key: unknown, value: unknown];

/** A key or value reduced to something a Map compares by value (objects become their JSON). */
export type Slot = string | number | boolean | null;

export function slot(x: unknown): Slot {
  if (x === undefined) return null;
  return typeof x === "string" || typeof x === "number" || typeof x === "boolean" || x === null ? x : JSON.stringify(x);
}

/** One transaction: its operation, outcome and micro-ops (with observed reads when it is ok). */
export interface Txn {
  /** Dense index among transactions: the node id in the dependency graph. */
  id: number;
  op: Operation;
  outcome: Outcome;
  mops: readonly MicroOp[];
}

export interface TxnFacts {
  workload: Workload;
  txns: Txn[];
  /** Operation ids of txn ops whose value is not a list of micro-ops of the workload. */
  malformed: number[];
}

const READ = "r";
export const APPEND = "append";
const WRITE = "w";
export const MICRO_OP_NAMES: ReadonlySet<unknown> = new Set([READ, APPEND, WRITE]);

export function isRead(m: MicroOp): boolean {
  return m[0] === READ;
}

export function isWrite(m: MicroOp): boolean {
  return m[0] === APPEND || m[0] === WRITE;
}

/** Client ops with f "txn" become transactions; nemesis and other fs are not our concern. */
export function collectFacts(history: History): TxnFacts {
  const ops = history.operations.filter((o) => o.f === "txn" && isClientProcess(o.process));
  const workload = detectWorkload(ops);
  const writeF = workload === "list-append" ? APPEND : WRITE;
  const txns: Txn[] = [];
  const malformed: number[] = [];
  for (const op of ops) {
    const mops = op.outcome === "ok" ? op.output : op.input;
    if (!isMicroOps(mops, writeF)) {
      malformed.push(op.id);
      continue;
    }
    txns.push({ id: txns.length, op, outcome: op.outcome, mops });
  }
  return { workload, txns, malformed };
}

/**
 * The first append (or list-valued read) makes a list-append history, the first `w` an
 * rw-register one; in a history mixing both, the other kind's txns are counted as malformed.
 */
function detectWorkload(ops: Operation[]): Workload {
  for (const op of ops) {
    const value = op.outcome === "ok" ? op.output : op.input;
    if (!Array.isArray(value)) continue;
    for (const m of value) {
      if (!Array.isArray(m)) continue;
      if (m[0] === APPEND) return "list-append";
      if (m[0] === WRITE) return "rw-register";
      if (m[0] === READ && Array.isArray(m[2])) return "list-append";
    }
  }
  return "rw-register";
}

function isMicroOps(value: unknown, writeF: string): value is MicroOp[] {
  return Array.isArray(value) && value.every((m) => Array.isArray(m) && m.length === 3 && (m[0] === READ || m[0] === writeF));
}

/**
 * Whether the micro-op at `at` is an external read: a read that is the txn's first access to
 * its key, so it sees the state others left (later reads see the txn's own writes too).
 */
export function isExternalRead(mops: readonly MicroOp[], at: number): boolean {
  const m = mops[at]!;
  if (!isRead(m)) return false;
  const key = slot(m[1]);
  for (let before = 0; before < at; before++) if (slot(mops[before]![1]) === key) return false;
  return true;
}

/** An external read of a committed txn, spelled out (for explanations). */
export interface ExternalRead {
  key: Slot;
  value: unknown;
  /** Position of the read among the txn's micro-ops. */
  at: number;
}

export function externalReads(txn: Txn): ExternalRead[] {
  if (txn.outcome !== "ok") return [];
  return txn.mops.flatMap((m, at) => (isExternalRead(txn.mops, at) ? [{ key: slot(m[1]), value: m[2], at }] : []));
}
